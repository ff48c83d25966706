/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * explain_tso_internal.h - what the tso judge's two files share:
 * explain_tso.c (setup, the checksum arithmetic, hypotheses on the
 * kernel's own segments) and explain_tso_split.c (other splits of the
 * super-packet, for segment-count mismatches).
 */
#ifndef OFD_EXPLAIN_TSO_INTERNAL_H
#define OFD_EXPLAIN_TSO_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "ofd_parse.h"
#include "ofd_offload.h"

#define TCP_FIN 0x01
#define TCP_PSH 0x08
#define TCP_CWR 0x80

struct seg {
	uint8_t *b;
	uint32_t len;
};

struct tctx {
	const struct ofd_case *c;
	const uint8_t *in;
	uint32_t len;
	struct seg *ref, *tgt, *alt;
	uint32_t n, tn;
	uint8_t *altbuf;          /* room for alt segments */
	uint32_t altcap;
	struct ofd_parsed ps;     /* of ref[0] */
	int l4, l3, outer_udp, gre;
	bool tcp, gre_csum;
	uint32_t l4off, fld, hlen, mss;
	uint32_t seed_len;        /* the super-packet's length in the seed */
	char what[48];            /* filled by a hypothesis for its text */
};

static inline uint16_t rd16(const uint8_t *b, uint32_t off)
{
	return (uint16_t)(b[off] << 8 | b[off + 1]);
}

/* What a checksum computation changes beyond the bytes: pseudo-header
 * lengths and extra terms. 0 lengths: the segment's own. */
struct recalc {
	uint32_t l4_plen, o_plen;
	uint32_t add, sub;   /* added to / taken from the L4 sum */
	bool outer_stale;    /* outer UDP checksum left as the reference's */
};

static inline uint8_t flags_of(const struct tctx *t, const struct seg *s)
{
	return s->b[t->l4off + 13];
}

/* L4 checksum arithmetic (kernel-tx.md 5.2, 6.1): the kernel replaces the
 * super-packet's length in the seed by the segment's own. */
static inline bool l4_csum_case(const struct tctx *t)
{
	return t->c->req.vnet.gso_type != OFD_VNET_GSO_UDP &&
	       !(t->c->req.skb_gso & OFD_SKB_GSO_UDP);
}

/* Checksums of alt segment a from reference segment r (explain_tso.c). */
void tso_recalc(const struct tctx *t, const struct seg *r, struct seg *a,
		const struct recalc *rc);
/* Room for k alt segments of these lengths in t->alt. */
int tso_alt_room(struct tctx *t, uint32_t k, const uint32_t *lens);
/* The k alt segments equal the target's. */
bool tso_alt_matches(const struct tctx *t, uint32_t k);
/* Count-mismatch hypotheses (explain_tso_split.c): 0 with *e filled,
 * -ENOENT, -ENOMEM. */
int tso_try_count(struct tctx *t, struct ofd_explanation *e);

#endif
