// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * bench_dissect.c - `offdiff bench`'s flow dissector line: the model's
 * __skb_flow_dissect (oracles/model/dissect.c, ofd_model_dissect) over
 * the bundled dissect corpus (every header it walks, and every cut of
 * one frame per header kind), under each input flag set the cases use,
 * in dissects per second on one core. The function alone, not the
 * engine: no result slots, no diff, so it is the rate any caller (rss,
 * a campaign's model engine) can at most get.
 */
#include <stdio.h>

#include "ofd.h"
#include "ofd_cli.h"
#include "ofd_dissect.h"
#include "ofd_dissect_cases.h"
#include "ofd_pcap.h"
#include "ofd_run.h"
#include "ofd_spec.h"

static volatile uint32_t dissect_sink;

/* Dissects per second over the frames of @c, every flag set. */
static double dissect_rate(const struct ofd_corpus *c, double budget, double *good_share)
{
	double t0 = ofd_now(), el;
	struct ofd_flow_keys k;
	uint64_t n = 0, g = 0;
	uint32_t i, f, h = 0;

	do {
		for (i = 0; i < c->npkts; i++)
			for (f = 0; f < OFD_DISSECT_NFLAG_SETS; f++) {
				if (ofd_model_dissect(c->pkts[i].data, c->pkts[i].len,
						      ofd_dissect_flag_sets[f], &k))
					continue;
				h ^= k.thoff ^ k.sport;
				g += k.status == OFD_FK_GOOD;
				n++;
			}
		el = ofd_now() - t0;
	} while (el < budget);
	dissect_sink = h;
	*good_share = n ? (double)g / (double)n : 0;
	return n ? (double)n / el : 0;
}

void ofdint_bench_dissect(double budget)
{
	static const struct {
		const char *file, *what;
	} files[] = {
		{ "corpus/dissect/headers.pcap", "whole frames (headers.pcap)" },
		{ "corpus/dissect/truncated.pcap", "every cut (truncated.pcap)" },
	};
	char path[4096], err[256];
	unsigned int i;

	printf("\ndissect, the model's flow dissector over the bundled dissect corpus, one core:\n");
	for (i = 0; i < OFD_ARRAY_SIZE(files); i++) {
		struct ofd_corpus corpus = { 0 };
		double good = 0, rate;

		if (ofd_datadir_find(files[i].file, path, sizeof(path)) ||
		    ofd_corpus_load(&corpus, path, err, sizeof(err))) {
			printf("  %-28s unavailable: %s not found\n", files[i].what, files[i].file);
			ofd_corpus_free(&corpus);
			continue;
		}
		rate = dissect_rate(&corpus, budget / 2, &good);
		printf("  %-28s %5u frames x %u flag sets %12.0f dissects/s (%.0f%% good)\n",
		       files[i].what, corpus.npkts, OFD_DISSECT_NFLAG_SETS, rate, 100.0 * good);
		ofd_corpus_free(&corpus);
	}
}
