/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * explain_gro_internal.h - the gro judge's state, shared by explain_gro.c
 * (flush patterns, rule rebuilds), explain_gro_map.c (what a frame's
 * merge unit is, which packets a target frame covers, field names) and
 * explain_gro_reseg.c (the packets a merged frame gives back through the
 * tso model).
 */
#ifndef EXPLAIN_GRO_INTERNAL_H
#define EXPLAIN_GRO_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ofd.h"
#include "ofd_parse.h"


#define GJ_MAX_PKTS 256u  /* the longest train judged (cases: 128) */
#define GJ_MAX_FRAMES 512u
#define GJ_ARENA (4u << 20)

/* The two levels a frame can be merged at: its innermost TCP/UDP header
 * (through VLAN tags, IPv6 extension headers, IP-in-IP, GRE and gretap,
 * VXLAN's inner Ethernet), or its outermost one when that differs (a
 * VXLAN datagram merged as UDP by an engine that does not decapsulate). */
enum { GJ_INNER = 0, GJ_OUTER = 1, GJ_LEVELS };

/* A frame's TCP or UDP header at one level. */
struct tcpi {
	bool ok;         /* a whole TCP/UDP header inside an IP header */
	uint8_t proto;   /* OFD_P_TCP or OFD_P_UDP */
	uint8_t v;       /* version of the IP header enclosing it */
	int8_t l4;       /* its index in the frame's layers */
	uint16_t nh, th, poff;
	uint32_t plen;   /* bytes after its header to the frame end */
	uint32_t seq;    /* TCP */
};

/* One frame, parsed (ofd_parse: the walk the diff names fields with). */
struct gjf {
	struct ofd_parsed p;
	struct tcpi lv[GJ_LEVELS];
};

struct gj {
	const struct ofd_case *c;
	const struct ofd_result *tgt;
	uint32_t n, tn;
	struct gjf in[GJ_MAX_PKTS];
	struct gjf *tf;                 /* the target's frames, tn of them */
	uint8_t *const *tb;             /* their bytes */
	int16_t owner[GJ_MAX_PKTS];     /* target frame covering packet i */
	int16_t first[GJ_MAX_FRAMES];   /* its first packet, -1 unmapped */
	int16_t last[GJ_MAX_FRAMES];
	uint16_t cnt[GJ_MAX_FRAMES];    /* packets it covers */
	uint8_t lvl[GJ_MAX_FRAMES];     /* the level it was mapped at */
	uint16_t run[GJ_MAX_PKTS];      /* scratch: one frame's packets */
	struct ofd_pkt alt[GJ_MAX_PKTS];
	struct ofd_result *r;           /* rebuilds */
	struct ofd_result *seg;         /* re-segmentation */
	char where[96];                 /* "train 3 (tcp4.pcap 12)" */
};

/* Frame d of len bytes parsed into f, both levels filled. */
void gro_frame_info(const uint8_t *d, uint32_t len, struct gjf *f);
/* Frames a and b belong to one flow at level lv: the same layers up to
 * its L4 header, and the same addresses, protocols, GRE key, VXLAN VNI,
 * inner MACs and ports on the way. */
bool gro_same_flow(const uint8_t *a, const struct gjf *fa, const uint8_t *b,
		   const struct gjf *fb, unsigned int lv);
/* Step 1 of the judge: which packets each target frame covers. */
void gro_map_frames(struct gj *g);
/* The field holding byte off of frame d, "ipv4.ttl", prefixed "outer " or
 * "inner " in a tunnelled frame; 0 or -ERANGE. */
int gro_field_name(const uint8_t *d, uint32_t len, const struct ofd_parsed *p,
		   uint32_t off, char *out, size_t outlen);
/* "outer ", "inner " or "" for layer i of p. */
const char *gro_level_name(const struct ofd_parsed *p, int i);
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

/* Packet i's header at the level target frame f was mapped at. */
static inline const struct tcpi *gro_in_at(const struct gj *g, uint32_t i, uint32_t f)
{
	return &g->in[i].lv[g->lvl[f]];
}

#endif
