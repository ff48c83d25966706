/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * explain_gro_internal.h - the gro judge's state, shared by explain_gro.c
 * (mapping, flush patterns, rule rebuilds) and explain_gro_reseg.c (the
 * packets a merged frame gives back through the tso model).
 */
#ifndef EXPLAIN_GRO_INTERNAL_H
#define EXPLAIN_GRO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ofd.h"


#define GJ_MAX_PKTS 256u  /* the longest train judged (cases: 128) */
#define GJ_MAX_FRAMES 512u
#define GJ_ARENA (4u << 20)

struct tcpi {
	bool tcp;
	uint8_t v;       /* IP version */
	uint16_t nh, th, poff;
	uint32_t plen, seq;
};

struct gj {
	const struct ofd_case *c;
	const struct ofd_result *tgt;
	uint32_t n, tn;
	struct tcpi in[GJ_MAX_PKTS];
	int16_t owner[GJ_MAX_PKTS];     /* target frame covering packet i */
	int16_t first[GJ_MAX_FRAMES];   /* its first packet, -1 unmapped */
	int16_t last[GJ_MAX_FRAMES];
	uint16_t cnt[GJ_MAX_FRAMES];    /* packets it covers */
	uint16_t run[GJ_MAX_PKTS];      /* scratch: one frame's packets */
	struct ofd_pkt alt[GJ_MAX_PKTS];
	struct ofd_result *r;           /* rebuilds */
	struct ofd_result *seg;         /* re-segmentation */
	char where[96];                 /* "train 3 (tcp4.pcap 12)" */
};

/* The TCP frame at d, len bytes: t->tcp false when it is none. */
void gro_tcp_info(const uint8_t *d, uint32_t len, struct tcpi *t);
/* Re-segment target frame f (bytes tb) with the tso model: 0 when it
 * gives back the packets it covers, else 1 with the first differing
 * segment and field in out. */
int gro_reseg(struct gj *g, uint32_t f, const uint8_t *tb, char *out, size_t len);

static inline uint32_t gro_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static inline const uint8_t *gro_pkt(const struct gj *g, uint32_t i)
{
	return g->c->pkts[i].data;
}

#endif
