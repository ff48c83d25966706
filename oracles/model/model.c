// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * model.c - the model engine: a userspace model of the kernel's software
 * offload paths. Fast, deterministic, unprivileged; trusted only because
 * `offdiff selfcheck` proves it equal to the kernel engine.
 *
 * One file per offload models the kernel path (txcsum.c, vnet.c, ...); this
 * file dispatches cases to them.
 */
#include <stdio.h>

#include "model_internal.h"

static int oracle_model_open(const struct ofd_engine_opts *opts, void **priv)
{
	*priv = NULL;
	return 0;
}

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

static int oracle_model_run(void *priv, const struct ofd_case *cases,
			    struct ofd_result *const *results, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		switch (cases[i].offload) {
		case OFD_OFFLOAD_TX_CSUM:
			model_tx_csum(&cases[i], results[i]);
			break;
		default:
			ofd_result_unsupported(results[i], "no model for this offload yet");
			break;
		}
	}
	return 0;
}

static void oracle_model_info(void *priv, struct ofd_engine_info *info)
{
	snprintf(info->version, sizeof(info->version),
		 "offdiff-model 1 (Linux 6.18 semantics)");
}

static void oracle_model_close(void *priv)
{
}

const struct ofd_engine_ops ofd_engine_model = {
	.name = "model",
	.desc = "userspace model of the kernel's software offload paths (Linux 6.18)",
	.flags = OFD_F_REFERENCE,
	.caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM),
	.open = oracle_model_open,
	.run = oracle_model_run,
	.info = oracle_model_info,
	.close = oracle_model_close,
};
