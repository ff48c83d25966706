// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * profile_tso.c - tso's section of an emulator profile (`tso:`): the
 * knobs of its segmentation engine (targets/emu/tso.c). Every knob is a
 * choice whose first value is the kernel's rule (kernel-tx.md 5-7), each
 * other value one way a real TSO engine gets it wrong.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emu_internal.h"
#include "ofd_yaml.h"

/* Indexed by enum emu_tso_knob. */
static const char *const knob_names[] = {
	[EMU_TSO_PSH_FIN] = "psh_fin",
	[EMU_TSO_CWR] = "cwr",
	[EMU_TSO_IPV4_ID] = "ipv4_id",
	[EMU_TSO_EXTHDR] = "ipv6_extension_headers",
	[EMU_TSO_PSEUDO_LEN] = "pseudo_header_length",
	[EMU_TSO_LAST_LEN] = "last_segment_length",
	[EMU_TSO_OUTER_LEN] = "outer_udp_length",
	[EMU_TSO_OUTER_CSUM] = "outer_udp_checksum",
	[EMU_TSO__MAX] = NULL,
};

struct tso_choice {
	const char *const *vals;
	unsigned int n;
};

static const char *const psh_vals[] = { "last-segment", "every-segment" };
static const char *const cwr_vals[] = { "first-segment", "every-segment" };
static const char *const id_vals[] = { "increment", "fixed", "inner-only" };
static const char *const exthdr_vals[] = { "parse", "refuse" };
static const char *const pseudo_vals[] = { "replaced", "kept", "removed-twice" };
static const char *const last_vals[] = { "actual", "full-size" };
static const char *const stale_vals[] = { "update", "stale" };

/* Indexed by enum emu_tso_knob, like struct emu_tso_knobs' members. */
static const struct tso_choice choices[] = {
	[EMU_TSO_PSH_FIN] = { psh_vals, OFD_ARRAY_SIZE(psh_vals) },
	[EMU_TSO_CWR] = { cwr_vals, OFD_ARRAY_SIZE(cwr_vals) },
	[EMU_TSO_IPV4_ID] = { id_vals, OFD_ARRAY_SIZE(id_vals) },
	[EMU_TSO_EXTHDR] = { exthdr_vals, OFD_ARRAY_SIZE(exthdr_vals) },
	[EMU_TSO_PSEUDO_LEN] = { pseudo_vals, OFD_ARRAY_SIZE(pseudo_vals) },
	[EMU_TSO_LAST_LEN] = { last_vals, OFD_ARRAY_SIZE(last_vals) },
	[EMU_TSO_OUTER_LEN] = { stale_vals, OFD_ARRAY_SIZE(stale_vals) },
	[EMU_TSO_OUTER_CSUM] = { stale_vals, OFD_ARRAY_SIZE(stale_vals) },
};

_Static_assert(OFD_ARRAY_SIZE(choices) == EMU_TSO__MAX, "tso knob table");
_Static_assert(sizeof(struct emu_tso_knobs) == EMU_TSO__MAX,
	       "one byte per tso knob, in enum emu_tso_knob order");

/* struct emu_tso_knobs is one uint8_t per knob in knob order. */
static uint8_t *knob_slot(struct emu_tso_knobs *t, unsigned int k)
{
	return (uint8_t *)t + k;
}

static int tso_parse(struct ofdint_emu_profile *p, unsigned int k,
		     const struct ofd_ynode *v, char *err, size_t err_len)
{
	if (k >= EMU_TSO__MAX)
		return -EINVAL;
	return ofdint_emu_knob_choice(v, knob_names[k], choices[k].vals,
				      choices[k].n, knob_slot(&p->tso, k), err,
				      err_len);
}

static void tso_show(const struct ofdint_emu_profile *p, unsigned int k,
		     char *buf, size_t len)
{
	uint8_t v;

	if (k >= EMU_TSO__MAX)
		return;
	v = *knob_slot((struct emu_tso_knobs *)&p->tso, k);
	snprintf(buf, len, "%s", v < choices[k].n ? choices[k].vals[v] : "?");
}

static unsigned int *tso_set(struct ofdint_emu_profile *p)
{
	return &p->tso_set;
}

const struct emu_section ofdint_emu_section_tso = {
	.key = "tso",
	.names = knob_names,
	.nknobs = EMU_TSO__MAX,
	.parse = tso_parse,
	.show = tso_show,
	.set = tso_set,
};
