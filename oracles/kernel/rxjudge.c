// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rxjudge.c - the receive-side judge: the running kernel's own receive path
 * says whether a frame's L4 checksum is right.
 *
 * The TX engine only finishes a checksum over the seed offdiff derived
 * (kernel-tx.md 1, skb_checksum_help); if the seed is wrong the kernel and
 * the model agree and are both wrong. The judge closes that hole: it hands
 * the finished frame to the same kernel as a receiver and reads the
 * verdict of the protocol handlers.
 *
 * Mechanism (kernel-rx.md 4; net/ipv4/tcp_ipv4.c tcp_v4_rcv, tcp_ipv6.c,
 * net/ipv4/udp.c __udp4_lib_rcv, net/ipv6/udp.c, net/ipv4/icmp.c icmp_rcv,
 * net/ipv6/icmp.c icmpv6_rcv):
 *  - a plain tap (no IFF_NAPI, no vnet header) in the engine's namespace:
 *    a write() runs netif_receive_skb synchronously (tun_rx_batched), so
 *    when write() returns the packet has been through IP input and its L4
 *    handler. It arrives as CHECKSUM_NONE: nothing is claimed, the handler
 *    computes the checksum in software;
 *  - every address is local to that tap and only to it: a policy rule
 *    "iif <tap> lookup 100" and "local 0.0.0.0/0 dev lo" / "local ::/0 dev
 *    lo" in table 100 (AnyIP), accept_local so an AnyIP source is not
 *    martian, rp_filter 0. Output lookups (a RST, a port unreachable, an
 *    echo reply) do not match the rule and find no route, so the kernel
 *    answers nothing and no reply pollutes the counters;
 *  - no socket listens, so each handler validates the checksum on its
 *    no-socket path and the per-protocol MIB counters of the namespace
 *    (/proc/net/snmp, /proc/net/snmp6) say what happened, one frame at a
 *    time: InCsumErrors (rejected), or the counter bumped after the
 *    checksum passed (TCP InSegs without InErrs, UDP NoPorts, ICMP InMsgs)
 *    (accepted). Anything else means the frame never reached a checksum
 *    check: not judgeable.
 *
 * What the judge rewrites before the write, none of it an input of the L4
 * checksum (addresses, protocol, L4 length, L4 bytes):
 *  - everything before the IP header that encloses the L4 header (VLAN
 *    tags, tunnel outer headers): replaced by an Ethernet header to the
 *    tap's MAC, i.e. the frame is judged as its final decapsulating
 *    recipient sees it; an outer UDP checksum is not judged (offdiff
 *    derives none and it covers the inner field as it was before the
 *    kernel finished it);
 *  - the IPv4 total length / IPv6 payload length: set to the bytes the
 *    frame carries, because the TX convention sums to the frame's end and
 *    seeds TCP with that L4 byte count (kernel-tx.md 1, Q1), while a
 *    receiver trims to the IP length first; the IPv4 header checksum is
 *    recomputed;
 *  - the option area of IPv6 hop-by-hop and destination options headers:
 *    one skippable option instead (Linux drops PadN longer than 7 bytes,
 *    RFC 4942 2.1.9.5, which generated frames often carry);
 *  - an IPv6 routing header with segments left > 0: the frame is not yet at
 *    its final destination (kernel-tx.md 8.1), so it is judged as the final
 *    recipient receives it: Destination Address := the final address
 *    (SRH: Segment List[0]; types 0 and 2: the last address), segments
 *    left := 0, which each intermediate node writes without touching the L4
 *    checksum. Routing headers are applied in order, so with several the
 *    last one with segments left decides.
 * Frames with segments left 0 are judged exactly as they are.
 *
 * Not judgeable, and why (the `why` strings below): SCTP (the kernel has no
 * CONFIG_IP_SCTP, so nothing validates CRC32c on receive); fragments (the
 * checksum covers bytes this frame does not carry); a routing header of
 * another type with segments left (RFC 8200 4.4: every node discards it);
 * a UDP length that disagrees with the bytes the checksum covers (unless
 * the difference is zero padding); ICMP over IPv6 or ICMPv6 over IPv4 (no
 * handler); frames the IP layer drops for reasons of its own (counted by no
 * L4 counter).
 */
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/fib_rules.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include "ofd.h"
#include "ofd_csum.h"
#include "ofd_kernel.h"
#include "ofd_parse.h"
#include "kernel_internal.h"
#include "rxjudge_priv.h"

const char *ofd_rxjudge_name(enum ofd_rxjudge v)
{
	switch (v) {
	case OFD_RXJ_ACCEPTED:
		return "accepted";
	case OFD_RXJ_REJECTED:
		return "rejected";
	case OFD_RXJ_UNJUDGEABLE:
		return "not judgeable";
	}
	return "unknown";
}
/* ------------------------------------------------------------------ */
/* Counters                                                            */
/* ------------------------------------------------------------------ */

/* Which counters decide, per protocol and family. */
struct rxj_mib {
	uint8_t id;           /* index into rxj_mibs[] and cnt[] */
	bool v6file;          /* snmp6 ("Name value" lines), else snmp */
	const char *group;    /* snmp: "Tcp:", "Udp:", "Icmp:" */
	const char *passed;   /* bumped once the checksum passed */
	const char *bad;      /* bumped by a checksum error */
	const char *err;      /* other errors of the handler */
	const char *missing;  /* why, when none of them moved */
};

static const struct rxj_mib rxj_mibs[5] = {
	{ 0, false, "Tcp:", "InSegs", "InCsumErrors", "InErrs",
	  "the frame did not reach the TCP receive handler (dropped by IP input)" },
	{ 1, false, "Udp:", "NoPorts", "InCsumErrors", "InErrors",
	  "the frame did not reach the UDP receive handler (dropped by IP input)" },
	{ 2, false, "Icmp:", "InMsgs", "InCsumErrors", "InErrors",
	  "the frame did not reach the ICMP receive handler (dropped by IP input)" },
	{ 3, true, NULL, "Udp6NoPorts", "Udp6InCsumErrors", "Udp6InErrors",
	  "the frame did not reach the UDPv6 receive handler (dropped by IPv6 input)" },
	{ 4, true, NULL, "Icmp6InMsgs", "Icmp6InCsumErrors", "Icmp6InErrors",
	  "the frame did not reach the ICMPv6 receive handler (dropped by IPv6 input)" },
};

#define mib_tcp (rxj_mibs[0])
#define mib_udp4 (rxj_mibs[1])
#define mib_icmp4 (rxj_mibs[2])
#define mib_udp6 (rxj_mibs[3])
#define mib_icmp6 (rxj_mibs[4])

/* Value of counter name in an snmp ("Grp: a b c\nGrp: 1 2 3") text. */
static int snmp_value(const char *text, const char *group, const char *name,
		      unsigned long long *val)
{
	size_t glen = strlen(group), nlen = strlen(name);
	const char *names, *vals, *p;
	unsigned int col = 0, i;

	names = strstr(text, group);
	if (!names)
		return -ENOENT;
	vals = strstr(names + glen, group);
	if (!vals)
		return -ENOENT;
	for (p = names + glen;; col++) {
		while (*p == ' ')
			p++;
		if (*p == '\n' || !*p)
			return -ENOENT;
		if (!strncmp(p, name, nlen) && (p[nlen] == ' ' || p[nlen] == '\n'))
			break;
		while (*p && *p != ' ' && *p != '\n')
			p++;
	}
	p = vals + glen;
	for (i = 0; i <= col; i++) {
		char *end;

		*val = strtoull(p, &end, 10);
		if (end == p)
			return -EPROTO;
		p = end;
	}
	return 0;
}

/* Value of counter name in an snmp6 ("Name   value" lines) text. */
static int snmp6_value(const char *text, const char *name,
		       unsigned long long *val)
{
	size_t nlen = strlen(name);
	const char *p = text;

	while ((p = strstr(p, name))) {
		if ((p == text || p[-1] == '\n') && (p[nlen] == ' ' || p[nlen] == '\t')) {
			*val = strtoull(p + nlen, NULL, 10);
			return 0;
		}
		p += nlen;
	}
	return -ENOENT;
}

int ofdint_rxj_counter(const char *text, const char *group, const char *name,
		       unsigned long long *val)
{
	return group ? snmp_value(text, group, name, val) : snmp6_value(text, name, val);
}

/* Read one counter file and every MIB it holds into j->cnt. */
static int rxj_read_file(struct ofdint_rxj *j, bool v6file)
{
	unsigned int m, i;
	ssize_t n;
	int err;

	j->valid[v6file] = false;
	/* seq_file: a read at offset 0 regenerates the table. */
	n = pread(v6file ? j->snmp6_fd : j->snmp_fd, j->text, 65535, 0);
	if (n < 0)
		return -errno;
	j->text[n] = '\0';
	for (m = 0; m < OFD_ARRAY_SIZE(rxj_mibs); m++) {
		const struct rxj_mib *mb = &rxj_mibs[m];
		const char *names[3] = { mb->passed, mb->bad, mb->err };

		if (mb->v6file != v6file)
			continue;
		for (i = 0; i < 3; i++) {
			err = v6file ? snmp6_value(j->text, names[i], &j->cnt[m][i]) :
				       snmp_value(j->text, mb->group, names[i],
						  &j->cnt[m][i]);
			if (err)
				return err;
		}
	}
	j->valid[v6file] = true;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The frame as its final recipient receives it                        */
/* ------------------------------------------------------------------ */

static const char why_no_l4[] =
	"no complete TCP, UDP, ICMP or ICMPv6 header";
static const char why_sctp[] =
	"SCTP: the kernel has no CONFIG_IP_SCTP, so nothing validates CRC32c on receive";
static const char why_no_ip[] = "the L4 header has no enclosing IP header";
static const char why_too_long[] =
	"longer than an IP length field can say (65535)";
static const char why_v4frag[] =
	"an IPv4 first fragment (MF): the checksum covers bytes this frame does not carry";
static const char why_v6frag[] =
	"an IPv6 first fragment (M): the checksum covers bytes this frame does not carry";
static const char why_nonfirst[] =
	"a non-first fragment: no L4 header of its own";
static const char why_rthdr[] =
	"a routing header of a type no node processes, with segments left > 0: every receiver discards it (RFC 8200 4.4)";
static const char why_rthdr_short[] =
	"a routing header too short for the final address it names";
static const char why_udp_long[] =
	"the UDP length exceeds the bytes the frame carries";
static const char why_udp_short[] =
	"the UDP length is below 8";
static const char why_udp_trailer[] =
	"non-zero bytes after the UDP length: the TX checksum covers them, a receiver trims them";
static const char why_udp_zero[] = "IPv4 UDP without a checksum (0)";
static const char why_cross_icmp[] =
	"ICMP over IPv6 or ICMPv6 over IPv4: no receive handler";
static const char why_handler_err[] =
	"the L4 handler refused the header before checking the checksum";
static const char why_big[] = "the frame is larger than the judge's buffer";

static uint16_t rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* IPv6: each routing header with segments left is processed as the nodes
 * it names would (kernel-tx.md 8.1, ipv6_rthdr_rcv's forwarding
 * algorithm): DA := the header's final address, segments left := 0.
 * Options headers get an option area every receiver accepts. */
static const char *rxj_fix_v6(uint8_t *ip6, const uint8_t *f,
				const struct ofd_parsed *p, int ipi, int l4i,
				uint32_t ipoff)
{
	int i;

	for (i = ipi + 1; i < l4i; i++) {
		const struct ofd_layer *l = &p->layer[i];
		uint8_t *h = ip6 + (l->off - ipoff);
		uint32_t naddr = l->len > 8 ? (l->len - 8) / 16 : 0;
		const uint8_t *final;

		if (l->proto == OFD_P_HBH || l->proto == OFD_P_DSTOPTS) {
			/* One skippable option (RFC 3692 experimental type
			 * 0x1e, action 00) over the whole option area: Linux
			 * drops PadN longer than 7 bytes (ip6_parse_tlv, RFC
			 * 4942 2.1.9.5) and counts options, and no option
			 * byte is an input of the L4 checksum. */
			h[2] = 0x1e;
			h[3] = (uint8_t)(l->len - 4);
			memset(h + 4, 0, l->len - 4);
			continue;
		}
		if (l->proto != OFD_P_SRH && l->proto != OFD_P_RTHDR)
			continue;
		if (!h[3])
			continue;
		switch (h[2]) {
		case 4: /* SRH: Segment List[0] (RFC 8754 4.3.1.1) */
			if (!naddr)
				return why_rthdr_short;
			final = h + 8;
			break;
		case 0: /* RFC 2460 type 0, RFC 6275 type 2: the last address */
		case 2:
			if (!naddr || h[3] > naddr)
				return why_rthdr_short;
			final = h + 8 + 16 * (naddr - 1);
			break;
		default:
			return why_rthdr;
		}
		memcpy(ip6 + 24, final, 16);
		h[3] = 0;
	}
	return NULL;
}

/* Build the frame to write into j->buf; NULL, or why it cannot be judged. */
static const char *rxj_prepare(struct ofdint_rxj *j, const uint8_t *f,
			       uint32_t len, uint32_t *out_len,
			       const struct rxj_mib **mib)
{
	struct ofd_parsed p;
	const struct ofd_layer *l4, *ip = NULL;
	uint32_t l3len, l4len;
	uint8_t *o = j->buf, *ipo;
	const char *why;
	int i, ipi = -1;

	ofd_parse(f, len, 0, &p);
	if (p.stop == OFD_STOP_FRAGMENT)
		return why_nonfirst;
	for (i = 0; i < (int)p.nlayers && (p.l4 < 0 || i < p.l4); i++) {
		const struct ofd_layer *l = &p.layer[i];

		/* A first fragment, of the packet or of a tunnel's outer
		 * packet (UFO): the L4 checksum covers bytes not here. */
		if (l->proto == OFD_P_IPV4 && (rd16(f + l->off + 6) & 0x2000))
			return why_v4frag;
		if (l->proto == OFD_P_FRAG && (rd16(f + l->off + 2) & 1))
			return why_v6frag;
	}
	if (p.l4 < 0)
		return why_no_l4;
	l4 = &p.layer[p.l4];
	if (l4->proto == OFD_P_SCTP)
		return why_sctp;
	if (l4->proto != OFD_P_TCP && l4->proto != OFD_P_UDP &&
	    l4->proto != OFD_P_ICMP && l4->proto != OFD_P_ICMPV6)
		return why_no_l4;
	for (i = p.l4 - 1; i >= 0 && p.layer[i].depth == l4->depth; i--) {
		if (p.layer[i].proto == OFD_P_IPV4 || p.layer[i].proto == OFD_P_IPV6) {
			ip = &p.layer[i];
			ipi = i;
			break;
		}
	}
	if (!ip)
		return why_no_ip;
	l3len = len - ip->off;
	l4len = len - l4->off;
	if (l3len > (ip->proto == OFD_P_IPV4 ? 65535u : 65535u + 40))
		return why_too_long;
	if (14 + l3len > RXJ_BUF)
		return why_big;

	if (l4->proto == OFD_P_UDP) {
		uint16_t ulen = rd16(f + l4->off + 4);
		uint32_t k;

		if (ulen < 8)
			return why_udp_short;
		if (ulen > l4len)
			return why_udp_long;
		/* Zero bytes add nothing to a ones'-complement sum. */
		for (k = l4->off + ulen; k < len; k++)
			if (f[k])
				return why_udp_trailer;
		l3len -= l4len - ulen;
		if (ip->proto == OFD_P_IPV4 && !rd16(f + l4->off + 6))
			return why_udp_zero;
	}

	memcpy(o, j->mac, 6);
	memcpy(o + 6, "\x02\x00\x00\x00\x00\x01", 6);
	memcpy(o + 14, f + ip->off, l3len);
	ipo = o + 14;
	if (ip->proto == OFD_P_IPV4) {
		uint32_t ihl = (uint32_t)(ipo[0] & 0x0f) * 4;

		if (l4->proto == OFD_P_ICMPV6)
			return why_cross_icmp;
		if (rd16(ipo + 6) & 0x2000)
			return why_v4frag;
		o[12] = 0x08;
		o[13] = 0x00;
		ofd_put_be16(ipo + 2, (uint16_t)l3len);
		ofd_put_be16(ipo + 10, 0);
		ofd_put_be16(ipo + 10, ofd_inet_csum(ipo, ihl));
		*mib = l4->proto == OFD_P_TCP ? &mib_tcp :
		       l4->proto == OFD_P_UDP ? &mib_udp4 : &mib_icmp4;
	} else {
		if (l4->proto == OFD_P_ICMP)
			return why_cross_icmp;
		o[12] = 0x86;
		o[13] = 0xdd;
		ofd_put_be16(ipo + 4, (uint16_t)(l3len - 40));
		why = rxj_fix_v6(ipo, f, &p, ipi, p.l4, ip->off);
		if (why)
			return why;
		*mib = l4->proto == OFD_P_TCP ? &mib_tcp :
		       l4->proto == OFD_P_UDP ? &mib_udp6 : &mib_icmp6;
	}
	*out_len = 14 + l3len;
	return NULL;
}

int ofdint_rxj_judge(struct ofdint_rxj *j, const uint8_t *f, uint32_t len,
		     enum ofd_rxjudge *verdict, const char **why)
{
	unsigned long long before[3], after[3];
	const struct rxj_mib *mib = NULL;
	uint8_t sink[2048];
	uint32_t n = 0;
	ssize_t r;
	int err;

	*verdict = OFD_RXJ_UNJUDGEABLE;
	*why = rxj_prepare(j, f, len, &n, &mib);
	if (*why)
		return 0;
	if (!j->valid[mib->v6file] && (err = rxj_read_file(j, mib->v6file)))
		return err;
	memcpy(before, j->cnt[mib->id], sizeof(before));
	do
		r = write(j->tap, j->buf, n);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		j->valid[0] = j->valid[1] = false;
		return -errno;
	}
	/* An IPv6 frame moves counters of both files (TCP's are in snmp). */
	j->valid[!mib->v6file] = false;
	err = rxj_read_file(j, mib->v6file);
	if (err)
		return err;
	memcpy(after, j->cnt[mib->id], sizeof(after));
	/* Whatever the kernel sent out of the tap (nothing is routable,
	 * but IPv6 may announce itself): keep the queue empty. */
	while (read(j->tap, sink, sizeof(sink)) > 0)
		;
	if (after[1] != before[1]) {
		*verdict = OFD_RXJ_REJECTED;
		*why = NULL;
	} else if (after[2] != before[2]) {
		*why = why_handler_err;
	} else if (after[0] != before[0]) {
		*verdict = OFD_RXJ_ACCEPTED;
		*why = NULL;
	} else {
		*why = mib->missing;
	}
	return 0;
}

int ofd_kernel_rx_judge(struct ofd_engine *e, const struct ofd_frame *f,
			enum ofd_rxjudge *verdict, const char **why)
{
	struct ofdint_rxj *j;
	int err;

	*verdict = OFD_RXJ_UNJUDGEABLE;
	*why = NULL;
	if (!e || e->ops != &ofd_engine_kernel || !e->priv || !f)
		return -EINVAL;
	err = ofdint_kernel_rxj(e->priv, &j, why);
	if (err)
		return err;
	if (!f->npatches && !f->tail_len)
		return ofdint_rxj_judge(j, f->base, f->len, verdict, why);
	if (f->len > RXJ_BUF) {
		*why = why_big;
		return 0;
	}
	/* The judge builds its own copy from the frame's bytes. */
	{
		uint8_t *tmp = malloc(f->len ? f->len : 1);

		if (!tmp)
			return -ENOMEM;
		ofd_frame_materialize(f, tmp);
		err = ofdint_rxj_judge(j, tmp, f->len, verdict, why);
		free(tmp);
	}
	return err;
}

/*
 * Many frames, one counter read: each judgeable frame is written, and when
 * afterwards every MIB's "passed" counter moved by exactly the frames
 * written for it and no checksum or handler error moved, each of them was
 * accepted (every frame reaches one handler and bumps one of its three
 * counters). Anything else, and the frames are judged again one at a time,
 * which says which one. frames[i] of lens[i] bytes (patches applied).
 */
int ofdint_rxj_judge_many(struct ofdint_rxj *j, const uint8_t *const *frames,
			  const uint32_t *lens, unsigned int nf,
			  enum ofd_rxjudge *verdict, const char **why)
{
	unsigned long long before[OFD_ARRAY_SIZE(rxj_mibs)][3];
	unsigned int want[OFD_ARRAY_SIZE(rxj_mibs)] = { 0 }, i, m;
	bool used[2] = { false, false }, ok = true;
	const struct rxj_mib *mib;
	uint8_t sink[2048];
	uint32_t n;
	ssize_t r;
	int err;

	for (m = 0; m < 2; m++)
		if (!j->valid[m] && (err = rxj_read_file(j, m)))
			return err;
	memcpy(before, j->cnt, sizeof(before));
	for (i = 0; i < nf; i++) {
		verdict[i] = OFD_RXJ_UNJUDGEABLE;
		n = 0;
		mib = NULL;
		why[i] = rxj_prepare(j, frames[i], lens[i], &n, &mib);
		if (why[i])
			continue;
		do
			r = write(j->tap, j->buf, n);
		while (r < 0 && errno == EINTR);
		if (r < 0) {
			j->valid[0] = j->valid[1] = false;
			return -errno;
		}
		want[mib->id]++;
		used[mib->v6file] = true;
		verdict[i] = OFD_RXJ_ACCEPTED;
	}
	while (read(j->tap, sink, sizeof(sink)) > 0)
		;
	if (!used[0] && !used[1])
		return 0;
	/* TCP over IPv6 counts in snmp, its IPv6 layer in snmp6. */
	for (m = 0; m < 2; m++)
		if ((err = rxj_read_file(j, m)))
			return err;
	for (m = 0; m < OFD_ARRAY_SIZE(rxj_mibs); m++)
		if (j->cnt[m][0] - before[m][0] != want[m] ||
		    j->cnt[m][1] != before[m][1] || j->cnt[m][2] != before[m][2])
			ok = false;
	if (ok)
		return 0;
	for (i = 0; i < nf; i++) {
		if (verdict[i] != OFD_RXJ_ACCEPTED)
			continue;
		err = ofdint_rxj_judge(j, frames[i], lens[i], &verdict[i], &why[i]);
		if (err)
			return err;
	}
	return 0;
}

int ofd_kernel_rx_judge_many(struct ofd_engine *e, const struct ofd_frame *const *f,
			     unsigned int n, enum ofd_rxjudge *verdict,
			     const char **why)
{
	const uint8_t *frames[OFD_RXJ_MANY];
	uint32_t lens[OFD_RXJ_MANY];
	uint8_t *tmp = NULL;
	size_t used = 0, need = 0;
	struct ofdint_rxj *j;
	unsigned int i;
	int err;

	if (!e || e->ops != &ofd_engine_kernel || !e->priv || !f || n > OFD_RXJ_MANY)
		return -EINVAL;
	err = ofdint_kernel_rxj(e->priv, &j, why);
	if (err)
		return err;
	for (i = 0; i < n; i++)
		if (f[i]->npatches || f[i]->tail_len)
			need += f[i]->len;
	if (need && !(tmp = malloc(need)))
		return -ENOMEM;
	for (i = 0; i < n; i++) {
		frames[i] = f[i]->base;
		lens[i] = f[i]->len;
		if (f[i]->npatches || f[i]->tail_len) {
			ofd_frame_materialize(f[i], tmp + used);
			frames[i] = tmp + used;
			used += f[i]->len;
		}
	}
	err = ofdint_rxj_judge_many(j, frames, lens, n, verdict, why);
	free(tmp);
	return err;
}
