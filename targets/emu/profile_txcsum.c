// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * profile_txcsum.c - tx-csum's section of an emulator profile: the knobs
 * of its TX checksum engine (targets/emu/txcsum.c). The section is spelled
 * `knobs:`, as profiles were written before offloads had sections.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "emu_internal.h"
#include "ofd_yaml.h"

/* Indexed by enum emu_knob. */
static const char *const knob_names[] = {
	[EMU_KNOB_DADDR] = "pseudo_header_daddr",
	[EMU_KNOB_EXTHDR] = "ipv6_extension_headers",
	[EMU_KNOB_ZERO] = "zero_checksum",
	[EMU_KNOB_TAIL] = "tail_window",
	[EMU_KNOB_TUNNEL] = "tunnel_checksum",
	[EMU_KNOB__MAX] = NULL,
};

/* Largest accepted tail_window: a full-size jumbo frame. */
#define EMU_TAIL_MAX 65535u

static const char *const daddr_vals[] = { "final-destination", "ipv6-destination" };
static const char *const exthdr_vals[] = { "parse", "ignore" };
static const char *const tunnel_vals[] = { "inner", "outer" };

static int choice(const struct ofd_ynode *v, const char *knob,
		  const char *const *vals, bool *out, char *err, size_t err_len)
{
	uint8_t i;
	int ret = ofdint_emu_knob_choice(v, knob, vals, 2, &i, err, err_len);

	if (!ret)
		*out = i;
	return ret;
}

static int txcsum_parse(struct ofdint_emu_profile *p, unsigned int k,
			const struct ofd_ynode *v, char *err, size_t err_len)
{
	const char *name = knob_names[k];
	uint32_t u;
	int ret;

	switch ((enum emu_knob)k) {
	case EMU_KNOB_DADDR:
		return choice(v, name, daddr_vals, &p->use_ipv6_dst, err, err_len);
	case EMU_KNOB_EXTHDR:
		return choice(v, name, exthdr_vals, &p->ignore_exthdr, err, err_len);
	case EMU_KNOB_TUNNEL:
		return choice(v, name, tunnel_vals, &p->tunnel_outer, err, err_len);
	case EMU_KNOB_ZERO:
		/* Written as 0xffff / 0x0000; any spelling of the two
		 * numbers is fine, any other number is not. */
		if (v->type != OFD_Y_SCALAR)
			return ofd_yerr(err, err_len, v,
					"%s: expected 0xffff or 0x0000, got a %s",
					name, v->type == OFD_Y_MAP ? "map" :
					"sequence");
		if (ofd_y_u32(v, name, 0xffff, &u, NULL, 0) ||
		    (u != 0 && u != 0xffff))
			return ofd_yerr(err, err_len, v,
					"%s: expected 0xffff or 0x0000, got '%s'",
					name, v->scalar);
		p->zero_value = (uint16_t)u;
		return 0;
	case EMU_KNOB_TAIL:
		ret = ofd_y_u32(v, name, EMU_TAIL_MAX, &u, err, err_len);
		if (ret)
			return ret;
		p->tail_window = u;
		return 0;
	case EMU_KNOB__MAX:
		break;
	}
	return -EINVAL;
}

static void txcsum_show(const struct ofdint_emu_profile *p, unsigned int k,
			char *buf, size_t len)
{
	switch ((enum emu_knob)k) {
	case EMU_KNOB_DADDR:
		snprintf(buf, len, "%s", daddr_vals[p->use_ipv6_dst]);
		break;
	case EMU_KNOB_EXTHDR:
		snprintf(buf, len, "%s", exthdr_vals[p->ignore_exthdr]);
		break;
	case EMU_KNOB_ZERO:
		snprintf(buf, len, "0x%04x", p->zero_value);
		break;
	case EMU_KNOB_TAIL:
		snprintf(buf, len, "%u", p->tail_window);
		break;
	case EMU_KNOB_TUNNEL:
		snprintf(buf, len, "%s", tunnel_vals[p->tunnel_outer]);
		break;
	case EMU_KNOB__MAX:
		break;
	}
}

static unsigned int *txcsum_set(struct ofdint_emu_profile *p)
{
	return &p->set;
}

const struct emu_section ofdint_emu_section_tx_csum = {
	.key = "knobs",
	.names = knob_names,
	.nknobs = EMU_KNOB__MAX,
	.parse = txcsum_parse,
	.show = txcsum_show,
	.set = txcsum_set,
};
