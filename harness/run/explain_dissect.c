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
 *
 * A BPF flow dissector's record (the groups __skb_flow_bpf_to_target
 * fills, no VLAN or GRE key) is judged against the scope such a program
 * has by design (kernel-rx.md 5.4, the reference program bpf_flow.c):
 * the model under every rule of ofd_dissect_bpf_rule must give the
 * target's record, nhoff aside. Then the difference is the program's
 * documented behaviour, benign, and its class names the first rule the
 * record cannot do without (bpf-scope-ethertype, ...); every rule it
 * needs is in the detail. Otherwise each bug hypothesis is tried on top
 * of that scope, then against the C dissector as for any target.
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

/* The groups a BPF flow dissector's keys fill (kernel-rx.md 5.4,
 * targets/images/image.c): what marks a record as a BPF program's. */
#define HAVE_BPF_KEYS                                                      \
	(OFD_FK_HAVE_BASIC | OFD_FK_HAVE_ADDRS | OFD_FK_HAVE_PORTS | OFD_FK_HAVE_FLOW_LABEL)

/* A rule of a BPF dissector's scope, in the order a class is named by. */
struct scope_rule {
	unsigned int bit; /* OFD_DIS_BPF_* */
	const char *name;
	const char *id;
	const char *text;
};

static const struct scope_rule scope_rules[] = {
	{ OFD_DIS_BPF_ETHERTYPE, "ethertype", "bpf-scope-ethertype",
	  "an ethertype a BPF flow dissector does not take (only IPv4, IPv6, MPLS, 802.1Q/AD): dropped; the C dissector handles PPPoE, ARP, FCoE, batman-adv, HSR/PRP, PTP, CFM" },
	{ OFD_DIS_BPF_VLAN, "vlan-tags", "bpf-scope-vlan-tags",
	  "VLAN tags beyond one 802.1Q or 802.1AD+802.1Q (Q-in-Q, a third tag, AD without Q): a BPF flow dissector drops them; the C dissector walks them" },
	{ OFD_DIS_BPF_L4, "l4-proto", "bpf-scope-l4-proto",
	  "a transport protocol a BPF flow dissector does not take (SCTP, DCCP, ESP, AH, ICMPv6, MPLS in IP...): dropped; the C dissector succeeds, with ports or SPI for some" },
	{ OFD_DIS_BPF_ROUTING, "ipv6-routing", "bpf-scope-ipv6-routing",
	  "an IPv6 Routing header: a BPF flow dissector follows only Hop-by-Hop and Destination Options and drops it; the C dissector skips it" },
	{ OFD_DIS_BPF_MPLS, "mpls", "bpf-scope-mpls",
	  "MPLS: a BPF flow dissector ends OK at the first label (which must be there) recording nothing; the C dissector ends one label on, unread" },
	{ OFD_DIS_BPF_GRE, "gre", "bpf-scope-gre",
	  "GRE: a BPF flow dissector takes version 0 only (PPTP ends OK where it is), ignores the routing bit, skips the key unread and marks encapsulation before TEB" },
	{ OFD_DIS_BPF_STEPS, "header-limit", "bpf-scope-header-limit",
	  "more headers than the C dissector's 15 (where it ends good): a BPF flow dissector goes on, up to the kernel's 33 tail calls" },
	{ OFD_DIS_BPF_WHOLE_HDRS, "whole-headers", "bpf-scope-whole-headers",
	  "a header cut short (IPv4 options, TCP with its options or data offset < 5, UDP, ICMP): a BPF flow dissector drops; the C dissector ends good without ports" },
	{ OFD_DIS_BPF_FRAG_PORTS, "first-fragment-ports", "bpf-scope-first-fragment-ports",
	  "L4 ports from a first fragment parsed on (PARSE_1ST_FRAG): a BPF flow dissector takes them, the C dissector does not" },
	{ OFD_DIS_BPF_FLOW_LABEL, "flow-label", "bpf-scope-flow-label",
	  "IPv6 flow label: a BPF flow dissector records it even when 0 and stops there under STOP_AT_FLOW_LABEL whatever it is; the C dissector only for a non-zero one" },
	{ OFD_DIS_BPF_N_PROTO, "n-proto", "bpf-scope-tunnel-n-proto",
	  "n_proto past a tunnel: a BPF flow dissector sets it only at a VLAN tag, so it stays the outer protocol; the C dissector gives the inner one" },
};
_Static_assert(OFD_ARRAY_SIZE(scope_rules) == OFD_DIS_BPF_NRULES,
	       "every rule of a BPF dissector's scope has its class");

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

/* The model's record for the case under @r, over the groups @have. */
static int model_under(const struct ofd_case *c, const struct ofd_dissect_rules *r,
		       uint8_t have, struct ofd_flow_keys *k)
{
	if (ofd_model_dissect_rules(r, c->pkts[0].data, c->pkts[0].len, c->req.rx_flags, k))
		return -ENOENT;
	k->have = have;
	return 0;
}

static void say(struct ofd_explanation *e, const char *id, const char *text,
		const char *detail, bool benign)
{
	e->id = id;
	snprintf(e->text, sizeof(e->text), "%s", text);
	snprintf(e->detail, sizeof(e->detail), "%s", detail);
	e->benign = benign;
}

/*
 * Each bug hypothesis, the model's rules bent as it says and also to
 * @scope: it explains the target when the bent rule changes the record
 * (from @base, the model under @scope alone) and gives the target's,
 * nhoff included unless @skip_nhoff.
 */
static int try_hypotheses(const struct ofd_case *c, uint16_t scope,
			  const struct ofd_flow_keys *base, const struct ofd_flow_keys *kt,
			  bool skip_nhoff, struct ofd_explanation *e)
{
	struct ofd_flow_keys alt;
	char fl[64], detail[200];
	unsigned int i;

	for (i = 0; i < OFD_ARRAY_SIZE(hypotheses); i++) {
		const struct hypothesis *h = &hypotheses[i];
		struct ofd_dissect_rules r = h->rules;

		r.bpf_scope = scope;
		if (model_under(c, &r, base->have, &alt))
			return -ENOENT;
		if (keys_equal(&alt, base, skip_nhoff) || !keys_equal(&alt, kt, skip_nhoff))
			continue;
		snprintf(detail, sizeof(detail), "%sinput flags: %s",
			 scope ? "beyond a BPF flow dissector's scope (kernel-rx.md 5.4); " : "",
			 flag_names(c->req.rx_flags, fl, sizeof(fl)));
		say(e, h->id, h->text, detail, false);
		return 0;
	}
	return -ENOENT;
}

/*
 * A BPF program's record that the model gives under bpf_flow.c's scope:
 * the rules it needs are those without which the model no longer gives
 * it, listed in scope_rules' order; the class is the first of them.
 * When no single one is needed (two give the same record, as the GRE
 * and n_proto rules do on a PPTP header), the rules that give it alone
 * are listed instead.
 */
static int name_scope(const struct ofd_case *c, const struct ofd_flow_keys *kt,
		      struct ofd_explanation *e)
{
	const struct scope_rule *first = NULL;
	struct ofd_dissect_rules r = ofd_dissect_rules_kernel;
	struct ofd_flow_keys alt;
	char names[120] = "", fl[64], detail[200];
	bool alone = false;
	size_t o = 0;
	unsigned int i;

	for (;;) {
		for (i = 0; i < OFD_ARRAY_SIZE(scope_rules); i++) {
			unsigned int bit = scope_rules[i].bit;

			r.bpf_scope = (uint16_t)(alone ? bit : OFD_DIS_BPF_ALL & ~bit);
			if (model_under(c, &r, kt->have, &alt))
				return -ENOENT;
			/* needed: without it, not the record; or alone: the record */
			if (keys_equal(&alt, kt, true) != alone)
				continue;
			if (!first)
				first = &scope_rules[i];
			if (o < sizeof(names))
				o += (size_t)snprintf(names + o, sizeof(names) - o, "%s%s",
						      o ? ", " : "", scope_rules[i].name);
		}
		if (first || alone)
			break;
		alone = true;
	}
	if (!first)
		return -ENOENT;
	snprintf(detail, sizeof(detail), "bpf_flow.c rules %s: %s; input flags: %s",
		 alone ? "each giving it alone" : "it needs", names,
		 flag_names(c->req.rx_flags, fl, sizeof(fl)));
	say(e, first->id, first->text, detail, true);
	return 0;
}

static int nhoff_convention(const struct ofd_flow_keys *kr, const struct ofd_flow_keys *kt,
			    struct ofd_explanation *e)
{
	if (kr->nhoff == kt->nhoff || !keys_equal(kr, kt, true))
		return -ENOENT;
	say(e, "nhoff-convention",
	    "only the network offset differs: the C dissector has no nhoff key (the model gives where its last network step began), a BPF program reports its own",
	    "", true);
	return 0;
}

static int dissect_explain(const struct ofd_case *c, const struct ofd_result *ref,
			   const struct ofd_result *tgt, struct ofd_explanation *e)
{
	struct ofd_flow_keys kr, kt, scope;
	struct ofd_dissect_rules r = ofd_dissect_rules_kernel;

	if (c->npkts != 1 || records_of(ref, tgt, &kr, &kt))
		return -ENOENT;
	if (kt.have == HAVE_BPF_KEYS) {
		if (!nhoff_convention(&kr, &kt, e))
			return 0;
		r.bpf_scope = OFD_DIS_BPF_ALL;
		if (model_under(c, &r, kt.have, &scope))
			return -ENOENT;
		if (keys_equal(&scope, &kt, true))
			return name_scope(c, &kt, e);
		if (!try_hypotheses(c, OFD_DIS_BPF_ALL, &scope, &kt, true, e))
			return 0;
	}
	if (!try_hypotheses(c, 0, &kr, &kt, false, e))
		return 0;
	return nhoff_convention(&kr, &kt, e);
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
