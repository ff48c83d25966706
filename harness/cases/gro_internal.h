/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * gro_internal.h - what gro's corpus scenarios (corpus_gro.c) and random
 * trains (random_gro.c) share: one segment of a train and its builder.
 */
#ifndef OFD_GRO_INTERNAL_H
#define OFD_GRO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ofd_pktbuild.h"

enum { T_NONE, T_IPIP, T_GRE, T_VXLAN };

/* A train's family: its headers up to the TCP or UDP flow. */
struct fam {
	const char *name;
	uint8_t outer; /* 0 none, 4 or 6 */
	uint8_t tun;   /* T_* */
	uint8_t inner; /* 4 or 6: the IP header of the TCP/UDP flow */
	bool udp;
};

/* One segment of a train: the flow's fields, as a rule left them. */
struct seg {
	uint32_t plen, seq, ack;
	uint16_t sport, window, id, urg;
	uint8_t flags, tos, ttl;
	bool no_df, frag, bad_csum, flush_after;
	const uint8_t *topt;  /* TCP options, a multiple of 4 */
	uint8_t topt_len;
	const uint8_t *ipopt; /* IPv4 options of the inner header */
	uint8_t ipopt_len;
	uint8_t dstopt; /* IPv6: 0 none, else a DstOpts header with this byte */
};

/* Segment s of family f into b (freshly initialised); b->err says how it
 * went, ofd_pktb_finish() is the caller's. */
void ofd_gro_build(struct ofd_pktb *b, const struct fam *f, const struct seg *s);

#endif
