/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * rx_csum_internal.h - what rx-csum's cases table (rx_csum.c) takes from
 * its frame generators (rx_csum_corpus.c): the bundled corpus scenarios
 * and random frames.
 */
#ifndef OFD_RX_CSUM_INTERNAL_H
#define OFD_RX_CSUM_INTERNAL_H

#include "ofd_offload.h"

#define OFD_RX_CSUM_NSCENARIOS 2
extern const struct ofd_corpus_scenario ofd_rx_csum_scenarios[OFD_RX_CSUM_NSCENARIOS];

/* Random case (seed, index): one frame of at most 1600 bytes in buf
 * (cap >= 1600), pkts[0]. 0 or -errno. */
int ofd_rx_csum_random(uint64_t seed, uint64_t index, uint8_t *buf, uint32_t cap,
		       struct ofd_pkt *pkts, unsigned int maxpkts, struct ofd_case *c);

#endif
