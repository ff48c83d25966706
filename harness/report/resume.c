// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * resume.c - checkpoints of a running campaign, and picking up a
 * killed one where it stopped (`offdiff run --resume DIR`).
 *
 * progress.json is rewritten atomically (write, rename) at most twice a
 * second with the number of cases done and the verdict counts. Findings
 * are already on disk as they happen (findings.jsonl, reproducers). On
 * resume, findings of cases past the checkpoint are dropped (those cases
 * run again and find them again, in the same order, into the same
 * reproducer directories), and the classes are rebuilt from the rest.
 * Skip reasons live in progress.json with their counts; their lines in
 * findings.jsonl are dropped and written again when the run closes.
 *
 * progress.json names the spec by its absolute path and records the
 * directory the run started in ("cwd"), so `--resume DIR` works from any
 * directory.
 */
#include <errno.h>
#include <time.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd_safe_open.h"
#include "report_internal.h"

static enum ofd_verdict verdict_from(const char *s);

void ofd_report__set_corpus_digest(struct ofd_report *r, const char *hex)
{
	snprintf(r->corpus_sha256, sizeof(r->corpus_sha256), "%s", hex);
}

/*
 * The classes of target t with their exact counts: findings.jsonl holds
 * only the first findings of each class (ofd_report__set_findings_max),
 * so a resumed run takes the counts from here and the rest (reproducers,
 * examples) from the kept lines.
 */
static json_t *classes_json(const struct rtarget *t)
{
	json_t *a = json_array();
	size_t k;

	for (k = 0; k < t->nclasses; k++) {
		const struct rclass *c = &t->classes[k];

		json_array_append_new(a, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s}",
			"class", c->cls, "offload", ofd_offload_name(c->offload),
			"explanation", c->text,
			"verdict", ofd_verdict_name(c->verdict),
			"severity", ofd_severity_name(c->severity),
			"count", (json_int_t)c->count, "paths", c->paths));
	}
	return a;
}

/* What a checkpoint's classes say, back into target t. */
static void restore_classes(struct rtarget *t, json_t *classes)
{
	json_t *j;
	size_t i;

	json_array_foreach(classes, i, j) {
		const char *sev = json_string_value(json_object_get(j, "severity")) ?: "";
		const char *paths = json_string_value(json_object_get(j, "paths")) ?: "";
		int off = ofd_offload_from_name(json_string_value(json_object_get(j, "offload")) ?: "");
		struct rclass *c;

		c = ofdint_report_class(t, json_string_value(json_object_get(j, "class")) ?: "?",
					json_string_value(json_object_get(j, "explanation")) ?: "",
					verdict_from(json_string_value(json_object_get(j, "verdict"))),
					!strcmp(sev, "critical") ? OFD_SEV_CRITICAL :
					!strcmp(sev, "benign") ? OFD_SEV_BENIGN : OFD_SEV_NONE);
		if (!c)
			return;
		c->count = (uint64_t)json_integer_value(json_object_get(j, "count"));
		c->offload = off >= 0 ? (uint32_t)off : 0;
		snprintf(c->paths, sizeof(c->paths), "%s", paths);
	}
}

int ofd_report__checkpoint(struct ofd_report *r, uint64_t done, uint64_t total)
{
	r->done = done;
	r->total = total;
	r->checkpointed = true;
	/* Until the run closes, a reader of this file sees a run that never
	 * finished: killed, or still running (its "pid"). */
	return ofdint_report_write_progress(r, RSTATE_KILLED);
}

int ofdint_report_write_progress(struct ofd_report *r, enum rstate st)
{
	json_t *root = ofdint_report_doc(OFD_SCHEMA_PROGRESS), *targets = json_array();
	json_t *offloads = json_array();
	char path[PATH_MAX + 32], tmp[PATH_MAX + 32], when[32];
	size_t i;
	int v, err;

	/* Resolved once: the working directory does not change during a run. */
	if (!r->spec_abs && r->spec_path)
		r->spec_abs = realpath(r->spec_path, NULL);
	if (!r->cwd)
		r->cwd = getcwd(NULL, 0);
	json_object_set_new(root, "complete", json_string(ofdint_report_state_name(st)));
	json_object_set_new(root, "pid", json_integer((json_int_t)getpid()));
	json_object_set_new(root, "spec", json_string(r->spec_abs ? r->spec_abs :
						      r->spec_path ? r->spec_path : ""));
	json_object_set_new(root, "cwd", json_string(r->cwd ? r->cwd : ""));
	json_object_set_new(root, "reference", json_string(r->reference ? r->reference : ""));
	json_object_set_new(root, "reference_seconds", ofdint_report_seconds(r->ref_seconds));
	json_object_set_new(root, "corpus_sha256", json_string(r->corpus_sha256));
	json_object_set_new(root, "cases_done", json_integer((json_int_t)r->done));
	json_object_set_new(root, "cases_total", json_integer((json_int_t)r->total));
	ofdint_report_iso_time(r->started, when, sizeof(when));
	json_object_set_new(root, "started", json_string(when));
	/* Run time so far, over every part of a resumed run. */
	json_object_set_new(root, "seconds", ofdint_report_seconds(
		st == RSTATE_KILLED ? r->seconds_before + ofd_now() - r->opened : r->seconds_before));
	for (v = 0; v < OFD_OFFLOAD__MAX; v++)
		if (r->offloads & (1u << v))
			json_array_append_new(offloads, json_string(ofd_offload_name(v)));
	json_object_set_new(root, "offloads", offloads);
	for (i = 0; i < r->ntargets; i++) {
		json_t *t = json_object(), *counts = json_object();

		json_object_set_new(t, "label", json_string(r->targets[i].label));
		json_object_set_new(t, "seconds", ofdint_report_seconds(r->targets[i].seconds));
		for (v = 0; v < OFD_V__MAX; v++)
			json_object_set_new(counts, ofd_verdict_name(v),
					    json_integer((json_int_t)r->targets[i].counts[v]));
		json_object_set_new(t, "verdicts", counts);
		json_object_set_new(t, "skipped", ofdint_report_skips_json(&r->targets[i]));
		json_object_set_new(t, "classes", classes_json(&r->targets[i]));
		json_array_append_new(targets, t);
	}
	json_object_set_new(root, "targets", targets);
	json_object_set_new(root, "findings_max", r->findings_all ? json_string("all") :
			    json_integer((json_int_t)(r->findings_max_set ? r->findings_max :
						      OFD_FINDINGS_MAX_DEFAULT)));
	snprintf(path, sizeof(path), "%s/progress.json", r->dir);
	snprintf(tmp, sizeof(tmp), "%s/.progress.json.tmp", r->dir);
	err = json_dump_file(root, tmp, JSON_INDENT(2) | OFD_JSON_FLAGS);
	json_decref(root);
	if (err || rename(tmp, path))
		return -EIO;
	return 0;
}

static json_t *load_progress(const char *dir, char *err, size_t err_len)
{
	char path[PATH_MAX + 32], *text;
	json_error_t je;
	size_t len;
	json_t *p;
	int ret;

	snprintf(path, sizeof(path), "%s/progress.json", dir);
	ret = ofd_read_regular(path, OFD_MAX_CHECKPOINT, &text, &len, err, err_len);
	if (ret == -ENOENT)
		snprintf(err, err_len, "%s: cannot resume: no progress.json (not a run directory?)",
			 path);
	if (ret)
		return NULL;
	p = json_loadb(text, len, 0, &je);
	free(text);
	if (!p) {
		snprintf(err, err_len, "%s: cannot resume: %s", path, je.text);
		return NULL;
	}
	if (!json_is_string(json_object_get(p, "spec")) ||
	    !json_is_string(json_object_get(p, "reference")) ||
	    !json_is_integer(json_object_get(p, "cases_done")) ||
	    !json_is_array(json_object_get(p, "targets"))) {
		snprintf(err, err_len, "%s: cannot resume: not an offdiff progress file", path);
		json_decref(p);
		return NULL;
	}
	return p;
}

/* Keep the findings of cases before the checkpoint; return them (NULL and
 * err when findings.jsonl is there but not a regular file of sane size). */
static json_t *keep_findings(const char *dir, json_int_t done, uint32_t *max_repro,
			     char *err, size_t err_len)
{
	char path[PATH_MAX + 32], line[8192];
	json_t *kept;
	FILE *f;
	int ret;

	snprintf(path, sizeof(path), "%s/findings.jsonl", dir);
	ret = ofd_fopen_regular(path, OFD_MAX_FINDINGS, &f, err, err_len);
	if (ret && ret != -ENOENT)
		return NULL;
	kept = json_array();
	*max_repro = 0;
	while (f && fgets(line, sizeof(line), f)) {
		json_t *j = json_loads(line, 0, NULL);
		const char *rep;
		unsigned int n;

		if (!j)
			continue; /* a line cut by the kill */
		if (json_integer_value(json_object_get(j, "case")) >= done ||
		    !json_object_get(j, "case")) {
			/* Skip-reason lines carry no case: the close rewrites them. */
			json_decref(j);
			continue;
		}
		rep = json_string_value(json_object_get(j, "reproducer"));
		if (rep && sscanf(rep, "discrepancies/%u", &n) == 1 && n > *max_repro)
			*max_repro = n;
		json_array_append_new(kept, j);
	}
	if (f)
		fclose(f);
	return kept;
}

/* The killed part's start, run time and offloads carry over. */
static void restore_run(struct ofd_report *r, json_t *p)
{
	const char *started = json_string_value(json_object_get(p, "started"));
	struct tm tm = { 0 };
	json_t *j;
	size_t i;

	r->opened = ofd_now();
	r->started = time(NULL);
	if (started && strptime(started, "%Y-%m-%dT%H:%M:%SZ", &tm))
		r->started = timegm(&tm);
	r->seconds_before = json_number_value(json_object_get(p, "seconds"));
	r->ref_seconds = json_number_value(json_object_get(p, "reference_seconds"));
	r->done = (uint64_t)json_integer_value(json_object_get(p, "cases_done"));
	r->total = (uint64_t)json_integer_value(json_object_get(p, "cases_total"));
	json_array_foreach(json_object_get(p, "offloads"), i, j) {
		int off = ofd_offload_from_name(json_string_value(j) ?: "");

		if (off >= 0)
			r->offloads |= 1u << off;
	}
}

int ofd_report__reopen(const char *dir, struct ofd_report **out, char *err,
		       size_t err_len)
{
	struct ofd_report *r = calloc(1, sizeof(*r));
	char path[PATH_MAX + 32];
	json_t *j;
	size_t i;

	if (!r)
		return -ENOMEM;
	r->resume_progress = load_progress(dir, err, err_len);
	if (!r->resume_progress) {
		free(r);
		return -EINVAL;
	}
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	restore_run(r, r->resume_progress);
	r->spec_path = strdup(json_string_value(json_object_get(r->resume_progress, "spec")));
	r->reference = strdup(json_string_value(json_object_get(r->resume_progress, "reference")));
	/* Runs from before "cwd" was recorded: resume from where they ran. */
	if (json_string_value(json_object_get(r->resume_progress, "cwd")))
		r->cwd = strdup(json_string_value(json_object_get(r->resume_progress, "cwd")));
	snprintf(r->corpus_sha256, sizeof(r->corpus_sha256), "%s",
		 json_string_value(json_object_get(r->resume_progress, "corpus_sha256")) ?: "");
	j = json_object_get(r->resume_progress, "findings_max");
	if (json_is_string(j) && !strcmp(json_string_value(j), "all"))
		ofd_report__set_findings_max(r, 0, true);
	else if (json_is_integer(j) && json_integer_value(j) >= 0)
		ofd_report__set_findings_max(r, (uint64_t)json_integer_value(j), false);
	r->resume_findings = keep_findings(dir, json_integer_value(json_object_get(
					   r->resume_progress, "cases_done")), &r->nrepro,
					   err, err_len);
	if (!r->resume_findings) {
		/* Before anything is written: the run directory stays as it was. */
		json_decref(r->resume_progress);
		free(r->spec_path);
		free(r->reference);
		free(r->cwd);
		free(r);
		return -EINVAL;
	}
	/* Rewrite findings.jsonl with what is kept, then append. */
	snprintf(path, sizeof(path), "%s/findings.jsonl", dir);
	r->findings = fopen(path, "w");
	if (!r->findings) {
		snprintf(err, err_len, "%s: %s", path, strerror(errno));
		ofd_report__close(r, NULL, 0);
		return -EIO;
	}
	json_array_foreach(r->resume_findings, i, j) {
		char *s = json_dumps(j, JSON_COMPACT | OFD_JSON_FLAGS);

		if (s) {
			fprintf(r->findings, "%s\n", s);
			free(s);
		}
	}
	fflush(r->findings);
	*out = r;
	return 0;
}

const char *ofd_report__resume_spec(const struct ofd_report *r)
{
	return r->resume_progress ? r->spec_path : NULL;
}

const char *ofd_report__resume_cwd(const struct ofd_report *r)
{
	return r->resume_progress ? r->cwd : NULL;
}

const char *ofd_report__resume_reference(const struct ofd_report *r)
{
	return r->resume_progress ? r->reference : NULL;
}

const char *ofd_report__resume_corpus(const struct ofd_report *r)
{
	return r->corpus_sha256;
}

uint64_t ofd_report__resume_done(const struct ofd_report *r)
{
	return r->resume_progress ?
		       (uint64_t)json_integer_value(json_object_get(r->resume_progress,
								   "cases_done")) : 0;
}

const char *ofd_report__resume_target(const struct ofd_report *r, size_t i)
{
	json_t *t;

	if (!r->resume_progress)
		return NULL;
	t = json_array_get(json_object_get(r->resume_progress, "targets"), i);
	return t ? json_string_value(json_object_get(t, "label")) : NULL;
}

static enum ofd_verdict verdict_from(const char *s)
{
	int v;

	for (v = 0; v < OFD_V__MAX; v++)
		if (s && !strcmp(s, ofd_verdict_name(v)))
			return v;
	return OFD_V_DISCREPANCY;
}

static char *read_text(const char *path)
{
	char *buf;
	size_t n;

	/* A diff.txt that is a FIFO or a device is no example: left out. */
	return ofd_read_regular(path, OFD_MAX_TEXT, &buf, &n, NULL, 0) ? NULL : buf;
}

void ofdint_report_restore_target(struct ofd_report *r, struct rtarget *t)
{
	json_t *ts, *jt, *j;
	bool counted = false;
	size_t i;
	int v;

	if (!r->resume_progress)
		return;
	ts = json_object_get(r->resume_progress, "targets");
	json_array_foreach(ts, i, jt) {
		if (strcmp(json_string_value(json_object_get(jt, "label")) ?: "", t->label))
			continue;
		for (v = 0; v < OFD_V__MAX; v++)
			t->counts[v] = (uint64_t)json_integer_value(
				json_object_get(json_object_get(jt, "verdicts"), ofd_verdict_name(v)));
		t->seconds = json_number_value(json_object_get(jt, "seconds"));
		ofdint_report_restore_skips(t, json_object_get(jt, "skipped"));
		/* Exact class counts; the kept lines add reproducers only. */
		counted = json_is_array(json_object_get(jt, "classes"));
		restore_classes(t, json_object_get(jt, "classes"));
	}
	json_array_foreach(r->resume_findings, i, j) {
		const char *sev = json_string_value(json_object_get(j, "severity")) ?: "";
		const char *rep = json_string_value(json_object_get(j, "reproducer"));
		const char *text = json_string_value(json_object_get(j, "explanation"));
		struct rclass *c;

		if (strcmp(json_string_value(json_object_get(j, "target")) ?: "", t->label))
			continue;
		c = ofdint_report_class(t, json_string_value(json_object_get(j, "class")) ?: "?",
					text ? text : json_string_value(json_object_get(j, "detail")) ?: "",
					verdict_from(json_string_value(json_object_get(j, "verdict"))),
					!strcmp(sev, "critical") ? OFD_SEV_CRITICAL :
					!strcmp(sev, "benign") ? OFD_SEV_BENIGN : OFD_SEV_NONE);
		if (!c)
			return;
		if (!c->count) {
			int off = ofd_offload_from_name(json_string_value(json_object_get(j, "offload")) ?: "");

			c->offload = off >= 0 ? (uint32_t)off : 0;
		}
		if (!counted)
			c->count++;
		ofdint_report_add_path(c, json_string_value(json_object_get(j, "path")) ?: "");
		if (!rep)
			continue;
		c->repro++;
		if (!c->example_dir[0]) {
			char p[PATH_MAX + 64];

			snprintf(c->example_dir, sizeof(c->example_dir), "%s", rep);
			snprintf(c->example, sizeof(c->example), "%s",
				 json_string_value(json_object_get(j, "detail")) ?: "");
			snprintf(p, sizeof(p), "%s/%s/diff.txt", r->dir, rep);
			c->example_diff = read_text(p);
		}
	}
}

uint64_t ofd_report__critical(const struct ofd_report *r)
{
	uint64_t n = 0;
	size_t i, k;

	for (i = 0; i < r->ntargets; i++)
		for (k = 0; k < r->targets[i].nclasses; k++)
			if (r->targets[i].classes[k].severity == OFD_SEV_CRITICAL)
				n += r->targets[i].classes[k].count;
	return n;
}

void ofd_report__set_ref_version(struct ofd_report *r, const char *version)
{
	free(r->ref_version);
	r->ref_version = version ? strdup(version) : NULL;
}
