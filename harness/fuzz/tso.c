// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * tso.c - tso fuzz inputs: decoder and seeds.
 *
 * Input layout (a corpus frame behind a small prefix is a seed):
 *   byte 0       bit 0: request kind (0 vnet, 1 legacy)
 *                bit 1: vnet: derive the request from the frame as a guest
 *                       would (ofd_tso_request), with bytes 15-16 as
 *                       gso_size, instead of taking bytes 1-10
 *                bit 2: vnet, derived: UFO (gso_type UDP) for UDP
 *   bytes 1-10   struct virtio_net_hdr, little endian (vnet, bit 1 clear)
 *   bytes 11-14  skb_gso bits OR-ed into a legacy request, little endian;
 *                only TCP_FIXEDID, TCP_FIXEDID_INNER and TCP_ACCECN are
 *                taken (what GRO adds to a forwarded skb)
 *   bytes 15-16  gso_size of a derived request, little endian
 *   bytes 17-    the Ethernet frame
 * A legacy request is always the one the stack would build, seeds written
 * (ofd_tso_seed): an input whose frame is no TCP/UDP super-packet, or
 * whose payload the stack would not segment at that gso_size, is none
 * (-ENOENT). A derived vnet request writes the seeds too; a raw one takes
 * the frame as it is.
 */
#include <string.h>

#include "ofd_fuzz.h"
#include "ofd_offload.h"
#include "ofd_parse.h"
#include "ofd_tso.h"

#define FUZZ_PREFIX 17
#define FWD_BITS (OFD_SKB_GSO_TCP_FIXEDID | OFD_SKB_GSO_TCP_FIXEDID_INNER | \
		  OFD_SKB_GSO_TCP_ACCECN)

static uint16_t le16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static int tso_decode(const uint8_t *data, size_t size, uint8_t *buf,
		      uint32_t cap, struct ofd_pkt *pkts, unsigned int maxpkts,
		      struct ofd_case *c)
{
	struct ofd_pkt *pkt = &pkts[0];
	struct ofd_tso_frame f;
	uint32_t extra;
	uint16_t gso;
	bool legacy, derive;

	if (ofd_fuzz_frame_case(data, size, FUZZ_PREFIX, buf, cap, pkts, maxpkts,
				OFD_OFFLOAD_TSO, c))
		return -ENOENT;
	legacy = data[0] & 1;
	derive = legacy || (data[0] & 2);
	gso = le16(data + 15);
	if (!derive) {
		c->req.kind = OFD_REQ_VNET;
		c->req.vnet.flags = data[1];
		c->req.vnet.gso_type = data[2];
		c->req.vnet.hdr_len = le16(data + 3);
		c->req.vnet.gso_size = le16(data + 5);
		c->req.vnet.csum_start = le16(data + 7);
		c->req.vnet.csum_offset = le16(data + 9);
		return 0;
	}
	if (ofd_tso_frame(data + FUZZ_PREFIX, pkt->len, &f) ||
	    ofd_tso_seed(data + FUZZ_PREFIX, pkt->len, &f, buf))
		return -ENOENT; /* nothing a stack or a guest would segment */
	if (!legacy) {
		ofd_tso_request(&f, OFD_REQ_VNET, gso,
				data[0] & 4 ? OFD_TSO_UFO : 0, &c->req);
		return 0;
	}
	if (!f.one_tunnel || !ofd_tso_stack_builds(&f, gso))
		return -ENOENT;
	ofd_tso_request(&f, OFD_REQ_LEGACY, gso, 0, &c->req);
	extra = (uint32_t)data[11] | (uint32_t)data[12] << 8 |
		(uint32_t)data[13] << 16 | (uint32_t)data[14] << 24;
	extra &= FWD_BITS;
	if (f.l4_proto != OFD_P_TCP)
		extra = 0;
	if (!f.outer_v4)
		extra &= ~OFD_SKB_GSO_TCP_FIXEDID;
	if (!f.inner_v4)
		extra &= ~OFD_SKB_GSO_TCP_FIXEDID_INNER;
	if (!f.cwr)
		extra &= ~OFD_SKB_GSO_TCP_ACCECN;
	if (extra & OFD_SKB_GSO_TCP_ACCECN) {
		c->req.skb_gso &= ~OFD_SKB_GSO_TCP_ECN;
		c->req.vnet.gso_type &= (uint8_t)~OFD_VNET_GSO_ECN;
	}
	c->req.skb_gso |= extra;
	return 0;
}

/* Variant 0: the raw vnet request a guest would send at a third of the
 * payload; 1: a derived vnet request at gso_size 1; 2: the legacy request
 * at a third of the payload, forwarded by GRO. */
static size_t tso_seed(const uint8_t *frame, uint32_t len, unsigned int variant,
		       uint8_t *out, size_t cap)
{
	struct ofd_tso_frame f;
	struct ofd_request req;
	uint16_t gso;
	uint32_t fwd = FWD_BITS;

	if (variant > 2 || cap < FUZZ_PREFIX || len > cap - FUZZ_PREFIX ||
	    ofd_tso_frame(frame, len, &f) || f.payload < 2)
		return 0;
	gso = f.payload / 3 > 0xfffe ? 0xfffe : (uint16_t)(f.payload / 3);
	if (!gso)
		gso = 1;
	memset(out, 0, FUZZ_PREFIX);
	memcpy(out + FUZZ_PREFIX, frame, len);
	if (variant == 0) {
		/* The seeds as the guest writes them, in the frame itself. */
		if (ofd_tso_seed(frame, len, &f, out + FUZZ_PREFIX))
			return 0;
		ofd_tso_request(&f, OFD_REQ_VNET, gso, 0, &req);
		out[1] = req.vnet.flags;
		out[2] = req.vnet.gso_type;
		out[3] = (uint8_t)req.vnet.hdr_len;
		out[4] = (uint8_t)(req.vnet.hdr_len >> 8);
		out[5] = (uint8_t)gso;
		out[6] = (uint8_t)(gso >> 8);
		out[7] = (uint8_t)req.vnet.csum_start;
		out[8] = (uint8_t)(req.vnet.csum_start >> 8);
		out[9] = (uint8_t)req.vnet.csum_offset;
		out[10] = (uint8_t)(req.vnet.csum_offset >> 8);
	} else if (variant == 1) {
		out[0] = 2;
		gso = 1;
	} else {
		out[0] = 1;
		out[11] = (uint8_t)fwd;
		out[12] = (uint8_t)(fwd >> 8);
		out[13] = (uint8_t)(fwd >> 16);
		out[14] = (uint8_t)(fwd >> 24);
	}
	out[15] = (uint8_t)gso;
	out[16] = (uint8_t)(gso >> 8);
	return FUZZ_PREFIX + len;
}

const struct ofd_offload_fuzz ofd_fuzz_tso = {
	.decode = tso_decode,
	.seed = tso_seed,
	.nseeds = 3,
	.layout = "byte 0: bit 0 legacy, bit 1 derive the vnet request, bit 2 UFO; "
		  "bytes 1-10: virtio_net_hdr (little endian); bytes 11-14: "
		  "FIXEDID/FIXEDID_INNER/ACCECN bits of a legacy request; bytes "
		  "15-16: gso_size of a derived request; then the Ethernet frame",
};
