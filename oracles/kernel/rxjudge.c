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

#define RXJ_TABLE 100
#define RXJ_RULE_PRIO 100
#define RXJ_MTU 65521
#define RXJ_BUF (14 + 65536 + 64)

struct ofdint_rxj {
	int tap;          /* IFF_TAP | IFF_NO_PI, O_NONBLOCK */
	int snmp_fd;      /* /proc/net/snmp of the namespace */
	int snmp6_fd;     /* /proc/net/snmp6 */
	uint8_t mac[6];
	char name[IFNAMSIZ];
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

static atomic_uint rxj_counter;

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
/* Set-up, inside the engine's namespace                               */
/* ------------------------------------------------------------------ */

/* /proc/sys/net/<fam>/conf/<dev>/<key> = val */
static int rxj_sysctl(const char *fam, const char *dev, const char *key,
		      const char *val)
{
	char path[160];
	ssize_t n;
	int fd, err = 0;

	snprintf(path, sizeof(path), "/proc/sys/net/%s/conf/%s/%s", fam, dev, key);
	fd = open(path, O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	n = write(fd, val, strlen(val));
	if (n < 0)
		err = -errno;
	close(fd);
	return err;
}

/* Append an attribute to the message at buf (room checked by the callers'
 * fixed sizes). */
static void nl_attr(void *buf, unsigned short type, const void *data,
		    unsigned short len)
{
	struct nlmsghdr *nh = buf;
	struct rtattr *rta = (struct rtattr *)((char *)buf + NLMSG_ALIGN(nh->nlmsg_len));

	rta->rta_type = type;
	rta->rta_len = RTA_LENGTH(len);
	memcpy(RTA_DATA(rta), data, len);
	nh->nlmsg_len = NLMSG_ALIGN(nh->nlmsg_len) + RTA_ALIGN(rta->rta_len);
}

/* One request, one acknowledgement. */
static int nl_talk(int fd, struct nlmsghdr *nh)
{
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	union {
		struct nlmsghdr nh;
		char buf[1024];
	} ans;
	ssize_t n;

	nh->nlmsg_flags |= NLM_F_REQUEST | NLM_F_ACK;
	if (sendto(fd, nh, nh->nlmsg_len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
		return -errno;
	n = recv(fd, &ans, sizeof(ans), 0);
	if (n < 0)
		return -errno;
	if ((size_t)n < NLMSG_LENGTH(sizeof(struct nlmsgerr)) ||
	    ans.nh.nlmsg_type != NLMSG_ERROR)
		return -EPROTO;
	return ((struct nlmsgerr *)NLMSG_DATA(&ans.nh))->error;
}

/* "local <family any>/0 dev lo table RXJ_TABLE" */
static int rxj_local_route(int fd, unsigned char family, int lo)
{
	struct {
		struct nlmsghdr nh;
		struct rtmsg rt;
		char attrs[64];
	} req;
	uint32_t table = RXJ_TABLE, oif = (uint32_t)lo;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.rt));
	req.nh.nlmsg_type = RTM_NEWROUTE;
	req.nh.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	req.rt.rtm_family = family;
	req.rt.rtm_table = RT_TABLE_UNSPEC;
	req.rt.rtm_protocol = RTPROT_STATIC;
	req.rt.rtm_scope = RT_SCOPE_HOST;
	req.rt.rtm_type = RTN_LOCAL;
	nl_attr(&req, RTA_TABLE, &table, sizeof(table));
	nl_attr(&req, RTA_OIF, &oif, sizeof(oif));
	return nl_talk(fd, &req.nh);
}

/* "iif <dev> lookup RXJ_TABLE pref RXJ_RULE_PRIO" */
static int rxj_rule(int fd, unsigned char family, const char *dev)
{
	struct {
		struct nlmsghdr nh;
		struct fib_rule_hdr fr;
		char attrs[64];
	} req;
	uint32_t table = RXJ_TABLE, prio = RXJ_RULE_PRIO;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.fr));
	req.nh.nlmsg_type = RTM_NEWRULE;
	req.nh.nlmsg_flags = NLM_F_CREATE | NLM_F_EXCL;
	req.fr.family = family;
	req.fr.action = FR_ACT_TO_TBL;
	nl_attr(&req, FRA_IIFNAME, dev, (unsigned short)(strlen(dev) + 1));
	nl_attr(&req, FRA_TABLE, &table, sizeof(table));
	nl_attr(&req, FRA_PRIORITY, &prio, sizeof(prio));
	return nl_talk(fd, &req.nh);
}

static int rxj_ifreq(int ctl, unsigned long req, const char *name,
		     struct ifreq *ifr)
{
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", name);
	return ioctl(ctl, req, ifr) ? -errno : 0;
}

static int rxj_up(int ctl, const char *name)
{
	struct ifreq ifr = { 0 };
	int err = rxj_ifreq(ctl, SIOCGIFFLAGS, name, &ifr);

	if (err)
		return err;
	ifr.ifr_flags |= IFF_UP;
	return rxj_ifreq(ctl, SIOCSIFFLAGS, name, &ifr);
}

struct rxj_setup {
	struct ofdint_rxj *j;
	int nsfd;
	int err;
	const char *why;
};

#define SETUP_FAIL(e, msg)          \
	do {                        \
		s->err = (e);       \
		s->why = (msg);     \
		goto out;           \
	} while (0)

static void *rxj_setup_thread(void *arg)
{
	struct rxj_setup *s = arg;
	struct ofdint_rxj *j = s->j;
	struct ifreq ifr = { 0 };
	int ctl = -1, nl = -1, lo, err;

	if (setns(s->nsfd, CLONE_NEWNET))
		SETUP_FAIL(-errno, "cannot enter the engine's network namespace");
	j->tap = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (j->tap < 0)
		SETUP_FAIL(-errno, "cannot open /dev/net/tun");
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", j->name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	if (ioctl(j->tap, TUNSETIFF, &ifr))
		SETUP_FAIL(-errno, "cannot create the judge's tap");
	ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ctl < 0)
		SETUP_FAIL(-errno, "socket(AF_INET)");
	memset(&ifr, 0, sizeof(ifr));
	if ((err = rxj_ifreq(ctl, SIOCGIFHWADDR, j->name, &ifr)))
		SETUP_FAIL(err, "cannot read the judge tap's MAC");
	memcpy(j->mac, ifr.ifr_hwaddr.sa_data, 6);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = RXJ_MTU;
	rxj_ifreq(ctl, SIOCSIFMTU, j->name, &ifr); /* best effort: RX ignores it */

	/* The namespace was made with IPv6 off on every device (netns.c);
	 * the judge needs it on its tap and on lo (the AnyIP route), without
	 * addresses, DAD or router solicitations of its own. SRv6 must be
	 * enabled for an SRH to reach the L4 (ipv6_srh_rcv). */
	rxj_sysctl("ipv6", j->name, "addr_gen_mode", "1");
	rxj_sysctl("ipv6", j->name, "accept_dad", "0");
	rxj_sysctl("ipv6", j->name, "accept_ra", "0");
	if ((err = rxj_sysctl("ipv6", j->name, "disable_ipv6", "0")) ||
	    (err = rxj_sysctl("ipv6", "lo", "disable_ipv6", "0")) ||
	    (err = rxj_sysctl("ipv6", "all", "seg6_enabled", "1")) ||
	    (err = rxj_sysctl("ipv6", j->name, "seg6_enabled", "1")))
		SETUP_FAIL(err, "cannot enable IPv6 and SRv6 on the judge's tap");
	/* IPv4 inherits the host's defaults (devconf_inherit_init_net). */
	if ((err = rxj_sysctl("ipv4", "all", "rp_filter", "0")) ||
	    (err = rxj_sysctl("ipv4", j->name, "rp_filter", "0")) ||
	    (err = rxj_sysctl("ipv4", j->name, "accept_local", "1")))
		SETUP_FAIL(err, "cannot set rp_filter/accept_local on the judge's tap");
	if ((err = rxj_up(ctl, "lo")) || (err = rxj_up(ctl, j->name)))
		SETUP_FAIL(err, "cannot bring the judge's tap or lo up");
	memset(&ifr, 0, sizeof(ifr));
	if ((err = rxj_ifreq(ctl, SIOCGIFINDEX, "lo", &ifr)))
		SETUP_FAIL(err, "no lo in the namespace");
	lo = ifr.ifr_ifindex;

	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl < 0)
		SETUP_FAIL(-errno, "netlink socket");
	if ((err = rxj_local_route(nl, AF_INET, lo)) ||
	    (err = rxj_local_route(nl, AF_INET6, lo)))
		SETUP_FAIL(err, "cannot add the judge's local routes");
	if ((err = rxj_rule(nl, AF_INET, j->name)) ||
	    (err = rxj_rule(nl, AF_INET6, j->name)))
		SETUP_FAIL(err, "cannot add the judge's policy rules");

	/* /proc/net is the reading task's namespace: open it from here. */
	j->snmp_fd = open("/proc/thread-self/net/snmp", O_RDONLY | O_CLOEXEC);
	j->snmp6_fd = open("/proc/thread-self/net/snmp6", O_RDONLY | O_CLOEXEC);
	if (j->snmp_fd < 0 || j->snmp6_fd < 0)
		SETUP_FAIL(-errno, "cannot open the namespace's /proc/net/snmp{,6}");
out:
	if (nl >= 0)
		close(nl);
	if (ctl >= 0)
		close(ctl);
	return NULL;
}

#undef SETUP_FAIL

void ofdint_rxj__free(struct ofdint_rxj *j)
{
	if (!j)
		return;
	if (j->tap >= 0)
		close(j->tap);
	if (j->snmp_fd >= 0)
		close(j->snmp_fd);
	if (j->snmp6_fd >= 0)
		close(j->snmp6_fd);
	free(j->buf);
	free(j->text);
	free(j);
}

int ofdint_rxj__open(struct ofdint_kns *ns, struct ofdint_rxj **out,
		     const char **why)
{
	struct rxj_setup s = { 0 };
	struct ofdint_rxj *j;
	unsigned int id;
	pthread_t th;
	int sock, err;

	*why = NULL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->tap = j->snmp_fd = j->snmp6_fd = -1;
	j->buf = malloc(RXJ_BUF);
	j->text = malloc(65536);
	if (!j->buf || !j->text) {
		err = -ENOMEM;
		goto fail;
	}
	id = ((unsigned int)getpid() << 2 | (atomic_fetch_add(&rxj_counter, 1) & 3)) &
	     0xffffff;
	snprintf(j->name, sizeof(j->name), "oj%06x", id);

	/* The namespace has no name: reach it through one of its sockets. */
	sock = ns->tx_sock >= 0 ? ns->tx_sock : ns->rx_sock;
	s.nsfd = sock >= 0 ? ioctl(sock, SIOCGSKNS) : -1;
	if (s.nsfd < 0) {
		err = sock >= 0 ? -errno : -ENODEV;
		*why = "cannot get a handle on the engine's namespace (SIOCGSKNS)";
		goto fail;
	}
	s.j = j;
	err = pthread_create(&th, NULL, rxj_setup_thread, &s);
	if (err) {
		close(s.nsfd);
		err = -err;
		*why = "pthread_create";
		goto fail;
	}
	pthread_join(th, NULL);
	close(s.nsfd);
	if (s.err) {
		err = s.err;
		*why = s.why;
		goto fail;
	}
	*out = j;
	return 0;
fail:
	ofd_pr_debug("kernel: rx judge: %s: %s\n", *why ? *why : "set-up",
		     strerror(-err));
	ofdint_rxj__free(j);
	return err;
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
	if (!f->npatches)
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
