/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_cli.h - `offdiff <object> <verb>` dispatch and exit codes.
 */
#ifndef OFD_CLI_H
#define OFD_CLI_H

/* Exit codes scripts can trust. */
enum {
	OFD_EXIT_EQUAL = 0,       /* every case equal (or skipped) */
	OFD_EXIT_DISCREPANCY = 1, /* at least one discrepancy */
	OFD_EXIT_USAGE = 2,       /* bad input or usage */
	OFD_EXIT_UNAVAILABLE = 3, /* an engine cannot run here */
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
