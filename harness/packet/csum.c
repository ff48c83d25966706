// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * csum.c - RFC 1071 ones'-complement sums, pseudo-headers and CRC32c.
 *
 * The sum is byte-order independent (RFC 1071 section 2(B)): we add the
 * buffer as host-order 32-bit words into a 64-bit accumulator, fold, and
 * swap the 16-bit result once at the end when the host is little endian.
 * Adding 32-bit words into 64 bits cannot overflow for any buffer below
 * 2^34 bytes, so the inner loop has no carry handling and the compiler can
 * vectorise it.
 */
#include <string.h>

#include "ofd_csum.h"

static inline uint32_t fold64(uint64_t s)
{
	s = (s & 0xffffffffu) + (s >> 32);
	s = (s & 0xffffffffu) + (s >> 32);
	return (uint32_t)s;
}

static inline uint16_t host_fold16(uint64_t s)
{
	uint32_t v = fold64(s);

	v = (v & 0xffff) + (v >> 16);
	v = (v & 0xffff) + (v >> 16);
	return (uint16_t)v;
}

/* gcc: vectorise this loop hard, and clone it for AVX2 (picked at load
 * time by an ifunc). Clang (fuzz builds) gets the plain loop. */
#if defined(__GNUC__) && !defined(__clang__) && defined(__x86_64__)
#define OFD_HOT_LOOP __attribute__((optimize("O3", "unroll-loops"), target_clones("avx2", "default")))
#else
#define OFD_HOT_LOOP
#endif

OFD_HOT_LOOP
static uint64_t sum_words(const uint8_t *p, size_t n32)
{
	uint64_t a = 0, b = 0;
	size_t i = 0;

	/* Two independent accumulators keep two adders busy. */
	for (; i + 2 <= n32; i += 2) {
		uint32_t w0, w1;

		memcpy(&w0, p + 4 * i, 4);
		memcpy(&w1, p + 4 * i + 4, 4);
		a += w0;
		b += w1;
	}
	if (i < n32) {
		uint32_t w;

		memcpy(&w, p + 4 * i, 4);
		a += w;
	}
	return a + b;
}

/* Short buffers (headers, small frames) skip the vectorised clone: the
 * call through the ifunc costs more than the loop. */
static inline uint64_t sum_words_short(const uint8_t *p, size_t n32)
{
	uint64_t a = 0, b = 0;
	size_t i = 0;

	/* 8 bytes a load, halves into two independent accumulators */
	for (; i + 2 <= n32; i += 2) {
		uint64_t w;

		memcpy(&w, p + 4 * i, 8);
		a += w & 0xffffffffu;
		b += w >> 32;
	}
	if (i < n32) {
		uint32_t w;

		memcpy(&w, p + 4 * i, 4);
		a += w;
	}
	return a + b;
}

uint32_t ofd_csum_partial(const void *buf, size_t len, uint32_t sum)
{
	const uint8_t *p = buf;
	size_t done = len & ~(size_t)3;
	uint64_t acc = len < 256 ? sum_words_short(p, len / 4) : sum_words(p, len / 4);
	uint8_t tail[4] = { 0, 0, 0, 0 };
	uint32_t w;
	uint16_t r;

	/* The tail keeps its position in the word: an odd last byte is the
	 * high (first) byte of a big-endian word padded with zero. */
	switch (len - done) {
	case 3:
		tail[2] = p[done + 2];
		/* fall through */
	case 2:
		tail[1] = p[done + 1];
		/* fall through */
	case 1:
		tail[0] = p[done];
	}
	memcpy(&w, tail, 4);
	acc += w;
	r = host_fold16(acc);
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
	r = (uint16_t)(r << 8 | r >> 8);
#endif
	return ofd_csum_add(sum, r);
}

uint32_t ofd_pseudo_v4(const uint8_t saddr[4], const uint8_t daddr[4],
		       uint32_t len, uint8_t proto)
{
	uint32_t s = 0;

	s += (uint32_t)(saddr[0] << 8 | saddr[1]) + (uint32_t)(saddr[2] << 8 | saddr[3]);
	s += (uint32_t)(daddr[0] << 8 | daddr[1]) + (uint32_t)(daddr[2] << 8 | daddr[3]);
	s += proto;
	s = ofd_csum_add(s, len);
	return s;
}

uint32_t ofd_pseudo_v6(const uint8_t saddr[16], const uint8_t daddr[16],
		       uint32_t len, uint8_t proto)
{
	uint32_t s = 0;
	int i;

	for (i = 0; i < 16; i += 2) {
		s += (uint32_t)(saddr[i] << 8 | saddr[i + 1]);
		s += (uint32_t)(daddr[i] << 8 | daddr[i + 1]);
	}
	/* 32-bit upper-layer length: both halves count (RFC 8200 8.1). */
	s = ofd_csum_add(s, (len >> 16) + (len & 0xffff));
	s = ofd_csum_add(s, proto);
	return s;
}

/* Slicing-by-8 tables, built once: 8 KiB, far faster than bytewise. */
static uint32_t crc32c_tab[8][256];
#if defined(__x86_64__)
/* Register shift over CRC_LANE zero bytes, by byte (see crc32c_sse42). */
#define CRC_LANE 1024
static uint32_t crc32c_shift_tab[4][256];
#endif

__attribute__((constructor)) static void crc32c_init(void)
{
	uint32_t i, j, c;

	for (i = 0; i < 256; i++) {
		c = i;
		for (j = 0; j < 8; j++)
			c = (c >> 1) ^ ((c & 1) ? 0x82F63B78u : 0);
		crc32c_tab[0][i] = c;
	}
	for (i = 0; i < 256; i++)
		for (j = 1; j < 8; j++)
			crc32c_tab[j][i] = (crc32c_tab[j - 1][i] >> 8) ^
					   crc32c_tab[0][crc32c_tab[j - 1][i] & 0xff];
#if defined(__x86_64__)
	{
		/* shift of each single-bit register value over CRC_LANE zero
		 * bytes, then the byte tables by linearity */
		uint32_t bit[32], k;

		for (k = 0; k < 32; k++) {
			c = 1u << k;
			for (j = 0; j < CRC_LANE; j++)
				c = (c >> 8) ^ crc32c_tab[0][c & 0xff];
			bit[k] = c;
		}
		for (k = 0; k < 4; k++)
			for (i = 0; i < 256; i++) {
				c = 0;
				for (j = 0; j < 8; j++)
					if (i & (1u << j))
						c ^= bit[8 * k + j];
				crc32c_shift_tab[k][i] = c;
			}
	}
#endif
}

#if defined(__x86_64__)
/*
 * SSE4.2 has a CRC32c instruction (the Castagnoli polynomial, which is
 * why SCTP and iSCSI picked it). One instruction has a latency of three
 * cycles but a throughput of one, so long buffers run three independent
 * lanes over consecutive LANE-byte stretches and join them with the CRC's
 * linearity: crc(A|B, r) = shift(crc(A, r), |B|) ^ crc(B, 0), where shift
 * advances the register over |B| zero bytes (a fixed linear map for a
 * fixed |B|, tabulated once in crc32c_init).
 */
static uint32_t crc32c_shift_lane(uint32_t v)
{
	return crc32c_shift_tab[0][v & 0xff] ^ crc32c_shift_tab[1][(v >> 8) & 0xff] ^
	       crc32c_shift_tab[2][(v >> 16) & 0xff] ^ crc32c_shift_tab[3][v >> 24];
}

__attribute__((target("sse4.2")))
static uint32_t crc32c_sse42(uint32_t crc, const uint8_t *p, size_t len)
{
	uint64_t c = crc;

	while (len >= 3 * CRC_LANE) {
		uint64_t c1 = 0, c2 = 0;
		size_t i;

		for (i = 0; i < CRC_LANE; i += 8) {
			uint64_t w0, w1, w2;

			memcpy(&w0, p + i, 8);
			memcpy(&w1, p + CRC_LANE + i, 8);
			memcpy(&w2, p + 2 * CRC_LANE + i, 8);
			c = __builtin_ia32_crc32di(c, w0);
			c1 = __builtin_ia32_crc32di(c1, w1);
			c2 = __builtin_ia32_crc32di(c2, w2);
		}
		c = crc32c_shift_lane((uint32_t)c) ^ (uint32_t)c1;
		c = crc32c_shift_lane((uint32_t)c) ^ (uint32_t)c2;
		p += 3 * CRC_LANE;
		len -= 3 * CRC_LANE;
	}
	while (len >= 8) {
		uint64_t w;

		memcpy(&w, p, 8);
		c = __builtin_ia32_crc32di(c, w);
		p += 8;
		len -= 8;
	}
	crc = (uint32_t)c;
	while (len--)
		crc = __builtin_ia32_crc32qi(crc, *p++);
	return crc;
}
#endif

static uint32_t crc32c_table(uint32_t crc, const uint8_t *p, size_t len);

uint32_t ofd_crc32c(uint32_t crc, const void *buf, size_t len)
{
#if defined(__x86_64__)
	static int have_sse42 = -1;

	if (have_sse42 < 0)
		have_sse42 = __builtin_cpu_supports("sse4.2");
	if (have_sse42)
		return crc32c_sse42(crc, buf, len);
#endif
	return crc32c_table(crc, buf, len);
}

/* Portable slicing-by-8, and the reference the tests hold the
 * instruction to. */
static uint32_t crc32c_table(uint32_t crc, const uint8_t *p, size_t len)
{

	while (len >= 8) {
		uint32_t lo = crc ^ ((uint32_t)p[0] | (uint32_t)p[1] << 8 |
				     (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24);

		crc = crc32c_tab[7][lo & 0xff] ^ crc32c_tab[6][(lo >> 8) & 0xff] ^
		      crc32c_tab[5][(lo >> 16) & 0xff] ^ crc32c_tab[4][lo >> 24] ^
		      crc32c_tab[3][p[4]] ^ crc32c_tab[2][p[5]] ^
		      crc32c_tab[1][p[6]] ^ crc32c_tab[0][p[7]];
		p += 8;
		len -= 8;
	}
	while (len--)
		crc = (crc >> 8) ^ crc32c_tab[0][(crc ^ *p++) & 0xff];
	return crc;
}
