/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_run.h - from corpus to verdicts: case derivation, the diff and its
 * explanations, reports, and the campaign runner.
 */
#ifndef OFD_RUN_H
#define OFD_RUN_H

#include <stdio.h>

#include "ofd.h"
#include "ofd_pcap.h"
#include "ofd_spec.h"

/* ---------------- case sets (harness/cases/) ---------------- */

/*
 * A case set owns derived input frames and the cases pointing into them.
 * Derivation happens before the hot path, for a loaded corpus at once or
 * for a streamed one chunk by chunk into the same storage (see
 * ofd_offload.h ofd_cases_derive, ofd_cases_derive_chunk and each
 * offload's derive). A campaign over several offloads holds one part per
 * offload and the concatenated cases.
 */
struct ofd_caseset {
	uint32_t ncases;
	struct ofd_case *cases;
	struct ofd_pkt *pkts;    /* the frames cases point at */
	uint8_t *bytes;          /* derived frame copies */
	size_t nbytes;
	uint32_t skipped;        /* frames with nothing to offload */
	struct ofd_caseset *parts;
	uint32_t nparts;
	/* Room in cases, pkts and bytes, kept from chunk to chunk. */
	size_t cap_cases, cap_pkts, cap_bytes;
	/* The chunk's frames an offload derives from when the spec scopes
	 * some corpus files to other offloads (corpus: {file, offloads}). */
	struct ofd_corpus_pkt *scoped;
	size_t cap_scoped;
	unsigned int offloads;   /* the parts' offloads (OFD_CAP bits) */
};
void ofd_caseset_free(struct ofd_caseset *set);
/* For derive implementations: empty set (ncases, nbytes, skipped 0) with
 * room for ncases cases, npkts frames and nbytes bytes, reusing what it
 * has (room only grows). 0 or -ENOMEM. */
int ofd_caseset_prepare(struct ofd_caseset *set, size_t ncases, size_t npkts,
			size_t nbytes);
/*
 * ofd_caseset_frames - the cases of a receive offload that judges one
 * frame at a time (rx-csum, dissect, rss): every corpus frame of at least
 * 14 bytes, copied into the set, once per entry of rx_flags (the
 * request's rx_flags; one entry 0 when the offload takes none), as VNET
 * requests with the spec's overrides applied; frames shorter, or every
 * frame when the campaign asks for no VNET requests, are skipped.
 * pkt_flags go on each frame (OFD_PKT_F_*). 0 or -ENOMEM.
 */
int ofd_caseset_frames(const struct ofd_corpus *corpus, unsigned int requests,
		       const struct ofd_spec *spec, unsigned int offload,
		       const uint8_t *rx_flags, unsigned int nflags, uint32_t pkt_flags,
		       struct ofd_caseset *set);

/* Spec overrides (per packet request fields), for derive implementations:
 * check that every override names a packet of the corpus and fits it. */
int ofd_overrides_check(const struct ofd_corpus *corpus,
			const struct ofd_spec *spec, char *err, size_t err_len);
/* The same over a streamed corpus: every chunk through __chunk (overrides
 * naming a packet of the chunk must fit it; seen[k] is set for those,
 * seen has spec->noverrides entries, false at first), then __seen (an
 * override no chunk had is an error with its line:col). */
int ofd_overrides_check_chunk(const struct ofd_corpus *chunk,
			      const struct ofd_spec *spec, bool *seen, char *err,
			      size_t err_len);
int ofd_overrides_check_seen(const struct ofd_spec *spec, const bool *seen,
			     char *err, size_t err_len);
/* Apply every override of spec that names packet pk (of corpus file
 * `file`) and request kind `kind` to r; true when one did. */
bool ofd_overrides_apply(const struct ofd_spec *spec, const char *file,
			 uint32_t index, int kind, struct ofd_request *r);

/* tx-csum: the request the stack makes for one frame (no copy): 0, or
 * -ENOENT without an L4 checksum to offload. The seed is written into
 * frame_copy (which must hold len bytes) when given. */
int ofd_txcsum_request(const uint8_t *frame, uint32_t len, enum ofd_req_kind kind,
		       struct ofd_request *req, uint8_t *frame_copy);

/* ---------------- the diff (diff.c, explain.c) ---------------- */

/* The verdict of one case, on the hot path: no allocation, no parsing. */
enum ofd_verdict ofd_diff_quick(const struct ofd_result *ref,
				const struct ofd_result *tgt,
				unsigned int tgt_flags);

/* The verdict of case c: the offload's own comparison where it has one
 * (ofd_offload_judge.compare), else ofd_diff_quick. Hot path. */
enum ofd_verdict ofd_diff_case(const struct ofd_case *c,
			       const struct ofd_result *ref,
			       const struct ofd_result *tgt, unsigned int tgt_flags);

/* A mask of "don't care" fields, by name ("ipv4.id"). */
struct ofd_mask {
	size_t n;
	char *const *fields;
};

/* Explanation of a checksum discrepancy: which alternative computation
 * reproduces the target's bytes. */
struct ofd_explanation {
	const char *id;    /* stable class id: "pseudo-header-ipv6-dst" */
	char text[200];    /* for the class: "IPv6 destination used instead of the SRH final segment" */
	char detail[200];  /* for this case, if more can be said: byte offsets, ranges */
	char note[300];    /* context a reader needs (what a deployment sees), optional */
	/* Optional: the case's headline instead of the first field line
	 * (gro: "train 3 (...), frame 1: merged 3 packets ..."), and
	 * whether the finding is benign (gro: an earlier flush). */
	char headline[200];
	bool benign;
};

/* The full, slow comparison of a case that was not equal. */
struct ofd_diff {
	enum ofd_verdict verdict;
	enum ofd_severity severity;
	char cls[64];          /* "checksum", "header", "rejection", ... + explanation id */
	char path[96];         /* layer path of the (first) frame: "ipv6/srh/tcp" */
	char *text;            /* field-level lines, '\n'-separated (malloc'd) */
	char headline[256];    /* first field line */
	struct ofd_explanation expl; /* id NULL when none found */
	bool masked_equal;     /* every difference was in a masked field */
	/* Masked fields that did differ (the report counts them). */
	char masked[8][48];
	unsigned int nmasked;
	/* A critical receive-side finding: what the reference's own stack
	 * did with the target's frames (ofd_engine_ops.consequence), one
	 * "frame N: ..." line each; empty when not asked. */
	char consequence[1024];
};

int ofd_diff_full(const struct ofd_case *c, const struct ofd_result *ref,
		  const struct ofd_result *tgt, unsigned int tgt_flags,
		  const struct ofd_mask *mask, struct ofd_diff *d);
void ofd_diff_free(struct ofd_diff *d);
/* Metadata equality as the diff sees it: the fields both sides have. */
bool ofd_meta_equal(const struct ofd_meta *a, const struct ofd_meta *b);


/* ---------------- reports (report.c) ---------------- */

struct ofd_report;

struct ofd_target_desc {
	const char *label;    /* "emu:srv6-ipv6-dst" */
	const char *engine;
	const char *profile;  /* NULL if none */
	const char *profile_path; /* file to copy next to case.yaml */
	const char *version;
	const struct ofd_device_id *device; /* a device behind it, or NULL */
	/* a programmable target's program and the SHA-256 of its IR
	 * (ofd_engine_info), or NULL/"" */
	const char *program, *program_hash;
	/* its settings: case.yaml records them so `offdiff replay` alone runs
	 * the same target the same way */
	const struct ofd_engine_param *params;
	size_t nparams;
};

/* reports/<run-id>/ under root ("reports"); run_id NULL → generated. */
int ofd_report__open(const char *root, const char *run_id, const char *spec_path,
		     const char *reference, const char *ref_version,
		     struct ofd_report **out);
const char *ofd_report__dir(const struct ofd_report *r);
/* Register a target column; returns its index. */
int ofd_report__target(struct ofd_report *r, const struct ofd_target_desc *t);
/* Count one verdict for target t (hot path: a counter bump). */
void ofd_report__count(struct ofd_report *r, int t, enum ofd_verdict v);
/* The same, also counted under the case's offload (summary.json's
 * verdicts_by_offload: per-offload evidence for the allow-list). */
void ofd_report__count_offload(struct ofd_report *r, int t, unsigned int off,
			       enum ofd_verdict v);
/* Seconds spent on a batch in target t's engine and its diff (t < 0: in
 * the reference engine): junit.xml's per-suite time, summary.json's. */
void ofd_report__time(struct ofd_report *r, int t, double seconds);
/* Target t's engine tally (ops->tally): summary.json and the terminal. */
void ofd_report__tally(struct ofd_report *r, int t, const char *text);
/* An offload the run's cases exercise (summary.json names it, with its
 * ethtool name). */
void ofd_report__offload(struct ofd_report *r, enum ofd_offload off);
/* A case target t did not compare (verdict unsupported): count it under
 * the engine that declined it and its reason. Both are the engines' static
 * strings, so this is a lookup in a fixed table, no allocation. */
void ofd_report__skip(struct ofd_report *r, int t, const char *engine,
		      const char *reason);
/* Cases compared (any verdict but unsupported) over every target,
 * restored ones included: 0 means the run compared nothing. */
uint64_t ofd_report__compared(const struct ofd_report *r);
/* The distinct skip reasons as "kernel: CRC32c ...; emu: ..." in buf;
 * returns how many there are. */
size_t ofd_report__skip_reasons(const struct ofd_report *r, char *buf, size_t len);
/* What the corpus held, for summary.json (frames, frames the snaplen cut). */
void ofd_report__set_corpus(struct ofd_report *r, const struct ofd_corpus *c);
/* A non-equal case: write its reproducer directory (bounded per class). */
int ofd_report__finding(struct ofd_report *r, int t, const struct ofd_case *c,
			const struct ofd_result *ref, const struct ofd_result *tgt,
			const struct ofd_diff *d);
/* findings.jsonl keeps the first `max` findings of each target and class
 * (default OFD_FINDINGS_MAX_DEFAULT, 100), or every one with `all`; the
 * others are counted in their class only. Recorded in progress.json, so
 * --resume keeps it. */
void ofd_report__set_findings_max(struct ofd_report *r, uint64_t max, bool all);
/* The masked fields that differed in a case of target t (d->masked):
 * counted per field for summary.json's "masked". */
void ofd_report__masked(struct ofd_report *r, int t, const struct ofd_diff *d);
/* Fields masked in this run (recorded in case.yaml files). */
void ofd_report__set_mask(struct ofd_report *r, const struct ofd_mask *mask);
/* Write summary.json, junit.xml and results.ktap, print the human summary
 * to out; progress.json then says "complete", or "stopped" when the last
 * checkpoint had fewer cases done than its total. seconds: this part's. */
int ofd_report__close(struct ofd_report *r, FILE *out, double seconds);
/* The same; on a write error msg gets "path: strerror" (see
 * ofd_report__error()), and nothing was written after it. */
int ofd_report__close_msg(struct ofd_report *r, FILE *out, double seconds, char *msg,
			  size_t len);

/* The run's first write error: 0, or -errno with msg "path: strerror".
 * Once set, the report writes nothing more and its close only frees: the
 * last checkpoint (still "killed") is where --resume starts (rfile.c). */
int ofd_report__error(const struct ofd_report *r, char *msg, size_t len);

/* What determines the cases and verdicts besides the corpus (inputs.c):
 * recorded in every checkpoint; for a reopened run, compared with what it
 * started with: -EINVAL and err naming what changed ("cannot resume DIR:
 * target emu:short-tail's profile changed since the run started"), or the
 * checkpoint as corrupt. */
struct ofd_spec;
struct ofd_runner_target;
int ofd_report__set_inputs(struct ofd_report *r, const struct ofd_spec *spec,
			   const char *reference, const struct ofd_runner_target *t,
			   size_t nt, char *err, size_t err_len);

/* Checkpoints and resume (resume.c). */
void ofd_report__set_corpus_digest(struct ofd_report *r, const char *hex);
/* The reference's version, for a reopened run (its engine opens later). */
void ofd_report__set_ref_version(struct ofd_report *r, const char *version);
/* Atomically rewrite progress.json: cases [0, done) are finished. */
int ofd_report__checkpoint(struct ofd_report *r, uint64_t done, uint64_t total);
/* Reopen a killed run's directory; what it recorded is restored as the
 * same targets register again. -EINVAL: not a run directory, or a corrupt
 * checkpoint; -EBUSY: another process holds the directory (err names its
 * pid); another -errno: findings.jsonl could not be rewritten. */
int ofd_report__reopen(const char *dir, struct ofd_report **out, char *err,
		       size_t err_len);
const char *ofd_report__resume_spec(const struct ofd_report *r);
/* The directory the run started in (for paths a spec left to it). */
const char *ofd_report__resume_cwd(const struct ofd_report *r);
const char *ofd_report__resume_reference(const struct ofd_report *r);
const char *ofd_report__resume_corpus(const struct ofd_report *r);
/* The offloads the killed run compared (OFD_CAP bits; `run --offload`
 * may have narrowed the spec's), 0 when unknown. */
unsigned int ofd_report__resume_offloads(const struct ofd_report *r);
const char *ofd_report__resume_target(const struct ofd_report *r, size_t i);
/* The checkpoint's cases_total (0 for a new run). */
uint64_t ofd_report__resume_total(const struct ofd_report *r);
uint64_t ofd_report__resume_done(const struct ofd_report *r);
/* Critical findings so far, restored ones included. */
uint64_t ofd_report__critical(const struct ofd_report *r);

/* Monotonic seconds, for rates and timing. */
double ofd_now(void);

/* SHA-256 (hex) over a corpus' frames in load order, lengths included. */
int ofd_corpus_sha256(const struct ofd_corpus *c, char hex[65]);
/* The same digest taken chunk by chunk: __corpus() for every chunk of a
 * streamed corpus in order, then __final() (once). */
struct ofd_digest;
int ofd_digest__new(struct ofd_digest **out);
void ofd_digest__corpus(struct ofd_digest *d, const struct ofd_corpus *chunk);
int ofd_digest__final(struct ofd_digest *d, char hex[65]);
void ofd_digest__free(struct ofd_digest *d);

/* The human summary of a summary.json document (a jansson json_t *). */
struct json_t;
void ofd_report_print_summary(struct json_t *summary, FILE *out);

/* Write a replayable case.yaml for c (used by reports and tests). */
int ofd_case_write_yaml(const char *path, const struct ofd_case *c,
			const char *reference, const struct ofd_target_desc *t,
			const char *input_pcap, const struct ofd_mask *mask,
			enum ofd_verdict expected);

/* ---------------- one engine twice (twice.c) ---------------- */

/* What ofd_run_twice saw. */
struct ofd_twice {
	uint64_t cases, frames_in, frames_out, bytes_out;
	uint64_t ok, merged;      /* merged: OK with fewer frames out than in */
	uint64_t rejected, unsupported;
	const char *why;          /* the first unsupported case's reason */
	uint64_t differ;          /* cases whose two results differ */
	uint32_t first_diff;      /* the first of them, UINT32_MAX for none */
	double seconds;           /* the first pass's time in the engine */
};
/* Run cases[0, n) through e twice, a batch at a time, and compare the two
 * results of every case (status, reason, frames with their metadata).
 * counts, when given, gets each case's output frame count of the first
 * pass (UINT32_MAX when it was not OK). 0, or -errno with a line in err. */
int ofd_run_twice(struct ofd_engine *e, const struct ofd_case *cases,
		  unsigned int n, uint32_t arena_cap, uint32_t *counts,
		  struct ofd_twice *t, char *err, size_t err_len);

/* ---------------- the runner (runner.c) ---------------- */

/*
 * Runs batches of cases through one reference and several targets, counts
 * verdicts and hands every non-equal case to the report. Result slots are
 * allocated once, one batch's worth for the reference and one shared by
 * the targets (they run one after the other), whatever their number; an
 * arena is allocated only for a slot an engine writes new bytes into. A
 * batch allocates nothing unless a case differs.
 */
struct ofd_runner;

struct ofd_runner_target {
	struct ofd_engine *engine;
	const char *label;        /* "emu:conformant" */
	const char *profile;
	const char *profile_path; /* NULL if none */
	/* its settings (iface's port, a plugin's path), for reproducers */
	const struct ofd_engine_param *params;
	size_t nparams;
};

int ofd_runner__new(struct ofd_engine *ref, const struct ofd_runner_target *t,
		    size_t nt, struct ofd_report *report, const struct ofd_mask *mask,
		    struct ofd_runner **out);
/* Size the result arenas for the campaign's offloads (OFD_CAP bits): the
 * largest max_output_bytes of their cases layers (ofd_offload.h). Without
 * it, the largest of every offload. Before the first batch. */
void ofd_runner__set_offloads(struct ofd_runner *r, unsigned int offloads);
/* 0, or a negative errno when an engine broke (exit code 3). */
int ofd_runner__batch(struct ofd_runner *r, const struct ofd_case *cases,
		      unsigned int n);
/* Cases per batch the runner is sized for. */
unsigned int ofd_runner__batch_size(const struct ofd_runner *r);
/* Run n cases (any number) in batches, updating the progress line
 * against `total` (0: no progress line). 0, or the first engine failure. */
int ofd_runner__run(struct ofd_runner *r, const struct ofd_case *cases,
		    uint64_t n, uint64_t total);
/* Progress line on stderr (only when it is a terminal). */
void ofd_runner__progress(struct ofd_runner *r, uint64_t total, bool final);
uint64_t ofd_runner__count(const struct ofd_runner *r, enum ofd_verdict v);
uint64_t ofd_runner__critical(const struct ofd_runner *r);
/* Why a case whose verdict is unsupported was not compared: the reason of
 * the engine that declined it (a static string), that engine's name in
 * *engine. ref_name and tgt_name are the engines' ops names. */
const char *ofd_skip_reason(const struct ofd_result *ref, const struct ofd_result *tgt,
			    const char *ref_name, const char *tgt_name,
			    const char **engine);
void ofd_runner__free(struct ofd_runner *r);

/* A case read back from case.yaml (offdiff replay). */
struct ofd_loaded_case {
	struct ofd_case c;
	struct ofd_pkt *pkts;
	uint8_t **bufs;
	char *reference;
	char *engine;
	char *profile;      /* resolved path or name, NULL if none */
	char *src_file;
	char **mask;
	size_t nmask;
	int expected;       /* enum ofd_verdict or -1 */
	/* the target's settings (target: {engine: plugin, path: dpdk}) */
	struct ofd_engine_param *params;
	size_t nparams;
};
int ofd_case_read_yaml(const char *path, struct ofd_loaded_case *lc, char *err,
		       size_t err_len);
/* The same from memory (the fuzzer): path names it, for messages and the
 * input's relative path. */
int ofd_case_parse_yaml(const char *path, const char *text, size_t len,
			struct ofd_loaded_case *lc, char *err, size_t err_len);
void ofd_loaded_case_free(struct ofd_loaded_case *lc);

#endif
