/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_cli.h - `offdiff <object> <verb>` dispatch and exit codes.
 */
#ifndef OFD_CLI_H
#define OFD_CLI_H

#include <stdint.h>

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
};

struct ofd_cmd {
	const char *name;
	int (*fn)(int argc, char **argv); /* argv[0] is the verb */
	const char *help;                 /* "gen [--out DIR]: write ..." */
};

/* Prefix-match argv[0] against cmds (ambiguous prefixes are errors) and
 * run it. `object` names the object in messages. Returns an exit code. */
int ofd_cmd_dispatch(const char *object, const struct ofd_cmd *cmds,
		     int argc, char **argv);

/* Print "offdiff: <msg>" to stderr (one line). */
void ofd_cli_err(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Say on stderr that a run compared nothing and return
 * OFD_EXIT_NOTHING_COMPARED: "offdiff: nothing compared: all 40 cases
 * skipped (kernel: CRC32c ...)", or with no cases at all, why (`why_none`,
 * e.g. "the corpus gave no cases"). reasons: "engine: reason; ...". */
int ofd_cli_nothing_compared(uint64_t ncases, const char *reasons, const char *why_none);

/* Object entry points (one file per command in harness/cli/); argv[0] is the object name. */
int ofd_cmd_run(int argc, char **argv);
int ofd_cmd_replay(int argc, char **argv);
int ofd_cmd_corpus(int argc, char **argv);
int ofd_cmd_engine(int argc, char **argv);
int ofd_cmd_profile(int argc, char **argv);
int ofd_cmd_selfcheck(int argc, char **argv);
int ofd_cmd_bench(int argc, char **argv);
int ofd_cmd_report(int argc, char **argv);

#endif
