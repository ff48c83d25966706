// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_plugin.c - the plugin target (targets/plugin/plugin.c) and fault
 * isolation (harness/run/isolate.c), as a user runs them: the built binary
 * with the plugins in build/plugins/.
 *
 * Cases:
 *  example_passes   the example plugin (a NETIF_F_HW_CSUM device) gives,
 *                   case for case, the verdicts of emu:conformant, whose
 *                   own tests establish it as the kernel's behaviour: no
 *                   discrepancy, no fault, exit 0
 *  malformed_*      each malformation the ABI forbids (a frame outside the
 *                   buffer, an unknown status, too many frames, an
 *                   unterminated detail, a moved buffer) on two chosen
 *                   cases is a target-fault on exactly those two, in a
 *                   child and in-process (isolate=off), and every other
 *                   case is still judged
 *  faults_isolated  a crash (SIGSEGV), a hang (timeout_ms), abort() and
 *                   exit() on chosen cases: one target-fault each, with a
 *                   reproducer, the rest of the campaign equal, in bounded
 *                   time; the reproducer replays to the same fault
 *  load_errors      no path, a missing file, a file that is no plugin, a
 *                   plugin of another ABI version, an unknown key: one line
 *                   each naming it, exit 2 or 3, no report
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#include "ofd_test.h"

static char dir[64], spec[128];

static void setup(void)
{
	char cwd[512];
	FILE *f;

	ck_assert_ptr_nonnull(getcwd(cwd, sizeof(cwd)));
	ofd_test_mkdtemp(dir, sizeof(dir), "plugin");
	snprintf(spec, sizeof(spec), "%s/spec.yaml", dir);
	f = fopen(spec, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "name: plugin-test\nreference: model\noffloads: [tx-csum]\n"
		   "requests: [vnet, legacy]\ncorpus:\n  - %s/corpus/tx-csum/base.pcap\n"
		   "profile_dir: %s/specs/profiles\ntargets:\n  - engine: null\n",
		cwd, cwd);
	fclose(f);
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

/* The run's summary.json from its "report: DIR" line. */
static json_t *summary(const char *text)
{
	const char *r = strstr(text, "report: ");
	char rd[512], path[600];
	json_error_t je;
	json_t *j;

	ck_assert_msg(r != NULL, "no report line in: %s", text);
	ck_assert_int_eq(sscanf(r + 8, "%511s", rd), 1);
	snprintf(path, sizeof(path), "%s/summary.json", rd);
	j = json_load_file(path, 0, &je);
	ck_assert_msg(j != NULL, "%s: %s", path, je.text);
	return j;
}

static json_t *target(json_t *sum, size_t i)
{
	json_t *t = json_array_get(json_object_get(sum, "targets"), i);

	ck_assert_ptr_nonnull(t);
	return t;
}

static long long verdict(json_t *t, const char *v)
{
	return json_integer_value(json_object_get(json_object_get(t, "verdicts"), v));
}

START_TEST(example_passes)
{
	json_t *sum, *emu, *plug;
	char *text;
	int rc;

	rc = ofd_test_run(&text, true, "%s run %s -t emu:conformant -t plugin:path=example --out %s/o -q",
			  ofd_test_offdiff(), spec, dir);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	sum = summary(text);
	emu = target(sum, 0);
	plug = target(sum, 1);
	ck_assert_msg(json_equal(json_object_get(emu, "verdicts"), json_object_get(plug, "verdicts")),
		      "emu %s\nplugin %s", json_dumps(json_object_get(emu, "verdicts"), 0),
		      json_dumps(json_object_get(plug, "verdicts"), 0));
	ck_assert_int_gt(verdict(plug, "equal"), 300);
	ck_assert_int_eq(verdict(plug, "discrepancy") + verdict(plug, "target-fault"), 0);
	ck_assert_str_eq(json_string_value(json_object_get(plug, "version")),
			 "offdiff example HW_CSUM device 1");
	json_decref(sum);
	free(text);
}
END_TEST

/* Every class of target t is a target-fault whose explanation starts with
 * one of want[]; each want[] is seen; the faults total n. */
static void expect_faults(json_t *t, const char *const *want, size_t nwant, long long n)
{
	json_t *c;
	size_t i, k;

	ck_assert_int_eq(verdict(t, "target-fault"), n);
	for (k = 0; k < nwant; k++) {
		bool seen = false;

		json_array_foreach(json_object_get(t, "classes"), i, c) {
			const char *e = json_string_value(json_object_get(c, "explanation"));

			ck_assert_str_eq(json_string_value(json_object_get(c, "verdict")), "target-fault");
			ck_assert_str_eq(json_string_value(json_object_get(c, "severity")), "critical");
			seen |= !strncmp(e, want[k], strlen(want[k]));
		}
		ck_assert_msg(seen, "no fault class starting '%s'", want[k]);
	}
}

static void malformed(const char *kind, const char *isolate)
{
	static const char *const want[] = { "the target returned a malformed result" };
	json_t *sum, *t;
	char *text;
	int rc;

	rc = ofd_test_run(&text, true,
			  "%s run %s -t plugin:path=faulty,garbage_on=3+7,garbage=%s,isolate=%s --out %s/o -q",
			  ofd_test_offdiff(), spec, kind, isolate, dir);
	ck_assert_msg(rc == 1, "garbage=%s isolate=%s: exit %d: %s", kind, isolate, rc, text);
	sum = summary(text);
	t = target(sum, 0);
	expect_faults(t, want, 1, 2);
	ck_assert_int_eq(verdict(t, "discrepancy"), 0);
	ck_assert_int_eq(verdict(t, "equal") + 2,
			 json_integer_value(json_object_get(t, "cases")) - verdict(t, "unsupported") -
				 verdict(t, "both-rejected"));
	json_decref(sum);
	free(text);
}

static const char *const kinds[] = { "frame", "status", "frames", "detail", "buf" };

START_TEST(malformed_isolated)
{
	malformed(kinds[_i], "on");
}
END_TEST

START_TEST(malformed_in_process)
{
	malformed(kinds[_i], "off");
}
END_TEST

START_TEST(faults_isolated)
{
	static const char *const want[] = { "the target's process died", "the target did not finish",
					    "the target returned a malformed result" };
	char *text, *again, repro[700] = "";
	struct timespec t0, t1;
	json_t *sum, *t, *c;
	size_t i;
	int rc;

	clock_gettime(CLOCK_MONOTONIC, &t0);
	rc = ofd_test_run(&text, true,
			  "%s run %s -t plugin:path=faulty,crash_on=3,hang_on=5,abort_on=7,exit_on=9,"
			  "garbage_on=11,timeout_ms=500 --out %s/o -q",
			  ofd_test_offdiff(), spec, dir);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	/* One hang costs its timeout, not the default 10 s. */
	ck_assert_int_lt(t1.tv_sec - t0.tv_sec, 8);
	sum = summary(text);
	t = target(sum, 0);
	expect_faults(t, want, 3, 5);
	ck_assert_int_eq(verdict(t, "discrepancy"), 0);
	ck_assert_int_eq(verdict(t, "equal") + 5,
			 json_integer_value(json_object_get(t, "cases")) - verdict(t, "unsupported") -
				 verdict(t, "both-rejected"));
	/* The crash's reproducer replays to the same fault on the same
	 * plugin, and to an equal verdict on the example. */
	json_array_foreach(json_object_get(t, "classes"), i, c)
		if (!strcmp(json_string_value(json_object_get(c, "class")), "target-crash"))
			snprintf(repro, sizeof(repro), "%s/%s/case.yaml",
				 json_string_value(json_object_get(sum, "run_dir")),
				 json_string_value(json_object_get(c, "example")));
	ck_assert(repro[0]);
	/* case.yaml records the target's settings and the case's id. */
	rc = ofd_test_run(&again, true, "%s replay %s", ofd_test_offdiff(), repro);
	ck_assert_msg(rc == 1 && strstr(again, "target-fault") && strstr(again, "crashed"),
		      "exit %d: %s", rc, again);
	free(again);
	rc = ofd_test_run(&again, true, "%s replay %s -t plugin:path=example",
			  ofd_test_offdiff(), repro);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, again);
	free(again);
	json_decref(sum);
	free(text);
}
END_TEST

static void load_error(const char *env, const char *target_arg, const char *want)
{
	char *text;
	int rc;

	rc = ofd_test_run(&text, true, "%s %s run %s -t %s --out %s/o -q", env,
			  ofd_test_offdiff(), spec, target_arg, dir);
	ck_assert_msg(rc == 2 || rc == 3, "%s: exit %d: %s", target_arg, rc, text);
	ck_assert_msg(strstr(text, want), "%s: want '%s' in: %s", target_arg, want, text);
	ck_assert_msg(!strstr(text, "report: "), "%s wrote a report: %s", target_arg, text);
	ck_assert_msg(strchr(text, '\n') == text + strlen(text) - 1, "not one line: %s", text);
	free(text);
}

START_TEST(load_errors)
{
	load_error("", "plugin", "give path=");
	load_error("", "plugin:path=no-such-plugin", "no-such-plugin: No such file or directory");
	load_error("", "plugin:path=/etc/hostname", "/etc/hostname");
	load_error("OFD_FAULTY_ABI=2", "plugin:path=faulty", "built for plugin ABI 2, this offdiff speaks 1");
	load_error("", "plugin:path=faulty,crash_at=3", "faulty takes no 'crash_at' (it takes crash_on");
	load_error("", "plugin:path=example,isolate=maybe", "isolate");
}
END_TEST

static Suite *plugin_suite(void)
{
	Suite *s = suite_create("plugin");
	TCase *tc = tcase_create("plugin");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, example_passes);
	tcase_add_loop_test(tc, malformed_isolated, 0, (int)(sizeof(kinds) / sizeof(kinds[0])));
	tcase_add_loop_test(tc, malformed_in_process, 0, (int)(sizeof(kinds) / sizeof(kinds[0])));
	tcase_add_test(tc, faults_isolated);
	tcase_add_test(tc, load_errors);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(plugin_suite);
