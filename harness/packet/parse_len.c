// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * parse_len.c - the length of an IP datagram as its header gives it, BIG TCP
 * included (ofd_parse_ip_len in ofd_parse.h).
 *
 * Formats: RFC 791 (IPv4 total length), RFC 8200 (IPv6 payload length,
 * hop-by-hop options as TLVs, 4.2), RFC 2675 (jumbograms: payload length 0
 * and a Jumbo Payload option, type 0xC2, 4 bytes of length, in the
 * hop-by-hop header). BIG TCP (kernel-rx.md 1.9, kernel-tx.md 5.2): the
 * kernel writes an IPv4 tot_len of 0 for a GSO packet over 64 KB
 * (iph_set_totlen) and reads the length back from the skb (iph_totlen); for
 * IPv6 it inserts an 8-byte hop-by-hop header holding only the jumbo option.
 */
#include <stdbool.h>
#include <stdint.h>

#include "ofd.h"
#include "ofd_parse.h"

#define JUMBO_TYPE 0xc2

static bool layer_ok(const struct ofd_layer *l, uint32_t len)
{
	return l->off <= len && l->len <= len - l->off;
}

/*
 * Find a Jumbo Payload option in hop-by-hop header h (RFC 8200 4.2 TLVs:
 * Pad1 is one byte, every other option type, length, data). 1 with the
 * length in *jumbo, 0 when there is none, -EBADMSG when an option runs past
 * the header or the jumbo option is not 4 bytes long.
 */
static int find_jumbo(const uint8_t *frame, uint32_t len,
		      const struct ofd_layer *h, uint32_t *jumbo)
{
	uint32_t o = 2, end = h->off + h->len;
	uint8_t type, olen;

	while (h->off + o < end) {
		if (ofd_get_u8(frame, len, h->off + o, &type))
			return -EBADMSG;
		if (type == 0) { /* Pad1 */
			o++;
			continue;
		}
		if (h->off + o + 2 > end ||
		    ofd_get_u8(frame, len, h->off + o + 1, &olen) ||
		    h->off + o + 2 + olen > end)
			return -EBADMSG;
		if (type == JUMBO_TYPE) {
			if (olen != 4)
				return -EBADMSG;
			return ofd_get_be32(frame, len, h->off + o + 2, jumbo) ?
				       -EBADMSG : 1;
		}
		o += 2u + olen;
	}
	return 0;
}

int ofd_parse_ip_len(const uint8_t *frame, uint32_t len,
		     const struct ofd_parsed *p, int l3, uint32_t *dlen,
		     bool *big)
{
	const struct ofd_layer *ip, *h;
	uint32_t avail, jumbo = 0;
	uint16_t v;
	int err = 0, j;

	if (big)
		*big = false;
	if (l3 < 0 || (uint32_t)l3 >= p->nlayers || l3 >= OFD_PARSE_MAX_LAYERS)
		return -EINVAL;
	ip = &p->layer[l3];
	if (ip->proto != OFD_P_IPV4 && ip->proto != OFD_P_IPV6)
		return -EINVAL;
	if (ip->off > len)
		return -EBADMSG;
	avail = len - ip->off;

	if (ip->proto == OFD_P_IPV4) {
		if (ofd_get_be16(frame, len, ip->off + 2, &v))
			return -EBADMSG;
		*dlen = v;
		/* No real IPv4 datagram has length 0: the kernel writes it
		 * for a GSO packet over 64 KB and takes the length from the
		 * skb (iph_totlen), so it is BIG TCP when the frame holds
		 * more than any tot_len could say. */
		if (v == 0 && avail > 0xffff) {
			*dlen = avail;
			if (big)
				*big = true;
		}
		return *dlen > avail ? -ERANGE : 0;
	}

	if (ofd_get_be16(frame, len, ip->off + 4, &v))
		return -EBADMSG;
	*dlen = 40u + v;
	/* RFC 2675 2: the option lives in a hop-by-hop header, which can
	 * only follow the fixed header. */
	j = l3 + 1;
	h = (uint32_t)j < p->nlayers && j < OFD_PARSE_MAX_LAYERS ?
		    &p->layer[j] : NULL;
	if (h && h->proto == OFD_P_HBH && layer_ok(h, len))
		err = find_jumbo(frame, len, h, &jumbo);
	if (err < 0)
		return err;
	if (err == 0)
		/* RFC 2675 3: payload length 0 without the option is an
		 * error (the header claims only itself). */
		return v == 0 ? -EBADMSG : *dlen > avail ? -ERANGE : 0;
	/* RFC 2675 3: with the option the payload length must be 0 and the
	 * jumbo length above 65535; otherwise the header's own claim
	 * stands. */
	if (v != 0 || jumbo <= 0xffff)
		return -EBADMSG;
	if (jumbo > UINT32_MAX - 40u) {
		*dlen = UINT32_MAX;
		return -ERANGE;
	}
	*dlen = 40u + jumbo;
	if (big)
		*big = true;
	return *dlen > avail ? -ERANGE : 0;
}
