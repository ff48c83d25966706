// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * explain_gro.c - the gro judge: verdicts and explanations for a train
 * whose frames differ from the kernel's (architecture.md, "Verdict
 * semantics"; kernel-rx.md 1).
 *
 * A target may flush earlier than the kernel: that is benign. Every frame
 * it emits must still be one the kernel makes of the same packets under
 * some legal flush pattern, and re-segmenting a merged frame must give
 * back the packets it covers. The judge
 *  1. maps each target frame to the run of input packets it covers (a
 *     frame equal to an input packet or to one untagged, or a TCP or UDP
 *     frame, tunnelled or not, whose payload covers consecutive packets
 *     of its flow: explain_gro_map.c);
 *  2. reruns the model with a flush point after every packet no run
 *     spans: the most flushes that keep every run whole. When that gives
 *     the target's frames, the target flushed earlier (benign); so it
 *     did too when every frame is the kernel's merge of its own packets,
 *     inside a batch, in its flow's order: one aggregate flushed at a
 *     time, as a timer's flush_old does (per_flow);
 *  3. otherwise names the first merged frame the kernel does not make of
 *     its packets (else the first frame the patterns do not give) and
 *     tests, on the model fed only that frame's packets, which one
 *     relaxed kernel rule, or which way of merging UDP the kernel's tap
 *     does not have, rebuilds it exactly (ofd_gro_model.h,
 *     ofd_gro_rules.h; tagged packets untagged, the reference having no
 *     VLAN GRO); then whether the kernel's frame for the same packets
 *     differs only in gso_size or only in headers; then whether the tso
 *     model's re-segmentation of it gives back the packets byte for
 *     byte.
 * Every class is a rebuild that reproduces the target's bytes; a frame
 * none reproduces is coalescing-unexplained, with the frame named.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_parse.h"
#include "ofd_offload.h"
#include "ofd_run.h"
#include "ofd_gro_model.h"
#include "ofd_gro_rules.h"
#include "explain_gro_internal.h"

static bool frame_eq(const struct ofd_frame *a, const struct ofd_frame *b)
{
	return a->len == b->len && ofd_frame_equal(a, b) && ofd_meta_equal(&a->meta, &b->meta);
}

/*
 * Which of g->r's frames each target frame equals, each used once, in
 * order within a flow (frames of different flows may come in another
 * order: a legal pattern with fewer flushes completes them otherwise).
 * The first target frame without a match, tn when all match.
 */
static uint32_t match_frames(struct gj *g, int16_t *match)
{
	bool used[GJ_MAX_FRAMES] = { false };
	uint32_t f, a, e;

	if (g->r->status != OFD_RES_OK || g->r->nframes > GJ_MAX_FRAMES)
		return 0;
	for (f = 0; f < g->tn; f++) {
		match[f] = -1;
		for (a = 0; a < g->r->nframes; a++)
			if (!used[a] && frame_eq(&g->r->frame[a], &g->tgt->frame[f]))
				break;
		if (a == g->r->nframes)
			return f;
		for (e = 0; e < f; e++)
			if (match[e] > (int16_t)a &&
			    gro_same_flow(g->tb[e], &g->tf[e], g->tb[f], &g->tf[f], g->lvl[f]))
				return f;
		used[a] = true;
		match[f] = (int16_t)a;
	}
	return f;
}

/* A rebuild: the kernel's rules with one relaxed (relax, ofd_gro_model.h)
 * or with UDP merged the way a device's rules say (udp, ofd_gro_rules.h;
 * the kernel's tap merges none, kernel-rx.md 2.1). */
struct rule {
	unsigned int relax;
	uint8_t udp;
	const char *id, *text;
};

/* The model on packets alt[0..n), one batch, under rule r (NULL: the
 * kernel's), into g->r. */
static void run_alt(struct gj *g, uint32_t n, const struct rule *r)
{
	struct ofd_case sc = *g->c;

	g->alt[n - 1].flags = OFD_PKT_F_FLUSH_AFTER;
	sc.pkts = g->alt;
	sc.npkts = n;
	ofd_result_reset(g->r);
	if (r && r->udp) {
		struct ofd_gro_rules rules = ofd_gro_rules_kernel;

		rules.udp = r->udp;
		ofd_model_gro_run(&rules, &sc, g->r);
	} else {
		ofd_model_gro_relaxed(&sc, r ? r->relax : 0, g->r);
	}
}

/* The model on the packets of target frame f alone, one batch, under
 * rule r (NULL: the kernel's). */
static void run_sub(struct gj *g, uint32_t f, const struct rule *r, uint32_t *np)
{
	uint32_t i, n = 0;

	for (i = 0; i < g->n; i++)
		if (g->owner[i] == (int16_t)f) {
			g->alt[n] = g->c->pkts[i];
			g->alt[n++].flags = 0;
		}
	run_alt(g, n, r);
	*np = n;
}

/* How many of packets alt[0..n) the first frame of g->r covers, counted
 * at level lv. */
static uint32_t split_at(struct gj *g, uint32_t n, unsigned int lv)
{
	const struct ofd_frame *f0 = &g->r->frame[0];
	uint32_t i, have = 0, want;
	struct gjf *t = malloc(sizeof(*t));
	uint8_t *b = malloc(f0->len ? f0->len : 1);

	if (!b || !t) {
		free(b);
		free(t);
		return 1;
	}
	ofd_frame_materialize(f0, b);
	gro_frame_info(b, f0->len, t);
	want = t->lv[lv].ok ? t->lv[lv].plen : 0;
	free(b);
	for (i = 0; i < n; i++) {
		gro_frame_info(g->alt[i].data, g->alt[i].len, t);
		have += t->lv[lv].plen;
		if (have >= want)
			break;
	}
	free(t);
	return i < n ? i + 1 : 1;
}

#define UDP_OFF "the kernel merges no UDP here, rx-udp-gro-forwarding and rx-gro-list being off (kernel-rx.md 2.1)"

static const struct rule rules[] = {
	{ OFD_GRO_RELAX_PSH, 0, "merged-across-psh", "merged past a segment with PSH, which ends a flow" },
	{ OFD_GRO_RELAX_TTL, 0, "merged-ttl-differs", "merged packets whose TTL (hop limit) differs" },
	{ OFD_GRO_RELAX_TOS, 0, "merged-tos-differs", "merged packets whose DSCP differs" },
	{ OFD_GRO_RELAX_ECN, 0, "merged-ecn-ce", "merged packets whose ECN bits differ (CE marks lost)" },
	{ OFD_GRO_RELAX_ID, 0, "merged-ip-id", "merged packets whose IPv4 IDs neither increment nor stay fixed" },
	{ OFD_GRO_RELAX_OPTIONS, 0, "merged-options-differ", "merged packets whose TCP options differ" },
	{ OFD_GRO_RELAX_ACK, 0, "merged-ack-differs", "merged packets with different ack numbers" },
	{ OFD_GRO_RELAX_SEQ, 0, "merged-seq-gap", "merged packets whose sequence numbers do not follow" },
	{ 0, OFD_GRO_UDP_GSO, "merged-udp-datagrams",
	  "merged UDP datagrams (as UDP GRO forwarding does): " UDP_OFF },
	{ 0, OFD_GRO_UDP_FRAGLIST, "merged-udp-datagrams",
	  "chained UDP datagrams (as fraglist GRO does), the first one's checksum left in place: " UDP_OFF },
};

/* IP header field of rule r at layer k of a and b: its value in each. */
static void ip_values(unsigned int relax, const uint8_t *a, const uint8_t *b,
		      const struct ofd_layer *l, unsigned int *x, unsigned int *y)
{
	const uint8_t *ia = a + l->off, *ib = b + l->off;
	bool v4 = l->proto == OFD_P_IPV4;

	switch (relax) {
	case OFD_GRO_RELAX_TTL:
		*x = v4 ? ia[8] : ia[7];
		*y = v4 ? ib[8] : ib[7];
		return;
	case OFD_GRO_RELAX_ID:
		*x = (unsigned int)(ia[4] << 8 | ia[5]);
		*y = (unsigned int)(ib[4] << 8 | ib[5]);
		return;
	}
	/* the traffic class byte: DSCP and ECN */
	*x = v4 ? ia[1] : (unsigned int)((ia[0] & 15) << 4 | ia[1] >> 4);
	*y = v4 ? ib[1] : (unsigned int)((ib[0] & 15) << 4 | ib[1] >> 4);
	if (relax == OFD_GRO_RELAX_ECN) {
		*x &= 3;
		*y &= 3;
	} else {
		*x >>= 2;
		*y >>= 2;
	}
}

/* One IP header's field for ip_field, appended at out + *o. */
static void ip_one(unsigned int nm, const struct ofd_parsed *p, int k, unsigned int x,
		   unsigned int y, char *out, size_t len, size_t *o)
{
	static const char *const names[] = { "ttl", "dscp", "ecn", "id" };
	const char *ver = p->layer[k].proto == OFD_P_IPV4 ? "ipv4" : "ipv6";
	const char *sep = *o ? ", " : "";
	int w;

	if (*o >= len)
		return;
	if (nm == 0 && p->layer[k].proto == OFD_P_IPV6)
		w = snprintf(out + *o, len - *o, "%s%sipv6.hop_limit %u != %u", sep,
			     gro_level_name(p, k), x, y);
	else
		w = snprintf(out + *o, len - *o, nm == 3 ? "%s%s%s.%s %u then %u" :
			     "%s%s%s.%s %u != %u", sep, gro_level_name(p, k), ver,
			     names[nm], x, y);
	*o += w > 0 ? (size_t)w : 0;
}

/*
 * "inner ipv4.ttl 64 != 63": the IP field rule r found different between
 * packet a and the one the kernel starts a new frame with, b, at every IP
 * header on the way to the merged L4 header where it differs (IDs: where
 * b's is neither a's + 1 nor a's), outer first; the innermost one when
 * none does.
 */
static void ip_field(const struct rule *r, const uint8_t *a, const uint8_t *b,
		     const struct gjf *fa, const struct tcpi *t, char *out, size_t len)
{
	unsigned int x = 0, y = 0, nm;
	size_t o = 0;
	int k, last = -1;

	nm = r->relax == OFD_GRO_RELAX_TTL ? 0 : r->relax == OFD_GRO_RELAX_TOS ? 1 :
	     r->relax == OFD_GRO_RELAX_ECN ? 2 : 3;
	out[0] = '\0';
	for (k = 0; k < t->l4; k++) {
		const struct ofd_layer *l = &fa->p.layer[k];

		if (l->proto != OFD_P_IPV4 && (l->proto != OFD_P_IPV6 || nm == 3))
			continue;
		last = k;
		ip_values(r->relax, a, b, l, &x, &y);
		if (nm == 3 ? y != x && y != ((x + 1) & 0xffff) : x != y)
			ip_one(nm, &fa->p, k, x, y, out, len, &o);
	}
	if (!o && last >= 0) {
		ip_values(r->relax, a, b, &fa->p.layer[last], &x, &y);
		ip_one(nm, &fa->p, last, x, y, out, len, &o);
	}
	if (!o)
		snprintf(out, len, "no IP header");
}

/* What rule r found between the first packet a, the one before the
 * kernel's split p, and the one it starts a new frame with, b. */
static void rule_field(struct gj *g, const struct rule *r, uint32_t f,
		       uint32_t m, char *out, size_t len)
{
	const uint8_t *a = g->alt[0].data, *b = g->alt[m].data;
	struct gjf *fa = malloc(sizeof(*fa)), *fb = malloc(sizeof(*fb));
	const struct tcpi *ta, *tb;
	unsigned int lv = g->lvl[f];

	if (!fa || !fb) {
		snprintf(out, len, "out of memory");
		goto out;
	}
	gro_frame_info(a, g->alt[0].len, fa);
	gro_frame_info(b, g->alt[m].len, fb);
	ta = &fa->lv[lv];
	tb = &fb->lv[lv];
	switch (r->relax) {
	case OFD_GRO_RELAX_TTL:
	case OFD_GRO_RELAX_TOS:
	case OFD_GRO_RELAX_ECN:
		ip_field(r, a, b, fa, ta, out, len);
		break;
	case OFD_GRO_RELAX_ID:
		a = g->alt[m - 1].data;
		gro_frame_info(a, g->alt[m - 1].len, fa);
		ip_field(r, a, b, fa, &fa->lv[lv], out, len);
		break;
	case OFD_GRO_RELAX_PSH:
		snprintf(out, len, "tcp.flags.psh 1 before packet seq %u", tb->seq);
		break;
	case OFD_GRO_RELAX_ACK:
		snprintf(out, len, "tcp.ack %u != %u", gro_be32(a + ta->th + 8),
			 gro_be32(b + tb->th + 8));
		break;
	case OFD_GRO_RELAX_SEQ:
		snprintf(out, len, "tcp.seq %u after %u", tb->seq, ta->seq);
		break;
	case OFD_GRO_RELAX_OPTIONS:
		snprintf(out, len, "tcp.options differ");
		break;
	default: {
		/* UDP: the merged frame's checksum word, and what it is */
		const uint8_t *t = g->tb[f] + g->tf[f].lv[lv].th;

		unsigned int ck = (unsigned int)(t[6] << 8 | t[7]);

		if (r->udp == OFD_GRO_UDP_FRAGLIST)
			snprintf(out, len, "chained as a fraglist, %sudp.checksum 0x%04x the first datagram's, left in place",
				 gro_level_name(&fa->p, ta->l4), ck);
		else
			snprintf(out, len, ck ? "one UDP_L4 frame of gso_size %u, %sudp.checksum 0x%04x the pseudo-header seed" :
				 "one UDP_L4 frame of gso_size %u, %sudp.checksum 0x%04x (none)",
				 g->tgt->frame[f].meta.vnet.gso_size,
				 gro_level_name(&fa->p, ta->l4), ck);
	}
	}
out:
	free(fa);
	free(fb);
}

static int say(struct ofd_explanation *e, const char *id, const char *text, bool benign)
{
	e->id = id;
	snprintf(e->text, sizeof(e->text), "%s", text);
	e->benign = benign;
	return 0;
}

/* The kernel's one frame for frame f's packets, the same length: the
 * first byte where it differs, named, in fld; 1 for a header field, 0
 * for payload, -1 when none differs or it cannot say. */
static int kernel_differs(struct gj *g, uint32_t f, char *fld, size_t len)
{
	const struct ofd_frame *kf = &g->r->frame[0];
	uint8_t *kb = malloc(kf->len ? kf->len : 1);
	struct ofd_parsed p;
	struct ofd_field fd;
	uint32_t i;
	int ret = -1;

	if (!kb)
		return -1;
	ofd_frame_materialize(kf, kb);
	for (i = 0; i < kf->len && kb[i] == g->tb[f][i]; i++)
		;
	ofd_parse(kb, kf->len, 0, &p);
	if (i < kf->len && !ofd_parse_field_at(kb, kf->len, &p, i, &fd)) {
		gro_field_name(kb, kf->len, &p, i, fld, len);
		ret = fd.layer >= 0;
	}
	free(kb);
	return ret;
}

/* Every packet of frame f carries an outer 802.1Q / 802.1ad tag. */
static bool vlan_run(const struct gj *g, uint32_t f)
{
	uint32_t i;

	for (i = 0; i < g->n; i++)
		if (g->owner[i] == (int16_t)f &&
		    (g->in[i].p.nlayers < 2 || (g->in[i].p.layer[1].proto != OFD_P_VLAN &&
						g->in[i].p.layer[1].proto != OFD_P_QINQ)))
			return false;
	return true;
}

/* The rebuilt frame kf is target frame f but for the tag: f is kf with
 * the run's tag in place (its checksum start 4 bytes on), or kf as is. */
static bool vlan_eq(const struct gj *g, uint32_t f, const struct ofd_frame *kf)
{
	const struct ofd_frame *tf = &g->tgt->frame[f];
	const uint8_t *tb = g->tb[f];
	struct ofd_meta km = kf->meta;
	uint8_t *kb;
	bool eq;

	if (tf->len == kf->len)
		return frame_eq(kf, tf);
	if (tf->len != kf->len + 4 || kf->len < 12)
		return false;
	if (km.vnet.csum_start)
		km.vnet.csum_start = (uint16_t)(km.vnet.csum_start + 4);
	kb = malloc(kf->len);
	if (!kb)
		return false;
	ofd_frame_materialize(kf, kb);
	eq = !memcmp(kb, tb, 12) && !memcmp(kb + 12, tb + 16, kf->len - 12) &&
	     ofd_meta_equal(&km, &tf->meta);
	free(kb);
	return eq;
}

/*
 * A merge of tagged packets: the kernel engine's kernel has no VLAN GRO
 * (no CONFIG_VLAN_8021Q, kernel-rx.md 3) and passes each up untagged, so
 * the rules are tested on the packets with their tag taken out, as
 * vlan_gro_receive would hand them to the IP handlers once the tags
 * compare equal. The tag taken out of a copy of each in buf; 1 with the
 * class in e when a rebuild gives the target's frame, 0 when none does.
 */
static int classify_vlan(struct gj *g, uint32_t f, uint8_t *buf, struct ofd_explanation *e)
{
	uint32_t i, n = 0, m = 1, at = 0;
	char fld[160] = "";

	for (i = 0; i < g->n; i++) {
		uint32_t len = g->c->pkts[i].len;

		if (g->owner[i] != (int16_t)f)
			continue;
		memcpy(buf + at, gro_pkt(g, i), 12);
		memcpy(buf + at + 12, gro_pkt(g, i) + 16, len - 16);
		g->alt[n].data = buf + at;
		g->alt[n].len = len - 4;
		g->alt[n++].flags = 0;
		at += len - 4;
	}
	run_alt(g, n, NULL);
	if (g->r->status == OFD_RES_OK && g->r->nframes == 1 && vlan_eq(g, f, &g->r->frame[0])) {
		snprintf(e->headline, sizeof(e->headline),
			 "%s, frame %u: merged %u VLAN-tagged packets the kernel passes one by one",
			 g->where, f + 1, n);
		say(e, "merged-vlan-tagged", "merged VLAN-tagged packets as GRO does with CONFIG_VLAN_8021Q; the reference kernel has no VLAN GRO and passes them one by one (kernel-rx.md 3)", false);
		return 1;
	}
	if (g->r->status == OFD_RES_OK && g->r->nframes > 1)
		m = split_at(g, n, g->lvl[f]);
	for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
		run_alt(g, n, &rules[i]);
		if (g->r->status != OFD_RES_OK || g->r->nframes != 1 ||
		    !vlan_eq(g, f, &g->r->frame[0]))
			continue;
		rule_field(g, &rules[i], f, m, fld, sizeof(fld));
		snprintf(e->headline, sizeof(e->headline),
			 "%s, frame %u: merged %u VLAN-tagged packets the kernel keeps apart: %s",
			 g->where, f + 1, n, fld);
		say(e, rules[i].id, rules[i].text, false);
		return 1;
	}
	return 0;
}

/* Step 3 for target frame f: which rebuild gives it. */
static int classify(struct gj *g, uint32_t f, struct ofd_explanation *e)
{
	const struct ofd_frame *tf = &g->tgt->frame[f];
	const uint8_t *tb = g->tb[f];
	uint32_t n, i, m;
	char fld[160] = "";
	int d;

	if (g->first[f] < 0) {
		snprintf(e->headline, sizeof(e->headline),
			 "%s, frame %u: %u bytes that cover no run of the train's packets",
			 g->where, f + 1, tf->len);
		return say(e, "coalescing-unexplained", "a frame no legal flush pattern and no tested rule gives", false);
	}
	run_sub(g, f, NULL, &n);
	if (g->r->status == OFD_RES_OK && g->r->nframes > 1 && n > 1 && vlan_run(g, f)) {
		size_t total = 0;
		uint8_t *buf;
		int r;

		for (i = 0; i < g->n; i++)
			if (g->owner[i] == (int16_t)f)
				total += g->c->pkts[i].len;
		buf = malloc(total);
		if (!buf)
			return -ENOMEM;
		r = classify_vlan(g, f, buf, e);
		free(buf);
		if (r)
			return 0;
		run_sub(g, f, NULL, &n);
	}
	if (g->r->status == OFD_RES_OK && g->r->nframes > 1 && n > 1) {
		m = split_at(g, n, g->lvl[f]);
		for (i = 0; i < sizeof(rules) / sizeof(rules[0]); i++) {
			run_sub(g, f, &rules[i], &n);
			if (g->r->status != OFD_RES_OK || g->r->nframes != 1 ||
			    !frame_eq(&g->r->frame[0], tf))
				continue;
			rule_field(g, &rules[i], f, m, fld, sizeof(fld));
			snprintf(e->headline, sizeof(e->headline),
				 "%s, frame %u: merged %u packets the kernel keeps apart: %s",
				 g->where, f + 1, n, fld);
			return say(e, rules[i].id, rules[i].text, false);
		}
		if (gro_reseg(g, f, tb, fld, sizeof(fld))) {
			snprintf(e->headline, sizeof(e->headline),
				 "%s, frame %u: merged %u packets the kernel keeps apart, not re-segmentable: %s",
				 g->where, f + 1, n, fld);
			return say(e, "not-resegmentable", "re-segmenting the merged frame does not give back the packets it covers", false);
		}
		snprintf(e->headline, sizeof(e->headline),
			 "%s, frame %u: merged %u packets the kernel keeps apart (after %u)",
			 g->where, f + 1, n, m);
		return say(e, "coalescing-unexplained", "a merge no tested rule relaxation gives", false);
	}
	if (g->r->status == OFD_RES_OK && g->r->nframes == 1 && n > 1 &&
	    frame_eq(&g->r->frame[0], tf)) {
		/* the kernel makes exactly this of the packets in one batch:
		 * the target merged across a flush the train has (a batch
		 * boundary, a full bucket, a poll's budget) */
		snprintf(e->headline, sizeof(e->headline),
			 "%s, frame %u: merged %u packets across a flush point of the train",
			 g->where, f + 1, n);
		return say(e, "merged-across-flush", "merged packets the kernel flushes apart at a NAPI batch boundary (or a full bucket)", false);
	}
	if (g->r->status == OFD_RES_OK && g->r->nframes == 1) {
		const struct ofd_frame *kf = &g->r->frame[0];
		struct ofd_meta km = kf->meta;

		km.vnet.gso_size = tf->meta.vnet.gso_size;
		if (kf->len == tf->len && ofd_frame_equal(kf, tf) &&
		    kf->meta.vnet.gso_size != tf->meta.vnet.gso_size &&
		    ofd_meta_equal(&km, &tf->meta)) {
			snprintf(e->headline, sizeof(e->headline),
				 "%s, frame %u: merged %u packets with gso_size %u != %u",
				 g->where, f + 1, n, kf->meta.vnet.gso_size,
				 tf->meta.vnet.gso_size);
			return say(e, "wrong-gso-size", "the kernel's merge with another gso_size", false);
		}
	}
	if (g->cnt[f] > 1 && gro_reseg(g, f, tb, fld, sizeof(fld))) {
		snprintf(e->headline, sizeof(e->headline),
			 "%s, frame %u: merged %u packets, not re-segmentable: %s",
			 g->where, f + 1, g->cnt[f], fld);
		return say(e, "not-resegmentable", "re-segmenting the merged frame does not give back the packets it covers", false);
	}
	if (g->r->status == OFD_RES_OK && g->r->nframes == 1 && g->r->frame[0].len == tf->len &&
	    (d = kernel_differs(g, f, fld, sizeof(fld))) >= 0) {
		snprintf(e->headline, sizeof(e->headline),
			 "%s, frame %u: the kernel's merge of the same %u packets differs: %s",
			 g->where, f + 1, n, fld);
		if (d)
			return say(e, "merged-headers-differ", "the same packets merged, other headers than the kernel's", false);
		return say(e, "coalescing-unexplained", "the same packets merged, other payload bytes than the kernel's", false);
	}
	snprintf(e->headline, sizeof(e->headline), "%s, frame %u: no legal flush pattern gives it",
		 g->where, f + 1);
	return say(e, "coalescing-unexplained", "a frame no legal flush pattern and no tested rule gives", false);
}

/* The train's batch boundaries as the model's engine has them: a flush
 * point, a full poll of 64 frames, the train's end (kernel-rx.md 1.10):
 * bnd[i] after packet i. Each flushes every held packet. */
static void boundaries(const struct gj *g, bool *bnd)
{
	uint32_t i, polled = 0;

	for (i = 0; i < g->n; i++) {
		bnd[i] = ++polled == 64 || (g->c->pkts[i].flags & OFD_PKT_F_FLUSH_AFTER) ||
			 i + 1 == g->n;
		if (bnd[i])
			polled = 0;
	}
}

/* Frame e, one packet, overtakes frame f of its flow: the kernel,
 * holding f's first packet, hands e's up first (a packet GRO passes
 * without holding: a bad checksum, IP options, an empty UDP datagram,
 * 1.2), as the target did. */
static bool overtakes(struct gj *g, uint32_t e, uint32_t f)
{
	struct ofd_case sc = *g->c;

	if (g->cnt[e] != 1 || g->first[f] < 0)
		return false;
	g->alt[0] = g->c->pkts[g->first[f]];
	g->alt[1] = g->c->pkts[g->first[e]];
	g->alt[0].flags = 0;
	g->alt[1].flags = OFD_PKT_F_FLUSH_AFTER;
	sc.pkts = g->alt;
	sc.npkts = 2;
	ofd_result_reset(g->r);
	ofd_model_gro_relaxed(&sc, 0, g->r);
	return g->r->status == OFD_RES_OK && g->r->nframes == 2 &&
	       frame_eq(&g->r->frame[0], &g->tgt->frame[e]);
}

/*
 * Step 2 with flushes of single aggregates: a timer's flush_old (1.10)
 * completes the oldest held packets and keeps the young ones, so one
 * flow's aggregate may go up while others stay held, which the flush
 * points of step 2 (each a batch end, flushing everything) cannot say.
 * Every target frame is then one the kernel makes when it is the
 * kernel's frame of its own packets in one batch and spans no batch
 * boundary; every packet is in a frame, and a flow's frames come in the
 * order of its packets, but for one GRO passes without holding it,
 * which overtakes (1.2). Which held packets are the oldest is not
 * followed: each frame is the kernel's merge of its packets, so what is
 * left out is only the kernel's choice of aggregates, never a rule. The
 * first frame that is not such a frame, tn when all are (g->n + tn when
 * a packet is in none).
 */
static uint32_t per_flow(struct gj *g, const bool *bnd)
{
	uint32_t f, e, i, n;

	for (i = 0; i < g->n; i++)
		if (g->owner[i] < 0)
			return g->n + g->tn;
	for (f = 0; f < g->tn; f++) {
		if (g->first[f] < 0)
			return f;
		for (i = (uint32_t)g->first[f]; i < (uint32_t)g->last[f]; i++)
			if (bnd[i])
				return f;
		for (e = 0; e < f; e++)
			if (g->first[e] > g->first[f] && g->lvl[e] == g->lvl[f] &&
			    gro_same_flow(g->tb[e], &g->tf[e], g->tb[f], &g->tf[f], g->lvl[f]) &&
			    !overtakes(g, e, f))
				return f;
		run_sub(g, f, NULL, &n);
		if (g->r->status != OFD_RES_OK || g->r->nframes != 1 ||
		    !frame_eq(&g->r->frame[0], &g->tgt->frame[f]))
			return f;
	}
	return f;
}

static int earlier(struct gj *g, const struct ofd_result *ref, struct ofd_explanation *e,
		   const char *how)
{
	if (g->tn == ref->nframes) /* only the order across flows differs */
		snprintf(e->headline, sizeof(e->headline),
			 "%s: flushed earlier than the kernel%s: its %u frames in another order across flows, 0 merges missed",
			 g->where, how, g->tn);
	else
		snprintf(e->headline, sizeof(e->headline),
			 "%s: flushed earlier than the kernel%s: %u frames for the kernel's %u, %d merges missed",
			 g->where, how, g->tn, ref->nframes, (int)g->tn - (int)ref->nframes);
	snprintf(e->detail, sizeof(e->detail), "%d merges missed",
		 (int)g->tn - (int)ref->nframes);
	return say(e, "earlier-flush", "the kernel's frames for a legal flush pattern with more flushes (fewer merges)",
		   true);
}

/* Step 2, then 3. */
static int judge(struct gj *g, const struct ofd_result *ref, struct ofd_explanation *e)
{
	struct ofd_case ac = *g->c;
	int16_t match[GJ_MAX_FRAMES];
	bool bnd[GJ_MAX_PKTS];
	uint32_t i, f, bad, pf;

	gro_map_frames(g);
	for (i = 0; i < g->n; i++) {
		bool spanned = false;

		for (f = 0; f < g->tn && !spanned; f++)
			spanned = g->cnt[f] > 1 && g->first[f] <= (int)i && (int)i < g->last[f];
		g->alt[i] = g->c->pkts[i];
		if (!spanned)
			g->alt[i].flags |= OFD_PKT_F_FLUSH_AFTER;
	}
	ac.pkts = g->alt;
	ofd_result_reset(g->r);
	ofd_model_gro_relaxed(&ac, 0, g->r);
	bad = match_frames(g, match);
	if (bad == g->tn && g->r->nframes == g->tn)
		return earlier(g, ref, e, "");
	/* a merge the kernel does not make of its packets is the finding,
	 * whatever order or flushes come before it */
	for (f = 0; f < g->tn; f++) {
		uint32_t n;

		if (g->cnt[f] < 2)
			continue;
		run_sub(g, f, NULL, &n);
		if (g->r->status != OFD_RES_OK || g->r->nframes != 1 ||
		    !frame_eq(&g->r->frame[0], &g->tgt->frame[f]))
			return classify(g, f, e);
	}
	boundaries(g, bnd);
	pf = per_flow(g, bnd);
	/* fewer frames than the kernel's is merging more, never earlier
	 * (as many: aggregates flushed earlier, none missed) */
	if (pf == g->tn && g->tn >= ref->nframes)
		return earlier(g, ref, e, " (one flow's aggregate at a time)");
	if (bad == g->tn) {
		snprintf(e->headline, sizeof(e->headline),
			 "%s: %u frames where the kernel, flushing where the target did, emits %u",
			 g->where, g->tn, g->r->nframes);
		return say(e, "coalescing-unexplained", "frames missing against every legal flush pattern", false);
	}
	/* the frame that broke the per-flow pattern when the first the
	 * batch pattern did not give is one of its legal ones */
	return classify(g, pf < g->tn && pf > bad ? pf : bad, e);
}

static int gro_explain(const struct ofd_case *c, const struct ofd_result *ref,
		       const struct ofd_result *tgt, struct ofd_explanation *e)
{
	struct gj *g = NULL;
	uint8_t **tb = NULL;
	uint32_t i;
	int ret = -ENOENT;

	memset(e, 0, sizeof(*e));
	if (!c->npkts || c->npkts > GJ_MAX_PKTS || ref->status != OFD_RES_OK ||
	    tgt->status != OFD_RES_OK || tgt->nframes > GJ_MAX_FRAMES)
		return -ENOENT;
	g = calloc(1, sizeof(*g));
	tb = calloc(tgt->nframes + 1, sizeof(*tb));
	if (!g || !tb || !(g->tf = calloc(tgt->nframes + 1, sizeof(*g->tf))) ||
	    ofd_result__new(GJ_ARENA, &g->r) || ofd_result__new(GJ_ARENA, &g->seg)) {
		ret = -ENOMEM;
		goto out;
	}
	g->c = c;
	g->tgt = tgt;
	g->tb = tb;
	g->n = c->npkts;
	g->tn = tgt->nframes;
	/* The file's base name: the same line whether the run named its
	 * corpus relative to here or, resumed, by absolute path. */
	if (c->src_file)
		snprintf(g->where, sizeof(g->where), "train %llu (%s %u)",
			 (unsigned long long)c->id,
			 strrchr(c->src_file, '/') ? strrchr(c->src_file, '/') + 1 : c->src_file,
			 c->src_index);
	else
		snprintf(g->where, sizeof(g->where), "train %llu", (unsigned long long)c->id);
	for (i = 0; i < g->n; i++)
		gro_frame_info(c->pkts[i].data, c->pkts[i].len, &g->in[i]);
	for (i = 0; i < g->tn; i++) {
		tb[i] = malloc(tgt->frame[i].len ? tgt->frame[i].len : 1);
		if (!tb[i]) {
			ret = -ENOMEM;
			goto out;
		}
		ofd_frame_materialize(&tgt->frame[i], tb[i]);
		gro_frame_info(tb[i], tgt->frame[i].len, &g->tf[i]);
	}
	ret = judge(g, ref, e);
out:
	if (g) {
		if (g->r)
			ofd_result__free(g->r);
		if (g->seg)
			ofd_result__free(g->seg);
		for (i = 0; tb && i < g->tn; i++)
			free(tb[i]);
		free(g->tf);
	}
	free(tb);
	free(g);
	if (ret)
		memset(e, 0, sizeof(*e));
	return ret;
}

const struct ofd_offload_judge ofd_judge_gro = {
	.explain = gro_explain,
	.frame_noun = "frame",
	.unexplained = "coalescing-unexplained",
	.explains_meta = true,
};
