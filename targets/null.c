// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * null.c - the engine that offloads nothing: every frame leaves as it came.
 *
 * It is the "no offload at all" device (libpcap's pcap-null, XDP2's
 * core-null): useful to see what a campaign flags when a target does no
 * work, and to measure the harness without engine cost.
 */
#include <stdio.h>

#include "ofd.h"

static int target_null_open(const struct ofd_engine_opts *opts, void **priv)
{
	*priv = NULL;
	return 0;
}

static int target_null_run(void *priv, const struct ofd_case *cases,
			   struct ofd_result *const *results, unsigned int n)
{
	unsigned int i, k;

	for (i = 0; i < n; i++)
		for (k = 0; k < cases[i].npkts; k++)
			ofd_result_add_ref(results[i], cases[i].pkts[k].data,
					   cases[i].pkts[k].len);
	return 0;
}

static void target_null_info(void *priv, struct ofd_engine_info *info)
{
	snprintf(info->version, sizeof(info->version), "offdiff-null 1");
}

static void target_null_close(void *priv)
{
}

const struct ofd_engine_ops ofd_engine_null = {
	.name = "null",
	.desc = "does nothing: frames leave unchanged (a device without the offload)",
	.flags = OFD_F_DEVICE,
	.caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO) |
		OFD_CAP(OFD_OFFLOAD_GRO),
	.open = target_null_open,
	.run = target_null_run,
	.info = target_null_info,
	.close = target_null_close,
};
