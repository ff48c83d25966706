// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rxjudge_setup.c - the receive-side judge's tap in the engine's
 * namespace: every address local to it and only to it (AnyIP in table
 * RXJ_TABLE, a policy rule per family), IPv6 and SRv6 on, rp_filter off;
 * see rxjudge.c for why.
 */
#include <errno.h>
#include <fcntl.h>
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
#include "kernel_internal.h"
#include "rxjudge_priv.h"

static atomic_uint rxj_counter;

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

struct rxj_setup {
	struct ofdint_rxj *j;
};

#define SETUP_FAIL(e, msg)          \
	do {                        \
		err = (e);          \
		*why = (msg);       \
		goto out;           \
	} while (0)

/*
 * One tap of the judge: created with `flags`, up, IPv6 on without
 * addresses, DAD or router solicitations of its own (the namespace was
 * made with IPv6 off on every device, netns.c), SRv6 enabled so an SRH
 * reaches the L4 (ipv6_srh_rcv), and IPv4's source checks off so an AnyIP
 * source is not martian (IPv4 inherits the host's defaults,
 * devconf_inherit_init_net).
 */
static int rxj_tap(int ctl, const char *name, short flags, int *fd, uint8_t mac[6],
		   const char **why)
{
	struct ifreq ifr = { 0 };
	int err;

	*fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (*fd < 0)
		return *why = "cannot open /dev/net/tun", -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = flags;
	if (ioctl(*fd, TUNSETIFF, &ifr))
		return *why = "cannot create the judge's tap", -errno;
	memset(&ifr, 0, sizeof(ifr));
	if ((err = ofdint_kns_ifreq(ctl, SIOCGIFHWADDR, name, &ifr)))
		return *why = "cannot read the judge tap's MAC", err;
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = RXJ_MTU;
	ofdint_kns_ifreq(ctl, SIOCSIFMTU, name, &ifr); /* best effort: RX ignores it */
	rxj_sysctl("ipv6", name, "addr_gen_mode", "1");
	rxj_sysctl("ipv6", name, "accept_dad", "0");
	rxj_sysctl("ipv6", name, "accept_ra", "0");
	if ((err = rxj_sysctl("ipv6", name, "disable_ipv6", "0")) ||
	    (err = rxj_sysctl("ipv6", name, "seg6_enabled", "1")))
		return *why = "cannot enable IPv6 and SRv6 on the judge's tap", err;
	if ((err = rxj_sysctl("ipv4", name, "rp_filter", "0")) ||
	    (err = rxj_sysctl("ipv4", name, "accept_local", "1")))
		return *why = "cannot set rp_filter/accept_local on the judge's tap", err;
	if ((err = ofdint_kns_link_up(ctl, name)))
		return *why = "cannot bring the judge's tap up", err;
	return 0;
}

static int rxj_setup_thread(void *arg, const char **why)
{
	struct rxj_setup *s = arg;
	struct ofdint_rxj *j = s->j;
	struct ifreq ifr = { 0 };
	int ctl = -1, nl = -1, lo, err;

	ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ctl < 0)
		SETUP_FAIL(-errno, "socket(AF_INET)");
	if ((err = rxj_sysctl("ipv6", "lo", "disable_ipv6", "0")) ||
	    (err = rxj_sysctl("ipv6", "all", "seg6_enabled", "1")))
		SETUP_FAIL(err, "cannot enable IPv6 and SRv6 in the judge's namespace");
	if ((err = rxj_sysctl("ipv4", "all", "rp_filter", "0")))
		SETUP_FAIL(err, "cannot turn rp_filter off in the judge's namespace");
	if ((err = ofdint_kns_link_up(ctl, "lo")))
		SETUP_FAIL(err, "cannot bring lo up");
	/* The judge's tap takes bare frames (CHECKSUM_NONE: the handler
	 * computes the checksum); the delivery tap takes a virtio_net_hdr
	 * first, the receive metadata a NIC driver hands the stack
	 * (rx_consequence.c). */
	if ((err = rxj_tap(ctl, j->name, IFF_TAP | IFF_NO_PI, &j->tap, j->mac, why)) ||
	    (err = rxj_tap(ctl, j->vname, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR, &j->vtap,
			   j->vmac, why)))
		goto out;
	memset(&ifr, 0, sizeof(ifr));
	if ((err = ofdint_kns_ifreq(ctl, SIOCGIFINDEX, "lo", &ifr)))
		SETUP_FAIL(err, "no lo in the namespace");
	lo = ifr.ifr_ifindex;

	nl = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (nl < 0)
		SETUP_FAIL(-errno, "netlink socket");
	if ((err = rxj_local_route(nl, AF_INET, lo)) ||
	    (err = rxj_local_route(nl, AF_INET6, lo)))
		SETUP_FAIL(err, "cannot add the judge's local routes");
	if ((err = rxj_rule(nl, AF_INET, j->name)) ||
	    (err = rxj_rule(nl, AF_INET6, j->name)) ||
	    (err = rxj_rule(nl, AF_INET, j->vname)) ||
	    (err = rxj_rule(nl, AF_INET6, j->vname)))
		SETUP_FAIL(err, "cannot add the judge's policy rules");

	/* /proc/net is the reading task's namespace: open it from here. */
	j->snmp_fd = open("/proc/thread-self/net/snmp", O_RDONLY | O_CLOEXEC);
	j->snmp6_fd = open("/proc/thread-self/net/snmp6", O_RDONLY | O_CLOEXEC);
	j->netstat_fd = open("/proc/thread-self/net/netstat", O_RDONLY | O_CLOEXEC);
	if (j->snmp_fd < 0 || j->snmp6_fd < 0 || j->netstat_fd < 0)
		SETUP_FAIL(-errno, "cannot open the namespace's /proc/net/{snmp,snmp6,netstat}");
out:
	if (nl >= 0)
		close(nl);
	if (ctl >= 0)
		close(ctl);
	return err;
}

#undef SETUP_FAIL

void ofdint_rxj__free(struct ofdint_rxj *j)
{
	if (!j)
		return;
	if (j->tap >= 0)
		close(j->tap);
	if (j->vtap >= 0)
		close(j->vtap);
	if (j->netstat_fd >= 0)
		close(j->netstat_fd);
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
	int err;

	*why = NULL;
	j = calloc(1, sizeof(*j));
	if (!j)
		return -ENOMEM;
	j->tap = j->vtap = j->snmp_fd = j->snmp6_fd = j->netstat_fd = -1;
	j->buf = malloc(RXJ_BUF);
	j->text = malloc(65536);
	if (!j->buf || !j->text) {
		err = -ENOMEM;
		goto fail;
	}
	id = ((unsigned int)getpid() << 2 | (atomic_fetch_add(&rxj_counter, 1) & 3)) &
	     0xffffff;
	snprintf(j->name, sizeof(j->name), "oj%06x", id);
	snprintf(j->vname, sizeof(j->vname), "ov%06x", id);

	s.j = j;
	err = ofdint_kns_run_in(ns->tx_sock >= 0 ? ns->tx_sock : ns->rx_sock,
				rxj_setup_thread, &s, why);
	if (err)
		goto fail;
	*out = j;
	return 0;
fail:
	ofd_pr_debug("kernel: rx judge: %s: %s\n", *why ? *why : "set-up",
		     strerror(-err));
	ofdint_rxj__free(j);
	return err;
}
