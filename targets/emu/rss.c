// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rss.c - the emulator's receive hash for the rss offload: the hash,
 * hash type and queue a device gives a received frame, answered like the
 * model's (one record frame, ofd_rss.h).
 *
 * It runs the model's computation (oracles/model/rss.c) with the bends
 * the profile's `rss:` knobs select; every knob at its default is the
 * model. The device is configured as the model's default (the shared
 * configuration, its Toeplitz tables built once per process): a profile
 * describes a device's bugs, not its ethtool settings.
 */
#include "emu_internal.h"
#include "ofd_rss.h"

static void emu_rss(const struct ofdint_emu_profile *p, const struct ofd_case *c,
		    struct ofd_result *r)
{
	struct ofd_rss_bends b = {
		.frag_ports = p->rss.frag_ports != 0,
		.outer_tuple = p->rss.tunnel != 0,
		.exthdr_l4 = p->rss.exthdr != 0,
		.sym_xor = p->rss.xfrm != 0,
	};

	ofd_rss_case(ofd_rss_config_shared(), &b, c, r);
}

const struct emu_offload ofd_emu_rss = {
	.run = emu_rss,
};
