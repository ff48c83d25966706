// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rx_csum.c - rx-csum cases: every corpus frame is one received frame, and
 * the question is the checksum state its device reports (struct ofd_meta:
 * csum_state, csum_level, csum_value). There is no request to vary: the
 * reference answers with the state a correct device gives the frame
 * (oracles/model/rx_csum.c), a target with the state it gave it, and the
 * judge (harness/run/explain_rx_csum.c) says whether the claim is right.
 */
#include <errno.h>
#include <string.h>

#include "ofd_offload.h"
#include "ofd_spec.h"
#include "rx_csum_internal.h"

static int rx_csum_derive(const struct ofd_corpus *corpus, unsigned int requests,
			  const struct ofd_spec *spec, struct ofd_caseset *set,
			  char *err, size_t err_len)
{
	size_t bytes = 0, used = 0;
	uint32_t i;

	(void)err;
	(void)err_len;
	/* Frames are copied into the set, as every offload's cases are:
	 * the set owns what its cases point at. */
	for (i = 0; i < corpus->npkts; i++)
		bytes += corpus->pkts[i].len;
	if (ofd_caseset_prepare(set, (size_t)corpus->npkts + 1,
				(size_t)corpus->npkts + 1, bytes + 1))
		return -ENOMEM;
	set->nbytes = 0;
	if (!(requests & (1u << OFD_REQ_VNET))) {
		set->skipped = corpus->npkts;
		set->ncases = 0;
		return 0;
	}
	for (i = 0; i < corpus->npkts; i++) {
		const struct ofd_corpus_pkt *pk = &corpus->pkts[i];
		struct ofd_case *c = &set->cases[i];
		struct ofd_pkt *op = &set->pkts[i];

		memcpy(set->bytes + used, pk->data, pk->len);
		op->data = set->bytes + used;
		op->len = pk->len;
		used += pk->len;
		op->flags = OFD_PKT_F_FLUSH_AFTER;
		memset(c, 0, sizeof(*c));
		c->req.kind = OFD_REQ_VNET;
		ofd_overrides_apply(spec, corpus->files[pk->file], pk->index,
				    OFD_REQ_VNET, &c->req);
		c->id = i;
		c->offload = OFD_OFFLOAD_RX_CSUM;
		c->npkts = 1;
		c->pkts = op;
		c->src_file = corpus->files[pk->file];
		c->src_index = pk->index;
	}
	set->ncases = corpus->npkts;
	set->nbytes = used;
	return 0;
}


const struct ofd_offload_cases ofd_cases_rx_csum = {
	.requests = 1u << OFD_REQ_VNET,
	.derive = rx_csum_derive,
	/* The model and the emulator hand the input frame back by
	 * reference; an engine that reads the frame back (the kernel's tap,
	 * a device) builds one frame of at most 64 KB and its link header. */
	.max_output_bytes = 65536u + 512u,
	.random = ofd_rx_csum_random,
	.scenarios = ofd_rx_csum_scenarios,
	.nscenarios = OFD_RX_CSUM_NSCENARIOS,
};
