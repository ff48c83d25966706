// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * build.c - reports in, allow-list entries out (`offdiff allowlist build`).
 *
 * One entry per (device identity, offload, kernel of the reference), over
 * every report given:
 *
 *  - deny, naming the classes, if any run found a critical discrepancy
 *    (or a target fault) for that offload: a bug found once is a bug,
 *    whatever the reference or however far the run got;
 *  - permit only from qualified runs: complete, the reference the kernel
 *    engine or the model, and a model only if a selfcheck report among the
 *    inputs shows that same model version equal to the running kernel on
 *    that offload, on a kernel of the series the model stands for (the
 *    rule, docs/allowlist.md: selfcheck writes a report whose reference is
 *    the kernel and whose target is the model, so the evidence that the
 *    model is the kernel is itself a report in the list's evidence);
 *  - and only if the qualified runs meet the policy (cases, corpus, fuzz);
 *  - otherwise deny with the reason. Never silence: every target with an
 *    identity and an offload gets an entry.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "allowlist_internal.h"
#include "ofd_offload.h"
#include "ofd_safe_open.h"

const char *ofd_al_run_id(const char *dir, char *buf, size_t len)
{
	size_t n = strlen(dir);
	const char *p;

	while (n > 1 && dir[n - 1] == '/')
		n--;
	p = memrchr(dir, '/', n);
	p = p ? p + 1 : dir;
	snprintf(buf, len, "%.*s", (int)(n - (size_t)(p - dir)), p);
	return buf;
}

json_t *ofd_al_load_summary(const char *dir, char *err, size_t err_len)
{
	char path[4200];
	json_error_t je;
	char *buf = NULL;
	size_t len = 0;
	json_t *j;

	snprintf(path, sizeof(path), "%s/summary.json", dir);
	if (ofd_read_regular(path, OFD_MAX_CHECKPOINT, &buf, &len, err, err_len))
		return NULL;
	j = json_loadb(buf, len, 0, &je);
	free(buf);
	if (!j) {
		snprintf(err, err_len, "%s:%d:%d: %s", path, je.line, je.column, je.text);
		return NULL;
	}
	if (!json_is_object(j) || !json_is_array(json_object_get(j, "targets")) ||
	    !json_is_object(json_object_get(j, "reference"))) {
		snprintf(err, err_len, "%s:1:1: not an offdiff summary (no targets or reference)",
			 path);
		json_decref(j);
		return NULL;
	}
	return j;
}

static const char *jstr(json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key)) ?: "";
}

/* A target's verdict counts for one offload (declared in
 * allowlist_internal.h): summary.json's
 * verdicts_by_offload, or, for a report without them that ran one offload
 * only, its verdicts. false when the report cannot say. */
bool ofd_al_offload_counts(json_t *sum, json_t *t, const char *off, uint64_t c[OFD_V__MAX])
{
	json_t *ov = json_object_get(t, "verdicts_by_offload"), *src = NULL;
	json_t *offs = json_object_get(sum, "offloads");
	int v;

	if (json_is_object(ov))
		src = json_object_get(ov, off);
	else if (json_array_size(offs) == 1 &&
		 !strcmp(jstr(json_array_get(offs, 0), "name"), off))
		src = json_object_get(t, "verdicts");
	if (!json_is_object(src))
		return false;
	for (v = 0; v < OFD_V__MAX; v++) {
		json_int_t n = json_integer_value(json_object_get(src, ofd_verdict_name(v)));

		c[v] = n > 0 ? (uint64_t)n : 0;
	}
	return true;
}

static uint64_t compared(const uint64_t c[OFD_V__MAX])
{
	uint64_t s = 0;
	int v;

	for (v = 0; v < OFD_V__MAX; v++)
		if (v != OFD_V_UNSUPPORTED)
			s += c[v];
	return s;
}

uint64_t ofd_al_class_cases(json_t *t, const char *off, const char *sev,
			    struct ofd_al_strs *cls)
{
	json_t *c;
	uint64_t n = 0;
	size_t i;

	json_array_foreach(json_object_get(t, "classes"), i, c) {
		if (strcmp(jstr(c, "severity"), sev) || strcmp(jstr(c, "offload"), off))
			continue;
		if (cls)
			ofd_al_strs_add(cls, jstr(c, "class"));
		n += (uint64_t)json_integer_value(json_object_get(c, "count"));
	}
	return n;
}

struct run {
	json_t *sum;
	char id[256];
	bool selfcheck;
};

static int run_cmp(const void *a, const void *b)
{
	return strcmp(((const struct run *)a)->id, ((const struct run *)b)->id);
}

/* An entry while it is built: evidence of every run and of the
 * qualified ones, and why a run did not qualify. */
struct acc {
	struct ofd_al_entry e;
	struct ofd_al_evidence all, q;
	uint64_t crit_cases;
	bool qualified;
	char unq[256];
};

struct build {
	const struct ofd_al_policy *p;
	struct run *runs;
	size_t nruns;
	struct acc *a;
	size_t n, cap;
	FILE *notes;
};

/* A selfcheck among the inputs that shows model version mv equal to the
 * kernel on offload off, on a kernel of series ks: its evidence line. */
static bool selfchecked(struct build *b, const char *mv, const char *ks, const char *off,
			char *line, size_t len)
{
	size_t i, k;
	json_t *t;

	for (i = 0; i < b->nruns; i++) {
		struct run *r = &b->runs[i];
		json_t *ref = json_object_get(r->sum, "reference");
		char rel[64];

		if (!r->selfcheck || strcmp(jstr(ref, "engine"), "kernel") ||
		    strcmp(jstr(r->sum, "complete"), "complete"))
			continue;
		ofd_al_kernel_of(jstr(ref, "version"), rel, sizeof(rel));
		if (!ofd_al_kernel_match(ks, rel))
			continue;
		json_array_foreach(json_object_get(r->sum, "targets"), k, t) {
			uint64_t c[OFD_V__MAX];

			if (strcmp(jstr(t, "engine"), "model") || strcmp(jstr(t, "version"), mv) ||
			    !ofd_al_offload_counts(r->sum, t, off, c) || !compared(c) ||
			    c[OFD_V_DISCREPANCY] || c[OFD_V_TARGET_FAULT] || ofd_al_class_cases(t, off, "critical", NULL))
				continue;
			snprintf(line, len, "%s: %llu cases equal to Linux %s", r->id,
				 (unsigned long long)compared(c), rel);
			return true;
		}
	}
	return false;
}

static struct acc *find(struct build *b, const struct ofd_al_identity *id, const char *off,
			const char *kernel)
{
	struct acc *a;
	size_t i;

	for (i = 0; i < b->n; i++)
		if (!ofd_al_identity_cmp(&b->a[i].e.id, id) && !strcmp(b->a[i].e.offload, off) &&
		    !strcmp(b->a[i].e.kernel, kernel))
			return &b->a[i];
	if (b->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 16;

		a = realloc(b->a, cap * sizeof(*a));
		if (!a)
			return NULL;
		b->a = a;
		b->cap = cap;
	}
	a = &b->a[b->n++];
	memset(a, 0, sizeof(*a));
	a->e.id = *id;
	snprintf(a->e.offload, sizeof(a->e.offload), "%s", off);
	snprintf(a->e.kernel, sizeof(a->e.kernel), "%s", kernel);
	return a;
}

static void add_run(struct ofd_al_evidence *ev, struct run *r, const uint64_t c[OFD_V__MAX],
		    const char *ref, const char *sc)
{
	json_t *corpus = json_object_get(r->sum, "corpus");
	uint64_t frames = (uint64_t)json_integer_value(json_object_get(corpus, "frames"));
	json_t *fz = json_object_get(r->sum, "fuzz_execs");
	bool first = ev->runs.n == 0;
	int v;

	ofd_al_strs_add(&ev->runs, r->id);
	if (json_string_value(json_object_get(r->sum, "corpus_sha256")))
		ofd_al_strs_add(&ev->corpus, jstr(r->sum, "corpus_sha256"));
	ofd_al_strs_add(&ev->reference, ref);
	if (sc)
		ofd_al_strs_add(&ev->selfcheck, sc);
	for (v = 0; v < OFD_V__MAX; v++)
		ev->verdicts[v] += c[v];
	if (frames > ev->frames)
		ev->frames = frames;
	/* Fuzz executions count only when every run says how many. */
	ev->fuzz_known = json_is_integer(fz) && (first || ev->fuzz_known);
	if (json_is_integer(fz))
		ev->fuzz_execs += (uint64_t)json_integer_value(fz);
}

/* Why run r (reference ref, kernel ks) cannot vouch for offload off, or
 * NULL; *sc gets the selfcheck line for a model. */
static const char *unqualified(struct build *b, struct run *r, const char *off, char *sc,
			       size_t sclen, char *why, size_t len)
{
	json_t *ref = json_object_get(r->sum, "reference");
	const char *eng = jstr(ref, "engine"), *corpus = jstr(r->sum, "corpus_sha256");
	char ks[64];
	size_t i;

	sc[0] = '\0';
	ofd_al_kernel_of(jstr(ref, "version"), ks, sizeof(ks));
	if (strcmp(jstr(r->sum, "complete"), "complete")) {
		snprintf(why, len, "run %s did not finish (%s)", r->id, jstr(r->sum, "complete"));
		return why;
	}
	if (!ks[0] || !((!strcmp(eng, "kernel") && b->p->ref_kernel) ||
			(!strcmp(eng, "model") && b->p->ref_model))) {
		snprintf(why, len, "run %s: reference %s (%s) is not one the policy accepts", r->id,
			 eng, jstr(ref, "version"));
		return why;
	}
	if (!strcmp(eng, "model") && b->p->model_selfcheck &&
	    !selfchecked(b, jstr(ref, "version"), ks, off, sc, sclen)) {
		snprintf(why, len, "reference model '%s' has no passing %s selfcheck on Linux %s "
			 "among the reports (run offdiff selfcheck -f %s)", jstr(ref, "version"),
			 off, ks, off);
		return why;
	}
	for (i = 0; i < b->p->corpus.n; i++)
		if (!strcmp(b->p->corpus.v[i], corpus))
			break;
	if (b->p->corpus.n && i == b->p->corpus.n) {
		snprintf(why, len, "run %s: corpus %.16s... is not one the policy requires", r->id,
			 corpus);
		return why;
	}
	return NULL;
}

static int add_target(struct build *b, struct run *r, json_t *t)
{
	json_t *ref = json_object_get(r->sum, "reference"), *offs, *o;
	struct ofd_al_identity id;
	char why[512], ks[64], refs[256];
	size_t i;

	if (ofd_al_identity_from_target(t, &id, why, sizeof(why))) {
		if (b->notes)
			fprintf(b->notes, "offdiff: %s: %s: left out\n", r->id, why);
		return 0;
	}
	ofd_al_kernel_of(jstr(ref, "version"), ks, sizeof(ks));
	snprintf(refs, sizeof(refs), "%s %s", jstr(ref, "engine"), jstr(ref, "version"));
	offs = json_object_get(r->sum, "offloads");
	json_array_foreach(offs, i, o) {
		const char *off = jstr(o, "name");
		uint64_t c[OFD_V__MAX] = { 0 }, crit;
		char sc[256], reason[256];
		bool known = ofd_al_offload_counts(r->sum, t, off, c);
		struct acc *a = find(b, &id, off, ks[0] ? ks : "unknown");

		if (!a)
			return -ENOMEM;
		crit = ofd_al_class_cases(t, off, "critical", &a->e.classes);
		a->crit_cases += crit;
		add_run(&a->all, r, c, refs, NULL);
		if (!known) {
			snprintf(reason, sizeof(reason), "run %s has no per-offload counts "
				 "(verdicts_by_offload): rerun it with this offdiff", r->id);
			if (!a->unq[0])
				snprintf(a->unq, sizeof(a->unq), "%s", reason);
			continue;
		}
		if (unqualified(b, r, off, sc, sizeof(sc), reason, sizeof(reason))) {
			if (!a->unq[0])
				snprintf(a->unq, sizeof(a->unq), "%s", reason);
			continue;
		}
		a->qualified = true;
		add_run(&a->q, r, c, refs, sc[0] ? sc : NULL);
	}
	return 0;
}

static void move_ev(struct ofd_al_evidence *dst, struct ofd_al_evidence *src)
{
	*dst = *src;
	memset(src, 0, sizeof(*src));
}

static void free_ev(struct ofd_al_evidence *ev)
{
	ofd_al_strs_free(&ev->runs);
	ofd_al_strs_free(&ev->corpus);
	ofd_al_strs_free(&ev->reference);
	ofd_al_strs_free(&ev->selfcheck);
}

/* The policy's minimum for offload off (min_cases_by_offload first). */
static uint64_t min_cases(const struct ofd_al_policy *p, const char *off)
{
	unsigned int i;

	for (i = 0; i < p->nmin_off; i++)
		if (!strcmp(p->min_off[i], off))
			return p->min_off_cases[i];
	return p->min_cases;
}

/* The decision of one entry (see the top of the file). */
static void decide(const struct ofd_al_policy *p, struct acc *a)
{
	struct ofd_al_entry *e = &a->e;
	uint64_t cmp = compared(a->q.verdicts);

	if (a->crit_cases || e->classes.n) {
		size_t k, o = 0;

		o += (size_t)snprintf(e->reason, sizeof(e->reason), "%llu critical case%s:",
				      (unsigned long long)a->crit_cases,
				      a->crit_cases == 1 ? "" : "s");
		for (k = 0; k < e->classes.n && o < sizeof(e->reason); k++)
			o += (size_t)snprintf(e->reason + o, sizeof(e->reason) - o, "%s %s",
					      k ? "," : "", e->classes.v[k]);
		move_ev(&e->ev, &a->all);
		return;
	}
	if (!a->qualified) {
		snprintf(e->reason, sizeof(e->reason), "%s", a->unq);
		move_ev(&e->ev, &a->all);
		return;
	}
	if (!cmp)
		snprintf(e->reason, sizeof(e->reason), "no case compared (%llu unsupported)",
			 (unsigned long long)a->q.verdicts[OFD_V_UNSUPPORTED]);
	else if (cmp < min_cases(p, e->offload))
		snprintf(e->reason, sizeof(e->reason), "policy: %llu compared cases, "
			 "min_cases is %llu", (unsigned long long)cmp,
			 (unsigned long long)min_cases(p, e->offload));
	else if (a->q.frames < p->min_corpus_frames)
		snprintf(e->reason, sizeof(e->reason), "policy: corpus of %llu frames, "
			 "min_corpus_frames is %llu", (unsigned long long)a->q.frames,
			 (unsigned long long)p->min_corpus_frames);
	else if (p->min_fuzz_execs && (!a->q.fuzz_known || a->q.fuzz_execs < p->min_fuzz_execs))
		snprintf(e->reason, sizeof(e->reason), "policy: %s fuzz executions, "
			 "min_fuzz_execs is %llu", a->q.fuzz_known ? "too few" : "no record of",
			 (unsigned long long)p->min_fuzz_execs);
	else
		e->permit = true;
	move_ev(&e->ev, &a->q);
}

int ofd_al_build(const struct ofd_al_policy *p, char *const *dirs, size_t ndirs,
		 const struct ofd_al_build_opts *o, struct ofd_al_list *out, char *err,
		 size_t err_len)
{
	struct build b = { .p = p, .notes = o->notes };
	char newest[32] = "";
	time_t issued;
	size_t i, k;
	json_t *t;
	int e = 0;

	memset(out, 0, sizeof(*out));
	b.runs = calloc(ndirs ? ndirs : 1, sizeof(*b.runs));
	if (!b.runs)
		return -ENOMEM;
	for (i = 0; i < ndirs; i++, b.nruns++) {
		struct run *r = &b.runs[i];
		const char *fin;

		r->sum = ofd_al_load_summary(dirs[i], err, err_len);
		if (!r->sum) {
			e = -EINVAL;
			goto out;
		}
		ofd_al_run_id(dirs[i], r->id, sizeof(r->id));
		r->selfcheck = !strcmp(jstr(r->sum, "spec"), "selfcheck");
		fin = jstr(r->sum, "finished");
		if (strcmp(fin, newest) > 0)
			snprintf(newest, sizeof(newest), "%s", fin);
	}
	/* By run id, whatever order the command line gave them in, so the
	 * reasons kept (the first a run gives) do not depend on it; a run
	 * given twice counts once. */
	qsort(b.runs, b.nruns, sizeof(*b.runs), run_cmp);
	for (i = 0; i < b.nruns && !e; i++)
		if (!b.runs[i].selfcheck && (!i || strcmp(b.runs[i].id, b.runs[i - 1].id)))
			json_array_foreach(json_object_get(b.runs[i].sum, "targets"), k, t)
				if ((e = add_target(&b, &b.runs[i], t)))
					break;
	if (e)
		goto out;
	/* The issue time is the inputs' (the newest report), not the
	 * clock's, so the same reports give the same bytes. */
	if (o->issued)
		snprintf(newest, sizeof(newest), "%s", o->issued);
	if (ofd_al_time_parse(newest, &issued)) {
		snprintf(err, err_len, "issued time %s: expected YYYY-MM-DDTHH:MM:SSZ%s",
			 newest[0] ? newest : "''", o->issued ? "" : " (no report says when it finished)");
		e = -EINVAL;
		goto out;
	}
	ofd_al_time_str(issued, out->issued, sizeof(out->issued));
	ofd_al_time_str(issued + (time_t)p->expiry_days * 86400, out->expires,
			sizeof(out->expires));
	out->version = o->version ? o->version : (uint64_t)issued;
	snprintf(out->policy_sha256, sizeof(out->policy_sha256), "%s", p->sha256);
	out->e = calloc(b.n ? b.n : 1, sizeof(*out->e));
	if (!out->e) {
		e = -ENOMEM;
		goto out;
	}
	for (i = 0; i < b.n; i++) {
		decide(p, &b.a[i]);
		out->e[out->n++] = b.a[i].e;
		memset(&b.a[i].e, 0, sizeof(b.a[i].e));
	}
	ofd_al_list_sort(out);
out:
	for (i = 0; i < b.n; i++) {
		free_ev(&b.a[i].all);
		free_ev(&b.a[i].q);
		free_ev(&b.a[i].e.ev);
		ofd_al_strs_free(&b.a[i].e.classes);
	}
	free(b.a);
	for (i = 0; i < b.nruns; i++)
		json_decref(b.runs[i].sum);
	free(b.runs);
	if (e)
		ofd_al_list_free(out);
	if (e == -ENOMEM)
		snprintf(err, err_len, "%s", strerror(ENOMEM));
	return e;
}
