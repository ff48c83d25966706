/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * parse_test_util.h - the frames check_parse.c and check_parse_fields.c
 * parse: small header builders, and one builder per frame with every
 * offset and length in its comment, hand computed from the RFC header
 * sizes (see check_parse.c).
 */
#ifndef PARSE_TEST_UTIL_H
#define PARSE_TEST_UTIL_H

#include <stdint.h>
#include <string.h>

#include "ofd.h"
#include "ofd_test.h"

#define FRAME_MAX 512

/* ------------------------------------------------------------------ */
/* Frame builders                                                      */
/* ------------------------------------------------------------------ */

struct fb {
	uint8_t *b;
	uint32_t n;
};

static inline void fb_u8(struct fb *f, uint8_t v)
{
	ck_assert_uint_lt(f->n, FRAME_MAX);
	f->b[f->n++] = v;
}

static inline void fb_be16(struct fb *f, uint16_t v)
{
	fb_u8(f, (uint8_t)(v >> 8));
	fb_u8(f, (uint8_t)v);
}

static inline void fb_be32(struct fb *f, uint32_t v)
{
	fb_be16(f, (uint16_t)(v >> 16));
	fb_be16(f, (uint16_t)v);
}

static inline void fb_bytes(struct fb *f, const uint8_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		fb_u8(f, p[i]);
}

static inline void fb_fill(struct fb *f, uint8_t v, uint32_t n)
{
	while (n--)
		fb_u8(f, v);
}

static const uint8_t mac_a[6] = { 2, 0, 0, 0, 0, 1 };
static const uint8_t mac_b[6] = { 2, 0, 0, 0, 0, 2 };
static const uint8_t v4_a[4] = { 192, 0, 2, 1 };
static const uint8_t v4_b[4] = { 198, 51, 100, 2 };
static const uint8_t v4_c[4] = { 10, 0, 0, 1 };
static const uint8_t v4_d[4] = { 10, 1, 2, 3 };
static const uint8_t v6_a[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x01 };
static const uint8_t v6_b[16] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 };
/* SRH: Segment List[0] is the final destination, [1] the first hop. */
static const uint8_t seg0[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0xff,
				  [14] = 0x01, [15] = 0x00 };
static const uint8_t seg1[16] = { 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01,
				  [15] = 0x01 };

static inline void b_eth(struct fb *f, uint16_t type)
{
	fb_bytes(f, mac_b, 6);
	fb_bytes(f, mac_a, 6);
	fb_be16(f, type);
}

static inline void b_tag(struct fb *f, uint16_t tci, uint16_t type)
{
	fb_be16(f, tci);
	fb_be16(f, type);
}

/* frag: the whole flags + fragment offset word. */
static inline void b_ipv4(struct fb *f, uint8_t ihl, uint16_t frag,
			  uint8_t proto, const uint8_t *s, const uint8_t *d)
{
	fb_u8(f, (uint8_t)(0x40 | ihl));
	fb_u8(f, 0);
	fb_be16(f, 0);          /* tot_len: the parser must not need it */
	fb_be16(f, 0x1234);     /* id */
	fb_be16(f, frag);
	fb_u8(f, 64);
	fb_u8(f, proto);
	fb_be16(f, 0);
	fb_bytes(f, s, 4);
	fb_bytes(f, d, 4);
	if (ihl > 5)
		fb_fill(f, 0x01, (ihl - 5) * 4u); /* NOP options */
}

static inline void b_ipv6(struct fb *f, uint8_t nh, const uint8_t *s,
			  const uint8_t *d)
{
	fb_be32(f, 0x60000000);
	fb_be16(f, 0);          /* payload_len: not needed either */
	fb_u8(f, nh);
	fb_u8(f, 64);
	fb_bytes(f, s, 16);
	fb_bytes(f, d, 16);
}

/* HBH / DstOpts padded with one PadN option (RFC 8200 4.2). */
static inline void b_opts(struct fb *f, uint8_t nh, uint8_t hdrlen)
{
	uint32_t pad = (hdrlen + 1u) * 8 - 2;

	fb_u8(f, nh);
	fb_u8(f, hdrlen);
	fb_u8(f, 1);
	fb_u8(f, (uint8_t)(pad - 2));
	fb_fill(f, 0, pad - 2);
}

static inline void b_srh(struct fb *f, uint8_t nh, const uint8_t (*segs)[16],
			 uint8_t nseg, uint8_t segleft)
{
	uint8_t i;

	fb_u8(f, nh);
	fb_u8(f, (uint8_t)(2 * nseg));
	fb_u8(f, 4);
	fb_u8(f, segleft);
	fb_u8(f, (uint8_t)(nseg - 1));
	fb_u8(f, 0);
	fb_be16(f, 0);
	for (i = 0; i < nseg; i++)
		fb_bytes(f, segs[i], 16);
}

/* Type 0 routing header with one address: 24 bytes. */
static inline void b_rthdr0(struct fb *f, uint8_t nh)
{
	fb_u8(f, nh);
	fb_u8(f, 2);
	fb_u8(f, 0);
	fb_u8(f, 1);
	fb_be32(f, 0);
	fb_bytes(f, seg0, 16);
}

static inline void b_frag(struct fb *f, uint8_t nh, uint16_t off8, int mf)
{
	fb_u8(f, nh);
	fb_u8(f, 0);
	fb_be16(f, (uint16_t)(off8 << 3 | (mf ? 1 : 0)));
	fb_be32(f, 0xabcd0001);
}

static inline void b_tcp(struct fb *f, uint8_t doff)
{
	fb_be16(f, 40000);
	fb_be16(f, 80);
	fb_be32(f, 1);
	fb_be32(f, 0);
	fb_u8(f, (uint8_t)(doff << 4));
	fb_u8(f, 0x18);
	fb_be16(f, 0xffff);
	fb_be16(f, 0);
	fb_be16(f, 0);
	if (doff > 5)
		fb_fill(f, 0x01, (doff - 5) * 4u);
}

static inline void b_udp(struct fb *f, uint16_t dport)
{
	fb_be16(f, 49152);
	fb_be16(f, dport);
	fb_be16(f, 0);
	fb_be16(f, 0);
}

static inline void b_vxlan(struct fb *f)
{
	fb_be32(f, 0x08000000);
	fb_be32(f, 42 << 8);
}

static inline void b_geneve(struct fb *f, uint8_t optlen, uint16_t proto)
{
	fb_u8(f, optlen);
	fb_u8(f, 0);
	fb_be16(f, proto);
	fb_be32(f, 0x100 << 8);
	fb_fill(f, 0xee, optlen * 4u);
}

#define GRE_C 0x8000
#define GRE_K 0x2000
#define GRE_S 0x1000

static inline void b_gre(struct fb *f, uint16_t flags, uint16_t proto)
{
	fb_be16(f, flags);
	fb_be16(f, proto);
	if (flags & GRE_C)
		fb_be32(f, 0);
	if (flags & GRE_K)
		fb_be32(f, 0x01020304);
	if (flags & GRE_S)
		fb_be32(f, 7);
}

static inline void b_payload(struct fb *f, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		fb_u8(f, (uint8_t)(0xa0 + i));
}

/* One builder per frame; returns the frame length. */
typedef uint32_t (*build_fn)(uint8_t *buf);

#define FRAME(name) static inline uint32_t name(uint8_t *buf)
#define FB struct fb f = { buf, 0 }

/* eth 0/14, ipv4 14/20, tcp 34/20, payload 54/10: 64 */
FRAME(fr_ipv4_tcp)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0, 6, v4_a, v4_b);
	b_tcp(&f, 5);
	b_payload(&f, 10);
	return f.n;
}

/* eth 0/14, ipv4 14/24, tcp 38/32, payload 70/4: 74 */
FRAME(fr_ipv4_opts)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 6, 0, 6, v4_a, v4_b);
	b_tcp(&f, 8);
	b_payload(&f, 4);
	return f.n;
}

/* eth 0/14, vlan 14/4, ipv4 18/20, tcp 38/20: 58 */
FRAME(fr_vlan)
{
	FB;
	b_eth(&f, 0x8100);
	b_tag(&f, 100, 0x0800);
	b_ipv4(&f, 5, 0, 6, v4_a, v4_b);
	b_tcp(&f, 5);
	return f.n;
}

/* eth 0/14, qinq 14/4, vlan 18/4, ipv6 22/40, udp 62/8, payload 70/5: 75 */
FRAME(fr_qinq)
{
	FB;
	b_eth(&f, 0x88a8);
	b_tag(&f, 200, 0x8100);
	b_tag(&f, 100, 0x86dd);
	b_ipv6(&f, 17, v6_a, v6_b);
	b_udp(&f, 53);
	b_payload(&f, 5);
	return f.n;
}

/*
 * eth 0/14, ipv6 14/40, hbh 54/8, dstopts 62/16, srh 78/40 (segments at
 * 86 and 102), tcp 118/20, payload 138/7: 145. The IPv6 destination is
 * Segment List[segments_left = 1], as a sender puts it.
 */
FRAME(fr_srh)
{
	static const uint8_t segs[2][16] = {
		{ 0x20, 0x01, 0x0d, 0xb8, 0x00, 0xff, [14] = 0x01 },
		{ 0x20, 0x01, 0x0d, 0xb8, 0x00, 0x01, [15] = 0x01 },
	};
	FB;
	b_eth(&f, 0x86dd);
	b_ipv6(&f, 0, v6_a, seg1);
	b_opts(&f, 60, 0);
	b_opts(&f, 43, 1);
	b_srh(&f, 6, segs, 2, 1);
	b_tcp(&f, 5);
	b_payload(&f, 7);
	return f.n;
}

/* eth 0/14, ipv6 14/40, srh 54/8 (no segments), tcp 62/20: 82 */
FRAME(fr_srh_empty)
{
	FB;
	b_eth(&f, 0x86dd);
	b_ipv6(&f, 43, v6_a, v6_b);
	b_srh(&f, 6, NULL, 0, 0);
	b_tcp(&f, 5);
	return f.n;
}

/*
 * One segment and a 16-byte PadN TLV (RFC 8754 2.1.1.2, type 4) after it,
 * so the header has room for two addresses but last_entry says one:
 * eth 0/14, ipv6 14/40, srh 54/40 (segment 62, tlv 78/16), tcp 94/20: 114
 */
FRAME(fr_srh_tlv)
{
	FB;
	b_eth(&f, 0x86dd);
	b_ipv6(&f, 43, v6_a, seg0);
	fb_u8(&f, 6);
	fb_u8(&f, 4);
	fb_u8(&f, 4);
	fb_u8(&f, 0);
	fb_u8(&f, 0);   /* last_entry: one segment */
	fb_u8(&f, 0);
	fb_be16(&f, 0);
	fb_bytes(&f, seg0, 16);
	fb_u8(&f, 4);
	fb_u8(&f, 14);
	fb_fill(&f, 0, 14);
	b_tcp(&f, 5);
	return f.n;
}

/* eth 0/14, ipv6 14/40, rthdr 54/24, udp 78/8, payload 86/4: 90 */
FRAME(fr_rthdr0)
{
	FB;
	b_eth(&f, 0x86dd);
	b_ipv6(&f, 43, v6_a, v6_b);
	b_rthdr0(&f, 17);
	b_udp(&f, 53);
	b_payload(&f, 4);
	return f.n;
}

/* eth 0/14, ipv6 14/40, frag 54/8, udp 62/8, payload 70/6: 76 */
FRAME(fr_frag_first)
{
	FB;
	b_eth(&f, 0x86dd);
	b_ipv6(&f, 44, v6_a, v6_b);
	b_frag(&f, 17, 0, 1);
	b_udp(&f, 53);
	b_payload(&f, 6);
	return f.n;
}

/* eth 0/14, ipv6 14/40, frag 54/8, payload 62/16: 78 */
FRAME(fr_frag_later)
{
	FB;
	b_eth(&f, 0x86dd);
	b_ipv6(&f, 44, v6_a, v6_b);
	b_frag(&f, 17, 185, 0);
	b_payload(&f, 16);
	return f.n;
}

/* MF set, offset 0: eth 0/14, ipv4 14/20, udp 34/8, payload 42/4: 46 */
FRAME(fr_v4frag_first)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0x2000, 17, v4_a, v4_b);
	b_udp(&f, 53);
	b_payload(&f, 4);
	return f.n;
}

/* offset 185 (1480 bytes): eth 0/14, ipv4 14/20, payload 34/12: 46 */
FRAME(fr_v4frag_later)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 185, 17, v4_a, v4_b);
	b_payload(&f, 12);
	return f.n;
}

/*
 * eth 0/14, ipv4 14/20, udp 34/8, vxlan 42/8 | eth 50/14, ipv4 64/20,
 * tcp 84/20, payload 104/3: 107
 */
FRAME(fr_vxlan)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0, 17, v4_a, v4_b);
	b_udp(&f, 4789);
	b_vxlan(&f);
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0, 6, v4_c, v4_d);
	b_tcp(&f, 5);
	b_payload(&f, 3);
	return f.n;
}

/*
 * eth 0/14, ipv6 14/40, udp 54/8, geneve 62/16 | ipv4 78/20, udp 98/8,
 * payload 106/4: 110
 */
FRAME(fr_geneve)
{
	FB;
	b_eth(&f, 0x86dd);
	b_ipv6(&f, 17, v6_a, v6_b);
	b_udp(&f, 6081);
	b_geneve(&f, 2, 0x0800);
	b_ipv4(&f, 5, 0, 17, v4_c, v4_d);
	b_udp(&f, 53);
	b_payload(&f, 4);
	return f.n;
}

/*
 * eth 0/14, ipv4 14/20, udp 34/8, geneve 42/8 | eth 50/14, ipv6 64/40,
 * icmpv6 104/8, payload 112/8: 120
 */
FRAME(fr_geneve_eth)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0, 17, v4_a, v4_b);
	b_udp(&f, 6081);
	b_geneve(&f, 0, 0x6558);
	b_eth(&f, 0x86dd);
	b_ipv6(&f, 58, v6_a, v6_b);
	fb_u8(&f, 128); /* echo request */
	fb_u8(&f, 0);
	fb_be16(&f, 0);
	fb_be32(&f, 0x00010001);
	b_payload(&f, 8);
	return f.n;
}

/* eth 0/14, ipv4 14/20, gre 34/8 | ipv4 42/20, udp 62/8, payload 70/6: 76 */
FRAME(fr_gre_key)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0, 47, v4_a, v4_b);
	b_gre(&f, GRE_K, 0x0800);
	b_ipv4(&f, 5, 0, 17, v4_c, v4_d);
	b_udp(&f, 53);
	b_payload(&f, 6);
	return f.n;
}

/* Same offsets as fr_gre_key, the 4 extra bytes being checksum+reserved. */
FRAME(fr_gre_csum)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0, 47, v4_a, v4_b);
	b_gre(&f, GRE_C, 0x0800);
	b_ipv4(&f, 5, 0, 17, v4_c, v4_d);
	b_udp(&f, 53);
	b_payload(&f, 6);
	return f.n;
}

/*
 * eth 0/14, ipv6 14/40, gre 54/16 (csum 58, reserved1 60, key 62, seq 66)
 * | eth 70/14, ipv4 84/20, tcp 104/20: 124
 */
FRAME(fr_gre_teb)
{
	FB;
	b_eth(&f, 0x86dd);
	b_ipv6(&f, 47, v6_a, v6_b);
	b_gre(&f, GRE_C | GRE_K | GRE_S, 0x6558);
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0, 6, v4_c, v4_d);
	b_tcp(&f, 5);
	return f.n;
}

/* GRE version 1 (PPTP): eth 0/14, ipv4 14/20, payload 34/12: 46 */
FRAME(fr_gre_v1)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0, 47, v4_a, v4_b);
	b_gre(&f, GRE_K | 0x0001, 0x880b);
	b_payload(&f, 4);
	return f.n;
}

/* eth 0/14, ipv4 14/20 | ipv4 34/20, tcp 54/20, payload 74/2: 76 */
FRAME(fr_ipip)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0, 4, v4_a, v4_b);
	b_ipv4(&f, 5, 0, 6, v4_c, v4_d);
	b_tcp(&f, 5);
	b_payload(&f, 2);
	return f.n;
}

/* eth 0/14, ipv4 14/20 | ipv6 34/40, udp 74/8: 82 */
FRAME(fr_6in4)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0, 41, v4_a, v4_b);
	b_ipv6(&f, 17, v6_a, v6_b);
	b_udp(&f, 53);
	return f.n;
}

/* eth 0/14, ipv4 14/20, sctp 34/12, payload 46/16: 62 */
FRAME(fr_sctp)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0, 132, v4_a, v4_b);
	fb_be16(&f, 5000);
	fb_be16(&f, 5001);
	fb_be32(&f, 0xdeadbeef);
	fb_be32(&f, 0);
	b_payload(&f, 16);
	return f.n;
}

/* eth 0/14, ipv4 14/20, icmp 34/8, payload 42/4: 46 */
FRAME(fr_icmp)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0, 1, v4_a, v4_b);
	fb_u8(&f, 8);
	fb_u8(&f, 0);
	fb_be16(&f, 0);
	fb_be32(&f, 0x00010001);
	b_payload(&f, 4);
	return f.n;
}

/* ARP: eth 0/14, payload 14/28: 42 */
FRAME(fr_arp)
{
	FB;
	b_eth(&f, 0x0806);
	b_payload(&f, 28);
	return f.n;
}

/* ESP (50): eth 0/14, ipv4 14/20, payload 34/8: 42 */
FRAME(fr_esp)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0, 50, v4_a, v4_b);
	b_payload(&f, 8);
	return f.n;
}

/* IPv6 no next header (59): eth 0/14, ipv6 14/40, payload 54/4: 58 */
FRAME(fr_nonext)
{
	FB;
	b_eth(&f, 0x86dd);
	b_ipv6(&f, 59, v6_a, v6_b);
	b_payload(&f, 4);
	return f.n;
}

/* ihl 4: eth 0/14 and nothing else: 14 + 16 + 20 = 50 */
FRAME(fr_bad_ihl)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 4, 0, 6, v4_a, v4_b);
	b_tcp(&f, 5);
	return f.n;
}

/* doff 4: eth 0/14, ipv4 14/20: 54 */
FRAME(fr_bad_doff)
{
	FB;
	b_eth(&f, 0x0800);
	b_ipv4(&f, 5, 0, 6, v4_a, v4_b);
	b_tcp(&f, 4);
	return f.n;
}

/* fr_ipv4_tcp cut 6 bytes into the TCP header: 40 */
FRAME(fr_trunc_tcp)
{
	fr_ipv4_tcp(buf);
	return 40;
}

#endif
