// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_resume_open.c - `--resume` reads a run directory's files as
 * regular files of bounded size (harness/input/safe_open.c in resume.c).
 *
 * Cases: progress.json and findings.jsonl each replaced by a FIFO, by a
 * symbolic link to /dev/zero and by a directory: ofd_report__reopen()
 * refuses within a second with one line naming the file, and leaves the
 * findings file alone (nothing is truncated or written); a findings.jsonl
 * that is missing is still no error (a run killed before any finding).
 * An alarm turns a hang into a failure.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_run.h"
#include "ofd_test.h"

static char dir[64];

static void setup(void)
{
	ofd_test_mkdtemp(dir, sizeof(dir), "resume");
	alarm(5);
}

static void teardown(void)
{
	char cmd[128];

	alarm(0);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void put(const char *name, const char *text)
{
	char p[128];
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	fclose(f);
}

static const char progress[] =
	"{\"spec\": \"s.yaml\", \"reference\": \"model\", \"corpus_sha256\": \"\","
	" \"cases_done\": 0, \"cases_total\": 1, \"targets\": []}\n";

/* Replace dir/name by a special file of this kind. */
static const char *make_special(const char *name, int kind)
{
	static const char *const types[] = { "fifo", "character device", "directory" };
	char p[128];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	unlink(p);
	if (kind == 0)
		ck_assert_int_eq(mkfifo(p, 0600), 0);
	else if (kind == 1)
		ck_assert_int_eq(symlink("/dev/zero", p), 0);
	else
		ck_assert_int_eq(mkdir(p, 0700), 0);
	return types[kind];
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static void refused(const char *name, const char *type)
{
	struct ofd_report *r = NULL;
	char err[512], want[256];
	double t0 = now();
	struct stat st;
	int ret;

	ret = ofd_report__reopen(dir, &r, err, sizeof(err));
	ck_assert_msg(now() - t0 < 1.0, "%s as %s: %.2f s", name, type, now() - t0);
	ck_assert_msg(ret == -EINVAL, "%s as %s: ret %d", name, type, ret);
	snprintf(want, sizeof(want), "%s/%s: not a regular file (%s)", dir, name, type);
	ck_assert_str_eq(err, want);
	/* Left as it was: still not a regular file, nothing written. */
	snprintf(want, sizeof(want), "%s/%s", dir, name);
	ck_assert_int_eq(lstat(want, &st), 0);
	ck_assert(!S_ISREG(st.st_mode));
	snprintf(want, sizeof(want), "%s/summary.json", dir);
	ck_assert_int_ne(access(want, F_OK), 0);
}

START_TEST(progress_special)
{
	const char *type = make_special("progress.json", _i);

	put("findings.jsonl", "");
	refused("progress.json", type);
}
END_TEST

START_TEST(findings_special)
{
	const char *type;

	put("progress.json", progress);
	type = make_special("findings.jsonl", _i);
	refused("findings.jsonl", type);
}
END_TEST

START_TEST(findings_missing_is_fine)
{
	struct ofd_report *r = NULL;
	char err[512];

	put("progress.json", progress);
	ck_assert_int_eq(ofd_report__reopen(dir, &r, err, sizeof(err)), 0);
	ck_assert_str_eq(ofd_report__resume_reference(r), "model");
	ofd_report__close(r, NULL, 0);
}
END_TEST

static Suite *resume_open_suite(void)
{
	Suite *s = suite_create("resume_open");
	TCase *tc = tcase_create("special");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 10);
	tcase_add_loop_test(tc, progress_special, 0, 3);
	tcase_add_loop_test(tc, findings_special, 0, 3);
	tcase_add_test(tc, findings_missing_is_fine);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(resume_open_suite)
