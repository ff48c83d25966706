// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_explain_dissect.c - the dissect judge (harness/run/explain_
 * dissect.c) through ofd_diff_full: field lines named from
 * ofd_flow_keys_fields over the groups both records fill, equality that
 * ignores a group one side does not fill, and the class of each bug
 * hypothesis. The targets' records are edited by hand here from the
 * reference's, as the bug would change them (kernel-rx.md 5.1, 5.4), not
 * produced by the emulator, so a class is reached independently of the
 * emulator's knobs.
 */
#include <string.h>

#include "ofd_test.h"
#include "ofd_dissect.h"
#include "ofd_offload.h"
#include "ofd_pktbuild.h"

static uint8_t frame[512];
static struct ofd_pkt pkt;
static struct ofd_case kase;
static struct ofd_result *ref, *tgt;
static struct ofd_diff D;

static void setup(void)
{
	ck_assert_int_eq(ofd_result__new(4096, &ref), 0);
	ck_assert_int_eq(ofd_result__new(4096, &tgt), 0);
}

static void teardown(void)
{
	ofd_diff_free(&D);
	ofd_result__free(ref);
	ofd_result__free(tgt);
}

/* frame: eth / [vlan 7] / ipv4 [first fragment] / tcp 1000 -> 2000 */
static void make_case(bool vlan, bool first_frag, uint8_t flags)
{
	struct ofd_pktb b;
	struct ofd_pktb_tcp_opts t = { .sport = 1000, .dport = 2000, .flags = 0x10 };

	ofd_pktb_init(&b, frame, sizeof(frame));
	ofd_pktb_eth(&b, NULL, NULL, 0);
	if (vlan)
		ofd_pktb_vlan(&b, 7, 0);
	ofd_pktb_ipv4(&b, NULL);
	ofd_pktb_tcp(&b, &t);
	ofd_pktb_payload(&b, 20);
	ck_assert_int_eq(ofd_pktb_finish(&b), 0);
	if (first_frag)
		ofd_put_be16(frame + 14 + (vlan ? 4 : 0) + 6, 0x2000);
	pkt.data = frame;
	pkt.len = b.len;
	memset(&kase, 0, sizeof(kase));
	kase.offload = OFD_OFFLOAD_DISSECT;
	kase.npkts = 1;
	kase.pkts = &pkt;
	kase.req.rx_flags = flags;
}

static void put(struct ofd_result *r, const struct ofd_flow_keys *k)
{
	uint8_t *out;

	ofd_result_reset(r);
	ck_assert_ptr_nonnull(ofd_result_add_new(r, OFD_FLOW_KEYS_LEN, &out));
	ofd_flow_keys_put(k, out);
}

static void judge(const struct ofd_flow_keys *kr, const struct ofd_flow_keys *kt)
{
	put(ref, kr);
	put(tgt, kt);
	ofd_diff_free(&D);
	ck_assert_int_eq(ofd_diff_full(&kase, ref, tgt, OFD_F_DEVICE, NULL, &D), 0);
}

START_TEST(field_lines_and_have)
{
	struct ofd_flow_keys kr, kt;

	make_case(true, false, 0);
	ck_assert_int_eq(ofd_model_dissect(frame, pkt.len, 0, &kr), 0);
	kt = kr;
	kt.sport = 1;
	judge(&kr, &kt);
	ck_assert_int_eq(D.verdict, OFD_V_DISCREPANCY);
	ck_assert_ptr_nonnull(strstr(D.text, "ports.src 1000 != 1"));
	ck_assert_ptr_null(strstr(D.text, "ports.dst"));
	ck_assert_str_eq(D.cls, "keys-unexplained");

	/* a target that fills no VLAN group (a BPF dissector, 5.4) is
	 * equal where the groups both fill agree */
	kt = kr;
	kt.have &= (uint8_t)~OFD_FK_HAVE_VLAN;
	kt.vlan_id = kt.vlan_tpid = 0;
	judge(&kr, &kt);
	ck_assert_int_eq(D.verdict, OFD_V_EQUAL);
	/* ... and its other fields still count */
	kt.thoff = 3;
	judge(&kr, &kt);
	ck_assert_int_eq(D.verdict, OFD_V_DISCREPANCY);
	ck_assert_ptr_nonnull(strstr(D.text, "control.thoff 38 != 3"));
	ck_assert_ptr_null(strstr(D.text, "vlan."));
}
END_TEST

START_TEST(classes)
{
	struct ofd_flow_keys kr, kt;

	/* the VLAN key left out while the group is claimed */
	make_case(true, false, 0);
	ck_assert_int_eq(ofd_model_dissect(frame, pkt.len, 0, &kr), 0);
	kt = kr;
	kt.vlan_id = kt.vlan_prio = 0;
	kt.vlan_tpid = 0;
	judge(&kr, &kt);
	ck_assert_str_eq(D.cls, "vlan-key-missing");
	ck_assert_int_eq(D.severity, OFD_SEV_CRITICAL);

	/* ports from a first fragment parsed on: the TCP header's own */
	make_case(false, true, OFD_FK_F_PARSE_1ST_FRAG);
	ck_assert_int_eq(ofd_model_dissect(frame, pkt.len, OFD_FK_F_PARSE_1ST_FRAG, &kr), 0);
	ck_assert_uint_eq(kr.sport, 0);
	kt = kr;
	kt.sport = 1000;
	kt.dport = 2000;
	judge(&kr, &kt);
	ck_assert_str_eq(D.cls, "ports-on-first-fragment");

	/* only the network offset: benign */
	make_case(false, false, 0);
	ck_assert_int_eq(ofd_model_dissect(frame, pkt.len, 0, &kr), 0);
	kt = kr;
	kt.nhoff = 99;
	judge(&kr, &kt);
	ck_assert_str_eq(D.cls, "nhoff-convention");
	ck_assert_int_eq(D.severity, OFD_SEV_BENIGN);

	/* a change no hypothesis makes */
	kt = kr;
	kt.gre_keyid = 5;
	judge(&kr, &kt);
	ck_assert_str_eq(D.cls, "keys-unexplained");
	ck_assert_ptr_nonnull(strstr(D.text, "gre.keyid 0x00000000 != 0x00000005"));
}
END_TEST

static Suite *explain_dissect_suite(void)
{
	Suite *s = suite_create("explain_dissect");
	TCase *tc = tcase_create("judge");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, field_lines_and_have);
	tcase_add_test(tc, classes);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(explain_dissect_suite)
