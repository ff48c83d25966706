// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rx_csum.c - the emulator's receive checksum block: the state a NIC
 * hands the driver with a received frame (CHECKSUM_UNNECESSARY and
 * csum_level, CHECKSUM_COMPLETE and its sum, or nothing).
 *
 * It starts from the model's analysis of the frame (oracles/model/
 * rx_csum.c: every checksum layer's validity, the right COMPLETE range),
 * so a device with every knob at its default is correct by construction,
 * and each other knob value bends exactly one thing the way a real block
 * gets it wrong (profile_rx_csum.c):
 *  - csum_level one-too-high: one layer more than it verified;
 *  - inner_checksums trusted: verifies the outermost checksum only and
 *    vouches for every layer behind it (UNNECESSARY for a tunnel whose
 *    inner checksum is bad);
 *  - complete_vlan included: sums the 802.1Q/802.1ad tags it stripped
 *    (lan78xx, bug-catalogue.md 10);
 *  - complete_padding included: sums to the end of the frame instead of
 *    the end of the IP datagram;
 *  - mode none: never validates (benign: the stack computes).
 * Allocation-free; the frame goes out by reference.
 */
#include "emu_internal.h"
#include "ofd_csum.h"
#include "ofd_rx_csum.h"

static void unnecessary(const struct emu_rx_csum_knobs *k,
			const struct ofd_rxcsum *a, struct ofd_meta *m)
{
	unsigned int n = a->nvalid;

	/* Only the outermost checksum looked at; the rest declared good. */
	if (k->inner && n)
		n = a->n;
	if (k->level && n)
		n++;
	if (!n) {
		m->csum_state = OFD_CSUM_STATE_NONE;
		m->csum_level = 0;
		return;
	}
	m->csum_state = OFD_CSUM_STATE_UNNECESSARY;
	m->csum_level = (uint8_t)(n - 1 > OFD_RXCSUM_MAX_LEVEL ?
				  OFD_RXCSUM_MAX_LEVEL : n - 1);
}

static void complete(const struct emu_rx_csum_knobs *k, const uint8_t *frame,
		     const struct ofd_rxcsum *a, struct ofd_meta *m)
{
	uint32_t sum = a->complete;

	/* The tags sit between the MAC addresses and the L3 ethertype:
	 * [12, l3_off - 2), whole words at even offsets like the L3 header,
	 * so their sum adds in place. */
	if (k->vlan && a->l3_off >= 18 && a->l3_off <= a->len)
		sum = ofd_csum_add(sum, ofd_rx_csum_sum(frame, 12, a->l3_off - 2));
	if (k->padding && a->l3_end < a->len)
		sum = ofd_csum_block_add(sum, ofd_rx_csum_sum(frame, a->l3_end, a->len),
					 a->l3_end - a->l3_off);
	m->csum_state = OFD_CSUM_STATE_COMPLETE;
	m->csum_level = 0;
	m->csum_value = ofd_fold16(sum);
}

void ofdint_emu_rx_csum(const struct ofdint_emu_profile *p,
			const struct ofd_case *c, struct ofd_result *r)
{
	const struct emu_rx_csum_knobs *k = &p->rx_csum;
	struct ofd_rxcsum a;
	struct ofd_frame *f;

	if (c->npkts != 1 || !c->pkts || (!c->pkts[0].data && c->pkts[0].len)) {
		ofd_result_unsupported(r, "emu: an rx-csum case is one received frame");
		return;
	}
	ofd_rx_csum_analyse(c->pkts[0].data, c->pkts[0].len, &a);
	f = ofd_result_add_ref(r, c->pkts[0].data, c->pkts[0].len);
	if (!f) {
		ofd_result_unsupported(r, "emu: no room for the frame");
		return;
	}
	f->meta.has |= OFD_META_CSUM_STATE;
	switch (k->mode) {
	case EMU_RXC_COMPLETE:
		complete(k, c->pkts[0].data, &a, &f->meta);
		break;
	case EMU_RXC_NONE:
		f->meta.csum_state = OFD_CSUM_STATE_NONE;
		break;
	default:
		unnecessary(k, &a, &f->meta);
		break;
	}
}

const struct emu_offload ofd_emu_rx_csum = {
	.run = ofdint_emu_rx_csum,
};
