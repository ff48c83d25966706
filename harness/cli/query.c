// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * query.c - `offdiff target query ENGINE[:PROFILE|:k=v,...]`: what an
 * engine runs (issue 21). A programmable engine names its program and
 * the SHA-256 of the program's IR, the same for every image of one
 * source (bpf, parser); a fixed-function one its version and device
 * (model: the kernel semantics it models; kernel: the running kernel;
 * emu: its profile; iface: the port and driver). The engine is opened as
 * a run would open it, so what is printed is what a run would report.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ofd.h"
#include "ofd_cli.h"
#include "ofd_emu.h"
#include "ofd_spec.h"

static void put(const char *key, const char *val)
{
	if (val[0])
		printf("%-15s %s\n", key, val);
}

static json_t *info_json(const struct ofd_engine_info *in)
{
	json_t *j = json_object(), *d = json_object();

#define STR(o, k, v) if ((v)[0]) json_object_set_new(o, k, json_string(v))
	STR(j, "engine", in->name);
	STR(j, "version", in->version);
	STR(j, "profile", in->profile);
	STR(j, "program", in->program);
	STR(j, "program_sha256", in->program_hash);
	STR(d, "port", in->device.port);
	STR(d, "netns", in->device.netns);
	STR(d, "driver", in->device.driver);
	STR(d, "driver_version", in->device.driver_version);
	STR(d, "fw_version", in->device.fw_version);
	STR(d, "bus_info", in->device.bus_info);
	STR(d, "peer", in->device.peer);
#undef STR
	if (json_object_size(d))
		json_object_set_new(j, "device", d);
	else
		json_decref(d);
	return j;
}

static int do_query(int argc, char **argv)
{
	struct ofd_cli_target t = { 0 };
	struct ofd_engine_opts eo = { 0 };
	const struct ofd_engine_info *in;
	struct ofd_engine *e = NULL;
	char err[1024] = "", dir[4096];
	int rc, ret;

	rc = ofd_cli_parse(NULL, &argc, argv);
	if (rc)
		return ofd_cli_parse_exit(rc);
	ofd_datadir_find(OFD_EMU_PROFILE_DIR, dir, sizeof(dir));
	rc = ofd_cli_target_parse(argv[1], dir, &t, err, sizeof(err));
	if (rc) {
		ofd_cli_err("target %s: %s", ofd_cli_q(argv[1]), err[0] ? err : strerror(-rc));
		return OFD_EXIT_USAGE;
	}
	ofd_cli_target_opts(&t, NULL, &eo);
	eo.profile_dir = dir;
	rc = ofd_engine__open(t.engine, &eo, &e, err, sizeof(err));
	if (rc) {
		ofd_cli_err("target %s", err);
		ret = rc == -ENOENT || rc == -EINVAL ? OFD_EXIT_USAGE : OFD_EXIT_UNAVAILABLE;
		goto out;
	}
	in = &e->info;
	ret = OFD_EXIT_EQUAL;
	if (ofd_g.json) {
		if (ofd_cli_json_print(info_json(in)))
			ret = OFD_EXIT_UNAVAILABLE;
		goto out;
	}
	put("engine", in->name);
	put("version", in->version);
	put("profile", in->profile);
	put("program", in->program);
	put("program sha256", in->program_hash);
	put("port", in->device.port);
	put("netns", in->device.netns);
	put("driver", in->device.driver);
	put("driver version", in->device.driver_version);
	put("firmware", in->device.fw_version);
	put("bus", in->device.bus_info);
	put("peer", in->device.peer);
out:
	if (e)
		ofd_engine__close(e);
	ofd_cli_target_free(&t);
	return ret;
}

static const struct ofd_verb target_verbs[] = {
	{ "query", do_query, "ENGINE[:PROFILE|:k=v,...]",
	  "what an engine runs: its program and the program's IR SHA-256, or its version and device",
	  "Opens the engine as a run would (the kernel engine needs root, bpf a loadable\n"
	  "program) and prints its identity. Exit 3 when the engine cannot run here.",
	  NULL, 1, 1, OFD_VERB_JSON },
	{ 0 },
};

const struct ofd_object ofd_obj_target = { "target", "what a target runs", target_verbs };
