// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_iface_host.c - the iface target on ports in a named namespace
 * (--netns), and the host left as it was: the features and link states a
 * run changes are back after it ends, and after it is killed midway (then
 * the next start, or `offdiff iface restore`, undoes them).
 *
 * The ports are a virtual NIC's (`offdiff vnic up --name NS`). Their
 * states are set and read with the legacy ethtool ioctls and SIOCGIFFLAGS,
 * not through offdiff's netlink code, so the test judges it by something
 * else than itself.
 */
#include <dirent.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>

#include "e2e_test_util.h"
#include "ethtool_test_util.h"

static char state[64];

static void host_setup(void)
{
	char *text;

	setup();
	snprintf(state, sizeof(state), "%s/state", out);
	setenv("OFFDIFF_STATE_DIR", state, 1);
	snprintf(et_ns, sizeof(et_ns), "ofd-ifh-%d", (int)getpid());
	ck_assert_msg(run(&text, "%s vnic up --name %s --profile conformant", ofd_test_offdiff(),
			  et_ns) == 0, "%s", text);
	free(text);
}

static void host_teardown(void)
{
	char *text;

	run(&text, "%s vnic down --name %s", ofd_test_offdiff(), et_ns);
	free(text);
	unsetenv("OFFDIFF_STATE_DIR");
	teardown();
}

/* The state a run changes: TSO off on the device port, GRO on and the
 * link down on the peer (a run turns TSO on, GRO off, the peer up). */
static void set_start_state(void)
{
	char *text;

	et_set("ofdv0", ETHTOOL_STSO, 0);
	et_set("ofdv1", ETHTOOL_SGRO, 1);
	ck_assert_int_eq(run(&text, "ip -n %s link set ofdv1 down", et_ns), 0);
	free(text);
	ck_assert_int_eq(et_get("ofdv0", ETHTOOL_GTSO), 0);
	ck_assert_int_eq(et_get("ofdv1", ETHTOOL_GGRO), 1);
	ck_assert_int_eq(et_up("ofdv1"), 0);
}

static void assert_start_state(const char *when)
{
	ck_assert_msg(et_get("ofdv0", ETHTOOL_GTSO) == 0, "%s: TSO left on", when);
	ck_assert_msg(et_get("ofdv1", ETHTOOL_GGRO) == 1, "%s: GRO left off", when);
	ck_assert_msg(et_up("ofdv1") == 0, "%s: peer left up", when);
}

static int journals(void)
{
	char dir[128];
	struct dirent *e;
	DIR *d;
	int n = 0;

	snprintf(dir, sizeof(dir), "%s/changes", state);
	d = opendir(dir);
	if (!d)
		return 0;
	while ((e = readdir(d)))
		n += strstr(e->d_name, ".yaml") && !strstr(e->d_name, ".tmp");
	closedir(d);
	return n;
}

START_TEST(netns_run_restores)
{
	char *text;
	json_t *sum, *t, *dev;
	int rc;

	set_start_state();
	rc = run(&text, "%s run specs/tso.yaml -t iface:netns=%s,port=ofdv0,peer=ofdv1 --out %s/r",
		 ofd_test_offdiff(), et_ns, out);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	sum = load_summary(text);
	free(text);
	t = json_array_get(json_object_get(sum, "targets"), 0);
	/* conformant behind a real driver, reached in another namespace */
	ck_assert_int_eq(verdict(t, "discrepancy"), 0);
	ck_assert_int_gt(verdict(t, "equal"), 2000);
	dev = json_object_get(t, "device");
	ck_assert_str_eq(json_string_value(json_object_get(dev, "netns")), et_ns);
	ck_assert_str_eq(json_string_value(json_object_get(dev, "port")), "ofdv0");
	ck_assert_str_eq(json_string_value(json_object_get(dev, "peer")), "ofdv1");
	ck_assert_str_eq(json_string_value(json_object_get(dev, "driver")), "tun");
	json_decref(sum);
	assert_start_state("after the run");
	ck_assert_int_eq(journals(), 0);
}
END_TEST

/* Start a run in the background; its pid. */
static pid_t start_run(void)
{
	char spec[64];
	pid_t pid = fork();

	ck_assert_int_ge(pid, 0);
	if (!pid) {
		char tgt[160], dir[96];

		snprintf(tgt, sizeof(tgt), "iface:netns=%s,port=ofdv0,peer=ofdv1", et_ns);
		snprintf(dir, sizeof(dir), "%s/k", out);
		freopen("/dev/null", "w", stdout);
		freopen("/dev/null", "w", stderr);
		execl(ofd_test_offdiff(), "offdiff", "run", "specs/default.yaml", "-t", tgt, "--out",
		      dir, (char *)NULL);
		_exit(127);
	}
	(void)spec;
	return pid;
}

START_TEST(killed_run_is_undone)
{
	struct timespec ms10 = { 0, 10 * 1000 * 1000 };
	char *text;
	int i, status;
	pid_t pid;

	set_start_state();
	pid = start_run();
	/* Midway: both ports journalled and changed, cases flowing. */
	for (i = 0; i < 3000 && journals() < 2; i++)
		nanosleep(&ms10, NULL);
	ck_assert_int_eq(journals(), 2);
	for (i = 0; i < 50; i++)
		nanosleep(&ms10, NULL);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert(WIFSIGNALED(status));
	/* A kill leaves the changes in place, and their journal. */
	ck_assert_int_eq(et_get("ofdv0", ETHTOOL_GTSO), 1);
	ck_assert_int_eq(et_get("ofdv1", ETHTOOL_GGRO), 0);
	ck_assert_int_eq(et_up("ofdv1"), 1);
	ck_assert_int_eq(journals(), 2);
	/* `offdiff iface restore` undoes what the dead run left. */
	ck_assert_int_eq(run(&text, "%s iface restore", ofd_test_offdiff()), 0);
	ck_assert_msg(strstr(text, "ofdv0") && strstr(text, "ofdv1"), "%s", text);
	free(text);
	assert_start_state("after iface restore");
	ck_assert_int_eq(journals(), 0);

	/* And the next run's start does it too. */
	pid = start_run();
	for (i = 0; i < 3000 && journals() < 2; i++)
		nanosleep(&ms10, NULL);
	ck_assert_int_eq(journals(), 2);
	ck_assert_int_eq(kill(pid, SIGKILL), 0);
	ck_assert_int_eq(waitpid(pid, &status, 0), pid);
	ck_assert_int_eq(run(&text, "%s run specs/tso.yaml -f tso -t iface:netns=%s,port=ofdv0,peer=ofdv1 --out %s/r2 -q",
			     ofd_test_offdiff(), et_ns, out), 0);
	free(text);
	assert_start_state("after the next run");
	ck_assert_int_eq(journals(), 0);
}
END_TEST

/* The peer "on a second host": the remote capture runs through a command
 * (here `ip netns exec NS` stands for `ssh HOST`) and streams the wire
 * back; conformant stays equal, and the peer's features are the remote
 * capture's to change and restore. */
START_TEST(remote_peer)
{
	char *text;
	json_t *sum, *t;
	int rc;

	set_start_state();
	rc = run(&text, "%s run specs/tso.yaml -t 'iface:netns=%s,port=ofdv0,peer=ofdv1,"
		 "remote_cmd=ip netns exec %s,remote_offdiff=%s' --out %s/rr",
		 ofd_test_offdiff(), et_ns, et_ns, ofd_test_offdiff(), out);
	ck_assert_msg(rc == 0, "exit %d: %s", rc, text);
	sum = load_summary(text);
	free(text);
	t = json_array_get(json_object_get(sum, "targets"), 0);
	ck_assert_int_eq(verdict(t, "discrepancy"), 0);
	ck_assert_int_gt(verdict(t, "equal"), 2000);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(t, "device"), "peer")),
			 "remote:ofdv1");
	json_decref(sum);
	assert_start_state("after the remote run");
	ck_assert_int_eq(journals(), 0);
}
END_TEST

static Suite *iface_host_suite(void)
{
	Suite *s = suite_create("iface_host");
	TCase *tc = tcase_create("host");

	tcase_add_checked_fixture(tc, host_setup, host_teardown);
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, netns_run_restores);
	tcase_add_test(tc, killed_run_is_undone);
	tcase_add_test(tc, remote_peer);
	suite_add_tcase(s, tc);
	return s;
}
OFD_TEST_SUITE(iface_host_suite);
