/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * tso_test_util.h - what check_model_tso.c (the probe values of
 * kernel-tx.md 10.6 and the rules of 5-7, model only) and
 * check_model_tso_kernel.c (model against the live kernel) share: frames
 * built with ofd_pktbuild.h in the kernel-tx.md 10.6 "Common setup"
 * (payload byte i = (i * 7) & 0xff, 10.0.0.1 -> 10.0.0.2, TCP 1000 ->
 * 2000 (UDP 3000 -> 4000, as T7), ack 1, window 65535, ID 0x1234, TTL 64,
 * DF), their requests, and
 * checksum arithmetic done independently (naive RFC 1071, test_util.c).
 */
#ifndef TSO_TEST_UTIL_H
#define TSO_TEST_UTIL_H

#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_pktbuild.h"
#include "ofd_test.h"

#define TT_CAP 70000

/* extension headers of an IPv6 shape, outermost first */
#define X_HBH 0x1
#define X_SRH 0x2
#define X_DST 0x4
#define X_FRAG 0x8

enum { SEED_OK, SEED_NIC, SEED_BAD }; /* NIC: pseudo-header length 0 */

struct shape {
	uint8_t v6;         /* IPv6 instead of IPv4 */
	uint8_t udp;        /* UDP instead of TCP */
	uint32_t payload;
	uint8_t flags;      /* TCP flags; 0: ACK|PSH */
	uint8_t optlen;     /* TCP option bytes (NOP), multiple of 4 */
	uint16_t urg;
	uint32_t seq;       /* 0: 100000 */
	uint16_t id;        /* 0: 0x1234 */
	uint8_t no_df;
	uint8_t ext;        /* X_* */
	uint8_t vlan;       /* 1: 802.1Q, 2: 802.1ad + 802.1Q */
	uint8_t trailer;    /* bytes after the IP datagram */
	uint8_t seed;       /* SEED_* */
};

/* The frame of s into buf; *l4 gets the L4 offset. Returns its length. */
static inline uint32_t tt_build(uint8_t *buf, const struct shape *s, uint32_t *l4)
{
	static const uint8_t segs[2][16] = {
		{ 0x20, 0x01, 0x0d, 0xb8, [15] = 0x99 }, /* final destination */
		{ 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 },
	};
	struct ofd_pktb b;
	uint8_t opts[40];
	int t;

	ofd_pktb_init(&b, buf, TT_CAP);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	if (s->vlan == 2)
		ofd_pktb_qinq(&b, 30, 0);
	if (s->vlan)
		ofd_pktb_vlan(&b, 5, 0);
	if (s->v6) {
		ofd_pktb_ipv6(&b, NULL);
		if (s->ext & X_HBH)
			ofd_pktb_hbh(&b, 8);
		if (s->ext & X_SRH)
			ofd_pktb_srh(&b, segs, 2, 1);
		if (s->ext & X_DST)
			ofd_pktb_dstopts(&b, 16);
		if (s->ext & X_FRAG)
			ofd_pktb_frag(&b, 0, true, 0x1234);
	} else {
		struct ofd_pktb_ipv4_opts o = { .id = s->id ? s->id : 0x1234,
						.no_df = s->no_df };

		ofd_pktb_ipv4(&b, &o);
	}
	if (s->udp) {
		t = ofd_pktb_udp(&b, 3000, 4000); /* T7's ports */
	} else {
		struct ofd_pktb_tcp_opts o = {
			.sport = 1000, .dport = 2000,
			.seq = s->seq ? s->seq : 100000, .ack = 1,
			.flags = s->flags ? s->flags : 0x18, .window = 65535,
			.urg = s->urg, .options = opts, .options_len = s->optlen,
		};

		memset(opts, 1, sizeof(opts));
		t = ofd_pktb_tcp(&b, &o);
	}
	ofd_pktb_payload(&b, s->payload);
	if (s->trailer) {
		uint8_t tr[64];
		unsigned int i;

		for (i = 0; i < s->trailer; i++)
			tr[i] = (uint8_t)(0xa0 + i);
		ofd_pktb_trailer(&b, tr, s->trailer);
	}
	b.layer[t].csum = OFD_PKTB_CSUM_SEED;
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	*l4 = b.layer[t].off;
	if (s->seed != SEED_OK) {
		uint32_t ps = 0, k = b.layer[t].off + (s->udp ? 6 : 16);
		uint16_t v;

		if (s->seed == SEED_NIC) {
			/* the same pseudo-header with length 0 */
			ck_assert_int_eq(ofd_pktb_pseudo(&b, t, &ps), 0);
			v = ofd_test_fold(ps + 0xffff - (b.len - s->trailer - b.layer[t].off));
		} else {
			v = 0x5a5a;
		}
		ofd_put_be16(buf + k, v);
	}
	return b.len;
}

/* A VNET request for s: NEEDS_CSUM at the L4 header, the shape's type. */
static inline void tt_request(struct ofd_case *c, struct ofd_pkt *pkt,
			      const uint8_t *buf, uint32_t len, uint32_t l4,
			      const struct shape *s, uint8_t gso_type,
			      uint16_t gso_size, bool csum)
{
	memset(c, 0, sizeof(*c));
	pkt->data = buf;
	pkt->len = len;
	pkt->flags = 0;
	c->offload = OFD_OFFLOAD_TSO;
	c->npkts = 1;
	c->pkts = pkt;
	c->req.kind = OFD_REQ_VNET;
	c->req.vnet.flags = csum ? OFD_VNET_F_NEEDS_CSUM : 0;
	c->req.vnet.gso_type = gso_type;
	c->req.vnet.gso_size = gso_size;
	c->req.vnet.csum_start = (uint16_t)l4;
	c->req.vnet.csum_offset = s->udp ? 6 : 16;
}

static inline uint16_t tt_be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t tt_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

#endif
