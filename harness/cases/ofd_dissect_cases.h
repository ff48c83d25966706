/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_dissect_cases.h - what the dissect offload's case files share
 * (dissect.c: cases from corpus frames and random ones; dissect_corpus.c:
 * the bundled corpus) and what their tests reach.
 */
#ifndef OFD_DISSECT_CASES_H
#define OFD_DISSECT_CASES_H

#include <stddef.h>

#include "ofd.h"
#include "ofd_flow_keys.h"

struct ofd_pktb;

enum ofd_dissect_gen_file {
	OFD_DISSECT_GEN_HEADERS = 0,
	OFD_DISSECT_GEN_TRUNCATED,
	OFD_DISSECT_GEN__NFILES,
};

/*
 * The input flag sets every corpus frame is dissected under, each the
 * flags of a kernel caller (kernel-rx.md 5.2-5.3): 0 (flow_keys with no
 * flags: skb_flow_dissect_flow_keys(skb, keys, 0) callers such as fq and
 * flow_offload), STOP_AT_FLOW_LABEL (the skb hash, __skb_get_hash_net),
 * PARSE_1ST_FRAG (eth_get_headlen's flags), STOP_AT_ENCAP (the bonding
 * driver's xmit hash) and all three at once, since they interact (a
 * labelled IPv6 first fragment, a fragment carrying a tunnel).
 */
extern const uint8_t ofd_dissect_flag_sets[5];
#define OFD_DISSECT_NFLAG_SETS 5

/* Frame k of the corpus (dissect_corpus.c) into b, its description into
 * desc; -ENOENT past the last. */
int ofd_dissect_frame(struct ofd_pktb *b, unsigned int k, char *desc, size_t n);
/* How many frames ofd_dissect_frame() builds (counted once, building
 * them into b): the random generators' range. */
unsigned int ofd_dissect_nframes(struct ofd_pktb *b);

#endif
