// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_host_changes.c - the journal that undoes a run's changes to a
 * port: undone in order by the run itself, by the next run when it was
 * SIGKILLed, refused while its run lives, and left alone when corrupt.
 * Every state is read back through the legacy ioctls, not ethtool.c.
 */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdbool.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include "ethtool_test_util.h"
#include "ofd_ethtool.h"
#include "ofd_yaml.h"

static char state[256];
static char lines[4096];

__attribute__((format(printf, 2, 0)))
static void capture(enum ofd_log_level lvl, const char *fmt, va_list ap)
{
	size_t n = strlen(lines);

	if (lvl <= OFD_INFO)
		vsnprintf(lines + n, sizeof(lines) - n, fmt, ap);
}

static void setup(void)
{
	et_ns_setup("hc");
}

/* Each test its own state directory and a fresh veth pair, rx-gro on and
 * the link up as a NIC in service would be. */
static void fresh(const char *a, const char *b)
{
	ofd_test_mkdtemp(state, sizeof(state), "hc");
	setenv("OFFDIFF_STATE_DIR", state, 1);
	et_veth(a, b);
	et_set(a, ETHTOOL_SGRO, 1);
	{
		struct ifreq ifr = { 0 };

		ck_assert_int_eq(et_ioctl(a, SIOCGIFFLAGS, &ifr), 0);
		ifr.ifr_flags |= IFF_UP;
		ck_assert_int_eq(et_ioctl(a, SIOCSIFFLAGS, &ifr), 0);
	}
	lines[0] = '\0';
	ofd_set_print(capture);
}

static void journal_of(const char *port, char *buf, size_t len)
{
	snprintf(buf, len, "%s/changes/%s@%s.yaml", state, et_ns, port);
}

static bool exists(const char *path)
{
	struct stat st;

	return !stat(path, &st);
}

START_TEST(test_begin_restore)
{
	struct ofd_host_changes *hc;
	struct ofd_ynode *root;
	const struct ofd_ynode *ch;
	char err[256] = "", path[512];

	fresh("hba", "hbb");
	journal_of("hba", path, sizeof(path));
	ck_assert_msg(ofd_host_changes_begin(et_ns, "hba", &hc, err, sizeof(err)) == 0, "%s", err);
	ck_assert(exists(path));
	ck_assert_msg(ofd_host_set_feature(hc, "rx-gro", false, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(ofd_host_set_feature(hc, "rx-gro", false, err, sizeof(err)), 0);
	ck_assert_msg(ofd_host_set_link(hc, false, 1400, err, sizeof(err)) == 0, "%s", err);
	/* already so: nothing journalled */
	ck_assert_int_eq(ofd_host_set_feature(hc, "tx-checksum-ip-generic", true, err,
					      sizeof(err)), 0);
	/* refused: nothing journalled either */
	ck_assert_int_eq(ofd_host_set_feature(hc, "loopback", true, err, sizeof(err)),
			 -EOPNOTSUPP);
	ck_assert_int_eq(ofd_host_set_feature(hc, "rx-bogus", true, err, sizeof(err)), -ENOENT);
	ck_assert_int_eq(et_get("hba", ETHTOOL_GGRO), 0);
	ck_assert_int_eq(et_up("hba"), 0);
	ck_assert_int_eq(et_mtu("hba"), 1400);

	/* the journal: our pid, the original values in order */
	ck_assert_msg(ofd_yaml_load_file(path, &root, err, sizeof(err)) == 0, "%s", err);
	ck_assert_int_eq(atoi(ofd_ymap_get(root, "pid")->scalar), (int)getpid());
	ck_assert_str_eq(ofd_ymap_get(root, "port")->scalar, "hba");
	ch = ofd_ymap_get(root, "changes");
	ck_assert_int_eq((int)ch->n, 3);
	ck_assert_str_eq(ofd_ymap_get(ch->items[0], "name")->scalar, "rx-gro");
	ck_assert_str_eq(ofd_ymap_get(ch->items[0], "was")->scalar, "on");
	ck_assert_str_eq(ofd_ymap_get(ch->items[1], "was")->scalar, "up");
	ck_assert_str_eq(ofd_ymap_get(ch->items[2], "was")->scalar, "1500");
	ofd_yaml_free(root);

	ck_assert_int_eq(ofd_host_changes_restore(hc), 0);
	ck_assert_int_eq(et_get("hba", ETHTOOL_GGRO), 1);
	ck_assert_int_eq(et_up("hba"), 1);
	ck_assert_int_eq(et_mtu("hba"), 1500);
	ck_assert(!exists(path));
	ck_assert_int_eq(ofd_host_changes_restore(NULL), 0);
}
END_TEST

/* A child that journals and changes port, tells the parent, and waits to
 * be killed. */
static pid_t changer(const char *port)
{
	int p[2];
	pid_t pid;
	char c;

	ck_assert_int_eq(pipe(p), 0);
	pid = fork();
	ck_assert_int_ge(pid, 0);
	if (!pid) {
		struct ofd_host_changes *hc;
		char err[256];

		close(p[0]);
		if (ofd_host_changes_begin(et_ns, port, &hc, err, sizeof(err)) ||
		    ofd_host_set_feature(hc, "rx-gro", false, err, sizeof(err)) ||
		    ofd_host_set_link(hc, false, 0, err, sizeof(err))) {
			fprintf(stderr, "changer: %s\n", err);
			_exit(1);
		}
		if (write(p[1], "k", 1) != 1)
			_exit(1);
		for (;;)
			pause();
	}
	close(p[1]);
	ck_assert_msg(read(p[0], &c, 1) == 1, "the changer failed");
	close(p[0]);
	return pid;
}

static void killed(pid_t pid)
{
	int st;

	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &st, 0), pid);
	ck_assert(WIFSIGNALED(st));
}

START_TEST(test_kill)
{
	struct ofd_host_changes *hc;
	char err[512] = "", path[512], want[256], *out;
	pid_t pid;

	fresh("hka", "hkb");
	journal_of("hka", path, sizeof(path));
	pid = changer("hka");
	ck_assert_int_eq(et_get("hka", ETHTOOL_GGRO), 0);
	ck_assert_int_eq(et_up("hka"), 0);
	ck_assert(exists(path));
	/* held by a live run: refused, naming it; nothing undone */
	ck_assert_int_eq(ofd_host_changes_begin(et_ns, "hka", &hc, err, sizeof(err)), -EBUSY);
	snprintf(want, sizeof(want), "pid %d,", (int)pid);
	ck_assert_msg(strstr(err, want) && strstr(err, "still running"), "%s", err);
	ck_assert_int_eq(ofd_host_restore_dead(err, sizeof(err)), 0);
	ck_assert_int_eq(et_get("hka", ETHTOOL_GGRO), 0);

	killed(pid);
	/* SIGKILL undoes nothing: the changes and the journal stay */
	ck_assert_int_eq(et_get("hka", ETHTOOL_GGRO), 0);
	ck_assert_int_eq(et_up("hka"), 0);
	ck_assert(exists(path));
	ck_assert_msg(ofd_host_restore_dead(err, sizeof(err)) == 1, "%s", err);
	snprintf(want, sizeof(want), "restored hka in netns %s: rx-gro on, link up (left by pid "
		 "%d, which died)\n", et_ns, (int)pid);
	ck_assert_str_eq(lines, want);
	ck_assert_int_eq(et_get("hka", ETHTOOL_GGRO), 1);
	ck_assert_int_eq(et_up("hka"), 1);
	ck_assert(!exists(path));

	/* the same through the command line */
	pid = changer("hka");
	killed(pid);
	ck_assert_int_eq(ofd_test_run(&out, true, "%s iface restore", ofd_test_offdiff()), 0);
	ck_assert_msg(strstr(out, "restored hka") && strstr(out, "which died"), "%s", out);
	free(out);
	ck_assert_int_eq(et_get("hka", ETHTOOL_GGRO), 1);
	ck_assert_int_eq(et_up("hka"), 1);
	ck_assert(!exists(path));
	ck_assert_int_eq(ofd_test_run(&out, true, "%s iface restore", ofd_test_offdiff()), 0);
	ck_assert_msg(strstr(out, "nothing to restore"), "%s", out);
	free(out);

	/* a dead run's journal is undone by the next begin, too */
	pid = changer("hka");
	killed(pid);
	lines[0] = '\0';
	ck_assert_msg(ofd_host_changes_begin(et_ns, "hka", &hc, err, sizeof(err)) == 0, "%s", err);
	ck_assert_msg(strstr(lines, "restored hka"), "%s", lines);
	ck_assert_int_eq(et_get("hka", ETHTOOL_GGRO), 1);
	ck_assert(exists(path));
	ck_assert_int_eq(ofd_host_changes_restore(hc), 0);
	ck_assert(!exists(path));
}
END_TEST

static void write_file(const char *path, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void write_file(const char *path, const char *fmt, ...)
{
	char dir[512];
	va_list ap;
	FILE *f;

	snprintf(dir, sizeof(dir), "%s/changes", state);
	mkdir(dir, 0755);
	f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	va_start(ap, fmt);
	vfprintf(f, fmt, ap);
	va_end(ap);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_reused_pid)
{
	char err[256] = "", path[512];

	/* our own pid, but another process's start time: that run is dead
	 * and its pid was reused (by us) */
	fresh("hra", "hrb");
	et_set("hra", ETHTOOL_SGRO, 0);
	journal_of("hra", path, sizeof(path));
	write_file(path, "pid: %d\nstart_time: 1\nnetns: %s\nport: hra\nchanges:\n"
		   "- {what: feature, name: rx-gro, was: on}\n", (int)getpid(), et_ns);
	ck_assert_msg(ofd_host_restore_dead(err, sizeof(err)) == 1, "%s", err);
	ck_assert_int_eq(et_get("hra", ETHTOOL_GGRO), 1);
	ck_assert(!exists(path));
}
END_TEST

START_TEST(test_corrupt_and_gone)
{
	struct ofd_host_changes *hc;
	char err[512] = "", path[512], gone[512], want[600];

	fresh("hxa", "hxb");
	journal_of("hxa", path, sizeof(path));
	write_file(path, "pid: 1\nstart_time: 1\nnetns: %s\nport: hxa\nchanges:\n"
		   "- {what: feature, name: rx-gro, was: maybe}\n", et_ns);
	ck_assert_int_eq(ofd_host_restore_dead(err, sizeof(err)), -EINVAL);
	snprintf(want, sizeof(want), "%s:6:", path);
	ck_assert_msg(!strncmp(err, want, strlen(want)) && !strchr(err, '\n'), "%s", err);
	ck_assert(exists(path));
	ck_assert_int_eq(et_get("hxa", ETHTOOL_GGRO), 1);
	/* nor does a run take that port */
	ck_assert_int_eq(ofd_host_changes_begin(et_ns, "hxa", &hc, err, sizeof(err)), -EINVAL);
	ck_assert(exists(path));
	unlink(path);

	/* a port that went away, and a namespace that did */
	journal_of("hgone0", gone, sizeof(gone));
	write_file(gone, "pid: 1\nstart_time: 1\nnetns: %s\nport: hgone0\nchanges:\n"
		   "- {what: link, was: up}\n", et_ns);
	snprintf(path, sizeof(path), "%s/changes/ofd-nonexistent@x0.yaml", state);
	write_file(path, "pid: 1\nstart_time: 1\nnetns: ofd-nonexistent\nport: x0\nchanges:\n"
		   "- {what: mtu, was: 1500}\n");
	ck_assert_msg(ofd_host_restore_dead(err, sizeof(err)) == 2, "%s", err);
	ck_assert_msg(strstr(lines, "hgone0") && strstr(lines, "the port no longer exists") &&
		      strstr(lines, "netns ofd-nonexistent no longer exists"), "%s", lines);
	ck_assert(!exists(gone) && !exists(path));
	/* ENODEV for a port that is not there */
	ck_assert_int_eq(ofd_host_changes_begin(et_ns, "hgone0", &hc, err, sizeof(err)), -ENODEV);
	ck_assert_msg(strstr(err, "no interface 'hgone0'"), "%s", err);
}
END_TEST

static Suite *host_changes_suite(void)
{
	Suite *s = suite_create("host_changes");
	TCase *tc = tcase_create("journal");

	tcase_add_unchecked_fixture(tc, setup, et_ns_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_begin_restore);
	tcase_add_test(tc, test_kill);
	tcase_add_test(tc, test_reused_pid);
	tcase_add_test(tc, test_corrupt_and_gone);
	suite_add_tcase(s, tc);
	return s;
}
OFD_TEST_SUITE(host_changes_suite);
