// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_model_rx_csum.c - the rx-csum model (oracles/model/rx_csum.c)
 * against kernel-rx.md 4, frame by frame: each row builds a received
 * frame with its checksums computed by the test (rxc_test_util.h) and
 * one or more of them wrong, and states what a correct device reports,
 * from the rules alone:
 *  - csum_level = consecutive verified checksums - 1 from the outside, at
 *    most 3; the first checksum that does not verify ends the count;
 *  - TCP, UDP, SCTP and GRE with C count; a zero UDP checksum counts,
 *    over IPv4 and IPv6 alike ("a zero UDP checksum may also be marked":
 *    udp4/udp6_csum_init are zero_okay and consume a level; IPv6's ban,
 *    RFC 8200 8.1, is the socket's to apply); GRE without C and IP-in-IP
 *    have no checksum and are passed over;
 *  - no checksum of a fragment is verifiable;
 *  - COMPLETE = the sum from the L3 header to the IP datagram's end
 *    (VLAN tags and padding excluded), computed here by definition.
 * Then the stack's verdict on claims (ofd_rx_csum_stack), and the model
 * engine's result for a case.
 */
#include <stdlib.h>

#include "ofd.h"
#include "ofd_rx_csum.h"
#include "ofd_test.h"
#include "rxc_test_util.h"
#include "rx_csum_internal.h"

#define U OFD_CSUM_STATE_UNNECESSARY
#define N OFD_CSUM_STATE_NONE

static const struct rxt_row rows[] = {
	/* one checksum: level 0 when it verifies, NONE when not */
	{ "ipv4/tcp", 0, 0, RXT_NONE, 0, RXT_TCP, 100, 0, 0, 0, false, U, 0 },
	{ "ipv4/tcp bad", 0, 0, RXT_NONE, 0, RXT_TCP, 100, 1, 0, 0, false, N, 0 },
	{ "ipv6/udp", 0, 1, RXT_NONE, 0, RXT_UDP, 33, 0, 0, 0, false, U, 0 },
	{ "ipv6/udp bad", 0, 1, RXT_NONE, 0, RXT_UDP, 33, 1, 0, 0, false, N, 0 },
	{ "vlan/ipv4/udp", 1, 0, RXT_NONE, 0, RXT_UDP, 1, 0, 0, 0, false, U, 0 },
	{ "qinq/ipv6/tcp bad", 2, 1, RXT_NONE, 0, RXT_TCP, 1, 1, 0, 0, false, N, 0 },
	{ "ipv4/sctp", 0, 0, RXT_NONE, 0, RXT_SCTP, 20, 0, 0, 0, false, U, 0 },
	{ "ipv6/sctp bad", 0, 1, RXT_NONE, 0, RXT_SCTP, 20, 1, 0, 0, false, N, 0 },
	/* zero UDP checksums */
	{ "ipv4/udp zero", 0, 0, RXT_NONE, 0, RXT_UDP, 10, 0, 1, 0, false, U, 0 },
	{ "ipv6/udp zero", 0, 1, RXT_NONE, 0, RXT_UDP, 10, 0, 1, 0, false, U, 0 },
	/* padding: not summed by the checksum (a non-zero trailer) */
	{ "ipv4/tcp trailer", 0, 0, RXT_NONE, 0, RXT_TCP, 1, 0, 0, 6, false, U, 0 },
	{ "vlan/ipv4/udp trailer bad", 1, 0, RXT_NONE, 0, RXT_UDP, 1, 1, 0, 6, false, N, 0 },
	{ "ipv6/udp trailer", 0, 1, RXT_NONE, 0, RXT_UDP, 1, 0, 0, 8, false, U, 0 },
	/* a first fragment: the checksum covers bytes it does not carry */
	{ "ipv4/udp first fragment", 0, 0, RXT_NONE, 0, RXT_UDP, 100, 0, 0, 0, true, N, 0 },
	/* VXLAN/GENEVE: outer UDP then inner L4 */
	{ "vxlan udpcsum/ipv4/tcp", 0, 0, RXT_VXLAN, 0, RXT_TCP, 100, 0, 0, 0, false, U, 1 },
	{ "vxlan udpcsum/ipv4/tcp inner bad", 0, 0, RXT_VXLAN, 0, RXT_TCP, 100, 2, 0, 0, false, U, 0 },
	{ "vxlan udpcsum/ipv4/tcp outer bad", 0, 0, RXT_VXLAN, 0, RXT_TCP, 100, 1, 0, 0, false, N, 0 },
	{ "vxlan udp0 over ipv4/ipv6/udp", 0, 0, RXT_VXLAN0, 1, RXT_UDP, 100, 0, 1, 0, false, U, 1 },
	{ "vxlan udp0 over ipv4, inner bad", 0, 0, RXT_VXLAN0, 0, RXT_TCP, 100, 2, 1, 0, false, U, 0 },
	{ "vxlan udp0 over ipv6 (RFC 6935)", 0, 1, RXT_VXLAN0, 0, RXT_TCP, 100, 0, 1, 0, false, U, 1 },
	{ "vxlan udp0 over ipv6, inner bad", 0, 1, RXT_VXLAN0, 1, RXT_UDP, 100, 2, 1, 0, false, U, 0 },
	{ "geneve udpcsum over ipv6/ipv6/udp", 0, 1, RXT_GENEVE, 1, RXT_UDP, 100, 0, 0, 0, false, U, 1 },
	{ "geneve udpcsum, inner bad", 0, 1, RXT_GENEVE, 0, RXT_TCP, 100, 2, 0, 0, false, U, 0 },
	{ "geneve udp0 over ipv4", 0, 0, RXT_GENEVE0, 0, RXT_TCP, 100, 0, 1, 0, false, U, 1 },
	/* GRE: with C a checksum layer, without C passed over */
	{ "gre/ipv4/tcp", 0, 0, RXT_GRE, 0, RXT_TCP, 100, 0, 0, 0, false, U, 0 },
	{ "gre/ipv6/tcp bad", 0, 0, RXT_GRE, 1, RXT_TCP, 100, 1, 0, 0, false, N, 0 },
	{ "gre csum/ipv4/tcp", 0, 1, RXT_GREC, 0, RXT_TCP, 100, 0, 0, 0, false, U, 1 },
	{ "gre csum bad/ipv4/tcp", 0, 0, RXT_GREC, 0, RXT_TCP, 100, 1, 0, 0, false, N, 0 },
	{ "gre csum/ipv4/udp inner bad", 0, 0, RXT_GREC, 0, RXT_UDP, 100, 2, 0, 0, false, U, 0 },
	/* IP-in-IP: no tunnel checksum */
	{ "ipip/tcp", 0, 0, RXT_IPIP, 0, RXT_TCP, 100, 0, 0, 0, false, U, 0 },
	{ "ip6ip6/udp bad", 0, 1, RXT_IPIP, 1, RXT_UDP, 100, 1, 0, 0, false, N, 0 },
	/* three checksums (the kernel's example shape: UDP, GRE, TCP) */
	{ "vxlan/gre csum/ipv4/tcp", 0, 1, RXT_VXLAN_GREC, 0, RXT_TCP, 100, 0, 0, 0, false, U, 2 },
	{ "vxlan/gre csum bad/ipv4/tcp", 0, 1, RXT_VXLAN_GREC, 0, RXT_TCP, 100, 2, 0, 0, false, U, 0 },
	{ "vxlan/gre csum/ipv4/tcp bad", 0, 1, RXT_VXLAN_GREC, 0, RXT_TCP, 100, 4, 0, 0, false, U, 1 },
	/* five checksums: the level stops at 3 (SKB_MAX_CSUM_LEVEL) */
	{ "5 checksums", 0, 0, RXT_DEEP, 0, RXT_TCP, 100, 0, 0, 0, false, U, 3 },
	{ "5 checksums, the 4th bad", 0, 0, RXT_DEEP, 0, RXT_TCP, 100, 8, 0, 0, false, U, 2 },
	/* padded tunnel */
	{ "vlan/vxlan udpcsum trailer", 1, 0, RXT_VXLAN, 0, RXT_TCP, 100, 0, 0, 6, false, U, 1 },
};

#define FRAME_CAP 2048

START_TEST(model_rx_csum_rows)
{
	const struct rxt_row *r = &rows[_i];
	uint8_t f[FRAME_CAP];
	struct ofd_rxcsum a;
	struct ofd_meta m = { 0 };
	uint32_t len = rxt_build(r, f, sizeof(f));

	ck_assert_msg(len, "%s: could not be built", r->name);
	ofd_rx_csum_analyse(f, len, &a);
	ofd_rx_csum_correct(&a, &m);
	ck_assert(m.has & OFD_META_CSUM_STATE);
	ck_assert_msg(m.csum_state == r->state && m.csum_level == r->level,
		      "%s: state %u level %u, expected %u level %u", r->name,
		      m.csum_state, m.csum_level, r->state, r->level);
	ck_assert_msg(ofd_rx_csum_same((uint16_t)m.csum_value, rxt_complete(r, f)),
		      "%s: COMPLETE 0x%04x != 0x%04x", r->name, m.csum_value,
		      rxt_complete(r, f));
	/* The analysis names the layer that ended the count. */
	if (r->bad) {
		unsigned int k = (unsigned int)__builtin_ctz(r->bad);

		ck_assert_uint_gt(a.n, k);
		ck_assert_uint_eq(a.nvalid, k);
		ck_assert_uint_eq(a.layer[k].status, OFD_RXCSUM_BAD);
	}
}
END_TEST

/* The padding is outside COMPLETE: the same frame with and without a
 * trailer has the same value, and the trailer's own sum is not in it. */
START_TEST(model_rx_csum_complete_ranges)
{
	static const struct rxt_row plain = { "vlan/ipv4/udp", 1, 0, RXT_NONE, 0, RXT_UDP,
					      1, 0, 0, 0, false, U, 0 };
	struct rxt_row padded = plain;
	uint8_t f[FRAME_CAP], g[FRAME_CAP];
	struct ofd_rxcsum a, b;
	uint32_t lf, lg;

	padded.trailer = 6;
	lf = rxt_build(&plain, f, sizeof(f));
	lg = rxt_build(&padded, g, sizeof(g));
	ck_assert_uint_eq(lg, lf + 6);
	ofd_rx_csum_analyse(f, lf, &a);
	ofd_rx_csum_analyse(g, lg, &b);
	ck_assert_uint_eq(a.complete, b.complete);
	ck_assert_uint_eq(b.l3_off, 18);
	ck_assert_uint_eq(b.l3_end, lf);
	/* the VLAN tag (bytes 12..15) is not summed: the value over the
	 * frame from the tag on differs by the tag's own sum */
	ck_assert(!ofd_rx_csum_same(a.complete,
				    ofd_test_fold(ofd_test_sum(f + 12, lf - 12, 0))));
}
END_TEST

/* kernel-rx.md 4 and 1.8: what the stack does with a claim. */
START_TEST(model_rx_csum_stack)
{
	static const struct rxt_row inner_bad = { "vxlan inner bad", 0, 0, RXT_VXLAN, 0,
						  RXT_TCP, 100, 2, 0, 0, false, U, 0 };
	static const struct rxt_row good = { "vxlan", 0, 0, RXT_VXLAN, 0, RXT_TCP, 100,
					     0, 0, 0, false, U, 1 };
	uint8_t f[FRAME_CAP];
	struct ofd_rxcsum a;
	struct ofd_rxcsum_stack s;
	struct ofd_meta m = { .has = OFD_META_CSUM_STATE };
	uint32_t len;

	len = rxt_build(&inner_bad, f, sizeof(f));
	ofd_rx_csum_analyse(f, len, &a);
	/* level 1 vouches for the outer UDP and the bad inner TCP */
	m.csum_state = U;
	m.csum_level = 1;
	ofd_rx_csum_stack(&a, &m, &s);
	ck_assert_uint_eq(s.outcome, OFD_RXCSUM_TRUSTED_BAD);
	ck_assert_int_eq(s.layer, 1);
	ck_assert_uint_eq(s.trusted, 2);
	/* level 0: the inner TCP is computed and dropped */
	m.csum_level = 0;
	ofd_rx_csum_stack(&a, &m, &s);
	ck_assert_uint_eq(s.outcome, OFD_RXCSUM_DROP);
	ck_assert_int_eq(s.layer, 1);
	ck_assert_uint_eq(s.trusted, 1);
	/* NONE: all software, dropped */
	m.csum_state = N;
	ofd_rx_csum_stack(&a, &m, &s);
	ck_assert_uint_eq(s.outcome, OFD_RXCSUM_DROP);
	ck_assert_uint_eq(s.trusted, 0);
	/* the right COMPLETE on a bad frame: the stack's own check drops */
	m.csum_state = OFD_CSUM_STATE_COMPLETE;
	m.csum_value = rxt_complete(&inner_bad, f);
	ofd_rx_csum_stack(&a, &m, &s);
	ck_assert_uint_eq(s.outcome, OFD_RXCSUM_DROP);

	len = rxt_build(&good, f, sizeof(f));
	ofd_rx_csum_analyse(f, len, &a);
	/* a wrong COMPLETE on a good frame: hw csum failure */
	m.csum_value = (uint16_t)(rxt_complete(&good, f) + 1);
	ofd_rx_csum_stack(&a, &m, &s);
	ck_assert_uint_eq(s.outcome, OFD_RXCSUM_HW_FAULT);
	/* the right one (as -0 when it is +0): accepted */
	m.csum_value = rxt_complete(&good, f);
	ofd_rx_csum_stack(&a, &m, &s);
	ck_assert_uint_eq(s.outcome, OFD_RXCSUM_ACCEPT);
	m.csum_state = U;
	m.csum_level = 1;
	ofd_rx_csum_stack(&a, &m, &s);
	ck_assert_uint_eq(s.outcome, OFD_RXCSUM_ACCEPT);
	ck_assert_uint_eq(s.trusted, 2);

	/* a zero IPv6 UDP checksum: vouched for or not, the socket (not
	 * opted in, RFC 6935) drops the datagram */
	{
		static const struct rxt_row z6 = { "ipv6/udp zero", 0, 1, RXT_NONE, 0,
						   RXT_UDP, 10, 0, 1, 0, false, U, 0 };

		len = rxt_build(&z6, f, sizeof(f));
		ofd_rx_csum_analyse(f, len, &a);
		ck_assert_uint_eq(a.layer[0].status, OFD_RXCSUM_ZERO_UDP6);
		m.csum_level = 0;
		ofd_rx_csum_stack(&a, &m, &s);
		ck_assert_uint_eq(s.outcome, OFD_RXCSUM_DROP);
		m.csum_state = N;
		ofd_rx_csum_stack(&a, &m, &s);
		ck_assert_uint_eq(s.outcome, OFD_RXCSUM_DROP);
	}
}
END_TEST

/* The model engine answers a case with the frame by reference and the
 * state the rows' rules give. */
START_TEST(model_rx_csum_engine)
{
	static const struct rxt_row r = { "geneve", 0, 1, RXT_GENEVE, 1, RXT_UDP, 100, 0,
					  0, 0, false, U, 1 };
	const struct ofd_engine_ops *ops = ofd_engine_find("model");
	uint8_t f[FRAME_CAP];
	struct ofd_pkt pkt;
	struct ofd_case c = { 0 };
	struct ofd_result *res;
	void *priv;

	ck_assert_ptr_nonnull(ops);
	pkt.data = f;
	pkt.len = rxt_build(&r, f, sizeof(f));
	pkt.flags = 0;
	c.offload = OFD_OFFLOAD_RX_CSUM;
	c.npkts = 1;
	c.pkts = &pkt;
	ck_assert(ofd_engine_caps(ops) & OFD_CAP(OFD_OFFLOAD_RX_CSUM));
	ck_assert_int_eq(ofd_result__new(0, &res), 0);
	ck_assert_int_eq(ops->open(NULL, &priv), 0);
	ck_assert_int_eq(ops->run(priv, &c, &res, 1), 0);
	ck_assert_uint_eq(res->status, OFD_RES_OK);
	ck_assert_uint_eq(res->nframes, 1);
	ck_assert_ptr_eq(res->frame[0].base, f);
	ck_assert_uint_eq(res->frame[0].meta.csum_state, U);
	ck_assert_uint_eq(res->frame[0].meta.csum_level, 1);
	/* a train is not an rx-csum case */
	c.npkts = 2;
	ofd_result_reset(res);
	ck_assert_int_eq(ops->run(priv, &c, &res, 1), 0);
	ck_assert_uint_eq(res->status, OFD_RES_UNSUPPORTED);
	ops->close(priv);
	ofd_result__free(res);
}
END_TEST

/* Truncated frames: every prefix of a tunnelled frame is analysed within
 * its bounds (ASan watches) and never vouches for more than the whole. */
START_TEST(model_rx_csum_truncated)
{
	static const struct rxt_row r = { "vlan/vxlan", 1, 0, RXT_VXLAN_GREC, 1, RXT_TCP,
					  40, 0, 0, 0, false, U, 2 };
	uint8_t f[FRAME_CAP];
	uint32_t len = rxt_build(&r, f, sizeof(f)), n;

	for (n = 0; n < len; n++) {
		uint8_t *copy = malloc(n ? n : 1);
		struct ofd_rxcsum a;

		ck_assert_ptr_nonnull(copy);
		memcpy(copy, f, n);
		ofd_rx_csum_analyse(copy, n, &a);
		/* the outer datagram runs past every prefix: nothing verifies */
		ck_assert_uint_eq(a.nvalid, 0);
		free(copy);
	}
}
END_TEST

/* Random rx-csum cases and random bytes: deterministic in (seed, index),
 * and the analysis keeps to its bounds and its invariants (ASan and
 * these asserts watch every read). */
START_TEST(model_rx_csum_random)
{
	static uint8_t a[FRAME_CAP], b[FRAME_CAP];
	struct ofd_pkt pa, pb;
	struct ofd_case ca, cb;
	uint64_t i, x = 0x1234567;
	uint32_t k;

	for (i = 0; i < 3000; i++) {
		struct ofd_rxcsum r;
		struct ofd_meta m = { 0 };
		uint8_t *g;
		uint32_t glen;

		ck_assert_int_eq(ofd_rx_csum_random(5, i, a, sizeof(a), &pa, 1, &ca), 0);
		ck_assert_int_eq(ofd_rx_csum_random(5, i, b, sizeof(b), &pb, 1, &cb), 0);
		ck_assert_uint_eq(pa.len, pb.len);
		ck_assert_mem_eq(a, b, pa.len);
		ck_assert_uint_eq(ca.offload, OFD_OFFLOAD_RX_CSUM);
		ofd_rx_csum_analyse(a, pa.len, &r);
		ck_assert_uint_le(r.nvalid, r.n);
		ck_assert_uint_le(r.l3_end, pa.len);
		ofd_rx_csum_correct(&r, &m);
		ck_assert_uint_le(m.csum_level, OFD_RXCSUM_MAX_LEVEL);
		/* random bytes of a random length, in a buffer of exactly
		 * that length */
		glen = (uint32_t)(i % 200);
		g = malloc(glen ? glen : 1);
		ck_assert_ptr_nonnull(g);
		for (k = 0; k < glen; k++) {
			x = x * 6364136223846793005ull + 1442695040888963407ull;
			g[k] = (uint8_t)(x >> 56);
		}
		if (glen > 14 && i & 1)
			memcpy(g, a, 14); /* a real Ethernet header */
		ofd_rx_csum_analyse(g, glen, &r);
		ck_assert_uint_le(r.nvalid, r.n);
		ck_assert_uint_le(r.l3_off, glen);
		free(g);
	}
}
END_TEST

static Suite *model_rx_csum_suite(void)
{
	Suite *s = suite_create("model_rx_csum");
	TCase *tc = tcase_create("rx_csum");

	tcase_add_loop_test(tc, model_rx_csum_rows, 0, OFD_ARRAY_SIZE(rows));
	tcase_add_test(tc, model_rx_csum_complete_ranges);
	tcase_add_test(tc, model_rx_csum_stack);
	tcase_add_test(tc, model_rx_csum_engine);
	tcase_add_test(tc, model_rx_csum_truncated);
	tcase_add_test(tc, model_rx_csum_random);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(model_rx_csum_suite)
