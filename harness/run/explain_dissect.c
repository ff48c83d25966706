// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * explain_dissect.c - the dissect offload's judge: field lines for two
 * flow keys records, and root-cause hypotheses for records that differ.
 *
 * A dissect result is one frame holding a struct ofd_flow_keys in its
 * wire form (ofd_flow_keys.h), so the diff names fields from
 * ofd_flow_keys_fields[] ("ports.src 1000 != 0"), only those in groups
 * both sides fill (`have`): a group one side does not fill is not
 * compared, and its absence is never a difference.
 *
 * A hypothesis is the kernel's dissector with one rule bent the way real
 * parsers get it wrong (ofd_dissect_rules, the ways issue 21 lists for
 * RSS parsers: ports on fragments, extension headers not skipped, the
 * outer tuple of a tunnel; and the keys a BPF dissector leaves out: the
 * VLAN tag, the flow label). It explains a discrepancy only when the
 * model run under it gives the target's record exactly, over the fields
 * both fill. One more is not a bug: the record's nhoff has no key in the
 * C dissector (the model's convention, ofd_dissect.h) and a BPF program
 * keeps its own, so a difference there alone is benign.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd_dissect.h"
#include "ofd_flow_keys.h"
#include "ofd_offload.h"

static int keys_field_diff(const uint8_t *e, const uint8_t *a, uint32_t len,
			   void (*line)(void *ctx, const char *field, const char *values),
			   void *ctx)
{
	struct ofd_flow_keys ke, ka;
	char ve[64], va[64], vals[140];
	unsigned int i;
	uint8_t both;
	int n = 0;

	if (ofd_flow_keys_get(e, len, &ke) || ofd_flow_keys_get(a, len, &ka)) {
		line(ctx, "keys", "(not a flow keys record)");
		return 1;
	}
	both = ke.have & ka.have;
	for (i = 0; i < ofd_flow_keys_nfields; i++) {
		const struct ofd_flow_keys_field *f = &ofd_flow_keys_fields[i];

		if (!(f->have & both))
			continue;
		f->print(&ke, ve, sizeof(ve));
		f->print(&ka, va, sizeof(va));
		if (!strcmp(ve, va))
			continue;
		snprintf(vals, sizeof(vals), "%s != %s", ve, va);
		line(ctx, f->name, vals);
		n++;
	}
	return n;
}

/* Equal over the groups both fill, as the field lines compare them (an
 * IPv4 address is its first 4 bytes). On the hot path: no printing. */
static bool keys_equal(const struct ofd_flow_keys *x, const struct ofd_flow_keys *y,
		       bool skip_nhoff)
{
	uint8_t both = x->have & y->have;

	if ((both & OFD_FK_HAVE_BASIC) &&
	    (x->status != y->status || x->flags != y->flags || x->ip_proto != y->ip_proto ||
	     (!skip_nhoff && x->nhoff != y->nhoff) || x->thoff != y->thoff ||
	     x->n_proto != y->n_proto))
		return false;
	if (both & OFD_FK_HAVE_ADDRS) {
		size_t n = x->addr_proto == 0x86dd ? 16 : 4;

		if (x->addr_proto != y->addr_proto || memcmp(x->src, y->src, n) ||
		    memcmp(x->dst, y->dst, n))
			return false;
	}
	if ((both & OFD_FK_HAVE_PORTS) && (x->sport != y->sport || x->dport != y->dport))
		return false;
	if ((both & OFD_FK_HAVE_FLOW_LABEL) && x->flow_label != y->flow_label)
		return false;
	if ((both & OFD_FK_HAVE_VLAN) &&
	    (x->vlan_id != y->vlan_id || x->vlan_prio != y->vlan_prio ||
	     x->vlan_tpid != y->vlan_tpid))
		return false;
	if ((both & OFD_FK_HAVE_GRE_KEYID) && x->gre_keyid != y->gre_keyid)
		return false;
	return true;
}

struct hypothesis {
	const char *id;
	const char *text;
	struct ofd_dissect_rules rules;
};

static const struct hypothesis hypotheses[] = {
	{ "ports-on-first-fragment",
	  "L4 ports taken from a first fragment parsed on (PARSE_1ST_FRAG); the C dissector takes none from any fragment, so one flow's fragments would hash apart",
	  { .frag_ports = OFD_DIS_FRAG_PORTS_FIRST } },
	{ "ports-on-fragment",
	  "4 bytes after a fragment's IP header taken as L4 ports (payload, on a non-first fragment); the kernel takes no ports from fragments",
	  { .frag_ports = OFD_DIS_FRAG_PORTS_ALL } },
	{ "ipv6-exthdr-not-skipped",
	  "IPv6 Hop-by-Hop/Routing/Destination Options header taken as the transport protocol: the walk stops there without ports; the kernel skips them",
	  { .no_ext_skip = true } },
	{ "outer-instead-of-inner-addresses",
	  "outer IP addresses kept for a tunnelled packet; the kernel's inner IP header overwrites them (IP-in-IP, GRE)",
	  { .outer_addrs = true } },
	{ "vlan-key-missing",
	  "first VLAN tag skipped without filling the VLAN key (id, priority, TPID)",
	  { .no_vlan_key = true } },
	{ "flow-label-ignored",
	  "IPv6 flow label not recorded, and STOP_AT_FLOW_LABEL (the skb hash's flag) not honoured",
	  { .no_flow_label = true } },
};

static int records_of(const struct ofd_result *ref, const struct ofd_result *tgt,
		      struct ofd_flow_keys *kr, struct ofd_flow_keys *kt)
{
	uint8_t br[OFD_FLOW_KEYS_LEN], bt[OFD_FLOW_KEYS_LEN];

	if (ref->nframes != 1 || tgt->nframes != 1 ||
	    ref->frame[0].len != OFD_FLOW_KEYS_LEN || tgt->frame[0].len != OFD_FLOW_KEYS_LEN)
		return -ENOENT;
	ofd_frame_materialize(&ref->frame[0], br);
	ofd_frame_materialize(&tgt->frame[0], bt);
	if (ofd_flow_keys_get(br, sizeof(br), kr) || ofd_flow_keys_get(bt, sizeof(bt), kt))
		return -ENOENT;
	return 0;
}

static const char *flag_names(uint8_t f, char *buf, size_t n)
{
	static const char *const names[] = { "PARSE_1ST_FRAG", "STOP_AT_FLOW_LABEL",
					     "STOP_AT_ENCAP" };
	size_t o = 0;
	unsigned int i;

	buf[0] = '\0';
	for (i = 0; i < OFD_ARRAY_SIZE(names); i++)
		if ((f >> i & 1) && o < n)
			o += (size_t)snprintf(buf + o, n - o, "%s%s", o ? "|" : "", names[i]);
	if (!o)
		snprintf(buf, n, "none");
	return buf;
}

static int dissect_explain(const struct ofd_case *c, const struct ofd_result *ref,
			   const struct ofd_result *tgt, struct ofd_explanation *e)
{
	struct ofd_flow_keys kr, kt, alt;
	char fl[64];
	unsigned int i;

	if (c->npkts != 1 || records_of(ref, tgt, &kr, &kt))
		return -ENOENT;
	for (i = 0; i < OFD_ARRAY_SIZE(hypotheses); i++) {
		const struct hypothesis *h = &hypotheses[i];

		if (ofd_model_dissect_rules(&h->rules, c->pkts[0].data, c->pkts[0].len,
					    c->req.rx_flags, &alt))
			return -ENOENT;
		alt.have = kr.have;
		/* the bent rule must change the record and give the target's */
		if (keys_equal(&alt, &kr, false) || !keys_equal(&alt, &kt, false))
			continue;
		e->id = h->id;
		snprintf(e->text, sizeof(e->text), "%s", h->text);
		snprintf(e->detail, sizeof(e->detail), "input flags: %s",
			 flag_names(c->req.rx_flags, fl, sizeof(fl)));
		return 0;
	}
	if (kr.nhoff != kt.nhoff && keys_equal(&kr, &kt, true)) {
		e->id = "nhoff-convention";
		snprintf(e->text, sizeof(e->text), "%s",
			 "only the network offset differs: the C dissector has no nhoff key (the model gives where its last network step began), a BPF program reports its own");
		e->benign = true;
		return 0;
	}
	return -ENOENT;
}

/*
 * Equal when the records agree over the groups both fill: a BPF engine
 * fills fewer groups than the model (no VLAN or GRE key), which is what
 * it is, not a discrepancy. Everything but two differing records is the
 * generic verdict.
 */
static enum ofd_verdict dissect_compare(const struct ofd_case *c,
					const struct ofd_result *ref,
					const struct ofd_result *tgt, unsigned int tgt_flags)
{
	enum ofd_verdict v = ofd_diff_quick(ref, tgt, tgt_flags);
	struct ofd_flow_keys kr, kt;

	(void)c;
	if (v != OFD_V_DISCREPANCY || ref->status != OFD_RES_OK || tgt->status != OFD_RES_OK ||
	    records_of(ref, tgt, &kr, &kt))
		return v;
	return keys_equal(&kr, &kt, false) ? OFD_V_EQUAL : OFD_V_DISCREPANCY;
}

const struct ofd_offload_judge ofd_judge_dissect = {
	.compare = dissect_compare,
	.explain = dissect_explain,
	.unexplained = "keys-unexplained",
	.field_diff = keys_field_diff,
};
