// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * tso.c - the model of tso: what the kernel's software GSO makes of a
 * segmentation request on a device with no offloads at all, the kernel
 * engine's tap (kernel-tx.md 10.1, 10.3 "default").
 *
 * A request becomes an skb as the kernel builds it: a VNET request through
 * AF_PACKET's virtio_net_hdr parser (vnet.c, 3.2-3.3), a LEGACY request as
 * the stack built it (trusted, its GSO type from req.skb_gso). A GSO skb
 * is segmented in software (gso_walk.c, gso_segment.c); one the parser
 * left non-GSO ("too small packets are not really GSO ones") leaves like a
 * tx-csum request, through skb_checksum_help (checksum_help.c). Every
 * frame carries the virtio_net_hdr a tap reader gets with it
 * (virtio_net_hdr_from_skb, 3.4): all zero for a checksummed frame,
 * DATA_VALID for UFO fragments (CHECKSUM_UNNECESSARY).
 *
 * The model's device:
 *  - it has no GSO_PARTIAL, so a request carrying SKB_GSO_PARTIAL is
 *    segmented all the way, like any other (what the kernel engine's tap
 *    gets); only the outer UDP seed adjustment of a tunnel reads the UDP
 *    length field for it, as __skb_udp_tunnel_segment does (7.1);
 *  - it checksums nothing, so segments never stay CHECKSUM_PARTIAL.
 * IPv6 UFO is unsupported: its Fragment header identification comes from
 * ipv6_proxy_select_ident (6.2), a keyed hash and a counter, new at every
 * send of the same case (probed, check_model_tso_kernel.c ufo6_ident).
 */
#include <string.h>

#include "gso_internal.h"

static const char overflow_why[] =
	"the segments need more room than a result slot holds";

/* The virtio GSO type as the skb type virtio_net_hdr_to_skb maps it to. */
static uint32_t skb_type_of(uint8_t vnet_type)
{
	uint32_t t = vnet_type & OFD_VNET_GSO_ECN ? OFD_SKB_GSO_TCP_ECN : 0;

	switch (vnet_type & ~OFD_VNET_GSO_ECN) {
	case OFD_VNET_GSO_TCPV4:
		return t | OFD_SKB_GSO_TCPV4;
	case OFD_VNET_GSO_TCPV6:
		return t | OFD_SKB_GSO_TCPV6;
	case OFD_VNET_GSO_UDP:
		return t | OFD_SKB_GSO_UDP;
	case OFD_VNET_GSO_UDP_L4:
		return t | OFD_SKB_GSO_UDP_L4;
	}
	return 0;
}

#define SEGMENTING_BITS (OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCPV6 |           \
			 OFD_SKB_GSO_UDP | OFD_SKB_GSO_UDP_L4 | GSO_TUNNEL_BITS)

/*
 * A stack-built skb: CHECKSUM_PARTIAL at csum_start, GSO when its type
 * says so and gso_size is set, trusted as it is: no virtio rule applies,
 * and one whose payload is not larger than gso_size (which the stack never
 * builds) is dropped by the GSO handler like any such GSO skb (5.5). Its
 * protocol and network header are the frame's (the stack's skb->protocol
 * is the ethertype).
 */
static void legacy_to_skb(const struct ofd_case *c, struct model_skb *skb,
			  struct gso_skb *g)
{
	uint32_t type = c->req.skb_gso;

	skb->data = c->pkts[0].data;
	skb->len = c->pkts[0].len;
	skb->linear = skb->len;
	/* a GSO skb the stack hands over is PARTIAL; a request that says
	 * otherwise gets the handlers' re-seeding (5.1) */
	skb->partial = !type || (c->req.vnet.flags & OFD_VNET_F_NEEDS_CSUM);
	skb->crc32c = c->req.csum_type == OFD_CSUM_CRC32C;
	skb->csum_start = c->req.vnet.csum_start;
	skb->csum_offset = c->req.vnet.csum_offset;
	skb->th_off = c->req.vnet.csum_start;
	skb->gso = (type & SEGMENTING_BITS) && c->req.vnet.gso_size;
	skb->gso_size = c->req.vnet.gso_size;
	model_skb_headers(skb);
	/* the kernel engine sends it through virtio_net_hdr, whose
	 * set_proto gives a zero ethertype the GSO type's (vnet.c) */
	if (!skb->protocol && skb->gso)
		skb->protocol = type & OFD_SKB_GSO_TCPV6 ? 0x86dd : 0x0800;
	g->type = type;
	g->encapsulation = (type & GSO_TUNNEL_BITS) ||
			   (c->req.legacy & OFD_LEGACY_TUNNEL);
}

static void set_meta(struct ofd_frame *f, uint8_t flags)
{
	memset(&f->meta, 0, sizeof(f->meta));
	f->meta.has = OFD_META_VNET;
	f->meta.vnet.flags = flags;
}

/* A non-GSO skb: the tx-csum path, a frame with a zero vnet header. */
static void not_gso(const struct model_skb *skb, struct ofd_result *res)
{
	struct ofd_frame *f;

	if (skb->partial) {
		model_checksum_help(skb, res);
		if (res->status != OFD_RES_OK)
			return;
		f = &res->frame[res->nframes - 1];
	} else {
		f = ofd_result_add_ref(res, skb->data, skb->len);
	}
	set_meta(f, 0);
}

static void model_tso(const struct ofd_case *c, struct ofd_result *res)
{
	struct gso_verdict v;
	struct gso_plan plan;
	struct model_skb skb;
	struct gso_skb g;
	bool legacy;

	if (c->npkts != 1) {
		ofd_result_unsupported(res, "tso takes exactly one frame");
		return;
	}
	/* CRC32c comes only from the SCTP stack: trusted like a legacy
	 * request, and SCTP GSO is not modelled (no SCTP in the kernel
	 * engine's kernel either). */
	/*
	 * A stack-built tso request names its GSO type in skb_gso (ofd.h);
	 * one that leaves it 0 but carries a virtio GSO type is taken as the
	 * virtio_net_hdr it carries, which is how the kernel engine sends it.
	 */
	legacy = c->req.csum_type == OFD_CSUM_CRC32C ||
		 (c->req.kind == OFD_REQ_LEGACY &&
		  (c->req.skb_gso || c->req.vnet.gso_type == OFD_VNET_GSO_NONE));
	if (legacy) {
		/* a GSO skb skips the MTU rule: only a plain one can be too
		 * long for the kernel engine's way in (ofd_kpath) */
		if (!c->req.skb_gso && model_kernel_path(c, res))
			return;
		legacy_to_skb(c, &skb, &g);
	} else {
		if (model_vnet_to_skb(c, &skb, res))
			return; /* rejected or unsupported */
		g.type = skb_type_of(skb.gso_type);
		g.encapsulation = false;
	}
	if (!skb.gso) {
		not_gso(&skb, res);
		return;
	}
	if (skb.crc32c) {
		ofd_result_unsupported(res, "SCTP GSO is not modelled");
		return;
	}
	g.data = skb.data;
	g.len = skb.len;
	g.mss = skb.gso_size;
	g.partial = skb.partial;
	g.csum_start = skb.partial ? skb.csum_start : skb.th_off;
	g.protocol = skb.protocol;
	g.nh_off = skb.nh_off;
	if (gso_walk(&g, &plan, &v)) {
		if (v.unsupported) {
			ofd_result_unsupported(res, v.why);
		} else {
			ofd_result_reject(res, v.reason, OFD_STAGE_XMIT);
			res->err = EINVAL;
			res->detail = v.why;
		}
		return;
	}
	if (gso_segment(&plan, res))
		ofd_result_unsupported(res, overflow_why);
}

const struct model_offload ofd_model_tso = {
	.run = model_tso,
};
