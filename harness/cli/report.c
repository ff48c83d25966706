// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * report.c - `offdiff report list|show`: read reports back.
 *
 *   offdiff report list [--out reports]   one line per run, newest last
 *   offdiff report show [RUN_DIR]         the run's summary (default: newest)
 *
 * A run that did not finish is listed too, with its state: "stopped" (a
 * signal or --stop-after: summary.json of the cases done), "killed" (only
 * progress.json, its last checkpoint) or "running" (the pid in
 * progress.json is an offdiff still alive); `show` prints how to resume it.
 */
#include <dirent.h>
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <jansson.h>

#include "ofd_cli.h"
#include "ofd_run.h"

/* dir/name parsed; an error on stderr unless the file is missing and
 * that is allowed (a killed run has no summary, selfcheck no progress). */
static json_t *load_doc(const char *dir, const char *name, bool may_be_missing)
{
	char path[PATH_MAX + 16];
	json_error_t je;
	json_t *j;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	j = json_load_file(path, 0, &je);
	if (!j && !(may_be_missing && access(path, F_OK)))
		ofd_cli_err("%s: %s", path, je.text);
	return j;
}

/* An offdiff with this pid is alive (the run writing progress.json). */
static bool offdiff_alive(json_int_t pid)
{
	char path[64], comm[32] = "";
	FILE *f;

	if (pid <= 0 || (kill((pid_t)pid, 0) && errno != EPERM))
		return false;
	snprintf(path, sizeof(path), "/proc/%lld/comm", (long long)pid);
	f = fopen(path, "r");
	if (!f)
		return false;
	if (!fgets(comm, sizeof(comm), f))
		comm[0] = '\0';
	fclose(f);
	return !strcmp(comm, "offdiff\n");
}

/*
 * How far the run in dir got: "complete", "stopped", "killed" or
 * "running"; *done and *total from progress.json (0 without one). Runs
 * written before the state was recorded: all cases done is complete, a
 * summary without them is stopped, no summary is killed.
 */
static const char *run_state(const char *dir, json_t *sum, json_t *prog,
			     unsigned long long *done, unsigned long long *total)
{
	const char *st = json_string_value(json_object_get(prog ? prog : sum, "complete"));

	*done = (unsigned long long)json_integer_value(json_object_get(prog, "cases_done"));
	*total = (unsigned long long)json_integer_value(json_object_get(prog, "cases_total"));
	if (!prog)
		return st ? st : "complete";
	if (!st)
		st = *done >= *total ? "complete" : sum ? "stopped" : "killed";
	if (!strcmp(st, "killed") &&
	    offdiff_alive(json_integer_value(json_object_get(prog, "pid"))))
		st = "running";
	return st;
}

static void print_resume_hint(const char *dir, const char *state,
			      unsigned long long done, unsigned long long total)
{
	char *abs = realpath(dir, NULL);

	if (!strcmp(state, "running"))
		printf("running: case %llu of %llu at the last checkpoint\n", done, total);
	else if (strcmp(state, "complete"))
		printf("%s after %llu of %llu cases: finish with `offdiff run --resume %s`\n",
		       state, done, total, abs ? abs : dir);
	free(abs);
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
		/* A killed run has only its checkpoint. */
		if (!f && ents[i]->d_name[0] != '.') {
			snprintf(p, sizeof(p), "%s/%s/progress.json", root, ents[i]->d_name);
			f = fopen(p, "r");
		}
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
		unsigned long long disc = 0, cases = 0, done, total;
		const char *spec, *state;
		json_t *s, *p, *doc, *t;
		size_t k, nt;

		snprintf(dir, sizeof(dir), "%s/%s", root, runs[i]->d_name);
		p = load_doc(dir, "progress.json", true);
		s = load_doc(dir, "summary.json", p != NULL);
		state = run_state(dir, s, p, &done, &total);
		/* A summary is the run's word; a killed run's is its checkpoint. */
		doc = s ? s : p;
		json_array_foreach(json_object_get(doc, "targets"), k, t) {
			json_t *v = json_object_get(t, "verdicts"), *x;
			const char *key;

			if (s) {
				cases += (unsigned long long)json_integer_value(json_object_get(t, "cases"));
			} else {
				json_object_foreach(v, key, x)
					cases += (unsigned long long)json_integer_value(x);
			}
			disc += (unsigned long long)json_integer_value(json_object_get(v, "discrepancy"));
		}
		if (doc) {
			spec = json_string_value(json_object_get(doc, "spec")) ?: "";
			nt = json_array_size(json_object_get(doc, "targets"));
			if (ofd_g.json) {
				json_array_append_new(all, json_pack("{s:s, s:s, s:s, s:I, s:I, s:I, s:s}",
					"run", runs[i]->d_name, "dir", dir, "spec", spec,
					"targets", (json_int_t)nt, "cases", (json_int_t)cases,
					"discrepancies", (json_int_t)disc, "complete", state));
				if (p) {
					json_object_set_new(json_array_get(all, json_array_size(all) - 1),
							    "cases_done", json_integer((json_int_t)done));
					json_object_set_new(json_array_get(all, json_array_size(all) - 1),
							    "cases_total", json_integer((json_int_t)total));
				}
			} else {
				printf("%-40s %-28s %3zu target%s %9llu cases %7llu discrepancies",
				       runs[i]->d_name, spec, nt, nt == 1 ? " " : "s", cases, disc);
				if (strcmp(state, "complete"))
					printf("  %s at case %llu of %llu", state, done, total);
				printf("\n");
			}
		}
		json_decref(s);
		json_decref(p);
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
	unsigned long long done, total;
	const char *root, *state;
	char dir[PATH_MAX + 300];
	json_t *s, *p;
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
	p = load_doc(dir, "progress.json", true);
	s = load_doc(dir, "summary.json", p != NULL);
	if (!s && !p) {
		if (access(dir, F_OK))
			ofd_cli_err("%s: no such run directory", dir);
		return OFD_EXIT_USAGE;
	}
	if (ofd_g.json) {
		/* A killed run's document is its checkpoint. */
		if (s)
			json_decref(p);
		return ofd_cli_json_print(s ? s : p) ? OFD_EXIT_UNAVAILABLE : OFD_EXIT_EQUAL;
	}
	state = run_state(dir, s, p, &done, &total);
	if (s) {
		printf("run %s: spec %s, started %s", dir,
		       json_string_value(json_object_get(s, "spec")) ?: "",
		       json_string_value(json_object_get(s, "started")) ?: "?");
		if (json_object_get(s, "corpus_sha256"))
			printf(", corpus sha256 %.16s",
			       json_string_value(json_object_get(s, "corpus_sha256")));
		printf("\n");
		ofd_report_print_summary(s, stdout);
	} else {
		json_t *t;
		size_t k;

		/* Killed (or still running): what the last checkpoint holds. */
		printf("run %s: spec %s, no summary yet\n\n%-28s %8s %8s %8s\n", dir,
		       json_string_value(json_object_get(p, "spec")) ?: "", "target", "equal",
		       "discrep", "skipped");
		json_array_foreach(json_object_get(p, "targets"), k, t) {
			json_t *v = json_object_get(t, "verdicts");

			printf("%-28s %8lld %8lld %8lld\n",
			       json_string_value(json_object_get(t, "label")) ?: "",
			       json_integer_value(json_object_get(v, "equal")),
			       json_integer_value(json_object_get(v, "discrepancy")),
			       json_integer_value(json_object_get(v, "unsupported")));
		}
	}
	/* A summary says how to resume itself, unless the run went on after
	 * it (resumed, then killed). */
	if (!s || strcmp(state, json_string_value(json_object_get(s, "complete")) ?: "complete"))
		print_resume_hint(dir, state, done, total);
	json_decref(s);
	json_decref(p);
	return OFD_EXIT_EQUAL;
}

static const struct ofd_verb report_verbs[] = {
	{ "list", do_list, NULL, "one line per run under DIR, oldest first", NULL, root_opts,
	  0, 0, OFD_VERB_JSON },
	{ "show", do_show, "[RUN_DIR]", "a run's summary (default: the newest under DIR)", NULL,
	  root_opts, 0, 1, OFD_VERB_JSON },
	{ "matrix", ofd_cli_report_matrix, "RUN_DIR...", "compliance matrix: device x offload x "
	  "kernel, pass/benign/critical cases (markdown and JSON)", NULL, ofd_cli_matrix_opts, 1,
	  OFD_ARGS_ANY, OFD_VERB_JSON }, /* matrix.c */
	{ 0 },
};

const struct ofd_object ofd_obj_report = { "report", "read reports back", report_verbs };
