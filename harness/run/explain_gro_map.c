// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * explain_gro_map.c - the gro judge's step 1: which input packets each
 * target frame covers, through every header chain the GRO model walks
 * (kernel-rx.md 1, 3): VLAN tags, IPv4 and IPv6 with extension headers,
 * IP-in-IP and SIT, GRE with a key or a checksum and gretap's inner
 * Ethernet, VXLAN's inner Ethernet, and UDP. Frames are walked with the
 * packet parser (ofd_parse.h), the one the diff names fields with, so a
 * merge unit and a field name come from the same layers.
 *
 * A frame maps at its innermost TCP/UDP header, or else at its outermost
 * one (an engine that merges VXLAN datagrams as UDP without looking
 * inside). TCP runs are found by sequence number and payload length, so a
 * payload byte changed inside a merge still maps (and re-segmentation
 * then finds it); UDP has no sequence number: a run starts at the first
 * datagram whose payload opens the frame's.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "explain_gro_internal.h"

static bool is_ip(uint8_t proto)
{
	return proto == OFD_P_IPV4 || proto == OFD_P_IPV6;
}

/* The TCP/UDP header at layer l4 of frame d, into t (t->ok false when it
 * is none a merge can be made of). */
static void level_info(const uint8_t *d, uint32_t len, const struct ofd_parsed *p,
		       int l4, struct tcpi *t)
{
	const struct ofd_layer *l;
	int ip;

	memset(t, 0, sizeof(*t));
	if (l4 < 0)
		return;
	l = &p->layer[l4];
	if (l->proto != OFD_P_TCP && l->proto != OFD_P_UDP)
		return;
	/* the IP header that carries it: the last one of its depth */
	for (ip = l4 - 1; ip >= 0 && p->layer[ip].depth == l->depth; ip--)
		if (is_ip(p->layer[ip].proto))
			break;
	if (ip < 0 || p->layer[ip].depth != l->depth || !is_ip(p->layer[ip].proto))
		return;
	if (l->off + l->len > len || l->off + l->len > UINT16_MAX ||
	    (l->proto == OFD_P_TCP && l->len < 20) || (l->proto == OFD_P_UDP && l->len != 8))
		return;
	t->ok = true;
	t->proto = l->proto;
	t->v = p->layer[ip].proto == OFD_P_IPV4 ? 4 : 6;
	t->l4 = (int8_t)l4;
	t->nh = (uint16_t)p->layer[ip].off;
	t->th = (uint16_t)l->off;
	t->poff = (uint16_t)(l->off + l->len);
	t->plen = len - t->poff;
	if (l->proto == OFD_P_TCP)
		t->seq = gro_be32(d + l->off + 4);
}

void gro_frame_info(const uint8_t *d, uint32_t len, struct gjf *f)
{
	ofd_parse(d, len, 0, &f->p);
	level_info(d, len, &f->p, f->p.l4, &f->lv[GJ_INNER]);
	if (f->p.outer_l4 != f->p.l4)
		level_info(d, len, &f->p, f->p.outer_l4, &f->lv[GJ_OUTER]);
	else
		memset(&f->lv[GJ_OUTER], 0, sizeof(f->lv[GJ_OUTER]));
}

/* The bytes of a header that name its flow, as [start, end) pairs within
 * it: what the GRO model compares before it merges (kernel-rx.md 1.1,
 * 1.3, 1.4, 3); lengths, IDs, TTLs and checksums are the rules'. */
static bool keys_equal(const uint8_t *a, const uint8_t *b, const struct ofd_layer *l)
{
	const uint8_t *x = a + l->off, *y = b + l->off;

	switch (l->proto) {
	case OFD_P_ETH:
		return !memcmp(x, y, 14);
	case OFD_P_VLAN:
	case OFD_P_QINQ:
		return !memcmp(x, y, 4);
	case OFD_P_IPV4:
		return x[9] == y[9] && !memcmp(x + 12, y + 12, 8);
	case OFD_P_IPV6:
		return x[6] == y[6] && !memcmp(x + 8, y + 8, 32);
	case OFD_P_GRE: {
		/* flags and protocol, and the key after the checksum word */
		uint32_t k = 4u + (x[0] & 0x80 ? 4u : 0u);

		if (memcmp(x, y, 4))
			return false;
		return !(x[0] & 0x20) || (l->len >= k + 4 && !memcmp(x + k, y + k, 4));
	}
	case OFD_P_VXLAN:
		return !memcmp(x, y, 8);
	case OFD_P_TCP:
	case OFD_P_UDP:
		return !memcmp(x, y, 4);
	}
	return true;
}

bool gro_same_flow(const uint8_t *a, const struct gjf *fa, const uint8_t *b,
		   const struct gjf *fb, unsigned int lv)
{
	const struct tcpi *ta = &fa->lv[lv], *tb = &fb->lv[lv];
	int i;

	if (!ta->ok || !tb->ok || ta->l4 != tb->l4 || ta->proto != tb->proto)
		return false;
	/* the same chain of headers at the same offsets: every key byte
	 * read below lies inside both frames */
	for (i = 0; i <= ta->l4; i++) {
		const struct ofd_layer *la = &fa->p.layer[i], *lb = &fb->p.layer[i];

		if (la->proto != lb->proto || la->off != lb->off ||
		    (i < ta->l4 && la->len != lb->len))
			return false;
		if (!keys_equal(a, b, la))
			return false;
	}
	return true;
}

/* A tagged packet the kernel hands up untouched but for its outer tag
 * (no VLAN GRO on the kernel engine's kernel, kernel-rx.md 3): target
 * frame t of tlen bytes is packet d of len bytes untagged. */
static bool untagged_equal(const uint8_t *d, uint32_t len, const uint8_t *t, uint32_t tlen)
{
	uint16_t type;

	if (len < 18 || tlen != len - 4)
		return false;
	type = (uint16_t)(d[12] << 8 | d[13]);
	return (type == 0x8100 || type == 0x88a8) && !memcmp(d, t, 12) &&
	       !memcmp(d + 16, t + 12, len - 16);
}

/* Packet j opens target frame f's payload at level lv (UDP: no sequence
 * number to start a run by). */
static bool opens(const struct gj *g, uint32_t j, uint32_t f, unsigned int lv)
{
	const struct tcpi *ti = &g->in[j].lv[lv], *tf = &g->tf[f].lv[lv];

	return ti->plen <= tf->plen &&
	       !memcmp(gro_pkt(g, j) + ti->poff, g->tb[f] + tf->poff, ti->plen);
}

/* The run of unowned packets of frame f's flow at level lv whose payloads
 * add up to its own; true (and owned) when there is one. */
static bool map_run(struct gj *g, uint32_t f, unsigned int lv)
{
	const struct tcpi *t = &g->tf[f].lv[lv];
	const uint8_t *tb = g->tb[f];
	uint32_t j, k, nrun = 0, sum = 0, start = g->n;

	if (!t->ok)
		return false;
	for (j = 0; j < g->n; j++) {
		const struct tcpi *ti = &g->in[j].lv[lv];

		if (g->owner[j] >= 0 || !gro_same_flow(gro_pkt(g, j), &g->in[j], tb, &g->tf[f], lv))
			continue;
		if (t->proto == OFD_P_TCP ? ti->seq == t->seq : opens(g, j, f, lv))
			break;
		if (t->proto == OFD_P_UDP && start == g->n)
			start = j; /* the first of the flow, if none opens it */
	}
	if (j == g->n)
		j = start;
	if (j == g->n)
		return false;
	for (k = j; k < g->n && sum < t->plen; k++) {
		if (g->owner[k] >= 0 ||
		    !gro_same_flow(gro_pkt(g, k), &g->in[k], tb, &g->tf[f], lv))
			continue;
		sum += g->in[k].lv[lv].plen;
		g->run[nrun++] = (uint16_t)k;
	}
	if (sum != t->plen || !nrun)
		return false;
	for (k = 0; k < nrun; k++)
		g->owner[g->run[k]] = (int16_t)f;
	g->first[f] = (int16_t)j;
	g->last[f] = (int16_t)g->run[nrun - 1];
	g->cnt[f] = (uint16_t)nrun;
	g->lvl[f] = (uint8_t)lv;
	return true;
}

void gro_map_frames(struct gj *g)
{
	uint32_t f, i;
	unsigned int lv;

	for (i = 0; i < g->n; i++)
		g->owner[i] = -1;
	for (f = 0; f < g->tn; f++) {
		const struct ofd_frame *tf = &g->tgt->frame[f];

		g->first[f] = g->last[f] = -1;
		g->cnt[f] = 0;
		g->lvl[f] = GJ_INNER;
		/* a packet passed through whole, or untagged */
		for (i = 0; i < g->n; i++)
			if (g->owner[i] < 0 &&
			    ((g->c->pkts[i].len == tf->len &&
			      !memcmp(gro_pkt(g, i), g->tb[f], tf->len)) ||
			     untagged_equal(gro_pkt(g, i), g->c->pkts[i].len, g->tb[f], tf->len)))
				break;
		if (i < g->n) {
			g->owner[i] = (int16_t)f;
			g->first[f] = g->last[f] = (int16_t)i;
			g->cnt[f] = 1;
			continue;
		}
		for (lv = GJ_INNER; lv < GJ_LEVELS; lv++)
			if (map_run(g, f, lv))
				break;
	}
}

const char *gro_level_name(const struct ofd_parsed *p, int i)
{
	uint32_t k;
	bool tunnelled = false;

	for (k = 0; k < p->nlayers; k++)
		tunnelled |= p->layer[k].depth > 0;
	if (!tunnelled || i < 0 || (uint32_t)i >= p->nlayers)
		return "";
	return p->layer[i].depth ? "inner " : "outer ";
}

int gro_field_name(const uint8_t *d, uint32_t len, const struct ofd_parsed *p,
		   uint32_t off, char *out, size_t outlen)
{
	struct ofd_field fd;

	if (ofd_parse_field_at(d, len, p, off, &fd))
		return -ERANGE;
	snprintf(out, outlen, "%s%s", fd.layer >= 0 ? gro_level_name(p, fd.layer) : "",
		 fd.name);
	return 0;
}
