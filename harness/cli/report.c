// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * report.c - `offdiff report list|show`: read reports back.
 *
 *   offdiff report list [--out reports]   one line per run, newest last
 *   offdiff report show [RUN_DIR]         the run's summary (default: newest)
 */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>

#include "ofd_cli.h"
#include "ofd_run.h"

static json_t *load_summary(const char *dir)
{
	char path[PATH_MAX + 16];
	json_error_t je;
	json_t *j;

	snprintf(path, sizeof(path), "%s/summary.json", dir);
	j = json_load_file(path, 0, &je);
	if (!j)
		ofd_cli_err("%s: %s", path, je.text);
	return j;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
	return strcmp((*a)->d_name, (*b)->d_name);
}

/* Run directories under root, sorted (their names start with the time). */
static int list_runs(const char *root, struct dirent ***out)
{
	struct dirent **ents;
	int n = scandir(root, &ents, NULL, by_name), i, k = 0;

	if (n < 0)
		return -1;
	for (i = 0; i < n; i++) {
		char p[PATH_MAX + 300];
		FILE *f;

		snprintf(p, sizeof(p), "%s/%s/summary.json", root, ents[i]->d_name);
		f = ents[i]->d_name[0] != '.' ? fopen(p, "r") : NULL;
		if (f) {
			fclose(f);
			ents[k++] = ents[i];
		} else {
			free(ents[i]);
		}
	}
	*out = ents;
	return k;
}

struct root_opts {
	const char *root;
};

static const struct ofd_opt root_opts[] = {
	OFD_OPT('o', "out", OFD_OPT_STR, struct root_opts, root, "DIR",
		"where run directories are (default reports)"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

static int do_list(int argc, char **argv)
{
	struct root_opts o = { .root = "reports" };
	const char *root = o.root;
	struct dirent **runs;
	json_t *all;
	int n, i, e = ofd_cli_parse(&o, &argc, argv);

	if (e)
		return ofd_cli_parse_exit(e);
	root = o.root;
	n = list_runs(root, &runs);
	if (n < 0) {
		ofd_cli_err("%s: no reports here", root);
		return OFD_EXIT_USAGE;
	}
	all = json_array();
	for (i = 0; i < n; i++) {
		char dir[PATH_MAX + 300];
		unsigned long long disc = 0, cases = 0;
		const char *spec;
		json_t *s, *t;
		size_t k, nt;

		snprintf(dir, sizeof(dir), "%s/%s", root, runs[i]->d_name);
		s = load_summary(dir);
		if (s) {
			json_array_foreach(json_object_get(s, "targets"), k, t) {
				cases += (unsigned long long)json_integer_value(json_object_get(t, "cases"));
				disc += (unsigned long long)json_integer_value(json_object_get(
					json_object_get(t, "verdicts"), "discrepancy"));
			}
			spec = json_string_value(json_object_get(s, "spec")) ?: "";
			nt = json_array_size(json_object_get(s, "targets"));
			if (ofd_g.json)
				json_array_append_new(all, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I}",
					"run", runs[i]->d_name, "dir", dir, "spec", spec,
					"targets", (json_int_t)nt, "cases", (json_int_t)cases,
					"discrepancies", (json_int_t)disc));
			else
				printf("%-40s %-28s %3zu target%s %9llu cases %7llu discrepancies\n",
				       runs[i]->d_name, spec, nt, nt == 1 ? " " : "s", cases, disc);
			json_decref(s);
		}
		free(runs[i]);
	}
	free(runs);
	if (ofd_g.json)
		return ofd_cli_json_print(all) ? OFD_EXIT_UNAVAILABLE : OFD_EXIT_EQUAL;
	json_decref(all);
	return OFD_EXIT_EQUAL;
}

static int do_show(int argc, char **argv)
{
	struct root_opts o = { .root = "reports" };
	const char *root;
	char dir[PATH_MAX + 300];
	json_t *s;
	int e = ofd_cli_parse(&o, &argc, argv);

	if (e)
		return ofd_cli_parse_exit(e);
	root = o.root;
	if (argc > 1) {
		snprintf(dir, sizeof(dir), "%s", argv[1]);
	} else {
		struct dirent **runs;
		int n = list_runs(root, &runs), i;

		if (n <= 0) {
			ofd_cli_err("%s: no runs to show", root);
			return OFD_EXIT_USAGE;
		}
		snprintf(dir, sizeof(dir), "%s/%s", root, runs[n - 1]->d_name);
		for (i = 0; i < n; i++)
			free(runs[i]);
		free(runs);
	}
	s = load_summary(dir);
	if (!s)
		return OFD_EXIT_USAGE;
	if (ofd_g.json)
		return ofd_cli_json_print(s) ? OFD_EXIT_UNAVAILABLE : OFD_EXIT_EQUAL;
	printf("run %s: spec %s, started %s", dir, json_string_value(json_object_get(s, "spec")) ?: "",
	       json_string_value(json_object_get(s, "started")) ?: "?");
	if (json_object_get(s, "corpus_sha256"))
		printf(", corpus sha256 %.16s", json_string_value(json_object_get(s, "corpus_sha256")));
	printf("\n");
	ofd_report_print_summary(s, stdout);
	json_decref(s);
	return OFD_EXIT_EQUAL;
}

static const struct ofd_verb report_verbs[] = {
	{ "list", do_list, NULL, "one line per run under DIR, oldest first", NULL, root_opts,
	  0, 0, OFD_VERB_JSON },
	{ "show", do_show, "[RUN_DIR]", "a run's summary (default: the newest under DIR)", NULL,
	  root_opts, 0, 1, OFD_VERB_JSON },
	{ 0 },
};

const struct ofd_object ofd_obj_report = { "report", "read reports back", report_verbs };
