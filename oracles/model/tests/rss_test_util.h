/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * rss_test_util.h - what the rss tests share (check_model_rss.c,
 * check_emu_rss.c, check_explain_rss.c): Microsoft's RSS verification
 * table ("Verifying the RSS Hash Calculation", kernel-rx.md 6: the 40-byte
 * sample key, each flow's 2-tuple and 4-tuple hash), whole frames that
 * carry its flows built with the packet builders, and the hash input
 * written out by hand for the tests' own expectations (Toeplitz by its
 * definition, ofd_toeplitz, never through rss.c).
 */
#ifndef RSS_TEST_UTIL_H
#define RSS_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "ofd.h"
#include "ofd_pktbuild.h"
#include "ofd_rss.h"
#include "ofd_test.h"

struct rt_vector {
	bool v6;
	uint8_t src[16], dst[16];
	uint16_t sport, dport;
	uint32_t h2, h4; /* addresses only; addresses and ports */
};

/* Source first, as the hash input orders them. */
static const struct rt_vector rt_ms[] = {
	{ false, { 66, 9, 149, 187 }, { 161, 142, 100, 80 }, 2794, 1766,
	  0x323e8fc2, 0x51ccc178 },
	{ false, { 199, 92, 111, 2 }, { 65, 69, 140, 83 }, 14230, 4739,
	  0xd718262a, 0xc626b0ea },
	{ false, { 24, 19, 198, 95 }, { 12, 22, 207, 184 }, 12898, 38024,
	  0xd2d0a5de, 0x5c2b394a },
	{ false, { 38, 27, 205, 30 }, { 209, 142, 163, 6 }, 48228, 2217,
	  0x82989176, 0xafc7327f },
	{ false, { 153, 39, 163, 191 }, { 202, 188, 127, 2 }, 44251, 1303,
	  0x5d1809c5, 0x10e828a2 },
	{ true, { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x1f, 0xff, [15] = 7 },
	  { 0x3f, 0xfe, 0x25, 0x01, 0x02, 0x00, 0x00, 0x03, [15] = 1 }, 2794, 1766,
	  0x2cc18cd5, 0x40207d3d },
	{ true, { 0x3f, 0xfe, 0x05, 0x01, 0x00, 0x08, 0, 0, 0x02, 0x60, 0x97, 0xff,
		  0xfe, 0x40, 0xef, 0xab },
	  { 0xff, 0x02, [15] = 1 }, 14230, 4739, 0x0f0c461c, 0xdde51bbf },
	{ true, { 0x3f, 0xfe, 0x19, 0x00, 0x45, 0x45, 0x00, 0x03, 0x02, 0x00, 0xf8, 0xff,
		  0xfe, 0x21, 0x67, 0xcf },
	  { 0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0x02, 0x00, 0xf8, 0xff, 0xfe, 0x21, 0x67, 0xcf },
	  44251, 38024, 0x4b61e985, 0x02d1feef },
};
#define RT_NMS ((int)(sizeof(rt_ms) / sizeof(rt_ms[0])))

/* How a frame around a vector's flow is built. */
enum rt_shape {
	RT_TCP,          /* eth/ip/tcp */
	RT_UDP,          /* eth/ip/udp */
	RT_FRAG_FIRST,   /* eth/ip/tcp, a first fragment (IPv4 MF; IPv6 Fragment header) */
	RT_VLAN_TCP,     /* eth/vlan/ip/tcp */
	RT_HBH_TCP,      /* eth/ipv6/hbh(8)/tcp: IPv6 vectors only */
	RT_IPIP_TCP,     /* eth/ip(outer: other addresses)/ip(the vector)/tcp */
	RT_OUTER_IPIP,   /* eth/ip(the vector)/ip(other addresses)/tcp */
	RT_REVERSE_TCP,  /* eth/ip/tcp, B -> A */
};

/* Frame of shape sh around vector v, into buf; its length. label: the
 * IPv6 flow label. */
static inline uint32_t rt_frame(const struct rt_vector *v, enum rt_shape sh, uint32_t label,
				uint8_t *buf, uint32_t cap)
{
	static const uint8_t o4a[4] = { 10, 1, 1, 1 }, o4b[4] = { 10, 2, 2, 2 };
	static const uint8_t o6a[16] = { 0xfd, [15] = 0xa }, o6b[16] = { 0xfd, [15] = 0xb };
	bool rev = sh == RT_REVERSE_TCP;
	const uint8_t *s = rev ? v->dst : v->src, *d = rev ? v->src : v->dst;
	struct ofd_pktb_tcp_opts t = { .sport = rev ? v->dport : v->sport,
				       .dport = rev ? v->sport : v->dport,
				       .seq = 1, .ack = 1, .flags = 0x10, .window = 512 };
	struct ofd_pktb b;
	int l3 = -1;

	ofd_pktb_init(&b, buf, cap);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	if (sh == RT_VLAN_TCP)
		ofd_pktb_vlan(&b, 10, 0);
	if (sh == RT_IPIP_TCP || sh == RT_OUTER_IPIP) {
		const uint8_t *os = sh == RT_OUTER_IPIP ? s : (v->v6 ? o6a : o4a);
		const uint8_t *od = sh == RT_OUTER_IPIP ? d : (v->v6 ? o6b : o4b);

		if (sh == RT_OUTER_IPIP) {
			s = v->v6 ? o6a : o4a;
			d = v->v6 ? o6b : o4b;
		}
		if (v->v6) {
			struct ofd_pktb_ipv6_opts o = { .saddr = os, .daddr = od };

			ofd_pktb_ipv6(&b, &o);
		} else {
			struct ofd_pktb_ipv4_opts o = { .saddr = os, .daddr = od, .id = 1 };

			ofd_pktb_ipv4(&b, &o);
		}
	}
	if (v->v6) {
		struct ofd_pktb_ipv6_opts o = { .saddr = s, .daddr = d, .flowlabel = label };

		l3 = ofd_pktb_ipv6(&b, &o);
		if (sh == RT_HBH_TCP)
			ofd_pktb_hbh(&b, 8);
		if (sh == RT_FRAG_FIRST)
			ofd_pktb_frag(&b, 0, true, 5);
	} else {
		struct ofd_pktb_ipv4_opts o = { .saddr = s, .daddr = d, .id = 1 };

		l3 = ofd_pktb_ipv4(&b, &o);
	}
	if (sh == RT_UDP)
		ofd_pktb_udp(&b, t.sport, t.dport);
	else
		ofd_pktb_tcp(&b, &t);
	ofd_pktb_payload(&b, 20);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	if (sh == RT_FRAG_FIRST && !v->v6) /* MF, offset 0 */
		ofd_put_be16(buf + b.layer[l3].off + 6, 0x2000);
	return b.len;
}

/* A one-frame rss case over buf[0, len). */
static inline void rt_case(struct ofd_case *c, struct ofd_pkt *p, const uint8_t *buf,
			   uint32_t len)
{
	memset(c, 0, sizeof(*c));
	p->data = buf;
	p->len = len;
	p->flags = 0;
	c->offload = OFD_OFFLOAD_RSS;
	c->npkts = 1;
	c->pkts = p;
	c->req.kind = OFD_REQ_VNET;
}

/* The record of a one-frame result. */
static inline void rt_record(const struct ofd_result *r, struct ofd_rss_out *o)
{
	uint8_t rec[OFD_RSS_REC_LEN];

	ck_assert_uint_eq(r->status, OFD_RES_OK);
	ck_assert_uint_eq(r->nframes, 1);
	ck_assert_uint_eq(r->frame[0].len, OFD_RSS_REC_LEN);
	ofd_frame_materialize(&r->frame[0], rec);
	ck_assert_int_eq(ofd_rss_out_get(rec, sizeof(rec), o), 0);
}

/* ethtool_rxfh_indir_default's queue of hash h: entry (h & (size - 1)) is
 * that index % queues (kernel-rx.md 6). */
static inline uint16_t rt_queue(uint32_t h, uint32_t size, uint32_t queues)
{
	return (uint16_t)((h & (size - 1)) % queues);
}

/* Toeplitz by its definition over in[0, n) with Microsoft's key: every
 * hash input the tests expect fits its 40 bytes (n <= 36). */
static inline uint32_t rt_toeplitz(const uint8_t *in, size_t n)
{
	return ofd_toeplitz(ofd_rss_key_microsoft, 40, in, n);
}

/* v's 4-tuple as written by hand, transformed when sym: sip^dip twice,
 * sp^dp twice (RXH_XFRM_SYM_XOR, kernel-rx.md 6). */
static inline size_t rt_tuple4(const struct rt_vector *v, bool sym, uint8_t *out)
{
	size_t a = v->v6 ? 16 : 4, i;
	uint8_t sp[2] = { (uint8_t)(v->sport >> 8), (uint8_t)v->sport };
	uint8_t dp[2] = { (uint8_t)(v->dport >> 8), (uint8_t)v->dport };

	for (i = 0; i < a; i++) {
		out[i] = sym ? v->src[i] ^ v->dst[i] : v->src[i];
		out[a + i] = sym ? v->src[i] ^ v->dst[i] : v->dst[i];
	}
	for (i = 0; i < 2; i++) {
		out[2 * a + i] = sym ? sp[i] ^ dp[i] : sp[i];
		out[2 * a + 2 + i] = sym ? sp[i] ^ dp[i] : dp[i];
	}
	return 2 * a + 4;
}

#endif
