// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_parse.c - the packet parser (harness/packet/parse.c).
 *
 * Frames are built here by small header builders; every expected offset,
 * length, index and path in the tables below is hand computed from the
 * header sizes the RFCs give (Ethernet 14, tag 4, IPv4 ihl*4, IPv6 40,
 * extension headers (hdrlen + 1) * 8, fragment 8, TCP doff*4, UDP 8, SCTP
 * 12, ICMP 8, VXLAN 8, GENEVE 8 + optlen*4, GRE 4 + 4 per C/K/S bit).
 *
 * Cases:
 *  layers    - one row per frame: layers (proto, depth, offset, length),
 *              stop reason, l3/l4/outer indices and the path. Covers plain
 *              IPv4/TCP, IPv4 options + TCP options, VLAN, QinQ, IPv6 with
 *              HBH + DstOpts + SRH, a type 0 routing header, IPv6 and IPv4
 *              first/non-first fragments, VXLAN, GENEVE (options, inner IP
 *              and inner Ethernet), GRE (key; checksum; C+K+S with TEB),
 *              IPIP, 6in4, SCTP, ICMP, no-next-header, unknown ethertype and
 *              IP protocol, GRE version 1, malformed ihl/doff, a truncated
 *              TCP header, and the NO_EXTHDR / NO_TUNNEL flags.
 *  too_deep  - 30 VLAN tags: 23 headers, then the rest as payload.
 *  truncate  - every truncation 0..len of six complex frames, each in a
 *              buffer of exactly that size (ASan sees any overread): the
 *              result is the full parse's prefix, TRUNCATED when the cut
 *              is inside a header; field_at and path work on every byte.
 *  pseudo    - pseudo-header sums checked against a hand-coded RFC 1071
 *              summation: IPv4/TCP, IPv6/UDP, VXLAN inner vs outer, ICMPv6,
 *              and the SRH final destination (Segment List[0]) vs the IPv6
 *              destination (use_ipv6_dst), each by making a checksum with
 *              one address and verifying it through the parser's sum.
 *  pseudo_err - -EINVAL (no L4 / not an L4 with a pseudo-header) and
 *              -EBADMSG (SRH without segments, addresses past len).
 *  field_at / field_find - named fields, payload[+N], trailer[+N].
 *  path / names - snprintf semantics and every protocol name.
 */
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_parse.h"
#include "ofd_test.h"

#define FRAME_MAX 512

/* ------------------------------------------------------------------ */
/* Frame builders                                                      */
/* ------------------------------------------------------------------ */

struct fb {
	uint8_t *b;
	uint32_t n;
};

static void fb_u8(struct fb *f, uint8_t v)
{
	ck_assert_uint_lt(f->n, FRAME_MAX);
	f->b[f->n++] = v;
}

static void fb_be16(struct fb *f, uint16_t v)
{
	fb_u8(f, (uint8_t)(v >> 8));
	fb_u8(f, (uint8_t)v);
}

static void fb_be32(struct fb *f, uint32_t v)
{
	fb_be16(f, (uint16_t)(v >> 16));
	fb_be16(f, (uint16_t)v);
}

static void fb_bytes(struct fb *f, const uint8_t *p, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		fb_u8(f, p[i]);
}

static void fb_fill(struct fb *f, uint8_t v, uint32_t n)
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

static void b_eth(struct fb *f, uint16_t type)
{
	fb_bytes(f, mac_b, 6);
	fb_bytes(f, mac_a, 6);
	fb_be16(f, type);
}

static void b_tag(struct fb *f, uint16_t tci, uint16_t type)
{
	fb_be16(f, tci);
	fb_be16(f, type);
}

/* frag: the whole flags + fragment offset word. */
static void b_ipv4(struct fb *f, uint8_t ihl, uint16_t frag, uint8_t proto,
		   const uint8_t *s, const uint8_t *d)
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

static void b_ipv6(struct fb *f, uint8_t nh, const uint8_t *s,
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
static void b_opts(struct fb *f, uint8_t nh, uint8_t hdrlen)
{
	uint32_t pad = (hdrlen + 1u) * 8 - 2;

	fb_u8(f, nh);
	fb_u8(f, hdrlen);
	fb_u8(f, 1);
	fb_u8(f, (uint8_t)(pad - 2));
	fb_fill(f, 0, pad - 2);
}

static void b_srh(struct fb *f, uint8_t nh, const uint8_t (*segs)[16],
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
static void b_rthdr0(struct fb *f, uint8_t nh)
{
	fb_u8(f, nh);
	fb_u8(f, 2);
	fb_u8(f, 0);
	fb_u8(f, 1);
	fb_be32(f, 0);
	fb_bytes(f, seg0, 16);
}

static void b_frag(struct fb *f, uint8_t nh, uint16_t off8, int mf)
{
	fb_u8(f, nh);
	fb_u8(f, 0);
	fb_be16(f, (uint16_t)(off8 << 3 | (mf ? 1 : 0)));
	fb_be32(f, 0xabcd0001);
}

static void b_tcp(struct fb *f, uint8_t doff)
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

static void b_udp(struct fb *f, uint16_t dport)
{
	fb_be16(f, 49152);
	fb_be16(f, dport);
	fb_be16(f, 0);
	fb_be16(f, 0);
}

static void b_vxlan(struct fb *f)
{
	fb_be32(f, 0x08000000);
	fb_be32(f, 42 << 8);
}

static void b_geneve(struct fb *f, uint8_t optlen, uint16_t proto)
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

static void b_gre(struct fb *f, uint16_t flags, uint16_t proto)
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

static void b_payload(struct fb *f, uint32_t n)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		fb_u8(f, (uint8_t)(0xa0 + i));
}

/* One builder per frame; returns the frame length. */
typedef uint32_t (*build_fn)(uint8_t *buf);

#define FRAME(name) static uint32_t name(uint8_t *buf)
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

/* ------------------------------------------------------------------ */
/* Layer tables                                                        */
/* ------------------------------------------------------------------ */

struct exp_layer {
	uint8_t proto, depth;
	uint32_t off, len;
};

#define L(p, d, o, l) { OFD_P_##p, d, o, l }
#define MAXL 10

struct layer_case {
	const char *name;
	build_fn build;
	unsigned int flags;
	uint8_t stop;
	int l3, l4, outer_l3, outer_l4;
	const char *path;
	uint32_t n;
	struct exp_layer l[MAXL];
};

static const struct layer_case layer_cases[] = {
	{ "ipv4_tcp", fr_ipv4_tcp, 0, OFD_STOP_END, 1, 2, 1, 2, "ipv4/tcp", 4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(TCP, 0, 34, 20),
	    L(PAYLOAD, 0, 54, 10) } },
	{ "ipv4_opts", fr_ipv4_opts, 0, OFD_STOP_END, 1, 2, 1, 2, "ipv4/tcp",
	  4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 24), L(TCP, 0, 38, 32),
	    L(PAYLOAD, 0, 70, 4) } },
	{ "vlan", fr_vlan, 0, OFD_STOP_END, 2, 3, 2, 3, "vlan/ipv4/tcp", 4,
	  { L(ETH, 0, 0, 14), L(VLAN, 0, 14, 4), L(IPV4, 0, 18, 20),
	    L(TCP, 0, 38, 20) } },
	{ "qinq", fr_qinq, 0, OFD_STOP_END, 3, 4, 3, 4, "qinq/vlan/ipv6/udp",
	  6,
	  { L(ETH, 0, 0, 14), L(QINQ, 0, 14, 4), L(VLAN, 0, 18, 4),
	    L(IPV6, 0, 22, 40), L(UDP, 0, 62, 8), L(PAYLOAD, 0, 70, 5) } },
	{ "srh", fr_srh, 0, OFD_STOP_END, 1, 5, 1, 5,
	  "ipv6/hbh/dstopts/srh/tcp", 7,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(HBH, 0, 54, 8),
	    L(DSTOPTS, 0, 62, 16), L(SRH, 0, 78, 40), L(TCP, 0, 118, 20),
	    L(PAYLOAD, 0, 138, 7) } },
	{ "srh_tlv", fr_srh_tlv, 0, OFD_STOP_END, 1, 3, 1, 3, "ipv6/srh/tcp",
	  4,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(SRH, 0, 54, 40),
	    L(TCP, 0, 94, 20) } },
	{ "rthdr0", fr_rthdr0, 0, OFD_STOP_END, 1, 3, 1, 3, "ipv6/rthdr/udp",
	  5,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(RTHDR, 0, 54, 24),
	    L(UDP, 0, 78, 8), L(PAYLOAD, 0, 86, 4) } },
	{ "frag_first", fr_frag_first, 0, OFD_STOP_END, 1, 3, 1, 3,
	  "ipv6/frag/udp", 5,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(FRAG, 0, 54, 8),
	    L(UDP, 0, 62, 8), L(PAYLOAD, 0, 70, 6) } },
	{ "frag_later", fr_frag_later, 0, OFD_STOP_FRAGMENT, 1, -1, 1, -1,
	  "ipv6/frag", 4,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(FRAG, 0, 54, 8),
	    L(PAYLOAD, 0, 62, 16) } },
	{ "v4frag_first", fr_v4frag_first, 0, OFD_STOP_END, 1, 2, 1, 2,
	  "ipv4/udp", 4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(UDP, 0, 34, 8),
	    L(PAYLOAD, 0, 42, 4) } },
	{ "v4frag_later", fr_v4frag_later, 0, OFD_STOP_FRAGMENT, 1, -1, 1, -1,
	  "ipv4", 3,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(PAYLOAD, 0, 34, 12) } },
	{ "vxlan", fr_vxlan, 0, OFD_STOP_END, 5, 6, 1, 2,
	  "ipv4/udp/vxlan/eth/ipv4/tcp", 8,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(UDP, 0, 34, 8),
	    L(VXLAN, 0, 42, 8), L(ETH, 1, 50, 14), L(IPV4, 1, 64, 20),
	    L(TCP, 1, 84, 20), L(PAYLOAD, 1, 104, 3) } },
	{ "geneve", fr_geneve, 0, OFD_STOP_END, 4, 5, 1, 2,
	  "ipv6/udp/geneve/ipv4/udp", 7,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(UDP, 0, 54, 8),
	    L(GENEVE, 0, 62, 16), L(IPV4, 1, 78, 20), L(UDP, 1, 98, 8),
	    L(PAYLOAD, 1, 106, 4) } },
	{ "geneve_eth", fr_geneve_eth, 0, OFD_STOP_END, 5, 6, 1, 2,
	  "ipv4/udp/geneve/eth/ipv6/icmpv6", 8,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(UDP, 0, 34, 8),
	    L(GENEVE, 0, 42, 8), L(ETH, 1, 50, 14), L(IPV6, 1, 64, 40),
	    L(ICMPV6, 1, 104, 8), L(PAYLOAD, 1, 112, 8) } },
	{ "gre_key", fr_gre_key, 0, OFD_STOP_END, 3, 4, 1, 4,
	  "ipv4/gre/ipv4/udp", 6,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(GRE, 0, 34, 8),
	    L(IPV4, 1, 42, 20), L(UDP, 1, 62, 8), L(PAYLOAD, 1, 70, 6) } },
	{ "gre_csum", fr_gre_csum, 0, OFD_STOP_END, 3, 4, 1, 4,
	  "ipv4/gre/ipv4/udp", 6,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(GRE, 0, 34, 8),
	    L(IPV4, 1, 42, 20), L(UDP, 1, 62, 8), L(PAYLOAD, 1, 70, 6) } },
	{ "gre_teb", fr_gre_teb, 0, OFD_STOP_END, 4, 5, 1, 5,
	  "ipv6/gre/eth/ipv4/tcp", 6,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(GRE, 0, 54, 16),
	    L(ETH, 1, 70, 14), L(IPV4, 1, 84, 20), L(TCP, 1, 104, 20) } },
	{ "gre_v1", fr_gre_v1, 0, OFD_STOP_UNKNOWN, 1, -1, 1, -1, "ipv4", 3,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(PAYLOAD, 0, 34, 12) } },
	{ "ipip", fr_ipip, 0, OFD_STOP_END, 2, 3, 1, 3, "ipv4/ipv4/tcp", 5,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(IPV4, 1, 34, 20),
	    L(TCP, 1, 54, 20), L(PAYLOAD, 1, 74, 2) } },
	{ "6in4", fr_6in4, 0, OFD_STOP_END, 2, 3, 1, 3, "ipv4/ipv6/udp", 4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(IPV6, 1, 34, 40),
	    L(UDP, 1, 74, 8) } },
	{ "sctp", fr_sctp, 0, OFD_STOP_END, 1, 2, 1, 2, "ipv4/sctp", 4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(SCTP, 0, 34, 12),
	    L(PAYLOAD, 0, 46, 16) } },
	{ "icmp", fr_icmp, 0, OFD_STOP_END, 1, 2, 1, 2, "ipv4/icmp", 4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(ICMP, 0, 34, 8),
	    L(PAYLOAD, 0, 42, 4) } },
	{ "arp", fr_arp, 0, OFD_STOP_UNKNOWN, -1, -1, -1, -1, "", 2,
	  { L(ETH, 0, 0, 14), L(PAYLOAD, 0, 14, 28) } },
	{ "esp", fr_esp, 0, OFD_STOP_UNKNOWN, 1, -1, 1, -1, "ipv4", 3,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(PAYLOAD, 0, 34, 8) } },
	{ "nonext", fr_nonext, 0, OFD_STOP_END, 1, -1, 1, -1, "ipv6", 3,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(PAYLOAD, 0, 54, 4) } },
	{ "bad_ihl", fr_bad_ihl, 0, OFD_STOP_MALFORMED, -1, -1, -1, -1, "",
	  1, { L(ETH, 0, 0, 14) } },
	{ "bad_doff", fr_bad_doff, 0, OFD_STOP_MALFORMED, 1, -1, 1, -1,
	  "ipv4", 2, { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20) } },
	{ "trunc_tcp", fr_trunc_tcp, 0, OFD_STOP_TRUNCATED, 1, -1, 1, -1,
	  "ipv4", 2, { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20) } },
	/* A device that does not parse IPv6 extension headers. */
	{ "srh_noext", fr_srh, OFD_PARSE_NO_EXTHDR, OFD_STOP_UNKNOWN, 1, -1, 1,
	  -1, "ipv6", 3,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(PAYLOAD, 0, 54, 91) } },
	{ "frag_noext", fr_frag_first, OFD_PARSE_NO_EXTHDR, OFD_STOP_UNKNOWN,
	  1, -1, 1, -1, "ipv6", 3,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(PAYLOAD, 0, 54, 22) } },
	{ "qinq_noext", fr_qinq, OFD_PARSE_NO_EXTHDR, OFD_STOP_END, 3, 4, 3, 4,
	  "qinq/vlan/ipv6/udp", 6,
	  { L(ETH, 0, 0, 14), L(QINQ, 0, 14, 4), L(VLAN, 0, 18, 4),
	    L(IPV6, 0, 22, 40), L(UDP, 0, 62, 8), L(PAYLOAD, 0, 70, 5) } },
	/* A device that does not look into tunnels. */
	{ "vxlan_notun", fr_vxlan, OFD_PARSE_NO_TUNNEL, OFD_STOP_END, 1, 2, 1,
	  2, "ipv4/udp/vxlan", 5,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(UDP, 0, 34, 8),
	    L(VXLAN, 0, 42, 8), L(PAYLOAD, 0, 50, 57) } },
	{ "geneve_notun", fr_geneve, OFD_PARSE_NO_TUNNEL, OFD_STOP_END, 1, 2,
	  1, 2, "ipv6/udp/geneve", 5,
	  { L(ETH, 0, 0, 14), L(IPV6, 0, 14, 40), L(UDP, 0, 54, 8),
	    L(GENEVE, 0, 62, 16), L(PAYLOAD, 0, 78, 32) } },
	{ "gre_notun", fr_gre_key, OFD_PARSE_NO_TUNNEL, OFD_STOP_END, 1, -1,
	  1, -1, "ipv4/gre", 4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(GRE, 0, 34, 8),
	    L(PAYLOAD, 0, 42, 34) } },
	{ "ipip_notun", fr_ipip, OFD_PARSE_NO_TUNNEL, OFD_STOP_END, 1, -1, 1,
	  -1, "ipv4", 3,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(PAYLOAD, 0, 34, 42) } },
	{ "ipv4_tcp_notun", fr_ipv4_tcp, OFD_PARSE_NO_TUNNEL, OFD_STOP_END, 1,
	  2, 1, 2, "ipv4/tcp", 4,
	  { L(ETH, 0, 0, 14), L(IPV4, 0, 14, 20), L(TCP, 0, 34, 20),
	    L(PAYLOAD, 0, 54, 10) } },
};

START_TEST(test_layers)
{
	const struct layer_case *c = &layer_cases[_i];
	uint8_t buf[FRAME_MAX];
	struct ofd_parsed p;
	char path[128];
	uint32_t len, i;

	len = c->build(buf);
	ofd_parse(buf, len, c->flags, &p);
	ck_assert_msg(p.stop == c->stop, "%s: stop %u, want %u", c->name,
		      p.stop, c->stop);
	ck_assert_msg(p.nlayers == c->n, "%s: %u layers, want %u", c->name,
		      p.nlayers, c->n);
	for (i = 0; i < c->n; i++) {
		const struct exp_layer *e = &c->l[i];
		const struct ofd_layer *l = &p.layer[i];

		ck_assert_msg(l->proto == e->proto && l->depth == e->depth &&
				      l->off == e->off && l->len == e->len,
			      "%s: layer %u is %s d%u %u/%u, want %s d%u %u/%u",
			      c->name, i, ofd_proto_name(l->proto), l->depth,
			      l->off, l->len, ofd_proto_name(e->proto),
			      e->depth, e->off, e->len);
	}
	ck_assert_int_eq(p.l3, c->l3);
	ck_assert_int_eq(p.l4, c->l4);
	ck_assert_int_eq(p.outer_l3, c->outer_l3);
	ck_assert_int_eq(p.outer_l4, c->outer_l4);
	ck_assert_int_eq(ofd_parse_path(&p, path, sizeof(path)),
			 (int)strlen(c->path));
	ck_assert_str_eq(path, c->path);
}
END_TEST

/* 30 tags: eth + 22 tags fill 23 slots, the last slot is the payload. */
START_TEST(test_too_deep)
{
	uint8_t buf[FRAME_MAX];
	struct fb f = { buf, 0 };
	struct ofd_parsed p;
	uint32_t i;

	b_eth(&f, 0x8100);
	for (i = 0; i < 30; i++)
		b_tag(&f, (uint16_t)i, 0x8100);
	b_payload(&f, 10);
	ck_assert_uint_eq(f.n, 14 + 120 + 10);

	ofd_parse(buf, f.n, 0, &p);
	ck_assert_uint_eq(p.stop, OFD_STOP_TOO_DEEP);
	ck_assert_uint_eq(p.nlayers, OFD_PARSE_MAX_LAYERS);
	ck_assert_uint_eq(p.layer[0].proto, OFD_P_ETH);
	for (i = 1; i <= 22; i++) {
		ck_assert_uint_eq(p.layer[i].proto, OFD_P_VLAN);
		ck_assert_uint_eq(p.layer[i].off, 14 + 4 * (i - 1));
	}
	ck_assert_uint_eq(p.layer[23].proto, OFD_P_PAYLOAD);
	ck_assert_uint_eq(p.layer[23].off, 14 + 22 * 4);
	ck_assert_uint_eq(p.layer[23].len, 144 - 102);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Truncation                                                          */
/* ------------------------------------------------------------------ */

static const build_fn trunc_frames[] = {
	fr_srh, fr_vxlan, fr_gre_teb, fr_geneve, fr_geneve_eth, fr_qinq,
	fr_ipv4_opts, fr_frag_first, fr_srh_tlv, fr_gre_key,
};

static bool same_layer(const struct ofd_layer *a, const struct ofd_layer *b)
{
	return a->proto == b->proto && a->depth == b->depth &&
	       a->off == b->off && a->len == b->len;
}

START_TEST(test_truncate)
{
	uint8_t full[FRAME_MAX];
	struct ofd_parsed fp, p;
	uint32_t flen, hdr_end, nhdr, cut;

	flen = trunc_frames[_i](full);
	ofd_parse(full, flen, 0, &fp);
	ck_assert_uint_eq(fp.stop, OFD_STOP_END);
	nhdr = fp.nlayers;
	if (fp.layer[nhdr - 1].proto == OFD_P_PAYLOAD)
		nhdr--;
	hdr_end = fp.layer[nhdr - 1].off + fp.layer[nhdr - 1].len;

	for (cut = 0; cut <= flen; cut++) {
		/* Exactly cut bytes, so ASan flags any read past them. */
		uint8_t *b = malloc(cut ? cut : 1);
		struct ofd_field fld;
		uint32_t i, n, end = 0;
		char path[128];

		ck_assert_ptr_nonnull(b);
		memcpy(b, full, cut);
		ofd_parse(b, cut, 0, &p);
		ck_assert_uint_le(p.nlayers, OFD_PARSE_MAX_LAYERS);
		n = p.nlayers;
		if (n && p.layer[n - 1].proto == OFD_P_PAYLOAD)
			n--;
		/* The headers are a prefix of the full parse's, contiguous
		 * from 0 and inside the cut. */
		for (i = 0; i < p.nlayers; i++) {
			ck_assert_uint_eq(p.layer[i].off, end);
			end += p.layer[i].len;
			ck_assert_uint_le(end, cut);
			if (i < n)
				ck_assert_msg(same_layer(&p.layer[i],
							 &fp.layer[i]),
					      "cut %u layer %u", cut, i);
		}
		if (cut < hdr_end) {
			ck_assert_msg(p.stop == OFD_STOP_TRUNCATED,
				      "cut %u: stop %u", cut, p.stop);
			ck_assert_uint_lt(n, nhdr);
			ck_assert_uint_eq(n, p.nlayers);
		} else {
			ck_assert_uint_eq(p.stop, OFD_STOP_END);
			ck_assert_uint_eq(n, nhdr);
			ck_assert_uint_eq(p.nlayers,
					  nhdr + (cut > hdr_end ? 1 : 0));
		}
		ck_assert_int_lt(p.l3, (int)p.nlayers);
		ck_assert_int_lt(p.l4, (int)p.nlayers);
		ofd_parse_path(&p, path, sizeof(path));
		for (i = 0; i < cut; i++) {
			ck_assert_int_eq(ofd_parse_field_at(b, cut, &p, i, &fld),
					 0);
			ck_assert_uint_le(fld.off, i);
			ck_assert_uint_gt(fld.off + fld.len, i);
			ck_assert_uint_le(fld.off + fld.len, cut);
		}
		ck_assert_int_eq(ofd_parse_field_at(b, cut, &p, cut, &fld),
				 -ERANGE);
		free(b);
	}
}
END_TEST

/*
 * Random bytes after a valid start, every flag combination: the walk
 * stays inside the frame, layers tile it from 0, the indices point at
 * the right kinds of layer, and the other calls do not fault (ASan).
 */
START_TEST(test_random)
{
	static const build_fn seeds[] = { fr_vxlan, fr_srh, fr_gre_teb,
					  fr_geneve_eth, fr_qinq };
	uint8_t full[FRAME_MAX];
	uint32_t rnd = 0x12345678u + (uint32_t)_i;
	int iter;

	for (iter = 0; iter < 400; iter++) {
		uint32_t len, keep, i, end = 0, sum;
		struct ofd_parsed p;
		struct ofd_field f;
		unsigned int flags;
		uint8_t *b;

		len = seeds[iter % OFD_ARRAY_SIZE(seeds)](full);
		rnd = rnd * 1103515245u + 12345u;
		keep = 14 + (rnd >> 8) % (len - 14); /* keep a prefix */
		for (i = keep; i < len; i++) {
			rnd = rnd * 1103515245u + 12345u;
			full[i] = (uint8_t)(rnd >> 16);
		}
		b = malloc(len);
		ck_assert_ptr_nonnull(b);
		memcpy(b, full, len);
		for (flags = 0; flags < 4; flags++) {
			ofd_parse(b, len, flags, &p);
			ck_assert_uint_le(p.nlayers, OFD_PARSE_MAX_LAYERS);
			for (i = 0, end = 0; i < p.nlayers; i++) {
				ck_assert_uint_eq(p.layer[i].off, end);
				end += p.layer[i].len;
				ck_assert_uint_le(end, len);
			}
			if (p.l3 >= 0)
				ck_assert(p.layer[p.l3].proto == OFD_P_IPV4 ||
					  p.layer[p.l3].proto == OFD_P_IPV6);
			if (p.l4 >= 0)
				(void)ofd_parse_pseudo(b, len, &p, p.l4,
						       len - p.layer[p.l4].off,
						       0, &sum);
			for (i = 0; i < len; i++)
				ck_assert_int_eq(ofd_parse_field_at(b, len, &p,
								    i, &f),
						 0);
			(void)ofd_parse_field_find(b, len, &p, -1,
						   "srh.segment[3]", &f);
		}
		free(b);
	}
}
END_TEST

/* ------------------------------------------------------------------ */
/* Pseudo-header                                                       */
/* ------------------------------------------------------------------ */

/* Our own RFC 1071 summation, bytewise, independent of csum.c. */
static uint64_t t_sum(const uint8_t *p, uint32_t n, uint64_t acc)
{
	uint32_t i;

	for (i = 0; i < n; i += 2)
		acc += (uint32_t)p[i] << 8 | (i + 1 < n ? p[i + 1] : 0);
	return acc;
}

static uint16_t t_fold(uint64_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

static uint64_t t_pseudo(const uint8_t *s, const uint8_t *d, uint32_t alen,
			 uint32_t l4len, uint8_t proto)
{
	uint64_t acc = t_sum(s, alen, 0);

	acc = t_sum(d, alen, acc);
	/* IPv4: zero, proto, 16-bit length; IPv6: 32-bit length, 24 zero
	 * bits, next header. Both add up the same way. */
	return acc + (l4len >> 16) + (l4len & 0xffff) + proto;
}

/* Store the checksum of the L4 segment [off, len) at off + csum_off. */
static void t_fill_csum(uint8_t *buf, uint32_t len, uint32_t off,
			uint32_t csum_off, uint64_t pseudo)
{
	uint16_t c;

	buf[off + csum_off] = buf[off + csum_off + 1] = 0;
	c = (uint16_t)~t_fold(t_sum(buf + off, len - off, pseudo));
	buf[off + csum_off] = (uint8_t)(c >> 8);
	buf[off + csum_off + 1] = (uint8_t)c;
}

/* Does the segment verify with the parser's pseudo-header sum? */
static bool t_verifies(const uint8_t *buf, uint32_t len, uint32_t off,
		       uint32_t sum)
{
	return t_fold(t_sum(buf + off, len - off, sum)) == 0xffff;
}

struct pseudo_case {
	const char *name;
	build_fn build;
	int l4;
	uint32_t csum_off;  /* checksum field in the L4 header */
	uint32_t alen;      /* 4 or 16 */
	uint32_t saddr, daddr; /* frame offsets of the expected addresses */
	uint8_t proto;
};

static const struct pseudo_case pseudo_cases[] = {
	{ "ipv4_tcp", fr_ipv4_tcp, 2, 16, 4, 26, 30, 6 },
	{ "ipv6_udp", fr_qinq, 4, 6, 16, 30, 46, 17 },
	/* The inner TCP takes the inner addresses, the outer UDP the outer. */
	{ "vxlan_inner", fr_vxlan, 6, 16, 4, 76, 80, 6 },
	{ "vxlan_outer", fr_vxlan, 2, 6, 4, 26, 30, 17 },
	{ "geneve_icmpv6", fr_geneve_eth, 6, 2, 16, 72, 88, 58 },
	{ "6in4_udp", fr_6in4, 3, 6, 16, 42, 58, 17 },
	/* A type 0 routing header with segments left 1 still has to take
	 * the packet to its last address (62), the final destination
	 * (RFC 8200 8.1, RFC 2460 4.4). */
	{ "rthdr0_udp", fr_rthdr0, 3, 6, 16, 22, 62, 17 },
	/* SRH: Segment List[0] at 78 + 8, not the IPv6 daddr (38). */
	{ "srh_tcp", fr_srh, 5, 16, 16, 22, 86, 6 },
	{ "srh_tlv_tcp", fr_srh_tlv, 3, 16, 16, 22, 62, 6 },
};

START_TEST(test_pseudo)
{
	const struct pseudo_case *c = &pseudo_cases[_i];
	uint8_t buf[FRAME_MAX];
	struct ofd_parsed p;
	uint32_t len, off, l4len, sum = 0;
	uint64_t want;

	len = c->build(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_int_lt(c->l4, (int)p.nlayers);
	off = p.layer[c->l4].off;
	l4len = len - off;
	want = t_pseudo(buf + c->saddr, buf + c->daddr, c->alen, l4len,
			c->proto);

	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, c->l4, l4len, 0, &sum),
			 0);
	ck_assert_uint_eq(t_fold(sum), t_fold(want));

	/* A checksum made with the right pseudo-header verifies through the
	 * parser's sum. */
	t_fill_csum(buf, len, off, c->csum_off, want);
	ck_assert(t_verifies(buf, len, off, sum));
}
END_TEST

/* RFC 8200 8.1: the SRH frame's checksum verifies against Segment
 * List[0] only; use_ipv6_dst gives the (wrong) IPv6 destination. */
START_TEST(test_pseudo_srh_dst)
{
	uint8_t buf[FRAME_MAX];
	struct ofd_parsed p;
	uint32_t len, l4len, fin = 0, hdr = 0;
	const uint32_t off = 118;

	len = fr_srh(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_uint_eq(p.layer[5].off, off);
	l4len = len - off;
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 5, l4len, 0, &fin), 0);
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 5, l4len, 1, &hdr), 0);
	ck_assert_uint_eq(t_fold(fin),
			  t_fold(t_pseudo(v6_a, seg0, 16, l4len, 6)));
	ck_assert_uint_eq(t_fold(hdr),
			  t_fold(t_pseudo(v6_a, seg1, 16, l4len, 6)));

	/* Checksum made by a correct sender. */
	t_fill_csum(buf, len, off, 16, t_pseudo(v6_a, seg0, 16, l4len, 6));
	ck_assert(t_verifies(buf, len, off, fin));
	ck_assert(!t_verifies(buf, len, off, hdr));

	/* Checksum made by the buggy sender (IPv6 header destination). */
	t_fill_csum(buf, len, off, 16, t_pseudo(v6_a, seg1, 16, l4len, 6));
	ck_assert(!t_verifies(buf, len, off, fin));
	ck_assert(t_verifies(buf, len, off, hdr));

	/* Segments left 0: the Destination Address (seg1 here, not Segment
	 * List[0]) is the final destination, as the live kernel's receive
	 * path validates it (check_rxjudge.c srh_sl0_da_differs). */
	buf[78 + 3] = 0;
	ofd_parse(buf, len, 0, &p);
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 5, l4len, 0, &fin), 0);
	ck_assert_uint_eq(t_fold(fin),
			  t_fold(t_pseudo(v6_a, seg1, 16, l4len, 6)));
}
END_TEST

START_TEST(test_pseudo_err)
{
	uint8_t buf[FRAME_MAX];
	struct ofd_parsed p;
	uint32_t len, sum = 0;

	len = fr_ipv4_tcp(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, -1, 20, 0, &sum),
			 -EINVAL);
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 1, 20, 0, &sum),
			 -EINVAL); /* the IPv4 layer */
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 3, 20, 0, &sum),
			 -EINVAL); /* the payload */
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 4, 20, 0, &sum),
			 -EINVAL); /* past nlayers */
	/* Addresses past the len given. */
	ck_assert_int_eq(ofd_parse_pseudo(buf, 20, &p, 2, 20, 0, &sum),
			 -EBADMSG);

	/* ICMP (v4) has no pseudo-header. */
	len = fr_icmp(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_uint_eq(p.layer[2].proto, OFD_P_ICMP);
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 2, 12, 0, &sum),
			 -EINVAL);

	/* An SRH without a segment list: with segments left 0 the
	 * Destination Address is final; with segments left there is no
	 * final destination. */
	len = fr_srh_empty(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_uint_eq(p.nlayers, 4);
	ck_assert_uint_eq(p.layer[2].proto, OFD_P_SRH);
	ck_assert_uint_eq(p.layer[2].len, 8);
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 3, 20, 0, &sum), 0);
	buf[54 + 3] = 1;
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 3, 20, 0, &sum),
			 -EBADMSG);
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 3, 20, 1, &sum), 0);

	/* The enclosing IP header is in the same packet: an inner L4 with
	 * no inner IP (a hand-made layer list) does not borrow the outer. */
	len = fr_vxlan(buf);
	ofd_parse(buf, len, 0, &p);
	p.layer[5] = p.layer[6];
	p.layer[5].off = 64;
	p.nlayers = 6;
	ck_assert_int_eq(ofd_parse_pseudo(buf, len, &p, 5, 20, 0, &sum),
			 -EINVAL);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Fields                                                              */
/* ------------------------------------------------------------------ */

struct field_case {
	build_fn build;
	uint32_t at;
	const char *name;
	int layer;
	uint32_t off, len;
	uint8_t is_csum;
};

static const struct field_case field_at_cases[] = {
	{ fr_ipv4_tcp, 5, "eth.dst", 0, 0, 6, 0 },
	{ fr_ipv4_tcp, 13, "eth.type", 0, 12, 2, 0 },
	{ fr_ipv4_tcp, 18, "ipv4.id", 1, 18, 2, 0 },
	{ fr_ipv4_tcp, 25, "ipv4.checksum", 1, 24, 2, 1 },
	{ fr_ipv4_tcp, 46, "tcp.doff", 2, 46, 1, 0 },
	{ fr_ipv4_tcp, 50, "tcp.checksum", 2, 50, 2, 1 },
	{ fr_ipv4_tcp, 51, "tcp.checksum", 2, 50, 2, 1 },
	{ fr_ipv4_tcp, 57, "payload[+3]", 3, 57, 1, 0 },
	{ fr_ipv4_opts, 36, "ipv4.options", 1, 34, 4, 0 },
	{ fr_ipv4_opts, 60, "tcp.options", 2, 58, 12, 0 },
	{ fr_qinq, 15, "qinq.tci", 1, 14, 2, 0 },
	{ fr_qinq, 20, "vlan.type", 2, 20, 2, 0 },
	{ fr_qinq, 69, "udp.checksum", 4, 68, 2, 1 },
	{ fr_srh, 50, "ipv6.daddr", 1, 38, 16, 0 },
	{ fr_srh, 55, "hbh.hdrlen", 2, 55, 1, 0 },
	{ fr_srh, 64, "dstopts.options", 3, 64, 14, 0 },
	{ fr_srh, 81, "srh.segments_left", 4, 81, 1, 0 },
	{ fr_srh, 82, "srh.last_entry", 4, 82, 1, 0 },
	{ fr_srh, 86, "srh.segment[0]", 4, 86, 16, 0 },
	{ fr_srh, 110, "srh.segment[1]", 4, 102, 16, 0 },
	{ fr_srh, 135, "tcp.checksum", 5, 134, 2, 1 },
	{ fr_srh_tlv, 70, "srh.segment[0]", 2, 62, 16, 0 },
	{ fr_srh_tlv, 93, "srh.tlv", 2, 78, 16, 0 },
	{ fr_rthdr0, 60, "rthdr.data", 2, 58, 20, 0 },
	{ fr_frag_first, 57, "frag.frag_off", 2, 56, 2, 0 },
	{ fr_vxlan, 40, "udp.checksum", 2, 40, 2, 1 },
	{ fr_vxlan, 46, "vxlan.vni", 3, 46, 3, 0 },
	{ fr_vxlan, 52, "eth.dst", 4, 50, 6, 0 },
	{ fr_vxlan, 100, "tcp.checksum", 6, 100, 2, 1 },
	{ fr_geneve, 64, "geneve.protocol", 3, 64, 2, 0 },
	{ fr_geneve, 70, "geneve.options", 3, 70, 8, 0 },
	{ fr_geneve_eth, 106, "icmpv6.checksum", 6, 106, 2, 1 },
	{ fr_gre_key, 39, "gre.key", 2, 38, 4, 0 },
	{ fr_gre_csum, 38, "gre.checksum", 2, 38, 2, 1 },
	{ fr_gre_csum, 41, "gre.reserved1", 2, 40, 2, 0 },
	{ fr_gre_teb, 56, "gre.protocol", 2, 56, 2, 0 },
	{ fr_gre_teb, 63, "gre.key", 2, 62, 4, 0 },
	{ fr_gre_teb, 67, "gre.seq", 2, 66, 4, 0 },
	{ fr_sctp, 44, "sctp.checksum", 2, 42, 4, 1 },
	{ fr_trunc_tcp, 36, "trailer[+2]", -1, 36, 1, 0 },
	{ fr_bad_ihl, 20, "trailer[+6]", -1, 20, 1, 0 },
};

static void check_field(const struct ofd_field *f, const char *name,
			int layer, uint32_t off, uint32_t len, uint8_t is_csum)
{
	ck_assert_str_eq(f->name, name);
	ck_assert_int_eq(f->layer, layer);
	ck_assert_uint_eq(f->off, off);
	ck_assert_uint_eq(f->len, len);
	ck_assert_uint_eq(f->is_csum, is_csum);
}

START_TEST(test_field_at)
{
	const struct field_case *c = &field_at_cases[_i];
	uint8_t buf[FRAME_MAX];
	struct ofd_parsed p;
	struct ofd_field f;
	uint32_t len;

	len = c->build(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_int_eq(ofd_parse_field_at(buf, len, &p, c->at, &f), 0);
	check_field(&f, c->name, c->layer, c->off, c->len, c->is_csum);
	ck_assert_int_eq(ofd_parse_field_at(buf, len, &p, len, &f), -ERANGE);
}
END_TEST

struct find_case {
	build_fn build;
	int in_layer;
	const char *name;
	int rc;
	int layer;
	uint32_t off, len;
	uint8_t is_csum;
};

/* Not found: the rest is not looked at. */
#define NOENT -ENOENT, -1, 0, 0, 0

static const struct find_case field_find_cases[] = {
	{ fr_vxlan, -1, "tcp.checksum", 0, 6, 100, 2, 1 },
	{ fr_vxlan, -1, "ipv4.id", 0, 1, 18, 2, 0 },
	{ fr_vxlan, 5, "ipv4.id", 0, 5, 68, 2, 0 },
	{ fr_vxlan, 2, "ipv4.id", NOENT },
	{ fr_vxlan, -1, "eth.src", 0, 0, 6, 6, 0 },
	{ fr_vxlan, 4, "eth.src", 0, 4, 56, 6, 0 },
	{ fr_vxlan, 99, "eth.src", NOENT },
	{ fr_srh, -1, "srh.segment[0]", 0, 4, 86, 16, 0 },
	{ fr_srh, 4, "srh.segment[1]", 0, 4, 102, 16, 0 },
	{ fr_srh, -1, "srh.segment[2]", NOENT },
	{ fr_srh, -1, "srh.segment[x]", NOENT },
	{ fr_srh, -1, "srh.segment", NOENT },
	{ fr_srh, -1, "srh.tlv", NOENT },
	{ fr_srh, -1, "srh.tag", 0, 4, 84, 2, 0 },
	{ fr_srh_tlv, -1, "srh.tlv", 0, 2, 78, 16, 0 },
	{ fr_srh_tlv, -1, "srh.segment[1]", NOENT },
	{ fr_ipv4_tcp, -1, "payload[+3]", 0, 3, 57, 1, 0 },
	{ fr_ipv4_tcp, -1, "payload[+10]", NOENT },
	{ fr_ipv4_tcp, -1, "ipv4.options", NOENT },
	{ fr_ipv4_tcp, -1, "bogus", NOENT },
	{ fr_ipv4_tcp, -1, "ipv4.", NOENT },
	{ fr_ipv4_tcp, -1, "ipv4.idx", NOENT },
	{ fr_ipv4_tcp, -1, "ipv4.checksum", 0, 1, 24, 2, 1 },
	{ fr_ipv4_opts, -1, "ipv4.options", 0, 1, 34, 4, 0 },
	{ fr_gre_key, -1, "gre.checksum", NOENT },
	{ fr_gre_csum, -1, "gre.checksum", 0, 2, 38, 2, 1 },
	{ fr_gre_teb, -1, "gre.seq", 0, 2, 66, 4, 0 },
	{ fr_qinq, -1, "vlan.tci", 0, 2, 18, 2, 0 },
	{ fr_geneve_eth, -1, "icmp.type", NOENT },
	{ fr_geneve_eth, -1, "icmpv6.type", 0, 6, 104, 1, 0 },
	{ fr_sctp, -1, "sctp.checksum", 0, 2, 42, 4, 1 },
	{ fr_trunc_tcp, -1, "trailer[+2]", 0, -1, 36, 1, 0 },
	{ fr_trunc_tcp, -1, "trailer[+6]", NOENT },
};

START_TEST(test_field_find)
{
	const struct find_case *c = &field_find_cases[_i];
	uint8_t buf[FRAME_MAX];
	struct ofd_parsed p;
	struct ofd_field f;
	uint32_t len;

	len = c->build(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_int_eq(ofd_parse_field_find(buf, len, &p, c->in_layer,
					      c->name, &f),
			 c->rc);
	if (!c->rc)
		check_field(&f, c->name, c->layer, c->off, c->len, c->is_csum);
}
END_TEST

/* ------------------------------------------------------------------ */
/* Path and names                                                      */
/* ------------------------------------------------------------------ */

START_TEST(test_path)
{
	uint8_t buf[FRAME_MAX];
	struct ofd_parsed p;
	char s[16];
	uint32_t len;

	len = fr_ipv4_tcp(buf);
	ofd_parse(buf, len, 0, &p);
	ck_assert_int_eq(ofd_parse_path(&p, NULL, 0), 8);
	memset(s, 'x', sizeof(s));
	ck_assert_int_eq(ofd_parse_path(&p, s, 5), 8);
	ck_assert_str_eq(s, "ipv4");
	ck_assert_int_eq(ofd_parse_path(&p, s, 8), 8);
	ck_assert_str_eq(s, "ipv4/tc");
	ck_assert_int_eq(ofd_parse_path(&p, s, 9), 8);
	ck_assert_str_eq(s, "ipv4/tcp");
	memset(s, 'x', sizeof(s));
	ck_assert_int_eq(ofd_parse_path(&p, s, 1), 8);
	ck_assert_str_eq(s, "");
}
END_TEST

START_TEST(test_names)
{
	static const char *const names[OFD_P__MAX] = {
		"none", "eth",   "vlan",  "qinq",    "ipv4",   "ipv6",  "hbh",
		"dstopts", "srh", "rthdr", "frag",   "tcp",    "udp",   "sctp",
		"icmp", "icmpv6", "vxlan", "geneve", "gre",    "payload",
	};
	int i;

	for (i = 0; i < OFD_P__MAX; i++)
		ck_assert_str_eq(ofd_proto_name((enum ofd_proto)i), names[i]);
	ck_assert_ptr_nonnull(ofd_proto_name(OFD_P__MAX));
}
END_TEST

static Suite *parse_suite(void)
{
	Suite *s = suite_create("parse");
	TCase *tc = tcase_create("parse");

	tcase_add_loop_test(tc, test_layers, 0, OFD_ARRAY_SIZE(layer_cases));
	tcase_add_test(tc, test_too_deep);
	tcase_add_loop_test(tc, test_truncate, 0, OFD_ARRAY_SIZE(trunc_frames));
	tcase_add_loop_test(tc, test_random, 0, 4);
	tcase_add_loop_test(tc, test_pseudo, 0, OFD_ARRAY_SIZE(pseudo_cases));
	tcase_add_test(tc, test_pseudo_srh_dst);
	tcase_add_test(tc, test_pseudo_err);
	tcase_add_loop_test(tc, test_field_at, 0,
			    OFD_ARRAY_SIZE(field_at_cases));
	tcase_add_loop_test(tc, test_field_find, 0,
			    OFD_ARRAY_SIZE(field_find_cases));
	tcase_add_test(tc, test_path);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(parse_suite)
