// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_explain_rx_csum.c - the rx-csum judge (explain_rx_csum.c): frames
 * built with their checksums computed by the test (rxc_test_util.h), the
 * reference from the model, a target's claim written by hand, and the
 * verdict, severity and class ofd_diff_full gives. Wrong COMPLETE values
 * are computed here over the alternative byte ranges by definition
 * (RFC 1071 over the tag bytes, the trailer, the whole frame), never
 * taken from the emulator.
 */
#include <stdlib.h>
#include <string.h>

#include "ofd_offload.h"
#include "ofd_rx_csum.h"
#include "ofd_run.h"
#include "ofd_test.h"
#include "rxc_test_util.h"

#define U OFD_CSUM_STATE_UNNECESSARY
#define N OFD_CSUM_STATE_NONE
#define C OFD_CSUM_STATE_COMPLETE

static struct ofd_result *ref, *tgt;
static uint8_t frame[2048];
static struct ofd_pkt pkt;
static struct ofd_case kase;
static struct ofd_diff D;

static void setup(void)
{
	ck_assert_int_eq(ofd_result__new(0, &ref), 0);
	ck_assert_int_eq(ofd_result__new(0, &tgt), 0);
	memset(&D, 0, sizeof(D));
}

static void teardown(void)
{
	ofd_diff_free(&D);
	ofd_result__free(ref);
	ofd_result__free(tgt);
}

/* Frame r; the model's answer in ref. */
static void make(const struct rxt_row *r)
{
	const struct ofd_engine_ops *m = ofd_engine_find("model");
	void *priv;

	pkt.data = frame;
	pkt.len = rxt_build(r, frame, sizeof(frame));
	ck_assert_uint_gt(pkt.len, 0);
	memset(&kase, 0, sizeof(kase));
	kase.offload = OFD_OFFLOAD_RX_CSUM;
	kase.npkts = 1;
	kase.pkts = &pkt;
	ofd_result_reset(ref);
	ck_assert_int_eq(m->open(NULL, &priv), 0);
	ck_assert_int_eq(m->run(priv, &kase, &ref, 1), 0);
	m->close(priv);
	ck_assert_uint_eq(ref->status, OFD_RES_OK);
}

/* The target claims (state, level, value) for the same frame; judge. */
static void claim(uint8_t state, uint8_t level, uint32_t value)
{
	struct ofd_frame *f;

	ofd_result_reset(tgt);
	f = ofd_result_add_ref(tgt, pkt.data, pkt.len);
	ck_assert_ptr_nonnull(f);
	f->meta.has = OFD_META_CSUM_STATE;
	f->meta.csum_state = state;
	f->meta.csum_level = level;
	f->meta.csum_value = value;
	ofd_diff_free(&D);
	ck_assert_int_eq(ofd_diff_full(&kase, ref, tgt, OFD_F_DEVICE, NULL, &D), 0);
}

static void expect(const char *cls, enum ofd_severity sev)
{
	if (!cls) {
		ck_assert_msg(D.verdict == OFD_V_EQUAL, "equal expected, got %s", D.cls);
		return;
	}
	ck_assert_msg(D.verdict == OFD_V_DISCREPANCY && !strcmp(D.cls, cls),
		      "%s expected, got verdict %d class %s", cls, D.verdict, D.cls);
	ck_assert_uint_eq(D.severity, sev);
}

static const struct rxt_row vlan_pad = { "vlan/ipv4/udp trailer", 1, 0, RXT_NONE, 0,
					 RXT_UDP, 9, 0, 0, 6, false, U, 0 };
static const struct rxt_row vxlan = { "vxlan udpcsum/ipv4/tcp", 0, 0, RXT_VXLAN, 0,
				      RXT_TCP, 100, 0, 0, 0, false, U, 1 };

START_TEST(explain_rx_csum_right_claims)
{
	uint16_t v;

	make(&vxlan);
	claim(U, 1, 0);
	expect(NULL, OFD_SEV_NONE);
	v = rxt_complete(&vxlan, frame);
	claim(C, 0, v);
	expect(NULL, OFD_SEV_NONE);
	/* +0 and -0 are one sum */
	ck_assert(ofd_rx_csum_same(0, 0xffff));
	ck_assert(ofd_rx_csum_same(0xffff, 0));
	ck_assert(!ofd_rx_csum_same(1, 2));
	/* NONE where nothing verifies */
	{
		static const struct rxt_row bad = { "ipv4/tcp bad", 0, 0, RXT_NONE, 0,
						    RXT_TCP, 100, 1, 0, 0, false, N, 0 };

		make(&bad);
		claim(N, 0, 0);
		expect(NULL, OFD_SEV_NONE);
	}
}
END_TEST

START_TEST(explain_rx_csum_complete_ranges)
{
	uint32_t l3 = 18, end, len;
	uint16_t good, tag, pad, whole;

	make(&vlan_pad);
	len = pkt.len;
	end = rxt_ip_end(frame, l3);
	ck_assert_uint_eq(end + 6, len);
	good = rxt_complete(&vlan_pad, frame);
	/* by definition: the tag's 4 bytes; the trailer at its parity from
	 * the L3 start (even here: 9 bytes of payload make the datagram
	 * odd, so the trailer starts at an odd offset) */
	tag = ofd_test_fold(ofd_test_sum(frame + 12, 4, 0));
	pad = ofd_test_fold(ofd_test_sum(frame + l3, len - l3, 0));
	ck_assert((end - l3) & 1);
	claim(C, 0, ofd_test_fold((uint32_t)good + tag));
	expect("complete-includes-vlan", OFD_SEV_CRITICAL);
	ck_assert_ptr_nonnull(strstr(D.text, "hw csum failure"));
	claim(C, 0, pad);
	expect("complete-includes-padding", OFD_SEV_CRITICAL);
	claim(C, 0, ofd_test_fold((uint32_t)pad + tag));
	expect("complete-includes-vlan-and-padding", OFD_SEV_CRITICAL);
	whole = ofd_test_fold(ofd_test_sum(frame, end, 0));
	claim(C, 0, whole);
	expect("complete-from-l2", OFD_SEV_CRITICAL);
	/* a value no range gives */
	claim(C, 0, (uint16_t)(good ^ 0x5a5a));
	expect("rx-csum-unexplained", OFD_SEV_CRITICAL);
}
END_TEST

START_TEST(explain_rx_csum_levels)
{
	static const struct rxt_row inner_bad = { "vxlan inner bad", 0, 0, RXT_VXLAN, 0,
						  RXT_TCP, 100, 2, 0, 0, false, U, 0 };
	static const struct rxt_row bad = { "ipv6/tcp bad", 0, 1, RXT_NONE, 0, RXT_TCP,
					    100, 1, 0, 0, false, N, 0 };
	static const struct rxt_row gre_bad = { "gre csum bad", 0, 0, RXT_GREC, 0, RXT_TCP,
						100, 1, 0, 0, false, N, 0 };
	static const struct rxt_row udp6_zero = { "ipv6/udp zero", 0, 1, RXT_NONE, 0,
						  RXT_UDP, 10, 0, 1, 0, false, N, 0 };
	static const struct rxt_row frag = { "ipv4 first fragment", 0, 0, RXT_NONE, 0,
					     RXT_UDP, 100, 0, 0, 0, true, N, 0 };

	make(&vxlan);
	claim(U, 2, 0);
	expect("csum-level-too-high", OFD_SEV_CRITICAL);
	claim(U, 0, 0);
	expect("csum-level-too-low", OFD_SEV_BENIGN);
	claim(N, 0, 0);
	expect("rx-csum-not-validated", OFD_SEV_BENIGN);
	claim(OFD_CSUM_STATE_PARTIAL, 0, 0);
	expect("rx-csum-unexplained", OFD_SEV_CRITICAL);

	make(&inner_bad);
	claim(U, 1, 0);
	expect("unnecessary-bad-inner-csum", OFD_SEV_CRITICAL);
	ck_assert_ptr_nonnull(strstr(D.text, "corrupted data delivered"));
	ck_assert_ptr_nonnull(strstr(D.headline, "inner tcp"));
	/* which device reproduces it: on UDP, GRE (bad), TCP, vouching for
	 * all three is "trusting the layers behind", for two "one too high" */
	{
		static const struct rxt_row gre_bad_in = { "vxlan/gre bad", 0, 0,
			RXT_VXLAN_GREC, 0, RXT_TCP, 100, 2, 0, 0, false, U, 0 };

		make(&gre_bad_in);
		claim(U, 2, 0);
		expect("unnecessary-bad-inner-csum", OFD_SEV_CRITICAL);
		ck_assert_ptr_nonnull(strstr(D.text, "trusting the layers behind"));
		ck_assert_ptr_null(strstr(D.text, "one too high"));
		claim(U, 1, 0);
		expect("unnecessary-bad-inner-csum", OFD_SEV_CRITICAL);
		ck_assert_ptr_null(strstr(D.text, "trusting the layers behind"));
		ck_assert_ptr_nonnull(strstr(D.text, "one too high"));
	}
	make(&bad);
	claim(U, 0, 0);
	expect("unnecessary-bad-csum", OFD_SEV_CRITICAL);
	make(&gre_bad);
	claim(U, 1, 0);
	expect("unnecessary-bad-csum", OFD_SEV_CRITICAL);
	ck_assert_ptr_nonnull(strstr(D.headline, "gre"));
	/* a zero IPv6 UDP checksum counts (zero_okay): vouching is right,
	 * not vouching declines */
	make(&udp6_zero);
	claim(U, 0, 0);
	expect(NULL, OFD_SEV_NONE);
	claim(N, 0, 0);
	expect("rx-csum-not-validated", OFD_SEV_BENIGN);
	make(&frag);
	claim(U, 0, 0);
	expect("unnecessary-unverifiable", OFD_SEV_CRITICAL);
}
END_TEST

/* Different bytes are not a checksum-state question: no rx-csum class. */
START_TEST(explain_rx_csum_bytes)
{
	uint8_t copy[2048];
	struct ofd_frame *f;

	make(&vxlan);
	memcpy(copy, frame, pkt.len);
	copy[pkt.len - 1] ^= 0xff;
	ofd_result_reset(tgt);
	f = ofd_result_add_ref(tgt, copy, pkt.len);
	f->meta = ref->frame[0].meta;
	ck_assert_uint_eq(ofd_diff_case(&kase, ref, tgt, OFD_F_DEVICE), OFD_V_DISCREPANCY);
	/* a reference that read its state back through a tap (GRO's view,
	 * the kernel engine) judges no device: a skip */
	f->meta = ref->frame[0].meta;
	f->base = frame;
	ref->frame[0].meta.has |= OFD_META_VNET;
	ck_assert_uint_eq(ofd_diff_case(&kase, ref, tgt, OFD_F_DEVICE), OFD_V_UNSUPPORTED);
}
END_TEST

static Suite *explain_rx_csum_suite(void)
{
	Suite *s = suite_create("explain_rx_csum");
	TCase *tc = tcase_create("rx_csum");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, explain_rx_csum_right_claims);
	tcase_add_test(tc, explain_rx_csum_complete_ranges);
	tcase_add_test(tc, explain_rx_csum_levels);
	tcase_add_test(tc, explain_rx_csum_bytes);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(explain_rx_csum_suite)
