// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * flow_dissector.c - offdiff's flow dissector, written once and built
 * twice (issue 21): clang -target bpf makes build/progs/flow_dissector.bpf.o,
 * a BPF_PROG_TYPE_FLOW_DISSECTOR program the kernel runs (BPF_PROG_TEST_RUN,
 * or attached to a namespace in place of its built-in dissector); the
 * native compiler makes build/progs/flow_dissector.so, the parser image
 * the `parser` engine loads. ofd_prog.h is the only difference between
 * the two.
 *
 * What it computes is the reference program's (kernel-rx.md 5.4,
 * tools/testing/selftests/bpf/progs/bpf_flow.c), written from those facts:
 *  - Ethertypes IPv4, IPv6, MPLS (unicast, multicast), 802.1Q, 802.1AD;
 *    anything else is BPF_DROP.
 *  - VLAN: one 802.1Q tag, or 802.1AD followed by 802.1Q; n_proto becomes
 *    the inner ethertype and nhoff moves past the tags. Q-in-Q, triple
 *    tags and an AD tag not followed by Q are dropped. No VLAN key: struct
 *    bpf_flow_keys has none.
 *  - IPv4: IHL below 5 is dropped; options are skipped by IHL; fragments
 *    set is_frag, a later fragment stops (OK), a first one sets
 *    is_first_frag and stops unless PARSE_1ST_FRAG (then, unlike the C
 *    dissector, it gets ports).
 *  - IPv6: addresses, flow label always; STOP_AT_FLOW_LABEL stops after
 *    the fixed header, label or not; Hop-by-Hop and Destination options are
 *    followed, Routing is not (dropped); the Fragment header as IPv4.
 *  - L4: TCP (data offset >= 5, whole header present), UDP and UDP-Lite
 *    give ports; ICMP is OK without keys; everything else is dropped.
 *  - GRE version 0: checksum, key and sequence skipped (the key is not
 *    recorded), is_encap, STOP_AT_ENCAP honoured; TEB steps over the
 *    inner Ethernet header; other versions stop (OK).
 *  - IPIP and IPv6-in-IP: is_encap, then the inner header, whose
 *    addresses replace the outer ones; nhoff stays at the outer header.
 *  - MPLS: OK once the first label is present, nothing recorded.
 * It leaves out the reference's test hook (IPv4 from 127.0.0.127 falls
 * back to the C dissector): no offdiff case should change engines.
 *
 * Tail calls: the reference is six programs chained by bpf_tail_call.
 * This is one program whose loop runs one step per tail call the
 * reference would make; the kernel allows 33 tail calls
 * (MAX_TAIL_CALL_CNT), and a frame that needs more is dropped by both.
 * A bounded loop (verifier-checked since 5.3) needs no program array, so
 * the same function is the native image's entry point too. The verifier
 * of 6.18 walks it in about 53k instructions (of its 1M budget).
 *
 * Checked once against the selftest's own program, loaded with its tail
 * calls: the same keys and verdict on every run of the flowdis sweep
 * (19264: each frame of ofd_flowdis_frames.h cut at every length, under
 * every flag set). That check is not in the tree: the selftest is GPL-2.0
 * only.
 */
#include "ofd_prog.h"

#define PROG_NAME "ofd_dissector"
#define PROG_VERSION "1"

#define ETH_HLEN 14
#define ETH_P_IP 0x0800
#define ETH_P_IPV6 0x86dd
#define ETH_P_8021Q 0x8100
#define ETH_P_8021AD 0x88a8
#define ETH_P_MPLS_UC 0x8847
#define ETH_P_MPLS_MC 0x8848
#define ETH_P_TEB 0x6558

#define P_HOPOPTS 0
#define P_ICMP 1
#define P_IPIP 4
#define P_TCP 6
#define P_UDP 17
#define P_IPV6 41
#define P_FRAGMENT 44
#define P_GRE 47
#define P_DSTOPTS 60
#define P_UDPLITE 136

#define IP_MF 0x2000
#define IP_OFFSET 0x1fff
#define IP6_OFFSET 0xfff8
#define GRE_CSUM 0x8000
#define GRE_KEY 0x2000
#define GRE_SEQ 0x1000
#define GRE_VERSION 0x0007

/* One step per program of the reference's tail-call table. */
enum step { ST_IP, ST_IPV6, ST_IPV6OP, ST_IPV6FR, ST_MPLS, ST_VLAN, ST_DROP };
#define MAX_STEPS 33 /* MAX_TAIL_CALL_CNT */

/* A step returns a verdict (BPF_OK, BPF_DROP) or GO(next step). */
#define GO(step) (0x100 | (step))
#define IS_GO(r) ((r) & 0x100)

/* The reference's parse_eth_proto: which step an ethertype goes to. */
PROG_INLINE int eth_step(__u16 proto)
{
	switch (proto) {
	case ETH_P_IP:
		return ST_IP;
	case ETH_P_IPV6:
		return ST_IPV6;
	case ETH_P_MPLS_UC:
	case ETH_P_MPLS_MC:
		return ST_MPLS;
	case ETH_P_8021Q:
	case ETH_P_8021AD:
		return ST_VLAN;
	}
	return ST_DROP;
}

/* parse_ip_proto: the transport header, or a tunnel's inner header. */
PROG_INLINE int l4(const struct prog_pkt *pkt, struct bpf_flow_keys *keys, __u8 proto)
{
	const __u8 *p;
	__u16 flags, inner;
	__u32 doff;

	switch (proto) {
	case P_ICMP:
		return hdr_at(pkt, keys->thoff, 8) ? BPF_OK : BPF_DROP;
	case P_IPIP:
	case P_IPV6:
		keys->is_encap = 1;
		if (keys->flags & BPF_FLOW_DISSECTOR_F_STOP_AT_ENCAP)
			return BPF_OK;
		return GO(proto == P_IPIP ? ST_IP : ST_IPV6);
	case P_GRE:
		p = hdr_at(pkt, keys->thoff, 4);
		if (!p)
			return BPF_DROP;
		flags = prog_get16(p);
		inner = prog_get16(p + 2);
		/* Only version 0 is GRE proper (1 is PPTP): stop, good. */
		if (flags & GRE_VERSION)
			return BPF_OK;
		keys->thoff += 4;
		if (flags & GRE_CSUM)
			keys->thoff += 4;
		if (flags & GRE_KEY)
			keys->thoff += 4;
		if (flags & GRE_SEQ)
			keys->thoff += 4;
		keys->is_encap = 1;
		if (keys->flags & BPF_FLOW_DISSECTOR_F_STOP_AT_ENCAP)
			return BPF_OK;
		if (inner == ETH_P_TEB) {
			p = hdr_at(pkt, keys->thoff, ETH_HLEN);
			if (!p)
				return BPF_DROP;
			keys->thoff += ETH_HLEN;
			inner = prog_get16(p + 12);
		}
		return GO(eth_step(inner));
	case P_TCP:
		p = hdr_at(pkt, keys->thoff, 20);
		if (!p)
			return BPF_DROP;
		doff = p[12] >> 4;
		if (doff < 5)
			return BPF_DROP;
		/* Options too: the whole header must be there. */
		if (!hdr_at(pkt, keys->thoff, doff << 2))
			return BPF_DROP;
		keys->sport = PROG_HTONS(prog_get16(p));
		keys->dport = PROG_HTONS(prog_get16(p + 2));
		return BPF_OK;
	case P_UDP:
	case P_UDPLITE:
		p = hdr_at(pkt, keys->thoff, 8);
		if (!p)
			return BPF_DROP;
		keys->sport = PROG_HTONS(prog_get16(p));
		keys->dport = PROG_HTONS(prog_get16(p + 2));
		return BPF_OK;
	}
	return BPF_DROP;
}

/* parse_ipv6_proto: extension headers get a step, the rest is L4. */
PROG_INLINE int ipv6_next(const struct prog_pkt *pkt, struct bpf_flow_keys *keys, __u8 nexthdr)
{
	switch (nexthdr) {
	case P_HOPOPTS:
	case P_DSTOPTS:
		return GO(ST_IPV6OP);
	case P_FRAGMENT:
		return GO(ST_IPV6FR);
	}
	return l4(pkt, keys, nexthdr);
}

PROG_INLINE int step_ip(const struct prog_pkt *pkt, struct bpf_flow_keys *keys)
{
	const __u8 *p = hdr_at(pkt, keys->thoff, 20);
	__u16 frag;
	__u8 ihl;

	if (!p)
		return BPF_DROP;
	/* The version nibble is not looked at, as in the kernel. */
	ihl = p[0] & 0x0f;
	if (ihl < 5)
		return BPF_DROP;
	keys->addr_proto = ETH_P_IP;
	__builtin_memcpy(&keys->ipv4_src, p + 12, 4);
	__builtin_memcpy(&keys->ipv4_dst, p + 16, 4);
	keys->ip_proto = p[9];
	keys->thoff += ihl << 2;
	/* Options included, the header must be in the frame. */
	if (!hdr_at(pkt, keys->thoff, 0))
		return BPF_DROP;
	frag = prog_get16(p + 6);
	if (frag & (IP_MF | IP_OFFSET)) {
		keys->is_frag = 1;
		/* Later fragments carry no header to parse. */
		if (frag & IP_OFFSET)
			return BPF_OK;
		keys->is_first_frag = 1;
		if (!(keys->flags & BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG))
			return BPF_OK;
	}
	return l4(pkt, keys, p[9]);
}

PROG_INLINE int step_ipv6(const struct prog_pkt *pkt, struct bpf_flow_keys *keys)
{
	const __u8 *p = hdr_at(pkt, keys->thoff, 40);
	__u32 label;

	if (!p)
		return BPF_DROP;
	keys->addr_proto = ETH_P_IPV6;
	__builtin_memcpy(keys->ipv6_src, p + 8, 32);
	keys->thoff += 40;
	keys->ip_proto = p[6];
	/* The label is the low 20 bits of the first word, kept in network
	 * order as the kernel's ip6_flowlabel() does. */
	__builtin_memcpy(&label, p, 4);
	keys->flow_label = label & PROG_HTONL(0x000fffff);
	/* The reference stops here under STOP_AT_FLOW_LABEL whatever the
	 * label, where the C dissector stops only on a non-zero one: so
	 * skb_get_hash, which asks for the stop, hashes an IPv6 frame
	 * without ports even when its label is 0 (kernel_flowdis suite). */
	if (keys->flags & BPF_FLOW_DISSECTOR_F_STOP_AT_FLOW_LABEL)
		return BPF_OK;
	return ipv6_next(pkt, keys, p[6]);
}

/* Hop-by-Hop and Destination options: length in 8-octet units beyond
 * the first 8. */
PROG_INLINE int step_ipv6op(const struct prog_pkt *pkt, struct bpf_flow_keys *keys)
{
	const __u8 *p = hdr_at(pkt, keys->thoff, 2);

	if (!p)
		return BPF_DROP;
	keys->thoff += (1 + p[1]) << 3;
	keys->ip_proto = p[0];
	return ipv6_next(pkt, keys, p[0]);
}

PROG_INLINE int step_ipv6fr(const struct prog_pkt *pkt, struct bpf_flow_keys *keys)
{
	const __u8 *p = hdr_at(pkt, keys->thoff, 8);

	if (!p)
		return BPF_DROP;
	keys->thoff += 8;
	keys->is_frag = 1;
	keys->ip_proto = p[0];
	if (prog_get16(p + 2) & IP6_OFFSET)
		return BPF_OK;
	keys->is_first_frag = 1;
	if (!(keys->flags & BPF_FLOW_DISSECTOR_F_PARSE_1ST_FRAG))
		return BPF_OK;
	return ipv6_next(pkt, keys, p[0]);
}

PROG_INLINE int step_vlan(const struct prog_pkt *pkt, struct bpf_flow_keys *keys)
{
	const __u8 *p;
	__u16 inner;

	/* An 802.1AD frame must carry an 802.1Q tag inside its own. */
	if (keys->n_proto == PROG_HTONS(ETH_P_8021AD)) {
		p = hdr_at(pkt, keys->thoff, 4);
		if (!p)
			return BPF_DROP;
		if (prog_get16(p + 2) != ETH_P_8021Q)
			return BPF_DROP;
		keys->nhoff += 4;
		keys->thoff += 4;
	}
	p = hdr_at(pkt, keys->thoff, 4);
	if (!p)
		return BPF_DROP;
	keys->nhoff += 4;
	keys->thoff += 4;
	inner = prog_get16(p + 2);
	/* No third tag, and no Q-in-Q. */
	if (inner == ETH_P_8021AD || inner == ETH_P_8021Q)
		return BPF_DROP;
	keys->n_proto = PROG_HTONS(inner);
	return GO(eth_step(inner));
}

int ofd_dissector(prog_ctx *ctx);

PROG_SEC("flow_dissector")
int ofd_dissector(prog_ctx *ctx)
{
	struct bpf_flow_keys *keys = ctx->flow_keys;
	struct prog_pkt pkt = PROG_PKT(ctx);
	int step = eth_step(prog_get16((const __u8 *)&keys->n_proto));
	int r, i;

	for (i = 0; i < MAX_STEPS && step != ST_DROP; i++) {
		switch (step) {
		case ST_IP:
			r = step_ip(&pkt, keys);
			break;
		case ST_IPV6:
			r = step_ipv6(&pkt, keys);
			break;
		case ST_IPV6OP:
			r = step_ipv6op(&pkt, keys);
			break;
		case ST_IPV6FR:
			r = step_ipv6fr(&pkt, keys);
			break;
		case ST_MPLS:
			r = hdr_at(&pkt, keys->thoff, 4) ? BPF_OK : BPF_DROP;
			break;
		default: /* ST_VLAN */
			r = step_vlan(&pkt, keys);
			break;
		}
		if (!IS_GO(r))
			return r;
		step = r & 0xff;
	}
	/* An ethertype no step takes, or one step more than the kernel's
	 * tail-call limit allows. */
	return BPF_DROP;
}

/*
 * The identity both images carry: name, version and the SHA-256 of this
 * file's IR for the BPF target, which the build computes first
 * (ir_sha256.sh) and passes in. The hashed IR is compiled without it: a
 * program cannot contain its own hash.
 */
#ifdef OFD_PROG_IR_SHA256
const char ofd_prog_ident[] PROG_SEC(".rodata.ofd_ident") =
	PROG_NAME " " PROG_VERSION " " OFD_PROG_IR_SHA256;
#endif

#ifdef __bpf__
char _license[] SEC("license") = "Dual BSD/GPL";
#endif
