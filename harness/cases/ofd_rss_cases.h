/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_rss_cases.h - what the rss offload's case files share (rss.c:
 * cases from corpus frames and random ones; rss_corpus.c: the bundled
 * corpus) and what their tests reach.
 */
#ifndef OFD_RSS_CASES_H
#define OFD_RSS_CASES_H

#include <stddef.h>

struct ofd_pktb;

enum ofd_rss_gen_file {
	OFD_RSS_GEN_FLOWS = 0,
	OFD_RSS_GEN__NFILES,
};

/* Frame k of corpus/rss/flows.pcap (rss_corpus.c) into b, its
 * description into desc; -ENOENT past the last. Ports p1 -> p2 of a flow
 * are given by the caller's variant v (0 for the corpus): the random
 * generator draws v to spread flows over queues. */
int ofd_rss_frame(struct ofd_pktb *b, unsigned int k, unsigned int v, char *desc, size_t n);

#endif
