// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_case_validate.c - case.yaml is validated like a spec: every error
 * says file:line:col and what is wrong (issue 15, item 8), and masks name
 * fields the diff really gives.
 *
 * Cases:
 *  - a valid case file reads (the base every variant edits one line of);
 *  - a missing request:, target engine or offdiff_case is located at the
 *    map that lacks it, with its own message (a missing engine once came
 *    out as "reference: expected a string");
 *  - offdiff_case other than 1, an unknown verdict, a mask field the diff
 *    never names (srh.segment[-1], [01], [256], tcp.checksum[0], a typo)
 *    are refused at their line:col;
 *  - ofd_parse_field_known() accepts what the diff names (srh.segment,
 *    srh.segment[0], [255], tcp.checksum, ipv4, payload) and nothing
 *    else; a spec's mask srh.segment[-1] is refused at its line:col.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd_parse.h"
#include "ofd_run.h"
#include "ofd_spec.h"
#include "ofd_test.h"

static char dir[64], pcap[600];

static void setup(void)
{
	char cwd[512];

	ofd_test_mkdtemp(dir, sizeof(dir), "casev");
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	snprintf(pcap, sizeof(pcap), "%s/corpus/tx-csum/base.pcap", cwd);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The lines of a valid case file; a variant replaces or drops one. */
static const char *const base[] = {
	"offdiff_case: 1",
	"offload: tx-csum",
	"reference: model",
	"target:",
	"  engine: emu",
	"  profile: conformant",
	"input: PCAP",
	"source:",
	"  file: base.pcap",
	"  packet: 0",
	"request:",
	"  kind: vnet",
	"  csum_type: inet",
	"  legacy: [ipv4, udp]",
	"  flags: 1",
	"  gso_type: 0",
	"  gso_size: 0",
	"  hdr_len: 0",
	"  csum_start: 34",
	"  csum_offset: 6",
	"mask: [ipv4.id]",
	"verdict: discrepancy",
};
#define NBASE (sizeof(base) / sizeof(base[0]))

/* Write base with line `at` (0-based) and the `skip` lines after it
 * replaced by `with` (NULL: dropped). */
static void write_case(const char *path, size_t at, size_t skip, const char *with)
{
	FILE *f = fopen(path, "w");
	size_t i;

	ck_assert_ptr_nonnull(f);
	for (i = 0; i < NBASE; i++) {
		if (i == at) {
			if (with)
				fprintf(f, "%s\n", with);
			i += skip;
			continue;
		}
		if (!strcmp(base[i], "input: PCAP"))
			fprintf(f, "input: %s\n", pcap);
		else
			fprintf(f, "%s\n", base[i]);
	}
	ck_assert_int_eq(fclose(f), 0);
}

static size_t line_of(const char *prefix)
{
	size_t i;

	for (i = 0; i < NBASE; i++)
		if (!strncmp(base[i], prefix, strlen(prefix)))
			return i;
	ck_abort_msg("no line %s", prefix);
	return 0;
}

START_TEST(valid_case_reads)
{
	struct ofd_loaded_case lc;
	char path[128], err[512] = "";

	snprintf(path, sizeof(path), "%s/case.yaml", dir);
	write_case(path, NBASE, 0, NULL);
	ck_assert_msg(ofd_case_read_yaml(path, &lc, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(lc.expected, OFD_V_DISCREPANCY);
	ck_assert_int_eq((int)lc.nmask, 1);
	ofd_loaded_case_free(&lc);
}
END_TEST

static const struct bad {
	const char *line;
	size_t skip;
	const char *with, *expect; /* expect: after "path:" */
} bads[] = {
	{ "request:", 9, NULL, "1:1: missing 'request'" },
	{ "  engine:", 0, NULL, "5:3: target: missing 'engine'" },
	{ "offdiff_case:", 0, NULL, "1:1: missing 'offdiff_case' (the case format version, 1)" },
	{ "offdiff_case:", 0, "offdiff_case: 2", "1:15: offdiff_case: version 2 is not supported (this offdiff reads 1)" },
	{ "offdiff_case:", 0, "offdiff_case: one", "1:15: offdiff_case: expected an integer" },
	{ "verdict:", 0, "verdict: fine", "22:10: verdict: unknown verdict 'fine'" },
	{ "verdict:", 0, "verdict: [equal]", "22:10: verdict: expected a string" },
	{ "mask:", 0, "mask: ['srh.segment[-1]']", "21:8: mask: unknown field 'srh.segment[-1]'" },
	{ "mask:", 0, "mask: [ipv4.id, 'srh.segment[01]']", "21:17: mask: unknown field 'srh.segment[01]'" },
	{ "mask:", 0, "mask: ['srh.segment[256]']", "21:8: mask: unknown field 'srh.segment[256]'" },
	{ "mask:", 0, "mask: ['tcp.checksum[0]']", "21:8: mask: unknown field 'tcp.checksum[0]'" },
	{ "mask:", 0, "mask: [tcp.chksum]", "21:8: mask: unknown field 'tcp.chksum'" },
	{ "mask:", 0, "mask: ipv4.id", "21:7: mask: expected a sequence of field names" },
	{ "source:", 2, "source: 3", "8:9: source: expected a map with file and packet" },
};

START_TEST(bad_case_located)
{
	const struct bad *b = &bads[_i];
	struct ofd_loaded_case lc;
	char path[128], err[512] = "", want[700];
	int rc;

	snprintf(path, sizeof(path), "%s/case.yaml", dir);
	write_case(path, line_of(b->line), b->skip, b->with);
	rc = ofd_case_read_yaml(path, &lc, err, sizeof(err));
	ck_assert_msg(rc == -EINVAL, "%s: rc %d (%s)", b->expect, rc, err);
	snprintf(want, sizeof(want), "%s:%s", path, b->expect);
	ck_assert_msg(!strncmp(err, want, strlen(want)), "want '%s', got '%s'", want, err);
	ck_assert_ptr_null(strchr(err, '\n'));
}
END_TEST

START_TEST(mask_names_known)
{
	static const char *const good[] = { "srh.segment", "srh.segment[0]", "srh.segment[255]",
					    "srh.segment[10]", "tcp.checksum", "ipv4", "ipv4.id",
					    "payload", "trailer" };
	static const char *const bad[] = { "srh.segment[-1]", "srh.segment[01]", "srh.segment[256]",
					   "srh.segment[]", "srh.segment[1", "srh.segment[1]x",
					   "srh.segment[+1]", "tcp.checksum[0]", "ipv4.id[0]",
					   "tcp.chksum", "nope", "" };
	size_t i;

	for (i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		ck_assert_msg(ofd_parse_field_known(good[i]), "%s refused", good[i]);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		ck_assert_msg(!ofd_parse_field_known(bad[i]), "'%s' accepted", bad[i]);
}
END_TEST

START_TEST(spec_mask_index_refused)
{
	struct ofd_spec *s = NULL;
	char path[128], err[512] = "", want[600];
	FILE *f;

	snprintf(path, sizeof(path), "%s/spec.yaml", dir);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "name: x\ncorpus: [%s]\ntargets: [{engine: null}]\n"
		"mask: [ipv4.id, 'srh.segment[-1]']\n", pcap);
	ck_assert_int_eq(fclose(f), 0);
	ck_assert_int_eq(ofd_spec_load(path, &s, err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:4:17: mask: unknown field 'srh.segment[-1]'", path);
	ck_assert_msg(!strncmp(err, want, strlen(want)), "want '%s', got '%s'", want, err);
}
END_TEST

static Suite *case_validate_suite(void)
{
	Suite *s = suite_create("case_validate");
	TCase *tc = tcase_create("case_validate");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, valid_case_reads);
	tcase_add_loop_test(tc, bad_case_located, 0, sizeof(bads) / sizeof(bads[0]));
	tcase_add_test(tc, mask_names_known);
	tcase_add_test(tc, spec_mask_index_refused);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(case_validate_suite)
