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

#endif /* VMXNET3_H */
