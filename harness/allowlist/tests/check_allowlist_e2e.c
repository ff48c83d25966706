// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_allowlist_e2e.c - the allow-list as an operator runs it, with the
 * built binary ($OFFDIFF) on a real `offdiff run` of a small spec:
 * emu:conformant and emu:zero-csum-0000 on the tx-csum corpus's edge
 * frames (where a checksum computes to 0), the model as the reference.
 *
 * Expected values come from the report itself and the definitions: the
 * deny names the class summary.json gives the bug profile; the matrix's
 * counts are summary.json's offload verdicts and class counts by their
 * definition (pass = equal + both-rejected, critical = the critical
 * classes' cases); the exit codes are the ones `allowlist verify --help`
 * documents.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "ofd_test.h"
#include "e2e_test_util.h"
#include "allowlist_internal.h"

#define CONFORMANT "emu:profile=conformant,version=offdiff-emu 1"
#define ZERO "emu:profile=zero-csum-0000,version=offdiff-emu 1"

/* The policy of these tests: the bundled one with fewer cases and, unless
 * selfcheck, no selfcheck required (it needs root and the kernel). */
static void policy(bool selfcheck)
{
	char *text;
	int rc = run(&text, "sed -e 's/^min_cases: .*/min_cases: 10/' -e 's/^min_corpus_frames: .*/"
		     "min_corpus_frames: 1/' -e 's/^model_selfcheck: .*/model_selfcheck: %s/' "
		     "specs/allowlist-policy.yaml > %s/policy.yaml", selfcheck ? "true" : "false",
		     out);

	ck_assert_msg(rc == 0, "%s", text);
	free(text);
}

/* Run the small spec; the report directory into dir. */
static void small_run(char *dir, size_t len)
{
	char *text, *r;
	int rc = run(&text, "printf 'name: al\\noffloads: [tx-csum]\\ncorpus: [corpus/tx-csum/edge.pcap]\\n"
		     "profile_dir: specs/profiles\\ntargets: [{engine: emu, profile: conformant}, "
		     "{engine: emu, profile: zero-csum-0000}]\\n' > %s/al.yaml && %s run %s/al.yaml "
		     "-q --out %s/reports", out, ofd_test_offdiff(), out, out);

	/* 1: the bug profile's discrepancies, as the run reports them */
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	r = strstr(text, "report: ");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(sscanf(r + 8, "%511s", dir), 1);
	if (dir[strlen(dir) - 1] == '/')
		dir[strlen(dir) - 1] = '\0';
	(void)len;
	free(text);
}

/* The critical classes of a target in summary.json, and their cases. */
static long long criticals(json_t *sum, const char *label, char *names, size_t len)
{
	json_t *c;
	long long n = 0;
	size_t i;

	names[0] = '\0';
	json_array_foreach(json_object_get(target(sum, label), "classes"), i, c) {
		if (strcmp(json_string_value(json_object_get(c, "severity")), "critical"))
			continue;
		snprintf(names + strlen(names), len - strlen(names), "%s",
			 json_string_value(json_object_get(c, "class")));
		n += json_integer_value(json_object_get(c, "count"));
	}
	return n;
}

static json_t *summary(const char *rep)
{
	char path[600];
	json_error_t je;
	json_t *j;

	snprintf(path, sizeof(path), "%s/summary.json", rep);
	j = json_load_file(path, 0, &je);
	ck_assert_msg(j != NULL, "%s: %s", path, je.text);
	return j;
}

START_TEST(build_sign_verify_check)
{
	char rep[512], cls[256], kern[64], *text;
	const char *o = ofd_test_offdiff();
	json_t *sum;
	int rc;

	policy(false);
	small_run(rep, sizeof(rep));
	sum = summary(rep);
	/* a kernel of the series the model reference stands for */
	ofd_al_kernel_of(json_string_value(json_object_get(json_object_get(sum, "reference"),
							   "version")), kern, sizeof(kern) - 2);
	ck_assert_str_ne(kern, "");
	strcat(kern, ".9");
	ck_assert_int_gt(criticals(sum, "emu:zero-csum-0000", cls, sizeof(cls)), 0);
	ck_assert_int_eq(criticals(sum, "emu:conformant", (char[64]){ 0 }, 64), 0);

	/* built twice, byte-identical */
	rc = run(&text, "%s allowlist build --policy %s/policy.yaml -o %s/a.yaml %s && %s allowlist "
		 "build --policy %s/policy.yaml -o %s/b.yaml %s && cmp %s/a.yaml %s/b.yaml",
		 o, out, out, rep, o, out, out, rep, out, out);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	free(text);
	/* the same run given twice (once with a trailing slash) counts once */
	rc = run(&text, "%s allowlist build -q --policy %s/policy.yaml -o %s/c.yaml %s/ %s && "
		 "cmp %s/a.yaml %s/c.yaml", o, out, out, rep, rep, out, out);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	free(text);

	/* key, sign, verify */
	rc = run(&text, "%s key gen -o %s/k && %s key gen -o %s/other && %s allowlist sign --key "
		 "%s/k.key %s/a.yaml && %s allowlist verify --pub %s/k.pub %s/a.yaml", o, out, o,
		 out, o, out, out, o, out, out);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	ck_assert_msg(strstr(text, "good signature"), "%s", text);
	free(text);

	/* permit for the conformant device, deny naming the class for the bug */
	rc = run(&text, "%s allowlist check --kernel %s --list %s/a.yaml --pub %s/k.pub --device '" CONFORMANT
		 "' --offload tx-checksumming", o, kern, out, out);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	ck_assert_msg(!strncmp(text, "permit: ", 8) && !strchr(text, '\n')[1], "%s", text);
	free(text);
	rc = run(&text, "%s allowlist check --kernel %s --list %s/a.yaml --pub %s/k.pub --device '" ZERO
		 "' --offload tx-csum", o, kern, out, out);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	ck_assert_msg(!strncmp(text, "deny: ", 6) && strstr(text, cls), "want %s: %s", cls, text);
	free(text);
	/* an offload the run did not test: no entry, deny */
	rc = run(&text, "%s allowlist check --kernel %s --list %s/a.yaml --pub %s/k.pub --device '" CONFORMANT
		 "' --offload tso", o, kern, out, out);
	ck_assert_msg(rc == 1 && strstr(text, "no entry"), "exit %d: %s", rc, text);
	free(text);

	/* one byte changed (a count in the evidence): 11 */
	rc = run(&text, "sed '0,/equal: \\([0-9]\\)/s//equal: 1\\1/' %s/a.yaml > %s/t.yaml && "
		 "! cmp -s %s/a.yaml %s/t.yaml && %s allowlist verify --pub %s/k.pub %s/t.yaml",
		 out, out, out, out, o, out, out);
	ck_assert_msg(rc == 11 && strstr(text, "tampered"), "exit %d: %s", rc, text);
	free(text);
	/* wrong key: 12 */
	rc = run(&text, "%s allowlist verify --pub %s/other.pub %s/a.yaml", o, out, out);
	ck_assert_msg(rc == 12 && strstr(text, "another key"), "exit %d: %s", rc, text);
	free(text);
	/* unsigned: 10 */
	rc = run(&text, "%s allowlist verify --pub %s/k.pub %s/b.yaml", o, out, out);
	ck_assert_msg(rc == 10 && strstr(text, "unsigned"), "exit %d: %s", rc, text);
	free(text);
	/* detached: the list unchanged, the signature beside it */
	rc = run(&text, "%s allowlist sign --key %s/k.key --detached %s/b.sig %s/b.yaml && "
		 "%s allowlist verify --pub %s/k.pub --sig %s/b.sig %s/b.yaml", o, out, out, out, o,
		 out, out, out);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	free(text);
	/* expired: issued long ago, 90 days' validity */
	rc = run(&text, "%s allowlist build --policy %s/policy.yaml --issued 2000-01-01T00:00:00Z "
		 "-o %s/e.yaml %s && %s allowlist sign --key %s/k.key %s/e.yaml && "
		 "%s allowlist verify --pub %s/k.pub %s/e.yaml", o, out, out, rep, o, out, out, o,
		 out, out);
	ck_assert_msg(rc == 13 && strstr(text, "expired on 2000-03-31T00:00:00Z"), "exit %d: %s", rc,
		      text);
	free(text);
	/* rolled back: version 20 seen, then version 10 */
	rc = run(&text, "%s allowlist build --policy %s/policy.yaml --list-version 20 -o %s/v20.yaml "
		 "%s && %s allowlist build --policy %s/policy.yaml --list-version 10 -o %s/v10.yaml "
		 "%s && %s allowlist sign -q --key %s/k.key %s/v20.yaml && %s allowlist sign -q "
		 "--key %s/k.key %s/v10.yaml && %s allowlist verify -q --pub %s/k.pub --state "
		 "%s/state %s/v20.yaml && %s allowlist verify --pub %s/k.pub --state %s/state "
		 "%s/v10.yaml", o, out, out, rep, o, out, out, rep, o, out, out, o, out, out, o, out,
		 out, out, o, out, out, out);
	ck_assert_msg(rc == 14 && strstr(text, "version 10 is older than version 20"),
		      "exit %d: %s", rc, text);
	free(text);
	/* and check denies on it too */
	rc = run(&text, "%s allowlist check --kernel %s --list %s/v10.yaml --pub %s/k.pub --state %s/state "
		 "--device '" CONFORMANT "' --offload tx-csum", o, kern, out, out, out);
	ck_assert_msg(rc == 1 && strstr(text, "rollback"), "exit %d: %s", rc, text);
	free(text);
	json_decref(sum);
}
END_TEST

/* A model reference without a selfcheck among the inputs is no evidence:
 * a deny that says so, while the bug is still denied by its class. */
START_TEST(model_needs_selfcheck)
{
	char rep[512], *text;
	int rc;

	policy(true);
	small_run(rep, sizeof(rep));
	rc = run(&text, "%s allowlist build --policy %s/policy.yaml %s", ofd_test_offdiff(), out,
		 rep);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	ck_assert_ptr_null(strstr(text, "decision: permit"));
	ck_assert_msg(strstr(text, "has no passing tx-csum selfcheck"), "%s", text);
	ck_assert_msg(strstr(text, "zero-not-mapped"), "%s", text);
	free(text);
}
END_TEST

/* With the model's selfcheck on this kernel among the reports (needs the
 * kernel engine: root; skipped where selfcheck cannot run, exit 3), the
 * conformant device is permitted and the evidence names the selfcheck. */
START_TEST(model_with_selfcheck)
{
	char rep[512], *text;
	int rc;

	policy(true);
	rc = run(&text, "%s selfcheck -q -f tx-csum --out %s/reports", ofd_test_offdiff(), out);
	if (rc == 3) {
		free(text);
		return;
	}
	ck_assert_msg(rc == 0, "selfcheck: exit %d: %s", rc, text);
	free(text);
	small_run(rep, sizeof(rep));
	rc = run(&text, "%s allowlist build -q --policy %s/policy.yaml %s/reports/*",
		 ofd_test_offdiff(), out, out);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	/* conformant first (sorted), then the bug profile */
	ck_assert_msg(strstr(text, "profile: conformant") < strstr(text, "decision: permit") &&
		      strstr(text, "decision: permit") < strstr(text, "profile: zero-csum-0000"),
		      "%s", text);
	ck_assert_msg(strstr(text, "-selfcheck: ") && strstr(text, " cases equal to Linux "), "%s",
		      text);
	ck_assert_msg(strstr(text, "- zero-not-mapped"), "%s", text);
	free(text);
}
END_TEST

/* The matrix's counts are the report's, by the definitions. */
START_TEST(matrix_counts)
{
	char rep[512], cls[256], kern[64], *text, path[600];
	json_t *sum, *m, *row, *ov;
	json_error_t je;
	size_t i;
	int rc, seen = 0;

	small_run(rep, sizeof(rep));
	sum = summary(rep);
	rc = run(&text, "%s report matrix -o %s/m %s", ofd_test_offdiff(), out, rep);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	ck_assert_msg(strstr(text, "| device | offload | kernel | pass | benign | critical |"), "%s",
		      text);
	free(text);
	snprintf(path, sizeof(path), "%s/m.json", out);
	m = json_load_file(path, 0, &je);
	ck_assert_msg(m != NULL, "%s", je.text);
	json_array_foreach(json_object_get(m, "rows"), i, row) {
		const char *dev = json_string_value(json_object_get(row, "device"));
		const char *label = !strcmp(dev, CONFORMANT) ? "emu:conformant" : "emu:zero-csum-0000";

		ov = json_object_get(json_object_get(target(sum, label), "verdicts_by_offload"), "tx-csum");
		ck_assert_int_eq(json_integer_value(json_object_get(row, "pass")),
				 json_integer_value(json_object_get(ov, "equal")) +
				 json_integer_value(json_object_get(ov, "both-rejected")));
		ck_assert_int_eq(json_integer_value(json_object_get(row, "critical")),
				 criticals(sum, label, cls, sizeof(cls)));
		ofd_al_kernel_of(json_string_value(json_object_get(json_object_get(sum, "reference"),
								   "version")), kern, sizeof(kern));
		ck_assert_str_eq(json_string_value(json_object_get(row, "kernel")), kern);
		seen++;
	}
	ck_assert_int_eq(seen, 2);
	json_decref(m);
	json_decref(sum);
}
END_TEST

/* A damaged report is one line with file:line:column, exit 2. */
START_TEST(malformed_report)
{
	char *text;
	int rc = run(&text, "mkdir -p %s/bad && printf '{\\n  \"targets\": [\\n' > %s/bad/summary.json"
		     " && %s allowlist build %s/bad", out, out, ofd_test_offdiff(), out);

	ck_assert_msg(rc == 2, "exit %d: %s", rc, text);
	ck_assert_msg(strstr(text, "bad/summary.json:3:"), "%s", text);
	ck_assert_int_eq(strchr(text, '\n') - text + 1, (long)strlen(text));
	free(text);
	rc = run(&text, "%s report matrix %s/bad", ofd_test_offdiff(), out);
	ck_assert_msg(rc == 2 && strstr(text, "bad/summary.json:3:"), "exit %d: %s", rc, text);
	free(text);
}
END_TEST

/* Per-offload counts (summary.json verdicts_by_offload, the allow-list's
 * evidence) survive a stop and --resume: for a one-offload run they are,
 * by definition, the target's verdicts. */
START_TEST(verdicts_by_offload_resume)
{
	char *text, dir[512], *r;
	json_t *sum, *t, *ov;
	size_t i;
	int rc = run(&text, "printf 'name: al\\noffloads: [tx-csum]\\ncorpus: [corpus/tx-csum/edge.pcap]\\n"
		     "profile_dir: specs/profiles\\ntargets: [{engine: emu, profile: zero-csum-0000}]\\n' "
		     "> %s/al.yaml && %s run %s/al.yaml -q --stop-after 20 --out %s/reports",
		     out, ofd_test_offdiff(), out, out);

	ck_assert_msg(rc == 1 || rc == 130 || rc == 0, "exit %d: %s", rc, text);
	free(text);
	rc = run(&text, "%s run -q --resume %s/reports/*-al", ofd_test_offdiff(), out);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	r = strstr(text, "report: ");
	ck_assert_ptr_nonnull(r);
	ck_assert_int_eq(sscanf(r + 8, "%511s", dir), 1);
	free(text);
	sum = summary(dir);
	ck_assert_str_eq(json_string_value(json_object_get(sum, "complete")), "complete");
	json_array_foreach(json_object_get(sum, "targets"), i, t) {
		json_t *v = json_object_get(t, "verdicts");
		const char *k;
		json_t *x;

		ov = json_object_get(json_object_get(t, "verdicts_by_offload"), "tx-csum");
		ck_assert_ptr_nonnull(ov);
		json_object_foreach(v, k, x)
			ck_assert_int_eq(json_integer_value(json_object_get(ov, k)),
					 json_integer_value(x));
		ck_assert_int_gt(json_integer_value(json_object_get(ov, "equal")), 20);
	}
	json_decref(sum);
}
END_TEST

/* A checkpoint whose per-offload counts do not add up to the verdicts is
 * refused as corrupt (the evidence is checked like the counts it splits). */
START_TEST(verdicts_by_offload_tampered)
{
	char *text;
	int rc = run(&text, "printf 'name: al\\noffloads: [tx-csum]\\ncorpus: [corpus/tx-csum/edge.pcap]\\n"
		     "profile_dir: specs/profiles\\ntargets: [{engine: emu, profile: zero-csum-0000}]\\n' "
		     "> %s/al.yaml && %s run %s/al.yaml -q --stop-after 20 --out %s/reports",
		     out, ofd_test_offdiff(), out, out);

	free(text);
	ck_assert_msg(rc == 1, "exit %d", rc);
	rc = run(&text, "sed -i '/\"verdicts_by_offload\"/,$ s/\"equal\": \\([0-9]*\\)/\"equal\": 1\\1/' "
		 "%s/reports/*-al/progress.json && %s run --resume %s/reports/*-al", out,
		 ofd_test_offdiff(), out);
	ck_assert_msg(rc == 2, "exit %d: %s", rc, text);
	/* 10 more equal cases under tx-csum than the verdicts count */
	ck_assert_msg(strstr(text, "corrupt checkpoint: target emu:zero-csum-0000: "
				   "verdicts_by_offload add up to 1") && strstr(text, " equal, not "),
		      "%s", text);
	free(text);
}
END_TEST

static Suite *allowlist_e2e_suite(void)
{
	Suite *s = suite_create("allowlist_e2e");
	TCase *tc = tcase_create("e2e");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, build_sign_verify_check);
	tcase_add_test(tc, model_needs_selfcheck);
	tcase_add_test(tc, model_with_selfcheck);
	tcase_add_test(tc, matrix_counts);
	tcase_add_test(tc, malformed_report);
	tcase_add_test(tc, verdicts_by_offload_resume);
	tcase_add_test(tc, verdicts_by_offload_tampered);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(allowlist_e2e_suite)
