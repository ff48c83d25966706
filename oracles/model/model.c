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
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "model_internal.h"
#include "ofd_gro_rules.h"
#include "ofd_rss.h"

/* The engine's settings: the offloads' models that take some (open). */
struct model_priv {
	void *state[OFD_OFFLOAD__MAX];
};

static const struct ofd_engine_param_doc model_params[] = {
	OFD_GRO_PARAM_DOCS,
	OFD_GRO_PARAM_DOC_GENEVE,
	OFD_RSS_PARAM_DOCS,
	{ NULL, NULL },
};

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

static void oracle_model_close(void *priv)
{
	struct model_priv *mp = priv;
	unsigned int off;

	if (!mp)
		return;
	for (off = 0; off < OFD_OFFLOAD__MAX; off++)
		if (models[off] && models[off]->close && mp->state[off])
			models[off]->close(mp->state[off]);
	free(mp);
}

static int oracle_model_open(const struct ofd_engine_opts *opts, void **priv)
{
	struct model_priv *mp = calloc(1, sizeof(*mp));
	unsigned int off;
	int err;

	if (!mp)
		return -ENOMEM;
	for (off = 0; off < OFD_OFFLOAD__MAX; off++) {
		if (!models[off] || !models[off]->open)
			continue;
		err = models[off]->open(opts, &mp->state[off]);
		if (err) {
			oracle_model_close(mp);
			return err;
		}
	}
	*priv = mp;
	return 0;
}

static int oracle_model_run(void *priv, const struct ofd_case *cases,
			    struct ofd_result *const *results, unsigned int n)
{
	struct model_priv *mp = priv;
	unsigned int i;

	for (i = 0; i < n; i++) {
		unsigned int off = cases[i].offload;
		const struct model_offload *m = off < OFD_OFFLOAD__MAX ? models[off] : NULL;

		if (m && m->run_with)
			m->run_with(mp ? mp->state[off] : NULL, &cases[i], results[i]);
		else if (m)
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
	.params = model_params,
};
