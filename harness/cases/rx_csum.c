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
	static const uint8_t no_flags[1] = { 0 };

	(void)err;
	(void)err_len;
	/* each frame a batch of its own: the receive path judges it alone */
	return ofd_caseset_frames(corpus, requests, spec, OFD_OFFLOAD_RX_CSUM, no_flags, 1,
				  OFD_PKT_F_FLUSH_AFTER, set);
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
