// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * tso.c - turn corpus frames into tso cases (the request rules are at the
 * top of ofd_tso.h).
 *
 * Every TCP or UDP super-packet of the corpus, tunnelled or not, becomes
 * one case per request kind and gso_size of the sweep: 1, 7 and 8 (the
 * smallest segments, and the TCP_MIN_GSO_SIZE clamp 6.18 dropped,
 * kernel-tx.md 3.3), 536 and 1448 (the classic and the timestamped
 * Ethernet MSS), 8948 (jumbo), the payload itself and payload + 1 (where a
 * virtio request stops being GSO, and the TCP options trap of probe T5),
 * and 0xfffe (the largest gso_size; 0xffff is GSO_BY_FRAGS). A spec's
 * `gso_sizes:` replaces the sweep. Sizes that coincide for a frame are
 * tried once. IPv4 UDP also gets UFO (virtio gso_type UDP) requests, and a
 * TCP frame whose IPv4 ID or CWR a GRO-built skb would describe one
 * forwarded request (ofd_tso.h).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ofd_csum.h"
#include "ofd_offload.h"
#include "ofd_parse.h"
#include "ofd_spec.h"
#include "ofd_tso.h"

const uint32_t ofd_tso_sweep[9] = {
	1, 7, 8, 536, 1448, 8948, OFD_SPEC_GSO_PAYLOAD,
	OFD_SPEC_GSO_PAYLOAD_PLUS1, 0xfffe,
};

/* The IP layer of the packet layer i belongs to (same depth, before it). */
static int ip_of(const struct ofd_parsed *p, int i)
{
	int j;

	for (j = i - 1; j >= 0 && p->layer[j].depth == p->layer[i].depth; j--)
		if (p->layer[j].proto == OFD_P_IPV4 || p->layer[j].proto == OFD_P_IPV6)
			return j;
	return -1;
}

/* The innermost L4 when it is a super-packet's TCP or UDP header, or -1. */
static int super_l4(const uint8_t *frame, uint32_t len, struct ofd_parsed *p)
{
	const struct ofd_layer *l4;

	ofd_parse(frame, len, 0, p);
	if (p->l4 < 0 || p->l3 < 0 || p->l3 > p->l4)
		return -1;
	l4 = &p->layer[p->l4];
	if (l4->proto != OFD_P_TCP && l4->proto != OFD_P_UDP)
		return -1;
	/* No IP deeper than the L4 (a tunnel whose inner packet has none)
	 * and a whole header. */
	if (l4->depth != p->layer[p->l3].depth || ip_of(p, p->l4) < 0 ||
	    l4->off + l4->len > len || (l4->proto == OFD_P_UDP && l4->len != 8))
		return -1;
	return p->l4;
}

int ofd_tso_frame(const uint8_t *frame, uint32_t len, struct ofd_tso_frame *f)
{
	struct ofd_parsed p;
	const struct ofd_layer *l4;
	int i, k;
	uint8_t flags;

	memset(f, 0, sizeof(*f));
	f->outer_udp_off = -1;
	f->gre_csum_off = -1;
	i = super_l4(frame, len, &p);
	if (i < 0)
		return -ENOENT;
	l4 = &p.layer[i];
	f->l4_proto = l4->proto;
	f->v6 = p.layer[ip_of(&p, i)].proto == OFD_P_IPV6;
	f->l4_off = l4->off;
	f->l4_hlen = l4->len;
	f->payload = len - l4->off - l4->len;
	if (l4->proto == OFD_P_TCP && !ofd_get_u8(frame, len, l4->off + 13, &flags))
		f->cwr = flags & 0x80;
	f->outer_v4 = p.layer[p.outer_l3].proto == OFD_P_IPV4;
	f->one_tunnel = l4->depth <= 1;
	if (!l4->depth)
		return 0;
	f->inner_v4 = !f->v6;
	/* The tunnel: the first encapsulation after the outer IP header. */
	for (k = p.outer_l3 + 1; k < i && p.layer[k].depth == 0; k++) {
		const struct ofd_layer *l = &p.layer[k];
		uint16_t csum;
		uint8_t c;

		switch (l->proto) {
		case OFD_P_VXLAN:
		case OFD_P_GENEVE:
			if (k < 1 || p.layer[k - 1].proto != OFD_P_UDP ||
			    ofd_get_be16(frame, len, p.layer[k - 1].off + 6, &csum))
				return -ENOENT;
			f->tunnel = csum ? OFD_SKB_GSO_UDP_TUNNEL_CSUM :
					   OFD_SKB_GSO_UDP_TUNNEL;
			if (csum)
				f->outer_udp_off = (int)p.layer[k - 1].off;
			return 0;
		case OFD_P_GRE:
			if (ofd_get_u8(frame, len, l->off, &c))
				return -ENOENT;
			f->tunnel = c & 0x80 ? OFD_SKB_GSO_GRE_CSUM : OFD_SKB_GSO_GRE;
			if (c & 0x80)
				f->gre_csum_off = (int)l->off + 4;
			return 0;
		default:
			break;
		}
	}
	/* IP straight in IP: named after the outer header (ipip and sit are
	 * IPXIP4, ip6_tunnel IPXIP6). */
	f->tunnel = f->outer_v4 ? OFD_SKB_GSO_IPXIP4 : OFD_SKB_GSO_IPXIP6;
	return 0;
}

int ofd_tso_seed(const uint8_t *frame, uint32_t len,
		 const struct ofd_tso_frame *f, uint8_t *copy)
{
	struct ofd_parsed p;
	uint32_t l4_len, sum, fo;
	uint16_t udp_len;
	int i, k;

	i = super_l4(frame, len, &p);
	if (i < 0 || p.layer[i].off != f->l4_off)
		return -ENOENT;
	fo = f->l4_proto == OFD_P_TCP ? 16 : 6;
	l4_len = len - f->l4_off;
	if (f->l4_proto == OFD_P_UDP) {
		if (ofd_get_be16(frame, len, f->l4_off + 4, &udp_len))
			return -ENOENT;
		if (udp_len) /* 0: a UDP length past 65535 (BIG TCP style) */
			l4_len = udp_len;
	}
	if (ofd_parse_pseudo(frame, len, &p, i, l4_len, 0, &sum))
		return -ENOENT;
	ofd_put_be16(copy + f->l4_off + fo, ofd_fold16(sum));
	if (f->outer_udp_off >= 0) {
		for (k = 0; k < i && p.layer[k].off != (uint32_t)f->outer_udp_off; k++)
			;
		if (k == i || ofd_parse_pseudo(frame, len, &p, k,
					       len - (uint32_t)f->outer_udp_off, 0, &sum))
			return -ENOENT;
		ofd_put_be16(copy + f->outer_udp_off + 6, ofd_fold16(sum));
	}
	if (f->gre_csum_off >= 0) {
		if ((uint32_t)f->gre_csum_off + 4 > len)
			return -ENOENT;
		memset(copy + f->gre_csum_off, 0, 4);
	}
	return 0;
}

void ofd_tso_request(const struct ofd_tso_frame *f, enum ofd_req_kind kind,
		     uint16_t gso_size, unsigned int variant,
		     struct ofd_request *req)
{
	bool tcp = f->l4_proto == OFD_P_TCP;
	bool fwd = kind == OFD_REQ_LEGACY && (variant & OFD_TSO_FORWARDED);

	memset(req, 0, sizeof(*req));
	req->kind = (uint8_t)kind;
	req->csum_type = OFD_CSUM_INET;
	req->legacy = (f->v6 ? OFD_LEGACY_IPV6 : OFD_LEGACY_IPV4) |
		      (tcp ? OFD_LEGACY_TCP : OFD_LEGACY_UDP) |
		      (f->tunnel ? OFD_LEGACY_TUNNEL : 0);
	req->vnet.flags = OFD_VNET_F_NEEDS_CSUM;
	req->vnet.csum_start = (uint16_t)f->l4_off;
	req->vnet.csum_offset = tcp ? 16 : 6;
	req->vnet.hdr_len = (uint16_t)(f->l4_off + f->l4_hlen);
	req->vnet.gso_size = gso_size;
	if (tcp)
		req->vnet.gso_type = (f->v6 ? OFD_VNET_GSO_TCPV6 : OFD_VNET_GSO_TCPV4) |
				     (f->cwr && !fwd ? OFD_VNET_GSO_ECN : 0);
	else if ((variant & OFD_TSO_UFO) && kind == OFD_REQ_VNET)
		req->vnet.gso_type = OFD_VNET_GSO_UDP;
	else
		req->vnet.gso_type = OFD_VNET_GSO_UDP_L4;
	if (kind != OFD_REQ_LEGACY)
		return;
	req->skb_gso = (tcp ? (f->v6 ? OFD_SKB_GSO_TCPV6 : OFD_SKB_GSO_TCPV4) :
			      OFD_SKB_GSO_UDP_L4) | f->tunnel;
	if (tcp && f->cwr)
		req->skb_gso |= fwd ? OFD_SKB_GSO_TCP_ACCECN : OFD_SKB_GSO_TCP_ECN;
	if (tcp && fwd) {
		if (f->outer_v4)
			req->skb_gso |= OFD_SKB_GSO_TCP_FIXEDID;
		if (f->inner_v4)
			req->skb_gso |= OFD_SKB_GSO_TCP_FIXEDID_INNER;
	}
}

bool ofd_tso_stack_builds(const struct ofd_tso_frame *f, uint16_t gso_size)
{
	if (!gso_size || gso_size == 0xffff || f->payload <= gso_size)
		return false;
	if (f->l4_proto == OFD_P_UDP && f->payload > (uint32_t)gso_size * 128)
		return false;
	return true;
}

unsigned int ofd_tso_sizes(const struct ofd_tso_frame *f, const uint32_t *spec,
			   size_t nspec, uint16_t *out)
{
	const uint32_t *list = spec && nspec ? spec : ofd_tso_sweep;
	size_t n = spec && nspec ? nspec : OFD_ARRAY_SIZE(ofd_tso_sweep), i;
	unsigned int cnt = 0, j;

	for (i = 0; i < n && cnt < OFD_TSO_MAX_SIZES; i++) {
		uint32_t v = list[i];

		/* The payload-made sizes stay in 1..0xfffe: 0xffff would be
		 * GSO_BY_FRAGS, which only a spec asks for. */
		if (v == OFD_SPEC_GSO_PAYLOAD || v == OFD_SPEC_GSO_PAYLOAD_PLUS1) {
			v = f->payload + (v == OFD_SPEC_GSO_PAYLOAD_PLUS1);
			if (!v || v > 0xfffe)
				continue;
		}
		if (v > 0xffff)
			continue;
		/* Insert in order, once. */
		for (j = 0; j < cnt && out[j] < v; j++)
			;
		if (j < cnt && out[j] == v)
			continue;
		memmove(out + j + 1, out + j, (cnt - j) * sizeof(*out));
		out[j] = (uint16_t)v;
		cnt++;
	}
	return cnt;
}

/* The forwarded variant's one gso_size: a usual MSS below the payload. */
static uint16_t forwarded_size(const struct ofd_tso_frame *f)
{
	static const uint16_t sizes[] = { 1448, 536, 8, 1 };
	size_t i;

	if (f->l4_proto != OFD_P_TCP || !(f->outer_v4 || f->inner_v4 || f->cwr))
		return 0;
	for (i = 0; i < OFD_ARRAY_SIZE(sizes); i++)
		if (ofd_tso_stack_builds(f, sizes[i]))
			return sizes[i];
	return 0;
}

struct derive_ctx {
	const struct ofd_spec *spec;
	struct ofd_caseset *set;
	const char *file;
	uint32_t index, frame;
	uint32_t n;
};

static void add_case(struct derive_ctx *d, const struct ofd_request *req)
{
	struct ofd_case *c = &d->set->cases[d->n];

	c->req = *req;
	ofd_overrides_apply(d->spec, d->file, d->index, req->kind, &c->req);
	c->id = d->n;
	c->offload = OFD_OFFLOAD_TSO;
	c->npkts = 1;
	c->pkts = &d->set->pkts[d->frame];
	c->src_file = d->file;
	c->src_index = d->index;
	d->n++;
}

/* The cases of one super-packet. */
static void frame_cases(struct derive_ctx *d, const struct ofd_tso_frame *f,
			unsigned int requests)
{
	const struct ofd_spec *spec = d->spec;
	uint16_t sizes[OFD_TSO_MAX_SIZES], fs;
	struct ofd_request req;
	unsigned int ns, k;

	ns = ofd_tso_sizes(f, spec ? spec->gso_sizes : NULL,
			   spec ? spec->ngso_sizes : 0, sizes);
	if (requests & (1u << OFD_REQ_VNET)) {
		for (k = 0; k < ns; k++) {
			ofd_tso_request(f, OFD_REQ_VNET, sizes[k], 0, &req);
			add_case(d, &req);
		}
		if (f->l4_proto == OFD_P_UDP && !f->v6 && !f->tunnel)
			for (k = 0; k < ns; k++) {
				ofd_tso_request(f, OFD_REQ_VNET, sizes[k], OFD_TSO_UFO, &req);
				add_case(d, &req);
			}
	}
	if (!(requests & (1u << OFD_REQ_LEGACY)) || !f->one_tunnel)
		return;
	for (k = 0; k < ns; k++) {
		if (!ofd_tso_stack_builds(f, sizes[k]))
			continue;
		ofd_tso_request(f, OFD_REQ_LEGACY, sizes[k], 0, &req);
		add_case(d, &req);
	}
	fs = forwarded_size(f);
	if (fs) {
		ofd_tso_request(f, OFD_REQ_LEGACY, fs, OFD_TSO_FORWARDED, &req);
		add_case(d, &req);
	}
}

static int tso_derive(const struct ofd_corpus *corpus, unsigned int requests,
		      const struct ofd_spec *spec, struct ofd_caseset *set,
		      char *err, size_t err_len)
{
	struct derive_ctx d = { .spec = spec, .set = set };
	size_t per, bytes = 0, used = 0;
	uint32_t i;
	int kind;

	(void)err;
	(void)err_len;
	/* Per frame: every size for VNET, UFO and LEGACY, one forwarded. */
	per = (spec && spec->ngso_sizes ? spec->ngso_sizes :
	       OFD_ARRAY_SIZE(ofd_tso_sweep)) * 3 + 2;
	for (i = 0; i < corpus->npkts; i++)
		bytes += corpus->pkts[i].len;
	if (ofd_caseset_prepare(set, (size_t)corpus->npkts * per + 1,
				(size_t)corpus->npkts + 1, bytes + 1))
		return -ENOMEM;

	for (i = 0; i < corpus->npkts; i++) {
		const struct ofd_corpus_pkt *pk = &corpus->pkts[i];
		uint8_t *copy = set->bytes + used;
		struct ofd_tso_frame f;
		struct ofd_request req;
		uint32_t first = d.n;

		d.file = corpus->files[pk->file];
		d.index = pk->index;
		d.frame = i;
		memcpy(copy, pk->data, pk->len);
		if (!ofd_tso_frame(pk->data, pk->len, &f) &&
		    !ofd_tso_seed(pk->data, pk->len, &f, copy)) {
			frame_cases(&d, &f, requests);
		} else {
			/* Nothing to segment: a case only where an override
			 * says what to ask for. */
			for (kind = 0; kind <= OFD_REQ_LEGACY; kind++) {
				if (!(requests & (1u << kind)))
					continue;
				memset(&req, 0, sizeof(req));
				req.kind = (uint8_t)kind;
				/* (add_case applies it again: the same.) */
				if (ofd_overrides_apply(spec, d.file, d.index, kind, &req))
					add_case(&d, &req);
			}
		}
		if (d.n == first) {
			set->skipped++;
			continue;
		}
		set->pkts[i].data = copy;
		set->pkts[i].len = pk->len;
		set->pkts[i].flags = 0;
		used += pk->len;
	}
	set->ncases = d.n;
	set->nbytes = used;
	return 0;
}

static int tso_random(uint64_t seed, uint64_t index, uint8_t *buf, uint32_t cap,
		      struct ofd_pkt *pkts, unsigned int maxpkts,
		      struct ofd_case *c)
{
	if (!maxpkts)
		return -EINVAL;
	return ofd_tso_random_ex(seed, index, buf, cap, pkts, c, NULL);
}

/* corpus_tso.c */
extern const struct ofd_corpus_scenario ofd_tso_scenarios[OFD_TSO_GEN__NFILES];

const struct ofd_offload_cases ofd_cases_tso = {
	.requests = (1u << OFD_REQ_VNET) | (1u << OFD_REQ_LEGACY),
	.derive = tso_derive,
	/* gso_size 1 on a 64 KB super-packet: 65535 segments, each with a
	 * copy of every header (up to ~200 bytes tunnelled) and one byte;
	 * 13 MB, with room to spare. Result arenas are reserved address
	 * space committed as written (run/result.c). */
	.max_output_bytes = 64u << 20,
	.random = tso_random,
	.scenarios = ofd_tso_scenarios,
	.nscenarios = OFD_TSO_GEN__NFILES,
};
