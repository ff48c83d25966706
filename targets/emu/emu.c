// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * emu.c - the software NIC emulator engine: a profile (profile.c) and one
 * device file per offload (txcsum.c, ...), found through offloads.def.
 *
 * run() is the hot path of model-vs-emulator campaigns: no allocation, no
 * copy; each offload's device writes the output frames by reference plus
 * patches.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "emu_internal.h"

struct emu {
	struct ofdint_emu_profile prof;
};

/* Each offload's device, from offloads.def; NULL where there is none. */
#define OFD_OFFLOAD(ID, id, name, ethtool, ethtool_short, dir) \
	extern const struct emu_offload ofd_emu_##id __attribute__((weak));
#include "offloads.def"
#undef OFD_OFFLOAD

static const struct emu_offload *const devices[OFD_OFFLOAD__MAX] = {
#define OFD_OFFLOAD(ID, id, name, ethtool, ethtool_short, dir) \
	[OFD_OFFLOAD_##ID] = &ofd_emu_##id,
#include "offloads.def"
#undef OFD_OFFLOAD
};

/* ------------------------------------------------------------------ */
/* Engine ops                                                          */
/* ------------------------------------------------------------------ */

static int target_emu_open(const struct ofd_engine_opts *opts, void **priv)
{
	struct emu *e;
	char path[4096], err[512];
	int ret;

	e = calloc(1, sizeof(*e));
	if (!e)
		return -ENOMEM;
	if (!opts || !opts->profile) {
		ofdint_emu_profile_init(&e->prof);
		*priv = e;
		return 0;
	}
	ret = ofd_emu_profile_path(opts->profile, opts->profile_dir, path,
				   sizeof(path));
	if (ret) {
		ofd_pr_warn("emu: bad profile '%s'\n", opts->profile);
		goto out_free;
	}
	ret = ofdint_emu_profile_load(path, &e->prof, err, sizeof(err));
	if (ret) {
		ofd_pr_warn("%s\n", err);
		goto out_free;
	}
	*priv = e;
	return 0;

out_free:
	free(e);
	/* A missing file is as much a profile error as a bad knob. */
	return -EINVAL;
}

static int target_emu_run(void *priv, const struct ofd_case *cases,
			  struct ofd_result *const *results, unsigned int n)
{
	const struct emu *e = priv;
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct emu_offload *d = cases[i].offload < OFD_OFFLOAD__MAX ?
			devices[cases[i].offload] : NULL;

		if (d)
			d->run(&e->prof, &cases[i], results[i]);
		else
			ofd_result_unsupported(results[i], "emu: no such offload on this device");
	}
	return 0;
}

static void target_emu_info(void *priv, struct ofd_engine_info *info)
{
	const struct emu *e = priv;

	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "emu");
	snprintf(info->version, sizeof(info->version), "offdiff-emu 1");
	snprintf(info->profile, sizeof(info->profile), "%s", e->prof.name);
}

static void target_emu_close(void *priv)
{
	free(priv);
}

static unsigned int target_emu_caps(void)
{
	unsigned int off, caps = 0;

	for (off = 0; off < OFD_OFFLOAD__MAX; off++)
		if (devices[off])
			caps |= OFD_CAP(off);
	return caps;
}

const struct ofd_engine_ops ofd_engine_emu = {
	.name = "emu",
	.desc = "software NIC emulator; its behaviour comes from a profile",
	.flags = OFD_F_DEVICE,
	.offload_caps = target_emu_caps,
	.open = target_emu_open,
	.run = target_emu_run,
	.info = target_emu_info,
	.close = target_emu_close,
};
