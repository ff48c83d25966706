/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_gro_rules.h - the rules the GRO model's engine (gro.c, gro_ip.c,
 * gro_tcp.c) merges by, as one struct: all zero is Linux 6.18's (what the
 * model engine runs), and the emulator's coalescing engine
 * (targets/emu/gro.c) fills it from a profile's `gro:` knobs to be an
 * LRO/HW-GRO device that bends one rule. One engine, so a conformant
 * device is the kernel's by construction, not by a second copy.
 */
#ifndef OFD_GRO_RULES_H
#define OFD_GRO_RULES_H

#include <stddef.h>
#include <stdbool.h>
#include <stdint.h>

#include "ofd.h"

/* gso_size of a merged frame (kernel-rx.md 1.1: the first segment's). */
enum ofd_gro_gso_size {
	OFD_GRO_GSO_FIRST = 0, /* the first segment's payload (kernel) */
	OFD_GRO_GSO_LAST,      /* the last merged segment's payload */
	OFD_GRO_GSO_AVERAGE,   /* payload bytes / segments, rounded down */
};

/* UDP datagrams of one 5-tuple (kernel-rx.md 2.1: a tap with default
 * features merges none). The kernel engine's gro_udp setting turns the
 * matching feature on on its tap, the model's the same rules here. */
enum ofd_gro_udp {
	OFD_GRO_UDP_NONE = 0,  /* only the checksum validated (gro_udp=off) */
	OFD_GRO_UDP_GSO,       /* rx-udp-gro-forwarding (gro_udp=forward):
				* udp_gro_complete_segment, CHECKSUM_PARTIAL
				* with the seed */
	OFD_GRO_UDP_FRAGLIST,  /* rx-gro-list (gro_udp=fraglist): UNNECESSARY,
				* the first datagram's checksum left in place */
};

struct ofd_gro_rules {
	bool psh_continues;    /* a PSH segment joins and the flow goes on (1.2) */
	bool ignore_tcp_options; /* options (timestamps) not compared (1.6) */
	bool ignore_ip_id;     /* IPv4 ID neither incrementing nor fixed is fine (1.5) */
	bool ignore_ttl;       /* TTL / hop limit not compared (1.5) */
	bool ignore_tos;       /* DSCP not compared (1.5) */
	bool ignore_ecn;       /* ECN field (a CE mark) not compared (1.5) */
	bool seq_holes;        /* a segment past the expected sequence joins (1.6) */
	bool ignore_ack;       /* ack_seq not compared (1.6; the gro judge's
				* rebuild of a merge across an ack change) */
	uint8_t udp;           /* enum ofd_gro_udp: same 5-tuple datagrams merge */
	uint8_t gso_size;      /* enum ofd_gro_gso_size */
	bool vxlan;            /* a VXLAN socket on UDP port 4789 (vxlan=on):
				* VXLAN GRO (kernel-rx.md 3) */
	bool geneve;           /* a GENEVE socket on UDP port 6081 (the
				* model's geneve=on): GENEVE GRO from
				* kernel-rx.md 3 alone, never checked against
				* a kernel (CONFIG_GENEVE is off on the one
				* the kernel engine runs) */
	bool tcp_fraglist;     /* rx-gro-list's TCP half (gro_udp=fraglist):
				* TCP without a local socket goes fraglist
				* (kernel-rx.md 1.11); the emulator's UDP
				* fraglist knob leaves it off */
	uint16_t max_segs;     /* an LRO engine's aggregation limit: an
				* aggregate of this many segments goes up at
				* once; 0 none (the kernel's: only the 64 KB
				* of 1.7 and UDP's 64 bound it) */
};

/* Linux 6.18's rules: all zero. */
extern const struct ofd_gro_rules ofd_gro_rules_kernel;

/*
 * The engine settings both the kernel engine and the model take for gro
 * (-r kernel:gro_udp=fraglist, -t model:vxlan=on, selfcheck -P):
 *   gro_udp  off|forward|fraglist  (enum ofd_gro_udp)
 *   vxlan    on|off
 *   geneve   on|off (the model's alone)
 * Read from o into r (its other fields untouched): 0, or -EINVAL with a
 * line in why.
 */
#define OFD_GRO_PARAM_DOCS                                                        \
	{ "gro_udp", "gro: off (default), forward (rx-udp-gro-forwarding) or "   \
		     "fraglist (rx-gro-list: UDP, and TCP with no local socket)" }, \
	{ "vxlan", "gro: on: a VXLAN device on UDP port 4789, so VXLAN GRO runs" }
/* The model's alone: no kernel to check it against (ofd_gro_rules.geneve). */
#define OFD_GRO_PARAM_DOC_GENEVE                                                  \
	{ "geneve", "gro: on: a GENEVE socket on UDP port 6081 (model only: "    \
		    "from kernel-rx.md 3, unchecked against a kernel)" }
int ofd_gro_params(const struct ofd_engine_opts *o, struct ofd_gro_rules *r,
		   char *why, size_t why_len);

/* The GRO engine under rules r on a train c into res (reset by the
 * caller). Allocation-free; one train at a time per thread. */
void ofd_model_gro_run(const struct ofd_gro_rules *r, const struct ofd_case *c,
		       struct ofd_result *res);

#endif
