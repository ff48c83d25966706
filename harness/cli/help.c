// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * help.c - help text, printed from the same tables the parser reads
 * (ofd_cli.h), so help cannot list an option the parser rejects or miss
 * one it accepts. `offdiff help --all` prints every section after a
 * "## <object>" line; the man page is generated from that output, so keep
 * the format plain: "usage:" lines, a summary, "options:" with one option
 * a line.
 */
#include <stdio.h>
#include <string.h>

#include "ofd.h"
#include "ofd_cli.h"
#include "ofd_offload.h"

const struct ofd_object *const ofd_objects[] = {
	&ofd_obj_run, &ofd_obj_replay, &ofd_obj_report, &ofd_obj_selfcheck,
	&ofd_obj_corpus, &ofd_obj_engine, &ofd_obj_target, &ofd_obj_profile, &ofd_obj_iface,
	&ofd_obj_vnic, &ofd_obj_wire, &ofd_obj_allowlist, &ofd_obj_key, &ofd_obj_bench,
	&ofd_obj_version, &ofd_obj_help, NULL,
};

const char *ofd_cli_cmd_name(const struct ofd_object *obj, const struct ofd_verb *v)
{
	static char buf[64];

	snprintf(buf, sizeof(buf), "%s%s%s", obj ? obj->name : "",
		 obj && v && v->name ? " " : "", v && v->name ? v->name : "");
	return buf;
}

static void opt_line(FILE *f, const struct ofd_opt *o)
{
	char lhs[64];

	snprintf(lhs, sizeof(lhs), "%c%c%c --%s%s%s", o->key ? '-' : ' ', o->key ? o->key : ' ',
		 o->key ? ',' : ' ', o->name, o->arg ? " " : "", o->arg ? o->arg : "");
	fprintf(f, "  %-28s %s\n", lhs, o->help);
}

/* Our names, then the ethtool ones accepted as aliases (offloads.def). */
static void offload_names(FILE *f)
{
	int i;

	fprintf(f, "offloads (our name, then the ethtool names it also accepts):\n");
	for (i = 0; i < OFD_OFFLOAD__MAX; i++) {
		const struct ofd_offload_ops *o = ofd_offload_get((unsigned int)i);

		fprintf(f, "  %-10s %s", o->name, o->ethtool);
		if (strcmp(o->ethtool_short, o->name) && strcmp(o->ethtool_short, o->ethtool))
			fprintf(f, ", %s", o->ethtool_short);
		fputc('\n', f);
	}
}

void ofd_cli_help_verb(FILE *f, const struct ofd_object *obj, const struct ofd_verb *v)
{
	const struct ofd_opt *o, *common = ofd_cli_common_opts();
	bool offload = false;

	fprintf(f, "usage: offdiff %s [OPTIONS]%s%s\n", ofd_cli_cmd_name(obj, v),
		v->operands ? " " : "", v->operands ? v->operands : "");
	fprintf(f, "%s\n", v->summary);
	if (v->details)
		fprintf(f, "%s", v->details);
	fprintf(f, "options:\n");
	for (o = v->opts; o && o->name; o++) {
		opt_line(f, o);
		offload |= o->kind == OFD_OPT_OFFLOAD;
	}
	/* -q and --color are global: offdiff --help lists them. */
	for (o = common; o->name; o++)
		if ((o->key == 'j' || o->key == 'p') && (v->flags & OFD_VERB_JSON))
			opt_line(f, o);
	fprintf(f, "  %-28s %s\n", "-h, --help", "this help");
	if (offload)
		offload_names(f);
}

void ofd_cli_help_object(FILE *f, const struct ofd_object *obj)
{
	const struct ofd_verb *v;

	if (!obj->verbs[0].name) {
		ofd_cli_help_verb(f, obj, &obj->verbs[0]);
		return;
	}
	fprintf(f, "offdiff %s: %s\n", obj->name, obj->summary);
	for (v = obj->verbs; v->fn; v++) {
		fputc('\n', f);
		ofd_cli_help_verb(f, obj, v);
	}
}

void ofd_cli_help_top(FILE *f)
{
	const struct ofd_object *const *obj;
	const struct ofd_opt *o;

	fprintf(f, "usage: offdiff [OPTIONS] COMMAND [VERB] [COMMAND OPTIONS] [OPERANDS]\n"
		   "offdiff diffs the Linux kernel's software offload paths (the reference) against\n"
		   "offload targets, explains every discrepancy and writes a report.\n"
		   "commands (abbreviations work while unambiguous: offdiff eng l):\n");
	for (obj = ofd_objects; *obj; obj++) {
		const struct ofd_verb *v;
		char lhs[64];
		size_t n;

		n = (size_t)snprintf(lhs, sizeof(lhs), "%s", (*obj)->name);
		for (v = (*obj)->verbs; v->fn && v->name && n < sizeof(lhs); v++)
			n += (size_t)snprintf(lhs + n, sizeof(lhs) - n, "%s%s",
					      v == (*obj)->verbs ? " " : "|", v->name);
		fprintf(f, "  %-28s %s\n", lhs, (*obj)->summary);
	}
	fprintf(f, "options (before the command; all but -V also after it):\n");
	for (o = ofd_cli_top_opts(); o->name; o++)
		opt_line(f, o);
	for (o = ofd_cli_common_opts(); o->name; o++)
		opt_line(f, o);
	fprintf(f, "  %-28s %s\n", "-h, --help", "this help; offdiff COMMAND --help for a command's");
	offload_names(f);
	fprintf(f, "exit codes (run, replay, selfcheck):\n"
		   "  0  every compared case equal\n"
		   "  1  at least one critical discrepancy\n"
		   "  2  bad input or usage (one line on stderr)\n"
		   "  3  an engine cannot run here (e.g. the kernel engine without root)\n"
		   "  4  nothing compared: every case skipped or no cases (kselftest's SKIP)\n"
		   "  130, 143  run stopped by SIGINT, SIGTERM (offdiff run --resume DIR finishes it)\n");
}

/* ---- offdiff help [--all] [COMMAND [VERB]] ----------------------- */

struct help_opts {
	bool all;
};

static const struct ofd_opt help_opts[] = {
	OFD_OPT(0, "all", OFD_OPT_FLAG, struct help_opts, all, NULL,
		"every section, each after a \"## <command>\" line (the man page's source)"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

/* Exact or unambiguous prefix, like the dispatcher; NULL if none. */
static const void *find_name(const char *word, const struct ofd_object *obj)
{
	const void *hit = NULL;
	size_t n = strlen(word), i;

	for (i = 0; obj ? obj->verbs[i].fn != NULL : ofd_objects[i] != NULL; i++) {
		const char *name = obj ? obj->verbs[i].name : ofd_objects[i]->name;
		const void *p = obj ? (const void *)&obj->verbs[i] : ofd_objects[i];

		if (!name)
			continue;
		if (!strcmp(name, word))
			return p;
		if (!strncmp(name, word, n))
			hit = hit ? NULL : p;
	}
	return hit;
}

static int do_help(int argc, char **argv)
{
	const struct ofd_object *const *obj, *o;
	const struct ofd_verb *v;
	struct help_opts h = { 0 };
	struct ofd_suggest s;
	int e = ofd_cli_parse(&h, &argc, argv);

	if (e)
		return ofd_cli_parse_exit(e);
	if (h.all) {
		printf("## offdiff\n");
		ofd_cli_help_top(stdout);
		for (obj = ofd_objects; *obj; obj++) {
			printf("\n## %s\n", (*obj)->name);
			ofd_cli_help_object(stdout, *obj);
		}
		return OFD_EXIT_EQUAL;
	}
	if (argc < 2) {
		ofd_cli_help_top(stdout);
		return OFD_EXIT_EQUAL;
	}
	o = find_name(argv[1], NULL);
	if (!o) {
		ofd_suggest_init(&s, argv[1]);
		for (obj = ofd_objects; *obj; obj++)
			ofd_suggest_add(&s, (*obj)->name);
		ofd_cli_err("help: unknown command %s%s%s%s", ofd_cli_q(argv[1]),
			    s.best ? "; did you mean '" : "", s.best ? s.best : "", s.best ? "'?" : "");
		return OFD_EXIT_USAGE;
	}
	if (argc < 3 || !o->verbs[0].name) {
		if (argc > 2) {
			ofd_cli_err("help: %s has no verbs", o->name);
			return OFD_EXIT_USAGE;
		}
		ofd_cli_help_object(stdout, o);
		return OFD_EXIT_EQUAL;
	}
	v = find_name(argv[2], o);
	if (!v) {
		ofd_cli_err("help: %s: unknown verb %s", o->name, ofd_cli_q(argv[2]));
		return OFD_EXIT_USAGE;
	}
	ofd_cli_help_verb(stdout, o, v);
	return OFD_EXIT_EQUAL;
}

static const struct ofd_verb help_verbs[] = {
	{ NULL, do_help, "[COMMAND [VERB]]", "help on offdiff, a command or a verb", NULL,
	  help_opts, 0, 2, 0 },
	{ 0 },
};

const struct ofd_object ofd_obj_help = { "help", "this help, a command's or all of it",
					 help_verbs };
