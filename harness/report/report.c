// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * report.c - reports/<run-id>/: the run directory, findings.jsonl and one
 * reproducer directory per discrepancy (input/expected/actual pcaps,
 * case.yaml, diff.txt); summary.c writes summary.json and the terminal
 * summary, ci.c junit.xml and results.ktap, resume.c progress.json.
 *
 * Reproducers and findings.jsonl are written as cases finish, so a run that
 * is killed keeps every finding it made: findings.jsonl the first
 * OFD_FINDINGS_MAX_DEFAULT findings of each target and class (or what
 * ofd_report__set_findings_max says), reproducers the first
 * MAX_REPRO_PER_CLASS of those; the rest are counted in their class.
 * summary.json, junit.xml and results.ktap are written at the end, and say
 * whether the run completed ("complete": complete or stopped): a partial
 * run never looks finished.
 *
 * Skipped cases (verdict unsupported) are counted per target and reason
 * (skips.c) and show up everywhere a CI system or a person looks (see
 * docs/report-format.md for every document, field by field).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <jansson.h>

#include "ofd_gro.h"
#include "ofd_pcap.h"
#include "ofd_run.h"

#include "report_internal.h"

static char *xstrdup(const char *s)
{
	return s ? strdup(s) : NULL;
}

static int mkdir_p(const char *path)
{
	char tmp[PATH_MAX];
	char *p;

	snprintf(tmp, sizeof(tmp), "%s", path);
	for (p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(tmp, 0755) && errno != EEXIST)
		return -errno;
	return 0;
}

/*
 * "20261127-094609.123456-default": run directories sort by their start,
 * to the microsecond. Another run that claimed the same name (runs started
 * in parallel) moves this one on a microsecond, so the order still holds.
 */
static int new_run_dir(struct ofd_report *r, const char *root, const char *spec_path)
{
	const char *base = spec_path ? strrchr(spec_path, '/') : NULL;
	char name[48], *dot;
	struct timespec ts;
	long long us;
	struct tm tm;
	time_t sec;
	int n;

	snprintf(name, sizeof(name), "%s", base ? base + 1 : spec_path ? spec_path : "run");
	dot = strrchr(name, '.');
	if (dot)
		*dot = '\0';
	clock_gettime(CLOCK_REALTIME, &ts);
	r->started = ts.tv_sec;
	us = (long long)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
	for (n = 0; n < 1000; n++, us++) {
		sec = (time_t)(us / 1000000);
		gmtime_r(&sec, &tm);
		snprintf(r->dir, sizeof(r->dir), "%s/%04d%02d%02d-%02d%02d%02d.%06lld-%s", root,
			 tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min,
			 tm.tm_sec, us % 1000000, name);
		if (!mkdir(r->dir, 0755))
			return 0;
		if (errno != EEXIST)
			return -errno;
	}
	return -EEXIST;
}

int ofd_report__open(const char *root, const char *run_id, const char *spec_path,
		     const char *reference, const char *ref_version,
		     struct ofd_report **out)
{
	struct ofd_report *r = calloc(1, sizeof(*r));
	char path[PATH_MAX + 32];
	int n, err;

	if (!r)
		return -ENOMEM;
	r->lock_fd = -1;
	r->started = time(NULL);
	r->opened = ofd_now();
	/* The caller names root in its one-line error. */
	if (!root[0]) {
		free(r);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/", root);
	err = mkdir_p(path);
	/* A run directory is claimed by creating it: two runs never share
	 * one (a given id gets ID-2, -3, ... when taken). */
	if (!err && !run_id) {
		err = new_run_dir(r, root, spec_path);
	} else if (!err) {
		snprintf(r->dir, sizeof(r->dir), "%s/%s", root, run_id);
		for (n = 2; mkdir(r->dir, 0755); n++) {
			if (errno != EEXIST || n == 1000) {
				err = -errno;
				break;
			}
			snprintf(r->dir, sizeof(r->dir), "%s/%s-%d", root, run_id, n);
		}
	}
	if (!err)
		err = ofdint_report_lock(r, path, sizeof(path));
	snprintf(path, sizeof(path), "%s/discrepancies", r->dir);
	if (!err && mkdir(path, 0755))
		err = -errno;
	snprintf(path, sizeof(path), "%s/findings.jsonl", r->dir);
	if (!err && !(r->findings = fopen(path, "w")))
		err = -errno;
	if (err) {
		ofdint_report_free(r);
		return err;
	}
	r->spec_path = xstrdup(spec_path);
	r->reference = xstrdup(reference);
	r->ref_version = xstrdup(ref_version);
	*out = r;
	return 0;
}

const char *ofd_report__dir(const struct ofd_report *r)
{
	return r->dir;
}

int ofd_report__target(struct ofd_report *r, const struct ofd_target_desc *t)
{
	struct rtarget *nt = realloc(r->targets, (r->ntargets + 1) * sizeof(*nt));

	if (!nt)
		return -ENOMEM;
	r->targets = nt;
	memset(&nt[r->ntargets], 0, sizeof(*nt));
	nt[r->ntargets].label = xstrdup(t->label);
	nt[r->ntargets].engine = xstrdup(t->engine);
	nt[r->ntargets].profile = xstrdup(t->profile);
	nt[r->ntargets].profile_path = xstrdup(t->profile_path);
	nt[r->ntargets].version = xstrdup(t->version);
	if (t->program_hash && t->program_hash[0]) {
		nt[r->ntargets].program = xstrdup(t->program);
		nt[r->ntargets].program_hash = xstrdup(t->program_hash);
	}
	if (t->device)
		nt[r->ntargets].device = *t->device;
	if (t->nparams) {
		struct rtarget *rt = &nt[r->ntargets];
		size_t k;

		rt->params = calloc(t->nparams, sizeof(*rt->params));
		if (!rt->params)
			return -ENOMEM;
		for (k = 0; k < t->nparams; k++)
			rt->params[k] = (struct ofd_engine_param){ xstrdup(t->params[k].key),
								   xstrdup(t->params[k].value) };
		rt->nparams = t->nparams;
	}
	ofdint_report_restore_target(r, &nt[r->ntargets]);
	return (int)r->ntargets++;
}

void ofd_report__tally(struct ofd_report *r, int t, const char *text)
{
	if (t < 0 || (size_t)t >= r->ntargets)
		return;
	free(r->targets[t].tally);
	r->targets[t].tally = xstrdup(text);
}

void ofd_report__count(struct ofd_report *r, int t, enum ofd_verdict v)
{
	r->targets[t].counts[v]++;
}

void ofd_report__count_offload(struct ofd_report *r, int t, unsigned int off,
			       enum ofd_verdict v)
{
	r->targets[t].counts[v]++;
	if (off < OFD_OFFLOAD__MAX)
		r->targets[t].ocounts[off][v]++;
}

void ofd_report__time(struct ofd_report *r, int t, double seconds)
{
	if (t < 0)
		r->ref_seconds += seconds;
	else
		r->targets[t].seconds += seconds;
}

void ofd_report__offload(struct ofd_report *r, enum ofd_offload off)
{
	r->offloads |= 1u << off;
}

void ofd_report__set_corpus(struct ofd_report *r, const struct ofd_corpus *c)
{
	r->have_corpus = true;
	r->corpus_files = c->nfiles;
	r->corpus_frames = c->npkts;
	r->corpus_cut = c->frames_cut;
}

struct rclass *ofdint_report_class(struct rtarget *t, const char *cls,
				   const char *text, enum ofd_verdict v,
				   enum ofd_severity sev)
{
	struct rclass *c;
	size_t i;

	for (i = 0; i < t->nclasses; i++)
		if (!strcmp(t->classes[i].cls, cls))
			return &t->classes[i];
	c = realloc(t->classes, (t->nclasses + 1) * sizeof(*c));
	if (!c)
		return NULL;
	t->classes = c;
	c = &t->classes[t->nclasses++];
	memset(c, 0, sizeof(*c));
	snprintf(c->cls, sizeof(c->cls), "%s", cls);
	snprintf(c->text, sizeof(c->text), "%s", text);
	c->verdict = v;
	c->severity = sev;
	return c;
}

void ofdint_report_add_path(struct rclass *c, const char *path)
{
	size_t n = strlen(c->paths), pl = strlen(path);
	const char *p = c->paths;

	/* No path (a finding without one, a damaged findings.jsonl): nothing
	 * to list, and strstr() of "" would match in place forever. */
	if (!pl)
		return;
	while ((p = strstr(p, path))) {
		if ((p == c->paths || p[-1] == ' ') && (p[pl] == ',' || p[pl] == '\0'))
			return;
		p += pl;
	}
	if (n + pl + 3 >= sizeof(c->paths))
		return;
	snprintf(c->paths + n, sizeof(c->paths) - n, "%s%s", n ? ", " : "", path);
}

/* A reproducer's frames: the case's input (res NULL; stamped so that a
 * train's flush points survive, ofd_gro.h) or an engine's. */
static int write_frames(struct ofd_report *r, const char *path, const struct ofd_case *c,
			const struct ofd_result *res)
{
	struct ofd_pcap_writer *w;
	char tmp[PATH_MAX + 48];
	uint32_t i;
	int err = ofdint_report_tmp(r, path, tmp, sizeof(tmp));

	if (err)
		return err;
	err = ofd_pcap_writer__open(tmp, &w);
	for (i = 0; !err && !res && i < c->npkts; i++)
		ofd_pcap_writer__write(w, c->pkts[i].data, c->pkts[i].len,
				       ofd_gro_pkt_ts(c->pkts, i));
	for (i = 0; !err && res && res->status == OFD_RES_OK && i < res->nframes; i++) {
		uint8_t *buf = malloc(res->frame[i].len ? res->frame[i].len : 1);

		if (!buf) {
			ofd_pcap_writer__close(w);
			return ofdint_report_commit(r, -ENOMEM, tmp, path);
		}
		ofd_frame_materialize(&res->frame[i], buf);
		ofd_pcap_writer__write(w, buf, res->frame[i].len, i);
		free(buf);
	}
	if (!err)
		err = ofd_pcap_writer__close(w);
	return ofdint_report_commit(r, err, tmp, path);
}

static int copy_file(struct ofd_report *r, const char *from, const char *to)
{
	char buf[8192], tmp[PATH_MAX + 48];
	FILE *in = fopen(from, "r"), *o;
	size_t n;

	if (!in)
		return -errno; /* the profile, not the report: no write error */
	o = ofdint_report_create(r, to, tmp, sizeof(tmp));
	while (o && (n = fread(buf, 1, sizeof(buf), in)) > 0)
		if (fwrite(buf, 1, n, o) != n)
			break;
	fclose(in);
	return o ? ofdint_report_finish(r, o, false, tmp, to) : r->werr;
}

static int write_diff(struct ofd_report *r, const char *p, const struct rtarget *t,
		      const struct ofd_case *c, const struct ofd_result *ref,
		      const struct ofd_diff *d)
{
	char tmp[PATH_MAX + 48];
	FILE *f = ofdint_report_create(r, p, tmp, sizeof(tmp));

	if (!f)
		return r->werr;
	fprintf(f, "case %llu: %s packet %u, %s request, target %s (%s), reference %s (%s)\n",
		(unsigned long long)c->id, c->src_file ? c->src_file : "(generated)",
		c->src_index, c->req.kind == OFD_REQ_LEGACY ? "legacy" : "vnet",
		t->label, t->version ? t->version : "", r->reference,
		r->ref_version ? r->ref_version : "");
	fprintf(f, "verdict: %s (%s), class %s\n", ofd_verdict_name(d->verdict),
		ofd_severity_name(d->severity), d->cls);
	fprintf(f, "fields: expected (reference) != actual (target)\n%s", d->text);
	if (d->consequence[0])
		fprintf(f, "consequence: what %s's own stack did with the target's frames\n%s\n",
			r->reference, d->consequence);
	ofdint_report_wireshark_notes(f, ref);
	return ofdint_report_finish(r, f, false, tmp, p);
}

int ofd_report__finding(struct ofd_report *r, int ti, const struct ofd_case *c,
			const struct ofd_result *ref, const struct ofd_result *tgt,
			const struct ofd_diff *d)
{
	struct rtarget *t = &r->targets[ti];
	struct rclass *cl = ofdint_report_class(t, d->cls,
						d->expl.id ? d->expl.text : d->headline,
						d->verdict, d->severity);
	char dir[PATH_MAX], p[PATH_MAX + 32], tmp[PATH_MAX + 48], rel[32] = "";
	json_t *j;
	int err = 0;

	if (!cl)
		return -ENOMEM;
	if (!cl->count)
		cl->offload = c->offload;
	cl->count++;
	r->offloads |= 1u << c->offload;
	ofdint_report_add_path(cl, d->path);
	/* Past the class' share of findings.jsonl a finding is only counted:
	 * the class (summary.json) keeps the exact count. */
	if (!ofdint_report_finding_kept(r, cl->count))
		return 0;
	if (cl->repro < MAX_REPRO_PER_CLASS) {
		/* The profile travels with the reproducer under its own file
		 * name (a profile's name must match its file). */
		const char *pbase = t->profile_path ? strrchr(t->profile_path, '/') : NULL;
		struct ofd_target_desc td = {
			.label = t->label, .engine = t->engine, .profile = t->profile,
			.profile_path = t->profile_path ? (pbase ? pbase + 1 : t->profile_path) : NULL,
			.version = t->version,
			.params = t->params, .nparams = t->nparams,
		};

		cl->repro++;
		r->nrepro++;
		snprintf(rel, sizeof(rel), "discrepancies/%04u", r->nrepro);
		snprintf(dir, sizeof(dir), "%s/%s", r->dir, rel);
		if (r->werr)
			return r->werr;
		if (mkdir(dir, 0755) && errno != EEXIST)
			return ofdint_report_fail(r, dir, -errno);
		snprintf(p, sizeof(p), "%s/input.pcap", dir);
		if (write_frames(r, p, c, NULL))
			return r->werr;
		snprintf(p, sizeof(p), "%s/expected.pcap", dir);
		if (write_frames(r, p, c, ref))
			return r->werr;
		snprintf(p, sizeof(p), "%s/actual.pcap", dir);
		if (write_frames(r, p, c, tgt))
			return r->werr;
		if (t->profile_path) {
			snprintf(p, sizeof(p), "%s/%s", dir, td.profile_path);
			copy_file(r, t->profile_path, p);
		}
		snprintf(p, sizeof(p), "%s/case.yaml", dir);
		if (!ofdint_report_tmp(r, p, tmp, sizeof(tmp)))
			ofdint_report_commit(r, ofd_case_write_yaml(tmp, c, r->reference, &td,
					     "input.pcap", r->mask, d->verdict), tmp, p);
		snprintf(p, sizeof(p), "%s/diff.txt", dir);
		if (r->werr || write_diff(r, p, t, c, ref, d))
			return r->werr;
		if (!cl->example_dir[0]) {
			snprintf(cl->example_dir, sizeof(cl->example_dir), "%s", rel);
			snprintf(cl->example, sizeof(cl->example), "%s", d->headline);
			cl->example_diff = xstrdup(d->text);
		}
	}
	j = ofdint_report_doc(OFD_SCHEMA_FINDING);
	json_object_update_new(j, json_pack("{s:s, s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?, s:s?}",
		      "target", t->label, "case", (json_int_t)c->id,
		      "file", c->src_file ? c->src_file : "", "packet", (int)c->src_index,
		      "offload", ofd_offload_name(c->offload),
		      "ethtool", ofd_offload_ethtool_name(c->offload),
		      "request", c->req.kind == OFD_REQ_LEGACY ? "legacy" : "vnet",
		      "verdict", ofd_verdict_name(d->verdict),
		      "severity", ofd_severity_name(d->severity), "class", d->cls,
		      "path", d->path, "detail", d->headline, "explanation", cl->text,
		      "reproducer", rel[0] ? rel : NULL,
		      "consequence", d->consequence[0] ? d->consequence : NULL));
	if (j) {
		char *s = json_dumps(j, JSON_COMPACT | OFD_JSON_FLAGS);

		err = s ? ofdint_report_findings_line(r, s) : -ENOMEM;
		free(s);
		json_decref(j);
	}
	return err;
}

void ofd_report__set_findings_max(struct ofd_report *r, uint64_t max, bool all)
{
	r->findings_max = max;
	r->findings_all = all;
	r->findings_max_set = true;
}

bool ofdint_report_finding_kept(const struct ofd_report *r, uint64_t n)
{
	if (r->findings_all)
		return true;
	return n <= (r->findings_max_set ? r->findings_max : OFD_FINDINGS_MAX_DEFAULT);
}

void ofdint_report_free(struct ofd_report *r)
{
	size_t i, k;

	if (r->findings)
		fclose(r->findings);
	ofdint_report_unlock(r);
	json_decref(r->resume_progress);
	json_decref(r->resume_findings);
	json_decref(r->inputs);
	for (i = 0; i < r->ntargets; i++) {
		struct rtarget *t = &r->targets[i];

		for (k = 0; k < t->nclasses; k++)
			free(t->classes[k].example_diff);
		free(t->classes);
		free(t->label);
		free(t->engine);
		free(t->profile);
		free(t->profile_path);
		free(t->version);
		free(t->program);
		free(t->program_hash);
		free(t->tally);
		for (k = 0; k < t->nparams; k++) {
			free((char *)t->params[k].key);
			free((char *)t->params[k].value);
		}
		free(t->params);
	}
	free(r->targets);
	free(r->spec_path);
	free(r->spec_abs);
	free(r->cwd);
	free(r->reference);
	free(r->ref_version);
	free(r);
}

/*
 * Everything the close writes goes first and progress.json last: it says
 * "complete" or "stopped" only once the rest is on disk. After a write
 * error nothing more is written: the last checkpoint still says "killed"
 * and `--resume` redoes the cases past it.
 */
static int close_write(struct ofd_report *r, FILE *out, double seconds)
{
	enum rstate st = ofdint_report_state(r);
	char p[PATH_MAX + 16];
	json_t *sum;

	ofdint_report_write_skip_findings(r);
	if (!r->werr && fsync(fileno(r->findings))) {
		snprintf(p, sizeof(p), "%s/findings.jsonl", r->dir);
		ofdint_report_fail(r, p, -errno);
	}
	sum = r->werr ? NULL : ofdint_report_summary(r, seconds);
	snprintf(p, sizeof(p), "%s/summary.json", r->dir);
	if (sum && !ofdint_report_write_json(r, sum, JSON_INDENT(2) | OFD_JSON_FLAGS, p) &&
	    !ofdint_report_write_junit(r, seconds) && !ofdint_report_write_ktap(r) && out)
		ofd_report_print_summary(sum, out);
	json_decref(sum);
	/* The checkpoint said "killed" until now: a run that closes says
	 * how it ended (a selfcheck has no checkpoints, no progress.json). */
	if (!r->werr && r->checkpointed) {
		r->seconds_before = seconds;
		ofdint_report_write_progress(r, st);
	}
	return r->werr;
}

int ofd_report__close_msg(struct ofd_report *r, FILE *out, double seconds, char *msg,
			  size_t len)
{
	int err;

	if (!r)
		return 0;
	err = r->werr ? r->werr : close_write(r, out, seconds + r->seconds_before);
	ofd_report__error(r, msg, len);
	ofdint_report_free(r);
	return err;
}

int ofd_report__close(struct ofd_report *r, FILE *out, double seconds)
{
	return ofd_report__close_msg(r, out, seconds, NULL, 0);
}

void ofd_report__set_mask(struct ofd_report *r, const struct ofd_mask *mask)
{
	r->mask = mask;
}
