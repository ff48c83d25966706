// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * profile_dissect.c - dissect's section of an emulator profile
 * (`dissect:`): the knobs of the emulated device's packet parser
 * (targets/emu/dissect.c). Every knob is a choice whose first value is
 * the kernel's rule (kernel-rx.md 5.1-5.3), each other value one way a
 * NIC parser or a BPF dissector is known to read a packet differently
 * (issue 21: ports hashed on fragments, extension headers not skipped,
 * the outer tuple of a tunnel; the keys a BPF dissector leaves out).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emu_internal.h"
#include "ofd_yaml.h"

/* Indexed by enum emu_dissect_knob. */
static const char *const knob_names[] = {
	[EMU_DIS_FRAG_PORTS] = "fragment_ports",
	[EMU_DIS_EXTHDR] = "ipv6_extension_headers",
	[EMU_DIS_TUNNEL] = "tunnel_addresses",
	[EMU_DIS_VLAN] = "vlan_key",
	[EMU_DIS_FLOW_LABEL] = "flow_label",
	[EMU_DIS__MAX] = NULL,
};

struct dis_choice {
	const char *const *vals;
	unsigned int n;
};

/* in enum ofd_dissect_frag_ports' order */
static const char *const frag_vals[] = { "none", "first-fragment", "every-fragment" };
static const char *const ext_vals[] = { "skipped", "not-skipped" };
static const char *const tun_vals[] = { "inner", "outer" };
static const char *const vlan_vals[] = { "first-tag", "none" };
static const char *const fl_vals[] = { "recorded", "ignored" };

static const struct dis_choice choices[] = {
	[EMU_DIS_FRAG_PORTS] = { frag_vals, OFD_ARRAY_SIZE(frag_vals) },
	[EMU_DIS_EXTHDR] = { ext_vals, OFD_ARRAY_SIZE(ext_vals) },
	[EMU_DIS_TUNNEL] = { tun_vals, OFD_ARRAY_SIZE(tun_vals) },
	[EMU_DIS_VLAN] = { vlan_vals, OFD_ARRAY_SIZE(vlan_vals) },
	[EMU_DIS_FLOW_LABEL] = { fl_vals, OFD_ARRAY_SIZE(fl_vals) },
};

_Static_assert(OFD_ARRAY_SIZE(choices) == EMU_DIS__MAX, "dissect knob table");
_Static_assert(sizeof(struct emu_dissect_knobs) == EMU_DIS__MAX,
	       "one byte per dissect knob, in enum emu_dissect_knob order");

static uint8_t *knob_slot(struct emu_dissect_knobs *d, unsigned int k)
{
	return (uint8_t *)d + k;
}

static int dissect_parse(struct ofdint_emu_profile *p, unsigned int k,
			 const struct ofd_ynode *v, char *err, size_t err_len)
{
	if (k >= EMU_DIS__MAX)
		return -EINVAL;
	return ofdint_emu_knob_choice(v, knob_names[k], choices[k].vals, choices[k].n,
				      knob_slot(&p->dissect, k), err, err_len);
}

static void dissect_show(const struct ofdint_emu_profile *p, unsigned int k, char *buf,
			 size_t len)
{
	uint8_t v;

	if (k >= EMU_DIS__MAX)
		return;
	v = *knob_slot((struct emu_dissect_knobs *)&p->dissect, k);
	snprintf(buf, len, "%s", v < choices[k].n ? choices[k].vals[v] : "?");
}

static unsigned int *dissect_set(struct ofdint_emu_profile *p)
{
	return &p->dissect_set;
}

const struct emu_section ofdint_emu_section_dissect = {
	.key = "dissect",
	.names = knob_names,
	.nknobs = EMU_DIS__MAX,
	.parse = dissect_parse,
	.show = dissect_show,
	.set = dissect_set,
};
