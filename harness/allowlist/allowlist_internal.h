/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * allowlist_internal.h - the allow-list between its files: the list in
 * memory (entries, evidence), the policy, the canonical emitter and the
 * loader, signatures, the compliance matrix. Public: ofd_allowlist.h.
 *
 *   identity.c  the identity union: text form, from a report's target
 *   policy.c    specs/allowlist-policy.yaml
 *   build.c     reports (summary.json) -> entries
 *   emit.c      the canonical YAML bytes of a list
 *   load.c      a list file back into memory (file:line:col errors)
 *   sign.c      Ed25519 keys and signatures, SHA-256, the rollback state
 *   check.c     verify and check (the library's public functions)
 *   matrix.c    device x offload x kernel counts, markdown and JSON
 */
#ifndef OFD_ALLOWLIST_INTERNAL_H
#define OFD_ALLOWLIST_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <time.h>
#include <jansson.h>

#include "ofd.h"
#include "ofd_allowlist.h"

#define OFD_AL_FORMAT 1 /* offdiff_allowlist: the list's format */

/* A growable array of strings, kept sorted and unique (evidence lists). */
struct ofd_al_strs {
	char **v;
	size_t n;
};
int ofd_al_strs_add(struct ofd_al_strs *s, const char *str);
void ofd_al_strs_free(struct ofd_al_strs *s);

struct ofd_al_evidence {
	struct ofd_al_strs runs;      /* report directory names */
	struct ofd_al_strs corpus;    /* corpus_sha256 of those runs */
	struct ofd_al_strs reference; /* "model offdiff-model 1 (...)" */
	struct ofd_al_strs selfcheck; /* "<run>: Linux 6.18.44" for a model */
	uint64_t verdicts[OFD_V__MAX]; /* this offload's, summed over runs */
	uint64_t frames;              /* corpus frames, the largest run's */
	uint64_t fuzz_execs;          /* when a report records them */
	bool fuzz_known;
};

struct ofd_al_entry {
	struct ofd_al_identity id;
	char offload[24];
	char kernel[64];     /* "6.18" (a model's), "6.18.44-..." (the kernel's) */
	bool permit;
	struct ofd_al_strs classes; /* deny: critical classes */
	char reason[256];    /* deny: why, one line */
	struct ofd_al_evidence ev;
};

struct ofd_al_list {
	uint64_t version;    /* monotonic: rollback protection */
	char issued[24], expires[24]; /* "2026-11-27T19:14:40Z" */
	char policy_sha256[65];
	struct ofd_al_entry *e;
	size_t n;
};
void ofd_al_list_free(struct ofd_al_list *l);
/* Entries sorted by identity text, offload, kernel: the canonical order. */
void ofd_al_list_sort(struct ofd_al_list *l);

/* ---- identity.c ---- */
int ofd_al_kind_from_name(const char *name);
int ofd_al_identity_cmp(const struct ofd_al_identity *a, const struct ofd_al_identity *b);
/* The identity of a summary.json target; -ENOENT when the target has none
 * (the null device, a capture): why says so. */
int ofd_al_identity_from_target(json_t *target, struct ofd_al_identity *id,
				char *why, size_t why_len);
/* "6.18" from "offdiff-model 1 (Linux 6.18 semantics)", "6.18.44-x" from
 * "Linux 6.18.44-x": the kernel a reference stands for; "" when none. */
void ofd_al_kernel_of(const char *ref_version, char *buf, size_t len);
/* Whether a running kernel release matches an entry's kernel: equal, or
 * the entry is a series the release belongs to ("6.18" and "6.18.44"). */
bool ofd_al_kernel_match(const char *entry, const char *running);

/* ---- policy.c ---- */
struct ofd_al_policy {
	uint64_t min_cases;        /* compared cases per entry */
	/* min_cases_by_offload (optional): another minimum for an offload
	 * whose cases are larger units (a gro case is a train) */
	char min_off[8][24];
	uint64_t min_off_cases[8];
	unsigned int nmin_off;
	uint64_t min_corpus_frames;
	struct ofd_al_strs corpus; /* if any: a run's corpus must be one */
	uint64_t min_fuzz_execs;
	uint64_t expiry_days;
	bool ref_kernel, ref_model; /* references accepted */
	bool model_selfcheck;      /* a model must have passed selfcheck */
	char sha256[65];           /* of the file's bytes */
};
/* 0, or -errno with "file:line:col: what" in err. */
int ofd_al_policy_load(const char *path, struct ofd_al_policy *p, char *err, size_t err_len);
void ofd_al_policy_free(struct ofd_al_policy *p);

/* ---- build.c ---- */
struct ofd_al_build_opts {
	uint64_t version;   /* 0: the issue time in seconds */
	const char *issued; /* NULL: the newest report's "finished" */
	FILE *notes;        /* one line per target left out, or NULL */
};
int ofd_al_build(const struct ofd_al_policy *p, char *const *dirs, size_t ndirs,
		 const struct ofd_al_build_opts *o, struct ofd_al_list *out,
		 char *err, size_t err_len);

/* ---- emit.c ---- */
struct ofd_al_sig {
	char key_sha256[65]; /* SHA-256 of the raw 32-byte public key */
	char value[96];      /* base64 of the 64-byte signature */
};
/* The canonical bytes of l (malloc'd, *len), with the signature as the
 * last key when sig is not NULL. 0 or -ENOMEM/-EIO. */
int ofd_al_emit(const struct ofd_al_list *l, const struct ofd_al_sig *sig, char **buf,
		size_t *len);
/* A detached signature file's bytes. */
int ofd_al_emit_sig(const struct ofd_al_sig *sig, char **buf, size_t *len);

/* ---- load.c ---- */
/* Parse list bytes (name for messages); a signature key is returned in
 * *sig (has_sig). 0, or -EINVAL with "name:line:col: what". */
int ofd_al_load(const char *name, const char *buf, size_t len, struct ofd_al_list *l,
		struct ofd_al_sig *sig, bool *has_sig, char *err, size_t err_len);
int ofd_al_load_sig(const char *name, const char *buf, size_t len, struct ofd_al_sig *sig,
		    char *err, size_t err_len);
/* Where an embedded signature starts in the bytes (the line
 * "signature:"), or len: the signed bytes are [0, result). */
size_t ofd_al_signed_len(const char *buf, size_t len);
/* "2026-11-27T19:14:40Z" <-> time_t (UTC); -EINVAL for another form. */
int ofd_al_time_parse(const char *s, time_t *t);
void ofd_al_time_str(time_t t, char *buf, size_t len);

/* ---- sign.c ---- */
/* SHA-256 of bytes as 64 hex digits. */
void ofd_al_sha256_hex(const void *p, size_t n, char hex[65]);
/* A new Ed25519 pair: PREFIX.key (private, 0600) and PREFIX.pub. */
int ofd_al_keygen(const char *prefix, char *err, size_t err_len);
/* Sign bytes with the private key in PEM file key. */
int ofd_al_sign(const char *key, const void *msg, size_t n, struct ofd_al_sig *sig,
		char *err, size_t err_len);
/* Verify: OFD_AL_PERMIT (0), OFD_AL_WRONG_KEY, OFD_AL_BAD_SIG or
 * OFD_AL_ERROR (an unreadable key), why one line. */
int ofd_al_sig_verify(const char *pub, const void *msg, size_t n,
		      const struct ofd_al_sig *sig, char *why, size_t why_len);
/* The rollback state: the highest version seen (0 without a file). */
int ofd_al_state_read(const char *path, uint64_t *version, char *err, size_t err_len);
int ofd_al_state_write(const char *path, uint64_t version, char *err, size_t err_len);

/* ---- check.c ---- */
/* Verify and load a list (ofd_allowlist_verify, keeping the list). */
int ofd_al_verify_load(const char *list, const char *pub, const char *sig,
		       const char *state, time_t now, struct ofd_al_list *l, char *why,
		       size_t why_len);

/* ---- matrix.c ---- */
/* device x offload x kernel with pass/benign/critical/skipped counts over
 * the reports: JSON ({"schema": "offdiff.matrix.v1", "rows": [...]}) and
 * its markdown table. */
int ofd_al_matrix(char *const *dirs, size_t ndirs, json_t **json, char **md,
		  char *err, size_t err_len);

/* A report's summary.json, or NULL with "DIR/summary.json: what" (line
 * and column for malformed JSON). */
json_t *ofd_al_load_summary(const char *dir, char *err, size_t err_len);
/* Target t's verdict counts for offload off (summary.json's
 * verdicts_by_offload; a one-offload report's verdicts); false when unknown. */
bool ofd_al_offload_counts(json_t *sum, json_t *t, const char *off, uint64_t c[OFD_V__MAX]);
/* Cases of t's classes of severity sev ("critical", "benign") for off; their
 * names added to *cls when not NULL. */
uint64_t ofd_al_class_cases(json_t *t, const char *off, const char *sev,
			    struct ofd_al_strs *cls);
/* The directory's last path component: a run's id. */
const char *ofd_al_run_id(const char *dir, char *buf, size_t len);

#endif
