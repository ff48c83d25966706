// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_robust.c - runs that never lie and never lose (issue 15): the
 * built binary ($OFFDIFF) where an unattended campaign meets a full disk,
 * a second job on its directory, a target named as the reference, an
 * unusable --out and a damaged run directory.
 *
 * Cases:
 *  - `selfcheck --reference null` and `replay` of a case.yaml whose
 *    reference is null: one line, exit 2 (null agreed with everything);
 *  - --out '' and --out naming a file: one line, exit 2, for run and
 *    selfcheck;
 *  - two reports opened under one id get two directories; a directory
 *    whose lock another process holds is refused with its pid, by
 *    ofd_report__reopen() and by `run --resume` (exit 2);
 *  - findings.jsonl, progress.json replaced by a directory, a FIFO or
 *    /dev/zero: --resume refuses within a second, one line, exit 2, and
 *    summary.json is left as it was; diff.txt as a FIFO does not hang a
 *    resume;
 *  - a full disk (a 256 KiB tmpfs, root only): exit 5, one line naming
 *    the file and "No space left on device", progress.json still
 *    "killed", no 0-byte summary.json; after a remount with room,
 *    `--resume` completes with the verdicts of an uninterrupted run.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "ofd_run.h"
#include "robust_test_util.h"

static char out[64];
static char mnt[96];

static void setup(void)
{
	ofd_test_mkdtemp(out, sizeof(out), "robust");
	mnt[0] = '\0';
}

static void teardown(void)
{
	char cmd[128];

	if (mnt[0])
		ck_assert_msg(umount2(mnt, MNT_DETACH) == 0, "umount %s: %s", mnt, strerror(errno));
	snprintf(cmd, sizeof(cmd), "rm -rf %s", out);
	ck_assert_int_eq(system(cmd), 0);
}

/* A failed check ends its process before the checked teardown: the
 * suite's own teardown (in the parent) unmounts what a test left. */
static void unmount_left(void)
{
	if (system("awk '$2 ~ /^\\/tmp\\/ofd-robust-.*\\/small$/ {print $2}' /proc/mounts | "
		   "xargs -r -n1 umount -l"))
		fprintf(stderr, "check_robust: could not unmount a test's tmpfs\n");
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

START_TEST(reference_must_be_a_reference)
{
	char *text, dir[512];
	int rc;

	rc = rrun(&text, "timeout 20 %s selfcheck --reference null --random 10 --no-corpus --out %s",
		  ofd_test_offdiff(), out);
	ck_assert_msg(rc == 2, "exit %d: %s", rc, text);
	robust_one_line(text, "'null' is a target engine, not a reference");
	free(text);
	/* replay: a reproducer whose case.yaml names null as the reference */
	robust_stopped_run("specs/default.yaml", out, 300, dir, sizeof(dir));
	rc = rrun(&text, "sed 's/^reference: model/reference: null/' %s/discrepancies/0001/case.yaml > %s/discrepancies/0001/null.yaml && "
		  "timeout 20 %s replay %s/discrepancies/0001/null.yaml", dir, dir, ofd_test_offdiff(), dir);
	ck_assert_msg(rc == 2, "exit %d: %s", rc, text);
	robust_one_line(text, "reference 'null' is a target engine, not a reference");
	free(text);
}
END_TEST

START_TEST(out_must_be_usable)
{
	static const char *const cmds[] = { "run specs/default.yaml",
					    "selfcheck --reference model --no-corpus --random 3" };
	char *text;
	size_t i;
	int rc;

	for (i = 0; i < 2; i++) {
		rc = rrun(&text, "%s %s --out ''", ofd_test_offdiff(), cmds[i]);
		ck_assert_msg(rc == 2, "%s: exit %d: %s", cmds[i], rc, text);
		robust_one_line(text, "--out");
		free(text);
		rc = rrun(&text, "bin=$(realpath %s) && cd %s && touch afile && $bin %s --out afile",
			  ofd_test_offdiff(), out, cmds[i]);
		ck_assert_msg(rc == 2, "%s: exit %d: %s", cmds[i], rc, text);
		robust_one_line(text, "--out 'afile': not a directory");
		free(text);
	}
}
END_TEST

/* The library: one id, two directories; a held lock is refused by pid. */
START_TEST(run_directory_claimed_and_locked)
{
	struct ofd_report *a = NULL, *b = NULL, *c = NULL;
	char err[512], want[600], p[600];
	int rc;

	ck_assert_int_eq(ofd_report__open(out, "same", "s.yaml", "model", "1", &a), 0);
	ck_assert_int_eq(ofd_report__open(out, "same", "s.yaml", "model", "1", &b), 0);
	snprintf(p, sizeof(p), "%s/same", out);
	ck_assert_str_eq(ofd_report__dir(a), p);
	snprintf(p, sizeof(p), "%s/same-2", out);
	ck_assert_str_eq(ofd_report__dir(b), p);
	ck_assert_int_eq(ofd_report__checkpoint(a, 0, 1), 0);
	/* a holds out/same (this process): a second owner is refused. With
	 * flock, a second open file description conflicts even in-process. */
	rc = ofd_report__reopen(ofd_report__dir(a), &c, err, sizeof(err));
	ck_assert_int_eq(rc, -EBUSY);
	snprintf(want, sizeof(want), "%s/same: in use by another offdiff (pid %d holds %s/same/lock)",
		 out, (int)getpid(), out);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(ofd_report__close(a, NULL, 0), 0);
	ck_assert_int_eq(ofd_report__close(b, NULL, 0), 0);
}
END_TEST

/* `run --resume` of a stopped run while another process holds it. */
START_TEST(resume_of_a_held_directory_refused)
{
	char *text, dir[512], p[600], pid[16];
	int fd, rc;

	robust_stopped_run("specs/default.yaml", out, 100, dir, sizeof(dir));
	snprintf(p, sizeof(p), "%s/lock", dir);
	fd = open(p, O_RDWR);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(flock(fd, LOCK_EX | LOCK_NB), 0);
	snprintf(pid, sizeof(pid), "%d\n", (int)getpid());
	ck_assert_int_eq(ftruncate(fd, 0), 0);
	ck_assert_int_eq(pwrite(fd, pid, strlen(pid), 0), (ssize_t)strlen(pid));
	rc = rrun(&text, "%s run --resume %s", ofd_test_offdiff(), dir);
	ck_assert_msg(rc == 2, "exit %d: %s", rc, text);
	snprintf(p, sizeof(p), "%s: in use by another offdiff (pid %d holds %s/lock)", dir,
		 (int)getpid(), dir);
	robust_one_line(text, p);
	free(text);
	close(fd);
	/* Released: the resume goes through. */
	rc = rrun(&text, "%s run --resume %s -q", ofd_test_offdiff(), dir);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	free(text);
}
END_TEST

/* Replace dir/name by a FIFO (0), a link to /dev/zero (1), a directory (2). */
static void make_special(const char *dir, const char *name, int kind)
{
	char p[600];

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	ck_assert_int_eq(unlink(p), 0);
	if (kind == 0)
		ck_assert_int_eq(mkfifo(p, 0600), 0);
	else if (kind == 1)
		ck_assert_int_eq(symlink("/dev/zero", p), 0);
	else
		ck_assert_int_eq(mkdir(p, 0700), 0);
}

static char *slurp(const char *dir, const char *name)
{
	char p[600], *buf = calloc(1, 1 << 20);
	FILE *f;

	snprintf(p, sizeof(p), "%s/%s", dir, name);
	f = fopen(p, "r");
	ck_assert_ptr_nonnull(f);
	ck_assert(fread(buf, 1, (1 << 20) - 1, f) > 0);
	fclose(f);
	return buf;
}

START_TEST(special_files_in_a_run_directory)
{
	static const char *const names[] = { "findings.jsonl", "progress.json" };
	static const char *const kinds[] = { "fifo", "character device", "directory" };
	char *text, *before, *after, dir[512], want[700];
	double t0;
	size_t n;
	int k, rc;

	robust_stopped_run("specs/default.yaml", out, 300, dir, sizeof(dir));
	before = slurp(dir, "summary.json");
	for (n = 0; n < 2; n++) {
		for (k = 0; k < 3; k++) {
			rc = rrun(&text, "cp -a %s/%s %s/keep", dir, names[n], out);
			ck_assert_int_eq(rc, 0);
			free(text);
			make_special(dir, names[n], k);
			t0 = now();
			rc = rrun(&text, "timeout 10 %s run --resume %s", ofd_test_offdiff(), dir);
			ck_assert_msg(now() - t0 < 1.0, "%s as %s: %.2f s", names[n], kinds[k], now() - t0);
			ck_assert_msg(rc == 2, "%s as %s: exit %d: %s", names[n], kinds[k], rc, text);
			snprintf(want, sizeof(want), "%s/%s: not a regular file (%s)", dir, names[n],
				 kinds[k]);
			robust_one_line(text, want);
			free(text);
			/* Refused before anything was written. */
			after = slurp(dir, "summary.json");
			ck_assert_str_eq(before, after);
			free(after);
			rc = rrun(&text, "rm -rf %s/%s && mv %s/keep %s/%s", dir, names[n], out, dir,
				  names[n]);
			ck_assert_int_eq(rc, 0);
			free(text);
		}
	}
	free(before);
	/* An example's diff.txt as a FIFO is no example text, not a hang. */
	make_special(dir, "discrepancies/0001/diff.txt", 0);
	rc = rrun(&text, "timeout 120 %s run --resume %s -q", ofd_test_offdiff(), dir);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	free(text);
}
END_TEST

START_TEST(full_disk_stops_resumably)
{
	char *text, dir[600], p[700], line[700];
	json_t *full, *resumed, *prog;
	struct stat st;
	int rc;

	if (geteuid()) {
		fprintf(stderr, "check_robust: full_disk_stops_resumably skipped: needs root to mount a tmpfs\n");
		return;
	}
	snprintf(mnt, sizeof(mnt), "%s/small", out);
	ck_assert_int_eq(mkdir(mnt, 0755), 0);
	if (mount("tmpfs", mnt, "tmpfs", 0, "size=256k")) {
		fprintf(stderr, "check_robust: full_disk_stops_resumably skipped: mount tmpfs: %s\n",
			strerror(errno));
		mnt[0] = '\0';
		return;
	}
	rc = ofd_test_run(&text, false, "%s run specs/default.yaml --out %s/reports -q 2>&1 >/dev/null",
			  ofd_test_offdiff(), mnt);
	ck_assert_msg(rc == 5, "exit %d: %s", rc, text);
	robust_one_line(text, ": No space left on device (the run stopped; `offdiff run --resume ");
	ck_assert_int_eq(sscanf(strstr(text, "--resume ") + 9, "%599[^`]", dir), 1);
	ck_assert_ptr_nonnull(strstr(text, dir));
	free(text);
	/* Marked incomplete: the last checkpoint says killed, and no cut or
	 * empty summary.json pretends otherwise. */
	snprintf(p, sizeof(p), "%s/progress.json", dir);
	prog = json_load_file(p, 0, NULL);
	ck_assert_ptr_nonnull(prog);
	ck_assert_str_eq(json_string_value(json_object_get(prog, "complete")), "killed");
	json_decref(prog);
	snprintf(p, sizeof(p), "%s/summary.json", dir);
	ck_assert_msg(stat(p, &st) && errno == ENOENT, "summary.json of a failed run exists");
	/* Room again: the resume completes it as if nothing happened. */
	ck_assert_int_eq(mount("tmpfs", mnt, "tmpfs", MS_REMOUNT, "size=64m"), 0);
	rc = rrun(&text, "%s run --resume %s -q", ofd_test_offdiff(), dir);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	free(text);
	rc = rrun(&text, "%s run specs/default.yaml --out %s/full -q", ofd_test_offdiff(), out);
	ck_assert_msg(rc == 1, "exit %d: %s", rc, text);
	robust_report_dir(text, line, sizeof(line));
	free(text);
	full = robust_verdicts(line);
	resumed = robust_verdicts(dir);
	ck_assert_msg(json_equal(full, resumed), "verdicts differ after the resume");
	json_decref(full);
	json_decref(resumed);
}
END_TEST

static Suite *robust_suite(void)
{
	Suite *s = suite_create("robust");
	TCase *tc = tcase_create("robust");

	tcase_set_timeout(tc, 120);
	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_unchecked_fixture(tc, NULL, unmount_left);
	tcase_add_test(tc, reference_must_be_a_reference);
	tcase_add_test(tc, out_must_be_usable);
	tcase_add_test(tc, run_directory_claimed_and_locked);
	tcase_add_test(tc, resume_of_a_held_directory_refused);
	tcase_add_test(tc, special_files_in_a_run_directory);
	tcase_add_test(tc, full_disk_stops_resumably);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(robust_suite)
