// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rss.c - turn corpus frames into rss cases: one case per received frame,
 * the answer being its receive hash, hash type and queue (the record of
 * ofd_rss.h). The device's configuration (key, field sets, transform,
 * indirection table) is the engine's, not the case's: a case is only
 * the frame. A frame shorter than an Ethernet header has no tuple to
 * hash and is skipped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ofd_dissect_cases.h"
#include "ofd_offload.h"
#include "ofd_pktbuild.h"
#include "ofd_randcase.h"
#include "ofd_rng.h"
#include "ofd_rss.h"
#include "ofd_rss_cases.h"

static int rss_derive(const struct ofd_corpus *corpus, unsigned int requests,
		      const struct ofd_spec *spec, struct ofd_caseset *set,
		      char *err, size_t err_len)
{
	static const uint8_t no_flags[1] = { 0 };

	(void)err;
	(void)err_len;
	return ofd_caseset_frames(corpus, requests, spec, OFD_OFFLOAD_RSS, no_flags, 1, 0, set);
}

/* How many frames a corpus builder makes, counted once each. */
static unsigned int nrss(struct ofd_pktb *b)
{
	static unsigned int n;
	char d[112];

	if (!n)
		while (!ofd_rss_frame(b, n, 0, d, sizeof(d)))
			n++;
	return n;
}

/*
 * Random case (seed, index): 40 % the tx-csum generator's random frames
 * (every L2/L3/L4 mix, tunnels, extension-header chains, garbage), 40 %
 * an rss corpus flow with its ports moved by a random variant (so flows
 * reach every queue), 20 % a dissect corpus frame (every header the
 * dissector walks); a quarter of the corpus ones cut at a random length.
 */
static int rss_random(uint64_t seed, uint64_t index, uint8_t *buf, uint32_t cap,
		      struct ofd_pkt *pkts, unsigned int maxpkts, struct ofd_case *c)
{
	struct ofd_rng r = { ofd_rng_mix64(seed ^ ofd_rng_mix64(index + 0x7255)) };
	unsigned int pick = ofd_rng_below(&r, 100);
	char desc[112];
	struct ofd_pktb b;
	int err;

	if (!maxpkts)
		return -EINVAL;
	if (pick < 40) {
		err = ofd_randcase_make(seed, index, OFD_OFFLOAD_TX_CSUM, buf, cap, pkts, c);
		if (err)
			return err;
	} else {
		ofd_pktb_init(&b, buf, cap);
		if (pick < 80)
			err = ofd_rss_frame(&b, ofd_rng_below(&r, nrss(&b)),
					    ofd_rng_below(&r, 4096), desc, sizeof(desc));
		else
			err = ofd_dissect_frame(&b, ofd_rng_below(&r, ofd_dissect_nframes(&b)), desc,
						sizeof(desc));
		if (!err)
			err = ofd_pktb_finish(&b);
		if (err)
			return err;
		memset(c, 0, sizeof(*c));
		pkts[0].data = buf;
		pkts[0].len = b.len;
		pkts[0].flags = 0;
		if (ofd_rng_chance(&r, 25) && b.len > 14)
			pkts[0].len = 14 + ofd_rng_below(&r, b.len - 14);
	}
	memset(&c->req, 0, sizeof(c->req));
	c->req.kind = OFD_REQ_VNET;
	c->id = index;
	c->offload = OFD_OFFLOAD_RSS;
	c->npkts = 1;
	c->pkts = pkts;
	c->src_file = NULL;
	c->src_index = 0;
	return 0;
}

extern const struct ofd_corpus_scenario ofd_rss_scenarios[OFD_RSS_GEN__NFILES];

const struct ofd_offload_cases ofd_cases_rss = {
	.requests = 1u << OFD_REQ_VNET,
	.derive = rss_derive,
	/* one frame out: the hash record */
	.max_output_bytes = OFD_RSS_REC_LEN,
	.random = rss_random,
	.scenarios = ofd_rss_scenarios,
	.nscenarios = OFD_RSS_GEN__NFILES,
};
