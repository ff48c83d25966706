// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * explain_gro_reseg.c - the LRO vs GRO question for the gro judge: does a
 * merged frame, segmented again by the tso model at its own gso_size, give
 * back the packets it was made of? And what a TCP frame is, for mapping.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_parse.h"
#include "explain_gro_internal.h"

extern const struct ofd_engine_ops ofd_engine_model;

/* Ethernet, IPv4 or IPv6 without extension headers, TCP: what a merge
 * can be made of (tunnels are mapped only when passed through whole). */
void gro_tcp_info(const uint8_t *d, uint32_t len, struct tcpi *t)
{
	uint32_t nh = 14, th, doff;
	uint16_t type;

	memset(t, 0, sizeof(*t));
	if (len < nh + 40)
		return;
	type = (uint16_t)(d[12] << 8 | d[13]);
	if (type == 0x0800 && (d[nh] >> 4) == 4 && d[nh + 9] == 6) {
		th = nh + (uint32_t)(d[nh] & 15) * 4;
		t->v = 4;
	} else if (type == 0x86dd && (d[nh] >> 4) == 6 && d[nh + 6] == 6) {
		th = nh + 40;
		t->v = 6;
	} else {
		return;
	}
	if (th < nh + 20 || len < th + 20)
		return;
	doff = (uint32_t)(d[th + 12] >> 4) * 4;
	if (doff < 20 || len < th + doff)
		return;
	t->tcp = true;
	t->nh = (uint16_t)nh;
	t->th = (uint16_t)th;
	t->poff = (uint16_t)(th + doff);
	t->plen = len - t->poff;
	t->seq = gro_be32(d + th + 4);
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
	struct ofd_pkt p = { .data = tb, .len = tf->len };
	struct ofd_result *rs[1] = { g->seg };
	struct ofd_case sc;
	uint32_t k = 0, i, o;
	bool fixedid = true;
	int32_t id0 = -1;
	struct tcpi t;

	gro_tcp_info(tb, tf->len, &t);
	if (!t.tcp || !(tf->meta.has & OFD_META_VNET) || !tf->meta.vnet.gso_size) {
		snprintf(out, len, "no gso_size to re-segment it by");
		return 1;
	}
	memset(&sc, 0, sizeof(sc));
	sc.offload = OFD_OFFLOAD_TSO;
	sc.npkts = 1;
	sc.pkts = &p;
	sc.req.kind = OFD_REQ_VNET;
	sc.req.vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	sc.req.vnet.gso_type = t.v == 4 ? OFD_VNET_GSO_TCPV4 : OFD_VNET_GSO_TCPV6;
	sc.req.vnet.gso_size = tf->meta.vnet.gso_size;
	sc.req.vnet.csum_start = t.th;
	sc.req.vnet.csum_offset = 16;
	sc.req.vnet.hdr_len = t.poff;
	ofd_result_reset(g->seg);
	ofd_engine_model.run(NULL, &sc, rs, 1);
	if (g->seg->status != OFD_RES_OK) {
		snprintf(out, len, "the tso model refuses gso_size %u", tf->meta.vnet.gso_size);
		return 1;
	}
	for (i = 0; i < g->n; i++) {
		const uint8_t *d = gro_pkt(g, i);

		if (g->owner[i] != (int16_t)f || g->in[i].v != 4)
			continue;
		if (id0 >= 0 && id0 != (d[g->in[i].nh + 4] << 8 | d[g->in[i].nh + 5]))
			fixedid = false;
		id0 = d[g->in[i].nh + 4] << 8 | d[g->in[i].nh + 5];
	}
	for (i = 0; i < g->n; i++) {
		const struct ofd_frame *sf;
		const uint8_t *d = gro_pkt(g, i);
		uint32_t plen = g->c->pkts[i].len, nh = g->in[i].nh;
		struct ofd_parsed ps;
		struct ofd_field fd;
		uint8_t *sb;

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
		for (o = 0; o < plen; o++) {
			bool idf = g->in[i].v == 4 && fixedid &&
				   ((o >= nh + 4 && o < nh + 6) || (o >= nh + 10 && o < nh + 12));

			if (sb[o] != d[o] && !idf)
				break;
		}
		if (o < plen) {
			ofd_parse(d, plen, 0, &ps);
			if (ofd_parse_field_at(d, plen, &ps, o, &fd))
				snprintf(fd.name, sizeof(fd.name), "byte %u", o);
			snprintf(out, len, "segment %u: %s differs from the packet's", k, fd.name);
			free(sb);
			return 1;
		}
		free(sb);
	}
	if (k != g->seg->nframes) {
		snprintf(out, len, "segments %u != packets %u", g->seg->nframes, k);
		return 1;
	}
	return 0;
}
