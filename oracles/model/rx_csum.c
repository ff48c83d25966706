// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rx_csum.c - the model of receive checksum state (kernel-rx.md 4, 1.8):
 * for a received frame, the state a correct device hands the stack
 * (CHECKSUM_UNNECESSARY with csum_level, and the CHECKSUM_COMPLETE value a
 * device in that mode reports instead), and what the stack concludes from
 * any claim.
 *
 * Rules, all from kernel-rx.md 4:
 *  - csum_level = consecutive verified checksums - 1, counted from the
 *    outside, at most 3 (SKB_MAX_CSUM_LEVEL); the first checksum that
 *    does not verify ends the count: later ones are not vouched for even
 *    when right (the kernel's IPv6/UDP/GRE/IPv4/TCP example);
 *  - only TCP, UDP, GRE with C and SCTP are checksums a device vouches
 *    for; a zero UDP checksum may be marked ("a zero UDP checksum may
 *    also be marked"): udp4_csum_init and udp6_csum_init both take it
 *    (zero_okay) and consume a level for it, and the kernel's own GRO
 *    reports DATA_VALID for one over IPv6 too (seen by the kernel engine
 *    on this corpus). That IPv6 forbids it (RFC 8200 8.1) is the
 *    socket's rule (no_check6_rx, RFC 6935), applied whatever the state;
 *  - every checksum covers the datagram as IP trims it (pskb_trim_rcsum):
 *    Ethernet padding is not summed; UDP covers its own length;
 *  - COMPLETE is the sum of the packet as the stack sees it, from the L3
 *    header to the end of the IP datagram: the device stripped the VLAN
 *    tags (rx-vlan-offload) and IP trims the padding.
 * Allocation-free: one frame in, one state out, nothing kept.
 */
#include <string.h>

#include "ofd_csum.h"
#include "ofd_parse.h"
#include "ofd_rx_csum.h"
#include "model_internal.h"

#define GRE_F_CSUM 0x80 /* first byte of the GRE flags */

uint16_t ofd_rx_csum_sum(const uint8_t *frame, uint32_t from, uint32_t to)
{
	if (!frame || to <= from)
		return 0;
	return ofd_fold16(ofd_csum_partial(frame + from, to - from, 0));
}

/* The end of the datagram whose header is layer l3, bounded by the
 * enclosing datagram's end; 0 when its length runs past that. */
static uint32_t datagram_end(const uint8_t *f, uint32_t len,
			     const struct ofd_parsed *p, int l3, uint32_t outer_end)
{
	uint32_t dlen;
	uint32_t off = p->layer[l3].off;

	if (!outer_end || off >= outer_end ||
	    ofd_parse_ip_len(f, len, p, l3, &dlen, NULL))
		return 0;
	if (dlen > outer_end - off)
		return 0;
	return off + dlen;
}

/* An IPv4 header with MF or an offset: its L4 checksum covers bytes
 * other fragments carry. */
static bool ipv4_fragment(const uint8_t *f, uint32_t len, uint32_t off)
{
	uint16_t fo;

	if (ofd_get_be16(f, len, off + 6, &fo))
		return true;
	return (fo & 0x3fff) != 0;
}

/* Verify one inet checksum over f[off, off + n) with pseudo-header sum
 * seed; fills stored/want. */
static void inet_layer(const uint8_t *f, struct ofd_rxcsum_layer *l,
		       uint32_t seed, uint32_t field)
{
	uint32_t sum;
	uint16_t stored = (uint16_t)(f[l->off + field] << 8 | f[l->off + field + 1]);
	uint16_t want;

	/* The field as a sender would fill it: the sum without it. */
	sum = ofd_csum_partial(f + l->off, l->len, seed);
	sum = ofd_csum_sub(sum, stored);
	want = ofd_csum_fold(sum);
	if (l->proto == OFD_P_UDP && !want)
		want = 0xffff; /* RFC 768: a computed 0 is sent as all ones */
	l->stored = stored;
	l->want = want;
	/* Verification is the receiver's: the whole range, field included,
	 * folds to zero (0x0000 and 0xffff in the field are the same sum). */
	l->status = ofd_csum_fold(ofd_csum_partial(f + l->off, l->len, seed)) ?
			    OFD_RXCSUM_BAD : OFD_RXCSUM_VALID;
}

static void sctp_layer(const uint8_t *f, struct ofd_rxcsum_layer *l)
{
	static const uint8_t zero[4];
	uint32_t crc, stored;

	stored = (uint32_t)f[l->off + 8] | (uint32_t)f[l->off + 9] << 8 |
		 (uint32_t)f[l->off + 10] << 16 | (uint32_t)f[l->off + 11] << 24;
	crc = ofd_crc32c(0xffffffffu, f + l->off, 8);
	crc = ofd_crc32c(crc, zero, 4);
	crc = ~ofd_crc32c(crc, f + l->off + 12, l->len - 12);
	l->stored = stored;
	l->want = crc;
	l->status = crc == stored ? OFD_RXCSUM_VALID : OFD_RXCSUM_BAD;
}

/* Fill layer l (proto, off, depth set) whose enclosing datagram is
 * [.., end) and whose IP layer is p->layer[ip]. */
static void check_layer(const uint8_t *f, uint32_t len, const struct ofd_parsed *p,
			int i, uint32_t end, bool frag, struct ofd_rxcsum_layer *l)
{
	uint32_t seed, avail = end > l->off ? end - l->off : 0;
	uint16_t ulen;

	l->len = 0;
	l->status = OFD_RXCSUM_UNVERIFIABLE;
	if (!end || frag)
		return;
	switch (l->proto) {
	case OFD_P_TCP:
		if (avail < 20 || ofd_parse_pseudo(f, len, p, i, avail, 0, &seed))
			return;
		l->len = avail;
		inet_layer(f, l, seed, 16);
		return;
	case OFD_P_UDP:
		/* UDP trims to its own length (__udp4_lib_rcv); a length
		 * past the datagram is a short packet, dropped unchecked. */
		if (avail < 8 || ofd_get_be16(f, len, l->off + 4, &ulen) ||
		    ulen < 8 || ulen > avail ||
		    ofd_parse_pseudo(f, len, p, i, ulen, 0, &seed))
			return;
		l->len = ulen;
		inet_layer(f, l, seed, 6);
		if (!l->stored)
			l->status = l->ipv6 ? OFD_RXCSUM_ZERO_UDP6 : OFD_RXCSUM_ZERO;
		return;
	case OFD_P_SCTP:
		if (avail < 12)
			return;
		l->len = avail;
		sctp_layer(f, l);
		return;
	case OFD_P_GRE:
		/* RFC 2784: GRE header and payload, no pseudo-header. */
		if (avail < 8)
			return;
		l->len = avail;
		inet_layer(f, l, 0, 4);
		return;
	default:
		return;
	}
}

void ofd_rx_csum_analyse(const uint8_t *frame, uint32_t len, struct ofd_rxcsum *a)
{
	struct ofd_parsed p;
	uint32_t end = len, outer_end = 0;
	bool frag = false, ipv6 = false, counting = true, seen_l3 = false;
	uint32_t i;

	memset(a, 0, sizeof(*a));
	a->len = len;
	a->l3_off = len;
	a->l3_end = len;
	if (!frame)
		return;
	ofd_parse(frame, len, 0, &p);
	for (i = 0; i < p.nlayers; i++) {
		const struct ofd_layer *ly = &p.layer[i];
		struct ofd_rxcsum_layer *l;

		if (!seen_l3 && ly->proto != OFD_P_ETH && ly->proto != OFD_P_VLAN &&
		    ly->proto != OFD_P_QINQ) {
			/* The stack's packet starts past Ethernet and tags. */
			seen_l3 = true;
			a->l3_off = ly->off;
		}
		switch (ly->proto) {
		case OFD_P_IPV4:
		case OFD_P_IPV6:
			/* An inner datagram ends within its outer one. */
			end = datagram_end(frame, len, &p, (int)i, end);
			if (!outer_end) {
				outer_end = end ? end : len;
				a->l3_end = outer_end;
			}
			ipv6 = ly->proto == OFD_P_IPV6;
			frag = frag || (ly->proto == OFD_P_IPV4 &&
					ipv4_fragment(frame, len, ly->off));
			continue;
		case OFD_P_FRAG:
			frag = true;
			continue;
		case OFD_P_GRE:
			if (ly->off >= len || !(frame[ly->off] & GRE_F_CSUM))
				continue; /* no checksum to vouch for */
			break;
		case OFD_P_TCP:
		case OFD_P_UDP:
		case OFD_P_SCTP:
			break;
		default:
			continue;
		}
		if (a->n == OFD_RXCSUM_MAX_LAYERS)
			break;
		l = &a->layer[a->n++];
		l->proto = ly->proto;
		l->depth = ly->depth;
		l->off = ly->off;
		l->ipv6 = ipv6;
		check_layer(frame, len, &p, (int)i, end, frag, l);
		if (counting && (l->status == OFD_RXCSUM_VALID ||
				 l->status == OFD_RXCSUM_ZERO ||
				 l->status == OFD_RXCSUM_ZERO_UDP6))
			a->nvalid++;
		else
			counting = false;
	}
	a->complete = ofd_rx_csum_sum(frame, a->l3_off, a->l3_end);
}

void ofd_rx_csum_correct(const struct ofd_rxcsum *a, struct ofd_meta *m)
{
	m->has |= OFD_META_CSUM_STATE;
	m->csum_value = a->complete;
	if (a->nvalid) {
		m->csum_state = OFD_CSUM_STATE_UNNECESSARY;
		m->csum_level = (uint8_t)(a->nvalid - 1 > OFD_RXCSUM_MAX_LEVEL ?
					  OFD_RXCSUM_MAX_LEVEL : a->nvalid - 1);
	} else {
		m->csum_state = OFD_CSUM_STATE_NONE;
		m->csum_level = 0;
	}
}

static bool layer_good(const struct ofd_rxcsum_layer *l)
{
	return l->status == OFD_RXCSUM_VALID || l->status == OFD_RXCSUM_ZERO ||
	       l->status == OFD_RXCSUM_ZERO_UDP6;
}

/* Software checks every layer from k on: the first bad one drops. A
 * zero IPv6 UDP checksum on the datagram a socket receives is dropped
 * there whatever the state says (no socket here opted in, RFC 6935). */
static void software_from(const struct ofd_rxcsum *a, unsigned int k,
			  struct ofd_rxcsum_stack *v)
{
	for (; k < a->n; k++) {
		/* Fragments are verified after reassembly, outside this
		 * frame: they do not decide here. */
		if (a->layer[k].status == OFD_RXCSUM_BAD) {
			v->outcome = OFD_RXCSUM_DROP;
			v->layer = (int)k;
			return;
		}
	}
	if (a->n && a->layer[a->n - 1].status == OFD_RXCSUM_ZERO_UDP6) {
		v->outcome = OFD_RXCSUM_DROP;
		v->layer = (int)a->n - 1;
	}
}

void ofd_rx_csum_stack(const struct ofd_rxcsum *a, const struct ofd_meta *m,
		       struct ofd_rxcsum_stack *v)
{
	unsigned int k, credits;

	v->outcome = OFD_RXCSUM_ACCEPT;
	v->layer = -1;
	v->trusted = 0;
	switch (m->csum_state) {
	case OFD_CSUM_STATE_UNNECESSARY:
	case OFD_CSUM_STATE_PARTIAL:
		/* Each handler on the way in consumes a level instead of
		 * computing (__skb_decr_checksum_unnecessary); PARTIAL from
		 * another Linux vouches for everything before its field. */
		credits = m->csum_state == OFD_CSUM_STATE_PARTIAL ?
				  a->n : (unsigned int)m->csum_level + 1;
		for (k = 0; k < a->n && credits; k++, credits--) {
			v->trusted++;
			if (!layer_good(&a->layer[k])) {
				v->outcome = OFD_RXCSUM_TRUSTED_BAD;
				v->layer = (int)k;
				return;
			}
		}
		software_from(a, k, v);
		return;
	case OFD_CSUM_STATE_COMPLETE:
		if (ofd_rx_csum_same((uint16_t)m->csum_value, a->complete)) {
			/* fold(pseudo + running sum) is each layer's own
			 * verification. */
			software_from(a, 0, v);
			return;
		}
		/* The first layer's check fails against the wrong sum; the
		 * recomputation decides, and a good packet is a device
		 * fault the kernel logs before it goes on in software. */
		if (!a->n)
			return;
		if (layer_good(&a->layer[0])) {
			v->outcome = OFD_RXCSUM_HW_FAULT;
			v->layer = 0;
			return;
		}
		software_from(a, 0, v);
		return;
	default:
		software_from(a, 0, v);
		return;
	}
}

const char *ofd_rx_csum_status_name(enum ofd_rxcsum_status s)
{
	static const char *const names[] = {
		[OFD_RXCSUM_VALID] = "valid",
		[OFD_RXCSUM_ZERO] = "zero (no checksum)",
		[OFD_RXCSUM_BAD] = "bad",
		[OFD_RXCSUM_ZERO_UDP6] = "zero on IPv6 (no checksum; the socket decides)",
		[OFD_RXCSUM_UNVERIFIABLE] = "unverifiable",
	};

	return (unsigned int)s < OFD_ARRAY_SIZE(names) ? names[s] : "?";
}

const char *ofd_rx_csum_outcome_name(enum ofd_rxcsum_outcome o)
{
	static const char *const names[] = {
		[OFD_RXCSUM_ACCEPT] = "accepted",
		[OFD_RXCSUM_DROP] = "dropped by the stack's own check",
		[OFD_RXCSUM_TRUSTED_BAD] = "a bad checksum trusted: corrupted data delivered",
		[OFD_RXCSUM_HW_FAULT] = "hw csum failure (netdev_rx_csum_fault), then verified in software",
	};

	return (unsigned int)o < OFD_ARRAY_SIZE(names) ? names[o] : "?";
}

const char *ofd_rx_csum_state_name(unsigned int state)
{
	static const char *const names[] = {
		[OFD_CSUM_STATE_NONE] = "NONE",
		[OFD_CSUM_STATE_UNNECESSARY] = "UNNECESSARY",
		[OFD_CSUM_STATE_COMPLETE] = "COMPLETE",
		[OFD_CSUM_STATE_PARTIAL] = "PARTIAL",
	};

	return state < OFD_ARRAY_SIZE(names) ? names[state] : "?";
}

/* The model engine's rx-csum: the input frame, unchanged, with the state
 * a correct device would give it. */
static void model_rx_csum_run(const struct ofd_case *c, struct ofd_result *res)
{
	struct ofd_rxcsum a;
	struct ofd_frame *f;

	if (c->npkts != 1 || !c->pkts || (!c->pkts[0].data && c->pkts[0].len)) {
		ofd_result_unsupported(res, "an rx-csum case is one received frame");
		return;
	}
	ofd_rx_csum_analyse(c->pkts[0].data, c->pkts[0].len, &a);
	f = ofd_result_add_ref(res, c->pkts[0].data, c->pkts[0].len);
	if (!f) {
		ofd_result_unsupported(res, "no room for the frame");
		return;
	}
	ofd_rx_csum_correct(&a, &f->meta);
}

const struct model_offload ofd_model_rx_csum = {
	.run = model_rx_csum_run,
};
