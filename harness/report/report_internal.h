/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * report_internal.h - the report's state, shared by report.c (writing) and
 * resume.c (checkpoints and picking a killed run up again).
 */
#ifndef OFD_REPORT_INTERNAL_H
#define OFD_REPORT_INTERNAL_H

#include <limits.h>
#include <stdio.h>
#include <time.h>
#include <jansson.h>

#include "ofd_run.h"

#define MAX_REPRO_PER_CLASS 20

struct rclass {
	char cls[64];
	char text[200];      /* explanation or headline */
	enum ofd_verdict verdict;
	enum ofd_severity severity;
	uint64_t count;
	uint32_t repro;      /* reproducer directories written */
	char example_dir[32];
	char example[256];   /* headline of the first one */
	char *example_diff;
	char paths[1024];    /* distinct layer paths seen, comma-separated */
};

/*
 * Why cases were skipped, per target: a fixed table, so counting a skip
 * allocates nothing. Engines give static reason strings, so a lookup is a
 * pointer compare; the text is compared only for a new pointer (or for
 * entries restored from progress.json, which have none). The last slot
 * takes every reason past the first MAX_SKIP_REASONS - 1.
 */
#define MAX_SKIP_REASONS 16

struct rskip {
	const char *key_reason, *key_engine; /* the strings last counted */
	char engine[32];
	char reason[200];
	uint64_t count;
};

struct rtarget {
	char *label, *engine, *profile, *profile_path, *version;
	uint64_t counts[OFD_V__MAX];
	struct rclass *classes;
	size_t nclasses;
	struct rskip skips[MAX_SKIP_REASONS];
	size_t nskips;
};

struct ofd_report {
	char dir[PATH_MAX];
	char *spec_path, *reference, *ref_version;
	time_t started;
	struct rtarget *targets;
	size_t ntargets;
	uint32_t nrepro;
	FILE *findings;
	const struct ofd_mask *mask;
	char corpus_sha256[65];
	bool have_corpus;
	uint32_t corpus_files, corpus_frames, corpus_cut;
	/* resume: what the killed run had, applied as targets register */
	json_t *resume_progress;   /* progress.json */
	json_t *resume_findings;   /* kept findings.jsonl lines */
};

struct rclass *ofdint_report_class(struct rtarget *t, const char *cls,
				   const char *text, enum ofd_verdict v,
				   enum ofd_severity sev);
void ofdint_report_add_path(struct rclass *c, const char *path);
void ofdint_report_restore_target(struct ofd_report *r, struct rtarget *t);

/* Skip reasons (skips.c). */
struct rskip *ofdint_report_skip_slot(struct rtarget *t, const char *engine,
				      const char *reason);
/* [{"engine", "reason", "count"}, ...] of target t, in first-seen order. */
json_t *ofdint_report_skips_json(const struct rtarget *t);
/* Count back what a progress.json "skipped" array recorded. */
void ofdint_report_restore_skips(struct rtarget *t, json_t *skipped);
/* Cases target t compared: any verdict but unsupported. */
uint64_t ofdint_report_compared(const struct rtarget *t);
/* One findings.jsonl line per target and reason, at close. */
void ofdint_report_write_skip_findings(struct ofd_report *r);


#endif
