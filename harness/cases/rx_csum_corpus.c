// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rx_csum_corpus.c - the bundled rx-csum corpus, and random rx-csum
 * frames (ofd_rx_csum_random, at the end): received frames whose
 * checksums are right or wrong at a chosen layer, for the receive
 * checksum state a device reports (kernel-rx.md 4). `offdiff corpus gen`
 * writes them as corpus/rx-csum/<name>.pcap.
 *
 *   rx-csum/plain.pcap    L2 {plain, 802.1Q, QinQ} x L3 {IPv4, IPv6,
 *                         IPv6 + hop-by-hop} x L4 {TCP, UDP, SCTP} x
 *                         checksum {good, bad} x payload {1, 333}; zero
 *                         UDP checksums over IPv4 and IPv6; short frames
 *                         padded to 60 bytes with zeros and with a
 *                         non-zero trailer, good and bad; IPv4 options;
 *                         ICMP; fragments; GRE with C over a plain frame
 *   rx-csum/tunnels.pcap  {VXLAN, GENEVE} x outer UDP checksum {0, set},
 *                         GRE without and with C, IP-in-IP; outer {IPv4,
 *                         IPv6} x inner {IPv4, IPv6} x inner {TCP, UDP} x
 *                         {all good, inner bad, outer bad}; VLAN-tagged
 *                         and padded tunnels
 *
 * Unlike the transmit corpora (ofd_pktbuild.h sums to the frame end, as
 * skb_checksum_help does), every checksum here is the receiver's: over
 * the datagram as IP trims it, so a trailer is not summed. A frame is
 * finished once, its checksums frozen (OFD_PKTB_CSUM_KEEP), and only then
 * gets its trailer. A bad checksum is the right one with one bit flipped,
 * and the layers around it are finished over the flipped byte: a bad
 * inner TCP checksum under a good outer UDP checksum.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ofd.h"
#include "ofd_offload.h"
#include "corpus_gen_internal.h"
#include "ofd_pktbuild.h"
#include "ofd_rng.h"
#include "rx_csum_internal.h"

enum rxc_file { RXC_PLAIN = 0, RXC_TUNNELS, RXC__NFILES };

/* Which checksum a frame gets wrong. */
enum rxc_bad { BAD_NONE = 0, BAD_INNER, BAD_OUTER };

static const uint8_t trailer_bytes[6] = { 0xa5, 0x5a, 0xc3, 0x3c, 0x0f, 0xf0 };

static bool is_csum_layer(const struct ofd_pktb_layer *l)
{
	return l->proto == OFD_P_TCP || l->proto == OFD_P_UDP ||
	       l->proto == OFD_P_SCTP || l->proto == OFD_P_GRE ||
	       l->proto == OFD_P_ICMP || l->proto == OFD_P_ICMPV6;
}

/* Flip one bit of layer l's checksum field; never into 0 or 0xffff, which
 * mean "no checksum" to UDP. */
static int flip(struct ofd_pktb *b, int l)
{
	int fo = ofd_pktb_csum_offset(b, l);
	uint32_t off;
	uint16_t v;

	if (fo < 0)
		return fo;
	off = b->layer[l].off + (uint32_t)fo;
	if (off + 2 > b->len)
		return -EINVAL;
	v = (uint16_t)(b->buf[off] << 8 | b->buf[off + 1]);
	v ^= 0x0001;
	if (v == 0 || v == 0xffff)
		v ^= 0x0101;
	b->buf[off] = (uint8_t)(v >> 8);
	b->buf[off + 1] = (uint8_t)v;
	b->layer[l].csum = OFD_PKTB_CSUM_KEEP;
	return 0;
}

static void freeze(struct ofd_pktb *b)
{
	uint32_t i;

	for (i = 0; i < b->nlayers; i++)
		if (is_csum_layer(&b->layer[i]))
			b->layer[i].csum = OFD_PKTB_CSUM_KEEP;
}

/*
 * Finish the frame in b with the checksum of layer `inner` (and/or
 * `outer`, -1 for none) made wrong as `bad` says, then append `pad`:
 * 0 nothing, 1 zeros to 60 bytes, 2 the non-zero trailer.
 */
static int finish_frame(struct ofd_pktb *b, enum rxc_bad bad, int inner, int outer,
			int pad)
{
	int err = ofd_pktb_finish(b);

	if (err)
		return err;
	if (bad == BAD_INNER && inner >= 0) {
		err = flip(b, inner);
		/* the outer checksums now cover the flipped field */
		if (!err)
			err = ofd_pktb_finish(b);
	}
	if (bad == BAD_OUTER && outer >= 0)
		err = flip(b, outer);
	if (err)
		return err;
	freeze(b);
	if (pad == 1)
		ofd_pktb_pad(b, 60);
	else if (pad == 2)
		ofd_pktb_trailer(b, trailer_bytes, sizeof(trailer_bytes));
	/* lengths only: every checksum is frozen */
	return ofd_pktb_finish(b);
}

/* The same for the corpus generator, and hand the frame out. */
static int finish(struct ofd_gen *g, enum rxc_bad bad, int inner, int outer, int pad)
{
	int err = finish_frame(&g->b, bad, inner, outer, pad);

	return err ? err : ofd_gen_emit(g);
}

static const char *const l2_names[] = { "eth", "vlan", "qinq" };
static const char *const l3_names[] = { "ipv4", "ipv6", "ipv6/hbh", "ipv4opt" };
static const char *const l4_names[] = { "tcp", "udp", "sctp" };
static const char *const bad_names[] = { "good", "bad-inner", "bad-outer" };
static const char *const pad_names[] = { "", " pad=zero", " pad=trailer" };

static void l2(struct ofd_pktb *b, unsigned int k)
{
	ofd_pktb_eth(b, NULL, NULL, 0);
	if (k == 2)
		ofd_pktb_qinq(b, 100, 0);
	if (k)
		ofd_pktb_vlan(b, 10, 0);
}

static void l3(struct ofd_pktb *b, unsigned int k)
{
	struct ofd_pktb_ipv4_opts o4 = { .id = 0x1234 };

	switch (k) {
	case 0:
		ofd_pktb_ipv4(b, NULL);
		break;
	case 3:
		o4.options = ofd_pktb_ipv4_opt_ts;
		o4.options_len = sizeof(ofd_pktb_ipv4_opt_ts);
		ofd_pktb_ipv4(b, &o4);
		break;
	default:
		ofd_pktb_ipv6(b, NULL);
		if (k == 2)
			ofd_pktb_hbh(b, 8);
		break;
	}
}

static int l4(struct ofd_pktb *b, unsigned int k, uint32_t payload)
{
	int l;

	switch (k) {
	case 0:
		l = ofd_pktb_tcp(b, NULL);
		break;
	case 1:
		l = ofd_pktb_udp(b, 5000, 6000);
		break;
	default:
		l = ofd_pktb_sctp(b, 5000, 6000, 0x11223344);
		ofd_pktb_sctp_data(b, 1, 0, 0, 0, payload);
		return l;
	}
	ofd_pktb_payload(b, payload);
	return l;
}

static int gen_plain(struct ofd_gen *g)
{
	static const uint32_t payloads[] = { 1, 333 };
	unsigned int a, c, d, bad, p, pad;
	int err, l;

	for (a = 0; a < 3; a++)
		for (c = 0; c < 3; c++)
			for (d = 0; d < 3; d++)
				for (bad = 0; bad < 2; bad++)
					for (p = 0; p < 2; p++) {
						ofd_gen_start(g, "%s/%s/%s p=%u %s", l2_names[a],
							      l3_names[c], l4_names[d], payloads[p],
							      bad_names[bad]);
						l2(&g->b, a);
						l3(&g->b, c);
						l = l4(&g->b, d, payloads[p]);
						err = finish(g, bad, l, -1, 0);
						if (err)
							return err;
					}
	/* Zero UDP checksums: "no checksum" over IPv4; over IPv6 allowed only
	 * to a socket that opted in (RFC 8200 8.1, RFC 6935). */
	for (a = 0; a < 2; a++)
		for (c = 0; c < 2; c++)
			for (p = 0; p < 2; p++) {
				ofd_gen_start(g, "%s/%s/udp p=%u zero-csum", l2_names[a],
					      l3_names[c], payloads[p]);
				l2(&g->b, a);
				l3(&g->b, c);
				l = l4(&g->b, 1, payloads[p]);
				g->b.layer[l].csum = OFD_PKTB_CSUM_ZERO;
				err = finish(g, BAD_NONE, -1, -1, 0);
				if (err)
					return err;
			}
	/* Short frames with padding, zero and not: the checksums and the
	 * COMPLETE value stop at the IP length. */
	for (a = 0; a < 2; a++)
		for (c = 0; c < 4; c++)
			for (d = 0; d < 2; d++)
				for (pad = 1; pad < 3; pad++)
					for (bad = 0; bad < 2; bad++) {
						ofd_gen_start(g, "%s/%s/%s p=1 %s%s", l2_names[a],
							      l3_names[c], l4_names[d], bad_names[bad],
							      pad_names[pad]);
						l2(&g->b, a);
						l3(&g->b, c);
						l = l4(&g->b, d, 1);
						err = finish(g, bad, l, -1, (int)pad);
						if (err)
							return err;
					}
	/* IPv4 options, longer payloads with a trailer. */
	for (d = 0; d < 2; d++)
		for (bad = 0; bad < 2; bad++) {
			ofd_gen_start(g, "vlan/ipv4opt/%s p=333 %s pad=trailer",
				      l4_names[d], bad_names[bad]);
			l2(&g->b, 1);
			l3(&g->b, 3);
			l = l4(&g->b, d, 333);
			err = finish(g, bad, l, -1, 2);
			if (err)
				return err;
		}
	/* ICMP has no UNNECESSARY meaning: nothing to vouch for. */
	for (c = 0; c < 2; c++) {
		ofd_gen_start(g, "eth/%s/icmp echo", l3_names[c]);
		l2(&g->b, 0);
		l3(&g->b, c);
		ofd_pktb_icmp_echo(&g->b, 7, 1);
		ofd_pktb_payload(&g->b, 56);
		err = finish(g, BAD_NONE, -1, -1, 0);
		if (err)
			return err;
	}
	/* A first fragment: the UDP checksum covers bytes it does not carry. */
	{
		struct ofd_pktb_ipv4_opts o = { .id = 77, .no_df = true };

		ofd_gen_start(g, "eth/ipv4/udp first-fragment p=333");
		l2(&g->b, 0);
		ofd_pktb_ipv4(&g->b, &o);
		l = ofd_pktb_udp(&g->b, 5000, 6000);
		ofd_pktb_payload(&g->b, 333);
		err = ofd_pktb_finish(&g->b);
		if (err)
			return err;
		g->b.buf[g->b.layer[1].off + 6] |= 0x20; /* MF */
		err = finish(g, BAD_NONE, -1, -1, 0);
		if (err)
			return err;
		ofd_gen_start(g, "eth/ipv6/frag/udp first-fragment p=333");
		l2(&g->b, 0);
		l3(&g->b, 1);
		ofd_pktb_frag(&g->b, 0, true, 99);
		ofd_pktb_udp(&g->b, 5000, 6000);
		ofd_pktb_payload(&g->b, 333);
		err = finish(g, BAD_NONE, -1, -1, 0);
		if (err)
			return err;
	}
	return 0;
}

/* Tunnel kinds: VXLAN/GENEVE with the outer UDP checksum 0 or set. */
enum { TUN_VXLAN0, TUN_VXLAN, TUN_GENEVE0, TUN_GENEVE, TUN_GRE, TUN_GREC, TUN_IPIP, TUN__N };
static const char *const tun_names[] = {
	"vxlan udp0", "vxlan udpcsum", "geneve udp0", "geneve udpcsum",
	"gre", "gre csum", "ipip",
};

/* Build a tunnelled frame: returns the inner L4 layer; *outer receives
 * the outer checksum layer (UDP or GRE), -1 when it has none. */
static int tunnel(struct ofd_pktb *b, unsigned int vlan, unsigned int tun,
		  unsigned int o6, unsigned int i6, unsigned int udp, uint32_t payload,
		  int *outer)
{
	int u;

	*outer = -1;
	l2(b, vlan);
	l3(b, o6);
	switch (tun) {
	case TUN_VXLAN0:
	case TUN_VXLAN:
	case TUN_GENEVE0:
	case TUN_GENEVE:
		u = ofd_pktb_udp(b, 40000, tun <= TUN_VXLAN ? 4789 : 6081);
		if (tun <= TUN_VXLAN)
			ofd_pktb_vxlan(b, 42);
		else
			ofd_pktb_geneve(b, 42, 0);
		if (tun == TUN_VXLAN || tun == TUN_GENEVE) {
			b->layer[u].csum = OFD_PKTB_CSUM_FULL;
			*outer = u;
		}
		ofd_pktb_eth(b, NULL, NULL, 0);
		break;
	case TUN_GRE:
		ofd_pktb_gre(b, 0, 0, 0);
		break;
	case TUN_GREC:
		*outer = ofd_pktb_gre(b, OFD_PKTB_GRE_CSUM, 0, 0);
		break;
	default:
		break;
	}
	l3(b, i6);
	return l4(b, udp, payload);
}

static int gen_tunnels(struct ofd_gen *g)
{
	unsigned int t, o6, i6, udp, bad;
	int err, l, outer;

	for (t = 0; t < TUN__N; t++)
		for (o6 = 0; o6 < 2; o6++)
			for (i6 = 0; i6 < 2; i6++)
				for (udp = 0; udp < 2; udp++)
					for (bad = 0; bad < 3; bad++) {
						ofd_gen_start(g, "%s/%s in %s/%s p=100 %s",
							      tun_names[t], l3_names[i6],
							      l3_names[o6], l4_names[udp],
							      bad_names[bad]);
						l = tunnel(&g->b, 0, t, o6, i6, udp, 100, &outer);
						if (bad == BAD_OUTER && outer < 0)
							continue;
						err = finish(g, bad, l, outer, 0);
						if (err)
							return err;
					}
	/* VLAN-tagged and padded tunnels (the tag and the trailer are
	 * outside every checksum and outside COMPLETE). */
	for (t = 0; t < TUN__N; t++)
		for (bad = 0; bad < 3; bad++)
			for (udp = 0; udp < 2; udp++) {
				ofd_gen_start(g, "vlan/%s/ipv4 in ipv4/tcp p=100 %s%s",
					      tun_names[t], bad_names[bad],
					      pad_names[udp ? 2 : 0]);
				l = tunnel(&g->b, 1, t, 0, 0, 0, 100, &outer);
				if (bad == BAD_OUTER && outer < 0)
					continue;
				err = finish(g, bad, l, outer, udp ? 2 : 0);
				if (err)
					return err;
			}
	return 0;
}

/*
 * ofd_rx_csum_random - random rx-csum case (seed, index), deterministic in
 * the pair alone (ofd_rng.h): L2 70 plain / 20 802.1Q / 10 QinQ; 40 no
 * tunnel, else VXLAN or GENEVE with the outer UDP checksum 0 or set, GRE
 * without or with C, IP-in-IP, 10 each; outer and inner IPv4/IPv6 50/50;
 * L4 45 TCP / 45 UDP / 10 SCTP; payload 60 0..64 bytes, else 65..1400;
 * 10 a zero UDP checksum; 25 the inner checksum wrong, 15 the outer one
 * (where there is one); 15 zero padding to 60 bytes, 15 a non-zero
 * trailer. For `offdiff selfcheck -f rx-csum --random N`.
 */
int ofd_rx_csum_random(uint64_t seed, uint64_t index, uint8_t *buf, uint32_t cap,
		       struct ofd_pkt *pkts, unsigned int maxpkts, struct ofd_case *c)
{
	static const uint8_t tag_w[] = { 70, 20, 10 }, l4_w[] = { 45, 45, 10 };
	struct ofd_pktb b;
	struct ofd_rng r;
	unsigned int tags, t, o6, i6, l4k;
	enum rxc_bad bad = BAD_NONE;
	uint32_t payload;
	int inner, outer = -1, pad = 0, err;

	if (!buf || !pkts || !maxpkts || !c || cap < 1600)
		return -EINVAL;
	r.s = ofd_rng_mix64(seed ^ ofd_rng_mix64(index ^ 0x7a1c5e93b04d2f68ull));
	tags = ofd_rng_pick(&r, tag_w, sizeof(tag_w));
	t = ofd_rng_chance(&r, 40) ? TUN__N : ofd_rng_below(&r, TUN__N);
	o6 = ofd_rng_below(&r, 2);
	i6 = ofd_rng_below(&r, 2);
	l4k = ofd_rng_pick(&r, l4_w, sizeof(l4_w));
	payload = ofd_rng_chance(&r, 60) ? ofd_rng_below(&r, 65) : 65 + ofd_rng_below(&r, 1336);
	ofd_pktb_init(&b, buf, cap);
	if (t == TUN__N) {
		l2(&b, tags);
		l3(&b, o6);
		inner = l4(&b, l4k, payload);
	} else {
		inner = tunnel(&b, tags, t, o6, i6, l4k, payload, &outer);
	}
	if (inner < 0)
		return inner;
	if (l4k == 1 && ofd_rng_chance(&r, 10))
		b.layer[inner].csum = OFD_PKTB_CSUM_ZERO;
	else if (ofd_rng_chance(&r, 25))
		bad = BAD_INNER;
	if (bad == BAD_NONE && outer >= 0 && ofd_rng_chance(&r, 15))
		bad = BAD_OUTER;
	if (ofd_rng_chance(&r, 30))
		pad = 1 + (int)ofd_rng_below(&r, 2);
	err = finish_frame(&b, bad, inner, outer, pad);
	if (err)
		return err;
	memset(c, 0, sizeof(*c));
	pkts[0].data = buf;
	pkts[0].len = b.len;
	pkts[0].flags = OFD_PKT_F_FLUSH_AFTER;
	c->id = index;
	c->offload = OFD_OFFLOAD_RX_CSUM;
	c->npkts = 1;
	c->pkts = pkts;
	c->req.kind = OFD_REQ_VNET;
	c->src_index = (uint32_t)index;
	return 0;
}

static const ofd_gen_fn gen_fns[RXC__NFILES] = {
	[RXC_PLAIN] = gen_plain,
	[RXC_TUNNELS] = gen_tunnels,
};

static int rxc_foreach(unsigned int file, ofd_corpus_gen_cb cb, void *ctx)
{
	return ofd_gen_run(gen_fns, RXC__NFILES, file, 4096, "rx-csum", cb, ctx);
}

const struct ofd_corpus_scenario ofd_rx_csum_scenarios[OFD_RX_CSUM_NSCENARIOS] = {
	{ "rx-csum/plain.pcap",
	  "received frames, good and bad checksums per layer: VLAN, QinQ, IPv4/IPv6, TCP/UDP/SCTP, zero UDP, padding, fragments",
	  rxc_foreach, RXC_PLAIN },
	{ "rx-csum/tunnels.pcap",
	  "VXLAN/GENEVE (outer UDP checksum 0 or set), GRE with and without C, IP-in-IP: inner or outer checksum bad, VLAN, padding",
	  rxc_foreach, RXC_TUNNELS },
};
