// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * log.c - library diagnostics through a replaceable callback (libbpf's
 * libbpf_set_print). The default prints to stderr up to the level in
 * OFD_LOG_LEVEL (warn, info, debug; default warn).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"

__attribute__((format(printf, 2, 0)))
static void default_print(enum ofd_log_level lvl, const char *fmt, va_list ap)
{
	static int max = -1;

	if (max < 0) {
		const char *e = getenv("OFD_LOG_LEVEL");

		max = OFD_WARN;
		if (e && !strcmp(e, "info"))
			max = OFD_INFO;
		else if (e && !strcmp(e, "debug"))
			max = OFD_DEBUG;
	}
	if ((int)lvl <= max)
		vfprintf(stderr, fmt, ap);
}

static ofd_print_fn print_fn = default_print;

ofd_print_fn ofd_set_print(ofd_print_fn fn)
{
	ofd_print_fn old = print_fn;

	print_fn = fn ? fn : default_print;
	return old;
}

void ofd_pr(enum ofd_log_level lvl, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	print_fn(lvl, fmt, ap);
	va_end(ap);
}
