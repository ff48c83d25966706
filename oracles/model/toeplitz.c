// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * toeplitz.c - the RSS hash (ofd_toeplitz.h; kernel-rx.md 6).
 *
 * Definition (Microsoft RSS, and toeplitz() of the kernel's
 * tools/testing/selftests/net/toeplitz.c): for every input bit i that is
 * set, most significant bit of byte 0 first, the result is XORed with the
 * 32 key bits starting at bit i. The hash is linear in the input, which is
 * what the byte tables of the fast form rely on: the contribution of one
 * input byte is the XOR of its set bits' windows, a function of its
 * position and value only.
 */
#include <errno.h>
#include <string.h>

#include "ofd_toeplitz.h"

const uint8_t ofd_rss_key_microsoft[40] = {
	0x6d, 0x5a, 0x56, 0xda, 0x25, 0x5b, 0x0e, 0xc2, 0x41, 0x67,
	0x25, 0x3d, 0x43, 0xa3, 0x8f, 0xb0, 0xd0, 0xca, 0x2b, 0xcb,
	0xae, 0x7b, 0x30, 0xb4, 0x77, 0xcb, 0x2d, 0xa3, 0x80, 0x30,
	0xf2, 0x0c, 0x6a, 0x42, 0xb7, 0x3b, 0xbe, 0xac, 0x01, 0xfa,
};

/* The 32 key bits starting at bit `bit` (key long enough: checked by the
 * callers). */
static uint32_t key_window(const uint8_t *key, size_t bit)
{
	size_t byte = bit / 8, shift = bit % 8;
	uint64_t w = (uint64_t)key[byte] << 32 | (uint64_t)key[byte + 1] << 24 |
		     (uint64_t)key[byte + 2] << 16 | (uint64_t)key[byte + 3] << 8;

	if (shift)
		w |= key[byte + 4];
	return (uint32_t)(w >> (8 - shift));
}

uint32_t ofd_toeplitz(const uint8_t *key, size_t keylen, const uint8_t *in, size_t len)
{
	uint32_t h = 0;
	size_t i;
	int b;

	if (keylen < len + 4)
		return 0;
	for (i = 0; i < len; i++)
		for (b = 0; b < 8; b++)
			if (in[i] & (0x80 >> b))
				h ^= key_window(key, i * 8 + (size_t)b);
	return h;
}

int ofd_toeplitz_init(struct ofd_toeplitz *t, const uint8_t *key, size_t keylen)
{
	uint32_t p, v;
	int b;

	if (keylen < 5 || keylen > OFD_RSS_KEY_MAX)
		return -EINVAL;
	/* byte p's last bit needs key bits up to 8p + 38: byte p + 4 */
	t->npos = (uint32_t)keylen - 4;
	for (p = 0; p < t->npos; p++) {
		uint32_t w[8];

		for (b = 0; b < 8; b++)
			w[b] = key_window(key, p * 8 + (uint32_t)b);
		for (v = 0; v < 256; v++) {
			uint32_t h = 0;

			for (b = 0; b < 8; b++)
				if (v & (0x80u >> b))
					h ^= w[b];
			t->t[p][v] = h;
		}
	}
	return 0;
}

uint32_t ofd_toeplitz_fast(const struct ofd_toeplitz *t, const uint8_t *in, size_t len)
{
	uint32_t h = 0;
	size_t i;

	if (len > t->npos)
		return 0;
	for (i = 0; i < len; i++)
		h ^= t->t[i][in[i]];
	return h;
}

size_t ofd_rss_tuple(const struct ofd_rss_flow *f, uint32_t fields,
		     enum ofd_rss_xfrm xfrm, uint8_t *out)
{
	size_t alen = f->v6 ? 16 : 4, n = 0, i;
	uint8_t s[16], d[16], sp[2], dp[2];

	memcpy(s, f->src, alen);
	memcpy(d, f->dst, alen);
	memcpy(sp, f->sport, 2);
	memcpy(dp, f->dport, 2);
	/* The symmetric transforms make A->B and B->A one input. */
	if (xfrm != OFD_RSS_XFRM_NONE) {
		for (i = 0; i < alen; i++) {
			s[i] = xfrm == OFD_RSS_XFRM_SYM_XOR ? f->src[i] ^ f->dst[i]
							    : f->src[i] | f->dst[i];
			d[i] = f->src[i] ^ f->dst[i];
		}
		for (i = 0; i < 2; i++) {
			sp[i] = xfrm == OFD_RSS_XFRM_SYM_XOR ? f->sport[i] ^ f->dport[i]
							     : f->sport[i] | f->dport[i];
			dp[i] = f->sport[i] ^ f->dport[i];
		}
	}
	if (fields & OFD_RXH_IP_SRC) {
		memcpy(out + n, s, alen);
		n += alen;
	}
	if (fields & OFD_RXH_IP_DST) {
		memcpy(out + n, d, alen);
		n += alen;
	}
	if (fields & OFD_RXH_L4_B_0_1) {
		memcpy(out + n, sp, 2);
		n += 2;
	}
	if (fields & OFD_RXH_L4_B_2_3) {
		memcpy(out + n, dp, 2);
		n += 2;
	}
	return n;
}

void ofd_rss_indir_default(uint32_t *indir, uint32_t n, uint32_t nqueues)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		indir[i] = nqueues ? i % nqueues : 0;
}
