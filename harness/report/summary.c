// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * summary.c - summary.json, the run as one JSON document, and the terminal
 * summary printed from it (`offdiff run` and `offdiff report show` print
 * the same thing, the latter from the file). Fields: docs/report-format.md.
 *
 * Every JSON document of a report starts from ofdint_report_doc(): its
 * schema name and the offdiff version, so a reader can tell which fields
 * to expect and which offdiff wrote them.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "report_internal.h"

static const char *const state_names[] = {
	[RSTATE_COMPLETE] = "complete",
	[RSTATE_STOPPED] = "stopped",
	[RSTATE_KILLED] = "killed",
};

const char *ofdint_report_state_name(enum rstate s)
{
	return state_names[s];
}

enum rstate ofdint_report_state(const struct ofd_report *r)
{
	return r->checkpointed && r->done < r->total ? RSTATE_STOPPED : RSTATE_COMPLETE;
}

json_t *ofdint_report_doc(const char *schema)
{
	return json_pack("{s:s, s:s}", "schema", schema, "version", OFD_VERSION);
}

json_t *ofdint_report_seconds(double s)
{
	return json_real(round(s * 1000.0) / 1000.0);
}

void ofdint_report_iso_time(time_t t, char *buf, size_t len)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(buf, len, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

uint64_t ofdint_report_total(const struct rtarget *t)
{
	uint64_t s = 0;
	int v;

	for (v = 0; v < OFD_V__MAX; v++)
		s += t->counts[v];
	return s;
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

/* [{"name": "tx-csum", "ethtool": "tx-checksumming"}, ...]: our name and
 * the one `ethtool -k` prints. */
static json_t *offloads_json(uint32_t mask)
{
	json_t *a = json_array();
	int off;

	for (off = 0; off < OFD_OFFLOAD__MAX; off++)
		if (mask & (1u << off))
			json_array_append_new(a, json_pack("{s:s, s:s}",
				"name", ofd_offload_name(off),
				"ethtool", ofd_offload_ethtool_name(off)));
	return a;
}

/* The device a target drove (iface, the virtual NIC): what a vendor or an
 * operator certifies is this, not the engine's name. */
static json_t *device_json(const struct ofd_device_id *d)
{
	json_t *j = json_object();

	json_object_set_new(j, "port", json_string(d->port));
	if (d->netns[0])
		json_object_set_new(j, "netns", json_string(d->netns));
	json_object_set_new(j, "driver", json_string(d->driver));
	json_object_set_new(j, "driver_version", json_string(d->driver_version));
	json_object_set_new(j, "firmware_version", json_string(d->fw_version));
	json_object_set_new(j, "bus_info", json_string(d->bus_info));
	if (d->peer[0])
		json_object_set_new(j, "peer", json_string(d->peer));
	return j;
}

json_t *ofdint_report_verdicts_by_offload(const struct rtarget *t)
{
	json_t *j = json_object();
	int off, v;

	for (off = 0; off < OFD_OFFLOAD__MAX; off++) {
		json_t *c = json_object();
		uint64_t n = 0;

		for (v = 0; v < OFD_V__MAX; v++) {
			n += t->ocounts[off][v];
			json_object_set_new(c, ofd_verdict_name(v),
					    json_integer((json_int_t)t->ocounts[off][v]));
		}
		if (n)
			json_object_set_new(j, ofd_offload_name(off), c);
		else
			json_decref(c);
	}
	return j;
}

void ofdint_report_restore_verdicts_by_offload(struct rtarget *t, json_t *j)
{
	int off, v;

	for (off = 0; off < OFD_OFFLOAD__MAX; off++)
		for (v = 0; v < OFD_V__MAX; v++) {
			json_int_t n = json_integer_value(json_object_get(
				json_object_get(j, ofd_offload_name(off)), ofd_verdict_name(v)));

			/* Evidence only (the verdicts are checked): a damaged
			 * count is not carried over as a huge one. */
			t->ocounts[off][v] = n > 0 ? (uint64_t)n : 0;
		}
}

static json_t *target_json(const struct rtarget *t)
{
	json_t *jt = json_object(), *counts = json_object(), *classes = json_array();
	size_t k;
	int v;

	json_object_set_new(jt, "label", json_string(t->label));
	json_object_set_new(jt, "engine", json_string(t->engine));
	if (t->profile)
		json_object_set_new(jt, "profile", json_string(t->profile));
	json_object_set_new(jt, "version", json_string(t->version ? t->version : ""));
	if (t->device.port[0] || t->device.driver[0])
		json_object_set_new(jt, "device", device_json(&t->device));
	/* the program a programmable target ran: its identity for the
	 * allow-list (issue 22) */
	if (t->program_hash) {
		json_object_set_new(jt, "program", json_string(t->program ? t->program : ""));
		json_object_set_new(jt, "program_sha256", json_string(t->program_hash));
	}
	if (t->tally)
		json_object_set_new(jt, "tally", json_string(t->tally));
	json_object_set_new(jt, "seconds", ofdint_report_seconds(t->seconds));
	json_object_set_new(jt, "cases", json_integer((json_int_t)ofdint_report_total(t)));
	json_object_set_new(jt, "compared", json_integer((json_int_t)ofdint_report_compared(t)));
	json_object_set_new(jt, "skipped", ofdint_report_skips_json(t));
	json_object_set_new(jt, "masked", ofdint_report_masked_json(t));
	for (v = 0; v < OFD_V__MAX; v++)
		json_object_set_new(counts, ofd_verdict_name(v),
				    json_integer((json_int_t)t->counts[v]));
	json_object_set_new(jt, "verdicts", counts);
	json_object_set_new(jt, "verdicts_by_offload", ofdint_report_verdicts_by_offload(t));
	for (k = 0; k < t->nclasses; k++) {
		const struct rclass *c = &t->classes[k];

		json_array_append_new(classes, json_pack("{s:s, s:s, s:s, s:s, s:s, s:I, s:s, s:o, s:s, s:s}",
			"class", c->cls, "offload", ofd_offload_name(c->offload),
			"ethtool", ofd_offload_ethtool_name(c->offload),
			"verdict", ofd_verdict_name(c->verdict),
			"severity", ofd_severity_name(c->severity),
			"count", (json_int_t)c->count, "explanation", c->text,
			"paths", paths_array(c->paths), "example", c->example_dir,
			"example_detail", c->example));
	}
	json_object_set_new(jt, "classes", classes);
	return jt;
}

/* The run as JSON: what summary.json holds and the terminal shows. */
json_t *ofdint_report_summary(struct ofd_report *r, double seconds)
{
	json_t *root = ofdint_report_doc(OFD_SCHEMA_SUMMARY), *targets = json_array();
	char when[32];
	size_t i;

	json_object_set_new(root, "complete",
			    json_string(ofdint_report_state_name(ofdint_report_state(r))));
	json_object_set_new(root, "cases_done", json_integer((json_int_t)r->done));
	json_object_set_new(root, "cases_total", json_integer((json_int_t)r->total));
	json_object_set_new(root, "spec", json_string(r->spec_path ? r->spec_path : ""));
	json_object_set_new(root, "run_dir", json_string(r->dir));
	json_object_set_new(root, "seconds", ofdint_report_seconds(seconds));
	ofdint_report_iso_time(r->started, when, sizeof(when));
	json_object_set_new(root, "started", json_string(when));
	ofdint_report_iso_time(time(NULL), when, sizeof(when));
	json_object_set_new(root, "finished", json_string(when));
	if (r->corpus_sha256[0])
		json_object_set_new(root, "corpus_sha256", json_string(r->corpus_sha256));
	json_object_set_new(root, "reference", json_pack("{s:s, s:s, s:o}", "engine",
			    r->reference ? r->reference : "", "version",
			    r->ref_version ? r->ref_version : "",
			    "seconds", ofdint_report_seconds(r->ref_seconds)));
	json_object_set_new(root, "offloads", offloads_json(r->offloads));
	json_object_set_new(root, "compared", json_integer((json_int_t)ofd_report__compared(r)));
	if (r->have_corpus)
		json_object_set_new(root, "corpus", json_pack("{s:I, s:I, s:I}",
				    "files", (json_int_t)r->corpus_files,
				    "frames", (json_int_t)r->corpus_frames,
				    "frames_cut", (json_int_t)r->corpus_cut));
	for (i = 0; i < r->ntargets; i++)
		json_array_append_new(targets, target_json(&r->targets[i]));
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

/* Is skip entry c (engine, reason, count) in every target's list? Only
 * with more than one target: one target's skips are its own. */
static bool skip_in_every(json_t *sum, json_t *c)
{
	json_t *targets = json_object_get(sum, "targets"), *t, *o;
	size_t i, k;

	if (json_array_size(targets) < 2)
		return false;
	json_array_foreach(targets, i, t) {
		bool found = false;

		json_array_foreach(json_object_get(t, "skipped"), k, o)
			if (json_equal(o, c)) {
				found = true;
				break;
			}
		if (!found)
			return false;
	}
	return true;
}

void ofd_report_print_summary(json_t *sum, FILE *out)
{
	json_t *t, *c, *pv;
	size_t i, k, j;

	bool faults = false;

	/* A column for target faults only when some target had one: the
	 * table every run prints stays as it was. */
	json_array_foreach(json_object_get(sum, "targets"), i, t)
		faults |= jcount(t, "target-fault") > 0;
	fprintf(out, "\n%-28s %8s %8s %8s %8s %8s %8s", "target", "cases", "equal",
		"discrep", "rej/rej", "one-rej", "skipped");
	fprintf(out, faults ? " %8s\n" : "\n", "fault");
	json_array_foreach(json_object_get(sum, "targets"), i, t) {
		fprintf(out, "%-28s %8llu %8llu %8llu %8llu %8llu %8llu", jstr(t, "label"),
			(unsigned long long)json_integer_value(json_object_get(t, "cases")),
			jcount(t, "equal"), jcount(t, "discrepancy"), jcount(t, "both-rejected"),
			jcount(t, "one-rejected"), jcount(t, "unsupported"));
		if (faults)
			fprintf(out, " %8llu", jcount(t, "target-fault"));
		fputc('\n', out);
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
			if (!skip_in_every(sum, c))
				fprintf(out, "    %5llu x skipped: %s: %s\n",
					(unsigned long long)json_integer_value(json_object_get(c, "count")),
					jstr(c, "engine"), jstr(c, "reason"));
		{
			const char *field;

			json_object_foreach(json_object_get(t, "masked"), field, c)
				fprintf(out, "    %5llu x masked: %s differed where the spec allows it\n",
					(unsigned long long)json_integer_value(c), field);
		}
		if (jstr(t, "tally")[0])
			fprintf(out, "    %s: %s\n", jstr(t, "engine"), jstr(t, "tally"));
	}
	{
		/* The reference's skips are every target's: said once. */
		json_t *t0 = json_array_get(json_object_get(sum, "targets"), 0);
		bool first = true;

		json_array_foreach(json_object_get(t0, "skipped"), k, c) {
			if (!skip_in_every(sum, c))
				continue;
			fprintf(out, "%s%5llu x skipped in every target: %s: %s\n", first ? "\n" : "",
				(unsigned long long)json_integer_value(json_object_get(c, "count")),
				jstr(c, "engine"), jstr(c, "reason"));
			first = false;
		}
	}
	fprintf(out, "\nreference: %s (%s); %.2f s\n", jstr(json_object_get(sum, "reference"), "engine"),
		jstr(json_object_get(sum, "reference"), "version"),
		json_real_value(json_object_get(sum, "seconds")));
	/* A partial run must not read as a finished one. */
	if (!strcmp(jstr(sum, "complete"), "stopped"))
		fprintf(out, "stopped after %llu of %llu cases: finish with `offdiff run --resume %s`\n",
			(unsigned long long)json_integer_value(json_object_get(sum, "cases_done")),
			(unsigned long long)json_integer_value(json_object_get(sum, "cases_total")),
			jstr(sum, "run_dir"));
	fprintf(out, "report: %s/  (summary.json, junit.xml, results.ktap, discrepancies/)\n",
		jstr(sum, "run_dir"));
}
