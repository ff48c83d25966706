/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * report_internal.h - the report's state, shared by report.c (writing),
 * summary.c (summary.json, the terminal summary), ci.c (junit.xml,
 * results.ktap), skips.c and resume.c (checkpoints and picking a killed run
 * up again). Every document and field is described in
 * docs/report-format.md.
 */
#ifndef OFD_REPORT_INTERNAL_H
#define OFD_REPORT_INTERNAL_H

#include <limits.h>
#include <stdio.h>
#include <time.h>
#include <jansson.h>

#include "ofd_run.h"

#define MAX_REPRO_PER_CLASS 20
/* findings.jsonl lines per target and class unless told otherwise
 * (ofd_report__set_findings_max): the rest are counted, not written. */
#define OFD_FINDINGS_MAX_DEFAULT 100


/* Each JSON document names its schema; a change a reader could trip on
 * bumps the number (docs/report-format.md). */
#define OFD_SCHEMA_SUMMARY  "offdiff.summary.v1"
#define OFD_SCHEMA_PROGRESS "offdiff.progress.v1"
#define OFD_SCHEMA_FINDING  "offdiff.finding.v1"

/* Times are rounded to milliseconds; 15 significant digits print a
 * rounded value as written (0.123, not 0.12299999999999999). */
#define OFD_JSON_FLAGS (JSON_SORT_KEYS | JSON_REAL_PRECISION(15))

/*
 * How the run ended, in summary.json and progress.json ("complete"):
 * complete, stopped (--stop-after, a signal or an engine failure: fewer
 * cases done than derived, `run --resume` finishes it), or killed (a
 * progress.json the run never closed: it was killed, or still runs).
 */
enum rstate { RSTATE_COMPLETE, RSTATE_STOPPED, RSTATE_KILLED };

struct rclass {
	char cls[64];
	char text[200];      /* explanation or headline */
	enum ofd_verdict verdict;
	enum ofd_severity severity;
	uint32_t offload;    /* enum ofd_offload of its first case */
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

/* Masked fields that did differ, per target: how often a mask hid a
 * difference (summary.json "masked"). Fixed table, the last slot "*". */
#define MAX_MASKED 16

struct rmasked {
	char field[48];
	uint64_t count;
};

struct rtarget {
	char *label, *engine, *profile, *profile_path, *version;
	char *program, *program_hash; /* a programmable target's, or NULL */
	uint64_t counts[OFD_V__MAX];
	/* the same per offload: the allow-list's evidence is per offload */
	uint64_t ocounts[OFD_OFFLOAD__MAX][OFD_V__MAX];
	struct rclass *classes;
	size_t nclasses;
	struct rskip skips[MAX_SKIP_REASONS];
	size_t nskips;
	struct rmasked masked[MAX_MASKED];
	size_t nmasked;
	double seconds;      /* in its engine and the diff, all run parts */
	struct ofd_device_id device; /* the device it drove, if any */
	char *tally;         /* the engine's own counts (ops->tally), or NULL */
	struct ofd_engine_param *params; /* its settings, for case.yaml */
	size_t nparams;
};

struct ofd_report {
	char dir[PATH_MAX];
	char *spec_path, *reference, *ref_version;
	char *spec_abs, *cwd;      /* for progress.json: resumable from anywhere */
	time_t started;
	double opened;         /* ofd_now() when this part opened the report */
	double seconds_before; /* run time of the parts before a resume */
	double ref_seconds;    /* in the reference engine */
	uint64_t done, total;  /* the last checkpoint's cases */
	bool checkpointed;
	uint32_t offloads;     /* bit per enum ofd_offload seen in a case */
	struct rtarget *targets;
	size_t ntargets;
	uint32_t nrepro;
	FILE *findings;
	const struct ofd_mask *mask;
	char corpus_sha256[65];
	bool have_corpus;
	uint32_t corpus_files, corpus_frames, corpus_cut;
	/* findings.jsonl lines per target and class (findings_all: every one) */
	uint64_t findings_max;
	bool findings_max_set, findings_all;
	/* resume: what the killed run had, applied as targets register */
	json_t *resume_progress;   /* progress.json */
	json_t *resume_findings;   /* kept findings.jsonl lines */
	/* rfile.c: the first write error (-errno, the file) stops the run */
	int werr;
	char werr_path[PATH_MAX + 48];
	int lock_fd;               /* flock()ed DIR/lock, -1 if none */
	json_t *inputs;            /* what determines cases and verdicts */
};

/* summary.json's and progress.json's "masked": {"ipv4.id": cases}. */
json_t *ofdint_report_masked_json(const struct rtarget *t);
void ofdint_report_restore_masked(struct rtarget *t, json_t *masked);

/* summary.json's and progress.json's "verdicts_by_offload": per offload (our
 * name) the verdict counts, offloads without cases left out. */
json_t *ofdint_report_verdicts_by_offload(const struct rtarget *t);
void ofdint_report_restore_verdicts_by_offload(struct rtarget *t, json_t *j);

/* "complete", "stopped", "killed". */
const char *ofdint_report_state_name(enum rstate s);
/* complete, unless the last checkpoint had fewer cases done than total. */
enum rstate ofdint_report_state(const struct ofd_report *r);
/* A new JSON document: {"schema": schema, "version": OFD_VERSION}. */
json_t *ofdint_report_doc(const char *schema);
/* Seconds rounded to milliseconds, as a JSON real. */
json_t *ofdint_report_seconds(double s);
/* Write progress.json (atomically) in state st. */
int ofdint_report_write_progress(struct ofd_report *r, enum rstate st);
/* "2026-11-24T19:44:15Z" */
void ofdint_report_iso_time(time_t t, char *buf, size_t len);

/* wireshark.c: "wireshark:" lines in diff.txt where Wireshark flags a
 * checksum of the reference's frames that the kernel writes on purpose. */
void ofdint_report_wireshark_notes(FILE *f, const struct ofd_result *ref);

/* summary.c: the summary.json document of the run. */
json_t *ofdint_report_summary(struct ofd_report *r, double seconds);
/* ci.c: junit.xml and results.ktap; they agree on every count. */
int ofdint_report_write_junit(struct ofd_report *r, double seconds);
int ofdint_report_write_ktap(struct ofd_report *r);
/* The test name of a skip reason in both: "skipped by ENGINE: REASON",
 * without '#' or line breaks (KTAP ends a name at '#'). */
void ofdint_report_skip_name(const struct rskip *s, char *buf, size_t len);
/* Cases of target t, all verdicts. */
uint64_t ofdint_report_total(const struct rtarget *t);

struct rclass *ofdint_report_class(struct rtarget *t, const char *cls,
				   const char *text, enum ofd_verdict v,
				   enum ofd_severity sev);
void ofdint_report_add_path(struct rclass *c, const char *path);
void ofdint_report_restore_target(struct ofd_report *r, struct rtarget *t);
/* Is the n-th finding (from 1) of a class written to findings.jsonl? */
bool ofdint_report_finding_kept(const struct ofd_report *r, uint64_t n);

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

/* rfile.c: files reach the disk whole or not at all (see there). Each
 * returns 0 or the run's first write error (-errno), latched in r. */
int ofdint_report_fail(struct ofd_report *r, const char *path, int err);
/* Create the fresh temporary for path (its name in tmp) and close it. */
int ofdint_report_tmp(struct ofd_report *r, const char *path, char *tmp, size_t len);
/* The same, opened for writing; NULL on error. */
FILE *ofdint_report_create(struct ofd_report *r, const char *path, char *tmp,
			   size_t len);
/* Flush, check, fsync (sync), close f and rename tmp over path. */
int ofdint_report_finish(struct ofd_report *r, FILE *f, bool sync, const char *tmp,
			 const char *path);
/* Rename tmp over path unless err (a writer's result); unlink it if not. */
int ofdint_report_commit(struct ofd_report *r, int err, const char *tmp,
			 const char *path);
/* A JSON document (json_dumpf flags), synced. */
int ofdint_report_write_json(struct ofd_report *r, json_t *doc, size_t flags,
			     const char *path);
/* One line of findings.jsonl, flushed. */
int ofdint_report_findings_line(struct ofd_report *r, const char *line);
/* Take DIR/lock for this process, or refuse (err: the holder's pid). */
int ofdint_report_lock(struct ofd_report *r, char *err, size_t err_len);
void ofdint_report_unlock(struct ofd_report *r);
/* inputs.c: "inputs" and "inputs_sha256" into a progress document. */
void ofdint_report_inputs_json(struct ofd_report *r, json_t *progress);
/* Free r without writing anything. */
void ofdint_report_free(struct ofd_report *r);

#endif
