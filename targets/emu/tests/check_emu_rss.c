// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_emu_rss.c - the emulator's receive hash (targets/emu/rss.c) and
 * its `rss:` profile section. What each profile must answer is written
 * here from the rule it bends and Microsoft's verification hashes
 * (rss_test_util.h), not taken from either engine:
 *
 *  conformant            equals the model on the whole rss and dissect
 *                        corpora (every record byte)
 *  rss-ports-on-fragment a TCP first fragment of a verification flow
 *                        hashes to the table's 4-tuple value (typed L4),
 *                        where the model gives the 2-tuple one
 *  rss-outer-tuple       IP-in-IP whose outer header carries a verification
 *                        flow hashes to its 2-tuple value (typed L3)
 *  rss-no-exthdr         IPv6/HBH/TCP hashes src | dst | the HBH header's
 *                        first 4 bytes (next header 6, length 0, Router
 *                        Alert type 5 length 2: RFC 8200 4.3, RFC 2711)
 *  rss-symmetric-xor     the definition's hash over sip^dip, sp^dp
 *
 * and each profile gives the model's record where its rule does not apply.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_internal.h"
#include "emu_test_util.h"
#include "ofd_offload.h"
#include "ofd_pcap.h"
#include "rss_test_util.h"

extern const struct ofd_engine_ops ofd_engine_model;
extern const struct emu_offload ofd_emu_rss;

static struct ofd_result *rm, *re;
static uint8_t frame[512];

static void setup(void)
{
	ck_assert_int_eq(ofd_result__new(4096, &rm), 0);
	ck_assert_int_eq(ofd_result__new(4096, &re), 0);
}

static void teardown(void)
{
	ofd_result__free(rm);
	ofd_result__free(re);
	rm = re = NULL;
}

/* Case c through the model (rm) and the device with profile prof (re). */
static void run_both(const char *prof, const struct ofd_case *c)
{
	struct ofdint_emu_profile p;
	struct ofd_result *m = rm;

	emu_load_profile(prof, &p);
	ofd_result_reset(rm);
	ofd_result_reset(re);
	ck_assert_int_eq(ofd_engine_model.run(NULL, c, &m, 1), 0);
	ofd_emu_rss.run(&p, c, re);
}

static void run_frame(const char *prof, uint32_t len, struct ofd_rss_out *om,
		      struct ofd_rss_out *oe)
{
	struct ofd_case c;
	struct ofd_pkt pk;

	rt_case(&c, &pk, frame, len);
	run_both(prof, &c);
	rt_record(rm, om);
	rt_record(re, oe);
}

static bool same(const struct ofd_result *a, const struct ofd_result *b)
{
	return a->status == b->status && a->nframes == b->nframes &&
	       (!a->nframes || ofd_frame_equal(&a->frame[0], &b->frame[0]));
}

START_TEST(conformant_corpus)
{
	static const char *const files[] = { "rss/flows", "dissect/headers",
					     "dissect/truncated" };
	struct ofd_corpus corpus = { 0 };
	struct ofd_caseset set;
	char path[256], err[256] = "";
	unsigned int i, hashed = 0;

	for (i = 0; i < OFD_ARRAY_SIZE(files); i++) {
		snprintf(path, sizeof(path), OFD_TEST_ROOT "/corpus/%s.pcap", files[i]);
		ck_assert_msg(ofd_corpus_load(&corpus, path, err, sizeof(err)) == 0, "%s", err);
	}
	ck_assert_msg(ofd_cases_derive(&corpus, OFD_CAP(OFD_OFFLOAD_RSS), 1u << OFD_REQ_VNET,
				       NULL, &set, err, sizeof(err)) == 0, "%s", err);
	ck_assert_uint_gt(set.ncases, 1000);
	for (i = 0; i < set.ncases; i++) {
		struct ofd_rss_out o;

		run_both(NULL, &set.cases[i]);
		ck_assert_msg(same(rm, re), "corpus case %u differs", i);
		if (rm->status == OFD_RES_OK) {
			rt_record(rm, &o);
			hashed += o.hash_type != OFD_RSS_HASH_NONE;
		}
	}
	/* most frames of these corpora carry an IP header */
	ck_assert_uint_gt(hashed, set.ncases / 2);
	ofd_caseset_free(&set);
	ofd_corpus_free(&corpus);
}
END_TEST

START_TEST(ports_on_fragment)
{
	const struct rt_vector *v = &rt_ms[_i];
	struct ofd_rss_out m, e;

	run_frame("rss-ports-on-fragment", rt_frame(v, RT_FRAG_FIRST, 0, frame, sizeof(frame)),
		  &m, &e);
	ck_assert_uint_eq(m.hash, v->h2);
	ck_assert_uint_eq(e.hash, v->h4);
	ck_assert_uint_eq(e.hash_type, OFD_RSS_HASH_L4);
	ck_assert_uint_eq(e.flow_type, v->v6 ? OFD_RSS_FLOW_TCP6 : OFD_RSS_FLOW_TCP4);
	/* not a fragment: the rule does not apply */
	run_frame("rss-ports-on-fragment", rt_frame(v, RT_TCP, 0, frame, sizeof(frame)), &m, &e);
	ck_assert_uint_eq(e.hash, v->h4);
	ck_assert_mem_eq(&m, &e, sizeof(m));
}
END_TEST

START_TEST(outer_tuple)
{
	const struct rt_vector *v = &rt_ms[_i];
	struct ofd_rss_out m, e;

	run_frame("rss-outer-tuple", rt_frame(v, RT_OUTER_IPIP, 0, frame, sizeof(frame)), &m, &e);
	ck_assert_uint_ne(m.hash, v->h2);
	ck_assert_uint_eq(m.hash_type, OFD_RSS_HASH_L4);
	ck_assert_uint_eq(e.hash, v->h2);
	ck_assert_uint_eq(e.hash_type, OFD_RSS_HASH_L3);
	/* the model hashes the inner tuple: IP-in-IP with the vector inside */
	run_frame("rss-outer-tuple", rt_frame(v, RT_IPIP_TCP, 0, frame, sizeof(frame)), &m, &e);
	ck_assert_uint_eq(m.hash, v->h4);
	ck_assert_uint_ne(e.hash, v->h4);
	run_frame("rss-outer-tuple", rt_frame(v, RT_VLAN_TCP, 0, frame, sizeof(frame)), &m, &e);
	ck_assert_mem_eq(&m, &e, sizeof(m));
}
END_TEST

START_TEST(exthdr_not_skipped)
{
	static const uint8_t hbh4[4] = { 6, 0, 5, 2 };
	const struct rt_vector *v = &rt_ms[5 + _i];
	struct ofd_rss_out m, e;
	uint8_t in[36];

	memcpy(in, v->src, 16);
	memcpy(in + 16, v->dst, 16);
	memcpy(in + 32, hbh4, 4);
	run_frame("rss-no-exthdr", rt_frame(v, RT_HBH_TCP, 0, frame, sizeof(frame)), &m, &e);
	ck_assert_uint_eq(m.hash, v->h4);
	ck_assert_uint_eq(e.hash, rt_toeplitz(in, 36));
	ck_assert_uint_eq(e.hash_type, OFD_RSS_HASH_L4);
	run_frame("rss-no-exthdr", rt_frame(v, RT_TCP, 0, frame, sizeof(frame)), &m, &e);
	ck_assert_mem_eq(&m, &e, sizeof(m));
}
END_TEST

START_TEST(symmetric_xor)
{
	const struct rt_vector *v = &rt_ms[_i];
	struct ofd_rss_out m, e, r;
	uint8_t in[36];
	size_t n = rt_tuple4(v, true, in);

	run_frame("rss-symmetric-xor", rt_frame(v, RT_TCP, 0, frame, sizeof(frame)), &m, &e);
	ck_assert_uint_eq(m.hash, v->h4);
	ck_assert_uint_eq(e.hash, rt_toeplitz(in, n));
	ck_assert_uint_eq(e.queue, rt_queue(e.hash, 128, 4));
	run_frame("rss-symmetric-xor", rt_frame(v, RT_REVERSE_TCP, 0, frame, sizeof(frame)),
		  &m, &r);
	ck_assert_uint_eq(r.hash, e.hash);
}
END_TEST

START_TEST(profile_section)
{
	static const char text[] = "name: t\nrss:\n  fragment_ports: hashed\n  input_xfrm: sym-xor\n";
	static const char bad[] = "name: t\nrss:\n  input_xfrm: xor\n";
	struct ofdint_emu_profile p;
	char err[512] = "";

	ck_assert_int_eq(ofdint_emu_profile_parse("t.yaml", text, sizeof(text) - 1, &p, err,
						  sizeof(err)), 0);
	ck_assert_uint_eq(p.rss.frag_ports, 1);
	ck_assert_uint_eq(p.rss.xfrm, 1);
	ck_assert_uint_eq(p.rss.tunnel, 0);
	ck_assert_int_ne(ofdint_emu_profile_parse("t.yaml", bad, sizeof(bad) - 1, &p, err,
						  sizeof(err)), 0);
	ck_assert_ptr_nonnull(strstr(err, "input_xfrm"));
}
END_TEST

static Suite *emu_rss_suite(void)
{
	Suite *s = suite_create("emu_rss");
	TCase *tc = tcase_create("rss");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, conformant_corpus);
	tcase_add_loop_test(tc, ports_on_fragment, 0, RT_NMS);
	tcase_add_loop_test(tc, outer_tuple, 0, RT_NMS);
	tcase_add_loop_test(tc, exthdr_not_skipped, 0, 3);
	tcase_add_loop_test(tc, symmetric_xor, 0, RT_NMS);
	tcase_add_test(tc, profile_section);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(emu_rss_suite)
