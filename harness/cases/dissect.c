// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * dissect.c - turn corpus frames into dissect cases: one frame, dissected
 * under each input flag set of ofd_dissect_flag_sets (req.rx_flags), the
 * answer being the flow keys record (ofd_flow_keys.h). A frame shorter
 * than an Ethernet header has nothing to dissect (BPF_PROG_TEST_RUN
 * refuses it, eth_get_headlen dissects nothing) and is skipped.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ofd_dissect_cases.h"
#include "ofd_offload.h"
#include "ofd_pktbuild.h"
#include "ofd_randcase.h"
#include "ofd_rng.h"

const uint8_t ofd_dissect_flag_sets[OFD_DISSECT_NFLAG_SETS] = {
	0,
	OFD_FK_F_STOP_AT_FLOW_LABEL,
	OFD_FK_F_PARSE_1ST_FRAG,
	OFD_FK_F_STOP_AT_ENCAP,
	OFD_FK_F_PARSE_1ST_FRAG | OFD_FK_F_STOP_AT_FLOW_LABEL | OFD_FK_F_STOP_AT_ENCAP,
};

static int dissect_derive(const struct ofd_corpus *corpus, unsigned int requests,
			  const struct ofd_spec *spec, struct ofd_caseset *set,
			  char *err, size_t err_len)
{
	(void)err;
	(void)err_len;
	return ofd_caseset_frames(corpus, requests, spec, OFD_OFFLOAD_DISSECT,
				  ofd_dissect_flag_sets, OFD_DISSECT_NFLAG_SETS, 0, set);
}

/*
 * Random case (seed, index): half the tx-csum generator's random frames
 * (every L2/L3/L4 mix, tunnels, extension-header chains, and its own
 * truncated, short and garbage frames), half a corpus frame of this
 * offload (MPLS, PPPoE, GRE v1, fragments, the header limit...), a third
 * of those cut at a random length and an eighth with a random byte
 * flipped in the first 64; the input flags are any of the 8 combinations.
 */
static int dissect_random(uint64_t seed, uint64_t index, uint8_t *buf, uint32_t cap,
			  struct ofd_pkt *pkts, unsigned int maxpkts, struct ofd_case *c)
{
	struct ofd_rng r = { ofd_rng_mix64(seed ^ ofd_rng_mix64(index + 0xd15ec7)) };
	char desc[112];
	struct ofd_pktb b;
	int err;

	if (!maxpkts)
		return -EINVAL;
	if (ofd_rng_chance(&r, 50)) {
		err = ofd_randcase_make(seed, index, OFD_OFFLOAD_TX_CSUM, buf, cap, pkts, c);
		if (err)
			return err;
	} else {
		ofd_pktb_init(&b, buf, cap);
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
		if (ofd_rng_chance(&r, 33) && b.len > 14)
			pkts[0].len = 14 + ofd_rng_below(&r, b.len - 14);
		if (ofd_rng_chance(&r, 12))
			buf[ofd_rng_below(&r, pkts[0].len < 64 ? pkts[0].len : 64)] ^=
				(uint8_t)(1u << ofd_rng_below(&r, 8));
	}
	memset(&c->req, 0, sizeof(c->req));
	c->req.kind = OFD_REQ_VNET;
	c->req.rx_flags = (uint8_t)ofd_rng_below(&r, 8);
	c->id = index;
	c->offload = OFD_OFFLOAD_DISSECT;
	c->npkts = 1;
	c->pkts = pkts;
	c->src_file = NULL;
	c->src_index = 0;
	return 0;
}

extern const struct ofd_corpus_scenario ofd_dissect_scenarios[OFD_DISSECT_GEN__NFILES];

const struct ofd_offload_cases ofd_cases_dissect = {
	.requests = 1u << OFD_REQ_VNET,
	.derive = dissect_derive,
	/* one frame out: the keys record */
	.max_output_bytes = OFD_FLOW_KEYS_LEN,
	.random = dissect_random,
	.scenarios = ofd_dissect_scenarios,
	.nscenarios = OFD_DISSECT_GEN__NFILES,
};
