/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_gro_model.h - the GRO model with one of its rules relaxed, for the
 * gro judge (harness/run/explain_gro.c): an explanation of a target's
 * merge is tested by rebuilding what the kernel would emit without the
 * rule and checking that equals the target's frames. relax 0 is the
 * model itself (ofd_model_gro runs exactly that).
 */
#ifndef OFD_GRO_MODEL_H
#define OFD_GRO_MODEL_H

#include "ofd.h"

enum {
	OFD_GRO_RELAX_TTL = 1u << 0,     /* TTL / hop limit may differ */
	OFD_GRO_RELAX_TOS = 1u << 1,     /* DSCP may differ */
	OFD_GRO_RELAX_ECN = 1u << 2,     /* ECN bits may differ */
	OFD_GRO_RELAX_ID = 1u << 3,      /* any IPv4 ID follows */
	OFD_GRO_RELAX_PSH = 1u << 4,     /* PSH does not end a flow */
	OFD_GRO_RELAX_OPTIONS = 1u << 5, /* TCP options may differ */
	OFD_GRO_RELAX_ACK = 1u << 6,     /* ack_seq may differ */
	OFD_GRO_RELAX_SEQ = 1u << 7,     /* seq need not follow */
};

/* The model's gro on train c (its flush points in c->pkts[].flags) with
 * the rules in relax dropped, into res (reset by the caller). */
void ofd_model_gro_relaxed(const struct ofd_case *c, unsigned int relax,
			   struct ofd_result *res);

#endif
