/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_toeplitz.h - the RSS hash functions NICs implement (kernel-rx.md 6):
 * Toeplitz over a tuple in wire byte order with a key of at least the
 * input length + 4 bytes, the symmetric input transforms ethtool offers
 * (RXH_XFRM_SYM_XOR, RXH_XFRM_SYM_OR_XOR), the tuple as ethtool's
 * rx-flow-hash fields select it, and the indirection table to a queue.
 *
 * Two forms of one function: ofd_toeplitz() walks the bits as the
 * definition does (the selftest's toeplitz()), ofd_toeplitz_fast() uses a
 * per-key table of the window XORs for each byte value at each input
 * position (keylen - 3 positions x 256 entries), which a campaign builds
 * once per key. Tests hold the two to each other and to Microsoft's
 * verification vectors.
 */
#ifndef OFD_TOEPLITZ_H
#define OFD_TOEPLITZ_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define OFD_RSS_KEY_MAX 64     /* ethtool keys are 40-60 bytes; the kernel's 52 */
#define OFD_RSS_TUPLE_MAX 36   /* IPv6 src | dst | sport | dport */
#define OFD_RSS_INDIR_MAX 512

/* Microsoft's verification key (the RSS spec's 40-byte sample key). */
extern const uint8_t ofd_rss_key_microsoft[40];

/* Toeplitz of len bytes of in under key (keylen >= len + 4): the
 * definition, bit by bit. 0 when the key is too short. */
uint32_t ofd_toeplitz(const uint8_t *key, size_t keylen, const uint8_t *in, size_t len);

/* A key's tables for ofd_toeplitz_fast (about 60 KB: allocate it once). */
struct ofd_toeplitz {
	uint32_t npos;                           /* input bytes it can hash */
	uint32_t t[OFD_RSS_KEY_MAX - 3][256];
};
/* 0, or -EINVAL for a key shorter than 5 or longer than OFD_RSS_KEY_MAX. */
int ofd_toeplitz_init(struct ofd_toeplitz *t, const uint8_t *key, size_t keylen);
/* Equal to ofd_toeplitz() for len <= t->npos; 0 past it. */
uint32_t ofd_toeplitz_fast(const struct ofd_toeplitz *t, const uint8_t *in, size_t len);

/* What the hash takes (ethtool rx-flow-hash, RXH_* of uapi ethtool.h). */
#define OFD_RXH_IP_SRC (1u << 4)
#define OFD_RXH_IP_DST (1u << 5)
#define OFD_RXH_L4_B_0_1 (1u << 6)   /* source port */
#define OFD_RXH_L4_B_2_3 (1u << 7)   /* destination port */

/* ethtool's input_xfrm (Documentation/networking/scaling.rst). */
enum ofd_rss_xfrm {
	OFD_RSS_XFRM_NONE = 0,
	OFD_RSS_XFRM_SYM_XOR,     /* sip^dip, sip^dip, sp^dp, sp^dp */
	OFD_RSS_XFRM_SYM_OR_XOR,  /* sip|dip, sip^dip, sp|dp, sp^dp */
};

/* A flow as RSS sees it, addresses and ports in wire byte order. */
struct ofd_rss_flow {
	bool v6;
	uint8_t src[16], dst[16];  /* IPv4: the first 4 bytes */
	uint8_t sport[2], dport[2];
};

/* The hash input for flow f under fields (OFD_RXH_*) and xfrm into out
 * (OFD_RSS_TUPLE_MAX bytes): src | dst | sport | dport, each part present
 * only when its field is selected. Returns the input length. */
size_t ofd_rss_tuple(const struct ofd_rss_flow *f, uint32_t fields,
		     enum ofd_rss_xfrm xfrm, uint8_t *out);

/* The queue of hash h through an indirection table of n entries
 * (indexed by the hash's low bits: n a power of two, as NICs size it). */
static inline uint32_t ofd_rss_queue(const uint32_t *indir, uint32_t n, uint32_t h)
{
	return n ? indir[h & (n - 1)] : 0;
}

/* ethtool_rxfh_indir_default: entry i is i % nqueues. */
void ofd_rss_indir_default(uint32_t *indir, uint32_t n, uint32_t nqueues);

#endif
