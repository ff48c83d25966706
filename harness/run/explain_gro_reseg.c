// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * explain_gro_reseg.c - the LRO vs GRO question for the gro judge: does a
 * merged frame, segmented again by the tso model at its own gso_size, give
 * back the packets it was made of?
 *
 * The request is the one the stack (or GRO, forwarding) hands a device
 * for that frame (ofd_tso.h): TCP through ofd_tso_frame / ofd_tso_request,
 * tunnels included (IP-in-IP, SIT, GRE with or without its checksum,
 * VXLAN), and a UDP aggregate as UDP_L4 (USO: __udp_gso_segment in the
 * tso model) at the header it was merged at, also the outer UDP of a
 * VXLAN datagram an engine merged as UDP.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_csum.h"
#include "ofd_parse.h"
#include "ofd_tso.h"
#include "explain_gro_internal.h"

extern const struct ofd_engine_ops ofd_engine_model;

/*
 * The request for merged frame copy (len bytes, merged at t), written
 * into c->req; copy's checksum words that GRO leaves undefined for
 * segmentation set as the stack leaves them (ofd_tso.h). 0, or -1 when
 * the tso model cannot be asked.
 */
static int reseg_request(uint8_t *copy, uint32_t len, const struct gjf *fr,
			 const struct tcpi *t, const struct ofd_frame *tf,
			 struct ofd_case *c)
{
	struct ofd_tso_frame tso;
	uint32_t sum;
	uint8_t th[2];

	if (t->proto == OFD_P_UDP) {
		/* USO at the header it was merged at. GSO GRO left the seed
		 * (NEEDS_CSUM); a fraglist the first datagram's checksum,
		 * which skb_segment_list never reads: the seed instead */
		if (!(tf->meta.vnet.flags & OFD_VNET_F_NEEDS_CSUM)) {
			if (ofd_parse_pseudo(copy, len, &fr->p, t->l4, len - t->th, 0, &sum))
				return -1;
			ofd_put_be16(copy + t->th + 6, ofd_fold16(sum));
		}
		c->req.kind = OFD_REQ_VNET;
		c->req.vnet.flags = OFD_VNET_F_NEEDS_CSUM;
		c->req.vnet.gso_type = OFD_VNET_GSO_UDP_L4;
		c->req.vnet.gso_size = tf->meta.vnet.gso_size;
		c->req.vnet.csum_start = t->th;
		c->req.vnet.csum_offset = 6;
		c->req.vnet.hdr_len = t->poff;
		return 0;
	}
	if (ofd_tso_frame(copy, len, &tso) || tso.l4_off != t->th)
		return -1;
	ofd_tso_request(&tso, tso.tunnel ? OFD_REQ_LEGACY : OFD_REQ_VNET,
			tf->meta.vnet.gso_size, 0, &c->req);
	/* the TCP seed is the target's claim (CHECKSUM_PARTIAL, 7.3) and
	 * stays; a GRE checksum and a UDP tunnel's outer one are the first
	 * packet's, which gso recomputes from the stack's values */
	memcpy(th, copy + t->th + 16, 2);
	if (ofd_tso_seed(copy, len, &tso, copy))
		return -1;
	memcpy(copy + t->th + 16, th, 2);
	return 0;
}

/* Every owned packet's IPv4 header k keeps one ID: a FIXEDID flow, whose
 * IDs (and header checksum) the re-segmentation increments instead. */
static bool fixed_ids(const struct gj *g, uint32_t f, int k)
{
	int32_t id0 = -1;
	uint32_t i;

	for (i = 0; i < g->n; i++) {
		const uint8_t *d = gro_pkt(g, i);
		const struct ofd_layer *l = &g->in[i].p.layer[k];
		int32_t id;

		if (g->owner[i] != (int16_t)f)
			continue;
		if (l->proto != OFD_P_IPV4)
			return false;
		id = d[l->off + 4] << 8 | d[l->off + 5];
		if (id0 >= 0 && id != id0)
			return false;
		id0 = id;
	}
	return true;
}

/* Every owned packet's UDP header at t carries no checksum (0): USO
 * computes one each segment never had, so that word is not compared. */
static bool no_udp_csum(const struct gj *g, uint32_t f, const struct tcpi *t)
{
	uint32_t i;

	if (t->proto != OFD_P_UDP)
		return false;
	for (i = 0; i < g->n; i++) {
		const uint8_t *d = gro_pkt(g, i);

		if (g->owner[i] == (int16_t)f && (d[t->th + 6] | d[t->th + 7]))
			return false;
	}
	return true;
}

/* Segment sb against packet i (plen bytes): the first differing offset,
 * IDs and header checksums of fixed-ID headers (mask) and a UDP checksum
 * word at nocsum (0 none) not compared. */
static uint32_t first_diff(const struct gj *g, uint32_t i, const uint8_t *sb, uint32_t plen,
			   uint32_t mask, uint32_t nocsum)
{
	const uint8_t *d = gro_pkt(g, i);
	const struct ofd_parsed *p = &g->in[i].p;
	uint32_t o, k;

	for (o = 0; o < plen; o++) {
		bool skip = false;

		if (sb[o] == d[o] || (nocsum && o >= nocsum && o < nocsum + 2))
			continue;
		for (k = 0; k < p->nlayers && k < 32 && !skip; k++) {
			uint32_t nh = p->layer[k].off;

			skip = (mask >> k & 1) && ((o >= nh + 4 && o < nh + 6) ||
						   (o >= nh + 10 && o < nh + 12));
		}
		if (!skip)
			break;
	}
	return o;
}

/* The tso model's segments of frame f (in g->seg) against the packets
 * it covers: 0 when they are the packets, else 1 with the first
 * difference in out. */
static int reseg_compare(struct gj *g, uint32_t f, const struct tcpi *t, char *out,
			 size_t len)
{
	uint32_t k = 0, i, o, mask = 0, nocsum;
	uint8_t *sb;
	int j;

	if (g->seg->status != OFD_RES_OK) {
		snprintf(out, len, "the tso model refuses gso_size %u",
			 g->tgt->frame[f].meta.vnet.gso_size);
		return 1;
	}
	for (j = 0; j < t->l4 && j < 32; j++)
		if (fixed_ids(g, f, j))
			mask |= 1u << j;
	nocsum = no_udp_csum(g, f, t) ? t->th + 6u : 0;
	for (i = 0; i < g->n; i++) {
		const struct ofd_frame *sf;
		uint32_t plen = g->c->pkts[i].len;

		if (g->owner[i] != (int16_t)f)
			continue;
		if (k >= g->seg->nframes) {
			snprintf(out, len, "segments %u != packets %u", g->seg->nframes, g->cnt[f]);
			return 1;
		}
		sf = &g->seg->frame[k++];
		if (sf->len != plen) {
			snprintf(out, len, "segment %u: length %u != %u", k, sf->len, plen);
			return 1;
		}
		sb = malloc(plen ? plen : 1);
		if (!sb) {
			snprintf(out, len, "out of memory");
			return 1;
		}
		ofd_frame_materialize(sf, sb);
		o = first_diff(g, i, sb, plen, mask, nocsum);
		free(sb);
		if (o < plen) {
			char fld[64];

			if (gro_field_name(gro_pkt(g, i), plen, &g->in[i].p, o, fld, sizeof(fld)))
				snprintf(fld, sizeof(fld), "byte %u", o);
			snprintf(out, len, "segment %u: %s differs from the packet's", k, fld);
			return 1;
		}
	}
	if (k != g->seg->nframes) {
		snprintf(out, len, "segments %u != packets %u", g->seg->nframes, k);
		return 1;
	}
	return 0;
}

/*
 * Re-segment target frame f (bytes tb) with the tso model, as a GSO
 * request of its own gso_size, and compare segment k with the k-th packet
 * it covers byte for byte; IPv4 IDs (and the header checksum) only where
 * the packets' IDs were not fixed, which a FIXEDID re-segmentation keeps
 * (kernel-rx.md 1.5). 0 when it gives the packets back, else 1 with the
 * first differing segment and field in out.
 */
int gro_reseg(struct gj *g, uint32_t f, const uint8_t *tb, char *out, size_t len)
{
	const struct ofd_frame *tf = &g->tgt->frame[f];
	const struct tcpi *t = &g->tf[f].lv[g->lvl[f]];
	struct ofd_result *rs[1] = { g->seg };
	struct ofd_pkt p;
	struct ofd_case sc;
	uint8_t *copy;
	int ret;

	if (!t->ok || !(tf->meta.has & OFD_META_VNET) || !tf->meta.vnet.gso_size) {
		snprintf(out, len, "no gso_size to re-segment it by");
		return 1;
	}
	copy = malloc(tf->len ? tf->len : 1);
	if (!copy) {
		snprintf(out, len, "out of memory");
		return 1;
	}
	memcpy(copy, tb, tf->len);
	memset(&sc, 0, sizeof(sc));
	sc.offload = OFD_OFFLOAD_TSO;
	if (reseg_request(copy, tf->len, &g->tf[f], t, tf, &sc)) {
		free(copy);
		snprintf(out, len, "not a frame the tso model segments");
		return 1;
	}
	p.data = copy;
	p.len = tf->len;
	p.flags = 0;
	sc.npkts = 1;
	sc.pkts = &p;
	ofd_result_reset(g->seg);
	ofd_engine_model.run(NULL, &sc, rs, 1);
	/* segments may point into copy: it lives until they are compared */
	ret = reseg_compare(g, f, t, out, len);
	free(copy);
	return ret;
}
