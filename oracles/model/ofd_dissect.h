/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_dissect.h - the model of the kernel's C flow dissector,
 * __skb_flow_dissect with the default flow_keys dissector (Linux 6.18,
 * kernel-rx.md 5.1-5.3), for the dissect offload's model engine, the
 * emulator's dissect device and whatever else needs a frame's flow keys
 * (rss hashes over them).
 *
 * It runs the skb-less form, as BPF_PROG_TEST_RUN and eth_get_headlen
 * call the dissector: proto = the frame's ethertype (no VLAN
 * acceleration), nhoff = 14, hlen = the frame length; every header read
 * lies within hlen, and one that does not fit makes the dissector return
 * bad or stop exactly where the kernel does. It allocates nothing.
 */
#ifndef OFD_DISSECT_H
#define OFD_DISSECT_H

#include <stdbool.h>
#include <stdint.h>

#include "ofd.h"
#include "ofd_flow_keys.h"

/* Every key group the default flow_keys dissector has (kernel-rx.md 5.2):
 * the C dissector fills all of them, zero where nothing was met. */
#define OFD_DISSECT_HAVE                                                   \
	(OFD_FK_HAVE_BASIC | OFD_FK_HAVE_ADDRS | OFD_FK_HAVE_PORTS |       \
	 OFD_FK_HAVE_FLOW_LABEL | OFD_FK_HAVE_VLAN | OFD_FK_HAVE_GRE_KEYID)

/* How a dissector may differ from the kernel's; all zero (or
 * ofd_dissect_rules_kernel) is the kernel. The emulator's dissect device
 * bends one rule per profile knob, the way real parsers get them wrong. */
enum ofd_dissect_frag_ports {
	OFD_DIS_FRAG_PORTS_NONE = 0, /* the kernel: never on a fragment */
	OFD_DIS_FRAG_PORTS_FIRST,    /* a first fragment parsed on
				      * (PARSE_1ST_FRAG) gets ports, as the
				      * BPF selftest program does */
	OFD_DIS_FRAG_PORTS_ALL,      /* every fragment: 4 bytes where its
				      * L3 header ends, payload or not */
};

/*
 * The scope of a BPF flow dissector such as the kernel's reference
 * program, tools/testing/selftests/bpf/progs/bpf_flow.c (kernel-rx.md
 * 5.4): where it differs from the C dissector by design, one bit per rule.
 * Under all of them (OFD_DIS_BPF_ALL) the model gives the record such a
 * program gives (struct bpf_flow_keys as __skb_flow_bpf_to_target keeps
 * it), nhoff aside: each keeps its own convention. The dissect judge runs
 * them to show that a BPF program's difference is its documented scope.
 */
enum ofd_dissect_bpf_rule {
	OFD_DIS_BPF_ETHERTYPE = 1u << 0,  /* IPv4, IPv6, MPLS, 802.1Q/AD only:
					   * any other ethertype drops */
	OFD_DIS_BPF_VLAN = 1u << 1,       /* one 802.1Q tag, or 802.1AD then
					   * 802.1Q (decided by n_proto), else
					   * drop; n_proto becomes the inner */
	OFD_DIS_BPF_L4 = 1u << 2,         /* TCP, UDP, UDP-Lite, ICMP, GRE,
					   * IPIP, IPv6 (and IPv6's HBH, DSTOPTS,
					   * Fragment) only, else drop */
	OFD_DIS_BPF_ROUTING = 1u << 3,    /* the IPv6 Routing header drops */
	OFD_DIS_BPF_MPLS = 1u << 4,       /* OK at the first label, which must
					   * be there, thoff at it */
	OFD_DIS_BPF_GRE = 1u << 5,        /* version 0 only (others end OK
					   * where they are), the routing bit
					   * ignored, the key not read; is_encap
					   * and STOP_AT_ENCAP before TEB */
	OFD_DIS_BPF_FRAG_PORTS = 1u << 6, /* a first fragment parsed on
					   * (PARSE_1ST_FRAG) gets ports */
	OFD_DIS_BPF_FLOW_LABEL = 1u << 7, /* the label recorded even when 0;
					   * STOP_AT_FLOW_LABEL stops whatever
					   * its value */
	OFD_DIS_BPF_WHOLE_HDRS = 1u << 8, /* IPv4 with its options, TCP (data
					   * offset >= 5, options), UDP, ICMP
					   * must be whole, else drop */
	OFD_DIS_BPF_N_PROTO = 1u << 9,    /* n_proto changes only at a VLAN
					   * tag, never past a tunnel */
	OFD_DIS_BPF_STEPS = 1u << 10,     /* no limit of 15 headers; a 34th
					   * step (tail call) drops */
};
#define OFD_DIS_BPF_NRULES 11
#define OFD_DIS_BPF_ALL ((1u << OFD_DIS_BPF_NRULES) - 1)

struct ofd_dissect_rules {
	uint8_t frag_ports;   /* enum ofd_dissect_frag_ports */
	bool no_ext_skip;     /* IPv6 HBH/Routing/DstOpts end the walk like
			       * an unknown protocol */
	bool outer_addrs;     /* an encapsulated IP header's addresses do not
			       * overwrite the outer ones */
	bool no_vlan_key;     /* VLAN tags skipped without a key */
	bool no_flow_label;   /* the IPv6 flow label is never recorded (and
			       * STOP_AT_FLOW_LABEL never stops) */
	uint16_t bpf_scope;   /* OFD_DIS_BPF_*: bpf_flow.c's scope */
};

extern const struct ofd_dissect_rules ofd_dissect_rules_kernel;

/*
 * ofd_model_dissect_frame - the keys __skb_flow_dissect gives frame[0, len)
 * with input flags @in_flags (OFD_FK_F_*): 0 with *k filled (k->status
 * says whether the dissector returned true), -EINVAL when the frame is
 * shorter than an Ethernet header (BPF_PROG_TEST_RUN refuses it,
 * eth_get_headlen dissects nothing), -EOPNOTSUPP for a protocol whose key
 * the record has no field for (TIPC).
 */
int ofd_model_dissect_frame(const uint8_t *frame, uint32_t len, uint32_t in_flags,
			    struct ofd_flow_keys *k);
/*
 * Spelled ofd_model_dissect(frame, len, in_flags, k) by callers: the
 * plain name ofd_model_dissect is the model engine's table for the
 * dissect offload (offloads.def gives every offload's model table the
 * name ofd_model_<id>), so the function lives under another name and this
 * function-like macro, which leaves the table's name alone, calls it.
 */
#define ofd_model_dissect(frame, len, in_flags, k)                         \
	ofd_model_dissect_frame(frame, len, in_flags, k)
/* The same under @r (NULL: the kernel's). */
int ofd_model_dissect_rules(const struct ofd_dissect_rules *r, const uint8_t *frame,
			    uint32_t len, uint32_t in_flags, struct ofd_flow_keys *k);

/* A dissect case's result: one frame, the keys' wire form
 * (ofd_flow_keys_put) in the slot's arena; a frame too short for the
 * link header is rejected at submit, a protocol not modelled is
 * unsupported. */
void ofd_model_dissect_case(const struct ofd_dissect_rules *r,
			    const struct ofd_case *c, struct ofd_result *res);

#endif
