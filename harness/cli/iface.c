// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * iface.c - `offdiff iface show|restore`: a port as the iface target sees
 * it, and undoing what a killed run left on a host's ports.
 *
 *   offdiff iface show [--netns NAME] PORT   driver info, link, and every
 *                                            feature: on/off, fixed
 *   offdiff iface restore                    undo the journals of runs that
 *                                            died (targets/wire/host_changes.c)
 *
 * `show` is what a user checks before pointing a campaign at a NIC (is
 * rx-gro changeable here?); `restore` is the way back when a run was
 * killed and no other run started since to undo its changes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_cli.h"
#include "ofd_ethtool.h"

struct show_opts {
	const char *netns;
};

static const struct ofd_opt show_opts[] = {
	OFD_OPT('n', "netns", OFD_OPT_STR, struct show_opts, netns, "NAME",
		"the network namespace the port is in (`ip netns list`; default: ours)"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

static const char *or_none(const char *s)
{
	return s[0] ? s : "-";
}

static json_t *show_json(const struct ofd_device_id *id, bool has_id, bool up,
			 unsigned int mtu, const struct ofd_ethtool_feat *f, unsigned int n)
{
	json_t *feats = json_array(), *j;
	unsigned int i;

	for (i = 0; i < n; i++)
		json_array_append_new(feats, json_pack("{s:s, s:b, s:b, s:b}", "name", f[i].name,
						       "active", f[i].active, "fixed",
						       !f[i].changeable, "present", f[i].present));
	j = json_pack("{s:s, s:s, s:b, s:i}", "port", id->port, "netns", id->netns, "up", up,
		      "mtu", (json_int_t)mtu);
	if (has_id)
		json_object_set_new(j, "driver",
				    json_pack("{s:s, s:s, s:s, s:s}", "name", id->driver,
					      "version", id->driver_version, "firmware",
					      id->fw_version, "bus_info", id->bus_info));
	else
		json_object_set_new(j, "driver", json_null());
	json_object_set_new(j, "features", feats);
	return j;
}

static int do_show(int argc, char **argv)
{
	struct show_opts o = { 0 };
	struct ofd_device_id id = { 0 };
	struct ofd_ethtool_feat *f = NULL;
	struct ofd_ethtool *et;
	char err[512] = "";
	unsigned int n = 0, mtu = 0, i;
	bool up = false, has_id;
	int e = ofd_cli_parse(&o, &argc, argv), rc = OFD_EXIT_EQUAL;

	if (e)
		return ofd_cli_parse_exit(e);
	e = ofd_ethtool_open_netns(o.netns, &et, err, sizeof(err));
	if (e) {
		ofd_cli_err("iface show: %s", err);
		return e == -ENOENT || e == -EINVAL ? OFD_EXIT_USAGE : OFD_EXIT_UNAVAILABLE;
	}
	/* Devices without driver info (lo) still have features and a link. */
	e = ofd_ethtool_drvinfo(et, argv[1], &id, err, sizeof(err));
	has_id = !e;
	if (e == -EOPNOTSUPP) {
		snprintf(id.port, sizeof(id.port), "%s", argv[1]);
		e = 0;
	}
	if (!e)
		e = ofd_ethtool_link(et, argv[1], &up, &mtu);
	if (e && !err[0])
		snprintf(err, sizeof(err), "%s", ofd_ethtool_strerror(et));
	if (!e)
		e = ofd_ethtool_features(et, argv[1], &f, &n, err, sizeof(err));
	if (e) {
		ofd_cli_err("iface show: %s", err);
		rc = e == -ENODEV ? OFD_EXIT_USAGE : OFD_EXIT_UNAVAILABLE;
		goto out;
	}
	if (o.netns && !id.netns[0])
		snprintf(id.netns, sizeof(id.netns), "%s", o.netns);
	if (ofd_g.json) {
		rc = ofd_cli_json_print(show_json(&id, has_id, up, mtu, f, n)) ?
			     OFD_EXIT_UNAVAILABLE : OFD_EXIT_EQUAL;
		goto out;
	}
	printf("%s%s%s\n", id.port, id.netns[0] ? " in netns " : "", id.netns);
	if (has_id)
		printf("driver: %s %s, firmware %s, bus %s\n", id.driver,
		       or_none(id.driver_version), or_none(id.fw_version), or_none(id.bus_info));
	else
		printf("driver: - (the device gives no driver info)\n");
	printf("link: %s, mtu %u\n", up ? "up" : "down", mtu);
	printf("features:\n");
	for (i = 0; i < n; i++)
		printf("  %-32s %s%s\n", f[i].name, f[i].active ? "on" : "off",
		       f[i].changeable ? "" : " fixed");
out:
	free(f);
	ofd_ethtool_close(et);
	return rc;
}

/* restore's lines are its output: info goes to stdout, the rest as before. */
static ofd_print_fn old_print;

__attribute__((format(printf, 2, 0)))
static void restore_print(enum ofd_log_level lvl, const char *fmt, va_list ap)
{
	if (lvl == OFD_INFO)
		vprintf(fmt, ap);
	else
		old_print(lvl, fmt, ap);
}

static int do_restore(int argc, char **argv)
{
	char err[1024] = "";
	int e = ofd_cli_parse(NULL, &argc, argv);

	if (e)
		return ofd_cli_parse_exit(e);
	old_print = ofd_set_print(restore_print);
	e = ofd_host_restore_dead(err, sizeof(err));
	ofd_set_print(old_print);
	if (e < 0) {
		ofd_cli_err("iface restore: %s", err[0] ? err : strerror(-e));
		return e == -EINVAL ? OFD_EXIT_USAGE : OFD_EXIT_UNAVAILABLE;
	}
	if (!e && !ofd_g.quiet)
		printf("nothing to restore: no run that died left changes behind\n");
	return OFD_EXIT_EQUAL;
}

static const struct ofd_verb iface_verbs[] = {
	{ "show", do_show, "PORT",
	  "a port's driver, link and every offload feature (on/off, fixed when the device "
	  "does not let it change)",
	  NULL, show_opts, 1, 1, OFD_VERB_JSON },
	{ "restore", do_restore, NULL,
	  "undo what runs that died left changed on ports (their journals in "
	  "$OFFDIFF_STATE_DIR/changes, default /run/offdiff/changes)",
	  "exit 0 when every journal of a dead run was undone or there was none; 2 when a\n"
	  "journal is not one (it is left in place), 3 when a change could not be undone.\n",
	  NULL, 0, 0, 0 },
	{ 0 },
};

const struct ofd_object ofd_obj_iface = { "iface", "a port's features; undo what killed runs left",
					  iface_verbs };
