/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * corpus_test_util.h - what check_corpus_gen.c (the corpus files and the
 * CLI) and check_randcase.c (the random case generator) share: checksums
 * recomputed by plain 16-bit summation and a bitwise CRC32c over layers
 * the parser located, and the routing-header shapes both must contain.
 */
#ifndef CORPUS_TEST_UTIL_H
#define CORPUS_TEST_UTIL_H

#include <stddef.h>
#include <stdint.h>

#include "ofd.h"
#include "ofd_parse.h"
#include "ofd_test.h"

/* ---- independent arithmetic -------------------------------------- */

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t crc32c_bitwise(const uint8_t *p, size_t n,
				      size_t zero_at)
{
	uint32_t crc = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= i >= zero_at && i < zero_at + 4 ? 0 : p[i];
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
	}
	return ~crc;
}

/* The IP layer of layer i's packet (same depth, walking back), and the
 * RFC 8200 8.1 final destination when a routing header with segments left
 * lies between (the last such header: SRH Segment List[0], types 0 and 2
 * their last address; segments left 0: the Destination Address, as the
 * live kernel's receive path validates). -1 if none. */
static inline int ip_of(const struct ofd_parsed *p, int i, const uint8_t *d,
			const uint8_t **dst6)
{
	int j;

	*dst6 = NULL;
	for (j = i - 1; j >= 0 && p->layer[j].depth == p->layer[i].depth; j--) {
		const uint8_t *rh = d + p->layer[j].off;

		if ((p->layer[j].proto == OFD_P_SRH ||
		     p->layer[j].proto == OFD_P_RTHDR) && !*dst6 && rh[3]) {
			if (rh[2] == 4)
				*dst6 = rh + 8;
			else if (rh[2] == 0 || rh[2] == 2)
				*dst6 = rh + 8 + 16 * (rh[1] / 2 - 1);
		}
		if (p->layer[j].proto == OFD_P_IPV4 ||
		    p->layer[j].proto == OFD_P_IPV6)
			return j;
	}
	return -1;
}

/* Where the IP datagram of layer ip ends by its length field. */
static inline uint32_t ip_end(const uint8_t *d, const struct ofd_layer *ip)
{
	const uint8_t *h = d + ip->off;

	return h[0] >> 4 == 4 ? ip->off + rd16(h + 2) :
				ip->off + 40u + rd16(h + 4);
}

static inline uint32_t pseudo(const uint8_t *ip, const uint8_t *dst6,
			      uint32_t l4len, uint8_t proto)
{
	uint32_t acc;

	if (ip[0] >> 4 == 4)
		return ofd_test_sum(ip + 12, 8, 0) + proto + l4len;
	acc = ofd_test_sum(ip + 8, 16, 0);
	acc = ofd_test_sum(dst6 ? dst6 : ip + 24, 16, acc);
	return acc + (l4len >> 16) + (l4len & 0xffff) + proto;
}

static inline uint8_t pseudo_proto(uint8_t proto)
{
	return proto == OFD_P_TCP ? 6 : proto == OFD_P_UDP ? 17 : 58;
}

/* Sum of pseudo-header + L4 bytes to the frame end (the kernel's range),
 * with the 16-bit field at fo counted as `field`. */
static inline uint16_t l4_fold(const uint8_t *d, uint32_t len,
			       const struct ofd_parsed *p, int i, int fo,
			       uint16_t field)
{
	const struct ofd_layer *l = &p->layer[i];
	const uint8_t *dst6;
	uint32_t acc = 0;
	int ip = ip_of(p, i, d, &dst6);

	ck_assert_int_ge(ip, 0);
	if (l->proto != OFD_P_ICMP)
		acc = pseudo(d + p->layer[ip].off, dst6,
			     ip_end(d, &p->layer[ip]) - l->off,
			     pseudo_proto(l->proto));
	acc = ofd_test_sum(d + l->off, (size_t)fo, acc);
	acc += field;
	acc = ofd_test_sum(d + l->off + fo + 2, len - l->off - (uint32_t)fo - 2, acc);
	return ofd_test_fold(acc);
}

static inline int csum_off(uint8_t proto)
{
	switch (proto) {
	case OFD_P_TCP: return 16;
	case OFD_P_UDP: return 6;
	case OFD_P_ICMP:
	case OFD_P_ICMPV6: return 2;
	default: return -1;
	}
}

/* ---- routing shapes (srh-final.pcap, random cases) --------------- */

/* Routing-header shapes in a parsed frame. */
enum { RS_SRH_SL0_DA_OTHER, RS_SRH_SL_DA_OTHER, RS_T0_SL0, RS_T0_SL, RS_T2,
       RS_T3, RS_TWO, RS__N };

static const char *const rs_names[RS__N] = {
	"SRH segments-left 0, DA != Segment List[0]",
	"SRH segments-left > 0, DA != Segment List[segments left]",
	"type 0, segments left 0", "type 0, segments left > 0", "type 2",
	"type 3", "two routing headers",
};

/* Marks the shapes of d in seen[]; returns the index of an SRH with
 * segments left 0 and DA != Segment List[0], or -1. */
static inline int rs_shapes(const uint8_t *d, const struct ofd_parsed *p,
			    unsigned int *seen)
{
	unsigned int i, nrh = 0;
	int ip = -1, hit = -1;

	for (i = 0; i < p->nlayers; i++) {
		const uint8_t *rh = d + p->layer[i].off;

		if (p->layer[i].proto == OFD_P_IPV6)
			ip = (int)i;
		if (p->layer[i].proto != OFD_P_SRH && p->layer[i].proto != OFD_P_RTHDR)
			continue;
		nrh++;
		if (rh[2] == 4 && ip >= 0) {
			const uint8_t *da = d + p->layer[ip].off + 24;

			if (!rh[3] && memcmp(da, rh + 8, 16)) {
				seen[RS_SRH_SL0_DA_OTHER]++;
				hit = (int)i;
			}
			if (rh[3] && memcmp(da, rh + 8 + 16 * rh[3], 16))
				seen[RS_SRH_SL_DA_OTHER]++;
		} else if (rh[2] == 0) {
			seen[rh[3] ? RS_T0_SL : RS_T0_SL0]++;
		} else if (rh[2] == 2) {
			seen[RS_T2]++;
		} else if (rh[2] == 3) {
			seen[RS_T3]++;
		}
	}
	if (nrh > 1)
		seen[RS_TWO]++;
	return hit;
}

#endif
