/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_xdp_rxhash.h - the record xdp_rxhash.bpf.c writes for each frame
 * and iface_rss_read.c reads: shared by the BPF program and user space,
 * so fixed-size types only.
 */
#ifndef OFD_XDP_RXHASH_H
#define OFD_XDP_RXHASH_H

#include <linux/types.h>

#define OFD_XDP_RXHASH_HEAD 64 /* first bytes kept, to match the frame */

struct ofd_xdp_rxhash_rec {
	__u32 hash;
	__u32 rss_type; /* enum xdp_rss_hash_type bits */
	__s32 err;      /* the kfunc's return: 0, -EOPNOTSUPP, -ENODATA */
	__u32 queue;    /* ctx->rx_queue_index */
	__u32 len;      /* the frame's length (linear part) */
	__u32 headlen;
	__u8 head[OFD_XDP_RXHASH_HEAD];
};

/* enum xdp_rss_hash_type bits (include/net/xdp.h, Linux 6.3+). */
#define OFD_XDP_RSS_L3_IPV4 (1u << 0)
#define OFD_XDP_RSS_L3_IPV6 (1u << 1)
#define OFD_XDP_RSS_L3_DYNHDR (1u << 2)
#define OFD_XDP_RSS_L4 (1u << 3)
#define OFD_XDP_RSS_L4_TCP (1u << 4)
#define OFD_XDP_RSS_L4_UDP (1u << 5)
#define OFD_XDP_RSS_L4_SCTP (1u << 6)
#define OFD_XDP_RSS_L4_IPSEC (1u << 7)
#define OFD_XDP_RSS_L4_ICMP (1u << 8)

#endif /* OFD_XDP_RXHASH_H */
