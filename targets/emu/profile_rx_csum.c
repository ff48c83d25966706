// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * profile_rx_csum.c - rx-csum's section of an emulator profile
 * (`rx-csum:`): the knobs of its receive checksum block
 * (targets/emu/rx_csum.c). Every knob is a choice whose first value is a
 * correct device (kernel-rx.md 4), each other value one way real devices
 * are known to get the state wrong (bug-catalogue.md 10: COMPLETE over
 * the VLAN tag, over the padding), or a legitimate choice (`mode`: which
 * state the device reports at all).
 */
#include <errno.h>
#include <stdio.h>

#include "emu_internal.h"
#include "ofd_yaml.h"

/* Indexed by enum emu_rx_csum_knob. */
static const char *const knob_names[] = {
	[EMU_RXC_MODE] = "mode",
	[EMU_RXC_LEVEL] = "csum_level",
	[EMU_RXC_INNER] = "inner_checksums",
	[EMU_RXC_VLAN] = "complete_vlan",
	[EMU_RXC_PADDING] = "complete_padding",
	[EMU_RXC__MAX] = NULL,
};

/* in enum emu_rxc_mode's order */
static const char *const mode_vals[] = { "unnecessary", "complete", "none" };
static const char *const level_vals[] = { "consecutive-valid", "one-too-high" };
static const char *const inner_vals[] = { "verified", "trusted" };
static const char *const range_vals[] = { "excluded", "included" };

struct rxc_choice {
	const char *const *vals;
	unsigned int n;
};

static const struct rxc_choice choices[] = {
	[EMU_RXC_MODE] = { mode_vals, OFD_ARRAY_SIZE(mode_vals) },
	[EMU_RXC_LEVEL] = { level_vals, OFD_ARRAY_SIZE(level_vals) },
	[EMU_RXC_INNER] = { inner_vals, OFD_ARRAY_SIZE(inner_vals) },
	[EMU_RXC_VLAN] = { range_vals, OFD_ARRAY_SIZE(range_vals) },
	[EMU_RXC_PADDING] = { range_vals, OFD_ARRAY_SIZE(range_vals) },
};

_Static_assert(OFD_ARRAY_SIZE(choices) == EMU_RXC__MAX, "rx-csum knob table");
_Static_assert(sizeof(struct emu_rx_csum_knobs) == EMU_RXC__MAX,
	       "one byte per rx-csum knob, in enum emu_rx_csum_knob order");

/* struct emu_rx_csum_knobs is one uint8_t per knob in knob order. */
static uint8_t *knob_slot(struct emu_rx_csum_knobs *k, unsigned int i)
{
	return (uint8_t *)k + i;
}

static int rxc_parse(struct ofdint_emu_profile *p, unsigned int k,
		     const struct ofd_ynode *v, char *err, size_t err_len)
{
	if (k >= EMU_RXC__MAX)
		return -EINVAL;
	return ofdint_emu_knob_choice(v, knob_names[k], choices[k].vals,
				      choices[k].n, knob_slot(&p->rx_csum, k), err,
				      err_len);
}

static void rxc_show(const struct ofdint_emu_profile *p, unsigned int k,
		     char *buf, size_t len)
{
	uint8_t v;

	if (k >= EMU_RXC__MAX)
		return;
	v = *knob_slot((struct emu_rx_csum_knobs *)&p->rx_csum, k);
	snprintf(buf, len, "%s", v < choices[k].n ? choices[k].vals[v] : "?");
}

static unsigned int *rxc_set(struct ofdint_emu_profile *p)
{
	return &p->rx_csum_set;
}

const struct emu_section ofdint_emu_section_rx_csum = {
	.key = "rx-csum",
	.names = knob_names,
	.nknobs = EMU_RXC__MAX,
	.parse = rxc_parse,
	.show = rxc_show,
	.set = rxc_set,
};
