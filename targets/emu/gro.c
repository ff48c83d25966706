// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * gro.c - the emulator's coalescing engine: an LRO / hardware GRO block
 * handing merged frames up with a virtio_net_hdr, as the kernel engine's
 * tap hands up what GRO made (kernel-rx.md 1, 7.3).
 *
 * It runs the GRO model's engine (oracles/model/gro.c) under rules filled
 * from the profile's `gro:` knobs: with every knob at its default the
 * rules are the kernel's and the device is the model, frame for frame;
 * each other value bends exactly one rule (ofd_gro_rules.h). One engine
 * rather than a second copy, so a conformant device cannot drift from
 * the model and a bug profile differs from it only where its knob says.
 */
#include "emu_internal.h"
#include "ofd_gro_rules.h"

static void rules_of(const struct emu_gro_knobs *k, struct ofd_gro_rules *r)
{
	*r = ofd_gro_rules_kernel;
	r->psh_continues = k->psh != 0;
	r->ignore_tcp_options = k->tcp_opts != 0;
	r->ignore_ip_id = k->ip_id != 0;
	r->ignore_ttl = k->ttl != 0;
	r->ignore_tos = k->tos != 0;
	r->ignore_ecn = k->ecn != 0;
	r->seq_holes = k->seq != 0;
	r->udp = k->udp; /* enum ofd_gro_udp, in knob order */
	r->gso_size = k->gso_size;
	r->max_segs = k->max_segs;
}

void ofdint_emu_gro(const struct ofdint_emu_profile *p, const struct ofd_case *c,
		    struct ofd_result *r)
{
	struct ofd_gro_rules rules;

	rules_of(&p->gro, &rules);
	ofd_model_gro_run(&rules, c, r);
}

const struct emu_offload ofd_emu_gro = {
	.run = ofdint_emu_gro,
};
