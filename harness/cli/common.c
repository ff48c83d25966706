// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * common.c - `offdiff <object> <verb>` dispatch (bpftool style), except that
 * an ambiguous prefix is an error instead of whatever the table lists
 * first (xdp-tools' dispatch_commands).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "ofd_cli.h"

void ofd_cli_err(const char *fmt, ...)
{
	va_list ap;

	fputs("offdiff: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int ofd_cli_nothing_compared(uint64_t ncases, const char *reasons, const char *why_none)
{
	if (!ncases)
		ofd_cli_err("nothing compared: %s", why_none ? why_none : "no cases");
	else if (ncases == 1)
		ofd_cli_err("nothing compared: the only case skipped (%s)",
			    reasons && reasons[0] ? reasons : "no reason given");
	else
		ofd_cli_err("nothing compared: all %llu cases skipped (%s)",
			    (unsigned long long)ncases,
			    reasons && reasons[0] ? reasons : "no reason given");
	return OFD_EXIT_NOTHING_COMPARED;
}

static void usage(const char *object, const struct ofd_cmd *cmds)
{
	const struct ofd_cmd *c;

	/* The top level is dispatched with an empty object name. */
	const char *sep = object[0] ? " " : "";

	fprintf(stderr, "usage: offdiff %s%s%s ...\n", object, sep,
		object[0] ? "<verb>" : "<command>");
	for (c = cmds; c->name; c++)
		fprintf(stderr, "  offdiff %s%s%s\n", object, sep, c->help);
}

int ofd_cmd_dispatch(const char *object, const struct ofd_cmd *cmds, int argc,
		     char **argv)
{
	const struct ofd_cmd *c, *hit = NULL;
	size_t n;

	if (argc < 1 || !strcmp(argv[0], "help") || !strcmp(argv[0], "--help") ||
	    !strcmp(argv[0], "-h")) {
		usage(object, cmds);
		return argc < 1 ? OFD_EXIT_USAGE : OFD_EXIT_EQUAL;
	}
	n = strlen(argv[0]);
	for (c = cmds; c->name; c++) {
		if (!strcmp(c->name, argv[0])) {
			hit = c;
			break;
		}
		if (!strncmp(c->name, argv[0], n)) {
			if (hit) {
				ofd_cli_err("%s%s'%s' is ambiguous (%s, %s)", object,
					    object[0] ? ": " : "", argv[0], hit->name, c->name);
				return OFD_EXIT_USAGE;
			}
			hit = c;
		}
	}
	if (!hit) {
		ofd_cli_err("%s%sunknown %s '%s'", object, object[0] ? ": " : "",
			    object[0] ? "verb" : "command", argv[0]);
		usage(object, cmds);
		return OFD_EXIT_USAGE;
	}
	return hit->fn(argc, argv);
}
