// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * example.c - the plugin a vendor copies: a transmit checksum device.
 *
 * Build:  cc -O2 -fPIC -shared -I<includedir>/offdiff -o my_model.so example.c
 * Run:    offdiff run -t plugin:path=./my_model.so
 *
 * It implements one offload, tx-csum, the way a NETIF_F_HW_CSUM device
 * does: sum the frame from csum_start to its end (the field already holds
 * the pseudo-header sum the stack put there), fold, store at csum_start +
 * csum_offset, a zero result sent as 0xffff; for SCTP, CRC32c over the same
 * range with the field taken as zero, stored little endian. That is also
 * what the kernel's software fallback does (skb_checksum_help, kernel-tx.md
 * 2), so this plugin passes the default campaign: replace checksum_frame()
 * with a call into your model and offdiff tells you where they part.
 *
 * What a plugin must do (docs/plugin-abi.md): read only pkts[0].data[0,
 * len), write only r->buf[0, buf_cap) and r->frames[0, max_frames), keep no
 * pointer to either after run() returns, and say UNSUPPORTED (with why)
 * for what the model does not do rather than guess.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_plugin.h"

struct example {
	unsigned long cases;
};

static uint32_t crc32c(uint32_t crc, const uint8_t *p, uint32_t n)
{
	/* Bitwise CRC32c (Castagnoli, reflected 0x82f63b78): slow and short. */
	while (n--) {
		int k;

		crc ^= *p++;
		for (k = 0; k < 8; k++)
			crc = (crc >> 1) ^ (0x82f63b78u & (0u - (crc & 1)));
	}
	return crc;
}

static uint16_t inet_fold(const uint8_t *p, uint32_t n)
{
	uint64_t sum = 0;
	uint32_t i;

	for (i = 0; i + 1 < n; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (n & 1)
		sum += (uint32_t)p[n - 1] << 8;
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)~sum;
}

/* The device's work on its own copy of the frame (out, len bytes). 0, or
 * a negative number when the request points outside the frame. */
static int checksum_frame(const struct ofd_plugin_request *req, uint8_t *out, uint32_t len)
{
	uint32_t start = req->vnet.csum_start, field;

	if (start >= len)
		return -1;
	if (req->csum_type == OFD_PLUGIN_CSUM_CRC32C) {
		uint32_t crc;

		field = start + 8; /* the SCTP common header's checksum */
		if (field + 4 > len)
			return -1;
		memset(out + field, 0, 4);
		crc = ~crc32c(0xffffffffu, out + start, len - start);
		out[field] = (uint8_t)crc;
		out[field + 1] = (uint8_t)(crc >> 8);
		out[field + 2] = (uint8_t)(crc >> 16);
		out[field + 3] = (uint8_t)(crc >> 24);
		return 0;
	}
	field = start + req->vnet.csum_offset;
	if (field + 2 > len)
		return -1;
	{
		uint16_t sum = inet_fold(out + start, len - start);

		if (!sum)
			sum = 0xffff;
		out[field] = (uint8_t)(sum >> 8);
		out[field + 1] = (uint8_t)sum;
	}
	return 0;
}

static int example_open(const struct ofd_plugin_open_opts *opts, void **priv, char *err,
			size_t err_len)
{
	struct example *ex = calloc(1, sizeof(*ex));

	if (!ex) {
		snprintf(err, err_len, "out of memory");
		return -1;
	}
	*priv = ex;
	return 0;
}

static int example_run(void *priv, const struct ofd_plugin_case *c, struct ofd_plugin_result *r)
{
	struct example *ex = priv;
	const struct ofd_plugin_pkt *in = &c->pkts[0];

	ex->cases++;
	if (c->offload != OFD_PLUGIN_TX_CSUM || c->npkts != 1) {
		r->status = OFD_PLUGIN_UNSUPPORTED;
		snprintf(r->detail, sizeof(r->detail), "the example does tx-csum only");
		return 0;
	}
	if (in->len > r->buf_cap || r->max_frames < 1) {
		r->status = OFD_PLUGIN_UNSUPPORTED;
		snprintf(r->detail, sizeof(r->detail), "frame of %u bytes does not fit the output",
			 in->len);
		return 0;
	}
	memcpy(r->buf, in->data, in->len);
	if (checksum_frame(&c->req, r->buf, in->len)) {
		/* Like the kernel, which drops such an skb at transmit. */
		r->status = OFD_PLUGIN_REJECTED;
		snprintf(r->detail, sizeof(r->detail), "checksum start or field past the frame");
		return 0;
	}
	r->frames[0].off = 0;
	r->frames[0].len = in->len;
	r->nframes = 1;
	r->status = OFD_PLUGIN_OK;
	return 0;
}

static void example_identity(void *priv, struct ofd_plugin_identity *id)
{
	snprintf(id->model, sizeof(id->model), "offdiff example HW_CSUM device");
	snprintf(id->version, sizeof(id->version), "1");
}

static void example_close(void *priv)
{
	free(priv);
}

static const struct ofd_plugin example_plugin = {
	.size = sizeof(struct ofd_plugin),
	.abi_version = OFD_PLUGIN_ABI_VERSION,
	.name = "example",
	.desc = "a NETIF_F_HW_CSUM transmit checksum device (the plugin to copy)",
	.offloads = OFD_PLUGIN_CAP(OFD_PLUGIN_TX_CSUM),
	.open = example_open,
	.run = example_run,
	.identity = example_identity,
	.close = example_close,
};

#ifndef OFD_EXAMPLE_NO_ENTRY
OFD_PLUGIN_EXPORT const struct ofd_plugin *ofd_plugin_v1(void)
{
	return &example_plugin;
}
#endif
