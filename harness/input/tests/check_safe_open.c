// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_safe_open.c - every input is a regular file of bounded size
 * (harness/input/safe_open.c), through every loader that reads one.
 *
 * Cases:
 *  special: a FIFO, /dev/zero, a directory and a socket, each as a YAML
 *           file, a spec, an emulator profile and a corpus capture: refused
 *           within a second with exactly "PATH: not a regular file (TYPE)"
 *           (an alarm turns a hang into a failure instead of a stuck run);
 *  large:   a YAML file one byte past 16 MiB is refused by its size, one
 *           of exactly 16 MiB is read; read_regular on a procfs file (size
 *           0 in stat) reads its text;
 *  cli:     `offdiff run FIFO`, `offdiff profile check /dev/zero` and a
 *           spec whose corpus is a FIFO exit 2 within seconds with one line.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_emu.h"
#include "ofd_pcap.h"
#include "ofd_safe_open.h"
#include "ofd_spec.h"
#include "ofd_test.h"
#include "ofd_yaml.h"

static char dir[64];
static char fifo[128], sock[128];
static int sock_fd = -1;

static void setup(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };

	ofd_test_mkdtemp(dir, sizeof(dir), "open");
	snprintf(fifo, sizeof(fifo), "%s/fifo.yaml", dir);
	ck_assert_int_eq(mkfifo(fifo, 0600), 0);
	snprintf(sock, sizeof(sock), "%s/sock.yaml", dir);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	sock_fd = socket(AF_UNIX, SOCK_STREAM, 0);
	ck_assert_int_ge(sock_fd, 0);
	ck_assert_int_eq(bind(sock_fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	/* A hang fails the test instead of blocking the suite. */
	alarm(5);
}

static void teardown(void)
{
	char cmd[128];

	alarm(0);
	close(sock_fd);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

enum loader { L_YAML, L_SPEC, L_PROFILE, L_CORPUS, L_READ, L__MAX };
static const char *const loader_names[] = { "yaml", "spec", "profile", "corpus", "read" };

static int load(enum loader l, const char *path, char *err, size_t len)
{
	struct ofd_corpus c = { 0 };
	struct ofd_ynode *root;
	struct ofd_spec *s;
	char *buf;
	size_t n;
	int ret;

	switch (l) {
	case L_YAML:
		ret = ofd_yaml_load_file(path, &root, err, len);
		ofd_yaml_free(root);
		return ret;
	case L_SPEC:
		ret = ofd_spec_load(path, &s, err, len);
		if (!ret)
			ofd_spec_free(s);
		return ret;
	case L_PROFILE:
		return ofd_emu_profile_check(path, err, len);
	case L_CORPUS:
		ret = ofd_corpus_load(&c, path, err, len);
		ofd_corpus_free(&c);
		return ret;
	default:
		ret = ofd_read_regular(path, OFD_MAX_YAML, &buf, &n, err, len);
		free(buf);
		return ret;
	}
}

START_TEST(special_files_refused)
{
	const struct {
		const char *path, *type;
		int ret;
	} files[] = {
		{ fifo, "fifo", -EINVAL },
		{ "/dev/zero", "character device", -EINVAL },
		{ dir, "directory", -EISDIR },
		{ sock, "socket", -EINVAL },
	};
	char err[512], want[256];
	size_t i;

	for (i = 0; i < OFD_ARRAY_SIZE(files); i++) {
		double t0 = now();
		int ret = load((enum loader)_i, files[i].path, err, sizeof(err));

		ck_assert_msg(now() - t0 < 1.0, "%s %s: took %.2f s", loader_names[_i],
			      files[i].type, now() - t0);
		ck_assert_msg(ret == files[i].ret, "%s %s: ret %d (%s)", loader_names[_i],
			      files[i].type, ret, err);
		snprintf(want, sizeof(want), "%s: not a regular file (%s)", files[i].path,
			 files[i].type);
		ck_assert_str_eq(err, want);
	}
}
END_TEST

START_TEST(size_capped)
{
	char path[128], err[512], want[256], *buf;
	size_t n;
	int fd;

	snprintf(path, sizeof(path), "%s/big.yaml", dir);
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	ck_assert_int_ge(fd, 0);
	ck_assert_int_eq(ftruncate(fd, (off_t)OFD_MAX_YAML + 1), 0);
	close(fd);
	ck_assert_int_eq(load(L_YAML, path, err, sizeof(err)), -EFBIG);
	snprintf(want, sizeof(want), "%s: too large (16777217 bytes; the limit is 16 MiB)", path);
	ck_assert_str_eq(err, want);
	ck_assert_int_eq(load(L_PROFILE, path, err, sizeof(err)), -EFBIG);
	ck_assert_str_eq(err, want);

	/* At the cap exactly: read (16 MiB of zeros). */
	ck_assert_int_eq(truncate(path, (off_t)OFD_MAX_YAML), 0);
	ck_assert_int_eq(ofd_read_regular(path, OFD_MAX_YAML, &buf, &n, err, sizeof(err)), 0);
	ck_assert_uint_eq(n, OFD_MAX_YAML);
	free(buf);
	ck_assert_int_eq(ofd_read_regular(path, 1024, &buf, &n, err, sizeof(err)), -EFBIG);
	ck_assert_ptr_nonnull(strstr(err, "the limit is 1 KiB"));

	/* procfs says size 0: the text is read all the same. */
	ck_assert_int_eq(ofd_read_regular("/proc/self/status", 1 << 20, &buf, &n, err,
					  sizeof(err)), 0);
	ck_assert_uint_gt(n, 0);
	ck_assert_ptr_nonnull(strstr(buf, "Name:"));
	free(buf);

	ck_assert_int_eq(ofd_read_regular("/nonexistent/x", 1, &buf, &n, err, sizeof(err)),
			 -ENOENT);
	ck_assert_str_eq(err, "/nonexistent/x: No such file or directory");
}
END_TEST

/* The program: exit 2, one line on stderr, in well under the timeout. */
static void cli_refuses(const char *args, const char *want)
{
	char *text;
	double t0 = now();
	int rc = ofd_test_run(&text, true, "timeout 5 %s %s", ofd_test_offdiff(), args);

	ck_assert_msg(now() - t0 < 2.0, "%s: took %.2f s", args, now() - t0);
	ck_assert_msg(rc == 2, "%s: exit %d: %s", args, rc, text);
	ck_assert_msg(strchr(text, '\n') == text + strlen(text) - 1, "%s: not one line: %s",
		      args, text);
	ck_assert_msg(strstr(text, want), "%s: %s", args, text);
	free(text);
}

START_TEST(cli_refuses_special_files)
{
	char spec[128], args[256], want[256];
	FILE *f;

	alarm(20);
	snprintf(args, sizeof(args), "run %s --out %s", fifo, dir);
	snprintf(want, sizeof(want), "%s: not a regular file (fifo)", fifo);
	cli_refuses(args, want);
	cli_refuses("profile check /dev/zero", "/dev/zero: not a regular file (character device)");

	snprintf(spec, sizeof(spec), "%s/spec.yaml", dir);
	f = fopen(spec, "w");
	ck_assert_ptr_nonnull(f);
	fprintf(f, "name: s\ncorpus: [%s]\ntargets:\n  - engine: emu\n    profile: conformant\n"
		   "profile_dir: %s/specs/profiles\n", fifo, getcwd(args, sizeof(args)));
	fclose(f);
	snprintf(args, sizeof(args), "run %s --out %s", spec, dir);
	cli_refuses(args, want);
}
END_TEST

static Suite *safe_open_suite(void)
{
	Suite *s = suite_create("safe_open");
	TCase *tc = tcase_create("special");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, special_files_refused, 0, L__MAX);
	tcase_add_test(tc, size_capped);
	tcase_add_test(tc, cli_refuses_special_files);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(safe_open_suite)
