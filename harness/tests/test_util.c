// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * test_util.c - helpers the Check suites share.
 *
 * The checksum here is the plain RFC 1071 loop, written once and kept
 * deliberately naive: tests hold csum.c and the engines to it, so it must
 * not share their code.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ofd_test.h"

uint32_t ofd_test_sum(const uint8_t *p, size_t n, uint32_t acc)
{
	size_t i;

	for (i = 0; i + 1 < n; i += 2)
		acc += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		acc += (uint32_t)p[n - 1] << 8;
	return acc;
}

uint16_t ofd_test_fold(uint32_t acc)
{
	while (acc >> 16)
		acc = (acc & 0xffff) + (acc >> 16);
	return (uint16_t)acc;
}

int ofd_test_run(char **text, bool merge_stderr, const char *fmt, ...)
{
	char cmd[2048], buf[4096];
	size_t n = 0, cap = 0;
	va_list ap;
	FILE *p;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	if (merge_stderr)
		strncat(cmd, " 2>&1", sizeof(cmd) - strlen(cmd) - 1);
	p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	*text = NULL;
	while (fgets(buf, sizeof(buf), p)) {
		size_t l = strlen(buf);

		if (n + l + 1 > cap) {
			cap = (cap + l + 1) * 2;
			*text = realloc(*text, cap);
			ck_assert_ptr_nonnull(*text);
		}
		memcpy(*text + n, buf, l + 1);
		n += l;
	}
	if (!*text)
		*text = strdup("");
	st = pclose(p);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}
