// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * profile_rss.c - rss's section of an emulator profile (`rss:`): how the
 * emulated device's receive hash (targets/emu/rss.c) bends the model's.
 * Every knob is a choice whose first value is the model's rule
 * (kernel-rx.md 5.1, 6), each other value one bug real NICs ship (issue
 * 21): L4 ports hashed on fragments, the outer tuple of a tunnel, IPv6
 * extension headers not skipped, the symmetric-xor transform on a device
 * configured for plain Toeplitz.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emu_internal.h"
#include "ofd_yaml.h"

/* Indexed by enum emu_rss_knob. */
static const char *const knob_names[] = {
	[EMU_RSS_FRAG_PORTS] = "fragment_ports",
	[EMU_RSS_TUNNEL] = "tunnel_tuple",
	[EMU_RSS_EXTHDR] = "ipv6_extension_headers",
	[EMU_RSS_XFRM] = "input_xfrm",
	[EMU_RSS__MAX] = NULL,
};

struct rss_choice {
	const char *const *vals;
	unsigned int n;
};

static const char *const frag_vals[] = { "none", "hashed" };
static const char *const tun_vals[] = { "inner", "outer" };
static const char *const ext_vals[] = { "skipped", "not-skipped" };
static const char *const xfrm_vals[] = { "as-configured", "sym-xor" };

static const struct rss_choice choices[] = {
	[EMU_RSS_FRAG_PORTS] = { frag_vals, OFD_ARRAY_SIZE(frag_vals) },
	[EMU_RSS_TUNNEL] = { tun_vals, OFD_ARRAY_SIZE(tun_vals) },
	[EMU_RSS_EXTHDR] = { ext_vals, OFD_ARRAY_SIZE(ext_vals) },
	[EMU_RSS_XFRM] = { xfrm_vals, OFD_ARRAY_SIZE(xfrm_vals) },
};

_Static_assert(OFD_ARRAY_SIZE(choices) == EMU_RSS__MAX, "rss knob table");
_Static_assert(sizeof(struct emu_rss_knobs) == EMU_RSS__MAX,
	       "one byte per rss knob, in enum emu_rss_knob order");

static uint8_t *knob_slot(struct emu_rss_knobs *r, unsigned int k)
{
	return (uint8_t *)r + k;
}

static int rss_parse(struct ofdint_emu_profile *p, unsigned int k,
		     const struct ofd_ynode *v, char *err, size_t err_len)
{
	if (k >= EMU_RSS__MAX)
		return -EINVAL;
	return ofdint_emu_knob_choice(v, knob_names[k], choices[k].vals, choices[k].n,
				      knob_slot(&p->rss, k), err, err_len);
}

static void rss_show(const struct ofdint_emu_profile *p, unsigned int k, char *buf,
		     size_t len)
{
	uint8_t v;

	if (k >= EMU_RSS__MAX)
		return;
	v = *knob_slot((struct emu_rss_knobs *)&p->rss, k);
	snprintf(buf, len, "%s", v < choices[k].n ? choices[k].vals[v] : "?");
}

static unsigned int *rss_set(struct ofdint_emu_profile *p)
{
	return &p->rss_set;
}

const struct emu_section ofdint_emu_section_rss = {
	.key = "rss",
	.names = knob_names,
	.nknobs = EMU_RSS__MAX,
	.parse = rss_parse,
	.show = rss_show,
	.set = rss_set,
};
