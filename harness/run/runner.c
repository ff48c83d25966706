// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * runner.c - the hot path: batch in, reference, targets, quick diff.
 *
 * Result slots are allocated once: a batch for the reference and one the
 * targets share (memory does not grow with the number of targets), each
 * with an arena sized by what the campaign's offloads can output
 * (ofd_offload_cases.max_output_bytes), allocated only when an engine
 * builds new bytes in it (the kernel reads frames back; TX checksum
 * engines patch their input and never need one). Per case the work is the engines' own plus ofd_diff_quick(); only a
 * case that is not equal pays for parsing, explanation and report I/O.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ofd_offload.h"
#include "ofd_run.h"

#define BATCH 64

struct ofd_runner {
	struct ofd_engine *ref;
	struct ofd_runner_target *tgt;
	int *report_id;
	size_t nt;
	struct ofd_report *report;
	const struct ofd_mask *mask;
	struct ofd_result *ref_res[BATCH];
	/* The targets run one after the other, each judged before the next
	 * one runs: they share one batch of slots. */
	struct ofd_result *tgt_res[BATCH];
	uint64_t counts[OFD_V__MAX];
	uint64_t critical, done;
	struct timespec last_progress;
	bool tty;
};

int ofd_runner__new(struct ofd_engine *ref, const struct ofd_runner_target *t,
		    size_t nt, struct ofd_report *report, const struct ofd_mask *mask,
		    struct ofd_runner **out)
{
	struct ofd_runner *r = calloc(1, sizeof(*r));
	uint32_t arena = ofd_cases_max_output(~0u);
	size_t i;
	int err = -ENOMEM;

	if (!r)
		return -ENOMEM;
	r->ref = ref;
	r->nt = nt;
	r->report = report;
	r->mask = mask;
	r->tty = isatty(2);
	r->tgt = calloc(nt ? nt : 1, sizeof(*r->tgt));
	r->report_id = calloc(nt ? nt : 1, sizeof(*r->report_id));
	if (!r->tgt || !r->report_id)
		goto out_free;
	memcpy(r->tgt, t, nt * sizeof(*t));
	/* Arenas are allocated on first use (result.c), sized for now by
	 * every offload, by the campaign's with ofd_runner__set_offloads. */
	for (i = 0; i < BATCH; i++)
		if ((err = ofd_result__new(arena, &r->ref_res[i])) ||
		    (err = ofd_result__new(arena, &r->tgt_res[i])))
			goto out_free;
	for (i = 0; i < nt; i++) {
		struct ofd_target_desc d = {
			.label = t[i].label, .engine = t[i].engine->ops->name,
			.profile = t[i].profile, .profile_path = t[i].profile_path,
			.version = t[i].engine->info.version,
			.device = &t[i].engine->info.device,
			.program = t[i].engine->info.program,
			.program_hash = t[i].engine->info.program_hash,
			.params = t[i].params, .nparams = t[i].nparams,
		};

		r->report_id[i] = report ? ofd_report__target(report, &d) : -1;
	}
	*out = r;
	return 0;
out_free:
	ofd_runner__free(r);
	return err;
}

void ofd_runner__set_offloads(struct ofd_runner *r, unsigned int offloads)
{
	uint32_t arena = ofd_cases_max_output(offloads);
	size_t i;

	for (i = 0; i < BATCH; i++) {
		/* Only slots no engine has built a frame in yet. */
		if (!r->ref_res[i]->arena)
			r->ref_res[i]->arena_cap = arena;
		if (!r->tgt_res[i]->arena)
			r->tgt_res[i]->arena_cap = arena;
	}
}

unsigned int ofd_runner__batch_size(const struct ofd_runner *r)
{
	return BATCH;
}

/*
 * The consequence of a critical receive-side finding: each frame the target
 * delivered that the reference did not (no equal frame in its output) is
 * handed to the reference's own stack, which says what it did with it.
 * Off the hot path: only a case already found critical pays.
 */
#define CONSEQUENCE_FRAMES 4

static void ask_consequence(const struct ofd_engine *ref, const struct ofd_case *c,
			    const struct ofd_result *rr, const struct ofd_result *tr,
			    struct ofd_diff *d)
{
	size_t at = 0, len = sizeof(d->consequence);
	unsigned int k, m, asked = 0;
	char line[400];

	if (!ref->ops->consequence || ofd_offload_get(c->offload)->dir != OFD_DIR_RX ||
	    tr->status != OFD_RES_OK)
		return;
	for (k = 0; k < tr->nframes && asked < CONSEQUENCE_FRAMES; k++) {
		bool known = false;
		int n;

		for (m = 0; m < rr->nframes && !known; m++)
			known = ofd_frame_equal(&tr->frame[k], &rr->frame[m]);
		if (known)
			continue;
		asked++;
		line[0] = '\0';
		if (ref->ops->consequence(ref->priv, &tr->frame[k], line, sizeof(line)))
			continue;
		n = snprintf(d->consequence + at, len - at, "%sframe %u: %s", at ? "\n" : "",
			     k + 1, line);
		if (n < 0 || (size_t)n >= len - at)
			break;
		at += (size_t)n;
	}
}

static int run_engine(struct ofd_engine *e, const struct ofd_case *cases,
		      struct ofd_result **res, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		ofd_result_reset(res[i]);
	return e->ops->run(e->priv, cases, (struct ofd_result *const *)res, n);
}

int ofd_runner__batch(struct ofd_runner *r, const struct ofd_case *cases,
		      unsigned int n)
{
	unsigned int i;
	size_t t;
	int err;

	double t0;

	if (n > BATCH)
		return -EINVAL;
	t0 = ofd_now();
	err = run_engine(r->ref, cases, r->ref_res, n);
	if (err)
		return err;
	if (r->report) {
		/* Per-engine times: each target is a JUnit suite with its own. */
		ofd_report__time(r->report, -1, ofd_now() - t0);
		for (i = 0; i < n; i++)
			ofd_report__offload(r->report, cases[i].offload);
	}
	for (t = 0; t < r->nt; t++) {
		struct ofd_result **res = r->tgt_res;
		unsigned int flags = r->tgt[t].engine->ops->flags;

		t0 = ofd_now();
		err = run_engine(r->tgt[t].engine, cases, res, n);
		if (err)
			return err;
		for (i = 0; i < n; i++) {
			enum ofd_verdict v = ofd_diff_case(&cases[i], r->ref_res[i], res[i], flags);

			if (v != OFD_V_EQUAL && v != OFD_V_BOTH_REJECTED &&
			    v != OFD_V_UNSUPPORTED) {
				struct ofd_diff d;

				if (ofd_diff_full(&cases[i], r->ref_res[i], res[i], flags,
						  r->mask, &d))
					return -ENOMEM;
				v = d.verdict;
				if (d.severity == OFD_SEV_CRITICAL)
					ask_consequence(r->ref, &cases[i], r->ref_res[i], res[i], &d);
				if (d.nmasked && r->report)
					ofd_report__masked(r->report, r->report_id[t], &d);
				if (v != OFD_V_EQUAL && r->report)
					ofd_report__finding(r->report, r->report_id[t],
							    &cases[i], r->ref_res[i], res[i], &d);
				if (d.severity == OFD_SEV_CRITICAL)
					r->critical++;
				ofd_diff_free(&d);
			}
			r->counts[v]++;
			if (r->report)
				ofd_report__count_offload(r->report, r->report_id[t],
							  cases[i].offload, v);
			if (v == OFD_V_UNSUPPORTED && r->report) {
				const char *who, *why;

				why = ofd_skip_reason(r->ref_res[i], res[i], r->ref->ops->name,
						      r->tgt[t].engine->ops->name, &who);
				ofd_report__skip(r->report, r->report_id[t], who, why);
			}
		}
		if (r->report)
			ofd_report__time(r->report, r->report_id[t], ofd_now() - t0);
		for (i = 0; i < n; i++)
			ofd_result_trim(res[i]);
	}
	for (i = 0; i < n; i++)
		ofd_result_trim(r->ref_res[i]);
	r->done += n;
	return 0;
}

const char *ofd_skip_reason(const struct ofd_result *ref, const struct ofd_result *tgt,
			    const char *ref_name, const char *tgt_name,
			    const char **engine)
{
	/* The reference first: what it cannot do, no target is judged on. */
	*engine = ref_name;
	if (ref->status == OFD_RES_UNSUPPORTED)
		return ref->detail ? ref->detail : "unsupported (no reason given)";
	if (ref->status == OFD_RES_FAULT)
		return ref->detail ? ref->detail : "the reference faulted";
	if (tgt->status == OFD_RES_UNSUPPORTED) {
		*engine = tgt_name;
		return tgt->detail ? tgt->detail : "unsupported (no reason given)";
	}
	if (ref->status == OFD_RES_REJECTED && ref->stage == OFD_STAGE_SUBMIT)
		return "the kernel refuses the request before a driver sees it";
	return "unsupported (no reason given)";
}

int ofd_runner__run(struct ofd_runner *r, const struct ofd_case *cases,
		    uint64_t n, uint64_t total)
{
	uint64_t k;
	int err;

	for (k = 0; k < n; k += BATCH) {
		err = ofd_runner__batch(r, &cases[k], n - k < BATCH ? (unsigned int)(n - k) : BATCH);
		if (err)
			return err;
		if (total)
			ofd_runner__progress(r, total, false);
	}
	return 0;
}

double ofd_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

void ofd_runner__progress(struct ofd_runner *r, uint64_t total, bool final)
{
	struct timespec now;

	if (!r->tty)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (!final && (now.tv_sec - r->last_progress.tv_sec) * 1000000000L +
			      (now.tv_nsec - r->last_progress.tv_nsec) < 200000000L)
		return;
	r->last_progress = now;
	fprintf(stderr, "\r  %llu/%llu cases x %zu target%s, %llu discrepanc%s ",
		(unsigned long long)r->done, (unsigned long long)total, r->nt,
		r->nt == 1 ? "" : "s", (unsigned long long)r->critical,
		r->critical == 1 ? "y" : "ies");
	if (final)
		fputc('\n', stderr);
}

uint64_t ofd_runner__count(const struct ofd_runner *r, enum ofd_verdict v)
{
	return r->counts[v];
}

uint64_t ofd_runner__critical(const struct ofd_runner *r)
{
	return r->critical;
}

void ofd_runner__free(struct ofd_runner *r)
{
	size_t i;

	if (!r)
		return;
	for (i = 0; i < BATCH; i++) {
		ofd_result__free(r->ref_res[i]);
		ofd_result__free(r->tgt_res[i]);
	}
	free(r->tgt);
	free(r->report_id);
	free(r);
}
