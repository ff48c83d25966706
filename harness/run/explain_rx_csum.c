// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * explain_rx_csum.c - rx-csum's judge: is a device's receive checksum
 * claim right, and if not, what does it cover and what reproduces it.
 *
 * The reference (the model) reports the state a correct device in
 * UNNECESSARY mode gives the frame, with the correct COMPLETE value in
 * csum_value as well (oracles/model/ofd_rx_csum.h), because a device may
 * legitimately report either state (kernel-rx.md 4: drivers use COMPLETE
 * when they can). compare() therefore accepts:
 *  - UNNECESSARY with exactly the reference's csum_level, NONE where the
 *    reference says NONE;
 *  - COMPLETE whose value is the reference's (as a ones'-complement
 *    number: 0x0000 and 0xffff are the same sum).
 * Everything else is a discrepancy, and explain() says what it is by the
 * stack's consequence (kernel-rx.md 4, 1.8), recomputing the frame's
 * layers (ofd_rx_csum_analyse):
 *  - a level that vouches for a layer whose checksum is bad: critical,
 *    unnecessary-bad-csum (outer) / unnecessary-bad-inner-csum (inside a
 *    tunnel); for a layer nobody can verify (fragment, truncated)
 *    unnecessary-unverifiable; for more layers than the
 *    frame has: csum-level-too-high. The stack takes every vouched layer
 *    on the device's word;
 *  - UNNECESSARY with a lower level, or NONE where the reference vouches:
 *    benign, the stack computes what the device did not;
 *  - a COMPLETE value reproduced by summing another byte range (the
 *    stripped VLAN tags, the padding after the IP datagram, both, or the
 *    whole frame from the Ethernet header): critical, each its class;
 *    the stack's check fails and it logs a hw csum failure;
 *  - anything none of these reproduces: rx-csum-unexplained.
 * The reference must be the model: the kernel engine's rx-csum answer is
 * GRO's state read back through a tap (no csum_level beyond 0, no
 * COMPLETE value), see specs/rx-csum.yaml and `selfcheck -f rx-csum`.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ofd_csum.h"
#include "ofd_offload.h"
#include "ofd_parse.h"
#include "ofd_rx_csum.h"

static const struct ofd_meta *meta_of(const struct ofd_result *r)
{
	if (r->status != OFD_RES_OK || r->nframes != 1 ||
	    !(r->frame[0].meta.has & OFD_META_CSUM_STATE))
		return NULL;
	return &r->frame[0].meta;
}

/* A claim that is right: see the top of this file. */
static bool claim_right(const struct ofd_meta *ref, const struct ofd_meta *tgt)
{
	switch (tgt->csum_state) {
	case OFD_CSUM_STATE_NONE:
		return ref->csum_state == OFD_CSUM_STATE_NONE;
	case OFD_CSUM_STATE_UNNECESSARY:
		return ref->csum_state == OFD_CSUM_STATE_UNNECESSARY &&
		       ref->csum_level == tgt->csum_level;
	case OFD_CSUM_STATE_COMPLETE:
		return ofd_rx_csum_same((uint16_t)ref->csum_value,
					(uint16_t)tgt->csum_value);
	default:
		return false;
	}
}

static enum ofd_verdict rx_csum_compare(const struct ofd_case *c,
					const struct ofd_result *ref,
					const struct ofd_result *tgt,
					unsigned int tgt_flags)
{
	enum ofd_verdict v = ofd_diff_quick(ref, tgt, tgt_flags);
	const struct ofd_meta *mr, *mt;

	(void)c;
	/* A reference whose state came back with a virtio_net_hdr (the
	 * kernel engine's tap) reports GRO's conclusion, not what a correct
	 * device reports: no csum_level, no COMPLETE value, VLAN tags gone
	 * on the way back. Judging a device by it would call right claims
	 * wrong, so every case is a skip (rx-csum's reference is the model;
	 * `selfcheck -f rx-csum` checks the model against the kernel). */
	if (ref->status == OFD_RES_OK && ref->nframes == 1 &&
	    (ref->frame[0].meta.has & OFD_META_VNET))
		return OFD_V_UNSUPPORTED;
	/* Status, frame count and bytes as for any offload; only the
	 * checksum state is judged here. */
	if (v == OFD_V_EQUAL || ref->nframes != 1 || tgt->nframes != 1 ||
	    v != OFD_V_DISCREPANCY || !ofd_frame_equal(&ref->frame[0], &tgt->frame[0]))
		return v;
	mr = meta_of(ref);
	mt = meta_of(tgt);
	if (!mr || !mt)
		return v;
	return claim_right(mr, mt) ? OFD_V_EQUAL : OFD_V_DISCREPANCY;
}

/* "outer udp" / "inner tcp" for layer k. */
static void layer_name(const struct ofd_rxcsum *a, unsigned int k, char *buf,
		       size_t len)
{
	const struct ofd_rxcsum_layer *l = &a->layer[k];

	snprintf(buf, len, "%s%s", l->depth ? "inner " : a->n > 1 ? "outer " : "",
		 ofd_proto_name(l->proto));
}

static void claim_text(const struct ofd_meta *m, char *buf, size_t len)
{
	if (m->csum_state == OFD_CSUM_STATE_UNNECESSARY)
		snprintf(buf, len, "UNNECESSARY level %u", m->csum_level);
	else if (m->csum_state == OFD_CSUM_STATE_COMPLETE)
		snprintf(buf, len, "COMPLETE 0x%04x", m->csum_value & 0xffff);
	else
		snprintf(buf, len, "%s", ofd_rx_csum_state_name(m->csum_state));
}

/* Both claims side by side (the generic metadata line shows the vnet
 * header only), and what the stack does with the device's. */
static void stack_note(const struct ofd_rxcsum *a, const struct ofd_meta *ref,
		       const struct ofd_meta *tgt, struct ofd_explanation *e)
{
	struct ofd_rxcsum_stack s;
	char name[32] = "", claim[48], correct[48];

	ofd_rx_csum_stack(a, tgt, &s);
	if (s.layer >= 0)
		layer_name(a, (unsigned int)s.layer, name, sizeof(name));
	claim_text(tgt, claim, sizeof(claim));
	claim_text(ref, correct, sizeof(correct));
	snprintf(e->note, sizeof(e->note),
		 "device %s; correct %s or COMPLETE 0x%04x; the stack with the device's claim: %s%s%s (%u checksum(s) taken on its word)",
		 claim, correct, a->complete, ofd_rx_csum_outcome_name(s.outcome),
		 s.layer >= 0 ? " at the " : "", name, s.trusted);
}

/* UNNECESSARY or NONE against the reference's level. */
static int explain_level(const struct ofd_rxcsum *a, const struct ofd_meta *ref,
			 const struct ofd_meta *tgt, const char *path,
			 struct ofd_explanation *e)
{
	unsigned int want = ref->csum_state == OFD_CSUM_STATE_UNNECESSARY ?
				    ref->csum_level + 1u : 0u;
	unsigned int got = tgt->csum_state == OFD_CSUM_STATE_UNNECESSARY ?
				   tgt->csum_level + 1u : 0u;
	const struct ofd_rxcsum_layer *l;
	char name[32], claim[48], correct[32];
	bool h_all, h_plus;

	claim_text(tgt, claim, sizeof(claim));
	if (got < want) {
		e->benign = true;
		if (!got) {
			e->id = "rx-csum-not-validated";
			snprintf(e->text, sizeof(e->text),
				 "the device declines to validate (CHECKSUM_NONE): the stack verifies in software");
		} else {
			e->id = "csum-level-too-low";
			snprintf(e->text, sizeof(e->text),
				 "csum_level lower than the checksums that verify: the stack verifies the rest in software");
		}
		snprintf(e->detail, sizeof(e->detail),
			 "%u checksum(s) verify from the outside (level %u); the device vouches for %u",
			 want, want - 1, got);
		snprintf(e->headline, sizeof(e->headline), "%s: %s, correct UNNECESSARY level %u",
			 path, claim, want - 1);
		return 0;
	}
	/* got > want: layer `want` is the first the device vouches for
	 * without it verifying. */
	if (want >= a->n) {
		e->id = "csum-level-too-high";
		snprintf(e->text, sizeof(e->text),
			 "csum_level vouches for more checksums than the frame has (one too many)");
		snprintf(e->detail, sizeof(e->detail),
			 "%u checksum layer(s) in the frame, all verify; the device claims %u%s",
			 a->n, got, got == want + 1 ? ": reproduced by a level one too high (verified, not verified - 1)" : "");
		snprintf(e->headline, sizeof(e->headline),
			 "%s: %s for %u checksum layer(s): level too high", path, claim, a->n);
		return 0;
	}
	l = &a->layer[want];
	layer_name(a, want, name, sizeof(name));
	switch (l->status) {
	case OFD_RXCSUM_BAD:
		e->id = l->depth ? "unnecessary-bad-inner-csum" : "unnecessary-bad-csum";
		snprintf(e->text, sizeof(e->text), l->depth ?
			 "CHECKSUM_UNNECESSARY vouches for a bad inner (tunnelled) checksum" :
			 "CHECKSUM_UNNECESSARY vouches for a bad checksum");
		/* Which device reproduces the claim: one that trusts every
		 * layer behind a verified outer one, one whose level is one
		 * too high; on a two-layer tunnel both do. */
		h_all = want >= 1 && got == a->n;
		h_plus = got == want + 1;
		snprintf(e->detail, sizeof(e->detail),
			 "%s checksum 0x%04x is wrong (0x%04x verifies); %u checksum(s) verify, the device vouches for %u%s",
			 name, l->stored, l->want, want, got,
			 h_all && h_plus ? ": reproduced by trusting the layers behind a verified outer one, and by a level one too high" :
			 h_all ? ": reproduced by trusting the layers behind a verified outer one" :
			 h_plus ? ": reproduced by a level one too high" : "");
		break;
	default:
		e->id = "unnecessary-unverifiable";
		snprintf(e->text, sizeof(e->text),
			 "CHECKSUM_UNNECESSARY vouches for a checksum no device can verify (fragment, length past the frame)");
		snprintf(e->detail, sizeof(e->detail), "%s checksum: %s; the device vouches for %u layer(s)",
			 name, ofd_rx_csum_status_name(l->status), got);
		break;
	}
	if (want)
		snprintf(correct, sizeof(correct), "UNNECESSARY level %u", want - 1);
	else
		snprintf(correct, sizeof(correct), "NONE");
	snprintf(e->headline, sizeof(e->headline), "%s: %s, correct %s: the %s checksum is %s",
		 path, claim, correct, name, ofd_rx_csum_status_name(l->status));
	return 0;
}

/* A COMPLETE value: which byte range gives it. */
static int explain_complete(const uint8_t *frame, const struct ofd_rxcsum *a,
			    const struct ofd_meta *tgt, const char *path,
			    struct ofd_explanation *e)
{
	uint16_t got = (uint16_t)tgt->csum_value, vlan = 0, pad = 0;
	bool has_vlan = a->l3_off >= 18 && a->l3_off <= a->len;
	bool has_pad = a->l3_end < a->len;
	uint32_t plus_vlan, plus_pad;

	/* The alternatives, each recomputed from the frame: the tags
	 * between the MAC addresses and the L3 ethertype, the bytes after
	 * the datagram (at their parity relative to the L3 start). */
	if (has_vlan)
		vlan = ofd_rx_csum_sum(frame, 12, a->l3_off - 2);
	if (has_pad)
		pad = ofd_rx_csum_sum(frame, a->l3_end, a->len);
	plus_vlan = ofd_csum_add(a->complete, vlan);
	plus_pad = ofd_csum_block_add(a->complete, pad, a->l3_end - a->l3_off);
	snprintf(e->detail, sizeof(e->detail),
		 "COMPLETE 0x%04x; the sum over [%u, %u) (L3 header to the IP datagram's end) is 0x%04x",
		 got, a->l3_off, a->l3_end, a->complete);
	if (has_vlan && ofd_rx_csum_same(got, ofd_fold16(plus_vlan))) {
		e->id = "complete-includes-vlan";
		snprintf(e->text, sizeof(e->text),
			 "CHECKSUM_COMPLETE includes the stripped VLAN tag(s): reproduced by adding bytes [12, %u)",
			 a->l3_off - 2);
	} else if (has_pad && ofd_rx_csum_same(got, ofd_fold16(plus_pad))) {
		e->id = "complete-includes-padding";
		snprintf(e->text, sizeof(e->text),
			 "CHECKSUM_COMPLETE includes the %u bytes of padding after the IP datagram: reproduced by summing to the frame end",
			 a->len - a->l3_end);
	} else if (has_vlan && has_pad &&
		   ofd_rx_csum_same(got, ofd_fold16(ofd_csum_add(plus_pad, vlan)))) {
		e->id = "complete-includes-vlan-and-padding";
		snprintf(e->text, sizeof(e->text),
			 "CHECKSUM_COMPLETE includes the stripped VLAN tag(s) and the padding");
	} else if (ofd_rx_csum_same(got, ofd_rx_csum_sum(frame, 0, a->l3_end)) ||
		   ofd_rx_csum_same(got, ofd_rx_csum_sum(frame, 0, a->len))) {
		e->id = "complete-from-l2";
		snprintf(e->text, sizeof(e->text),
			 "CHECKSUM_COMPLETE sums from the Ethernet header instead of the L3 header");
	} else {
		return -ENOENT;
	}
	snprintf(e->headline, sizeof(e->headline), "%s: COMPLETE 0x%04x != 0x%04x: %s", path,
		 got, a->complete, e->id);
	return 0;
}

static int rx_csum_explain(const struct ofd_case *c, const struct ofd_result *ref,
			   const struct ofd_result *tgt, struct ofd_explanation *e)
{
	const struct ofd_meta *mr = meta_of(ref), *mt = meta_of(tgt);
	struct ofd_rxcsum a;
	struct ofd_parsed p;
	char path[96], claim[48];
	int err;

	/* Only the state is explained here: a target that handed up other
	 * bytes (a device that rewrote the frame, a tap that stripped a
	 * tag) gets the field diff and no checksum-state class. */
	if (!mr || !mt || c->npkts != 1 || !c->pkts || !c->pkts[0].data ||
	    !ofd_frame_equal(&ref->frame[0], &tgt->frame[0]))
		return -ENOENT;
	ofd_parse(c->pkts[0].data, c->pkts[0].len, 0, &p);
	ofd_parse_path(&p, path, sizeof(path));
	ofd_rx_csum_analyse(c->pkts[0].data, c->pkts[0].len, &a);
	switch (mt->csum_state) {
	case OFD_CSUM_STATE_NONE:
	case OFD_CSUM_STATE_UNNECESSARY:
		err = explain_level(&a, mr, mt, path, e);
		break;
	case OFD_CSUM_STATE_COMPLETE:
		err = explain_complete(c->pkts[0].data, &a, mt, path, e);
		break;
	default:
		err = -ENOENT;
		break;
	}
	if (err) {
		/* Still a class of its own, with both claims side by side. */
		claim_text(mt, claim, sizeof(claim));
		e->id = "rx-csum-unexplained";
		e->benign = false;
		snprintf(e->text, sizeof(e->text),
			 "no hypothesis reproduces the device's checksum state");
		snprintf(e->detail, sizeof(e->detail),
			 "device %s; correct UNNECESSARY level %u / NONE, COMPLETE 0x%04x",
			 claim, mr->csum_level, a.complete);
		snprintf(e->headline, sizeof(e->headline), "%s: %s: rx-csum-unexplained",
			 path, claim);
	}
	stack_note(&a, mr, mt, e);
	return 0;
}

const struct ofd_offload_judge ofd_judge_rx_csum = {
	.compare = rx_csum_compare,
	.explain = rx_csum_explain,
	.unexplained = "rx-csum-unexplained",
	.explains_meta = true,
};
