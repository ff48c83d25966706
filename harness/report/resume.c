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
	char path[PATH_MAX + 32];

	if (r->werr)
		return r->werr;
	/* The checkpoint vouches for the findings of cases [0, done): they
	 * reach the disk first. */
	if (fdatasync(fileno(r->findings))) {
		snprintf(path, sizeof(path), "%s/findings.jsonl", r->dir);
		return ofdint_report_fail(r, path, -errno);
	}
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
	char path[PATH_MAX + 32], when[32];
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
		json_object_set_new(t, "verdicts_by_offload",
				    ofdint_report_verdicts_by_offload(&r->targets[i]));
		json_object_set_new(t, "skipped", ofdint_report_skips_json(&r->targets[i]));
		json_object_set_new(t, "masked", ofdint_report_masked_json(&r->targets[i]));
		json_object_set_new(t, "classes", classes_json(&r->targets[i]));
		json_array_append_new(targets, t);
	}
	json_object_set_new(root, "targets", targets);
	json_object_set_new(root, "findings_max", r->findings_all ? json_string("all") :
			    json_integer((json_int_t)(r->findings_max_set ? r->findings_max :
						      OFD_FINDINGS_MAX_DEFAULT)));
	if (r->inputs)
		ofdint_report_inputs_json(r, root);
	snprintf(path, sizeof(path), "%s/progress.json", r->dir);
	err = ofdint_report_write_json(r, root, JSON_INDENT(2) | OFD_JSON_FLAGS, path);
	json_decref(root);
	return err;
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

/* A count as progress.json holds it: an integer in [0, max]. */
static bool count_ok(json_t *j, json_int_t max)
{
	return json_is_integer(j) && json_integer_value(j) >= 0 &&
	       json_integer_value(j) <= max;
}

static bool seconds_ok(json_t *j)
{
	return !j || (json_is_number(j) && json_number_value(j) >= 0 &&
		      json_number_value(j) < 1e12);
}

/* A target's verdicts_by_offload (the allow-list's evidence): absent in
 * checkpoints written before it; otherwise counts in 0..cases_done whose
 * sum over the offloads is each verdict's count. 0, or 1 with why. */
static int by_offload_bad(json_t *t, json_t *verdicts, json_int_t done, const char *label,
			  char *why, size_t len)
{
	json_t *bo = json_object_get(t, "verdicts_by_offload"), *o;
	const char *off;
	int v;

	if (!bo)
		return 0;
	if (!json_is_object(bo))
		return snprintf(why, len, "target %.64s: verdicts_by_offload is not an object",
				label), 1;
	for (v = 0; v < OFD_V__MAX; v++) {
		json_int_t sum = 0;

		json_object_foreach(bo, off, o) {
			json_t *c = json_object_get(o, ofd_verdict_name(v));

			if (c && !count_ok(c, done))
				return snprintf(why, len, "target %.64s: verdicts_by_offload %.24s %s is "
						"not in 0..cases_done", label, off, ofd_verdict_name(v)), 1;
			sum += json_integer_value(c);
		}
		if (sum != json_integer_value(json_object_get(verdicts, ofd_verdict_name(v))))
			return snprintf(why, len, "target %.64s: verdicts_by_offload add up to %lld %s, "
					"not %lld", label, (long long)sum, ofd_verdict_name(v),
					(long long)json_integer_value(json_object_get(verdicts,
							ofd_verdict_name(v)))), 1;
	}
	return 0;
}

/*
 * Every number --resume restores, checked against the others: a hand-
 * edited or damaged checkpoint is said to be one ("corrupt checkpoint:
 * ..."), never run on (a negative or huge count would wrap, a done past
 * the total would skip cases). The spec and corpus check the total in
 * run.c. Returns 0 or -EINVAL with why.
 */
static int check_numbers(json_t *p, char *why, size_t len)
{
	json_t *done = json_object_get(p, "cases_done"), *total = json_object_get(p, "cases_total");
	json_t *t, *sk;
	size_t i, k;

	if (!count_ok(total, UINT32_MAX))
		return snprintf(why, len, "cases_total is not a count of cases (0..%u)",
				UINT32_MAX), -EINVAL;
	if (!count_ok(done, json_integer_value(total)))
		return snprintf(why, len, "cases_done is not in 0..cases_total (%lld)",
				(long long)json_integer_value(total)), -EINVAL;
	if (!seconds_ok(json_object_get(p, "seconds")) ||
	    !seconds_ok(json_object_get(p, "reference_seconds")))
		return snprintf(why, len, "seconds is not a time"), -EINVAL;
	json_array_foreach(json_object_get(p, "targets"), i, t) {
		const char *label = json_string_value(json_object_get(t, "label"));
		json_t *verdicts = json_object_get(t, "verdicts");
		json_int_t sum = 0, skipped = 0;
		int v;

		if (!label || !json_is_object(verdicts) || !seconds_ok(json_object_get(t, "seconds")))
			return snprintf(why, len, "target %zu has no label, verdicts or time", i),
			       -EINVAL;
		for (v = 0; v < OFD_V__MAX; v++) {
			json_t *c = json_object_get(verdicts, ofd_verdict_name(v));

			/* An absent verdict was never seen: 0. */
			if (c && !count_ok(c, json_integer_value(done)))
				return snprintf(why, len, "target %.64s: %s is not in 0..cases_done",
						label, ofd_verdict_name(v)), -EINVAL;
			sum += json_integer_value(c);
		}
		if (sum != json_integer_value(done))
			return snprintf(why, len, "target %.64s: its verdicts add up to %lld, not cases_done %lld",
					label, (long long)sum, (long long)json_integer_value(done)),
			       -EINVAL;
		if (by_offload_bad(t, verdicts, json_integer_value(done), label, why, len))
			return -EINVAL;
		if (json_object_get(t, "classes") && !json_is_array(json_object_get(t, "classes")))
			return snprintf(why, len, "target %.64s: classes is not a list", label),
			       -EINVAL;
		json_array_foreach(json_object_get(t, "classes"), k, sk)
			if (!count_ok(json_object_get(sk, "count"), json_integer_value(done)))
				return snprintf(why, len, "target %.64s: a class count is not in 0..cases_done",
						label), -EINVAL;
		if (json_object_get(t, "skipped") && !json_is_array(json_object_get(t, "skipped")))
			return snprintf(why, len, "target %.64s: skipped is not a list", label),
			       -EINVAL;
		json_array_foreach(json_object_get(t, "skipped"), k, sk) {
			if (!count_ok(json_object_get(sk, "count"), json_integer_value(done)))
				return snprintf(why, len, "target %.64s: a skip count is not in 0..cases_done",
						label), -EINVAL;
			skipped += json_integer_value(json_object_get(sk, "count"));
		}
		if (skipped != json_integer_value(json_object_get(verdicts, "unsupported")))
			return snprintf(why, len, "target %.64s: its skip reasons count %lld cases, not unsupported %lld",
					label, (long long)skipped,
					(long long)json_integer_value(json_object_get(verdicts, "unsupported"))),
			       -EINVAL;
	}
	return 0;
}

/* findings.jsonl: the kept findings, rewritten whole before the file is
 * appended to (a full disk leaves the old file, not a cut one). */
static int rewrite_findings(struct ofd_report *r)
{
	char path[PATH_MAX + 32], tmp[PATH_MAX + 48];
	json_t *j;
	size_t i;
	FILE *f;
	int err;

	snprintf(path, sizeof(path), "%s/findings.jsonl", r->dir);
	f = ofdint_report_create(r, path, tmp, sizeof(tmp));
	if (!f)
		return r->werr;
	json_array_foreach(r->resume_findings, i, j) {
		char *s = json_dumps(j, JSON_COMPACT | OFD_JSON_FLAGS);

		if (s)
			fprintf(f, "%s\n", s);
		free(s);
	}
	/* Kept open: after the rename it is findings.jsonl itself. */
	err = fflush(f) || ferror(f) || fsync(fileno(f)) ? (errno ? -errno : -EIO) : 0;
	if (!err && rename(tmp, path))
		err = -errno;
	if (err) {
		fclose(f);
		unlink(tmp);
		return ofdint_report_fail(r, path, err);
	}
	r->findings = f;
	return 0;
}

int ofd_report__reopen(const char *dir, struct ofd_report **out, char *err,
		       size_t err_len)
{
	struct ofd_report *r = calloc(1, sizeof(*r));
	char why[256];
	json_t *p, *j;
	int ret;

	if (!r)
		return -ENOMEM;
	r->lock_fd = -1;
	snprintf(r->dir, sizeof(r->dir), "%s", dir);
	/* A run directory (it has a progress.json) is locked before it is
	 * read for good: another process may be running it. */
	p = load_progress(dir, err, err_len);
	json_decref(p);
	ret = p ? ofdint_report_lock(r, err, err_len) : -EINVAL;
	if (!ret && !(r->resume_progress = load_progress(dir, err, err_len)))
		ret = -EINVAL;
	if (!ret && check_numbers(r->resume_progress, why, sizeof(why))) {
		snprintf(err, err_len, "%s/progress.json: corrupt checkpoint: %s", dir, why);
		ret = -EINVAL;
	}
	if (ret) {
		ofdint_report_free(r);
		return ret;
	}
	restore_run(r, r->resume_progress);
	r->spec_path = strdup(json_string_value(json_object_get(r->resume_progress, "spec")));
	r->reference = strdup(json_string_value(json_object_get(r->resume_progress, "reference")) ?: "");
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
		/* Before anything is written: the directory stays as it was. */
		ofdint_report_free(r);
		return -EINVAL;
	}
	ret = rewrite_findings(r);
	if (ret) {
		ofd_report__error(r, err, err_len);
		ofdint_report_free(r);
		return ret;
	}
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

uint64_t ofd_report__resume_total(const struct ofd_report *r)
{
	return r->resume_progress ? r->total : 0;
}

unsigned int ofd_report__resume_offloads(const struct ofd_report *r)
{
	json_t *a, *v;
	unsigned int bits = 0;
	size_t i;
	int o;

	if (!r->resume_progress)
		return 0;
	a = json_object_get(json_object_get(r->resume_progress, "inputs"), "offloads");
	json_array_foreach(a, i, v)
		if ((o = ofd_offload_from_name(json_string_value(v) ? json_string_value(v) : "")) >= 0)
			bits |= OFD_CAP(o);
	return bits;
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
		ofdint_report_restore_verdicts_by_offload(t, json_object_get(jt, "verdicts_by_offload"));
		ofdint_report_restore_skips(t, json_object_get(jt, "skipped"));
		ofdint_report_restore_masked(t, json_object_get(jt, "masked"));
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
