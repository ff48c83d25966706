/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * rxjudge_priv.h - the receive-side judge's state, shared by its set-up
 * (rxjudge_setup.c: the tap, routes and rules in the engine's namespace)
 * and the judging (rxjudge.c).
 */
#ifndef OFD_RXJUDGE_PRIV_H
#define OFD_RXJUDGE_PRIV_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#define RXJ_TABLE 100
#define RXJ_RULE_PRIO 100
#define RXJ_MTU 65521
#define RXJ_BUF (14 + 65536 + 64)

struct ofdint_rxj {
	int tap;          /* IFF_TAP | IFF_NO_PI, O_NONBLOCK */
	int vtap;         /* the same with IFF_VNET_HDR (rx_consequence.c) */
	int snmp_fd;      /* /proc/net/snmp of the namespace */
	int snmp6_fd;     /* /proc/net/snmp6 */
	int netstat_fd;   /* /proc/net/netstat (IpExt InTruncatedPkts, ...) */
	uint8_t mac[6], vmac[6];
	char name[IFNAMSIZ], vname[IFNAMSIZ];
	uint8_t *buf;     /* the frame as written */
	char *text;       /* counter file contents */
	/* Counters as last read, per MIB (rxj_mibs[]); valid per file. Only
	 * the judge's own writes reach an L4 handler in this namespace (the
	 * engine's TX path never enters IP input; frames of its GRO tap are
	 * not for this host: no rule routes them locally), so the values
	 * read after one frame are the values before the next. */
	unsigned long long cnt[5][3];
	bool valid[2];
};

/* Counter `name` of group "Grp:" in an snmp or netstat text ("Grp: a b\n
 * Grp: 1 2"), or of an snmp6 text ("Name value" lines) when group is NULL:
 * 0, or -ENOENT / -EPROTO. */
int ofdint_rxj_counter(const char *text, const char *group, const char *name,
		       unsigned long long *val);

#endif
