// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_iface_rx_host.c - gro through the iface target on a veth pair in
 * a namespace of the test's own, the way a real NIC is driven: the trains
 * are sent from the peer, read up the port, and the features the run
 * turns on (rx-gro on the port, kernel-rx.md 7.2: veth has it off by
 * default) and off (TSO on the peer, without which veth bypasses GRO) are
 * back as they were afterwards, no journal left.
 *
 * A veth's receive path is the kernel's own software GRO with its own
 * flush timing (each transmit usually its own NAPI poll): under the
 * judge's rules that is the kernel's result or an earlier flush, never a
 * critical finding. The states are read with the legacy ethtool ioctls,
 * not through offdiff's netlink code.
 *
 * At the veth's default MTU of 1500 the corpus's trains of 4 KB segments
 * cannot be sent (packet_snd refuses a frame longer than MTU + 14): those
 * trains are skipped by name, and what the port held of them is read away
 * before the next train, which still gives no critical finding.
 */
#include <dirent.h>

#include "e2e_test_util.h"
#include "ethtool_test_util.h"

static char state[64];

static void ns_setup(void)
{
	et_ns_setup("ifrx");
}

static void rx_setup(void)
{
	setup();
	snprintf(state, sizeof(state), "%s/state", out);
	setenv("OFFDIFF_STATE_DIR", state, 1);
}

static void rx_teardown(void)
{
	unsetenv("OFFDIFF_STATE_DIR");
	teardown();
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

/* Every finding of the run whose text is given is benign. */
static void all_benign(const char *text)
{
	const char *r = strstr(text, "report: ");
	char dir[512], path[600], line[65536];
	FILE *f;

	ck_assert_msg(r != NULL, "no report line in: %s", text);
	ck_assert_int_eq(sscanf(r + 8, "%511s", dir), 1);
	snprintf(path, sizeof(path), "%s/findings.jsonl", dir);
	f = fopen(path, "r");
	ck_assert_msg(f != NULL, "%s", path);
	while (fgets(line, sizeof(line), f)) {
		json_t *j = json_loads(line, 0, NULL);
		const char *sev;

		ck_assert_ptr_nonnull(j);
		sev = json_string_value(json_object_get(j, "severity"));
		if (json_object_get(j, "case"))
			ck_assert_msg(sev && !strcmp(sev, "benign"), "a %s finding: %s",
				      sev ? sev : "?", line);
		json_decref(j);
	}
	fclose(f);
}

START_TEST(veth_gro_restores)
{
	char *text;
	json_t *sum, *t;
	int rc;

	et_veth("rxg0", "rxg1");
	ck_assert_int_eq(run(&text, "ip -n %s link set rxg0 mtu 9000 && ip -n %s link set rxg1 mtu 9000",
			     et_ns, et_ns), 0);
	free(text);
	ck_assert_int_eq(et_get("rxg0", ETHTOOL_GGRO), 0);
	ck_assert_int_eq(et_get("rxg1", ETHTOOL_GTSO), 1);

	rc = run(&text, "%s run specs/vnic-gro.yaml -t iface:netns=%s,port=rxg0,peer=rxg1 "
			"--findings all -q --out %s/r",
		 ofd_test_offdiff(), et_ns, out);
	if (rc == 3) {
		fprintf(stderr, "iface_rx_host: not run: %s\n", text);
		free(text);
		return;
	}
	ck_assert_msg(rc == 0 || rc == 1, "exit %d: %s", rc, text);
	sum = load_summary(text);
	all_benign(text);
	free(text);
	t = json_array_get(json_object_get(sum, "targets"), 0);
	ck_assert_int_eq(verdict(t, "unsupported"), 0);
	ck_assert_int_eq(verdict(t, "target-fault"), 0);
	ck_assert_int_gt(verdict(t, "equal") + verdict(t, "discrepancy"), 200);
	json_decref(sum);

	ck_assert_msg(et_get("rxg0", ETHTOOL_GGRO) == 0, "rx-gro left on");
	ck_assert_msg(et_get("rxg1", ETHTOOL_GTSO) == 1, "the peer's TSO left off");
	ck_assert_msg(et_up("rxg0") == 0 && et_up("rxg1") == 0, "a link left up");
	ck_assert_int_eq(journals(), 0);
}
END_TEST

START_TEST(veth_mtu_skips)
{
	char *text;
	json_t *sum, *t;
	int rc;

	et_veth("rxm0", "rxm1");
	ck_assert_int_eq(et_mtu("rxm1"), 1500);
	rc = run(&text, "%s run specs/vnic-gro.yaml -t iface:netns=%s,port=rxm0,peer=rxm1 "
			"--findings all -q --out %s/r",
		 ofd_test_offdiff(), et_ns, out);
	if (rc == 3) {
		fprintf(stderr, "iface_rx_host: not run: %s\n", text);
		free(text);
		return;
	}
	ck_assert_msg(rc == 0 || rc == 1, "exit %d: %s", rc, text);
	sum = load_summary(text);
	all_benign(text);
	free(text);
	t = json_array_get(json_object_get(sum, "targets"), 0);
	ck_assert_int_gt(verdict(t, "unsupported"), 0);
	ck_assert_int_gt(verdict(t, "equal"), 0);
	text = json_dumps(sum, 0);
	ck_assert_ptr_nonnull(strstr(text, "longer than the peer port's MTU"));
	free(text);
	json_decref(sum);
}
END_TEST

static Suite *iface_rx_host_suite(void)
{
	Suite *s = suite_create("iface_rx_host");
	TCase *tc = tcase_create("veth");

	tcase_add_unchecked_fixture(tc, ns_setup, et_ns_teardown);
	tcase_add_checked_fixture(tc, rx_setup, rx_teardown);
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, veth_gro_restores);
	tcase_add_test(tc, veth_mtu_skips);
	suite_add_tcase(s, tc);
	return s;
}
OFD_TEST_SUITE(iface_rx_host_suite);
