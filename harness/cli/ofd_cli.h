/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_cli.h - the offdiff command line: one grammar for every command.
 *
 *   offdiff [GLOBAL OPTIONS] <object> [<verb>] [OPTIONS] [OPERANDS]
 *
 * Each command describes itself in constant tables (struct ofd_object,
 * struct ofd_verb, struct ofd_opt); the dispatcher, the option parser and
 * the help printer all read the same tables, so `-h`, an unknown option, a
 * bad number or a typo behave identically everywhere, and `offdiff help
 * --all` (the man page's source) cannot drift from what the parser accepts.
 */
#ifndef OFD_CLI_H
#define OFD_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <jansson.h>

#include "ofd.h"

/* Exit codes scripts can trust. */
enum {
	OFD_EXIT_EQUAL = 0,       /* every compared case equal (some may be skipped) */
	OFD_EXIT_DISCREPANCY = 1, /* at least one discrepancy */
	OFD_EXIT_USAGE = 2,       /* bad input or usage */
	OFD_EXIT_UNAVAILABLE = 3, /* an engine cannot run here */
	/*
	 * Zero cases compared: every case was skipped (an engine declined
	 * them all, e.g. SCTP's CRC32c with the kernel as the reference) or
	 * there were no cases. A run that showed nothing must not pass; 4 is
	 * what kselftest reads as SKIP (KSFT_SKIP in kselftest.h), so a
	 * runner that wraps offdiff reports it as skipped, not ok.
	 */
	OFD_EXIT_NOTHING_COMPARED = 4,
	/*
	 * The report could not be written (a full disk, a file replaced by
	 * something that is not one, an I/O error): one line names the file
	 * and the error. The run stopped at its last checkpoint, which still
	 * says "killed", and `offdiff run --resume DIR` finishes it once the
	 * cause is gone.
	 */
	OFD_EXIT_WRITE = 5,
	/* Plus the signal that stopped a run (130 SIGINT, 143 SIGTERM), as
	 * a shell reports it; the run is resumable (run.c). */
	OFD_EXIT_SIGNAL = 128,
};

/* ---- global options (before the object, or after it) ------------ */

enum ofd_color { OFD_COLOR_AUTO, OFD_COLOR_ALWAYS, OFD_COLOR_NEVER };

struct ofd_cli_globals {
	bool json;   /* -j: data as JSON on stdout (compact) */
	bool pretty; /* -p: JSON, indented (implies -j) */
	bool quiet;  /* -q: no progress, no headers: errors and the result */
	enum ofd_color color;
};
extern struct ofd_cli_globals ofd_g;

/* ---- options ----------------------------------------------------- */

enum ofd_opt_kind {
	OFD_OPT_FLAG,    /* bool */
	OFD_OPT_STR,     /* const char * (points into argv) */
	OFD_OPT_STRV,    /* struct ofd_strv: repeatable */
	OFD_OPT_U64,     /* uint64_t in [min, max], strict (ofd_cli_u64) */
	OFD_OPT_OFFLOAD, /* int: ofd_offload_from_name, ethtool aliases too */
	OFD_OPT_COLOR,   /* enum ofd_color: auto, always, never */
};

struct ofd_strv {
	const char **v;
	size_t n;
};
void ofd_strv_free(struct ofd_strv *sv);

/*
 * One option of a verb. The value lands at `off` in the struct the verb
 * hands to ofd_cli_parse, so the table can be a static constant that the
 * help printer reads too.
 */
struct ofd_opt {
	const char *name;  /* long name without "--"; NULL ends a table */
	char key;          /* short option letter, or 0 */
	enum ofd_opt_kind kind;
	size_t off;        /* offsetof(the verb's options struct, field) */
	const char *arg;   /* metavar in help ("DIR"); NULL for flags */
	const char *help;  /* one line */
	uint64_t min, max; /* OFD_OPT_U64 range */
};

#define OFD_OPT(key, name, kind, type, field, arg, help) \
	{ name, key, kind, offsetof(type, field), arg, help, 0, 0 }
#define OFD_OPT_NUM(key, name, type, field, arg, help, lo, hi) \
	{ name, key, OFD_OPT_U64, offsetof(type, field), arg, help, lo, hi }

/* ---- commands ---------------------------------------------------- */

enum {
	OFD_VERB_JSON = 1u << 0, /* prints data and honours -j/-p */
};

struct ofd_verb {
	const char *name;     /* "list"; NULL for an object without verbs */
	int (*fn)(int argc, char **argv); /* argv[0] is the verb (or object) */
	const char *operands; /* synopsis after the options: "[SPEC]", "FILE..." */
	const char *summary;  /* one line: what it does */
	const char *details;  /* more lines (operands, exit codes), or NULL */
	const struct ofd_opt *opts; /* NULL or ended by a NULL name */
	unsigned int min_args, max_args; /* operand count */
	unsigned int flags;   /* OFD_VERB_* */
};
#define OFD_ARGS_ANY 0xffffu

struct ofd_object {
	const char *name;
	const char *summary;
	/* Ended by an entry without fn; an object without verbs (run) has
	 * one entry with a NULL name. */
	const struct ofd_verb *verbs;
};

/* Every object, in the order `offdiff --help` and `help --all` list them. */
extern const struct ofd_object *const ofd_objects[];
extern const struct ofd_object ofd_obj_run, ofd_obj_replay, ofd_obj_report,
	ofd_obj_selfcheck, ofd_obj_corpus, ofd_obj_engine, ofd_obj_profile,
	ofd_obj_bench, ofd_obj_version, ofd_obj_help;
extern const struct ofd_object ofd_obj_wire, ofd_obj_iface, ofd_obj_vnic, ofd_obj_target;
/* allowlist.c, key.c; matrix.c is `report matrix` (report.c's table). */
extern const struct ofd_object ofd_obj_allowlist, ofd_obj_key;
int ofd_cli_report_matrix(int argc, char **argv);
extern const struct ofd_opt ofd_cli_matrix_opts[];
/* bench_allowlist.c: one allowlist check's latency, signature included. */
void ofdint_bench_allowlist(double budget);

/*
 * Parse the running verb's argv (argv[0] is the verb; the dispatcher
 * knows which verb runs) into `o` by its opts table, plus the
 * options every verb takes (-h, -j, -p, -q, --color). Options and operands
 * may mix; `--` ends options. On success the operands are moved to
 * argv[1..*argc-1] and 0 is returned. -h prints the verb's help on stdout
 * and returns -ECANCELED; a usage error prints one line on stderr and
 * returns -EINVAL. ofd_cli_parse_exit() maps either to the exit code.
 */
int ofd_cli_parse(void *o, int *argc, char **argv);
int ofd_cli_parse_exit(int err);

/* Strict unsigned number: decimal or 0x hex, no sign or space, within
 * [min, max]; otherwise one error line naming `what` and the value. */
int ofd_cli_u64(const char *cmd, const char *what, const char *s, uint64_t min,
		uint64_t max, uint64_t *out);

/* The options before the object (-V) and those every verb takes. */
const struct ofd_opt *ofd_cli_top_opts(void);
const struct ofd_opt *ofd_cli_common_opts(void);

/* Parse the global options, then run the object named by the first
 * operand (prefix match, typo suggestions). argv[0] is the program. */
int ofd_cli_dispatch(int argc, char **argv);

/* ---- help (help.c) ----------------------------------------------- */

void ofd_cli_help_top(FILE *f);
void ofd_cli_help_object(FILE *f, const struct ofd_object *obj);
void ofd_cli_help_verb(FILE *f, const struct ofd_object *obj, const struct ofd_verb *v);
/* "run", "profile show": how a verb is named in messages. */
const char *ofd_cli_cmd_name(const struct ofd_object *obj, const struct ofd_verb *v);

/* ---- output helpers (common.c) ----------------------------------- */

/* Print "offdiff: <msg>" to stderr, always on one line. */
void ofd_cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* selfcheck_gro.c: the reference alone, twice, on a receive offload's
 * corpus trains: its outcomes (each train's with list) and whether the two
 * runs agree (*nondet when not). 0 or -errno (printed). */
struct ofd_caseset;
int ofd_selfcheck_twice(struct ofd_engine *ref, const struct ofd_caseset *set,
			unsigned int off, bool list, FILE *info, bool *nondet);

/* selfcheck_dissect.c: the model's flow keys against the kernel's
 * built-in dissector, through the rx hash (docs/dissect-vs-kernel.md). */
struct ofd_corpus;
struct ofd_offload_ops;
/* `selfcheck -f dissect`: the corpus' frames, then @nrand random ones of
 * @oo's generator (@seed); prints, returns the exit code. */
int ofd_selfcheck_dissect(struct ofd_engine *ref, const struct ofd_corpus *corpus,
			  const struct ofd_offload_ops *oo, uint64_t nrand, uint64_t seed,
			  FILE *info);

/* A user value for a message: quoted, at most 64 characters (then "..."),
 * control characters escaped. Four rotating buffers: up to four per call. */
const char *ofd_cli_q(const char *s);

/*
 * Nearest candidate to a typo: Damerau-Levenshtein (optimal string
 * alignment) distance at most 2 and below the word's length, so short
 * words do not match everything.
 */
struct ofd_suggest {
	const char *word, *best;
	unsigned int dist;
};
void ofd_suggest_init(struct ofd_suggest *s, const char *word);
void ofd_suggest_add(struct ofd_suggest *s, const char *cand);
unsigned int ofd_cli_distance(const char *a, const char *b);

/* Whether to color: --color, else isatty(stdout) and NO_COLOR unset. */
bool ofd_cli_color(void);
/* A verdict word, colored when ofd_cli_color() (green equal, red
 * discrepancy and target-fault, yellow the rest). Rotating buffers. */
const char *ofd_cli_verdict(const char *word);

/* Print a JSON document on stdout (compact, or indented with -p) and drop
 * the reference. Returns 0 or -ENOMEM. */
int ofd_cli_json_print(json_t *j);

/* Say on stderr that a run compared nothing and return
 * OFD_EXIT_NOTHING_COMPARED: "offdiff: nothing compared: all 40 cases
 * skipped (kernel: CRC32c ...)", or with no cases at all, why (`why_none`,
 * e.g. "the corpus gave no cases"). reasons: "engine: reason; ...". */
int ofd_cli_nothing_compared(uint64_t ncases, const char *reasons, const char *why_none);

/* --out DIR of run and selfcheck: 0, or the one-line error printed and
 * OFD_EXIT_USAGE for an empty name (it would put the report in /) or a
 * path that exists and is not a directory. */
int ofd_cli_check_out(const char *dir);

/* ---- targets (targets.c) ----------------------------------------- */

struct ofd_spec;
/* A target a run names: `-t emu:short-tail`, `-t iface:port=a,peer=b`, or
 * a spec entry. label is the `-t` form (reports name targets by it). */
struct ofd_cli_target {
	char *engine, *profile, *label, *path; /* path: the profile's file */
	struct ofd_engine_param *params;
	size_t nparams;
	const char *base_dir; /* a spec entry's paths start at the spec */
	int line, col;        /* a spec entry's place */
};
/* 0, or -EINVAL with err naming a setting the engine does not take. */
int ofd_cli_target_parse(const char *arg, const char *profile_dir,
			 struct ofd_cli_target *t, char *err, size_t err_len);
int ofd_cli_target_from_spec(const struct ofd_spec *spec, size_t i,
			     struct ofd_cli_target *t, char *err, size_t err_len);
/* The options its engine opens with (pointing into t and spec). */
void ofd_cli_target_opts(const struct ofd_cli_target *t, const struct ofd_spec *spec,
			 struct ofd_engine_opts *eo);
void ofd_cli_target_free(struct ofd_cli_target *t);

/* ---- version (version.c) ----------------------------------------- */

/* "0.1 (4dcd466-dirty)": the release and `git describe` at build time. */
const char *ofd_cli_version(void);
void ofd_cli_version_print(FILE *f);

/* `offdiff bench`'s rss lines (bench_rss.c): Toeplitz rates, one budget
 * in seconds, against the memory bandwidth measured by the caller. */
void ofdint_bench_rss(double budget, double mem_gbs);
/* `offdiff bench`'s dissect line (bench_dissect.c): the model's flow
 * dissector over the bundled dissect corpus, one budget in seconds. */
void ofdint_bench_dissect(double budget);
/* `offdiff bench`'s dissect lines (bench_flowdis.c): the flow dissector's
 * native and BPF images, the BPF_PROG_TEST_RUN floor, the engines. */
void ofdint_bench_flowdis(double budget);

#endif
