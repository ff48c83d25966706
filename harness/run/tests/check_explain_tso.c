// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_explain_tso.c - the tso judge (harness/run/explain_tso.c).
 *
 * The reference's segments are built by hand from the kernel's rules
 * (harness/tests/ofd_tso_test.h); each target deviates from them the way
 * one hypothesis says, built again by hand (the packet builder's complete
 * checksums, or RFC 1071 sums from ofd_test_sum), never through the
 * emulator. Every explanation's id, text and detail are checked byte for
 * byte; a target no hypothesis reproduces is "segmentation-unexplained".
 * Last, each tso-* profile of the emulator is run against the built
 * reference and must get its explanation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_offload.h"
#include "ofd_test.h"
#include "ofd_tso_test.h"

static struct ofd_result *ref, *tgt;
static uint8_t sp[70000];
static struct ofd_pkt pkt;
static struct ofd_case c;
static struct tso_params P;
static enum tso_shape S;
static uint32_t PLEN, MSS;

static void setup(void)
{
	ck_assert_int_eq(ofd_result__new(1u << 20, &ref), 0);
	ck_assert_int_eq(ofd_result__new(1u << 20, &tgt), 0);
}

static void teardown(void)
{
	ofd_result__free(ref);
	ofd_result__free(tgt);
}

/* The case and the kernel's segments of it. */
static void make(enum tso_shape s, const struct tso_params *t, uint32_t plen, uint32_t mss)
{
	uint32_t l4, n = (plen + mss - 1) / mss, j;
	int len;

	S = s;
	P = *t;
	PLEN = plen;
	MSS = mss;
	len = tso_test_build(s, t, tso_test_payload(), plen, sp, sizeof(sp), &l4);
	ck_assert_int_gt(len, 0);
	pkt = (struct ofd_pkt){ sp, (uint32_t)len, 0 };
	memset(&c, 0, sizeof(c));
	c.offload = OFD_OFFLOAD_TSO;
	c.npkts = 1;
	c.pkts = &pkt;
	tso_test_request(s, t->udp, false, (uint16_t)mss, l4, &c.req);
	ofd_result_reset(ref);
	ofd_result_reset(tgt);
	for (j = 0; j < n; j++) {
		uint8_t *d;
		struct ofd_frame *f;
		uint8_t buf[4096];

		len = tso_test_segment(s, t, plen, mss, j, buf, sizeof(buf));
		ck_assert_int_gt(len, 0);
		f = ofd_result_add_new(ref, (uint32_t)len, &d);
		ck_assert_ptr_nonnull(f);
		memcpy(d, buf, (size_t)len);
		f->meta.has = OFD_META_VNET;
	}
}

/* Append a target segment. */
static uint8_t *tgt_add(const uint8_t *b, uint32_t len)
{
	uint8_t *d;
	struct ofd_frame *f = ofd_result_add_new(tgt, len, &d);

	ck_assert_ptr_nonnull(f);
	memcpy(d, b, len);
	f->meta.has = OFD_META_VNET;
	return d;
}

/* The kernel's segments as the target, to edit. */
static void tgt_copy_ref(void)
{
	uint32_t j;

	for (j = 0; j < ref->nframes; j++)
		tgt_add(ref->frame[j].base, ref->frame[j].len);
}

/* Target segment j built from params g (complete checksums). */
static void tgt_build(const struct tso_params *g, uint32_t off, uint32_t plen)
{
	uint8_t buf[4096];
	uint32_t l4;
	struct tso_params x = *g;
	int len;

	x.segment = true;
	len = tso_test_build(S, &x, tso_test_payload() + off, plen, buf, sizeof(buf), &l4);
	ck_assert_int_gt(len, 0);
	tgt_add(buf, (uint32_t)len);
}

/* TCP checksum of IPv4 segment d by RFC 1071 with pseudo length plen. */
static void set_tcp_csum(uint8_t *d, uint32_t len, uint32_t l3, uint32_t l4, uint32_t plen)
{
	uint32_t acc = 0;

	acc = ofd_test_sum(d + l3 + 12, 8, acc);
	acc += (plen >> 16) + (plen & 0xffff) + 6;
	acc = ofd_test_sum(d + l4, 16, acc);
	acc = ofd_test_sum(d + l4 + 18, len - l4 - 18, acc);
	d[l4 + 16] = (uint8_t)(~ofd_test_fold(acc) >> 8);
	d[l4 + 17] = (uint8_t)~ofd_test_fold(acc);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void expect(const char *id, const char *text, const char *detail)
{
	struct ofd_explanation e;

	ck_assert_msg(ofd_judge_tso.explain(&c, ref, tgt, &e) == 0, "%s not found", id);
	ck_assert_str_eq(e.id, id);
	ck_assert_str_eq(e.text, text);
	ck_assert_str_eq(e.detail, detail);
}

#define T1 { .seq = 100000, .flags = 0x99, .id = 0x1234 }

START_TEST(psh_fin_every)
{
	struct tso_params t = T1, g = t;
	uint32_t j;

	make(TS_V4, &t, 2500, 1000);
	for (j = 0; j < 3; j++) {
		g.seq = 100000 + 1000 * j;
		g.id = (uint16_t)(0x1234 + j);
		g.flags = j ? 0x19 : 0x99;
		tgt_build(&g, 1000 * j, j < 2 ? 1000 : 500);
	}
	expect("psh-fin-every-segment", "PSH and FIN copied to every segment",
	       "2 segments in 1-2 of 3");
}
END_TEST

START_TEST(cwr_every_and_none)
{
	struct tso_params t = T1, g = t;
	uint32_t j;

	make(TS_V4, &t, 2500, 1000);
	for (j = 0; j < 3; j++) {
		g.seq = 100000 + 1000 * j;
		g.id = (uint16_t)(0x1234 + j);
		g.flags = j < 2 ? 0x90 : 0x99;
		tgt_build(&g, 1000 * j, j < 2 ? 1000 : 500);
	}
	expect("cwr-every-segment", "CWR copied to every segment", "2 segments in 2-3 of 3");

	ofd_result_reset(tgt);
	tgt_copy_ref();
	g = t;
	g.flags = 0x10;
	ofd_result_reset(tgt);
	tgt_build(&g, 0, 1000);
	g.seq += 1000;
	g.id++;
	tgt_build(&g, 1000, 1000);
	g.seq += 1000;
	g.id++;
	g.flags = 0x19;
	tgt_build(&g, 2000, 500);
	expect("cwr-none", "CWR cleared on the first segment too", "segment 1 of 3");
}
END_TEST

START_TEST(ip_ids)
{
	struct tso_params t = T1, g = t;
	uint32_t j;

	t.id = 0xfffe;
	make(TS_V4, &t, 2500, 1000);
	g = t;
	for (j = 0; j < 3; j++) {
		g.seq = 100000 + 1000 * j;
		g.id = j ? 0xffff : 0xfffe;
		g.flags = j == 0 ? 0x90 : j == 1 ? 0x10 : 0x19;
		tgt_build(&g, 1000 * j, j < 2 ? 1000 : 500);
	}
	expect("ipv4-id-not-wrapped", "IPv4 ID not wrapped past 0xffff: it stays 0xffff",
	       "segment 3 of 3");

	ofd_result_reset(tgt);
	for (j = 0; j < 3; j++) {
		g.seq = 100000 + 1000 * j;
		g.id = 0xfffe;
		g.flags = j == 0 ? 0x90 : j == 1 ? 0x10 : 0x19;
		tgt_build(&g, 1000 * j, j < 2 ? 1000 : 500);
	}
	expect("ipv4-id-fixed", "IPv4 ID not incremented: every segment carries the first one's",
	       "2 segments in 2-3 of 3");
}
END_TEST

START_TEST(tunnel_ids)
{
	struct tso_params t = { .seq = 1, .flags = 0x10, .id = 0x100, .iid = 0x200 }, g = t;
	uint32_t j;

	make(TS_VXLAN_CSUM, &t, 2500, 1000);
	for (j = 0; j < 3; j++) {
		g.seq = 1 + 1000 * j;
		g.id = 0x100;
		g.iid = (uint16_t)(0x200 + j);
		tgt_build(&g, 1000 * j, j < 2 ? 1000 : 500);
	}
	expect("ipv4-id-inner-instead-of-outer",
	       "the inner IPv4 ID incremented instead of the outer one", "2 segments in 2-3 of 3");
}
END_TEST

START_TEST(pseudo_lengths)
{
	struct tso_params t = { .seq = 100000, .flags = 0x10, .id = 0x1234 };
	uint32_t j;
	uint8_t *d;

	make(TS_V4, &t, 2500, 1000);
	tgt_copy_ref();
	for (j = 0; j < 3; j++) {
		d = (uint8_t *)tgt->frame[j].base;
		set_tcp_csum(d, tgt->frame[j].len, 14, 34, 2520 + tgt->frame[j].len - 34);
	}
	expect("pseudo-header-length-kept",
	       "pseudo-header length not removed from the seed: each segment's L4 checksum also counts the super-packet's length",
	       "3 segments in 1-3 of 3");

	for (j = 0; j < 3; j++) {
		d = (uint8_t *)tgt->frame[j].base;
		/* own - 2520 in ones' complement */
		set_tcp_csum(d, tgt->frame[j].len, 14, 34,
			     tgt->frame[j].len - 34 + (0xffff - 2520));
	}
	expect("pseudo-header-length-removed-twice",
	       "pseudo-header length removed twice from the seed: each segment's L4 checksum lacks the super-packet's length",
	       "3 segments in 1-3 of 3");

	for (j = 0; j < 3; j++) {
		d = (uint8_t *)tgt->frame[j].base;
		set_tcp_csum(d, tgt->frame[j].len, 14, 34, 0);
	}
	expect("pseudo-header-length-zero", "L4 checksum with pseudo-header length 0",
	       "3 segments in 1-3 of 3");
}
END_TEST

START_TEST(last_length)
{
	struct tso_params t = { .seq = 100000, .flags = 0x10, .id = 0x1234 };
	uint8_t *d;
	uint32_t acc;

	make(TS_V4, &t, 2500, 1000);
	tgt_copy_ref();
	d = (uint8_t *)tgt->frame[2].base;
	put16(d + 14 + 2, 1040);
	put16(d + 14 + 10, 0);
	acc = ofd_test_sum(d + 14, 20, 0);
	put16(d + 14 + 10, (uint16_t)~ofd_test_fold(acc));
	set_tcp_csum(d, tgt->frame[2].len, 14, 34, 1020);
	expect("last-segment-length-full",
	       "last segment's length fields written as if it were full-size", "segment 3 of 3");
}
END_TEST

START_TEST(outer_udp)
{
	struct tso_params t = { .seq = 1, .flags = 0x10, .id = 0x100, .iid = 0x200 };
	uint32_t j;
	uint8_t *d;

	make(TS_VXLAN, &t, 2500, 1000);
	tgt_copy_ref();
	for (j = 0; j < 3; j++) {
		d = (uint8_t *)tgt->frame[j].base;
		put16(d + 34 + 4, (uint16_t)(8 + 8 + 14 + 20 + 20 + 2500));
	}
	expect("outer-udp-length-stale",
	       "outer UDP length not updated: every segment carries the super-packet's",
	       "3 segments in 1-3 of 3");

	make(TS_VXLAN_CSUM, &t, 2500, 1000);
	tgt_copy_ref();
	for (j = 0; j < 3; j++) {
		d = (uint8_t *)tgt->frame[j].base;
		d[34 + 6] = sp[34 + 6];
		d[34 + 7] = sp[34 + 7];
	}
	expect("outer-udp-checksum-stale",
	       "outer UDP checksum not updated: every segment carries the super-packet's field",
	       "3 segments in 1-3 of 3");
}
END_TEST

START_TEST(counts)
{
	struct tso_params t = T1, g;
	static const uint8_t opt[12] = { 1, 1, 8, 10, 0, 0, 0, 1, 0, 0, 0, 2 };
	uint32_t j;

	make(TS_V4, &t, 2500, 1000);
	tgt_add(sp, pkt.len);
	expect("not-segmented", "not segmented: the super-packet sent whole",
	       "one frame of 2554 bytes, as handed to the device (checksum field left with the seed), where the kernel sends 3 segments");

	ofd_result_reset(tgt);
	tgt_add(ref->frame[0].base, ref->frame[0].len);
	tgt_add(ref->frame[1].base, ref->frame[1].len);
	expect("last-segment-dropped", "last segment dropped",
	       "segments 1-2 equal the kernel's; 3-3 (500 payload bytes) missing");

	/* 12 bytes of options, the device's MSS counts them */
	t.tcpopt = opt;
	t.tcpopt_len = 12;
	make(TS_V4, &t, 2500, 1000);
	for (j = 0; j < 3; j++) {
		uint8_t buf[2048];
		int len = tso_test_segment(TS_V4, &t, 2500, 988, j, buf, sizeof(buf));

		ck_assert_int_gt(len, 0);
		tgt_add(buf, (uint32_t)len);
	}
	expect("mss-options-counted",
	       "split at gso_size minus the TCP options: options counted against the MSS",
	       "3 segments of 988 payload bytes instead of 3 of 1000");

	/* an empty segment after the last, carrying its PSH/FIN */
	t = (struct tso_params)T1;
	make(TS_V4, &t, 2000, 1000);
	g = t;
	g.flags = 0x90;
	tgt_build(&g, 0, 1000);
	g.flags = 0x10;
	g.seq += 1000;
	g.id++;
	tgt_build(&g, 1000, 1000);
	g.flags = 0x19;
	g.seq += 1000;
	g.id++;
	tgt_build(&g, 2000, 0);
	expect("extra-empty-segment", "an extra segment without payload after the last",
	       "segment 3 carries headers only (the FIN/PSH of the last with it)");
}
END_TEST

START_TEST(unexplained)
{
	struct tso_params t = T1;
	struct ofd_explanation e;
	struct ofd_diff d;
	uint8_t *p;

	make(TS_V4, &t, 2500, 1000);
	tgt_copy_ref();
	p = (uint8_t *)tgt->frame[1].base;
	p[100] ^= 0x40; /* a payload byte: no hypothesis touches payload */
	ck_assert_int_eq(ofd_judge_tso.explain(&c, ref, tgt, &e), -ENOENT);
	ck_assert_int_eq(ofd_diff_full(&c, ref, tgt, OFD_F_DEVICE, NULL, &d), 0);
	ck_assert_str_eq(d.cls, "segmentation-unexplained");
	ck_assert_msg(strstr(d.text, "segment 2/3: ipv4/tcp: payload[+46] 0x9a != 0xda\n"),
		      "%s", d.text);
	ofd_diff_free(&d);
}
END_TEST

START_TEST(diff_lines)
{
	struct tso_params t = T1, g = t;
	struct ofd_diff d;
	uint32_t j;

	make(TS_V4, &t, 2500, 1000);
	for (j = 0; j < 3; j++) {
		g.seq = 100000 + 1000 * j;
		g.id = (uint16_t)(0x1234 + j);
		g.flags = j ? 0x19 : 0x99;
		tgt_build(&g, 1000 * j, j < 2 ? 1000 : 500);
	}
	ck_assert_int_eq(ofd_diff_full(&c, ref, tgt, OFD_F_DEVICE, NULL, &d), 0);
	ck_assert_str_eq(d.cls, "psh-fin-every-segment");
	ck_assert_msg(strstr(d.text, "segment 2/3: ipv4/tcp: tcp.flags.psh 0 != 1\n") &&
		      strstr(d.text, "explanation: PSH and FIN copied to every segment\n"),
		      "%s", d.text);
	ofd_diff_free(&d);

	/* a count mismatch is explained too */
	ofd_result_reset(tgt);
	tgt_add(ref->frame[0].base, ref->frame[0].len);
	tgt_add(ref->frame[1].base, ref->frame[1].len);
	ck_assert_int_eq(ofd_diff_full(&c, ref, tgt, OFD_F_DEVICE, NULL, &d), 0);
	ck_assert_str_eq(d.cls, "last-segment-dropped");
	ck_assert_msg(strstr(d.text, "ipv4/tcp: segments 3 != 2\n"), "%s", d.text);
	ofd_diff_free(&d);
}
END_TEST

/* ------------------------------------------------------------------ */
/* The emulator's profiles, judged against the built reference         */
/* ------------------------------------------------------------------ */

extern const struct ofd_engine_ops ofd_engine_emu;

static const struct {
	const char *profile, *id;
	enum tso_shape shape;
	struct tso_params t;
} profiles[] = {
	{ "tso-psh-every", "psh-fin-every-segment", TS_V4, T1 },
	{ "tso-cwr-every", "cwr-every-segment", TS_V6, T1 },
	{ "tso-fixed-id", "ipv4-id-fixed", TS_VLAN, T1 },
	{ "tso-inner-id", "ipv4-id-inner-instead-of-outer", TS_GRE, { .seq = 5, .flags = 0x10, .id = 9, .iid = 77 } },
	{ "tso-pseudo-len-kept", "pseudo-header-length-kept", TS_V6_SRH, T1 },
	{ "tso-pseudo-len-twice", "pseudo-header-length-removed-twice", TS_VXLAN_CSUM, T1 },
	{ "tso-last-len", "last-segment-length-full", TS_V4, T1 },
	{ "tso-outer-udp-len", "outer-udp-length-stale", TS_VXLAN, T1 },
	{ "tso-outer-udp-csum", "outer-udp-checksum-stale", TS_VXLAN_CSUM, T1 },
};

START_TEST(emu_profiles)
{
	struct ofd_engine_opts opts = { .profile = profiles[_i].profile,
					.profile_dir = "specs/profiles" };
	struct ofd_explanation e;
	struct ofd_result *slot = tgt;
	void *priv = NULL;

	make(profiles[_i].shape, &profiles[_i].t, 2500, 1000);
	ck_assert_int_eq(ofd_engine_emu.open(&opts, &priv), 0);
	ck_assert_int_eq(ofd_engine_emu.run(priv, &c, &slot, 1), 0);
	ofd_engine_emu.close(priv);
	ck_assert_uint_eq(tgt->status, OFD_RES_OK);
	ck_assert_uint_eq(ofd_diff_quick(ref, tgt, OFD_F_DEVICE), OFD_V_DISCREPANCY);
	ck_assert_int_eq(ofd_judge_tso.explain(&c, ref, tgt, &e), 0);
	ck_assert_str_eq(e.id, profiles[_i].id);

	/* and the conformant device gives the reference's segments */
	opts.profile = "conformant";
	ofd_result_reset(tgt);
	ck_assert_int_eq(ofd_engine_emu.open(&opts, &priv), 0);
	ck_assert_int_eq(ofd_engine_emu.run(priv, &c, &slot, 1), 0);
	ofd_engine_emu.close(priv);
	ck_assert_uint_eq(ofd_diff_quick(ref, tgt, OFD_F_DEVICE), OFD_V_EQUAL);
}
END_TEST

static Suite *explain_tso_suite(void)
{
	Suite *s = suite_create("explain_tso");
	TCase *tc = tcase_create("hypotheses");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, psh_fin_every);
	tcase_add_test(tc, cwr_every_and_none);
	tcase_add_test(tc, ip_ids);
	tcase_add_test(tc, tunnel_ids);
	tcase_add_test(tc, pseudo_lengths);
	tcase_add_test(tc, last_length);
	tcase_add_test(tc, outer_udp);
	tcase_add_test(tc, counts);
	tcase_add_test(tc, unexplained);
	tcase_add_test(tc, diff_lines);
	tcase_add_loop_test(tc, emu_profiles, 0, OFD_ARRAY_SIZE(profiles));
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(explain_tso_suite)
