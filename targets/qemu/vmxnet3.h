/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * vmxnet3.h - the VMware vmxnet3 paravirtual NIC as the qemu target drives
 * it: the Linux vmxnet3 driver's descriptors for a case (vmxnet3_plan.c)
 * and the device's set-up and batches over qtest (vmxnet3.c).
 *
 * Layouts are Linux's drivers/net/vmxnet3/vmxnet3_defs.h (QEMU's
 * hw/net/vmxnet3.h is a copy of it). A TX descriptor is 16 bytes, little
 * endian:
 *
 *   0-7   addr
 *   8-11  len 0-13 (0 = 16384), gen 14, oco 15, dtype 16, ext1 17, msscof 18-31
 *   12-15 hlen 0-9, om 10-11, eop 12, cq 13, ext2 14, ti 15, tci 16-31
 */
#ifndef VMXNET3_H
#define VMXNET3_H

#include <stdbool.h>
#include <stdint.h>

#include "ofd.h"

#define VX_PCI_VENDOR 0x15ad /* PCI_VENDOR_ID_VMWARE */
#define VX_PCI_ID 0x07b0     /* PCI_DEVICE_ID_VMWARE_VMXNET3 */

/* TxDesc.om (VMXNET3_OM_*) */
#define VX_OM_NONE 0u
#define VX_OM_ENCAP 1u
#define VX_OM_CSUM 2u
#define VX_OM_TSO 3u

#define VX_TXD_GEN (1u << 14)      /* dword 2 */
#define VX_TXD_EOP (1u << 12)      /* dword 3 */
#define VX_TXD_CQ (1u << 13)       /* dword 3 */
#define VX_MSSCOF_SHIFT 18         /* dword 2 */
#define VX_OM_SHIFT 10             /* dword 3 */
#define VX_HLEN_MAX 1023u          /* hlen is 10 bits */

#define VX_MAX_TX_BUF 16384u       /* VMXNET3_MAX_TX_BUF_SIZE: len 0 = 2^14 */
#define VX_HDR_COPY 128u           /* VMXNET3_HDR_COPY_SIZE */
#define VX_TXDATA_DESC 128u        /* txdata_desc_size below version 3 */
#define VX_MAX_CSUM_OFFSET 1024u   /* VMXNET3_MAX_CSUM_OFFSET */
#define VX_MAX_MTU 9000u           /* VMXNET3_MAX_MTU (max_mtu below version 6) */

/*
 * What vmxnet3_tq_xmit makes of a case: the header bytes it copies into
 * the TX data ring (copy_size, 0 for none), the SOP descriptor's offload
 * fields, and the header rewrites of vmxnet3_prepare_tso.
 */
#define VX_MAX_FIX 4
struct vx_plan {
	uint32_t len;       /* the frame's length (the driver pads nothing) */
	uint32_t copy_size; /* leading bytes copied into the data ring */
	uint32_t om, hlen, msscof;
	unsigned int nfix;
	struct { uint32_t off; uint16_t val; } fix[VX_MAX_FIX]; /* big endian */
};

/* One TX descriptor of a case, before the ring places it: from the data
 * ring (the header copy) or at off in the frame; dw2 and dw3 without the
 * generation bit. */
struct vx_txd {
	bool data_ring;
	uint32_t off, len;
	uint32_t dw2, dw3;
};
/* The most a case takes: the header copy and 65535 bytes in 16 KB. */
#define VX_MAX_TXD_PER_CASE 6

/* 0 with *p filled, or 1 when the driver never gets the case as the
 * device's work (*why: what the kernel or the driver does instead). */
int vx_plan(const struct ofd_case *c, struct vx_plan *p, const char **why);
/* vmxnet3_map_pkt's descriptors for the plan, SOP first, the offload
 * fields on the SOP and CQ|EOP on the last: their number (at most max). */
unsigned int vx_plan_txds(const struct vx_plan *p, struct vx_txd *d, unsigned int max);

/* The guest memory layout vmxnet3.c activates the device with, shared
 * with the receive side (vmxnet3_rx.c): BAR1's command register, the
 * driver shared area and its rxFilterConf.rxMode, and RX queue 0's rings
 * (ring 0, ring 1, completion; VX_RX_RING descriptors each, the
 * completion ring twice that, as vmxnet3_rq_create sizes it). */
#define VX_BAR1 0xfeb81000u
#define R1_CMD 0x20
#define VX_SHARED 0x00100000u
#define DS_RX_MODE 120
#define VX_RXRING0 0x0010e000u
#define VX_RXRING1 0x0010f000u
#define VX_RXCOMP 0x00110000u
#define VX_RX_RING 32           /* VMXNET3_RING_SIZE_ALIGN */

/* vmxnet3_rx.c: the receive side. The completion descriptor's checksum
 * bits (Vmxnet3_RxCompDesc dword 3, vmxnet3_defs.h) and dword 0's
 * "header inner" bit (VMXNET3_RCD_HDR_INNER_SHIFT 13, version 4+). */
#define VX_RCD_TUC (1u << 16)
#define VX_RCD_UDP (1u << 17)
#define VX_RCD_TCP (1u << 18)
#define VX_RCD_IPC (1u << 19)
#define VX_RCD_V6 (1u << 20)
#define VX_RCD_V4 (1u << 21)
#define VX_RCD_FRG (1u << 22)
#define VX_RCD_GEN (1u << 31)
#define VX_RCD_CNC (1u << 30)         /* dword 0 */
#define VX_RCD_EOP (1u << 14)         /* dword 0 */
#define VX_RCD_SOP (1u << 15)         /* dword 0 */
#define VX_RCD_HDR_INNER (1u << 13)   /* dword 0 */
#define VX_RCD_ERR (1u << 14)         /* dword 2 */
#define VX_RCD_TS (1u << 15)          /* dword 2 */

/* vmxnet3_rx_csum on one completion's four dwords (NETIF_F_RXCSUM on):
 * UNNECESSARY (level 1 with HDR_INNER) for v4 with TUC and IPC, or v6
 * with TUC; else PARTIAL when the csum field is non-zero (the driver's
 * skb->csum = htons(rcd.csum)); else NONE; NONE when CNC is set. */
void vx_rx_csum_state(const uint32_t rcd[4], struct ofd_meta *m);

#endif /* VMXNET3_H */
