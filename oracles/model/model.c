// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * model.c - the model engine: a userspace model of the kernel's software
 * offload paths. Fast, deterministic, unprivileged; trusted only because
 * `offdiff selfcheck` proves it equal to the kernel engine.
 *
 * One file per offload models its kernel path (txcsum.c, ...; shared pieces
 * such as vnet.c and checksum_help.c beside them); this file dispatches
 * cases to them by offload, through the offloads.def registry.
 */
#include <stdio.h>

#include "model_internal.h"

static int oracle_model_open(const struct ofd_engine_opts *opts, void **priv)
{
	*priv = NULL;
	return 0;
}

/* Each offload's model, from offloads.def; NULL where there is none yet. */
#define OFD_OFFLOAD(ID, id, name, ethtool, ethtool_short, dir) \
	extern const struct model_offload ofd_model_##id __attribute__((weak));
#include "offloads.def"
#undef OFD_OFFLOAD

static const struct model_offload *const models[OFD_OFFLOAD__MAX] = {
#define OFD_OFFLOAD(ID, id, name, ethtool, ethtool_short, dir) \
	[OFD_OFFLOAD_##ID] = &ofd_model_##id,
#include "offloads.def"
#undef OFD_OFFLOAD
};

static int oracle_model_run(void *priv, const struct ofd_case *cases,
			    struct ofd_result *const *results, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++) {
		const struct model_offload *m = cases[i].offload < OFD_OFFLOAD__MAX ?
			models[cases[i].offload] : NULL;

		if (m)
			m->run(&cases[i], results[i]);
		else
			ofd_result_unsupported(results[i], "no model for this offload yet");
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

static unsigned int oracle_model_caps(void)
{
	unsigned int off, caps = 0;

	for (off = 0; off < OFD_OFFLOAD__MAX; off++)
		if (models[off])
			caps |= OFD_CAP(off);
	return caps;
}

const struct ofd_engine_ops ofd_engine_model = {
	.name = "model",
	.desc = "userspace model of the kernel's software offload paths (Linux 6.18)",
	.flags = OFD_F_REFERENCE,
	.offload_caps = oracle_model_caps,
	.open = oracle_model_open,
	.run = oracle_model_run,
	.info = oracle_model_info,
	.close = oracle_model_close,
};
