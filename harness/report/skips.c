// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * skips.c - why cases were not compared, per target and reason.
 *
 * A run whose every case was skipped compared nothing and must not pass
 * (exit code 4, kselftest's SKIP), and a run that skipped some cases must
 * say why: the reasons go to summary.json, findings.jsonl, junit.xml and
 * results.ktap. Counting happens on the hot path, but only for a skipped
 * case, in a fixed table per target (report_internal.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "report_internal.h"

#define OTHER_REASONS "other reasons (more distinct reasons than the report tracks)"

struct rskip *ofdint_report_skip_slot(struct rtarget *t, const char *engine,
				      const char *reason)
{
	struct rskip *s;
	size_t i;

	for (i = 0; i < t->nskips; i++) {
		s = &t->skips[i];
		if (s->key_reason == reason && s->key_engine == engine)
			return s;
	}
	for (i = 0; i < t->nskips; i++) {
		s = &t->skips[i];
		if (!strcmp(s->reason, reason) && !strcmp(s->engine, engine)) {
			/* The next lookup of these strings is a pointer hit. */
			s->key_reason = reason;
			s->key_engine = engine;
			return s;
		}
	}
	if (t->nskips == MAX_SKIP_REASONS)
		return &t->skips[MAX_SKIP_REASONS - 1];
	s = &t->skips[t->nskips++];
	memset(s, 0, sizeof(*s));
	if (t->nskips == MAX_SKIP_REASONS) {
		snprintf(s->engine, sizeof(s->engine), "*");
		snprintf(s->reason, sizeof(s->reason), "%s", OTHER_REASONS);
		return s;
	}
	s->key_reason = reason;
	s->key_engine = engine;
	snprintf(s->engine, sizeof(s->engine), "%s", engine);
	snprintf(s->reason, sizeof(s->reason), "%s", reason);
	return s;
}

void ofd_report__skip(struct ofd_report *r, int ti, const char *engine,
		      const char *reason)
{
	ofdint_report_skip_slot(&r->targets[ti], engine ? engine : "?",
				reason ? reason : "no reason given")->count++;
}

json_t *ofdint_report_skips_json(const struct rtarget *t)
{
	json_t *a = json_array();
	size_t i;

	for (i = 0; i < t->nskips; i++)
		json_array_append_new(a, json_pack("{s:s, s:s, s:I}",
			"engine", t->skips[i].engine, "reason", t->skips[i].reason,
			"count", (json_int_t)t->skips[i].count));
	return a;
}

void ofdint_report_restore_skips(struct rtarget *t, json_t *skipped)
{
	json_t *j;
	size_t i;

	json_array_foreach(skipped, i, j) {
		const char *engine = json_string_value(json_object_get(j, "engine"));
		const char *reason = json_string_value(json_object_get(j, "reason"));
		struct rskip *s;

		if (!engine || !reason)
			continue;
		s = ofdint_report_skip_slot(t, engine, reason);
		/* The strings belong to the progress document. */
		s->key_reason = NULL;
		s->key_engine = NULL;
		s->count += (uint64_t)json_integer_value(json_object_get(j, "count"));
	}
}

static struct rmasked *masked_slot(struct rtarget *t, const char *field)
{
	size_t i;

	for (i = 0; i < t->nmasked; i++)
		if (!strcmp(t->masked[i].field, field))
			return &t->masked[i];
	if (t->nmasked == MAX_MASKED)
		return &t->masked[MAX_MASKED - 1];
	snprintf(t->masked[t->nmasked].field, sizeof(t->masked[0].field), "%s",
		 t->nmasked == MAX_MASKED - 1 ? "*" : field);
	return &t->masked[t->nmasked++];
}

void ofd_report__masked(struct ofd_report *r, int ti, const struct ofd_diff *d)
{
	unsigned int i;

	for (i = 0; i < d->nmasked; i++)
		masked_slot(&r->targets[ti], d->masked[i])->count++;
}

json_t *ofdint_report_masked_json(const struct rtarget *t)
{
	json_t *o = json_object();
	size_t i;

	for (i = 0; i < t->nmasked; i++)
		json_object_set_new(o, t->masked[i].field,
				    json_integer((json_int_t)t->masked[i].count));
	return o;
}

void ofdint_report_restore_masked(struct rtarget *t, json_t *masked)
{
	const char *field;
	json_t *v;

	json_object_foreach(masked, field, v)
		if (json_is_integer(v) && json_integer_value(v) > 0)
			masked_slot(t, field)->count += (uint64_t)json_integer_value(v);
}

uint64_t ofdint_report_compared(const struct rtarget *t)
{
	uint64_t n = 0;
	int v;

	for (v = 0; v < OFD_V__MAX; v++)
		if (v != OFD_V_UNSUPPORTED)
			n += t->counts[v];
	return n;
}

uint64_t ofd_report__compared(const struct ofd_report *r)
{
	uint64_t n = 0;
	size_t i;

	for (i = 0; i < r->ntargets; i++)
		n += ofdint_report_compared(&r->targets[i]);
	return n;
}

size_t ofd_report__skip_reasons(const struct ofd_report *r, char *buf, size_t len)
{
	size_t i, k, n = 0, used = 0;

	if (len)
		buf[0] = '\0';
	for (i = 0; i < r->ntargets; i++) {
		const struct rtarget *t = &r->targets[i];

		for (k = 0; k < t->nskips; k++) {
			const struct rskip *s = &t->skips[k];
			size_t j, m;
			bool dup = false;

			/* Several targets often skip for the reference's
			 * reason: name it once. */
			for (j = 0; j < i && !dup; j++)
				for (m = 0; m < r->targets[j].nskips && !dup; m++)
					dup = !strcmp(r->targets[j].skips[m].reason, s->reason) &&
					      !strcmp(r->targets[j].skips[m].engine, s->engine);
			if (dup || !s->count)
				continue;
			if (used < len)
				used += (size_t)snprintf(buf + used, len - used, "%s%s: %s",
							 n ? "; " : "", s->engine, s->reason);
			n++;
		}
	}
	return n;
}

/* The findings.jsonl lines of the skip reasons, written when the run
 * closes: one per target and reason, with its count and no "case" (resume
 * drops them, the counts come back from progress.json). */
void ofdint_report_write_skip_findings(struct ofd_report *r)
{
	size_t i, k;

	if (!r->findings)
		return;
	for (i = 0; i < r->ntargets; i++) {
		const struct rtarget *t = &r->targets[i];

		for (k = 0; k < t->nskips; k++) {
			char *s;
			json_t *j = ofdint_report_doc(OFD_SCHEMA_FINDING);

			json_object_update_new(j, json_pack("{s:s, s:s, s:s, s:s, s:I}", "target", t->label,
					      "verdict", ofd_verdict_name(OFD_V_UNSUPPORTED),
					      "engine", t->skips[k].engine,
					      "reason", t->skips[k].reason,
					      "count", (json_int_t)t->skips[k].count));
			s = j ? json_dumps(j, JSON_COMPACT | OFD_JSON_FLAGS) : NULL;

			if (s)
				ofdint_report_findings_line(r, s);
			free(s);
			json_decref(j);
		}
	}
}
