// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * fuzz.c - one fuzz input through the hot path of one offload: decode
 * (the offload's ofd_offload_fuzz), the model, the emulator, the diff; and
 * through the slow path when they differ. With the `conformant` profile any
 * critical discrepancy is a bug in one of the two, and the caller (the
 * entry point in harness/fuzz/driver/) aborts so the fuzzer keeps it.
 */
#include <stdlib.h>
#include <string.h>

#include "ofd_fuzz.h"
#include "ofd_offload.h"

#define FUZZ_MAX_FRAME 65535
#define FUZZ_MAX_PKTS 64

static struct {
	const struct ofd_offload_ops *off;
	struct ofd_engine *model, *emu;
	struct ofd_result *ref, *tgt;
	uint8_t *buf;
	struct ofd_pkt pkts[FUZZ_MAX_PKTS];
	bool conformant;
} fz;

static int open_target(const char *profile)
{
	struct ofd_engine_opts eo = { .profile = profile,
				      .profile_dir = getenv("OFD_FUZZ_PROFILE_DIR"),
				      .caps = OFD_CAP(fz.off->id) };
	char err[512];
	int e;

	ofd_engine__close(fz.emu);
	fz.emu = NULL;
	fz.conformant = !strcmp(profile, "conformant");
	e = ofd_engine__open("emu", &eo, &fz.emu, err, sizeof(err));
	if (e)
		ofd_pr_warn("fuzz: %s\n", err);
	return e;
}

int ofd_fuzz_init(const char *offload, const char *profile)
{
	struct ofd_engine_opts eo = { 0 };
	char err[512];
	int off, e;

	if (!offload)
		offload = getenv("OFD_FUZZ_OFFLOAD");
	if (!offload)
		offload = "tx-csum";
	if (!profile)
		profile = getenv("OFD_FUZZ_PROFILE");
	if (!profile)
		profile = "conformant";
	off = ofd_offload_from_name(offload);
	if (off < 0) {
		ofd_pr_warn("fuzz: unknown offload '%s'\n", offload);
		return -EINVAL;
	}
	if (!ofd_offload_get(off)->fuzz) {
		ofd_pr_warn("fuzz: offload %s has no fuzz decoder yet\n", offload);
		return -EOPNOTSUPP;
	}
	if (fz.model && fz.off->id == (unsigned int)off) {
		if (!strcmp(fz.emu->info.profile, profile))
			return 0;
		return open_target(profile);
	}
	fz.off = ofd_offload_get(off);
	if (!fz.model) {
		eo.caps = OFD_CAP(off);
		e = ofd_engine__open("model", &eo, &fz.model, err, sizeof(err));
		if (e) {
			ofd_pr_warn("fuzz: %s\n", err);
			return e;
		}
		if ((e = ofd_result__new(ofd_cases_max_output(~0u), &fz.ref)) ||
		    (e = ofd_result__new(ofd_cases_max_output(~0u), &fz.tgt)))
			return e;
		fz.buf = malloc(FUZZ_MAX_FRAME);
		if (!fz.buf)
			return -ENOMEM;
	}
	return open_target(profile);
}

int ofd_fuzz_one(const uint8_t *data, size_t size, struct ofd_diff *out)
{
	struct ofd_case c = { 0 };
	enum ofd_verdict v;
	struct ofd_diff d;
	int ret = 0;

	ret = fz.off->fuzz->decode(data, size, fz.buf, FUZZ_MAX_FRAME, fz.pkts,
				   FUZZ_MAX_PKTS, &c);
	if (ret)
		return ret == -ENOENT ? 0 : ret;
	c.offload = fz.off->id;
	ofd_result_reset(fz.ref);
	ofd_result_reset(fz.tgt);
	if (fz.model->ops->run(fz.model->priv, &c, &fz.ref, 1) ||
	    fz.emu->ops->run(fz.emu->priv, &c, &fz.tgt, 1))
		return -EIO;
	v = ofd_diff_case(&c, fz.ref, fz.tgt, fz.emu->ops->flags);
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

int ofd_fuzz_frame_case(const uint8_t *data, size_t size, size_t prefix, uint8_t *buf,
			uint32_t cap, struct ofd_pkt *pkts, unsigned int maxpkts,
			unsigned int off, struct ofd_case *c)
{
	if (!maxpkts || size < prefix || size - prefix > cap)
		return -ENOENT;
	memset(c, 0, sizeof(*c));
	c->offload = off;
	c->npkts = 1;
	c->pkts = pkts;
	pkts[0].len = (uint32_t)(size - prefix);
	pkts[0].flags = 0;
	memcpy(buf, data + prefix, pkts[0].len);
	pkts[0].data = buf;
	return 0;
}
