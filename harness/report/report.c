// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * report.c - reports/<run-id>/: summary.json, junit.xml, findings.jsonl and
 * one reproducer directory per discrepancy (input/expected/actual pcaps,
 * case.yaml, diff.txt), plus the human summary on the terminal.
 *
 * Reproducers and findings.jsonl are written as cases finish, so a run that
 * is killed keeps every finding it made. summary.json and junit.xml are
 * written at the end.
 *
 * Skipped cases (verdict unsupported) are counted per target and reason
 * (skips.c) and show up everywhere a CI system or a person looks:
 *  - summary.json: per target "skipped": [{"engine", "reason", "count"}]
 *    and "compared" (cases with any other verdict); at the top level
 *    "compared" over all targets (0: the run compared nothing, exit 4) and
 *    "corpus": {"files", "frames", "frames_cut"}, frames_cut being the
 *    records the capture's snaplen cut, which are not in any case;
 *  - findings.jsonl: one line per target and reason, written at the end,
 *    {"target", "verdict": "unsupported", "engine", "reason", "count"}
 *    (no "case": these are counts, not findings of one case);
 *  - junit.xml: a <skipped message="reason"/> testcase per reason, counted
 *    in the testsuite's skipped attribute;
 *  - results.ktap: "ok N skipped by ENGINE (C cases) # SKIP reason".
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

int ofd_report__open(const char *root, const char *run_id, const char *spec_path,
		     const char *reference, const char *ref_version,
		     struct ofd_report **out)
{
	struct ofd_report *r = calloc(1, sizeof(*r));
	char id[96], path[PATH_MAX + 32];
	struct tm tm;
	int n, err;

	if (!r)
		return -ENOMEM;
	r->started = time(NULL);
	if (!run_id) {
		const char *base = spec_path ? strrchr(spec_path, '/') : NULL;
		char name[48];
		char *dot;

		snprintf(name, sizeof(name), "%s", base ? base + 1 : spec_path ? spec_path : "run");
		dot = strrchr(name, '.');
		if (dot)
			*dot = '\0';
		gmtime_r(&r->started, &tm);
		n = snprintf(id, sizeof(id), "%04d%02d%02d-%02d%02d%02d-%s", tm.tm_year + 1900,
			     tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, name);
		(void)n;
		run_id = id;
	}
	snprintf(r->dir, sizeof(r->dir), "%s/%s", root, run_id);
	/* Two runs in the same second get distinct directories. */
	for (n = 2; access(r->dir, F_OK) == 0 && n < 1000; n++)
		snprintf(r->dir, sizeof(r->dir), "%s/%s.%d", root, run_id, n);
	snprintf(path, sizeof(path), "%s/discrepancies", r->dir);
	err = mkdir_p(path);
	if (err) {
		ofd_pr_warn("cannot create %s: %s\n", path, strerror(-err));
		free(r);
		return err;
	}
	snprintf(path, sizeof(path), "%s/findings.jsonl", r->dir);
	r->findings = fopen(path, "w");
	if (!r->findings) {
		err = -errno;
		free(r);
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
	ofdint_report_restore_target(r, &nt[r->ntargets]);
	return (int)r->ntargets++;
}

void ofd_report__count(struct ofd_report *r, int t, enum ofd_verdict v)
{
	r->targets[t].counts[v]++;
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

	while ((p = strstr(p, path))) {
		if ((p == c->paths || p[-1] == ' ') && (p[pl] == ',' || p[pl] == '\0'))
			return;
		p += pl;
	}
	if (n + pl + 3 >= sizeof(c->paths))
		return;
	snprintf(c->paths + n, sizeof(c->paths) - n, "%s%s", n ? ", " : "", path);
}

static int write_frames(const char *path, const struct ofd_result *res)
{
	struct ofd_pcap_writer *w;
	uint32_t i;
	int err = ofd_pcap_writer__open(path, &w);

	if (err)
		return err;
	for (i = 0; res && res->status == OFD_RES_OK && i < res->nframes; i++) {
		uint8_t *buf = malloc(res->frame[i].len ? res->frame[i].len : 1);

		if (!buf)
			break;
		ofd_frame_materialize(&res->frame[i], buf);
		ofd_pcap_writer__write(w, buf, res->frame[i].len, i);
		free(buf);
	}
	return ofd_pcap_writer__close(w);
}

static int write_input(const char *path, const struct ofd_case *c)
{
	struct ofd_pcap_writer *w;
	uint32_t i;
	int err = ofd_pcap_writer__open(path, &w);

	if (err)
		return err;
	for (i = 0; i < c->npkts; i++)
		ofd_pcap_writer__write(w, c->pkts[i].data, c->pkts[i].len, i);
	return ofd_pcap_writer__close(w);
}

static int copy_file(const char *from, const char *to)
{
	char buf[8192];
	FILE *in = fopen(from, "r"), *o;
	size_t n;

	if (!in)
		return -errno;
	o = fopen(to, "w");
	if (!o) {
		fclose(in);
		return -errno;
	}
	while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
		fwrite(buf, 1, n, o);
	fclose(in);
	return fclose(o) ? -EIO : 0;
}

int ofd_report__finding(struct ofd_report *r, int ti, const struct ofd_case *c,
			const struct ofd_result *ref, const struct ofd_result *tgt,
			const struct ofd_diff *d)
{
	struct rtarget *t = &r->targets[ti];
	struct rclass *cl = ofdint_report_class(t, d->cls,
						d->expl.id ? d->expl.text : d->headline,
						d->verdict, d->severity);
	char dir[PATH_MAX], p[PATH_MAX + 32], rel[32] = "";
	json_t *j;
	FILE *f;

	if (!cl)
		return -ENOMEM;
	cl->count++;
	ofdint_report_add_path(cl, d->path);
	if (cl->repro < MAX_REPRO_PER_CLASS) {
		/* The profile travels with the reproducer under its own file
		 * name (a profile's name must match its file). */
		const char *pbase = t->profile_path ? strrchr(t->profile_path, '/') : NULL;
		struct ofd_target_desc td = {
			.label = t->label, .engine = t->engine, .profile = t->profile,
			.profile_path = t->profile_path ? (pbase ? pbase + 1 : t->profile_path) : NULL,
			.version = t->version,
		};

		cl->repro++;
		r->nrepro++;
		snprintf(rel, sizeof(rel), "discrepancies/%04u", r->nrepro);
		snprintf(dir, sizeof(dir), "%s/%s", r->dir, rel);
		if (mkdir(dir, 0755) && errno != EEXIST)
			return -errno;
		snprintf(p, sizeof(p), "%s/input.pcap", dir);
		write_input(p, c);
		snprintf(p, sizeof(p), "%s/expected.pcap", dir);
		write_frames(p, ref);
		snprintf(p, sizeof(p), "%s/actual.pcap", dir);
		write_frames(p, tgt);
		if (t->profile_path) {
			snprintf(p, sizeof(p), "%s/%s", dir, td.profile_path);
			copy_file(t->profile_path, p);
		}
		snprintf(p, sizeof(p), "%s/case.yaml", dir);
		ofd_case_write_yaml(p, c, r->reference, &td, "input.pcap", r->mask,
				    d->verdict);
		snprintf(p, sizeof(p), "%s/diff.txt", dir);
		f = fopen(p, "w");
		if (f) {
			fprintf(f, "case %llu: %s packet %u, %s request, target %s (%s), reference %s (%s)\n",
				(unsigned long long)c->id, c->src_file ? c->src_file : "(generated)",
				c->src_index, c->req.kind == OFD_REQ_LEGACY ? "legacy" : "vnet",
				t->label, t->version ? t->version : "", r->reference,
				r->ref_version ? r->ref_version : "");
			fprintf(f, "verdict: %s (%s), class %s\n", ofd_verdict_name(d->verdict),
				ofd_severity_name(d->severity), d->cls);
			fprintf(f, "fields: expected (reference) != actual (target)\n%s", d->text);
			fclose(f);
		}
		if (!cl->example_dir[0]) {
			snprintf(cl->example_dir, sizeof(cl->example_dir), "%s", rel);
			snprintf(cl->example, sizeof(cl->example), "%s", d->headline);
			cl->example_diff = xstrdup(d->text);
		}
	}
	j = json_pack("{s:s, s:I, s:s, s:i, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:s?}",
		      "target", t->label, "case", (json_int_t)c->id,
		      "file", c->src_file ? c->src_file : "", "packet", (int)c->src_index,
		      "request", c->req.kind == OFD_REQ_LEGACY ? "legacy" : "vnet",
		      "verdict", ofd_verdict_name(d->verdict),
		      "severity", ofd_severity_name(d->severity), "class", d->cls,
		      "path", d->path, "detail", d->headline, "explanation", cl->text,
		      "reproducer", rel[0] ? rel : NULL);
	if (j) {
		char *s = json_dumps(j, JSON_COMPACT | JSON_SORT_KEYS);

		if (s) {
			fprintf(r->findings, "%s\n", s);
			fflush(r->findings);
			free(s);
		}
		json_decref(j);
	}
	return 0;
}

static uint64_t total(const struct rtarget *t)
{
	uint64_t s = 0;
	int v;

	for (v = 0; v < OFD_V__MAX; v++)
		s += t->counts[v];
	return s;
}

static void xml_escape(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default:
			if ((unsigned char)*s >= 0x20 || *s == '\n' || *s == '\t')
				fputc(*s, f);
		}
	}
}

static int write_junit(struct ofd_report *r, double seconds)
{
	char p[PATH_MAX + 16];
	FILE *f;
	size_t i, k;

	snprintf(p, sizeof(p), "%s/junit.xml", r->dir);
	f = fopen(p, "w");
	if (!f)
		return -errno;
	fprintf(f, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"offdiff\">\n");
	for (i = 0; i < r->ntargets; i++) {
		struct rtarget *t = &r->targets[i];
		bool none = ofdint_report_compared(t) == 0;
		size_t nfail = 0;

		for (k = 0; k < t->nclasses; k++)
			nfail += t->classes[k].severity == OFD_SEV_CRITICAL;
		/* With nothing compared, "equal" is a skip too, not a pass. */
		fprintf(f, "  <testsuite name=\"");
		xml_escape(f, t->label);
		fprintf(f, "\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
			t->nclasses + 1 + t->nskips, nfail, t->nskips + none, seconds);
		fprintf(f, "    <testcase classname=\"");
		xml_escape(f, t->label);
		fprintf(f, "\" name=\"equal (%llu of %llu cases)\"%s\n",
			(unsigned long long)(t->counts[OFD_V_EQUAL] + t->counts[OFD_V_BOTH_REJECTED]),
			(unsigned long long)total(t),
			none ? "><skipped message=\"no case compared\"/></testcase>" : "/>");
		for (k = 0; k < t->nskips; k++) {
			fprintf(f, "    <testcase classname=\"");
			xml_escape(f, t->label);
			fprintf(f, "\" name=\"skipped by ");
			xml_escape(f, t->skips[k].engine);
			fprintf(f, " (%llu cases)\"><skipped message=\"",
				(unsigned long long)t->skips[k].count);
			xml_escape(f, t->skips[k].reason);
			fprintf(f, "\"/></testcase>\n");
		}
		for (k = 0; k < t->nclasses; k++) {
			struct rclass *c = &t->classes[k];

			fprintf(f, "    <testcase classname=\"");
			xml_escape(f, t->label);
			fprintf(f, "\" name=\"");
			xml_escape(f, c->cls);
			fprintf(f, "\">\n");
			if (c->severity == OFD_SEV_CRITICAL) {
				fprintf(f, "      <failure type=\"%s\" message=\"%llu case(s): ",
					ofd_verdict_name(c->verdict), (unsigned long long)c->count);
				xml_escape(f, c->text);
				fprintf(f, "\">");
				xml_escape(f, c->example_diff);
				fprintf(f, "reproducer: ");
				xml_escape(f, c->example_dir);
				fprintf(f, "</failure>\n");
			} else {
				fprintf(f, "      <system-out>%llu benign case(s): ",
					(unsigned long long)c->count);
				xml_escape(f, c->text);
				fprintf(f, "</system-out>\n");
			}
			fprintf(f, "    </testcase>\n");
		}
		fprintf(f, "  </testsuite>\n");
	}
	fprintf(f, "</testsuites>\n");
	return fclose(f) ? -EIO : 0;
}

/* "a, b, c" (the terminal's form) as a JSON array. */
static json_t *paths_array(const char *list)
{
	json_t *a = json_array();
	const char *p = list;

	while (*p) {
		size_t n = strcspn(p, ",");

		json_array_append_new(a, json_stringn(p, n));
		p += n;
		while (*p == ',' || *p == ' ')
			p++;
	}
	return a;
}

/* The run as JSON: what summary.json holds and the terminal shows. */
static json_t *summary_json(struct ofd_report *r, double seconds)
{
	json_t *root = json_object(), *targets = json_array();
	char started[32];
	struct tm tm;
	size_t i, k;
	int v;

	json_object_set_new(root, "spec", json_string(r->spec_path ? r->spec_path : ""));
	json_object_set_new(root, "run_dir", json_string(r->dir));
	json_object_set_new(root, "seconds", json_real(seconds));
	gmtime_r(&r->started, &tm);
	strftime(started, sizeof(started), "%Y-%m-%dT%H:%M:%SZ", &tm);
	json_object_set_new(root, "started", json_string(started));
	if (r->corpus_sha256[0])
		json_object_set_new(root, "corpus_sha256", json_string(r->corpus_sha256));
	json_object_set_new(root, "reference", json_pack("{s:s, s:s}", "engine",
			    r->reference ? r->reference : "", "version",
			    r->ref_version ? r->ref_version : ""));
	json_object_set_new(root, "compared", json_integer((json_int_t)ofd_report__compared(r)));
	if (r->have_corpus)
		json_object_set_new(root, "corpus", json_pack("{s:I, s:I, s:I}",
				    "files", (json_int_t)r->corpus_files,
				    "frames", (json_int_t)r->corpus_frames,
				    "frames_cut", (json_int_t)r->corpus_cut));
	for (i = 0; i < r->ntargets; i++) {
		struct rtarget *t = &r->targets[i];
		json_t *jt = json_object(), *counts = json_object(), *classes = json_array();

		json_object_set_new(jt, "label", json_string(t->label));
		json_object_set_new(jt, "engine", json_string(t->engine));
		if (t->profile)
			json_object_set_new(jt, "profile", json_string(t->profile));
		json_object_set_new(jt, "version", json_string(t->version ? t->version : ""));
		json_object_set_new(jt, "cases", json_integer((json_int_t)total(t)));
		json_object_set_new(jt, "compared",
				    json_integer((json_int_t)ofdint_report_compared(t)));
		json_object_set_new(jt, "skipped", ofdint_report_skips_json(t));
		for (v = 0; v < OFD_V__MAX; v++)
			json_object_set_new(counts, ofd_verdict_name(v),
					    json_integer((json_int_t)t->counts[v]));
		json_object_set_new(jt, "verdicts", counts);
		for (k = 0; k < t->nclasses; k++) {
			struct rclass *c = &t->classes[k];

			json_array_append_new(classes, json_pack("{s:s, s:s, s:s, s:I, s:s, s:o, s:s, s:s}",
				"class", c->cls, "verdict", ofd_verdict_name(c->verdict),
				"severity", ofd_severity_name(c->severity),
				"count", (json_int_t)c->count, "explanation", c->text,
				"paths", paths_array(c->paths), "example", c->example_dir,
				"example_detail", c->example));
		}
		json_object_set_new(jt, "classes", classes);
		json_array_append_new(targets, jt);
	}
	json_object_set_new(root, "targets", targets);
	return root;
}

static const char *jstr(json_t *o, const char *key)
{
	const char *v = json_string_value(json_object_get(o, key));

	return v ? v : "";
}

static unsigned long long jcount(json_t *t, const char *verdict)
{
	return (unsigned long long)json_integer_value(
		json_object_get(json_object_get(t, "verdicts"), verdict));
}

void ofd_report_print_summary(json_t *sum, FILE *out)
{
	json_t *t, *c, *pv;
	size_t i, k, j;

	fprintf(out, "\n%-28s %8s %8s %8s %8s %8s %8s\n", "target", "cases", "equal",
		"discrep", "rej/rej", "one-rej", "skipped");
	json_array_foreach(json_object_get(sum, "targets"), i, t) {
		fprintf(out, "%-28s %8llu %8llu %8llu %8llu %8llu %8llu\n", jstr(t, "label"),
			(unsigned long long)json_integer_value(json_object_get(t, "cases")),
			jcount(t, "equal"), jcount(t, "discrepancy"), jcount(t, "both-rejected"),
			jcount(t, "one-rejected"), jcount(t, "unsupported"));
		json_array_foreach(json_object_get(t, "classes"), k, c) {
			size_t shown = 0;

			fprintf(out, "    %5llu x %s [%s]\n",
				(unsigned long long)json_integer_value(json_object_get(c, "count")),
				jstr(c, "explanation"), jstr(c, "class"));
			fprintf(out, "            on ");
			json_array_foreach(json_object_get(c, "paths"), j, pv) {
				if (shown > 110) {
					fprintf(out, ", ...");
					break;
				}
				fprintf(out, "%s%s", j ? ", " : "", json_string_value(pv));
				shown += strlen(json_string_value(pv)) + 2;
			}
			fputc('\n', out);
			if (jstr(c, "example")[0])
				fprintf(out, "            e.g. %s  (%s/%s)\n", jstr(c, "example_detail"),
					jstr(sum, "run_dir"), jstr(c, "example"));
		}
		json_array_foreach(json_object_get(t, "skipped"), k, c)
			fprintf(out, "    %5llu x skipped: %s: %s\n",
				(unsigned long long)json_integer_value(json_object_get(c, "count")),
				jstr(c, "engine"), jstr(c, "reason"));
	}
	fprintf(out, "\nreference: %s (%s); %.2f s\n", jstr(json_object_get(sum, "reference"), "engine"),
		jstr(json_object_get(sum, "reference"), "version"),
		json_real_value(json_object_get(sum, "seconds")));
	fprintf(out, "report: %s/  (summary.json, junit.xml, results.ktap, discrepancies/)\n",
		jstr(sum, "run_dir"));
}

/* A directive's text ends at the line: keep it on one. */
static void ktap_directive_text(FILE *f, const char *s)
{
	for (; *s; s++)
		fputc(*s == '\n' || *s == '\r' ? ' ' : *s, f);
}

/*
 * KTAP (Documentation/dev-tools/ktap.rst), what kernel CI reads: one test
 * per target, one subtest per class of finding and per skip reason, and a
 * report's reproducer in the diagnostic lines. A target that compared
 * nothing is a SKIP, not an "ok": nothing was shown to be equal.
 */
static int write_ktap(struct ofd_report *r)
{
	char p[PATH_MAX + 16];
	size_t i, k;
	FILE *f;

	snprintf(p, sizeof(p), "%s/results.ktap", r->dir);
	f = fopen(p, "w");
	if (!f)
		return -errno;
	fprintf(f, "KTAP version 1\n1..%zu\n", r->ntargets);
	for (i = 0; i < r->ntargets; i++) {
		struct rtarget *t = &r->targets[i];
		bool failed = false, none = ofdint_report_compared(t) == 0;

		fprintf(f, "    KTAP version 1\n    # Subtest: %s\n    1..%zu\n", t->label,
			t->nclasses + 1 + t->nskips);
		fprintf(f, "    # equal: %llu of %llu cases\n    ok 1 equal%s\n",
			(unsigned long long)t->counts[OFD_V_EQUAL],
			(unsigned long long)total(t), none ? " # SKIP no case compared" : "");
		for (k = 0; k < t->nclasses; k++) {
			struct rclass *c = &t->classes[k];
			bool crit = c->severity == OFD_SEV_CRITICAL;

			failed |= crit;
			fprintf(f, "    # %s: %llu x %s%s (e.g. %s)\n", c->cls,
				(unsigned long long)c->count, crit ? "" : "benign: ", c->text,
				c->example_dir[0] ? c->example_dir : "-");
			fprintf(f, "    %s %zu %s\n", crit ? "not ok" : "ok", k + 2, c->cls);
		}
		for (k = 0; k < t->nskips; k++) {
			struct rskip *s = &t->skips[k];

			fprintf(f, "    # skipped: %llu x %s: %s\n",
				(unsigned long long)s->count, s->engine, s->reason);
			fprintf(f, "    ok %zu skipped by %s (%llu cases) # SKIP ",
				t->nclasses + 2 + k, s->engine, (unsigned long long)s->count);
			ktap_directive_text(f, s->reason);
			fputc('\n', f);
		}
		fprintf(f, "%s %zu %s", failed ? "not ok" : "ok", i + 1, t->label);
		if (!failed && none) {
			fprintf(f, " # SKIP ");
			ktap_directive_text(f, t->nskips ? t->skips[0].reason : "no cases");
		}
		fputc('\n', f);
	}
	return fclose(f) ? -EIO : 0;
}

int ofd_report__close(struct ofd_report *r, FILE *out, double seconds)
{
	size_t i, k;
	int err;

	if (!r)
		return 0;
	{
		json_t *sum = summary_json(r, seconds);
		char p[PATH_MAX + 16];

		snprintf(p, sizeof(p), "%s/summary.json", r->dir);
		err = json_dump_file(sum, p, JSON_INDENT(2) | JSON_SORT_KEYS) ? -EIO : 0;
		if (out)
			ofd_report_print_summary(sum, out);
		json_decref(sum);
	}
	if (!err)
		err = write_junit(r, seconds);
	if (!err)
		err = write_ktap(r);
	ofdint_report_write_skip_findings(r);
	fclose(r->findings);
	json_decref(r->resume_progress);
	json_decref(r->resume_findings);
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
	}
	free(r->targets);
	free(r->spec_path);
	free(r->reference);
	free(r->ref_version);
	free(r);
	return err;
}

void ofd_report__set_mask(struct ofd_report *r, const struct ofd_mask *mask)
{
	r->mask = mask;
}
