// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * dissect.c - the emulator's packet parser for the dissect offload: the
 * flow keys a device's parser extracts from a received frame, answered
 * like the model's (one frame, the keys record).
 *
 * It runs the dissector model (oracles/model/dissect.c) under rules
 * filled from the profile's `dissect:` knobs: every knob at its default
 * is the kernel's dissector, each other value bends exactly one rule
 * (ofd_dissect.h), like the gro device. The native image of a BPF flow
 * dissector is the emulator's other, loadable parser (issue 21 item 4);
 * this one stands for fixed-function parsers.
 */
#include "emu_internal.h"
#include "ofd_dissect.h"

static void rules_of(const struct emu_dissect_knobs *k, struct ofd_dissect_rules *r)
{
	*r = ofd_dissect_rules_kernel;
	r->frag_ports = k->frag_ports;
	r->no_ext_skip = k->exthdr != 0;
	r->outer_addrs = k->tunnel != 0;
	r->no_vlan_key = k->vlan != 0;
	r->no_flow_label = k->flow_label != 0;
}

static void emu_dissect(const struct ofdint_emu_profile *p, const struct ofd_case *c,
			struct ofd_result *r)
{
	struct ofd_dissect_rules rules;

	rules_of(&p->dissect, &rules);
	ofd_model_dissect_case(&rules, c, r);
}

const struct emu_offload ofd_emu_dissect = {
	.run = emu_dissect,
};
