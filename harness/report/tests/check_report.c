// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_report.c - skipped cases in a report, without root.
 *
 * The model declines what it has no model for (an rss case) and a tx-csum
 * request that is really a segmentation request (tso's model does that);
 * the null engine, as the target, does whatever it is asked. So model vs
 * null gives skips whose reasons are known in advance.
 *
 * Cases:
 *  - all skipped: compared is 0, each reason counted under the engine
 *    that declined it with its exact count, and summary.json, findings.jsonl,
 *    junit.xml and results.ktap all name the reasons (KTAP `# SKIP`, junit
 *    <skipped message=...>, the suite's skipped attribute);
 *  - counting a skip allocates nothing once the reason is in the table;
 *  - more distinct reasons than the table holds: the last slot takes the
 *    rest and no count is lost.
 */
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "ofd.h"
#include "ofd_consumers.h"
#include "ofd_run.h"
#include "ofd_test.h"

#define NO_MODEL "no model for this offload yet"
#define NO_DISSECTOR "segmentation is the tso offload's model"

static char dir[64];
static struct ofd_engine *model, *null_eng;
static uint8_t frame[254];

static void setup(void)
{
	struct ofd_engine_opts eo = { 0 };
	char err[256];
	size_t i;

	ofd_test_mkdtemp(dir, sizeof(dir), "report");
	ck_assert_int_eq(ofd_engine__open("model", &eo, &model, err, sizeof(err)), 0);
	ck_assert_int_eq(ofd_engine__open("null", &eo, &null_eng, err, sizeof(err)), 0);
	/* Ethernet, IPv4 (IHL 5, TCP), TCP with a 20-byte header: a frame
	 * whose TCP header starts at 34, and 200 bytes of payload, more than
	 * the gso_size of 100 the cases ask for. */
	memset(frame, 0, sizeof(frame));
	frame[12] = 0x08;
	frame[14] = 0x45;
	frame[17] = 240;
	frame[22] = 64;
	frame[23] = 6;
	frame[46] = 0x50;
	for (i = 26; i < 34; i++)
		frame[i] = (uint8_t)i;
}

static void teardown(void)
{
	char cmd[128];

	ofd_engine__close(null_eng);
	ofd_engine__close(model);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static char *slurp(const char *run_dir, const char *name)
{
	char path[512];
	FILE *f;
	char *buf;
	long n;

	snprintf(path, sizeof(path), "%s/%s", run_dir, name);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "missing %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	rewind(f);
	buf = calloc(1, (size_t)n + 1);
	ck_assert_ptr_nonnull(buf);
	ck_assert_uint_eq(fread(buf, 1, (size_t)n, f), (size_t)n);
	fclose(f);
	return buf;
}

/* n_gro cases of an offload the model has no model for (an id past the
 * registry's: every registered offload has a model now; the name stays),
 * then n_gso tx-csum requests that are GSO requests. */
static void make_cases(struct ofd_case *cases, struct ofd_pkt *pkt,
		       unsigned int n_gro, unsigned int n_gso)
{
	unsigned int i;

	pkt->data = frame;
	pkt->len = sizeof(frame);
	for (i = 0; i < n_gro + n_gso; i++) {
		memset(&cases[i], 0, sizeof(cases[i]));
		cases[i].id = i;
		cases[i].npkts = 1;
		cases[i].pkts = pkt;
		cases[i].offload = i < n_gro ? OFD_OFFLOAD__MAX : OFD_OFFLOAD_TX_CSUM;
		cases[i].req.kind = OFD_REQ_VNET;
		cases[i].req.vnet.gso_type = OFD_VNET_GSO_TCPV4;
		cases[i].req.vnet.gso_size = 100;
	}
}

START_TEST(all_skipped_is_reported)
{
	struct ofd_runner_target rt = { .label = "null" };
	struct ofd_case cases[10];
	struct ofd_report *rep;
	struct ofd_runner *r;
	struct ofd_pkt pkt;
	char run_dir[512], reasons[512], *text;
	json_error_t je;
	json_t *sum, *t, *sk;
	size_t i;
	int got_gro = 0, got_gso = 0;

	rt.engine = null_eng;
	make_cases(cases, &pkt, 7, 3);
	ck_assert_int_eq(ofd_report__open(dir, "r", "unit", "model", "m1", &rep), 0);
	ck_assert_int_eq(ofd_runner__new(model, &rt, 1, rep, NULL, &r), 0);
	ck_assert_int_eq(ofd_runner__batch(r, cases, 10), 0);
	ck_assert_uint_eq(ofd_runner__count(r, OFD_V_UNSUPPORTED), 10);
	ck_assert_uint_eq(ofd_report__compared(rep), 0);
	ck_assert_uint_eq(ofd_report__skip_reasons(rep, reasons, sizeof(reasons)), 2);
	ck_assert_str_eq(reasons, "model: " NO_MODEL "; model: " NO_DISSECTOR);
	snprintf(run_dir, sizeof(run_dir), "%s", ofd_report__dir(rep));
	ck_assert_int_eq(ofd_report__close(rep, NULL, 0.5), 0);
	ofd_runner__free(r);

	snprintf(reasons, sizeof(reasons), "%s/summary.json", run_dir);
	sum = json_load_file(reasons, 0, &je);
	ck_assert_msg(sum != NULL, "%s", je.text);
	ck_assert_int_eq(json_integer_value(json_object_get(sum, "compared")), 0);
	t = json_array_get(json_object_get(sum, "targets"), 0);
	ck_assert_int_eq(json_integer_value(json_object_get(t, "compared")), 0);
	ck_assert_uint_eq(json_array_size(json_object_get(t, "skipped")), 2);
	json_array_foreach(json_object_get(t, "skipped"), i, sk) {
		const char *why = json_string_value(json_object_get(sk, "reason"));
		json_int_t n = json_integer_value(json_object_get(sk, "count"));

		ck_assert_str_eq(json_string_value(json_object_get(sk, "engine")), "model");
		if (!strcmp(why, NO_MODEL))
			got_gro = n == 7;
		else if (!strcmp(why, NO_DISSECTOR))
			got_gso = n == 3;
	}
	ck_assert(got_gro && got_gso);
	json_decref(sum);

	text = slurp(run_dir, "results.ktap");
	ck_assert_msg(strstr(text, "  ok 1 equal # SKIP no case compared\n"), "%s", text);
	ck_assert_msg(strstr(text, "  ok 2 skipped by model: " NO_MODEL " # SKIP 7 cases\n"), "%s", text);
	ck_assert_msg(strstr(text, "  ok 3 skipped by model: " NO_DISSECTOR " # SKIP 3 cases\n"), "%s", text);
	ck_assert_msg(strstr(text, "\nok 1 null # SKIP " NO_MODEL "\n"), "%s", text);
	ck_assert_ptr_null(strstr(text, "not ok"));
	free(text);
	text = slurp(run_dir, "junit.xml");
	ck_assert_msg(strstr(text, "tests=\"3\" failures=\"0\" errors=\"0\" skipped=\"3\""), "%s", text);
	ck_assert_msg(strstr(text, "<skipped message=\"" NO_MODEL " (7 cases)\"/>"), "%s", text);
	ck_assert_msg(strstr(text, "<skipped message=\"" NO_DISSECTOR " (3 cases)\"/>"), "%s", text);
	free(text);
	/* what Jenkins and kunit.py make of a run that compared nothing */
	{
		struct ofd_junit_totals jt;

		ofd_consumer_junit(run_dir, &jt);
		ck_assert_int_eq(jt.tests, 3);
		ck_assert_int_eq(jt.skipped, 3);
		ofd_consumer_ktap(run_dir, &jt);
	}
	text = slurp(run_dir, "findings.jsonl");
	ck_assert_msg(strstr(text, "{\"count\":7,\"engine\":\"model\",\"reason\":\"" NO_MODEL
				   "\",\"schema\":\"offdiff.finding.v1\",\"target\":\"null\",\"verdict\":\"unsupported\","), "%s", text);
	ck_assert_msg(strstr(text, "\"count\":3,"), "%s", text);
	free(text);
}
END_TEST

START_TEST(counting_skips_allocates_nothing)
{
	struct ofd_runner_target rt = { .label = "null" };
	struct ofd_case cases[10];
	struct mallinfo2 before, after;
	struct ofd_report *rep;
	struct ofd_runner *r;
	struct ofd_pkt pkt;
	int pass;

	rt.engine = null_eng;
	make_cases(cases, &pkt, 5, 5);
	ck_assert_int_eq(ofd_report__open(dir, "a", "unit", "model", "m1", &rep), 0);
	ck_assert_int_eq(ofd_runner__new(model, &rt, 1, rep, NULL, &r), 0);
	for (pass = 0; pass < 4; pass++) {
		if (pass == 1)
			before = mallinfo2();
		ck_assert_int_eq(ofd_runner__batch(r, cases, 10), 0);
	}
	after = mallinfo2();
	ck_assert_uint_eq(ofd_runner__count(r, OFD_V_UNSUPPORTED), 40);
#if !defined(__SANITIZE_ADDRESS__)
	ck_assert_uint_eq(after.uordblks, before.uordblks);
	ck_assert_uint_eq(after.hblks, before.hblks);
#endif
	(void)before;
	(void)after;
	ofd_runner__free(r);
	ofd_report__close(rep, NULL, 0);
}
END_TEST

START_TEST(reasons_past_the_table)
{
	static const char *const why[] = {
		"r00", "r01", "r02", "r03", "r04", "r05", "r06", "r07", "r08", "r09",
		"r10", "r11", "r12", "r13", "r14", "r15", "r16", "r17", "r18", "r19",
	};
	struct ofd_target_desc d = { .label = "t", .engine = "null" };
	struct ofd_report *rep;
	char path[600];
	json_t *sum, *sk, *last;
	json_int_t n = 0;
	size_t i, ns;
	int t;

	ck_assert_int_eq(ofd_report__open(dir, "o", "unit", "model", "m1", &rep), 0);
	t = ofd_report__target(rep, &d);
	for (i = 0; i < OFD_ARRAY_SIZE(why); i++) {
		ofd_report__count(rep, t, OFD_V_UNSUPPORTED);
		ofd_report__skip(rep, t, "null", why[i]);
	}
	/* a reason seen again is counted on its own entry */
	ofd_report__count(rep, t, OFD_V_UNSUPPORTED);
	ofd_report__skip(rep, t, "null", why[3]);
	snprintf(path, sizeof(path), "%s/summary.json", ofd_report__dir(rep));
	ck_assert_int_eq(ofd_report__close(rep, NULL, 0), 0);
	sum = json_load_file(path, 0, NULL);
	ck_assert_ptr_nonnull(sum);
	sk = json_object_get(json_array_get(json_object_get(sum, "targets"), 0), "skipped");
	ns = json_array_size(sk);
	ck_assert_uint_gt(ns, 1);
	ck_assert_uint_lt(ns, OFD_ARRAY_SIZE(why));
	for (i = 0; i < ns; i++)
		n += json_integer_value(json_object_get(json_array_get(sk, i), "count"));
	ck_assert_int_eq(n, (json_int_t)OFD_ARRAY_SIZE(why) + 1);
	ck_assert_int_eq(json_integer_value(json_object_get(json_array_get(sk, 3), "count")), 2);
	last = json_array_get(sk, ns - 1);
	ck_assert_ptr_nonnull(strstr(json_string_value(json_object_get(last, "reason")),
				     "other reasons"));
	/* everything past the named slots, i.e. the reasons without a slot */
	ck_assert_int_eq(json_integer_value(json_object_get(last, "count")),
			 (json_int_t)(OFD_ARRAY_SIZE(why) - (ns - 1)));
	json_decref(sum);
}
END_TEST

static Suite *report_suite(void)
{
	Suite *s = suite_create("report");
	TCase *tc = tcase_create("skips");

	tcase_set_timeout(tc, 30);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, all_skipped_is_reported);
	tcase_add_test(tc, counting_skips_allocates_nothing);
	tcase_add_test(tc, reasons_past_the_table);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(report_suite)
