// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * gro.c - the model of gro: what the kernel's GRO engine makes of a train
 * of frames received by the kernel engine's IFF_NAPI tap (kernel-rx.md 1,
 * 7.1), and what a packet socket with PACKET_VNET_HDR reads back (7.3).
 *
 * The engine (1.1, 1.2, 1.10):
 *  - every tap frame lands in GRO bucket 0 (tun sets no skb->hash), which
 *    holds at most 8 packets; a new flow in a full bucket flushes the
 *    oldest first;
 *  - candidates for S are the held packets with S's Ethernet header
 *    (14 bytes), narrowed by the IP handlers (gro_ip.c) and looked up
 *    youngest first by TCP ports (gro_tcp.c);
 *  - the four outcomes: PASS(S); FLUSH(P) then HOLD(S) or PASS(S);
 *    MERGE(S->P); MERGE then FLUSH(P). Output order is the order frames
 *    are completed or passed;
 *  - a NAPI batch ends at OFD_PKT_F_FLUSH_AFTER and at the train's end,
 *    where napi_complete_done flushes everything held, oldest first
 *    (gro_flush_timeout 0); a poll takes at most 64 frames, and a full
 *    poll flushes everything too (HZ < 1000, 1.10).
 * The checksum state read back: a frame GRO validated is DATA_VALID
 * (UNNECESSARY), an aggregate NEEDS_CSUM (PARTIAL), anything else 0.
 *
 * VLAN tags: the kernel engine's kernel has no CONFIG_VLAN_8021Q, so no
 * GRO handler for 802.1Q/802.1ad (3): a tagged frame goes up untouched,
 * and __netif_receive_skb_core moves its outer tag out of the frame
 * (skb_vlan_untag) before the packet socket sees it (measured: the frame
 * comes back 4 bytes shorter, flags 0); one too short for that (under 20
 * bytes) is dropped.
 *
 * The device is the one the engine settings describe (ofd_gro_rules.h,
 * the kernel engine sets up the same): by default UDP is never
 * aggregated (no UDP_GRO socket, rx-udp-gro-forwarding and rx-gro-list
 * off, 2.1) and VXLAN never decapsulated (no tunnel socket in the
 * namespace, 3): both only have their checksum validated;
 * gro_udp=forward|fraglist aggregates UDP (gro_udp.c; fraglist TCP too,
 * 1.11) and vxlan=on runs VXLAN GRO. GENEVE (the model's geneve=on) is
 * modelled from kernel-rx.md 3 alone: CONFIG_GENEVE is off on the kernel
 * the kernel engine runs, so nothing checks it. Every frame
 * arrives CHECKSUM_NONE, so 1.8's UNNECESSARY, COMPLETE and PARTIAL
 * inputs never occur; gro_max_size is the default 65536.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gro_internal.h"
#include "ofd_gro_model.h"

/* One train's per-frame state: the model keeps no allocation. */
static __thread struct gro_seg gro_segs[GRO_MAX_TRAIN];

/* S goes up as it came: DATA_VALID when GRO validated its checksum. */
static void emit_seg(struct gro_state *st, const struct gro_seg *s)
{
	struct ofd_frame *f = ofd_result_add_ref(st->res, s->d, s->len);

	if (!f) {
		st->overflow = true;
		return;
	}
	memset(&f->meta, 0, sizeof(f->meta));
	f->meta.has = OFD_META_VNET | OFD_META_CSUM_STATE;
	if (s->valid) {
		f->meta.vnet.flags = OFD_VNET_F_DATA_VALID;
		f->meta.csum_state = OFD_CSUM_STATE_UNNECESSARY;
	}
}

/* A tagged frame: PASS, read back without its outer tag. */
static void emit_untagged(struct gro_state *st, const struct gro_seg *s)
{
	struct ofd_frame *f;
	uint8_t *d;

	if (s->len < 20)
		return; /* skb_vlan_untag drops it */
	f = ofd_result_add_split(st->res, 12, s->d + 16, s->len - 16, &d);
	if (!f) {
		st->overflow = true;
		return;
	}
	memcpy(d, s->d, 12);
	memset(&f->meta, 0, sizeof(f->meta));
	f->meta.has = OFD_META_VNET | OFD_META_CSUM_STATE;
}

/* FLUSH(P): gro_complete; with count 1 nothing is rewritten (1.9). */
static void complete(struct gro_state *st, unsigned int i)
{
	struct gro_flow *p = &st->held[i];

	if (p->count == 1)
		emit_seg(st, gro_head(st, p));
	else if (gro_tcp_complete(st, p))
		st->overflow = true;
	memmove(p, p + 1, (st->nheld - i - 1) * sizeof(*p));
	st->nheld--;
}

static void flush_all(struct gro_state *st)
{
	while (st->nheld)
		complete(st, 0);
}

/* HOLD(S): gso_size is S's payload (1.1). */
static void hold(struct gro_state *st, uint32_t si)
{
	const struct gro_seg *s = &st->seg[si];
	struct gro_flow *p;

	if (st->nheld == GRO_MAX_HELD)
		complete(st, 0);
	p = &st->held[st->nheld++];
	memset(p, 0, sizeof(*p));
	p->first = p->last = si;
	p->count = 1;
	p->iplen = s->len - GRO_ETH_HLEN;
	p->payload = s->plen;
	p->gso_size = (uint16_t)s->plen;
}

/* A device's aggregation limit (rules max_segs; the kernel has none):
 * the held packet S just joined or started goes up once it has that many
 * segments, as an LRO engine closes a full aggregate. */
static void limit_flush(struct gro_state *st, uint32_t si)
{
	unsigned int i;

	for (i = 0; i < st->nheld; i++)
		if (st->held[i].last == si) {
			if (st->held[i].count >= st->r->max_segs)
				complete(st, i);
			return;
		}
}

/* dev_gro_receive for frame si. */
static void receive(struct gro_state *st, uint32_t si)
{
	struct gro_seg *s = &st->seg[si];
	enum gro_verdict v;
	uint16_t type;
	bool merged = false;
	unsigned int i;
	int pp = -1;

	type = (uint16_t)(s->d[12] << 8 | s->d[13]);
	if (type == 0x8100 || type == 0x88a8) {
		emit_untagged(st, s);
		return;
	}
	for (i = 0; i < st->nheld; i++)
		st->held[i].same_flow =
			!memcmp(gro_head(st, &st->held[i])->d, s->d, GRO_ETH_HLEN);
	v = gro_ip_receive(st, s, type);
	if (v == GRO_GO)
		v = s->proto == 6 ? gro_tcp_receive(st, si, &pp, &merged) :
				    gro_udp_receive(st, si, &pp, &merged);
	if (v == GRO_BYPASS) {
		emit_seg(st, s);
		return;
	}
	if (pp >= 0)
		complete(st, (unsigned int)pp);
	if (!merged && s->flush) {
		emit_seg(st, s);
		return;
	}
	if (!merged)
		hold(st, si);
	if (st->r->max_segs)
		limit_flush(st, si);
}

const struct ofd_gro_rules ofd_gro_rules_kernel;

/* The judge's rebuilds (ofd_gro_model.h): each relaxed rule is the
 * matching rules field, so the judge and the emulator bend the same
 * engine the same way. */
void ofd_model_gro_relaxed(const struct ofd_case *c, unsigned int relax,
			   struct ofd_result *res)
{
	struct ofd_gro_rules r = {
		.ignore_ttl = relax & OFD_GRO_RELAX_TTL,
		.ignore_tos = relax & OFD_GRO_RELAX_TOS,
		.ignore_ecn = relax & OFD_GRO_RELAX_ECN,
		.ignore_ip_id = relax & OFD_GRO_RELAX_ID,
		.psh_continues = relax & OFD_GRO_RELAX_PSH,
		.ignore_tcp_options = relax & OFD_GRO_RELAX_OPTIONS,
		.ignore_ack = relax & OFD_GRO_RELAX_ACK,
		.seq_holes = relax & OFD_GRO_RELAX_SEQ,
	};

	ofd_model_gro_run(&r, c, res);
}

void ofd_model_gro_run(const struct ofd_gro_rules *r, const struct ofd_case *c,
		       struct ofd_result *res)
{
	struct gro_state st = { .r = r, .c = c, .res = res, .seg = gro_segs };
	unsigned int i, polled = 0;

	if (!c->npkts || !c->pkts) {
		ofd_result_unsupported(res, "a case without input frames");
		return;
	}
	if (c->npkts > GRO_MAX_TRAIN) {
		ofd_result_unsupported(res, "a train longer than the GRO model keeps (4096 frames)");
		return;
	}
	for (i = 0; i < c->npkts; i++) {
		struct gro_seg *s = &gro_segs[i];

		if (!c->pkts[i].data && c->pkts[i].len) {
			ofd_result_unsupported(res, "a frame without bytes");
			return;
		}
		/* tun refuses a frame shorter than its link header: the
		 * kernel engine's write fails and the case with it */
		if (c->pkts[i].len < GRO_ETH_HLEN) {
			ofd_result_reject(res, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT);
			res->err = EINVAL;
			return;
		}
		if (c->pkts[i].len > 65535) {
			ofd_result_unsupported(res, "a frame longer than 65535 bytes");
			return;
		}
		memset(s, 0, sizeof(*s));
		s->d = c->pkts[i].data;
		s->len = c->pkts[i].len;
		s->next = -1;
	}
	for (i = 0; i < c->npkts; i++) {
		receive(&st, i);
		/* a full poll, a batch boundary, the train's end (1.10) */
		if (++polled == GRO_BUDGET || (c->pkts[i].flags & OFD_PKT_F_FLUSH_AFTER) ||
		    i + 1 == c->npkts) {
			flush_all(&st);
			polled = 0;
		}
	}
	if (st.overflow)
		ofd_result_unsupported(res, "the aggregates need more room than a result slot holds");
}

int ofd_gro_params(const struct ofd_engine_opts *o, struct ofd_gro_rules *r,
		   char *why, size_t why_len)
{
	/* in enum ofd_gro_udp's order */
	static const char *const udp[] = { "off", "forward", "fraglist" };
	const char *v = o ? ofd_engine_param(o, "gro_udp") : NULL;
	unsigned int i;

	if (v) {
		for (i = 0; i < OFD_ARRAY_SIZE(udp) && strcmp(v, udp[i]); i++)
			;
		if (i == OFD_ARRAY_SIZE(udp)) {
			snprintf(why, why_len, "gro_udp '%s': off, forward or fraglist", v);
			return -EINVAL;
		}
		r->udp = (uint8_t)i;
		/* rx-gro-list is one feature for UDP and TCP */
		r->tcp_fraglist = i == OFD_GRO_UDP_FRAGLIST;
	}
	v = o ? ofd_engine_param(o, "vxlan") : NULL;
	if (v) {
		if (strcmp(v, "on") && strcmp(v, "off")) {
			snprintf(why, why_len, "vxlan '%s': on or off", v);
			return -EINVAL;
		}
		r->vxlan = !strcmp(v, "on");
	}
	/* only the model lists geneve: the kernel engine refuses it */
	v = o ? ofd_engine_param(o, "geneve") : NULL;
	if (v) {
		if (strcmp(v, "on") && strcmp(v, "off")) {
			snprintf(why, why_len, "geneve '%s': on or off", v);
			return -EINVAL;
		}
		r->geneve = !strcmp(v, "on");
	}
	return 0;
}

/* The model engine's gro: the kernel's rules on the device its settings
 * describe (gro_udp, vxlan), the same device the kernel engine sets up. */
static int model_gro_open(const struct ofd_engine_opts *o, void **state)
{
	struct ofd_gro_rules *r = calloc(1, sizeof(*r));
	char why[128];
	int err;

	if (!r)
		return -ENOMEM;
	err = ofd_gro_params(o, r, why, sizeof(why));
	if (err) {
		ofd_pr_warn("model: %s\n", why);
		free(r);
		return err;
	}
	*state = r;
	return 0;
}

static void model_gro(const void *state, const struct ofd_case *c,
		      struct ofd_result *res)
{
	ofd_model_gro_run(state ? state : &ofd_gro_rules_kernel, c, res);
}

const struct model_offload ofd_model_gro = {
	.open = model_gro_open,
	.run_with = model_gro,
	.close = free,
};
