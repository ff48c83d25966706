/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * pktbuild_test_util.h - what check_pktbuild.c (the builders) and
 * check_pktbuild_finish.c (finishing and checksums) share: checksums
 * re-derived by plain 16-bit summation and a bitwise CRC32c, never through
 * ofd_csum.h, and the SRH segment list both build.
 */
#ifndef PKTBUILD_TEST_UTIL_H
#define PKTBUILD_TEST_UTIL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ofd_pktbuild.h"
#include "ofd_test.h"

/* ---- independent arithmetic -------------------------------------- */

static inline uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t crc32c_bitwise(const uint8_t *p, size_t n)
{
	uint32_t crc = 0xffffffffu;
	size_t i;
	int k;

	for (i = 0; i < n; i++) {
		crc ^= p[i];
		for (k = 0; k < 8; k++)
			crc = crc & 1 ? (crc >> 1) ^ 0x82f63b78u : crc >> 1;
	}
	return ~crc;
}

/* Pseudo-header sum from header bytes: RFC 768/793 for IPv4 (saddr at 12,
 * daddr at 16), RFC 8200 8.1 for IPv6 (saddr at 8, dst given). */
static inline uint32_t pseudo(const uint8_t *ip, const uint8_t *dst6,
			      uint32_t l4len, uint8_t proto)
{
	uint32_t acc;

	if (ip[0] >> 4 == 4) {
		acc = ofd_test_sum(ip + 12, 8, 0);
		return acc + proto + l4len;
	}
	acc = ofd_test_sum(ip + 8, 16, 0);
	acc = ofd_test_sum(dst6 ? dst6 : ip + 24, 16, acc);
	return acc + (l4len >> 16) + (l4len & 0xffff) + proto;
}

/* SRH segments: [0] is the final destination. */
static const uint8_t seg[3][16] = {
	{ 0x20, 0x01, 0x0d, 0xb8, [15] = 0x02 },
	{ 0x20, 0x01, 0x0d, 0xb8, 0, 5, [15] = 0x05 },
	{ 0x20, 0x01, 0x0d, 0xb8, 0, 6, [15] = 0x06 },
};

/* ---- stacks both build ------------------------------------------ */

/* L4 kinds of the matrix (check_pktbuild.c) and the zero-sum cases. */
enum { M_TCP, M_TCPOPT, M_UDP, M_SCTP, M_ICMP };

/* An IPv4 (id 7, with a timestamp option when opts) or IPv6 header. */
static inline void build_ip(struct ofd_pktb *b, bool v6, bool opts)
{
	struct ofd_pktb_ipv4_opts o = { .id = 7 };

	if (v6) {
		ofd_pktb_ipv6(b, NULL);
		return;
	}
	if (opts) {
		o.options = ofd_pktb_ipv4_opt_ts;
		o.options_len = 8;
	}
	ofd_pktb_ipv4(b, &o);
}

#endif
