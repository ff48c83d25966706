// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * wireshark.c - where Wireshark disagrees with the kernel about a
 * reference frame, diff.txt says so, so that nobody opening expected.pcap
 * takes a red checksum for a reference bug. Both cases were seen with
 * tshark 4.0 (Debian 12) and checksum validation on:
 *
 *  - TCP checksum 0xffff: skb_checksum_help() writes CSUM_MANGLED_0
 *    (0xffff) when the sum folds to 0, for every protocol. 0xffff and
 *    0x0000 are the two ones'-complement zeros and receivers accept
 *    either; Wireshark marks the field Bad, "TCP Checksum 0xffff instead
 *    of 0x0000 (see RFC 1624)".
 *  - UDP checksum 0 over IPv6 in a header the request does not cover (a
 *    tunnel's outer UDP): RFC 6935/6936 allow a zero checksum for tunnel
 *    encapsulations and the kernel leaves that header as the stack built
 *    it; Wireshark marks it "Illegal checksum value (0)".
 *  - A frame handed up as CHECKSUM_PARTIAL (the vnet header's NEEDS_CSUM:
 *    a GRO aggregate, kernel-rx.md 1.9 and 7.3): its checksum field holds
 *    the pseudo-header seed, which the stack completes only if it sends
 *    the frame on; Wireshark marks it Bad.
 *  - Any other checksum that does not verify in a reference frame is the
 *    input's own, passed on unchanged (a receive path hands a bad one up
 *    unmerged for the protocol to drop, kernel-rx.md 1.8); the checksum
 *    layers are the rx-csum model's (ofd_rx_csum_analyse).
 */
#include <stdlib.h>

#include "ofd_parse.h"
#include "ofd_rx_csum.h"
#include "report_internal.h"

static uint16_t be16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* The IP layer that encloses layer i, or -1. */
static int enclosing_ip(const struct ofd_parsed *p, int i)
{
	while (--i >= 0)
		if (p->layer[i].proto == OFD_P_IPV4 || p->layer[i].proto == OFD_P_IPV6)
			return i;
	return -1;
}

static void frame_notes(FILE *f, uint32_t n, const uint8_t *b, uint32_t len)
{
	struct ofd_parsed p;
	uint32_t i;

	ofd_parse(b, len, 0, &p);
	for (i = 0; i < p.nlayers; i++) {
		const struct ofd_layer *l = &p.layer[i];
		int ip = enclosing_ip(&p, (int)i);

		if (l->proto == OFD_P_TCP && l->off + 18 <= len && be16(b + l->off + 16) == 0xffff)
			fprintf(f, "wireshark: expected frame %u: tcp.checksum 0xffff is the kernel's "
				   "0 -> 0xffff mapping (skb_checksum_help writes CSUM_MANGLED_0 for a "
				   "zero sum); Wireshark flags it \"TCP Checksum 0xffff instead of 0x0000 "
				   "(see RFC 1624)\": both are ones'-complement zero, receivers accept "
				   "either\n", n);
		if (l->proto == OFD_P_UDP && l->off + 8 <= len && be16(b + l->off + 6) == 0 &&
		    ip >= 0 && p.layer[ip].proto == OFD_P_IPV6)
			fprintf(f, "wireshark: expected frame %u: %sudp.checksum 0x0000 over IPv6: "
				   "Wireshark flags \"Illegal checksum value (0)\"; RFC 6935/6936 allow "
				   "it for tunnel encapsulations, and the kernel leaves a header the "
				   "request does not cover as the stack built it\n",
				n, (int)i == p.l4 ? "" : "outer ");
	}
}

/* Checksums of a frame that do not verify: the input's, passed on. */
static void bad_notes(FILE *f, uint32_t n, const uint8_t *b, uint32_t len)
{
	struct ofd_rxcsum a;
	unsigned int i;

	ofd_rx_csum_analyse(b, len, &a);
	for (i = 0; i < a.n; i++) {
		const struct ofd_rxcsum_layer *l = &a.layer[i];

		if (l->status != OFD_RXCSUM_BAD || (l->proto != OFD_P_TCP && l->proto != OFD_P_UDP))
			continue;
		fprintf(f, "wireshark: expected frame %u: %s%s.checksum 0x%04x does not verify: the "
			   "input's own, passed on unchanged (a receive path hands a bad checksum up "
			   "for the protocol to drop, kernel-rx.md 1.8); Wireshark flags it Bad\n",
			n, l->depth ? "inner " : "", l->proto == OFD_P_TCP ? "tcp" : "udp",
			l->stored & 0xffff);
	}
}

void ofdint_report_wireshark_notes(FILE *f, const struct ofd_result *ref)
{
	uint32_t i;

	for (i = 0; ref && ref->status == OFD_RES_OK && i < ref->nframes; i++) {
		const struct ofd_frame *fr = &ref->frame[i];
		uint8_t *buf = malloc(fr->len ? fr->len : 1);

		if (!buf)
			return;
		ofd_frame_materialize(fr, buf);
		frame_notes(f, i + 1, buf, fr->len);
		if ((fr->meta.has & OFD_META_VNET) && (fr->meta.vnet.flags & OFD_VNET_F_NEEDS_CSUM) &&
		    (uint32_t)fr->meta.vnet.csum_start + fr->meta.vnet.csum_offset + 2 <= fr->len)
			fprintf(f, "wireshark: expected frame %u: the checksum at byte %u (%s.checksum "
				   "0x%04x) is the pseudo-header seed of a frame handed up as "
				   "CHECKSUM_PARTIAL (NEEDS_CSUM, csum_start %u: a GRO aggregate), "
				   "completed only if the stack sends it on; Wireshark flags it Bad\n",
				i + 1, fr->meta.vnet.csum_start + fr->meta.vnet.csum_offset,
				fr->meta.vnet.csum_offset == 6 ? "udp" : "tcp",
				be16(buf + fr->meta.vnet.csum_start + fr->meta.vnet.csum_offset),
				fr->meta.vnet.csum_start);
		else
			bad_notes(f, i + 1, buf, fr->len);
		free(buf);
	}
}
