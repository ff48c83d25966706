// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * dissect_kernel.c - the model of __skb_flow_dissect (dissect*.c)
 * against the running kernel's built-in dissector, through the rx hash
 * (issue 21; `offdiff selfcheck -f dissect` prints it, the method is
 * docs/dissect-vs-kernel.md's, the API ofd_dissect_kernel.h).
 *
 * The kernel's skb hash is SipHash of the dissected keys under a per-boot
 * key (kernel-rx.md 5.2), so it cannot be computed here; but two hashes
 * of one boot are equal exactly when the hashed keys are (up to a SipHash
 * collision, and up to __flow_hash_consistentify's ordering of the two
 * addresses and of the two ports). For every frame F:
 *
 *  1. K = the model's keys of F under STOP_AT_FLOW_LABEL, the flags
 *     __skb_get_hash_net dissects with;
 *  2. P = a canonical probe frame built from K's hashed fields alone
 *     (Ethernet, the first VLAN tag, a carrier IP (+GRE with the key),
 *     the IP header with K's addresses, protocol and flow label, 4 port
 *     bytes), and checked: the model must dissect P to the same hashed
 *     fields, else there is no probe for K;
 *  3. the kernel's built-in rx hash of F and of P, in one call:
 *     H(F) == H(P) means the kernel's keys of F are K's (as hashed).
 *
 * A K no probe expresses falls back to our BPF flow dissector: when its
 * keys (BPF_PROG_TEST_RUN of build/progs/flow_dissector.bpf.o) equal K's
 * on the hashed fields, H_builtin(F) == H_bpf(F) proves the model equal
 * to the built-in dissector and a difference proves it different.
 *
 * A disagreement is narrowed to one hashed field by more probes: K with
 * one field group zeroed (ports, flow label, VLAN, GRE key, addresses,
 * ip_proto), or cut back to the first ethertype past Ethernet and its
 * tags; the one whose hash is F's names that group.
 *
 * Before any of it, what the kernel cannot be handed is skipped (under 14
 * bytes, over 1500, a tag without 2 bytes past it), and a length where an
 * ethertype goes is probed with the n_proto the skb path gives it: the
 * known difference of the skb-less model.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_dissect.h"
#include "ofd_dissect_kernel.h"
#include "ofd_images.h"
#include "ofd_kernel.h"
#include "ofd_kernel_flowdis.h"
#include "ofd_parse.h"
#include "ofd_pcap.h"

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static bool is_vlan(uint16_t t)
{
	return t == 0x8100 || t == 0x88a8;
}

uint16_t ofd_sd_vlan_etype(const uint8_t *f, uint32_t len)
{
	struct ofd_parsed ps;
	unsigned int i;

	/* the first tag's inner ethertype, hashed as vlan_eth_type
	 * (kernel-rx.md 5.2) but not in the record: an outer tag's ... */
	if (len >= 18 && is_vlan(get16(f + 12)))
		return get16(f + 16);
	/* ... or the first one the dissector meets in a tunnel: it follows
	 * GRE's TEB, not VXLAN or GENEVE (UDP ports end its walk). */
	ofd_parse(f, len, 0, &ps);
	for (i = 0; i < ps.nlayers; i++) {
		const struct ofd_layer *l = &ps.layer[i];

		if (l->proto == OFD_P_VXLAN || l->proto == OFD_P_GENEVE)
			break;
		if ((l->proto == OFD_P_VLAN || l->proto == OFD_P_QINQ) && l->off + 4 <= len)
			return get16(f + l->off + 2);
	}
	return 0;
}

/* The fields __flow_hash_from_keys hashes, by name, for messages. */
const char *ofd_sd_hashed_diff(const struct ofd_flow_keys *a, const struct ofd_flow_keys *b)
{
	unsigned int alen = a->addr_proto == 0x86dd ? 16 : 4;

	if (a->n_proto != b->n_proto)
		return "basic.n_proto";
	if (a->ip_proto != b->ip_proto)
		return "basic.ip_proto";
	if (a->flow_label != b->flow_label)
		return "flow_label";
	if (a->vlan_id != b->vlan_id || a->vlan_prio != b->vlan_prio ||
	    a->vlan_tpid != b->vlan_tpid)
		return "vlan";
	if (a->gre_keyid != b->gre_keyid)
		return "gre_keyid";
	if (a->sport != b->sport || a->dport != b->dport)
		return "ports";
	if (a->addr_proto != b->addr_proto)
		return "addrs.family";
	if (a->addr_proto && (memcmp(a->src, b->src, alen) || memcmp(a->dst, b->dst, alen)))
		return "addrs";
	return NULL;
}

/* proto_ports_offset (include/net/ip.h, kernel-rx.md 5.1): where the
 * 4 port bytes are in a protocol's header, -1 for none. */
static int ports_offset(uint8_t proto)
{
	switch (proto) {
	case 6: case 17: case 33: case 132: case 50: case 136:
		return 0;
	case 51:
		return 4;
	}
	return -1;
}

static const uint8_t carrier_v4[8] = { 192, 0, 2, 1, 192, 0, 2, 2 };
static const uint8_t carrier_v6[32] = { 0x20, 0x01, 0x0d, 0xb8, [15] = 1,
					0x20, 0x01, 0x0d, 0xb8, [31] = 2 };

/* An IP header of family @fam (0x0800 or 0x86dd) at p: addresses, next
 * protocol, flow label, @l4 bytes following. Returns its length. */
static uint32_t put_ip(uint8_t *p, uint16_t fam, const uint8_t *src, const uint8_t *dst,
		       uint8_t proto, uint32_t label, uint32_t l4)
{
	if (fam == 0x0800) {
		memset(p, 0, 20);
		p[0] = 0x45;
		put16(p + 2, (uint16_t)(20 + l4));
		p[8] = 64;
		p[9] = proto;
		memcpy(p + 12, src, 4);
		memcpy(p + 16, dst, 4);
		return 20;
	}
	memset(p, 0, 40);
	p[0] = 0x60;
	p[1] = (uint8_t)(label >> 16 & 0x0f);
	put16(p + 2, (uint16_t)label);
	put16(p + 4, (uint16_t)l4);
	p[6] = proto;
	p[7] = 64;
	memcpy(p + 8, src, 16);
	memcpy(p + 24, dst, 16);
	return 40;
}

/* @frag: K's IP header a later fragment (IPv4's offset, an IPv6
 * Fragment header), nothing past it (5.1: the walk stops there, with
 * ip_proto whatever it says, even an encapsulation's that would otherwise
 * go on to n_proto's header). */
static int sd_probe(const struct ofd_flow_keys *k, uint16_t vlan_etype, bool frag, uint8_t *p,
		    uint32_t cap, uint32_t *plen, const char **why)
{
	static const uint8_t mac[12] = { 0x02, 0, 0, 0, 0, 2, 0x02, 0, 0, 0, 0, 1 };
	uint16_t fam = k->addr_proto, lead;
	uint32_t o = 12, l4 = 0;
	bool ip47 = k->ip_proto == 47;
	struct ofd_flow_keys kp;
	int po = ports_offset(k->ip_proto);

	/* the longest probe: Ethernet 14, two tags 8, an IPv6 carrier 40
	 * and GRE with a key 8, IPv6 40, AH's SPI and ports 8: 118 bytes */
	if (cap < 160)
		return -EINVAL;
	memcpy(p, mac, 12);
	/* where the first non-VLAN ethertype must lead */
	lead = fam ? fam : k->n_proto;
	if (k->vlan_tpid) {
		put16(p + o, k->vlan_tpid);
		put16(p + o + 2, (uint16_t)(k->vlan_prio << 13 | k->vlan_id));
		o += 4;
		if (is_vlan(vlan_etype)) {
			/* a second tag: CVLAN, not hashed */
			put16(p + o, vlan_etype);
			put16(p + o + 2, 0);
			o += 4;
		}
	}
	if (!fam) {
		if (k->ip_proto || k->sport || k->dport || k->flow_label || k->gre_keyid) {
			*why = "keys without addresses but with L4 fields";
			return -EOPNOTSUPP;
		}
		if (k->n_proto < 0x600 && !(k->vlan_tpid && is_vlan(vlan_etype))) {
			/*
			 * Not as the Ethernet type or the outer tag's:
			 * eth_type_trans or vlan_set_encap_proto would make
			 * it ETH_P_802_2/3 (a second tag's is read in band,
			 * as it is). An HSR tag's encapsulated protocol
			 * reaches the dissector as it is too (5.1: HSR/PRP,
			 * skip the tag and continue).
			 */
			if (k->vlan_tpid && vlan_etype == k->n_proto &&
			    (k->n_proto == 0x0001 || k->n_proto == 0x0004)) {
				/* vlan_set_encap_proto's ETH_P_802_3 (FF FF
				 * next) or ETH_P_802_2, as the known cause
				 * asks (sd_classify) */
				put16(p + o, k->n_proto);
				put16(p + o + 2, k->n_proto == 0x0001 ? 0xffff : 0);
				o += 4;
				goto check;
			}
			if (k->vlan_tpid && vlan_etype != 0x892f) {
				*why = "n_proto below 0x600 past a tag";
				return -EOPNOTSUPP;
			}
			if (!k->vlan_tpid) {
				put16(p + o, 0x892f);
				o += 2;
			}
			memset(p + o, 0, 4);
			put16(p + o + 4, k->n_proto);
			o += 6;
			goto check;
		}
		if (k->vlan_tpid && !is_vlan(vlan_etype) && vlan_etype != k->n_proto) {
			*why = "the first tag's ethertype does not lead to n_proto";
			return -EOPNOTSUPP;
		}
		put16(p + o, k->n_proto);
		o += 2;
		/* skb_vlan_untag needs 2 bytes past the tag */
		if (k->vlan_tpid) {
			memset(p + o, 0, 2);
			o += 2;
		}
		goto check;
	}
	if ((k->sport || k->dport) && po < 0) {
		*why = "ports for a protocol without ports";
		return -EOPNOTSUPP;
	}
	if (k->sport || k->dport)
		l4 = (uint32_t)po + 4;
	if ((k->gre_keyid && !ip47) ||
	    (k->vlan_tpid && !is_vlan(vlan_etype) && vlan_etype != lead)) {
		/* a carrier: IPv4 (or the tag's family) + GRE (key) or IP-in-IP */
		uint16_t cf = k->vlan_tpid && !is_vlan(vlan_etype) ? vlan_etype : 0x0800;
		const uint8_t *ca = cf == 0x0800 ? carrier_v4 : carrier_v6;
		uint32_t al = cf == 0x0800 ? 4 : 16;
		bool gre = k->gre_keyid != 0;

		if (cf != 0x0800 && cf != 0x86dd) {
			*why = "the first tag's ethertype is not IP and does not lead to the keys";
			return -EOPNOTSUPP;
		}
		put16(p + o, cf);
		o += 2;
		o += put_ip(p + o, cf, ca, ca + al, gre ? 47 : fam == 0x0800 ? 4 : 41, 0,
			    (gre ? 8 : 0) + (fam == 0x0800 ? 20 : 40) + l4);
		if (gre) {
			put16(p + o, 0x2000); /* K */
			put16(p + o + 2, fam);
			put16(p + o + 4, (uint16_t)(k->gre_keyid >> 16));
			put16(p + o + 6, (uint16_t)k->gre_keyid);
			o += 8;
		}
	} else {
		put16(p + o, fam);
		o += 2;
	}
	if (frag && fam == 0x0800) {
		o += put_ip(p + o, fam, k->src, k->dst, k->ip_proto, 0, 8);
		put16(p + o - 14, 0x0001); /* offset 8 bytes, not the first */
		goto check;
	}
	if (frag) {
		/* IPv6: a Fragment header whose next header is ip_proto */
		o += put_ip(p + o, fam, k->src, k->dst, 44, k->flow_label, 8);
		memset(p + o, 0, 8);
		p[o] = k->ip_proto;
		put16(p + o + 2, 0x0008); /* offset 8 bytes, not the first */
		o += 8;
		goto check;
	}
	o += put_ip(p + o, fam, k->src, k->dst, k->ip_proto, k->flow_label,
		    ip47 ? (k->gre_keyid ? 8 : 4) : l4);
	if (ip47) {
		/* the GRE that ended the walk: its key and n_proto, nothing
		 * readable past it */
		put16(p + o, k->gre_keyid ? 0x2000 : 0);
		put16(p + o + 2, k->n_proto);
		o += 4;
		if (k->gre_keyid) {
			put16(p + o, (uint16_t)(k->gre_keyid >> 16));
			put16(p + o + 2, (uint16_t)k->gre_keyid);
			o += 4;
		}
	} else if (l4) {
		memset(p + o, 0, (size_t)po);
		put16(p + o + po, k->sport);
		put16(p + o + po + 2, k->dport);
		o += l4;
	}
check:
	/* The probe is only a probe if it dissects to K (as hashed). */
	if (ofd_model_dissect(p, o, OFD_FK_F_STOP_AT_FLOW_LABEL, &kp) ||
	    ofd_sd_hashed_diff(&kp, k) || ofd_sd_vlan_etype(p, o) != vlan_etype) {
		*why = "no probe dissects to these keys";
		return -EOPNOTSUPP;
	}
	*plen = o;
	return 0;
}

int ofd_sd_probe(const struct ofd_flow_keys *k, uint16_t vlan_etype, uint8_t *p,
		 uint32_t cap, uint32_t *plen, const char **why)
{
	if (!sd_probe(k, vlan_etype, false, p, cap, plen, why))
		return 0;
	/* a walk that ended at a later fragment: IP-in-IP, GRE, MPLS... */
	if (!k->addr_proto || k->n_proto != k->addr_proto || k->sport || k->dport)
		return -EOPNOTSUPP;
	return sd_probe(k, vlan_etype, true, p, cap, plen, why);
}

/* The frames one kernel call takes, in pairs (frame, probe). */
#define SD_BATCH (OFD_KFD_MAX / 2)

static int sd_hash(struct ofd_engine *e, int prog_fd, const uint8_t **f, const uint32_t *l,
		   unsigned int n, uint32_t *h, const char **why)
{
	return ofd_kernel_rxhash(e, prog_fd, (const uint8_t *const *)f, l, n, h, why);
}

/* Before the kernel: what it cannot be handed, what the model cannot
 * say, and the probe. */
static void sd_classify(struct ofd_sd_item *it)
{
	struct ofd_flow_keys kp;

	it->verdict = OFD_SD_UNDECIDED;
	it->method = OFD_SD_PROBE;
	if (it->len < 14) {
		it->verdict = OFD_SD_SKIPPED;
		it->why = "shorter than Ethernet: tun refuses the write";
		return;
	}
	if (it->len > OFD_KFD_FRAME_MAX) {
		it->verdict = OFD_SD_SKIPPED;
		it->why = "over 1500 bytes, what ofd_kernel_rxhash takes (the tap's MTU)";
		return;
	}
	if (is_vlan(get16(it->frame + 12)) && it->len < 20) {
		it->verdict = OFD_SD_SKIPPED;
		it->why = "a tag and less than 2 bytes past it: skb_vlan_untag drops it before the packet taps";
		return;
	}
	if (!it->have_k && ofd_model_dissect(it->frame, it->len, OFD_FK_F_STOP_AT_FLOW_LABEL,
					     &it->k)) {
		it->why = "the model has no record for it (TIPC)";
		return;
	}
	it->have_k = true;
	kp = it->k;
	if (get16(it->frame + 12) < 0x600) {
		/*
		 * A length, not an ethertype: the model runs the skb-less form
		 * (proto = the frame's two bytes, ofd_dissect.h), the skb path
		 * starts from skb->protocol, which eth_type_trans made
		 * ETH_P_802_3 (0x0001, "FF FF" next) or ETH_P_802_2 (0x0004).
		 * Probed with that n_proto: agreement there is the known
		 * difference (docs/dissect-vs-kernel.md).
		 */
		kp.n_proto = it->len >= 16 && get16(it->frame + 14) == 0xffff ? 0x0001 : 0x0004;
		it->known = kp.n_proto != it->k.n_proto;
	} else if (is_vlan(get16(it->frame + 12)) && get16(it->frame + 16) < 0x600) {
		/* the same past the outer tag: skb_vlan_untag's
		 * vlan_set_encap_proto reads the 2 bytes after the tag
		 * (len >= 20 here); the tag's ethertype is that one too */
		kp.n_proto = get16(it->frame + 18) == 0xffff ? 0x0001 : 0x0004;
		it->known = kp.n_proto != it->k.n_proto;
		if (ofd_sd_probe(&kp, kp.n_proto, it->probe, sizeof(it->probe), &it->plen,
				 &it->why))
			it->method = OFD_SD_BPF;
		return;
	}
	if (it->no_probe) {
		it->why = "no probe asked for";
		it->method = OFD_SD_BPF;
		return;
	}
	/* the first tag's ethertype matters only when K has a tag: a tag
	 * past where the walk stopped is none of the hash's business */
	if (ofd_sd_probe(&kp, kp.vlan_tpid ? ofd_sd_vlan_etype(it->frame, it->len) : 0, it->probe,
			 sizeof(it->probe), &it->plen, &it->why))
		it->method = OFD_SD_BPF;
}

/* The field a disagreement is about: K with one group zeroed, probed. */
static void sd_narrow(struct ofd_engine *e, struct ofd_sd_item *it)
{
	static const char *const names[] = {
		"ports", "flow_label", "vlan", "gre_keyid", "basic.ip_proto", "addrs",
		"basic.n_proto (the kernel stopped at the first header past Ethernet and tags)",
	};
#define SD_NARROW (sizeof(names) / sizeof(names[0]))
	uint8_t pb[SD_NARROW][160];
	const uint8_t *f[SD_NARROW + 1];
	uint32_t l[SD_NARROW + 1], h[SD_NARROW + 1], o = 12;
	unsigned int g, n = 1, tags;
	const char *why, *name[SD_NARROW + 1];
	uint16_t first;

	/* the first ethertype past up to two outer tags */
	for (tags = 0; tags < 2 && o + 6 <= it->len && is_vlan(get16(it->frame + o)); tags++)
		o += 4;
	first = get16(it->frame + o);
	f[0] = it->frame;
	l[0] = it->len;
	for (g = 0; g < SD_NARROW; g++) {
		struct ofd_flow_keys v = it->k;
		uint16_t ve = it->k.vlan_tpid ? ofd_sd_vlan_etype(it->frame, it->len) : 0;

		switch (g) {
		case 0: v.sport = v.dport = 0; break;
		case 1: v.flow_label = 0; break;
		case 2: v.vlan_tpid = v.vlan_id = v.vlan_prio = 0; ve = 0; break;
		case 3: v.gre_keyid = 0; break;
		case 4: v.ip_proto = 0; break;
		case 5: v.addr_proto = 0; v.ip_proto = 0; v.sport = v.dport = 0; break;
		case 6:
			/* a header the model walks past and the kernel
			 * does not (PPPoE's compressed protocol was one) */
			v.n_proto = first;
			v.addr_proto = 0;
			v.ip_proto = 0;
			v.sport = v.dport = 0;
			v.flow_label = 0;
			v.gre_keyid = 0;
			break;
		}
		if (!ofd_sd_hashed_diff(&v, &it->k) ||
		    ofd_sd_probe(&v, ve, pb[g], sizeof(pb[g]), &l[n], &why))
			continue;
		f[n] = pb[g];
		name[n++] = names[g];
	}
#undef SD_NARROW
	it->field = "no single field (no probe with one field group zeroed matches)";
	if (n == 1 || sd_hash(e, -1, f, l, n, h, &why))
		return;
	for (g = 1; g < n; g++)
		if (h[g] == h[0]) {
			it->field = name[g];
			return;
		}
}

int ofd_sd_judge(struct ofd_engine *e, struct ofd_sd_item *it, unsigned int n,
		 struct ofd_bpfimg *bpf, const char **why)
{
	const uint8_t *f[OFD_KFD_MAX];
	uint32_t l[OFD_KFD_MAX], h[OFD_KFD_MAX];
	unsigned int i, j, m, idx[SD_BATCH];
	int err;

	for (i = 0; i < n; i++)
		sd_classify(&it[i]);
	/* the probe method, SD_BATCH pairs a call */
	for (i = 0; i < n;) {
		for (m = 0; i < n && m < SD_BATCH; i++) {
			if (it[i].verdict != OFD_SD_UNDECIDED || !it[i].have_k ||
			    it[i].method != OFD_SD_PROBE || !it[i].plen)
				continue;
			f[2 * m] = it[i].frame;
			l[2 * m] = it[i].len;
			f[2 * m + 1] = it[i].probe;
			l[2 * m + 1] = it[i].plen;
			idx[m++] = i;
		}
		if (!m)
			break;
		err = sd_hash(e, -1, f, l, 2 * m, h, why);
		if (err)
			return err;
		for (j = 0; j < m; j++) {
			struct ofd_sd_item *t = &it[idx[j]];

			t->hf = h[2 * j];
			t->hp = h[2 * j + 1];
			t->verdict = t->hf != t->hp ? OFD_SD_DISAGREE :
				     t->known	    ? OFD_SD_KNOWN :
							OFD_SD_AGREE;
			t->why = NULL;
		}
	}
	/* the BPF fallback: model == our BPF dissector's keys, then the
	 * built-in hash against the BPF one */
	for (i = 0; i < n; i++) {
		struct ofd_sd_item *t = &it[i];
		struct bpf_flow_keys bk;
		struct ofd_flow_keys kb;
		const char *d;
		int rv;

		if (t->verdict != OFD_SD_UNDECIDED || !t->have_k || t->method != OFD_SD_BPF)
			continue;
		if (t->known) {
			/* the BPF program sees skb->protocol too */
			t->field = "the skb path's n_proto is not the model's";
			continue;
		}
		if (!bpf) {
			t->why = "no probe, and no BPF image to fall back on";
			continue;
		}
		/* an outer tag: the program would start past it, from
		 * skb->protocol, where BPF_PROG_TEST_RUN starts before it */
		if (t->k.vlan_tpid || t->k.gre_keyid || is_vlan(get16(t->frame + 12))) {
			/* t->why: the probe's reason */
			t->field = "a BPF dissector fills no VLAN or GRE key";
			continue;
		}
		if (t->len > OFD_IMG_MAX_LEN ||
		    ofd_bpfimg_run(bpf, t->frame, t->len, OFD_FK_F_STOP_AT_FLOW_LABEL, 1, &bk,
				   &rv, NULL)) {
			t->why = "no probe; BPF_PROG_TEST_RUN failed";
			continue;
		}
		ofd_img_keys(&bk, rv, &kb);
		d = ofd_sd_hashed_diff(&t->k, &kb);
		if (d) {
			t->field = "the model and our BPF dissector differ";
			continue;
		}
		f[0] = f[1] = t->frame;
		l[0] = l[1] = t->len;
		err = sd_hash(e, -1, f, l, 1, &h[0], why);
		if (!err)
			err = sd_hash(e, ofd_bpfimg_prog_fd(bpf), f + 1, l + 1, 1, &h[1], why);
		if (err)
			return err;
		t->hf = h[0];
		t->hp = h[1];
		t->verdict = h[0] == h[1] ? OFD_SD_AGREE : OFD_SD_DISAGREE;
		t->why = NULL;
	}
	for (i = 0; i < n; i++)
		if (it[i].verdict == OFD_SD_DISAGREE && it[i].method == OFD_SD_PROBE)
			sd_narrow(e, &it[i]);
	return 0;
}

