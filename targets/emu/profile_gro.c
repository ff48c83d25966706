// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * profile_gro.c - gro's section of an emulator profile (`gro:`): the
 * knobs of its coalescing engine (targets/emu/gro.c), an LRO / hardware
 * GRO block. Every knob is a choice whose first value is the kernel's
 * rule (kernel-rx.md 1.2, 1.5-1.7, 1.9, 2.1), each other value one way
 * an LRO engine is known to merge what GRO keeps apart, or to describe
 * the merged frame wrongly. max_segs is a number instead: an LRO engine's
 * aggregation limit (0, the default, none: the kernel's), which merges
 * strictly less than GRO.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emu_internal.h"
#include "ofd_yaml.h"

/* Indexed by enum emu_gro_knob. */
static const char *const knob_names[] = {
	[EMU_GRO_PSH] = "psh",
	[EMU_GRO_TCP_OPTS] = "tcp_options",
	[EMU_GRO_IP_ID] = "ipv4_id",
	[EMU_GRO_TTL] = "ttl",
	[EMU_GRO_TOS] = "tos",
	[EMU_GRO_ECN] = "ecn",
	[EMU_GRO_SEQ] = "sequence",
	[EMU_GRO_UDP] = "udp",
	[EMU_GRO_GSO_SIZE] = "gso_size",
	[EMU_GRO_MAX_SEGS] = "max_segs",
	[EMU_GRO__MAX] = NULL,
};

struct gro_choice {
	const char *const *vals;
	unsigned int n;
};

static const char *const psh_vals[] = { "ends-aggregate", "merged-across" };
static const char *const cmp_vals[] = { "compared", "ignored" };
static const char *const id_vals[] = { "increment-or-fixed", "ignored" };
static const char *const seq_vals[] = { "in-order", "across-holes" };
/* in enum ofd_gro_udp's order */
static const char *const udp_vals[] = { "not-coalesced", "coalesced", "fraglist" };
static const char *const gso_vals[] = { "first-segment", "last-segment", "average" };

/* Indexed by enum emu_gro_knob, like struct emu_gro_knobs' members. */
static const struct gro_choice choices[] = {
	[EMU_GRO_PSH] = { psh_vals, OFD_ARRAY_SIZE(psh_vals) },
	[EMU_GRO_TCP_OPTS] = { cmp_vals, OFD_ARRAY_SIZE(cmp_vals) },
	[EMU_GRO_IP_ID] = { id_vals, OFD_ARRAY_SIZE(id_vals) },
	[EMU_GRO_TTL] = { cmp_vals, OFD_ARRAY_SIZE(cmp_vals) },
	[EMU_GRO_TOS] = { cmp_vals, OFD_ARRAY_SIZE(cmp_vals) },
	[EMU_GRO_ECN] = { cmp_vals, OFD_ARRAY_SIZE(cmp_vals) },
	[EMU_GRO_SEQ] = { seq_vals, OFD_ARRAY_SIZE(seq_vals) },
	[EMU_GRO_UDP] = { udp_vals, OFD_ARRAY_SIZE(udp_vals) },
	[EMU_GRO_GSO_SIZE] = { gso_vals, OFD_ARRAY_SIZE(gso_vals) },
	[EMU_GRO_MAX_SEGS] = { NULL, 0 }, /* a number, not a choice */
};

_Static_assert(OFD_ARRAY_SIZE(choices) == EMU_GRO__MAX, "gro knob table");
_Static_assert(sizeof(struct emu_gro_knobs) == EMU_GRO__MAX,
	       "one byte per gro knob, in enum emu_gro_knob order");

/* struct emu_gro_knobs is one uint8_t per knob in knob order. */
static uint8_t *knob_slot(struct emu_gro_knobs *g, unsigned int k)
{
	return (uint8_t *)g + k;
}

static int gro_parse(struct ofdint_emu_profile *p, unsigned int k,
		     const struct ofd_ynode *v, char *err, size_t err_len)
{
	uint32_t n;
	int ret;

	if (k >= EMU_GRO__MAX)
		return -EINVAL;
	if (k == EMU_GRO_MAX_SEGS) {
		/* one byte like every knob: 255 segments is past any LRO
		 * limit in use (and past 64 KB of full-sized segments) */
		ret = ofd_y_u32(v, knob_names[k], 255, &n, err, err_len);
		if (!ret)
			p->gro.max_segs = (uint8_t)n;
		return ret;
	}
	return ofdint_emu_knob_choice(v, knob_names[k], choices[k].vals,
				      choices[k].n, knob_slot(&p->gro, k), err,
				      err_len);
}

static void gro_show(const struct ofdint_emu_profile *p, unsigned int k,
		     char *buf, size_t len)
{
	uint8_t v;

	if (k >= EMU_GRO__MAX)
		return;
	v = *knob_slot((struct emu_gro_knobs *)&p->gro, k);
	if (k == EMU_GRO_MAX_SEGS) {
		snprintf(buf, len, "%u", v);
		return;
	}
	snprintf(buf, len, "%s", v < choices[k].n ? choices[k].vals[v] : "?");
}

static unsigned int *gro_set(struct ofdint_emu_profile *p)
{
	return &p->gro_set;
}

const struct emu_section ofdint_emu_section_gro = {
	.key = "gro",
	.names = knob_names,
	.nknobs = EMU_GRO__MAX,
	.parse = gro_parse,
	.show = gro_show,
	.set = gro_set,
};
