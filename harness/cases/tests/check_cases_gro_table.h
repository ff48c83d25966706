/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * check_cases_gro_table.h - what the kernel does with each generated gro
 * train, from kernel-rx.md (section in the comment), not from any run:
 * the number of frames that come out of GRO for "<rule>/<variant>".
 * Payloads are 100 bytes unless said; frames of a train are one NAPI
 * batch unless said.
 */
#ifndef CHECK_CASES_GRO_TABLE_H
#define CHECK_CASES_GRO_TABLE_H

#include <string.h>

static const struct {
	const char *rule; /* "<rule>/<merge|apart>" */
	int frames;
} gro_expect[] = {
	/* 1.6 size rules; 1.12 "data" */
	{ "data_same/merge", 1 },     /* 100,100 -> 200 */
	{ "data_same/apart", 2 },     /* a flush point between them (1.10) */
	{ "data_lrg_sml/merge", 1 },  /* 100,50 -> 150 */
	{ "data_lrg_sml/apart", 2 },  /* 100,50,100 -> 150 | 100: a smaller
				       * segment ends the aggregate */
	{ "data_sml_lrg/merge", 1 },  /* 50,50 */
	{ "data_sml_lrg/apart", 2 },  /* 50 | 100: larger than gso_size */
	/* 1.2 step 4, 1.12 "ack" */
	{ "ack/merge", 1 },
	{ "ack/apart", 3 },           /* pure ACK, duplicate, ack+1: all PASS */
	/* 1.6 flag table, 1.12 "flags" */
	{ "flags_psh/merge", 1 },     /* PSH on the last merges */
	{ "flags_psh/apart", 2 },     /* 5 segments, PSH on the 3rd: 300 | 200 */
	{ "flags_syn/merge", 1 },
	{ "flags_syn/apart", 3 },     /* 200 | 0 | 200 */
	{ "flags_rst/merge", 1 },
	{ "flags_rst/apart", 3 },
	{ "flags_urg/merge", 1 },
	{ "flags_urg/apart", 3 },
	{ "flags_cwr/merge", 1 },
	{ "flags_cwr/apart", 3 },     /* 200 | CWR 100 held alone | 200 */
	/* 1.8 bad checksum: BYPASS, overtakes the held one */
	{ "tcp_csum/merge", 1 },
	{ "tcp_csum/apart", 2 },
	/* 1.6 */
	{ "tcp_seq/merge", 1 },
	{ "tcp_seq/apart", 2 },
	{ "tcp_ts/merge", 1 },
	{ "tcp_ts/apart", 2 },        /* TSval 5,5,6 -> 200 | 100 */
	{ "tcp_opt/merge", 1 },
	{ "tcp_opt/apart", 2 },       /* NOP,NOP,TS then TS,NOP,NOP */
	{ "tcp_win/merge", 1 },
	{ "tcp_win/apart", 2 },
	/* 1.5 TOS (ECN included), TTL, IPv6 traffic class and hop limit */
	{ "ip_ecn/merge", 1 },
	{ "ip_ecn/apart", 2 },
	{ "ip_tos/merge", 1 },
	{ "ip_tos/apart", 2 },
	{ "ip_ttl/merge", 1 },
	{ "ip_ttl/apart", 2 },
	/* 1.3 options and fragments BYPASS: good, odd, good -> 3 frames
	 * (the odd one first, the third not contiguous with the first) */
	{ "ip_opt/merge", 1 },
	{ "ip_opt/apart", 3 },
	{ "ip_frag/merge", 1 },
	{ "ip_frag/apart", 3 },       /* 1.4: Fragment header has no handler */
	/* 1.5 IDs: 8,9,10 and 8,8,8 (either DF, 6.18) merge; 8,10,11 ->
	 * 100 | 200; 8,9,9 -> 200 | 100; 8,8,9 -> 200 | 100 */
	{ "ip_id_inc/merge", 1 },
	{ "ip_id_inc/apart", 2 },
	{ "ip_id_df1/merge", 1 },
	{ "ip_id_df1/apart", 2 },
	{ "ip_id_df0/merge", 1 },
	{ "ip_id_df0/apart", 2 },
	/* 1.4 extension-header bytes must be equal */
	{ "ip_v6ext/merge", 1 },
	{ "ip_v6ext/apart", 2 },
	/* 1.7: a 65535-byte datagram merges, one byte more does not fit */
	{ "large_max/merge", 1 },
	{ "large_max/apart", 2 },     /* then a new aggregate */
	{ "large_rem/merge", 1 },
	{ "large_rem/apart", 2 },
	/* interleaved flows: one aggregate per flow per batch */
	{ "flows2/merge", 2 },        /* 2 flows x 3, one batch */
	{ "flows2/apart", 6 },        /* a flush point after every round */
	{ "flows3/merge", 3 },
	{ "flows3/apart", 6 },
	/* 1.1 + 7.1: a tap sets no hash, one bucket holds 8 flows; the
	 * ninth evicts the oldest and the cascade leaves nothing merged */
	{ "capacity/merge", 8 },      /* 8 flows x 2 */
	{ "capacity/apart", 18 },     /* 9 flows x 2 */
};

/* Families whose trains the kernel engine never merges, and why. */
static const struct {
	const char *fam;
	const char *why;
} gro_never[] = {
	/* 2.1: UDP GRO needs rx-udp-gro-forwarding or a UDP_GRO socket; the
	 * engine's tap has neither */
	{ "udp4/", "no UDP GRO without rx-udp-gro-forwarding" },
	{ "udp6/", "no UDP GRO without rx-udp-gro-forwarding" },
	/* 3: VXLAN GRO needs a VXLAN socket in the namespace, which the
	 * engine does not open */
	{ "vxlan4/", "no VXLAN socket" },
	{ "vxlan6/", "no VXLAN socket" },
};

/* The frames out of GRO for train "<fam>/<rule>/<variant>" of npkts
 * frames, or -1 when the table has no entry. */
static inline int expected_frames(const char *name, unsigned int npkts)
{
	const char *rule = strchr(name, '/');
	size_t i;

	for (i = 0; i < sizeof(gro_never) / sizeof(gro_never[0]); i++)
		if (!strncmp(name, gro_never[i].fam, strlen(gro_never[i].fam)))
			return (int)npkts;
	if (!rule)
		return -1;
	for (i = 0; i < sizeof(gro_expect) / sizeof(gro_expect[0]); i++)
		if (!strcmp(rule + 1, gro_expect[i].rule))
			return gro_expect[i].frames;
	return -1;
}

#endif
