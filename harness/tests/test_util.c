// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * test_util.c - helpers the Check suites share.
 *
 * The checksum here is the plain RFC 1071 loop, written once and kept
 * deliberately naive: tests hold csum.c and the engines to it, so it must
 * not share their code.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "ofd_pktbuild.h"
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

uint32_t ofd_test_bigtcp_hdrs(enum ofd_test_big shape)
{
	switch (shape) {
	case OFD_TEST_BIG_V4: return 14 + 20 + 20;
	case OFD_TEST_BIG_V6: return 14 + 40 + 8 + 20;
	default: return 14 + 20 + 8 + 8 + 14 + 40 + 8 + 20;
	}
}

int ofd_test_bigtcp(enum ofd_test_big shape, uint32_t len, uint8_t *buf,
		    uint32_t cap)
{
	uint32_t hdrs = ofd_test_bigtcp_hdrs(shape);
	struct ofd_pktb b;

	if (len < hdrs)
		return -EINVAL;
	ofd_pktb_init(&b, buf, cap);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	if (shape == OFD_TEST_BIG_V4) {
		ofd_pktb_biglen(&b, ofd_pktb_ipv4(&b, NULL));
	} else if (shape == OFD_TEST_BIG_V6) {
		ofd_pktb_ipv6(&b, NULL);
		ofd_pktb_jumbo(&b);
	} else {
		ofd_pktb_biglen(&b, ofd_pktb_ipv4(&b, NULL));
		ofd_pktb_biglen(&b, ofd_pktb_udp(&b, 49152, 4789));
		ofd_pktb_vxlan(&b, 42);
		ofd_pktb_eth(&b, NULL, NULL, 0);
		ofd_pktb_ipv6(&b, NULL);
		ofd_pktb_jumbo(&b);
	}
	ofd_pktb_tcp(&b, NULL);
	ofd_pktb_payload(&b, len - hdrs);
	return ofd_pktb_finish(&b);
}

void ofd_test_mkdtemp(char *buf, size_t len, const char *tag)
{
	const char *tmp = getenv("TMPDIR");
	int n = snprintf(buf, len, "%s/ofd-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp", tag);

	ck_assert_msg(n > 0 && (size_t)n < len, "scratch path for %s too long", tag);
	ck_assert_msg(mkdtemp(buf), "mkdtemp %s: %s", buf, strerror(errno));
}
