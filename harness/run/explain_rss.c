// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * explain_rss.c - the rss offload's judge: field lines for two hash
 * records (rxhash, hash_type, flow_type, queue), and root-cause
 * hypotheses for records that differ.
 *
 * A hypothesis is the model's computation with one rule bent the way NICs
 * get it wrong (ofd_rss_bends; issue 21): L4 ports hashed on a fragment,
 * the outer tuple of a tunnel, an IPv6 extension header hashed as the L4
 * header, the symmetric-xor transform on a device configured for plain
 * Toeplitz; and the limits of a parser that reads fixed headers (below).
 * It explains a discrepancy only when the recomputed record is the
 * target's exactly (hash, type, flow type and queue). The judge
 * recomputes under the default configuration (ofd_rss_config_shared):
 * a campaign whose devices are configured otherwise gets its
 * discrepancies as rss-unexplained, still named field by field.
 *
 * Severity, per class, by what the difference does to a flow (RSS's one
 * promise: every packet of a flow on one queue, so no reordering, and an
 * L4-typed hash the stack may trust as the flow's identity):
 *   ports-on-fragment   critical: a datagram's fragments and the flow's
 *                       unfragmented packets hash apart (payload bytes as
 *                       ports), so one flow spreads over queues;
 *   exthdr-not-skipped  critical: packets of one flow with and without an
 *                       extension header (or with different ones) land on
 *                       different queues, under an L4 type;
 *   outer-tuple         benign: every packet of a tunnelled flow still
 *                       gets one hash (the tunnel's), ordering holds; only
 *                       the spreading over queues is lost;
 *   symmetric-xor       benign: deterministic per flow (A->B and B->A
 *                       share it, which is the transform's purpose), but
 *                       not the configured hash: anything that predicts
 *                       queues from the key (the kernel's toeplitz
 *                       selftest, flow steering by hash) is off;
 *   l2-not-parsed, ipv6-chain-incomplete, l4-header-incomplete
 *                       benign: the limits of a parser that reads fixed
 *                       headers (QEMU's virtio-net, docs/qemu-findings.md
 *                       V2-V4; many NICs). Every packet of a flow behind
 *                       an unparsed encapsulation gets the same answer
 *                       (no hash, queue 0), so ordering holds; a frame
 *                       whose extension-header chain or L4 header is cut
 *                       belongs to no working flow (the stack drops it);
 *   rss-unexplained     critical.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "ofd_offload.h"
#include "ofd_rss.h"

static int rss_field_diff(const uint8_t *e, const uint8_t *a, uint32_t len,
			  void (*line)(void *ctx, const char *field, const char *values),
			  void *ctx)
{
	struct ofd_rss_out oe, oa;
	char vals[96];
	int n = 0;

	if (ofd_rss_out_get(e, len, &oe) || ofd_rss_out_get(a, len, &oa)) {
		line(ctx, "rss", "(not an rss record)");
		return 1;
	}
	if (oe.hash != oa.hash) {
		snprintf(vals, sizeof(vals), "0x%08x != 0x%08x", oe.hash, oa.hash);
		line(ctx, "rxhash", vals);
		n++;
	}
	if (oe.hash_type != oa.hash_type) {
		snprintf(vals, sizeof(vals), "%s != %s", ofd_rss_hash_type_name(oe.hash_type),
			 ofd_rss_hash_type_name(oa.hash_type));
		line(ctx, "hash_type", vals);
		n++;
	}
	if (oe.flow_type != oa.flow_type) {
		snprintf(vals, sizeof(vals), "%s != %s", ofd_rss_flow_name(oe.flow_type),
			 ofd_rss_flow_name(oa.flow_type));
		line(ctx, "flow_type", vals);
		n++;
	}
	if (oe.queue != oa.queue) {
		snprintf(vals, sizeof(vals), "%u != %u", oe.queue, oa.queue);
		line(ctx, "queue", vals);
		n++;
	}
	return n;
}

struct hypothesis {
	const char *id;
	const char *text;
	bool benign;
	struct ofd_rss_bends bends;
};

static const struct hypothesis hypotheses[] = {
	{ "ports-on-fragment",
	  "L4 ports hashed on a fragment (4 bytes after its IP header, payload on a non-first one); the kernel takes no ports from fragments, so a fragment hashes on its 2-tuple",
	  false, { .frag_ports = true } },
	{ "outer-tuple",
	  "the outer header of a tunnel hashed; the kernel's dissector hashes the inner tuple (IP-in-IP, SIT, GRE)",
	  true, { .outer_tuple = true } },
	{ "exthdr-not-skipped",
	  "IPv6 extension header not skipped: its first 4 bytes hashed as the L4 ports",
	  false, { .exthdr_l4 = true } },
	{ "symmetric-xor",
	  "the symmetric-xor input transform (sip^dip, sp^dp) applied on a device configured for plain Toeplitz",
	  true, { .sym_xor = true } },
	{ "l2-not-parsed",
	  "only IPv4 and IPv6 behind at most two VLAN tags parsed: PPPoE, HSR, a third tag and other encapsulations get no hash (queue 0); the kernel's dissector walks them to the IP header",
	  true, { .l2_limit = true } },
	{ "ipv6-chain-incomplete",
	  "an IPv6 extension-header chain that runs past the frame's end gets no hash; the kernel hashes the addresses",
	  true, { .ipv6_chain_whole = true } },
	{ "l4-header-incomplete",
	  "ports hashed only when the whole TCP (20 bytes) or UDP (8) header is in the frame, else the 2-tuple typed L3; the kernel takes the ports from the first 4 bytes there",
	  true, { .l4_whole = true } },
};

static int records_of(const struct ofd_result *ref, const struct ofd_result *tgt,
		      struct ofd_rss_out *r, struct ofd_rss_out *t)
{
	uint8_t br[OFD_RSS_REC_LEN], bt[OFD_RSS_REC_LEN];

	if (ref->nframes != 1 || tgt->nframes != 1 ||
	    ref->frame[0].len != OFD_RSS_REC_LEN || tgt->frame[0].len != OFD_RSS_REC_LEN)
		return -ENOENT;
	ofd_frame_materialize(&ref->frame[0], br);
	ofd_frame_materialize(&tgt->frame[0], bt);
	if (ofd_rss_out_get(br, sizeof(br), r) || ofd_rss_out_get(bt, sizeof(bt), t))
		return -ENOENT;
	return 0;
}

static bool out_equal(const struct ofd_rss_out *x, const struct ofd_rss_out *y)
{
	return x->hash == y->hash && x->hash_type == y->hash_type &&
	       x->flow_type == y->flow_type && x->queue == y->queue;
}

static int rss_explain(const struct ofd_case *c, const struct ofd_result *ref,
		       const struct ofd_result *tgt, struct ofd_explanation *e)
{
	const struct ofd_rss_config *cfg = ofd_rss_config_shared();
	struct ofd_rss_out r, t, alt;
	unsigned int i;

	if (c->npkts != 1 || records_of(ref, tgt, &r, &t))
		return -ENOENT;
	for (i = 0; i < OFD_ARRAY_SIZE(hypotheses); i++) {
		const struct hypothesis *h = &hypotheses[i];

		if (ofd_rss_compute(cfg, &h->bends, c->pkts[0].data, c->pkts[0].len, &alt))
			return -ENOENT;
		/* the bent rule must change the record and give the target's */
		if (out_equal(&alt, &r) || !out_equal(&alt, &t))
			continue;
		e->id = h->id;
		e->benign = h->benign;
		snprintf(e->text, sizeof(e->text), "%s", h->text);
		snprintf(e->detail, sizeof(e->detail),
			 "recomputed: rxhash 0x%08x (%s, %s), queue %u; the model's 0x%08x (%s, %s), queue %u",
			 alt.hash, ofd_rss_flow_name(alt.flow_type),
			 ofd_rss_hash_type_name(alt.hash_type), alt.queue, r.hash,
			 ofd_rss_flow_name(r.flow_type), ofd_rss_hash_type_name(r.hash_type),
			 r.queue);
		if (r.hash_type == OFD_RSS_HASH_L3 || alt.hash_type == OFD_RSS_HASH_L3)
			snprintf(e->note, sizeof(e->note), "%s",
				 "an L3-typed hash is replaced by the kernel's own siphash at the first skb_get_hash() (kernel-rx.md 5.2); RSS queue selection in the device uses it all the same");
		return 0;
	}
	return -ENOENT;
}

const struct ofd_offload_judge ofd_judge_rss = {
	.explain = rss_explain,
	.unexplained = "rss-unexplained",
	.field_diff = rss_field_diff,
};
