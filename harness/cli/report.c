// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * report.c - `offdiff report list|show`: read reports back.
 *
 *   offdiff report list [--out reports]   one line per run, newest last
 *   offdiff report show [RUN_DIR]         the run's summary (default: newest)
 */
#include <dirent.h>
#include <getopt.h>
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

static const char *root_opt(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "out", required_argument, NULL, 'o' },
		{ NULL, 0, NULL, 0 },
	};
	const char *root = "reports";
	int c;

	optind = 1;
	while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1)
		if (c == 'o')
			root = optarg;
	return root;
}

static int do_list(int argc, char **argv)
{
	const char *root = root_opt(argc, argv);
	struct dirent **runs;
	int n = list_runs(root, &runs), i;

	if (n < 0) {
		ofd_cli_err("%s: no reports here", root);
		return OFD_EXIT_USAGE;
	}
	for (i = 0; i < n; i++) {
		char dir[PATH_MAX + 300];
		unsigned long long disc = 0, cases = 0;
		json_t *s, *t;
		size_t k;

		snprintf(dir, sizeof(dir), "%s/%s", root, runs[i]->d_name);
		s = load_summary(dir);
		if (s) {
			json_array_foreach(json_object_get(s, "targets"), k, t) {
				cases += (unsigned long long)json_integer_value(json_object_get(t, "cases"));
				disc += (unsigned long long)json_integer_value(json_object_get(
					json_object_get(t, "verdicts"), "discrepancy"));
			}
			printf("%-40s %-28s %3zu target%s %9llu cases %7llu discrepancies\n",
			       runs[i]->d_name,
			       json_string_value(json_object_get(s, "spec")) ?: "",
			       json_array_size(json_object_get(s, "targets")),
			       json_array_size(json_object_get(s, "targets")) == 1 ? " " : "s",
			       cases, disc);
			json_decref(s);
		}
		free(runs[i]);
	}
	free(runs);
	return OFD_EXIT_EQUAL;
}

static int do_show(int argc, char **argv)
{
	const char *root = root_opt(argc, argv);
	char dir[PATH_MAX + 300];
	json_t *s;

	if (optind < argc) {
		snprintf(dir, sizeof(dir), "%s", argv[optind]);
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
	printf("run %s: spec %s, started %s", dir, json_string_value(json_object_get(s, "spec")) ?: "",
	       json_string_value(json_object_get(s, "started")) ?: "?");
	if (json_object_get(s, "corpus_sha256"))
		printf(", corpus sha256 %.16s", json_string_value(json_object_get(s, "corpus_sha256")));
	printf("\n");
	ofd_report_print_summary(s, stdout);
	json_decref(s);
	return OFD_EXIT_EQUAL;
}

int ofd_cmd_report(int argc, char **argv)
{
	static const struct ofd_cmd cmds[] = {
		{ "list", do_list, "list [--out DIR]: runs under DIR (default reports)" },
		{ "show", do_show, "show [RUN_DIR]: a run's summary (default: the newest)" },
		{ NULL, NULL, NULL },
	};

	return ofd_cmd_dispatch("report", cmds, argc - 1, argv + 1);
}
