// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_explain_rss.c - the rss judge (explain_rss.c): frames carrying
 * Microsoft's verification flows (rss_test_util.h), the model's record as
 * the reference, a target's record written by hand from the table's
 * hashes or the definition (never the emulator's), and the verdict,
 * severity, class and field lines ofd_diff_full gives. The severities
 * are the judge's documented choice: a bug that splits one flow over
 * queues is critical, one that keeps every flow on one queue benign.
 */
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "ofd_offload.h"
#include "ofd_run.h"
#include "rss_test_util.h"

extern const struct ofd_engine_ops ofd_engine_model;

static struct ofd_result *ref, *tgt;
static struct ofd_diff D;
static uint8_t frame[512];
static struct ofd_case C;
static struct ofd_pkt P;

static void setup(void)
{
	ck_assert_int_eq(ofd_result__new(4096, &ref), 0);
	ck_assert_int_eq(ofd_result__new(4096, &tgt), 0);
	memset(&D, 0, sizeof(D));
}

static void teardown(void)
{
	ofd_diff_free(&D);
	ofd_result__free(ref);
	ofd_result__free(tgt);
	ref = tgt = NULL;
}

/* The case over frame[0, len) and the model's answer in ref. */
static void make(uint32_t len)
{
	rt_case(&C, &P, frame, len);
	ofd_result_reset(ref);
	ck_assert_int_eq(ofd_engine_model.run(NULL, &C, &ref, 1), 0);
	ck_assert_uint_eq(ref->status, OFD_RES_OK);
}

/* A target that answered hash h, type t, flow type ft; queue from the
 * default table (128 entries over 4 queues). */
static void target(uint32_t h, uint8_t t, uint8_t ft)
{
	struct ofd_rss_out o = { .hash = h, .hash_type = t, .flow_type = ft,
				 .queue = rt_queue(h, 128, 4) };
	uint8_t *d;

	ofd_result_reset(tgt);
	ck_assert_ptr_nonnull(ofd_result_add_new(tgt, OFD_RSS_REC_LEN, &d));
	ofd_rss_out_put(&o, d);
}

static void judge(enum ofd_verdict v, enum ofd_severity sev, const char *cls,
		  const char *text_has)
{
	ofd_diff_free(&D);
	ck_assert_int_eq(ofd_diff_full(&C, ref, tgt, OFD_F_DEVICE, NULL, &D), 0);
	ck_assert_msg(D.verdict == v && D.severity == sev && !strcmp(D.cls, cls) &&
		      (!text_has || strstr(D.text, text_has)),
		      "verdict %d severity %d class %s text \"%s\", wanted %d %d %s \"%s\"",
		      D.verdict, D.severity, D.cls, D.text, v, sev, cls,
		      text_has ? text_has : "");
}

START_TEST(equal_record)
{
	make(rt_frame(&rt_ms[0], RT_TCP, 0, frame, sizeof(frame)));
	target(0x51ccc178, OFD_RSS_HASH_L4, OFD_RSS_FLOW_TCP4);
	judge(OFD_V_EQUAL, OFD_SEV_NONE, "equal", NULL);
}
END_TEST

/* The example: a fragment hashed with its ports. */
START_TEST(ports_on_fragment)
{
	make(rt_frame(&rt_ms[0], RT_FRAG_FIRST, 0, frame, sizeof(frame)));
	target(0x51ccc178, OFD_RSS_HASH_L4, OFD_RSS_FLOW_TCP4);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "ports-on-fragment",
	      "ipv4/tcp: rxhash 0x323e8fc2 != 0x51ccc178");
	ck_assert_ptr_nonnull(strstr(D.text, "hash_type l3 != l4"));
	ck_assert_ptr_nonnull(strstr(D.text, "flow_type ipv4 != tcp4"));
	/* 0x323e8fc2 & 127 = 66 -> queue 2; 0x51ccc178 & 127 = 120 -> 0 */
	ck_assert_ptr_nonnull(strstr(D.text, "queue 2 != 0"));
}
END_TEST

START_TEST(outer_tuple)
{
	const struct rt_vector *v = &rt_ms[_i];

	make(rt_frame(v, RT_OUTER_IPIP, 0, frame, sizeof(frame)));
	target(v->h2, OFD_RSS_HASH_L3, v->v6 ? OFD_RSS_FLOW_IPV6 : OFD_RSS_FLOW_IPV4);
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "outer-tuple", "rxhash");
}
END_TEST

START_TEST(exthdr_not_skipped)
{
	static const uint8_t hbh4[4] = { 6, 0, 5, 2 };
	const struct rt_vector *v = &rt_ms[5 + _i];
	uint8_t in[36];

	memcpy(in, v->src, 16);
	memcpy(in + 16, v->dst, 16);
	memcpy(in + 32, hbh4, 4);
	make(rt_frame(v, RT_HBH_TCP, 0, frame, sizeof(frame)));
	target(rt_toeplitz(in, 36), OFD_RSS_HASH_L4, OFD_RSS_FLOW_TCP6);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "exthdr-not-skipped", "rxhash");
}
END_TEST

START_TEST(symmetric_xor)
{
	const struct rt_vector *v = &rt_ms[_i];
	uint8_t in[36];
	size_t n = rt_tuple4(v, true, in);

	make(rt_frame(v, RT_TCP, 0, frame, sizeof(frame)));
	target(rt_toeplitz(in, n), OFD_RSS_HASH_L4,
	       v->v6 ? OFD_RSS_FLOW_TCP6 : OFD_RSS_FLOW_TCP4);
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "symmetric-xor", "rxhash");
}
END_TEST

/* The model's record, checked against the verification table first: the
 * kernel's dissector, and so the reference, is what the test says. */
static void ref_is(uint32_t h, uint8_t t, uint8_t ft)
{
	struct ofd_rss_out o;

	rt_record(ref, &o);
	ck_assert_msg(o.hash == h && o.hash_type == t && o.flow_type == ft,
		      "reference 0x%08x type %u flow %u, wanted 0x%08x %u %u", o.hash, o.hash_type,
		      o.flow_type, h, t, ft);
}

/* A device that wants the whole TCP header: with 10 (IPv4) or 12 (IPv6)
 * bytes of it the kernel still takes the ports from the first 4 and hashes
 * the 4-tuple; the device hashes the 2-tuple, typed L3 (the table's
 * 2-tuple value). */
START_TEST(l4_header_incomplete)
{
	const struct rt_vector *v = &rt_ms[_i ? 5 : 0];
	uint32_t cut = 14 + (v->v6 ? 40 + 12 : 20 + 10);

	rt_frame(v, RT_TCP, 0, frame, sizeof(frame));
	make(cut);
	ref_is(v->h4, OFD_RSS_HASH_L4, v->v6 ? OFD_RSS_FLOW_TCP6 : OFD_RSS_FLOW_TCP4);
	target(v->h2, OFD_RSS_HASH_L3, v->v6 ? OFD_RSS_FLOW_IPV6 : OFD_RSS_FLOW_IPV4);
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "l4-header-incomplete", "hash_type l4 != l3");
}
END_TEST

/* A device that parses IP behind at most two VLAN tags: three tags, or a
 * PPPoE session (RFC 2516: ver/type 0x11, code 0, session, length; PPP
 * protocol 0x0021 IPv4), get no hash; the kernel walks both to the IP
 * header and hashes the vector's 4-tuple. */
START_TEST(l2_not_parsed)
{
	static const uint8_t tags[12] = { 0x81, 0x00, 0x00, 0x0a, 0x81, 0x00, 0x00, 0x0b,
					  0x81, 0x00, 0x00, 0x0c };
	static const uint8_t pppoe[8] = { 0x88, 0x64, 0x11, 0x00, 0x00, 0x01, 0x00, 0x00 };
	const struct rt_vector *v = &rt_ms[0];
	uint8_t plain[256];
	uint32_t n = rt_frame(v, RT_TCP, 0, plain, sizeof(plain));

	if (_i == 0) { /* dst, src | three tags | 0x0800 ... */
		memcpy(frame, plain, 12);
		memcpy(frame + 12, tags, sizeof(tags));
		memcpy(frame + 24, plain + 12, n - 12);
		make(n + 12);
	} else { /* dst, src | 0x8864 PPPoE | 0x0021 | IPv4 ... */
		memcpy(frame, plain, 12);
		memcpy(frame + 12, pppoe, sizeof(pppoe));
		ofd_put_be16(frame + 18, (uint16_t)(n - 14 + 2)); /* PPP protocol + IP */
		ofd_put_be16(frame + 20, 0x0021);
		memcpy(frame + 22, plain + 14, n - 14);
		make(n + 8);
	}
	ref_is(v->h4, OFD_RSS_HASH_L4, OFD_RSS_FLOW_TCP4);
	target(0, OFD_RSS_HASH_NONE, OFD_RSS_FLOW_NONE);
	ck_assert_uint_eq(rt_queue(0, 128, 4), 0);
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "l2-not-parsed", "rxhash");
}
END_TEST

/* A Hop-by-Hop header (8 bytes) cut after 4: the kernel's dissector reads
 * its next header (TCP) but no ports, so the 4-tuple with ports 0, which
 * Toeplitz hashes to the table's 2-tuple value (zero bits add nothing),
 * typed as TCP; the device nothing. */
START_TEST(ipv6_chain_incomplete)
{
	const struct rt_vector *v = &rt_ms[5];

	rt_frame(v, RT_HBH_TCP, 0, frame, sizeof(frame));
	make(14 + 40 + 4);
	ref_is(v->h2, OFD_RSS_HASH_L4, OFD_RSS_FLOW_TCP6);
	target(0, OFD_RSS_HASH_NONE, OFD_RSS_FLOW_NONE);
	judge(OFD_V_DISCREPANCY, OFD_SEV_BENIGN, "ipv6-chain-incomplete", "rxhash");
}
END_TEST

/* No hypothesis gives these: a hash off by one bit, the right hash under
 * the wrong type, the right hash on the wrong queue. */
START_TEST(unexplained)
{
	struct ofd_rss_out o = { .hash = 0x51ccc178, .hash_type = OFD_RSS_HASH_L4,
				 .flow_type = OFD_RSS_FLOW_TCP4, .queue = 3 };
	uint8_t *d;

	make(rt_frame(&rt_ms[0], RT_TCP, 0, frame, sizeof(frame)));
	target(0x51ccc179, OFD_RSS_HASH_L4, OFD_RSS_FLOW_TCP4);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "rss-unexplained",
	      "rxhash 0x51ccc178 != 0x51ccc179");
	target(0x51ccc178, OFD_RSS_HASH_L3, OFD_RSS_FLOW_TCP4);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "rss-unexplained", "hash_type l4 != l3");
	ofd_result_reset(tgt);
	ck_assert_ptr_nonnull(ofd_result_add_new(tgt, OFD_RSS_REC_LEN, &d));
	ofd_rss_out_put(&o, d);
	judge(OFD_V_DISCREPANCY, OFD_SEV_CRITICAL, "rss-unexplained", "queue 0 != 3");
}
END_TEST

/*
 * 3000 random cases (harness/cases/rss.c: random frames of every shape,
 * rss corpus flows with moved ports, dissect corpus frames, cuts) through
 * each profile: conformant equal to the model on all; every other
 * profile's discrepancies all of its own class, and some of them.
 */
START_TEST(random_cases_explained)
{
	static const struct {
		const char *prof, *cls;
	} profs[] = {
		{ NULL, NULL },
		{ "rss-ports-on-fragment", "ports-on-fragment" },
		{ "rss-outer-tuple", "outer-tuple" },
		{ "rss-no-exthdr", "exthdr-not-skipped" },
		{ "rss-symmetric-xor", "symmetric-xor" },
	};
	extern const struct ofd_engine_ops ofd_engine_emu;
	const struct ofd_offload_cases *oc = ofd_offload_get(OFD_OFFLOAD_RSS)->cases;
	static uint8_t buf[4096];
	unsigned int k, found;
	uint64_t i;

	for (k = 0; k < OFD_ARRAY_SIZE(profs); k++) {
		struct ofd_engine_opts o = { .profile = profs[k].prof };
		void *emu = NULL;

		ck_assert_int_eq(ofd_engine_emu.open(&o, &emu), 0);
		found = 0;
		for (i = 0; i < 3000; i++) {
			ck_assert_int_eq(oc->random(11, i, buf, sizeof(buf), &P, 1, &C), 0);
			ofd_result_reset(ref);
			ofd_result_reset(tgt);
			ck_assert_int_eq(ofd_engine_model.run(NULL, &C, &ref, 1), 0);
			ck_assert_int_eq(ofd_engine_emu.run(emu, &C, &tgt, 1), 0);
			ofd_diff_free(&D);
			ck_assert_int_eq(ofd_diff_full(&C, ref, tgt, OFD_F_DEVICE, NULL, &D), 0);
			if (D.verdict == OFD_V_EQUAL || D.verdict == OFD_V_UNSUPPORTED)
				continue;
			ck_assert_msg(profs[k].cls && !strcmp(D.cls, profs[k].cls),
				      "%s, random case %llu: class %s", profs[k].prof ? profs[k].prof :
				      "conformant", (unsigned long long)i, D.cls);
			found++;
		}
		ofd_engine_emu.close(emu);
		if (profs[k].cls)
			ck_assert_msg(found > 0, "%s: nothing found", profs[k].prof);
	}
}
END_TEST

/*
 * specs/rss.yaml end to end (issue 21 item 5): conformant has no
 * discrepancy, each rss-* profile has discrepancies of exactly the class
 * its knob bends, with that class's severity, and nothing unexplained;
 * the run exits 1 (critical findings: the campaign includes the bug
 * profiles on purpose).
 */
START_TEST(spec_end_to_end)
{
	static const struct {
		const char *label, *cls, *sev;
	} want[] = {
		{ "emu:conformant", NULL, NULL },
		{ "emu:rss-ports-on-fragment", "ports-on-fragment", "critical" },
		{ "emu:rss-outer-tuple", "outer-tuple", "benign" },
		{ "emu:rss-no-exthdr", "exthdr-not-skipped", "critical" },
		{ "emu:rss-symmetric-xor", "symmetric-xor", "benign" },
	};
	char dir[256], path[512], *out;
	json_t *sum, *targets;
	glob_t g;
	size_t i;

	ofd_test_mkdtemp(dir, sizeof(dir), "rss-spec");
	ck_assert_int_eq(ofd_test_run(&out, true, "%s run specs/rss.yaml --out %s -q",
				      ofd_test_offdiff(), dir), 1);
	free(out);
	snprintf(path, sizeof(path), "%s/*-rss/summary.json", dir);
	ck_assert_int_eq(glob(path, 0, NULL, &g), 0);
	sum = json_load_file(g.gl_pathv[0], 0, NULL);
	globfree(&g);
	ck_assert_ptr_nonnull(sum);
	targets = json_object_get(sum, "targets");
	ck_assert_uint_eq(json_array_size(targets), OFD_ARRAY_SIZE(want));
	for (i = 0; i < OFD_ARRAY_SIZE(want); i++) {
		json_t *t = json_array_get(targets, i), *cl = json_object_get(t, "classes");
		json_int_t disc = json_integer_value(json_object_get(json_object_get(t, "verdicts"),
								     "discrepancy"));

		ck_assert_str_eq(json_string_value(json_object_get(t, "label")), want[i].label);
		ck_assert_int_gt(json_integer_value(json_object_get(t, "cases")), 6000);
		if (!want[i].cls) {
			ck_assert_int_eq(disc, 0);
			ck_assert_uint_eq(json_array_size(cl), 0);
			continue;
		}
		ck_assert_int_gt(disc, 0);
		ck_assert_uint_eq(json_array_size(cl), 1);
		ck_assert_str_eq(json_string_value(json_object_get(json_array_get(cl, 0), "class")),
				 want[i].cls);
		ck_assert_str_eq(json_string_value(json_object_get(json_array_get(cl, 0),
								   "severity")), want[i].sev);
		ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(cl, 0), "count")),
				 disc);
	}
	json_decref(sum);
	ck_assert_int_eq(ofd_test_run(&out, true, "rm -rf %s", dir), 0);
	free(out);
}
END_TEST

static Suite *explain_rss_suite(void)
{
	Suite *s = suite_create("explain_rss");
	TCase *tc = tcase_create("rss");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, equal_record);
	tcase_add_test(tc, ports_on_fragment);
	tcase_add_loop_test(tc, outer_tuple, 0, RT_NMS);
	tcase_add_loop_test(tc, exthdr_not_skipped, 0, 3);
	tcase_add_loop_test(tc, symmetric_xor, 0, RT_NMS);
	tcase_add_test(tc, unexplained);
	tcase_add_loop_test(tc, l4_header_incomplete, 0, 2);
	tcase_add_loop_test(tc, l2_not_parsed, 0, 2);
	tcase_add_test(tc, ipv6_chain_incomplete);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, random_cases_explained);
	tcase_add_test(tc, spec_end_to_end);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(explain_rss_suite)
