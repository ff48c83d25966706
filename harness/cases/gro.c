// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * gro.c - turn corpus frames into gro cases: every train of the corpus
 * (runs of frames split by timestamp gaps, ofd_gro.h) becomes one case,
 * its NAPI batch boundaries marked OFD_PKT_F_FLUSH_AFTER.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ofd_gro.h"
#include "ofd_offload.h"
#include "ofd_spec.h"

enum ofd_gro_gap ofd_gro_gap(const struct ofd_corpus_pkt *prev,
			     const struct ofd_corpus_pkt *next, uint32_t train_len,
			     const struct ofd_spec *spec)
{
	uint64_t gap, flush_gap = OFD_GRO_FLUSH_GAP_US, train_gap = OFD_GRO_TRAIN_GAP_US;

	if (spec && spec->gro_flush_gap_us)
		flush_gap = spec->gro_flush_gap_us;
	if (spec && spec->gro_train_gap_us)
		train_gap = spec->gro_train_gap_us;
	/* Another capture, a clock that went back or a full train: the
	 * train ends, whatever the gap says. */
	if (prev->file != next->file || next->ts_us < prev->ts_us ||
	    train_len >= OFD_GRO_MAX_TRAIN)
		return OFD_GRO_NEW_TRAIN;
	gap = next->ts_us - prev->ts_us;
	if (gap >= train_gap)
		return OFD_GRO_NEW_TRAIN;
	return gap >= flush_gap ? OFD_GRO_FLUSH : OFD_GRO_SAME_BATCH;
}

uint64_t ofd_gro_pkt_ts(const struct ofd_pkt *pkts, uint32_t i)
{
	uint64_t ts = 0;
	uint32_t k;

	for (k = 0; k < i; k++)
		ts += pkts[k].flags & OFD_PKT_F_FLUSH_AFTER ? OFD_GRO_GEN_FLUSH_US :
							      OFD_GRO_GEN_STEP_US;
	return ts;
}

void ofd_gro_train_flags(const struct ofd_corpus *c, struct ofd_pkt *pkts)
{
	uint32_t i;

	for (i = 0; i < c->npkts; i++)
		pkts[i].flags = i + 1 == c->npkts ||
				ofd_gro_gap(&c->pkts[i], &c->pkts[i + 1], 1, NULL) !=
					OFD_GRO_SAME_BATCH ? OFD_PKT_F_FLUSH_AFTER : 0;
}

static int gro_derive(const struct ofd_corpus *corpus, unsigned int requests,
		      const struct ofd_spec *spec, struct ofd_caseset *set,
		      char *err, size_t err_len)
{
	size_t bytes = 0, used = 0;
	uint32_t i, first = 0, n = 0;

	(void)err;
	(void)err_len;
	for (i = 0; i < corpus->npkts; i++)
		bytes += corpus->pkts[i].len;
	if (ofd_caseset_prepare(set, (size_t)corpus->npkts + 1,
				(size_t)corpus->npkts + 1, bytes + 1))
		return -ENOMEM;
	if (!(requests & (1u << OFD_REQ_VNET))) {
		/* A gro case has no request to vary: every frame skipped. */
		set->skipped = corpus->npkts;
		set->ncases = 0;
		set->nbytes = 0;
		return 0;
	}
	for (i = 0; i < corpus->npkts; i++) {
		const struct ofd_corpus_pkt *pk = &corpus->pkts[i];
		struct ofd_pkt *op = &set->pkts[i];
		enum ofd_gro_gap gap = OFD_GRO_NEW_TRAIN;
		struct ofd_case *c;

		memcpy(set->bytes + used, pk->data, pk->len);
		op->data = set->bytes + used;
		op->len = pk->len;
		op->flags = 0;
		used += pk->len;
		if (i + 1 < corpus->npkts)
			gap = ofd_gro_gap(pk, &corpus->pkts[i + 1], i - first + 1, spec);
		if (gap == OFD_GRO_SAME_BATCH)
			continue;
		op->flags = OFD_PKT_F_FLUSH_AFTER;
		if (gap == OFD_GRO_FLUSH)
			continue;
		/* Frames first..i are a train. */
		c = &set->cases[n];
		memset(c, 0, sizeof(*c));
		c->req.kind = OFD_REQ_VNET;
		ofd_overrides_apply(spec, corpus->files[corpus->pkts[first].file],
				    corpus->pkts[first].index, OFD_REQ_VNET, &c->req);
		c->id = n;
		c->offload = OFD_OFFLOAD_GRO;
		c->npkts = i - first + 1;
		c->pkts = &set->pkts[first];
		c->src_file = corpus->files[corpus->pkts[first].file];
		c->src_index = corpus->pkts[first].index;
		n++;
		first = i + 1;
	}
	set->ncases = n;
	set->nbytes = used;
	return 0;
}

/* corpus_gro.c */
extern const struct ofd_corpus_scenario ofd_gro_scenarios[OFD_GRO_GEN__NFILES];

const struct ofd_offload_cases ofd_cases_gro = {
	.requests = 1u << OFD_REQ_VNET,
	.derive = gro_derive,
	/* At most one frame out per frame in, and GRO only takes headers
	 * away: a train's output is at most its input, OFD_GRO_MAX_TRAIN
	 * frames of at most 64 KB and their headers (an aggregate is an IP
	 * datagram of at most 65535 bytes, kernel-rx.md 1.7). Reserved
	 * address space, committed as written (run/result.c). */
	.max_output_bytes = OFD_GRO_MAX_TRAIN * (65536u + 512u),
	.random = ofd_gro_random,
	.scenarios = ofd_gro_scenarios,
	.nscenarios = OFD_GRO_GEN__NFILES,
};
