/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_rss_readback.h - a NIC's RSS configuration, read back with the
 * ethtool ioctls (SIOCETHTOOL): the Toeplitz key, the indirection table
 * and the hash function (ETHTOOL_GRSSH, with input_xfrm since Linux 6.8),
 * the rx ring count (ETHTOOL_GRXRINGS), and the field set of each flow
 * type (ETHTOOL_GRXFH for tcp4 udp4 tcp6 udp6 ipv4 ipv6).
 *
 * Self-contained (libc and linux uapi headers only): the iface target
 * links it, and the QEMU guest agent compiles the same file statically
 * into a guest-side program. The struct holds raw values, as the device
 * reported them; turning them into the model's configuration (and saying
 * what the model cannot represent) is the caller's job
 * (iface_rss_config.c on the offdiff side). Stable API: fields are only
 * ever added at the end.
 */
#ifndef OFD_RSS_READBACK_H
#define OFD_RSS_READBACK_H

#include <stddef.h>
#include <stdint.h>

/* Room for what devices have: keys of 40 (most), 52 (the kernel's
 * netdev_rss_key) or 64 bytes; tables of up to 2048 (ice) or more. A
 * device with more is refused with a reason, never cut. */
#define OFD_RSS_RB_KEY_MAX 256
#define OFD_RSS_RB_INDIR_MAX 8192
#define OFD_RSS_RB_NFLOWS 6 /* tcp4 udp4 tcp6 udp6 ipv4 ipv6, in that order */

/* The flow types, by ethtool's numbers (TCP_V4_FLOW ... IPV6_FLOW). */
extern const uint32_t ofd_rss_rb_flow_type[OFD_RSS_RB_NFLOWS];
extern const char *const ofd_rss_rb_flow_name[OFD_RSS_RB_NFLOWS];

/* hfunc: ETH_RSS_HASH_* bits (uapi ethtool.h); Toeplitz is bit 0. */
#define OFD_RSS_RB_HFUNC_TOP (1u << 0)
/* input_xfrm: RXH_XFRM_* bits (uapi ethtool.h, Linux 6.8+). */
#define OFD_RSS_RB_XFRM_SYM_XOR (1u << 0)
#define OFD_RSS_RB_XFRM_SYM_OR_XOR (1u << 1)

struct ofd_rss_readback {
	char ifname[16];
	uint32_t rx_rings;                 /* ETHTOOL_GRXRINGS */
	uint8_t hfunc;                     /* ETH_RSS_HASH_* of the device */
	uint8_t input_xfrm;                /* RXH_XFRM_* (0 on kernels before 6.8) */
	uint8_t pad[2];
	uint32_t key_size;                 /* bytes of key[] */
	uint32_t indir_size;               /* entries of indir[] */
	uint8_t key[OFD_RSS_RB_KEY_MAX];
	uint32_t indir[OFD_RSS_RB_INDIR_MAX];
	/* RXH_* bits per flow type (ETHTOOL_GRXFH's data), and 0 or the
	 * -errno the driver answered for that flow type (some refuse one). */
	uint64_t fields[OFD_RSS_RB_NFLOWS];
	int32_t fields_err[OFD_RSS_RB_NFLOWS];
};

/*
 * ofd_rss_readback - read ifname's RSS configuration (RSS context 0) with
 * sock, an AF_INET or AF_PACKET socket in the device's namespace (-1: a
 * socket of the caller's namespace is opened and closed here).
 *
 * 0: rb is filled and usable: Toeplitz, no input transform bit beyond
 * sym-xor and sym-or-xor. Else -errno with why[] one line naming the
 * device, the request and the cause, e.g.
 *   "ETHTOOL_GRSSH on eth3: Operation not supported: the device has no RSS"
 * -EOPNOTSUPP for a hash function other than Toeplitz or an input
 * transform bit this code does not know: rb is filled all the same (the
 * raw values, for a report). -E2BIG for a key or table larger than the
 * struct holds. Allocation: one buffer of the table's and key's size
 * during the call.
 */
int ofd_rss_readback(int sock, const char *ifname, struct ofd_rss_readback *rb, char *why,
		     size_t why_len);

#endif /* OFD_RSS_READBACK_H */
