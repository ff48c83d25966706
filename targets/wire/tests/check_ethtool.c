// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_ethtool.c - features, driver info and link over ethtool netlink
 * and rtnetlink, on a veth pair in a namespace of its own, every value
 * judged by the legacy ioctls or iproute2 rather than by ethtool.c.
 */
#include <errno.h>
#include <jansson.h>
#include <stdbool.h>

#include "ethtool_test_util.h"
#include "ofd_ethtool.h"

static struct ofd_ethtool *et_open(void)
{
	struct ofd_ethtool *et;
	char err[256] = "";

	ck_assert_msg(ofd_ethtool_open_netns(et_ns, &et, err, sizeof(err)) == 0, "%s", err);
	return et;
}

static void setup(void)
{
	et_ns_setup("et");
}

START_TEST(test_drvinfo)
{
	struct ofd_ethtool *et;
	struct ofd_device_id id;
	char err[256] = "", *out;

	et_veth("eda", "edb");
	et = et_open();
	memset(&id, 0x55, sizeof(id));
	ck_assert_msg(ofd_ethtool_drvinfo(et, "eda", &id, err, sizeof(err)) == 0, "%s", err);
	ck_assert_str_eq(id.driver, "veth");
	ck_assert_str_eq(id.port, "eda");
	ck_assert_str_eq(id.netns, et_ns);
	/* iproute2 says veth too, and the device has no parent in sysfs,
	 * so no bus. */
	ck_assert_int_eq(ofd_test_run(&out, true, "ip -n %s -d -o link show dev eda", et_ns), 0);
	ck_assert_msg(strstr(out, " veth "), "%s", out);
	free(out);
	ck_assert_int_ne(ofd_test_run(&out, true, "ip netns exec %s test -e "
				      "/sys/class/net/eda/device", et_ns), 0);
	free(out);
	ck_assert_str_eq(id.bus_info, "");
	ck_assert(id.driver_version[0]);

	ck_assert_int_eq(ofd_ethtool_drvinfo(et, "nosuch", &id, err, sizeof(err)), -ENODEV);
	{
		char want[160];

		snprintf(want, sizeof(want), "no interface 'nosuch' in network namespace '%s'",
			 et_ns);
		ck_assert_str_eq(err, want);
	}
	ofd_ethtool_close(et);
}
END_TEST

START_TEST(test_gro_and_txcsum)
{
	struct ofd_ethtool *et;
	char err[256] = "";
	bool on, chg;

	et_veth("efa", "efb");
	et = et_open();
	et_set("efa", ETHTOOL_SGRO, 1);
	ck_assert_int_eq(ofd_ethtool_feature(et, "efa", "rx-gro", &on, &chg), 0);
	ck_assert(on && chg);
	ck_assert_msg(ofd_ethtool_set_feature(et, "efa", "rx-gro", false, err, sizeof(err)) == 0,
		      "%s", err);
	ck_assert_int_eq(et_get("efa", ETHTOOL_GGRO), 0);
	ck_assert_int_eq(ofd_ethtool_feature(et, "efa", "rx-gro", &on, &chg), 0);
	ck_assert(!on);
	/* ethtool -k's older name for the same bit */
	ck_assert_int_eq(ofd_ethtool_feature(et, "efa", "generic-receive-offload", &on, &chg), 0);
	ck_assert(!on && chg);
	ck_assert_int_eq(ofd_ethtool_set_feature(et, "efa", "generic-receive-offload", true, err,
						 sizeof(err)), 0);
	ck_assert_int_eq(et_get("efa", ETHTOOL_GGRO), 1);
	/* only the named bit: tx checksumming did not move */
	ck_assert_int_eq(et_get("efa", ETHTOOL_GTXCSUM), 1);

	ck_assert_int_eq(ofd_ethtool_set_feature(et, "efa", "tx-checksum-ip-generic", false, err,
						 sizeof(err)), 0);
	ck_assert_int_eq(ofd_ethtool_feature(et, "efa", "tx-checksum-ip-generic", &on, &chg), 0);
	ck_assert(!on);
	/* ETHTOOL_GTXCSUM counts SCTP's CRC too, still on */
	ck_assert_int_eq(ofd_ethtool_feature(et, "efa", "tx-checksum-sctp", &on, &chg), 0);
	ck_assert(on);
	ck_assert_int_eq(et_get("efa", ETHTOOL_GTXCSUM), 1);
	ck_assert_int_eq(ofd_ethtool_set_feature(et, "efa", "tx-checksumming", false, err,
						 sizeof(err)), 0);
	ck_assert_int_eq(et_get("efa", ETHTOOL_GTXCSUM), 0);
	ck_assert_int_eq(et_get("efa", ETHTOOL_GGRO), 1);
	ck_assert_int_eq(ofd_ethtool_set_feature(et, "efa", "tx-checksumming", true, err,
						 sizeof(err)), 0);
	ck_assert_int_eq(et_get("efa", ETHTOOL_GTXCSUM), 1);
	/* already so: nothing to do */
	ck_assert_int_eq(ofd_ethtool_set_feature(et, "efa", "rx-gro", true, err, sizeof(err)), 0);
	ofd_ethtool_close(et);
}
END_TEST

START_TEST(test_refusals)
{
	struct ofd_ethtool *et;
	char err[256] = "";
	bool on, chg;

	et_veth("era", "erb");
	et = et_open();
	/* a feature the kernel knows and veth lacks */
	ck_assert_int_eq(ofd_ethtool_feature(et, "era", "loopback", &on, &chg), -EOPNOTSUPP);
	ck_assert_int_eq(ofd_ethtool_set_feature(et, "era", "loopback", true, err, sizeof(err)),
			 -EOPNOTSUPP);
	ck_assert_msg(strstr(err, "loopback") && !strchr(err, '\n'), "%s", err);
	/* a name the kernel does not know */
	ck_assert_int_eq(ofd_ethtool_feature(et, "era", "rx-bogus", &on, &chg), -ENOENT);
	ck_assert_int_eq(ofd_ethtool_set_feature(et, "era", "rx-bogus", true, err, sizeof(err)),
			 -ENOENT);
	ck_assert_msg(strstr(err, "rx-bogus"), "%s", err);
	ck_assert_int_eq(ofd_ethtool_feature(et, "nosuch", "rx-gro", &on, &chg), -ENODEV);

	/* a dependency: TSO needs tx checksumming; the kernel keeps it off */
	ck_assert_int_eq(ofd_ethtool_set_feature(et, "era", "tx-checksumming", false, err,
						 sizeof(err)), 0);
	ck_assert_int_eq(et_get("era", ETHTOOL_GTSO), 0);
	ck_assert_int_eq(ofd_ethtool_set_feature(et, "era", "tx-tcp-segmentation", true, err,
						 sizeof(err)), -EOPNOTSUPP);
	ck_assert_msg(strstr(err, "kept it off"), "%s", err);
	ck_assert_int_eq(et_get("era", ETHTOOL_GTSO), 0);
	ck_assert_int_eq(ofd_ethtool_set_feature(et, "era", "tx-checksumming", true, err,
						 sizeof(err)), 0);
	ck_assert_int_eq(et_get("era", ETHTOOL_GTSO), 1);

	/* fixed on: lo's checksumming */
	ck_assert_int_eq(ofd_ethtool_feature(et, "lo", "tx-checksum-ip-generic", &on, &chg), 0);
	ck_assert(on && !chg);
	ck_assert_int_eq(ofd_ethtool_set_feature(et, "lo", "tx-checksum-ip-generic", false, err,
						 sizeof(err)), -EOPNOTSUPP);
	ck_assert_msg(strstr(err, "fixed on"), "%s", err);
	ck_assert_int_eq(et_get("lo", ETHTOOL_GTXCSUM), 1);
	ofd_ethtool_close(et);
}
END_TEST

START_TEST(test_link)
{
	struct ofd_ethtool *et;
	unsigned int mtu;
	bool up;

	et_veth("ela", "elb");
	et = et_open();
	ck_assert_int_eq(ofd_ethtool_link(et, "ela", &up, &mtu), 0);
	ck_assert(!up);
	ck_assert_int_eq((int)mtu, et_mtu("ela"));
	ck_assert_int_eq(ofd_ethtool_set_link(et, "ela", true, 1400), 0);
	ck_assert_int_eq(et_up("ela"), 1);
	ck_assert_int_eq(et_mtu("ela"), 1400);
	ck_assert_int_eq(ofd_ethtool_set_link(et, "ela", false, 0), 0);
	ck_assert_int_eq(et_up("ela"), 0);
	ck_assert_int_eq(et_mtu("ela"), 1400);
	/* the kernel's own words for a refusal */
	ck_assert_int_eq(ofd_ethtool_set_link(et, "ela", true, 1000000), -EINVAL);
	ck_assert_msg(strstr(ofd_ethtool_strerror(et), "ela") &&
		      strstr(ofd_ethtool_strerror(et), "mtu"), "%s", ofd_ethtool_strerror(et));
	ck_assert_int_eq(ofd_ethtool_link(et, "nosuch", &up, &mtu), -ENODEV);
	ck_assert_msg(strstr(ofd_ethtool_strerror(et), "no interface 'nosuch'"), "%s",
		      ofd_ethtool_strerror(et));
	ofd_ethtool_close(et);
}
END_TEST

START_TEST(test_cli_show)
{
	json_t *j, *f, *gro = NULL;
	json_error_t je;
	char *out;
	size_t i;

	et_veth("eca", "ecb");
	et_set("eca", ETHTOOL_SGRO, 0);
	ck_assert_int_eq(ofd_test_run(&out, true, "%s iface show --netns %s eca",
				      ofd_test_offdiff(), et_ns), 0);
	ck_assert_msg(strstr(out, "driver: veth") && strstr(out, "rx-gro ") &&
		      strstr(out, "loopback") && strstr(out, "off fixed"), "%s", out);
	free(out);
	ck_assert_int_eq(ofd_test_run(&out, false, "%s -j iface show -n %s eca",
				      ofd_test_offdiff(), et_ns), 0);
	j = json_loads(out, 0, &je);
	ck_assert_msg(j, "%s: %s", je.text, out);
	ck_assert_str_eq(json_string_value(json_object_get(json_object_get(j, "driver"), "name")),
			 "veth");
	f = json_object_get(j, "features");
	for (i = 0; i < json_array_size(f); i++)
		if (!strcmp(json_string_value(json_object_get(json_array_get(f, i), "name")),
			    "rx-gro"))
			gro = json_array_get(f, i);
	ck_assert_ptr_nonnull(gro);
	ck_assert(json_is_false(json_object_get(gro, "active")));
	ck_assert(json_is_false(json_object_get(gro, "fixed")));
	json_decref(j);
	free(out);
	/* a missing port: exit 2, one line */
	ck_assert_int_eq(ofd_test_run(&out, true, "%s iface show -n %s nosuch",
				      ofd_test_offdiff(), et_ns), 2);
	ck_assert_msg(strstr(out, "no interface 'nosuch' in network namespace") &&
		      strchr(out, '\n') == out + strlen(out) - 1, "%s", out);
	free(out);
}
END_TEST

static Suite *ethtool_suite(void)
{
	Suite *s = suite_create("ethtool");
	TCase *tc = tcase_create("veth");

	tcase_add_unchecked_fixture(tc, setup, et_ns_teardown);
	tcase_set_timeout(tc, 30);
	tcase_add_test(tc, test_drvinfo);
	tcase_add_test(tc, test_gro_and_txcsum);
	tcase_add_test(tc, test_refusals);
	tcase_add_test(tc, test_link);
	tcase_add_test(tc, test_cli_show);
	suite_add_tcase(s, tc);
	return s;
}
OFD_TEST_SUITE(ethtool_suite);
