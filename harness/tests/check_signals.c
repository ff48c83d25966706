// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_signals.c - a run that is stopped, and its resume (the built
 * binary, $OFFDIFF).
 *
 * The campaign is the bundled corpus listed 500 times against one target
 * (489,000 cases, most of a second after the header), long enough that a
 * signal sent once the run has printed its header lands mid-run. For each of SIGINT, SIGTERM and
 * SIGKILL:
 *  - the exit: 130 and 143 as a shell reports a command those signals
 *    ended (128 + signal), SIGKILL ends the process;
 *  - SIGINT/SIGTERM print "SIG...: stopped after case N of M: finish with
 *    `offdiff run --resume DIR`" with DIR absolute, and leave
 *    summary.json and progress.json saying "complete": "stopped" with
 *    cases_done N; SIGKILL leaves progress.json's "killed" and no summary;
 *  - `report list` shows the run "stopped"/"killed at case N of M",
 *    `report show DIR` says "stopped"/"killed after N of M cases: finish
 *    with `offdiff run --resume DIR`";
 *  - the printed --resume line, run from / (another working directory),
 *    finishes the run: "complete", and every target's verdict counts and
 *    classes equal those of the same campaign run without a stop.
 * Also: run directories of runs started back to back sort in start order.
 */
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/wait.h>
#include <jansson.h>

#include "ofd.h"
#include "ofd_test.h"

static char out[64];

static void setup(void)
{
	ofd_test_mkdtemp(out, sizeof(out), "sig");
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", out);
	ck_assert_int_eq(system(cmd), 0);
}

/* The bundled corpus, 500 times, by absolute paths; one target. */
static void write_big_spec(const char *path)
{
	static const char *const files[] = { "base", "ipv6-ext", "tunnels", "edge" };
	char root[PATH_MAX];
	FILE *f = fopen(path, "w");
	size_t i, k;

	ck_assert_ptr_nonnull(f);
	ck_assert_ptr_nonnull(realpath(OFD_TEST_ROOT, root));
	fprintf(f, "name: big\ncorpus:\n");
	for (i = 0; i < 500; i++)
		for (k = 0; k < OFD_ARRAY_SIZE(files); k++)
			fprintf(f, "  - %s/corpus/tx-csum/%s.pcap\n", root, files[k]);
	fprintf(f, "profile_dir: %s/specs/profiles\n", root);
	fprintf(f, "targets: [{engine: emu, profile: srv6-ipv6-dst}]\n");
	fclose(f);
}

static json_t *load(const char *dir, const char *name)
{
	char p[PATH_MAX];
	json_error_t je;
	json_t *j;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	j = json_load_file(p, 0, &je);
	ck_assert_msg(j != NULL, "%s: %s", p, je.text);
	return j;
}

/*
 * Start `offdiff run SPEC --out OUT`, send sig once it printed its
 * "reference ..." header line, and collect all it printed (stdout and
 * stderr) in *text. Returns the wait status.
 */
static int run_and_signal(const char *spec, const char *root, int sig, char **text)
{
	size_t n = 0, cap = 1 << 16;
	bool sent = false;
	int fd[2], st;
	ssize_t r;
	pid_t pid;

	ck_assert_int_eq(pipe(fd), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[0]);
		/* not -q: the header is the sign that the run started */
		execl(ofd_test_offdiff(), "offdiff", "run", spec, "--out", root, (char *)NULL);
		_exit(127);
	}
	close(fd[1]);
	*text = malloc(cap);
	ck_assert_ptr_nonnull(*text);
	while ((r = read(fd[0], *text + n, cap - n - 1)) > 0) {
		n += (size_t)r;
		(*text)[n] = '\0';
		if (!sent && strstr(*text, "\nreference ") && strchr(strstr(*text, "\nreference ") + 1, '\n')) {
			ck_assert_int_eq(kill(pid, sig), 0);
			sent = true;
		}
		ck_assert_uint_lt(n, cap - 1);
	}
	(*text)[n] = '\0';
	close(fd[0]);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert_msg(sent, "the run ended before its header: %s", *text);
	return st;
}

static const struct stop_case {
	int sig;
	const char *name;
	int exit_code; /* -1: ended by the signal */
	const char *state;
} stops[] = {
	{ SIGINT, "SIGINT", 130, "stopped" },
	{ SIGTERM, "SIGTERM", 143, "stopped" },
	{ SIGKILL, "SIGKILL", -1, "killed" },
};

START_TEST(stop_and_resume)
{
	const struct stop_case *c = &stops[_i];
	char spec[128], full_root[128], root[128], dir[PATH_MAX] = "", want[PATH_MAX + 64];
	char *text, *full, *line;
	unsigned long long done = 0, total = 0;
	json_t *prog, *a, *b, *ta, *tb;
	size_t i;
	int st, rc;

	snprintf(spec, sizeof(spec), "%s/big.yaml", out);
	snprintf(root, sizeof(root), "%s/stopped", out);
	snprintf(full_root, sizeof(full_root), "%s/full", out);
	write_big_spec(spec);

	st = run_and_signal(spec, root, c->sig, &text);
	if (c->exit_code < 0) {
		FILE *p;

		ck_assert_msg(WIFSIGNALED(st) && WTERMSIG(st) == c->sig, "status %#x: %s", st, text);
		snprintf(want, sizeof(want), "ls -d %s/*-big", root);
		p = popen(want, "r");
		ck_assert_ptr_nonnull(p);
		ck_assert_ptr_nonnull(fgets(dir, sizeof(dir), p));
		dir[strcspn(dir, "\n")] = '\0';
		pclose(p);
	} else {
		ck_assert_msg(WIFEXITED(st) && WEXITSTATUS(st) == c->exit_code,
			      "status %#x: %s", st, text);
		snprintf(want, sizeof(want), "%s: stopped after case ", c->name);
		line = strstr(text, want);
		ck_assert_msg(line != NULL, "no stop line in: %s", text);
		ck_assert_int_eq(sscanf(line + strlen(want), "%llu of %llu: finish with `offdiff run --resume %4095[^`]`",
					&done, &total, dir), 3);
		ck_assert_uint_lt(done, total);
		ck_assert_msg(dir[0] == '/', "not absolute: %s", dir);
	}
	free(text);

	/* what the run left */
	prog = load(dir, "progress.json");
	ck_assert_str_eq(json_string_value(json_object_get(prog, "complete")), c->state);
	if (c->exit_code < 0) {
		done = (unsigned long long)json_integer_value(json_object_get(prog, "cases_done"));
		total = (unsigned long long)json_integer_value(json_object_get(prog, "cases_total"));
		ck_assert_uint_lt(done, total);
		snprintf(want, sizeof(want), "%s/summary.json", dir);
		ck_assert_int_ne(access(want, F_OK), 0);
	} else {
		ck_assert_uint_eq(json_integer_value(json_object_get(prog, "cases_done")), done);
		a = load(dir, "summary.json");
		ck_assert_str_eq(json_string_value(json_object_get(a, "complete")), "stopped");
		json_decref(a);
	}
	json_decref(prog);

	/* report list and show say so */
	rc = ofd_test_run(&text, true, "%s report list --out %s", ofd_test_offdiff(), root);
	ck_assert_int_eq(rc, 0);
	snprintf(want, sizeof(want), "%s at case %llu of %llu", c->state, done, total);
	ck_assert_msg(strstr(text, want), "'%s' not in: %s", want, text);
	free(text);
	rc = ofd_test_run(&text, true, "%s report show %s", ofd_test_offdiff(), dir);
	ck_assert_int_eq(rc, 0);
	snprintf(want, sizeof(want), "%s after %llu of %llu cases: finish with `offdiff run --resume %s`",
		 c->state, done, total, dir);
	ck_assert_msg(strstr(text, want), "'%s' not in: %s", want, text);
	free(text);

	/* resumed from another directory: the same as a run never stopped */
	rc = ofd_test_run(&full, true, "%s run %s --out %s -q", ofd_test_offdiff(), spec, full_root);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, full);
	rc = ofd_test_run(&text, true, "cd / && %s/%s run --resume %s -q",
			  ofd_test_offdiff()[0] == '/' ? "" : getcwd(want, sizeof(want)),
			  ofd_test_offdiff(), dir);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	free(text);
	a = load(dir, "summary.json");
	ck_assert_str_eq(json_string_value(json_object_get(a, "complete")), "complete");
	prog = load(dir, "progress.json");
	ck_assert_str_eq(json_string_value(json_object_get(prog, "complete")), "complete");
	ck_assert_int_eq(json_integer_value(json_object_get(prog, "cases_done")), (json_int_t)total);
	json_decref(prog);
	line = strstr(full, "report: ");
	ck_assert_ptr_nonnull(line);
	ck_assert_int_eq(sscanf(line + 8, "%4095s", want), 1);
	b = load(want, "summary.json");
	ck_assert_uint_eq(json_array_size(json_object_get(a, "targets")), 1);
	json_array_foreach(json_object_get(b, "targets"), i, tb) {
		ta = json_array_get(json_object_get(a, "targets"), i);
		ck_assert(json_equal(json_object_get(ta, "verdicts"), json_object_get(tb, "verdicts")));
		ck_assert(json_equal(json_object_get(ta, "classes"), json_object_get(tb, "classes")));
	}
	ck_assert_int_gt(json_integer_value(json_object_get(json_object_get(
				 json_array_get(json_object_get(b, "targets"), 0), "verdicts"), "discrepancy")), 0);
	json_decref(a);
	json_decref(b);
	free(full);
}
END_TEST

/* Back-to-back runs (a few milliseconds apart): names in start order. */
START_TEST(run_dirs_sort_by_time)
{
	char *text, prev[256] = "", cur[256];
	int i, rc;

	for (i = 0; i < 5; i++) {
		rc = ofd_test_run(&text, true, "%s run %s/specs/default.yaml -t emu:conformant --out %s -q",
				  ofd_test_offdiff(), OFD_TEST_ROOT, out);
		ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
		ck_assert_ptr_nonnull(strstr(text, "report: "));
		ck_assert_int_eq(sscanf(strstr(text, "report: ") + 8, "%255s", cur), 1);
		ck_assert_msg(strcmp(prev, cur) < 0, "%s !< %s", prev, cur);
		snprintf(prev, sizeof(prev), "%s", cur);
		free(text);
	}
	/* `report show` with no directory picks the newest: the last started */
	rc = ofd_test_run(&text, true, "%s report show --out %s", ofd_test_offdiff(), out);
	ck_assert_int_eq(rc, 0);
	prev[strlen(prev) - 1] = '\0'; /* the report line's trailing / */
	ck_assert_msg(strstr(text, prev), "'%s' not in: %s", prev, text);
	free(text);
}
END_TEST

static Suite *signals_suite(void)
{
	Suite *s = suite_create("signals");
	TCase *tc = tcase_create("stop");

	tcase_set_timeout(tc, 300);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_loop_test(tc, stop_and_resume, 0, OFD_ARRAY_SIZE(stops));
	tcase_add_test(tc, run_dirs_sort_by_time);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(signals_suite)
