// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * main.c - the offdiff command line (see ofd_cli.h for the grammar and
 * `offdiff --help` or help.c for the commands).
 *
 * Exit codes: 0 all equal, 1 discrepancies, 2 bad input or usage,
 * 3 an engine is unavailable here, 4 nothing compared.
 */
#include <stdio.h>

#include "ofd_cli.h"

int main(int argc, char **argv)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	return ofd_cli_dispatch(argc, argv);
}
