// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * txcsum.c - the model of tx-csum: a request becomes an skb the way the
 * kernel builds one (vnet.c for virtio_net_hdr, trusted fields for a
 * request the stack made itself), and a CHECKSUM_PARTIAL skb leaves
 * through skb_checksum_help (checksum_help.c).
 */
#include "model_internal.h"

/*
 * A protocol-specific (legacy) request comes from the stack itself, so the
 * kernel does not validate it like userspace input: the skb simply carries
 * csum_start/csum_offset and, whether the device or the software fallback
 * fills the field, the kernel's answer is skb_checksum_help's.
 */
static void legacy_to_skb(const struct ofd_case *c, struct model_skb *skb)
{
	skb->data = c->pkts[0].data;
	skb->len = c->pkts[0].len;
	skb->linear = skb->len;
	skb->partial = true;
	skb->crc32c = c->req.csum_type == OFD_CSUM_CRC32C;
	skb->csum_start = c->req.vnet.csum_start;
	skb->csum_offset = c->req.vnet.csum_offset;
	skb->gso = false;
}

static void model_tx_csum(const struct ofd_case *c, struct ofd_result *res)
{
	struct model_skb skb;

	if (c->npkts != 1) {
		ofd_result_unsupported(res, "tx-csum takes exactly one frame");
		return;
	}
	/* A CRC32c request cannot come through virtio_net_hdr (there is no
	 * csum_not_inet bit): only the SCTP stack makes one, so it is
	 * trusted like a legacy request. */
	if (c->req.kind == OFD_REQ_LEGACY || c->req.csum_type == OFD_CSUM_CRC32C) {
		if (model_kernel_path(c, res))
			return;
		legacy_to_skb(c, &skb);
	} else if (model_vnet_to_skb(c, &skb, res)) {
		return; /* rejected or unsupported */
	}
	if (skb.gso) {
		ofd_result_unsupported(res, "segmentation is the tso offload's model");
		return;
	}
	if (!skb.partial) {
		ofd_result_add_ref(res, skb.data, skb.len);
		return;
	}
	model_checksum_help(&skb, res);
}

const struct model_offload ofd_model_tx_csum = {
	.run = model_tx_csum,
};
