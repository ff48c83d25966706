// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * txcsum.c - tx-csum fuzz inputs: decoder and seeds.
 *
 * Input layout (so that a plain frame with a small prefix is a seed):
 *   byte 0      bit 0: request kind (0 vnet, 1 legacy)
 *   bytes 1-10  struct virtio_net_hdr, little endian (vnet kind only)
 *   bytes 11-   the Ethernet frame
 * A legacy request is derived from the frame the way the stack would make
 * it (and the seed written), since a protocol engine and skb_checksum_help
 * legitimately differ on a seed the stack would never write.
 */
#include <string.h>

#include "ofd_fuzz.h"
#include "ofd_offload.h"

#define FUZZ_PREFIX 11

static int txcsum_decode(const uint8_t *data, size_t size, uint8_t *buf,
			 uint32_t cap, struct ofd_pkt *pkts, unsigned int maxpkts,
			 struct ofd_case *c)
{
	struct ofd_pkt *pkt = &pkts[0];

	if (ofd_fuzz_frame_case(data, size, FUZZ_PREFIX, buf, cap, pkts, maxpkts,
				OFD_OFFLOAD_TX_CSUM, c))
		return -ENOENT;
	if (data[0] & 1) {
		if (ofd_txcsum_request(data + FUZZ_PREFIX, pkt->len, OFD_REQ_LEGACY,
				       &c->req, buf))
			return -ENOENT; /* nothing a stack would offload */
		return 0;
	}
	c->req.kind = OFD_REQ_VNET;
	c->req.vnet.flags = data[1];
	c->req.vnet.gso_type = data[2];
	c->req.vnet.hdr_len = (uint16_t)(data[3] | data[4] << 8);
	c->req.vnet.gso_size = (uint16_t)(data[5] | data[6] << 8);
	c->req.vnet.csum_start = (uint16_t)(data[7] | data[8] << 8);
	c->req.vnet.csum_offset = (uint16_t)(data[9] | data[10] << 8);
	return 0;
}

/* Variant 0: the vnet request the stack would make; 1: a legacy request
 * (derived again by the decoder). */
static size_t txcsum_seed(const uint8_t *frame, uint32_t len, unsigned int variant,
			  uint8_t *out, size_t cap)
{
	struct ofd_request req;

	if (variant > 1 || cap < FUZZ_PREFIX || len > cap - FUZZ_PREFIX ||
	    ofd_txcsum_request(frame, len, OFD_REQ_VNET, &req, NULL))
		return 0;
	memset(out, 0, FUZZ_PREFIX);
	out[0] = (uint8_t)variant;
	out[1] = req.vnet.flags;
	out[7] = (uint8_t)req.vnet.csum_start;
	out[8] = (uint8_t)(req.vnet.csum_start >> 8);
	out[9] = (uint8_t)req.vnet.csum_offset;
	out[10] = (uint8_t)(req.vnet.csum_offset >> 8);
	memcpy(out + FUZZ_PREFIX, frame, len);
	return FUZZ_PREFIX + len;
}

const struct ofd_offload_fuzz ofd_fuzz_tx_csum = {
	.decode = txcsum_decode,
	.seed = txcsum_seed,
	.nseeds = 2,
	.layout = "byte 0 bit 0: 0 vnet / 1 legacy request; bytes 1-10: "
		  "virtio_net_hdr (little endian); then the Ethernet frame",
};
