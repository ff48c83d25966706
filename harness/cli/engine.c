// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * engine.c - `offdiff engine list`: what this build can run, and
 * whether each engine can run on this machine right now.
 */
#include <stdio.h>
#include <string.h>

#include "ofd.h"
#include "ofd_cli.h"
#include "ofd_isolate.h"

static json_t *engine_json(const struct ofd_engine_ops *e, int avail, const char *why)
{
	json_t *j = json_pack("{s:s, s:s, s:s, s:b}", "name", e->name, "role",
			      e->flags & OFD_F_REFERENCE ? "reference" : "target",
			      "description", e->desc, "available", !avail);
	json_t *offs = json_array();
	int off;

	for (off = 0; off < OFD_OFFLOAD__MAX; off++)
		if (ofd_engine_caps(e) & OFD_CAP(off))
			json_array_append_new(offs, json_string(ofd_offload_name(off)));
	json_object_set_new(j, "offloads", offs);
	if (e->params && e->params[0].key) {
		const struct ofd_engine_param_doc *d;
		json_t *ps = json_object();

		for (d = e->params; d->key; d++)
			json_object_set_new(ps, d->key, json_string(d->help));
		json_object_set_new(j, "settings", ps);
	}
	if (avail)
		json_object_set_new(j, "unavailable", json_string(why));
	return j;
}

static int do_list(int argc, char **argv)
{
	const struct ofd_engine_ops *const *e;
	json_t *all = json_array();
	size_t n, i;
	int off, err = ofd_cli_parse(NULL, &argc, argv);

	if (err) {
		json_decref(all);
		return ofd_cli_parse_exit(err);
	}
	e = ofd_engine_list(&n);
	for (i = 0; i < n; i++) {
		char why[256] = "";
		int avail = e[i]->probe ? e[i]->probe(why, sizeof(why)) : 0;

		if (ofd_g.json) {
			json_array_append_new(all, engine_json(e[i], avail, why));
			continue;
		}
		printf("%-8s %-9s %s\n", e[i]->name,
		       e[i]->flags & OFD_F_REFERENCE ? "reference" : "target", e[i]->desc);
		printf("         offloads:");
		for (off = 0; off < OFD_OFFLOAD__MAX; off++)
			if (ofd_engine_caps(e[i]) & OFD_CAP(off))
				printf(" %s", ofd_offload_name(off));
		printf("%s%s\n", avail ? "; unavailable here: " : "", avail ? why : "");
		if (e[i]->params && e[i]->params[0].key) {
			const struct ofd_engine_param_doc *d;

			printf("         settings (-t %s:key=value,...):\n", e[i]->name);
			for (d = e[i]->params; d->key; d++)
				printf("           %-15s %s\n", d->key, d->help);
		}
	}
	if (ofd_g.json)
		return ofd_cli_json_print(all) ? OFD_EXIT_UNAVAILABLE : OFD_EXIT_EQUAL;
	json_decref(all);
	{
		const struct ofd_engine_param_doc *d;

		printf("settings every engine takes (-t ENGINE:key=value,...):\n");
		for (d = ofd_engine_common_params; d->key; d++)
			printf("           %-15s %s\n", d->key, d->help);
	}
	return OFD_EXIT_EQUAL;
}

static const struct ofd_verb engine_verbs[] = {
	{ "list", do_list, NULL,
	  "the engines, their role (reference or target), offloads, and whether they run here",
	  NULL, NULL, 0, 0, OFD_VERB_JSON },
	{ 0 },
};

const struct ofd_object ofd_obj_engine = { "engine", "the engines this build knows",
					   engine_verbs };
