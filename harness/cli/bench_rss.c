// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * bench_rss.c - `offdiff bench`'s receive-steering lines: the Toeplitz
 * hash (oracles/model/toeplitz.c) per IPv4 and IPv6 4-tuple, the
 * definition (bit by bit) beside the per-key byte tables a campaign uses,
 * and the table form's input bytes per second against the memory read
 * bandwidth measured in the same run; then the rss model per received
 * frame (ofd_rss_compute: the flow dissector, the flow type's field set,
 * Toeplitz with the tables, the indirection table) beside the dissector
 * alone, over the rss corpus's flows with their ports varied.
 */
#include <stdio.h>
#include <stdlib.h>

#include "ofd.h"
#include "ofd_cli.h"
#include "ofd_run.h"
#include "ofd_dissect.h"
#include "ofd_pktbuild.h"
#include "ofd_rss.h"
#include "ofd_rss_cases.h"
#include "ofd_toeplitz.h"

static volatile uint32_t rss_sink;

#define RSS_FLOWS 4096

/* Tuples of len bytes hashed per second by form (fast or definition). */
static double toeplitz_rate(const struct ofd_toeplitz *t, const uint8_t *tuples,
			    size_t len, bool fast, double budget)
{
	double t0 = ofd_now(), el;
	uint64_t n = 0;
	uint32_t h = 0;
	unsigned int i;

	do {
		for (i = 0; i < RSS_FLOWS; i++)
			h ^= fast ? ofd_toeplitz_fast(t, tuples + i * len, len)
				  : ofd_toeplitz(ofd_rss_key_microsoft, 40, tuples + i * len, len);
		n += RSS_FLOWS;
		el = ofd_now() - t0;
	} while (el < budget);
	rss_sink = h;
	return (double)n / el;
}

#define RSS_FRAME_CAP 256

/* Frames per second through the rss model (hash) or the dissector alone. */
static double model_rate(const struct ofd_rss_config *cfg, const uint8_t *frames,
			 const uint32_t *lens, unsigned int n, bool hash, double budget)
{
	double t0 = ofd_now(), el;
	struct ofd_flow_keys k;
	struct ofd_rss_out o;
	uint64_t done = 0;
	uint32_t h = 0;
	unsigned int i;

	do {
		for (i = 0; i < n; i++) {
			const uint8_t *f = frames + (size_t)i * RSS_FRAME_CAP;

			if (hash) {
				ofd_rss_compute(cfg, NULL, f, lens[i], &o);
				h ^= o.hash;
			} else {
				ofd_model_dissect(f, lens[i], 0, &k);
				h ^= k.thoff;
			}
		}
		done += n;
		el = ofd_now() - t0;
	} while (el < budget);
	rss_sink = h;
	return (double)done / el;
}

static void bench_rss_model(double budget)
{
	uint8_t *frames = malloc((size_t)RSS_FLOWS * RSS_FRAME_CAP);
	uint32_t *lens = malloc(RSS_FLOWS * sizeof(*lens));
	struct ofd_rss_config *cfg = malloc(sizeof(*cfg));
	struct ofd_toeplitz *t = malloc(sizeof(*t));
	unsigned int i, nk = 0, n = 0;
	char desc[112];
	struct ofd_pktb b;
	double dis, full;

	if (!frames || !lens || !cfg || !t)
		goto out;
	ofd_rss_config_default(cfg);
	if (ofd_toeplitz_init(t, cfg->key, cfg->keylen))
		goto out;
	cfg->fast = t;
	ofd_pktb_init(&b, frames, RSS_FRAME_CAP);
	while (!ofd_rss_frame(&b, nk, 0, desc, sizeof(desc)))
		nk++;
	for (i = 0; i < RSS_FLOWS && nk; i++) {
		ofd_pktb_init(&b, frames + (size_t)n * RSS_FRAME_CAP, RSS_FRAME_CAP);
		if (ofd_rss_frame(&b, i % nk, i / nk, desc, sizeof(desc)) || ofd_pktb_finish(&b))
			continue;
		lens[n++] = b.len;
	}
	if (!n)
		goto out;
	dis = model_rate(cfg, frames, lens, n, false, budget / 2);
	full = model_rate(cfg, frames, lens, n, true, budget / 2);
	printf("  model rss, %u frames of the rss corpus's %u flows (ports varied), one core:\n"
	       "    dissector alone %12.0f frames/s; dissect + field set + Toeplitz + queue %12.0f cases/s\n",
	       n, nk, dis, full);
out:
	free(t);
	free(cfg);
	free(lens);
	free(frames);
}

void ofdint_bench_rss(double budget, double mem_gbs)
{
	static const size_t lens[2] = { 12, 36 };
	struct ofd_toeplitz *t = malloc(sizeof(*t));
	uint8_t *tuples = malloc(RSS_FLOWS * 36);
	uint32_t s = 1;
	unsigned int i, k;

	if (!t || !tuples || ofd_toeplitz_init(t, ofd_rss_key_microsoft, 40)) {
		printf("\nrss: unavailable (out of memory)\n");
		goto out;
	}
	for (i = 0; i < RSS_FLOWS * 36; i++)
		tuples[i] = (uint8_t)((s = s * 1103515245u + 12345u) >> 16);
	printf("\nrss, Toeplitz over %u distinct 4-tuples (Microsoft's 40-byte key), one core:\n",
	       RSS_FLOWS);
	for (k = 0; k < 2; k++) {
		double def = toeplitz_rate(t, tuples, lens[k], false, budget / 2);
		double fast = toeplitz_rate(t, tuples, lens[k], true, budget / 2);

		printf("  %s tuple (%2zu B): definition %12.0f/s, byte tables %12.0f/s "
		       "(%.1fx; %.2f GB/s = %.3f of memory bandwidth)\n",
		       k ? "IPv6" : "IPv4", lens[k], def, fast, fast / def,
		       fast * (double)lens[k] / 1e9,
		       mem_gbs > 0 ? fast * (double)lens[k] / 1e9 / mem_gbs : 0.0);
	}
	bench_rss_model(budget);
out:
	free(tuples);
	free(t);
}
