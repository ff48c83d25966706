// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * engine.c - `offdiff engine list`: what this build can run, and
 * whether each engine can run on this machine right now.
 */
#include <stdio.h>
#include <string.h>

#include "ofd.h"
#include "ofd_cli.h"

static int do_list(int argc, char **argv)
{
	const struct ofd_engine_ops *const *e;
	size_t n, i;
	int off;

	e = ofd_engine_list(&n);
	for (i = 0; i < n; i++) {
		char why[256] = "";
		int avail = e[i]->probe ? e[i]->probe(why, sizeof(why)) : 0;

		printf("%-8s %-9s %s\n", e[i]->name,
		       e[i]->flags & OFD_F_REFERENCE ? "reference" : "target", e[i]->desc);
		printf("         offloads:");
		for (off = 0; off < OFD_OFFLOAD__MAX; off++)
			if (ofd_engine_caps(e[i]) & OFD_CAP(off))
				printf(" %s", ofd_offload_name(off));
		printf("%s%s\n", avail ? "; unavailable here: " : "", avail ? why : "");
	}
	return OFD_EXIT_EQUAL;
}

int ofd_cmd_engine(int argc, char **argv)
{
	static const struct ofd_cmd cmds[] = {
		{ "list", do_list, "list: engines, their offloads and availability" },
		{ NULL, NULL, NULL },
	};

	return ofd_cmd_dispatch("engine", cmds, argc - 1, argv + 1);
}
