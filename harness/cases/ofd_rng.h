/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_rng.h - the random case generators' randomness (random.c for
 * tx-csum, random_tso.c for tso): splitmix64 (Steele, Lea, Flood 2014),
 * seeded by the caller with a hash of (seed, index) so that a case depends
 * on nothing else.
 */
#ifndef OFD_RNG_H
#define OFD_RNG_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

struct ofd_rng {
	uint64_t s;
};

static inline uint64_t ofd_rng_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
	return z ^ (z >> 31);
}

static inline uint64_t ofd_rng_next(struct ofd_rng *r)
{
	r->s += 0x9e3779b97f4a7c15ull;
	return ofd_rng_mix64(r->s);
}

/* Uniform in [0, n) (Lemire's multiply-shift; the bias is < 2^-32). */
static inline uint32_t ofd_rng_below(struct ofd_rng *r, uint32_t n)
{
	return (uint32_t)(((ofd_rng_next(r) >> 32) * (uint64_t)n) >> 32);
}

static inline bool ofd_rng_chance(struct ofd_rng *r, uint32_t pct)
{
	return ofd_rng_below(r, 100) < pct;
}

/* An index drawn by weight. */
static inline unsigned int ofd_rng_pick(struct ofd_rng *r, const uint8_t *w,
					unsigned int n)
{
	uint32_t total = 0, x;
	unsigned int i;

	for (i = 0; i < n; i++)
		total += w[i];
	x = ofd_rng_below(r, total);
	for (i = 0; i + 1 < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}

static inline void ofd_rng_fill(struct ofd_rng *r, uint8_t *p, uint32_t n)
{
	while (n) {
		uint64_t v = ofd_rng_next(r);
		uint32_t k = n < 8 ? n : 8;

		memcpy(p, &v, k);
		p += k;
		n -= k;
	}
}

#endif /* OFD_RNG_H */
