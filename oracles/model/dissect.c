// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * dissect.c - the model of dissect: __skb_flow_dissect with the default
 * flow_keys dissector (net/core/flow_dissector.c, Linux 6.18), as
 * kernel-rx.md 5.1-5.3 describes it, in the skb-less form the kernel's
 * BPF_PROG_TEST_RUN and eth_get_headlen use: proto = the frame's
 * ethertype, nhoff = 14, hlen = the frame length, no VLAN acceleration.
 *
 * This half is the walk and the network protocol switch (Ethernet types);
 * dissect_l4.c is the transport protocol switch (IPv6 extension headers,
 * fragments, GRE, IP-in-IP, ports). Keys of the default dissector:
 * CONTROL (thoff, flags), BASIC (n_proto, ip_proto), IPv4/IPv6 addresses,
 * PORTS, the first VLAN tag, the IPv6 flow label, the GRE key. TIPC's key
 * has no field in the record, so a TIPC frame is unsupported.
 *
 * The record's nhoff has no C-dissector key behind it (flow_keys has no
 * network offset): the model gives where its last network protocol step
 * began, the header n_proto names.
 */
#include <string.h>

#include "dissect_internal.h"
#include "model_internal.h"

const struct ofd_dissect_rules ofd_dissect_rules_kernel;

#define DIS_UNSUPPORTED 100 /* beside enum dis_ret: not modelled */

/* Does the walk record an IP header's addresses? Always, in the kernel:
 * an encapsulated header's overwrite the outer ones (5.1). */
static bool take_addrs(const struct dis *d)
{
	return !(d->r->outer_addrs && (d->k->flags & OFD_FK_ENCAPSULATION));
}

static int dis_ipv4(struct dis *d)
{
	const uint8_t *h = dis_hdr(d, d->nhoff, 20);
	uint16_t frag;

	/* the fixed header must be there and IHL at least 5; the version
	 * nibble and the total length are not checked */
	if (!h || (h[0] & 0xf) < 5)
		return DIS_BAD;
	d->nhoff += (h[0] & 0xfu) * 4;
	d->ip_proto = h[9];
	if (take_addrs(d)) {
		/* the key is 4+4 bytes; the record keeps the unused 12 of
		 * each address zero so two engines' records compare */
		memset(d->k->src, 0, sizeof(d->k->src));
		memset(d->k->dst, 0, sizeof(d->k->dst));
		memcpy(d->k->src, h + 12, 4);
		memcpy(d->k->dst, h + 16, 4);
		d->k->addr_proto = 0x0800;
	}
	/* a BPF program reads no header past the frame's end */
	if (dis_bpf(d, OFD_DIS_BPF_WHOLE_HDRS) && d->nhoff > d->hlen)
		return DIS_BAD;
	frag = dis_be16(h + 6);
	if (!(frag & 0x3fff)) /* neither MF nor an offset */
		return DIS_CONTINUE;
	d->k->flags |= OFD_FK_IS_FRAGMENT;
	if (!(frag & 0x1fff)) {
		d->k->flags |= OFD_FK_FIRST_FRAG;
		if (d->flags & OFD_FK_F_PARSE_1ST_FRAG)
			return DIS_CONTINUE;
	}
	/* a device that takes ports from every fragment reads them where
	 * the IPv4 header ends, the kernel never does */
	if (d->r->frag_ports == OFD_DIS_FRAG_PORTS_ALL)
		dis_ports(d);
	return DIS_GOOD;
}

static int dis_ipv6(struct dis *d)
{
	const uint8_t *h = dis_hdr(d, d->nhoff, 40);
	uint32_t label;

	if (!h)
		return DIS_BAD;
	d->ip_proto = h[6];
	d->nhoff += 40;
	if (take_addrs(d)) {
		memcpy(d->k->src, h + 8, 16);
		memcpy(d->k->dst, h + 24, 16);
		d->k->addr_proto = 0x86dd;
	}
	/* the default dissector has the FLOW_LABEL key: a non-zero label is
	 * always recorded (a zero one leaves an outer label in place), and
	 * STOP_AT_FLOW_LABEL ends the walk right after the fixed header */
	label = dis_be32(h) & 0xfffff;
	if (dis_bpf(d, OFD_DIS_BPF_FLOW_LABEL) && !d->r->no_flow_label) {
		d->k->flow_label = label;
		return d->flags & OFD_FK_F_STOP_AT_FLOW_LABEL ? DIS_GOOD : DIS_CONTINUE;
	}
	if (label && !d->r->no_flow_label) {
		d->k->flow_label = label;
		if (d->flags & OFD_FK_F_STOP_AT_FLOW_LABEL)
			return DIS_GOOD;
	}
	return DIS_CONTINUE;
}

/* 802.1Q / 802.1AD: the first tag fills the VLAN key, the second would
 * fill CVLAN (not a default key), later ones are skipped (5.1). */
static int dis_vlan(struct dis *d)
{
	const uint8_t *h = dis_hdr(d, d->nhoff, 4);
	uint16_t tpid = d->proto, tci;

	if (!h)
		return DIS_BAD;
	tci = dis_be16(h);
	d->proto = dis_be16(h + 2);
	d->bpf_nproto = d->proto;
	d->nhoff += 4;
	if (d->vlan_depth++ == 0 && !d->r->no_vlan_key) {
		d->k->vlan_id = tci & 0xfff;
		d->k->vlan_prio = (uint8_t)(tci >> 13);
		d->k->vlan_tpid = tpid;
	}
	if (d->vlan_depth > 2)
		d->vlan_depth = 2;
	return DIS_PROTO_AGAIN;
}

/* A PPP protocol number is valid when its low byte is odd and its high
 * byte even (RFC 1661 2). */
static bool ppp_proto_valid(uint16_t p)
{
	return (p & 0x0101) == 0x0001;
}

/* PPPoE session: version 1, type 1, code 0, then the 2-byte PPP
 * protocol. kernel-rx.md 5.1 says a compressed 1-byte protocol field is
 * handled; the running 6.18 kernel does not (RFC 2516 forbids protocol
 * field compression on PPPoE): `selfcheck -f dissect` shows a frame with
 * the field compressed to 0x21 hashing like a bare 0x8864 Ethernet header
 * (n_proto 0x8864, nothing else), where an uncompressed 0x0021 hashes
 * like plain IPv4 (docs/dissect-vs-kernel.md). So the two bytes are the
 * protocol, and 0x21XX is an invalid one (low bit of its high byte set). */
static int dis_pppoe(struct dis *d)
{
	const uint8_t *h = dis_hdr(d, d->nhoff, 8);
	uint16_t pp;

	if (!h || h[0] != 0x11 || h[1] != 0)
		return DIS_BAD;
	pp = dis_be16(h + 6);
	d->nhoff += 8;
	switch (pp) {
	case 0x0021:
		d->proto = 0x0800;
		return DIS_PROTO_AGAIN;
	case 0x0057:
		d->proto = 0x86dd;
		return DIS_PROTO_AGAIN;
	case 0x0281:
		d->proto = 0x8847;
		return DIS_PROTO_AGAIN;
	case 0x0283:
		d->proto = 0x8848;
		return DIS_PROTO_AGAIN;
	}
	return ppp_proto_valid(pp) ? DIS_GOOD : DIS_BAD;
}

/*
 * batman-adv: a unicast packet (type 0x40) of the compat version (15)
 * only, else bad; its 10-byte header and the inner Ethernet header are
 * skipped as an encapsulation (5.1).
 */
static int dis_batadv(struct dis *d)
{
	const uint8_t *h = dis_hdr(d, d->nhoff, 10 + 14);

	if (!h || h[1] != 15 || h[0] != 0x40)
		return DIS_BAD;
	d->proto = dis_be16(h + 10 + 12);
	d->nhoff += 10 + 14;
	d->k->flags |= OFD_FK_ENCAPSULATION;
	return d->flags & OFD_FK_F_STOP_AT_ENCAP ? DIS_GOOD : DIS_PROTO_AGAIN;
}

/* One pass of the network protocol switch on d->proto at d->nhoff. */
static int dis_proto(struct dis *d)
{
	int ret = d->r->bpf_scope ? dis_bpf_proto(d) : DIS_C_RULE;

	if (ret != DIS_C_RULE)
		return ret;
	switch (d->proto) {
	case 0x0800:
		return dis_ipv4(d);
	case 0x86dd:
		return dis_ipv6(d);
	case 0x8100:
	case 0x88a8:
		return dis_vlan(d);
	case 0x8864:
		return dis_pppoe(d);
	case 0x8847:
	case 0x8848:
		/* without the MPLS keys the dissector stops at once, reading
		 * nothing, one label further on */
		d->nhoff += 4;
		return DIS_GOOD;
	case 0x0806:
	case 0x8035:
	case 0x8902:
		/* ARP, RARP, CFM: a key the default dissector does not have,
		 * so it stops here, reading nothing */
		return DIS_GOOD;
	case 0x8906:
		/* FCoE: its 38-byte header must be there; skipped */
		if (d->nhoff > d->hlen || d->hlen - d->nhoff < 38)
			return DIS_BAD;
		d->nhoff += 38;
		return DIS_GOOD;
	case 0x88f7:
		/* PTP over Ethernet: its 34-byte header, skipped */
		if (!dis_hdr(d, d->nhoff, 34))
			return DIS_BAD;
		d->nhoff += 34;
		return DIS_GOOD;
	case 0x88fb:
	case 0x892f: {
		/* PRP / HSR: a 6-byte tag ending in the next ethertype */
		const uint8_t *h = dis_hdr(d, d->nhoff, 6);

		if (!h)
			return DIS_BAD;
		d->proto = dis_be16(h + 4);
		d->nhoff += 6;
		return DIS_PROTO_AGAIN;
	}
	case 0x4305:
		return dis_batadv(d);
	case 0x88ca: /* TIPC: its key has no field in the record */
		return DIS_UNSUPPORTED;
	}
	return DIS_BAD;
}

/* The walk: network protocol passes, each followed by transport protocol
 * passes, every step after the first counted against the header limit
 * (reaching it ends the dissection "good"). */
static int dis_walk(struct dis *d)
{
	unsigned int nhdrs = 0;
	int ret;

	for (;;) {
		d->l3off = d->nhoff;
		if (!dis_bpf_step(d))
			return DIS_BAD;
		ret = dis_proto(d);
		if (ret == DIS_PROTO_AGAIN) {
			if (++nhdrs <= DIS_MAX_HDRS || dis_bpf(d, OFD_DIS_BPF_STEPS))
				continue;
			return DIS_GOOD;
		}
		if (ret != DIS_CONTINUE)
			return ret;
		for (;;) {
			ret = dis_ip_proto(d);
			if (ret != DIS_PROTO_AGAIN && ret != DIS_IPPROTO_AGAIN)
				break;
			if (++nhdrs > DIS_MAX_HDRS && !dis_bpf(d, OFD_DIS_BPF_STEPS))
				return DIS_GOOD;
			if (ret == DIS_PROTO_AGAIN)
				break;
		}
		if (ret != DIS_PROTO_AGAIN)
			return ret == DIS_BAD ? DIS_BAD : DIS_GOOD;
	}
}

int ofd_model_dissect_rules(const struct ofd_dissect_rules *r, const uint8_t *frame,
			    uint32_t len, uint32_t in_flags, struct ofd_flow_keys *k)
{
	struct dis d;
	uint16_t hl;
	int ret;

	if (len < 14)
		return -EINVAL;
	memset(k, 0, sizeof(*k));
	memset(&d, 0, sizeof(d));
	d.p = frame;
	d.hlen = len;
	d.flags = in_flags;
	d.r = r ? r : &ofd_dissect_rules_kernel;
	d.k = k;
	d.proto = dis_be16(frame + 12);
	d.bpf_nproto = d.proto;
	d.nhoff = 14;
	ret = dis_walk(&d);
	if (ret == DIS_UNSUPPORTED)
		return -EOPNOTSUPP;
	k->status = ret == DIS_BAD ? OFD_FK_BAD : OFD_FK_GOOD;
	k->have = OFD_DISSECT_HAVE;
	/* control.thoff = min_t(u16, nhoff, hlen): both taken as 16 bits */
	hl = (uint16_t)len;
	k->thoff = (uint16_t)d.nhoff < hl ? (uint16_t)d.nhoff : hl;
	k->nhoff = (uint16_t)d.l3off;
	k->n_proto = dis_bpf(&d, OFD_DIS_BPF_N_PROTO) ? d.bpf_nproto : d.proto;
	k->ip_proto = d.ip_proto;
	return 0;
}

int ofd_model_dissect_frame(const uint8_t *frame, uint32_t len, uint32_t in_flags,
			    struct ofd_flow_keys *k)
{
	return ofd_model_dissect_rules(NULL, frame, len, in_flags, k);
}

void ofd_model_dissect_case(const struct ofd_dissect_rules *r,
			    const struct ofd_case *c, struct ofd_result *res)
{
	struct ofd_flow_keys k;
	struct ofd_frame *f;
	uint8_t *out;
	int ret;

	if (c->npkts != 1) {
		ofd_result_unsupported(res, "dissect takes exactly one frame");
		return;
	}
	ret = ofd_model_dissect_rules(r, c->pkts[0].data, c->pkts[0].len,
				      c->req.rx_flags, &k);
	if (ret == -EINVAL) {
		ofd_result_reject(res, OFD_REASON_FRAME_TOO_SHORT, OFD_STAGE_SUBMIT);
		return;
	}
	if (ret) {
		ofd_result_unsupported(res, "TIPC's key is not modelled (no field in the keys record)");
		return;
	}
	f = ofd_result_add_new(res, OFD_FLOW_KEYS_LEN, &out);
	if (!f) {
		ofd_result_unsupported(res, "no room for the keys in the result slot");
		return;
	}
	ofd_flow_keys_put(&k, out);
	memset(&f->meta, 0, sizeof(f->meta));
}

static void model_dissect_run(const struct ofd_case *c, struct ofd_result *res)
{
	ofd_model_dissect_case(NULL, c, res);
}

const struct model_offload ofd_model_dissect = {
	.run = model_dissect_run,
};
