/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * qemu_rx.h - the qemu target's receive direction (qemu_rx.c): rx-csum and
 * rss through QEMU's e1000e and igb as the Linux drivers program them.
 *
 * The register values and the descriptor decoding are pure functions, so
 * the Check suite holds them against the driver's formulas and the 82574
 * datasheet's bits without QEMU (targets/qemu/tests/check_qemu_rx.c).
 */
#ifndef QEMU_RX_H
#define QEMU_RX_H

#include <stdbool.h>
#include <stdint.h>

#include "ofd.h"
#include "ofd_rss.h"

/* 82574 registers (datasheet 10.2; Linux e1000e regs.h, QEMU e1000_regs.h). */
#define QE_R_CTRL 0x0000
#define QE_R_STATUS 0x0008
#define QE_R_RCTL 0x0100
#define QE_R_RDBAL0 0x2800
#define QE_R_RDBAH0 0x2804
#define QE_R_RDLEN0 0x2808
#define QE_R_RDH0 0x2810
#define QE_R_RDT0 0x2818
#define QE_R_RXCSUM 0x5000
#define QE_R_RFCTL 0x5008
#define QE_R_MRQC 0x5818
#define QE_R_RETA 0x5c00  /* 32 registers, 128 one-byte entries */
#define QE_R_RSSRK 0x5c80 /* 10 registers, the 40-byte key */
#define QE_R_MDIC 0x0020
/* MDIC: data 0x1200 (BMCR AUTOEN | ANRESTART), REGADD 0, PHYADD 1 << 21,
 * OP write 1 << 26 */
#define QE_MDIC_BMCR_ANRESTART (0x1200u | 1u << 21 | 1u << 26)
#define QE_R_RLPML 0x5004 /* igb: the longest frame with RCTL.LPE */
/* igb (82576 datasheet 8.10): receive queue q's RDBAL; RDBAH, RDLEN,
 * SRRCTL, RDH, RDT, RXDCTL at +4, +8, +0xc, +0x10, +0x18, +0x28. The
 * driver runs 4 RSS queues (igb_set_flag_queue_pairs / rss_queues on a
 * machine with 4 or more CPUs; the model's default table spreads over 4). */
#define QE_IGB_RDBAL(q) (0xc000u + 0x40u * (q))
#define QE_IGB_QUEUES 4u

/* Bits (Linux e1000e defines.h). */
#define QE_CTRL_SLU (1u << 6)
#define QE_CTRL_VME (1u << 30)
#define QE_STATUS_LU (1u << 1)
#define QE_RCTL_EN (1u << 1)
#define QE_RCTL_UPE (1u << 3)
#define QE_RCTL_MPE (1u << 4)
#define QE_RCTL_LPE (1u << 5)
#define QE_RCTL_BAM (1u << 15)
#define QE_RCTL_SECRC (1u << 26)
#define QE_RXCSUM_IPOFL (1u << 8)
#define QE_RXCSUM_TUOFL (1u << 9)
#define QE_RXCSUM_CRCOFL (1u << 11) /* 82576: SCTP CRC offload */
#define QE_RXCSUM_PCSD (1u << 13)
#define QE_RFCTL_EXTEN (1u << 15)
#define QE_MRQC_RSS_ENABLE 0x1u /* MRQE 01: the driver never sets it */
#define QE_MRQC_IGB_RSS_MQ 0x2u /* igb: E1000_MRQC_ENABLE_RSS_MQ */
#define QE_MRQC_IPV4_TCP 0x00010000u
#define QE_MRQC_IPV4 0x00020000u
#define QE_MRQC_IPV6_TCP_EX 0x00040000u
#define QE_MRQC_IPV6 0x00100000u
#define QE_MRQC_IPV6_TCP 0x00200000u

/* Extended RX descriptor write-back (union e1000_rx_desc_extended, wb):
 * mrq at 0 (RSS type 3:0, queue 8+), rss at 4, status_error at 8, length
 * at 12, vlan at 14; little endian. */
#define QE_RXD_STAT_DD 0x01u
#define QE_RXD_STAT_EOP 0x02u
#define QE_RXD_STAT_IXSM 0x04u
#define QE_RXD_STAT_VP 0x08u
#define QE_RXD_STAT_UDPCS 0x10u
#define QE_RXD_STAT_TCPCS 0x20u
#define QE_RXD_STAT_IPCS 0x40u
#define QE_RXD_ERR_TCPE 0x20u /* in status_error >> 24 */
#define QE_RXD_ERR_IPE 0x40u
/* MRQ RSS types (82574 datasheet 7.1.12.1, e1000e hw.h E1000_MRQ_RSS_TYPE_*) */
enum {
	QE_RSS_TYPE_NONE = 0,
	QE_RSS_TYPE_IPV4TCP = 1,
	QE_RSS_TYPE_IPV4 = 2,
	QE_RSS_TYPE_IPV6TCP = 3,
	QE_RSS_TYPE_IPV6EX = 4,
	QE_RSS_TYPE_IPV6 = 5,
};

/* The receive registers the Linux e1000e driver writes at MTU 1500 with
 * NETIF_F_RXCSUM, NETIF_F_RXHASH and rx-vlan-offload on, in promiscuous
 * mode (every corpus frame's destination accepted). */
struct qe_rx_regs {
	uint32_t ctrl, rctl, rxcsum, rfctl, mrqc;
	uint32_t srrctl, rxdctl, rlpml; /* igb; 0: not written */
	uint32_t rssrk[10];
	uint32_t reta[32];
};
/* @key: the first 40 bytes of the rss model's key, so the model and the
 * device hash with one key; @mrqe: set MRQC's RSS enable as well (not the
 * driver's value: QEMU computes no hash without it, qemu-findings.md). */
void qe_rx_regs_e1000e(const uint8_t key[40], bool mrqe, struct qe_rx_regs *r);

/* The igb driver's at MTU 1500 (igb_setup_rctl, igb_setup_mrqc,
 * igb_write_rss_indir_tbl, igb_configure_rx_ring, igb_rlpml_set), same
 * features and promiscuous mode, 4 queues: RXCSUM is the device's value
 * @rxcsum read back with PCSD and CRCOFL added (the driver leaves IPOFL
 * and TUOFL at their reset value); MRQC ENABLE_RSS_MQ with IPV4,
 * IPV4_TCP, IPV6, IPV6_TCP, IPV6_TCP_EX (no UDP: IGB_FLAG_RSS_FIELD_*_UDP
 * are off by default); RETA entry j = j % 4 (ethtool_rxfh_indir_default,
 * shift 0 on the 82576 without VFs). */
void qe_rx_regs_igb(const uint8_t key[40], uint32_t rxcsum, struct qe_rx_regs *r);

/* One written-back descriptor as the driver reads it. */
struct qe_rx_wb {
	uint32_t mrq, rss, staterr;
	uint16_t length, vlan;
};
void qe_rx_wb_parse(const uint8_t d[16], struct qe_rx_wb *w);
/* e1000_rx_checksum: CHECKSUM_UNNECESSARY (level 0) when TCPCS or UDPCS
 * is set without TCPE/IPE and IXSM clear, else NONE; into m. */
void qe_rx_csum_state(const struct qe_rx_wb *w, struct ofd_meta *m);
/* e1000_rx_hash: skb_set_hash(rss, PKT_HASH_TYPE_L3) (hash 0: none, the
 * stack's "no hash"), the flow type the descriptor's RSS type names, and
 * the queue its MRQ field names. */
void qe_rx_rss_out(const struct qe_rx_wb *w, struct ofd_rss_out *o);
/* igb_rx_hash (the same L3 type) with the 82576's RSS types (datasheet
 * 7.1.2.11: 6 TCP IPv6 Ex, 7 UDP IPv4, 8 UDP IPv6, 9 UDP IPv6 Ex); the
 * queue is the caller's (the ring the frame came in on). */
void qe_rx_rss_out_igb(const struct qe_rx_wb *w, struct ofd_rss_out *o);

#endif /* QEMU_RX_H */
