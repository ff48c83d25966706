/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * selfcheck_internal.h - what selfcheck.c (the command) shares with
 * selfcheck_judge.c (the receive-side judge of the kernel's reference
 * frames): the judging reference's state and its two entry points.
 */
#ifndef OFD_SELFCHECK_INTERNAL_H
#define OFD_SELFCHECK_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "ofd.h"
#include "ofd_kernel.h"

#define JUDGE_MAX_REPRO 100   /* reproducers written; all are counted */
#define JUDGE_MAX_WHY 16      /* distinct "not judgeable" reasons kept */

/*
 * The judging reference: the runner sees an engine whose run() is the
 * kernel's followed by the judge over its output, so the judge sees every
 * reference frame while the case's input is still in memory.
 */
struct judge {
	struct ofd_engine *ref;       /* the real reference (kernel) */
	struct ofd_engine_ops ops;    /* ref's ops with run() wrapped */
	struct ofd_engine wrap;
	char *dir;                    /* report directory (copy) */
	unsigned long long seed;
	uint8_t *scratch;             /* derivation copy of an input frame */
	uint64_t frames, accepted, rejected, unjudgeable, repro;
	const char *why[JUDGE_MAX_WHY];
	uint64_t why_n[JUDGE_MAX_WHY];
	int err;                      /* first judge failure */
	const char *err_why;
	/* tso: segments waiting for the judge (one counter read per
	 * OFD_RXJ_MANY), and the lengths every segment must agree on. */
	bool tso;
	unsigned int npend;
	const struct ofd_frame *pf[OFD_RXJ_MANY];
	const struct ofd_case *pc[OFD_RXJ_MANY];
	enum ofd_rxjudge pv[OFD_RXJ_MANY];
	const char *pw[OFD_RXJ_MANY];
	uint64_t segs, segs_bad, len_repro;
	const char *len_why[JUDGE_MAX_WHY];
	uint64_t len_why_n[JUDGE_MAX_WHY];
	uint8_t *seg;                 /* one segment's bytes */
};

/* The judging reference's run(): the kernel's, then the judge over its
 * output (priv is the struct judge). */
int ofdint_judge_run(void *priv, const struct ofd_case *cases,
		     struct ofd_result *const *results, unsigned int n);
/* The judge's summary lines. */
void ofdint_judge_print(const struct judge *j, FILE *f);

#endif
