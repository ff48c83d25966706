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
	/* UDP (kernel-rx.md 2.2) */
	uint8_t udp_csum;   /* GRO_UCSUM_*: the flow's UDP checksum */
	int8_t ulen_delta;  /* the UDP length field off by this, the
			     * checksum still valid (ofd_gro_fixup) */
	uint8_t trailer;    /* zero bytes after the IP datagram (TCP, UDP) */
	bool evil;          /* the flow's IPv4 header: the reserved frag_off
			     * bit (IP marks S flush, 1.3) */
	/* VXLAN (3): each 0 is the family's default, else XORed into it */
	bool vx_csum;       /* the outer UDP checksum filled, not 0 */
	uint8_t vx_flags_x; /* the VXLAN flags byte (0x08) */
	uint32_t vni_x;     /* the VNI (42) */
	uint8_t imac_x;     /* the inner source MAC's last byte */
	uint16_t vx_sport_x; /* the outer UDP source port (40000) */
};

enum { GRO_UCSUM_FULL = 0, GRO_UCSUM_ZERO, GRO_UCSUM_BAD };

/* Segment s of family f into b (freshly initialised); b->err says how it
 * went, ofd_pktb_finish() is the caller's, then ofd_gro_fixup(). */
void ofd_gro_build(struct ofd_pktb *b, const struct fam *f, const struct seg *s);
/* What the builder's finish cannot leave as asked, after it: a UDP
 * length field off by s->ulen_delta, its checksum still valid over the
 * bytes as sent. */
void ofd_gro_fixup(struct ofd_pktb *b, const struct fam *f, const struct seg *s);

/* corpus_gro.c, for corpus_gro_udp.c: n segments of plen bytes of one
 * flow (ACK, window 65535, TTL 64), returns n; contiguous sequence
 * numbers from 1000 and IDs from 8; a train of n segments written as
 * "<family>/<rule>/<merge|apart> k/n" with its flush points. */
struct ofd_gen;
unsigned int ofd_gro_fill(struct seg *s, unsigned int n, uint32_t plen);
void ofd_gro_renumber(struct seg *s, unsigned int n);
int ofd_gro_emit_train(struct ofd_gen *g, const struct fam *f, const char *rule,
		       bool apart, const struct seg *s, unsigned int n);
/* corpus_gro_udp.c: udp.pcap and vxlan.pcap */
int ofd_gro_gen_udp(struct ofd_gen *g);
int ofd_gro_gen_vxlan(struct ofd_gen *g);

#endif
