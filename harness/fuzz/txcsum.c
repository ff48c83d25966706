// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * txcsum.c - one fuzz input through the whole tx-csum hot path and,
 * when the two sides differ, through the slow path (field diff and every
 * explanation hypothesis).
 *
 * Input layout (so that a plain frame with a small prefix is a seed):
 *   byte 0      bit 0: request kind (0 vnet, 1 legacy)
 *   bytes 1-10  struct virtio_net_hdr, little endian (vnet kind only)
 *   bytes 11-   the Ethernet frame
 * A legacy request is derived from the frame the way the stack would make
 * it (and the seed written), since a protocol engine and skb_checksum_help
 * legitimately differ on a seed the stack would never write.
 *
 * The reference is the model, the target the emulator with the profile in
 * $OFD_FUZZ_PROFILE (default conformant). With `conformant`, any critical
 * discrepancy is a bug in one of them: the caller (the AFL++/libFuzzer
 * entry point in harness/fuzz/) aborts so the fuzzer keeps the input.
 */
#include <stdlib.h>
#include <string.h>

#include "ofd_fuzz.h"
#include "ofd_run.h"

#define FUZZ_PREFIX 11
#define FUZZ_MAX_FRAME 65535

static struct {
	struct ofd_engine *model, *emu;
	struct ofd_result *ref, *tgt;
	uint8_t *frame;
	bool conformant;
} fz;

int ofd_fuzz_txcsum_init(const char *profile)
{
	struct ofd_engine_opts eo = { .profile_dir = getenv("OFD_FUZZ_PROFILE_DIR") };
	char err[512];
	int e;

	if (!profile)
		profile = getenv("OFD_FUZZ_PROFILE");
	if (!profile)
		profile = "conformant";
	if (fz.model && !strcmp(fz.emu->info.profile, profile))
		return 0;
	if (fz.model) {
		/* another profile: reopen the target only */
		ofd_engine__close(fz.emu);
		fz.emu = NULL;
	}
	eo.profile = profile;
	fz.conformant = !strcmp(profile, "conformant");
	if (fz.model) {
		e = ofd_engine__open("emu", &eo, &fz.emu, err, sizeof(err));
		if (e)
			ofd_pr_warn("fuzz: %s\n", err);
		return e;
	}
	if ((e = ofd_engine__open("model", &eo, &fz.model, err, sizeof(err))) ||
	    (e = ofd_engine__open("emu", &eo, &fz.emu, err, sizeof(err)))) {
		ofd_pr_warn("fuzz: %s\n", err);
		return e;
	}
	if ((e = ofd_result__new(0, &fz.ref)) || (e = ofd_result__new(0, &fz.tgt)))
		return e;
	fz.frame = malloc(FUZZ_MAX_FRAME);
	return fz.frame ? 0 : -ENOMEM;
}

int ofd_fuzz_txcsum_one(const uint8_t *data, size_t size, struct ofd_diff *out)
{
	struct ofd_pkt pkt;
	struct ofd_case c = { .offload = OFD_OFFLOAD_TX_CSUM, .npkts = 1, .pkts = &pkt };
	enum ofd_verdict v;
	struct ofd_diff d;
	int ret = 0;

	if (size < FUZZ_PREFIX || size - FUZZ_PREFIX > FUZZ_MAX_FRAME)
		return 0;
	pkt.len = (uint32_t)(size - FUZZ_PREFIX);
	pkt.flags = 0;
	memcpy(fz.frame, data + FUZZ_PREFIX, pkt.len);
	pkt.data = fz.frame;
	if (data[0] & 1) {
		if (ofd_derive_request(data + FUZZ_PREFIX, pkt.len, OFD_REQ_LEGACY, &c.req,
				       fz.frame))
			return 0; /* nothing a stack would offload */
	} else {
		c.req.kind = OFD_REQ_VNET;
		c.req.vnet.flags = data[1];
		c.req.vnet.gso_type = data[2];
		c.req.vnet.hdr_len = (uint16_t)(data[3] | data[4] << 8);
		c.req.vnet.gso_size = (uint16_t)(data[5] | data[6] << 8);
		c.req.vnet.csum_start = (uint16_t)(data[7] | data[8] << 8);
		c.req.vnet.csum_offset = (uint16_t)(data[9] | data[10] << 8);
	}
	ofd_result_reset(fz.ref);
	ofd_result_reset(fz.tgt);
	if (fz.model->ops->run(fz.model->priv, &c, &fz.ref, 1) ||
	    fz.emu->ops->run(fz.emu->priv, &c, &fz.tgt, 1))
		return -EIO;
	v = ofd_diff_quick(fz.ref, fz.tgt, fz.emu->ops->flags);
	if (v == OFD_V_EQUAL || v == OFD_V_UNSUPPORTED || v == OFD_V_BOTH_REJECTED)
		return 0;
	if (ofd_diff_full(&c, fz.ref, fz.tgt, fz.emu->ops->flags, NULL, &d))
		return -ENOMEM;
	if (d.severity == OFD_SEV_CRITICAL && fz.conformant)
		ret = 1;
	if (out)
		*out = d;
	else
		ofd_diff_free(&d);
	return ret;
}
