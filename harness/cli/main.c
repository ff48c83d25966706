// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * main.c - the offdiff command line.
 *
 *   offdiff run [SPEC] [options]      run a campaign (default specs/default.yaml)
 *   offdiff replay CASE.yaml          re-run one reproducer from a report
 *   offdiff report list|show          read reports back
 *   offdiff selfcheck [options]       prove the model equal to the kernel
 *   offdiff corpus gen|stats          generate or describe corpora
 *   offdiff engine list               the engines this build knows
 *   offdiff profile list|show|check   emulator profiles
 *   offdiff bench                     throughput ratios
 *
 * Exit codes: 0 all equal, 1 discrepancies, 2 bad input or usage,
 * 3 an engine is unavailable here.
 */
#include <stdio.h>
#include <string.h>

#include "ofd_cli.h"

static int version(int argc, char **argv)
{
	printf("offdiff 0.1\n");
	return OFD_EXIT_EQUAL;
}

static const struct ofd_cmd objects[] = {
	{ "run", ofd_cmd_run, "run [SPEC] [--reference E] [--target E[:PROFILE]]... [--out DIR]" },
	{ "replay", ofd_cmd_replay, "replay CASE.yaml" },
	{ "report", ofd_cmd_report, "report list|show [RUN_DIR]" },
	{ "selfcheck", ofd_cmd_selfcheck, "selfcheck [--offload X] [--random N --seed S]" },
	{ "corpus", ofd_cmd_corpus, "corpus gen|stats ..." },
	{ "engine", ofd_cmd_engine, "engine list" },
	{ "profile", ofd_cmd_profile, "profile list|show|check ..." },
	{ "bench", ofd_cmd_bench, "bench [--quick]" },
	{ "version", version, "version" },
	{ NULL, NULL, NULL },
};

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	return ofd_cmd_dispatch("", objects, argc - 1, argv + 1);
}
