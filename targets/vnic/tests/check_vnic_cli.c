// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_vnic_cli.c - `offdiff vnic up|down|list` as a user runs them, with
 * a state directory of the test's own (OFFDIFF_STATE_DIR): up makes the
 * namespace and its ports (iproute2 sees them), list names it in JSON,
 * up again is one line and exit 2, down leaves no process, no namespace
 * and no pid file.
 */
#include <errno.h>
#include <signal.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <jansson.h>

#include "ofd_netns.h"
#include "ofd_test.h"

/* The device process is not ours (`vnic up` started it and exited): once
 * stopped it is gone, or a zombie until its new parent reaps it. */
static bool process_left(long pid)
{
	char path[64], buf[256], *p;
	FILE *f;
	bool left = false;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')))
		left = p[1] == ' ' && p[2] != 'Z' && p[2] != 'X';
	fclose(f);
	return left;
}

START_TEST(cli_up_list_down)
{
	char dir[128], name[64], path[256], *text;
	json_t *all, *e, *mine = NULL;
	json_error_t jerr;
	struct stat st;
	long pid;
	size_t i;
	int rc;

	ofd_test_mkdtemp(dir, sizeof(dir), "vnic-state");
	setenv("OFFDIFF_STATE_DIR", dir, 1);
	snprintf(name, sizeof(name), "ofd-vnic-cli-%d", (int)getpid());

	rc = ofd_test_run(&text, true, "%s vnic up --name %s --profile conformant",
			  ofd_test_offdiff(), name);
	ck_assert_msg(rc == 0, "vnic up: exit %d: %s", rc, text);
	ck_assert_ptr_nonnull(strstr(text, "ofdv0"));
	ck_assert_ptr_nonnull(strstr(text, "ofdv1"));
	ck_assert_ptr_nonnull(strstr(text, "tcpdump"));
	free(text);

	rc = ofd_test_run(&text, true, "ip -n %s link show ofdv0", name);
	ck_assert_msg(rc == 0, "ip link: exit %d: %s", rc, text);
	free(text);

	/* up again: the name is taken, one line, usage exit */
	rc = ofd_test_run(&text, true, "%s vnic up --name %s --profile conformant",
			  ofd_test_offdiff(), name);
	ck_assert_int_eq(rc, 2);
	ck_assert_ptr_nonnull(strstr(text, "exists"));
	ck_assert_ptr_eq(strchr(text, '\n'), text + strlen(text) - 1);
	free(text);

	rc = ofd_test_run(&text, false, "%s vnic list --json", ofd_test_offdiff());
	ck_assert_int_eq(rc, 0);
	all = json_loads(text, 0, &jerr);
	ck_assert_msg(all && json_is_array(all), "not a JSON array: %s", text);
	json_array_foreach(all, i, e)
		if (!strcmp(json_string_value(json_object_get(e, "name")) ?: "", name))
			mine = e;
	ck_assert_ptr_nonnull(mine);
	ck_assert_str_eq(json_string_value(json_object_get(mine, "profile")), "conformant");
	ck_assert_str_eq(json_string_value(json_object_get(mine, "dev_port")), "ofdv0");
	ck_assert(json_is_true(json_object_get(mine, "running")));
	pid = (long)json_integer_value(json_object_get(mine, "pid"));
	ck_assert_int_gt(pid, 1);
	ck_assert_int_eq(kill((pid_t)pid, 0), 0);
	json_decref(all);
	free(text);

	rc = ofd_test_run(&text, true, "%s vnic down --name %s", ofd_test_offdiff(), name);
	ck_assert_msg(rc == 0, "vnic down: exit %d: %s", rc, text);
	free(text);
	/* nothing left: process, namespace, pid file */
	ck_assert(!process_left(pid));
	snprintf(path, sizeof(path), OFD_NETNS_DIR "/%s", name);
	ck_assert_int_eq(stat(path, &st), -1);
	snprintf(path, sizeof(path), "%s/vnic/%s.pid", dir, name);
	ck_assert_int_eq(stat(path, &st), -1);
	rc = ofd_test_run(&text, true, "ip netns list | grep -qw %s", name);
	ck_assert_int_ne(rc, 0);
	free(text);

	/* down again: nothing to stop, one line, usage exit */
	rc = ofd_test_run(&text, true, "%s vnic down --name %s", ofd_test_offdiff(), name);
	ck_assert_int_eq(rc, 2);
	free(text);

	rc = ofd_test_run(&text, true, "rm -rf %s", dir);
	free(text);
	unsetenv("OFFDIFF_STATE_DIR");
}
END_TEST

static Suite *vnic_cli_suite(void)
{
	Suite *s = suite_create("vnic_cli");
	TCase *tc = tcase_create("cli");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, cli_up_list_down);
	suite_add_tcase(s, tc);
	return s;
}
OFD_TEST_SUITE(vnic_cli_suite);
