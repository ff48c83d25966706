// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_resume_inputs.c - `run --resume` checks everything the run started
 * with, and every number it restores (issue 15, item 3).
 *
 * Cases:
 *  - a stopped run of a copy of the default campaign whose spec then
 *    changes its requests, an override, its mask or its targets, or whose
 *    profile changes a knob: the resume is refused (exit 2) with one line
 *    naming what changed;
 *  - progress.json with a tampered number (done past the total, negative,
 *    a real, a total the spec and corpus do not give, a target's verdicts
 *    not adding up, a negative or lost skip count, the inputs or their
 *    digest altered): "corrupt checkpoint", exit 2, never "the corpus
 *    changed" with two equal hashes;
 *  - progress.json mangled in shape (wrong types, missing keys, huge
 *    values): exit 2 and never a crash (the suite runs under ASan too).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "robust_test_util.h"

static char out[64], cwd[512];

static void setup(void)
{
	char *text;

	ofd_test_mkdtemp(out, sizeof(out), "rsin");
	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	/* A campaign of our own: the default one, with its profiles beside
	 * it and the corpus named by absolute paths. */
	ck_assert_int_eq(rrun(&text, "mkdir %s/sp && cp -r specs/profiles %s/sp/ && "
			      "sed -e 's#\\.\\./corpus/#%s/corpus/#; s#^profile_dir:.*#profile_dir: %s/sp/profiles#' "
			      "specs/default.yaml > %s/sp/default.yaml", out, out, cwd, out, out), 0);
	free(text);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", out);
	ck_assert_int_eq(system(cmd), 0);
}

static const struct change {
	const char *name, *edit, *file, *expect;
} changes[] = {
	{ "requests", "s#^requests:.*#requests: [vnet]#", "default.yaml",
	  "the spec's requests changed since the run started" },
	{ "override", "$a overrides:\\n  - file: CWD/corpus/tx-csum/base.pcap\\n    packet: 3\\n    csum_offset: 18",
	  "default.yaml", "the spec's overrides changed since the run started" },
	{ "mask", "s#^mask:.*#mask: [ipv4.id]#", "default.yaml",
	  "the spec's mask changed since the run started" },
	{ "targets", "s#profile: smsc95xx#profile: short-tail#", "default.yaml",
	  "the spec's targets changed since the run started" },
	{ "knob", "s#tail_window: 4#tail_window: 8#", "profiles/short-tail.yaml",
	  "target emu:short-tail's profile changed since the run started" },
};

START_TEST(spec_change_refused)
{
	const struct change *c = &changes[_i];
	char *text, spec[600], dir[512], edit[800], want[800];
	int rc;

	snprintf(spec, sizeof(spec), "%s/sp/default.yaml", out);
	robust_stopped_run(spec, out, 300, dir, sizeof(dir));
	/* The override names a corpus file as the spec does: by its path. */
	if (strstr(c->edit, "CWD"))
		snprintf(edit, sizeof(edit), "%.*s%s%s", (int)(strstr(c->edit, "CWD") - c->edit),
			 c->edit, cwd, strstr(c->edit, "CWD") + 3);
	else
		snprintf(edit, sizeof(edit), "%s", c->edit);
	rc = rrun(&text, "sed -i '%s' %s/sp/%s", edit, out, c->file);
	ck_assert_msg(rc == 0, "%s", text);
	free(text);
	rc = rrun(&text, "%s run --resume %s", ofd_test_offdiff(), dir);
	ck_assert_msg(rc == 2, "%s: exit %d: %s", c->name, rc, text);
	snprintf(want, sizeof(want), "offdiff: cannot resume %s: %s\n", dir, c->expect);
	ck_assert_str_eq(text, want);
	free(text);
}
END_TEST

/* sed edits of progress.json (pretty-printed, keys sorted) and what the
 * refusal says after "corrupt checkpoint: ". */
static const struct tamper {
	const char *edit, *expect;
} tampers[] = {
	{ "s#\"cases_done\": 300#\"cases_done\": 9999#", "cases_done is not in 0..cases_total (5128)" },
	{ "s#\"cases_done\": 300#\"cases_done\": -1#", "cases_done is not in 0..cases_total (5128)" },
	{ "s#\"cases_total\": 5128#\"cases_total\": 1e30#", "cases_total is not a count of cases" },
	{ "s#\"cases_total\": 5128#\"cases_total\": 99999999999#", "cases_total is not a count of cases" },
	{ "s#\"cases_total\": 5128#\"cases_total\": 5129#",
	  "cases_total 5129, but the spec and corpus give 5128 cases" },
	{ "0,/\"equal\": [0-9]*/s//\"equal\": -5/", "target emu:conformant: equal is not in 0..cases_done" },
	{ "0,/\"discrepancy\": [0-9]*/s//\"discrepancy\": 1/",
	  "target emu:conformant: its verdicts add up to 301, not cases_done 300" },
	{ "0,/\"skipped\": \\[\\]/s//\"skipped\": [{\"engine\": \"emu\", \"reason\": \"x\", \"count\": 5}]/",
	  "target emu:conformant: its skip reasons count 5 cases, not unsupported 0" },
	{ "0,/\"skipped\": \\[\\]/s//\"skipped\": [{\"engine\": \"emu\", \"reason\": \"x\", \"count\": -5}]/",
	  "target emu:conformant: a skip count is not in 0..cases_done" },
	{ "s#\"seconds\": [0-9.]*#\"seconds\": -1#", "seconds is not a time" },
	{ "0,/\"count\": [0-9]*/s//\"count\": 4000/",
	  "target emu:short-tail: a class count is not in 0..cases_done" },
	{ "s#\"inputs_sha256\": \"[0-9a-f]*\"#\"inputs_sha256\": \"00\"#",
	  "inputs do not match inputs_sha256" },
	{ "s#\"legacy\"#\"vnet\"#", "inputs do not match inputs_sha256" },
	{ "/\"inputs\": {/,/^  },/d", "no inputs and inputs_sha256" },
};

START_TEST(tampered_number_is_corrupt)
{
	const struct tamper *t = &tampers[_i];
	char *text, dir[512], want[800];
	int rc;

	robust_stopped_run("specs/default.yaml", out, 300, dir, sizeof(dir));
	rc = rrun(&text, "sed -i '%s' %s/progress.json && ! cmp -s %s/progress.json /dev/null", t->edit,
		  dir, dir);
	ck_assert_msg(rc == 0, "%s", text);
	free(text);
	rc = rrun(&text, "%s run --resume %s", ofd_test_offdiff(), dir);
	ck_assert_msg(rc == 2, "'%s': exit %d: %s", t->edit, rc, text);
	snprintf(want, sizeof(want), "%s/progress.json: corrupt checkpoint: %s", dir, t->expect);
	robust_one_line(text, want);
	free(text);
}
END_TEST

/* Shapes no offdiff writes: refused in one line, never a crash. */
static const char *const mangled[] = {
	"s#\"targets\": \\[#\"targets\": 5, \"x\": [#",
	"s#\"label\": \"[^\"]*\"#\"label\": 5#",
	"0,/\"verdicts\": {/s//\"verdicts\": \"many\", \"v\": {/",
	"s#\"skipped\": \\[\\]#\"skipped\": {}#",
	"s#\"spec\": \"[^\"]*\"#\"spec\": 5#",
	"s#\"reference\": \"model\",#\"reference\": null,#",
	"s#\"inputs\": {#\"inputs\": [], \"y\": {#",
	"s#\"cases_done\": 300#\"cases_done\": 9223372036854775807#",
	"s#\"cases_done\": 300#\"cases_done\": -9223372036854775808#",
	"s#\"equal\": [0-9]*#\"equal\": 9223372036854775807#",
	"s#\"seconds\": [0-9.]*#\"seconds\": 1e308#",
	"1,$d",
	"1,5d",
	"s#^{#[#",
};

START_TEST(mangled_checkpoint_never_crashes)
{
	char *text, dir[512];
	int rc;

	robust_stopped_run("specs/default.yaml", out, 300, dir, sizeof(dir));
	rc = rrun(&text, "sed -i '%s' %s/progress.json", mangled[_i], dir);
	ck_assert_msg(rc == 0, "%s", text);
	free(text);
	rc = rrun(&text, "%s run --resume %s", ofd_test_offdiff(), dir);
	ck_assert_msg(rc == 2, "'%s': exit %d: %s", mangled[_i], rc, text);
	robust_one_line(text, "progress.json");
	free(text);
}
END_TEST

static Suite *resume_inputs_suite(void)
{
	Suite *s = suite_create("resume_inputs");
	TCase *tc = tcase_create("resume_inputs");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, spec_change_refused, 0, sizeof(changes) / sizeof(changes[0]));
	tcase_add_loop_test(tc, tampered_number_is_corrupt, 0, sizeof(tampers) / sizeof(tampers[0]));
	tcase_add_loop_test(tc, mangled_checkpoint_never_crashes, 0,
			    sizeof(mangled) / sizeof(mangled[0]));
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(resume_inputs_suite)
