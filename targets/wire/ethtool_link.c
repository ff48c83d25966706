// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * ethtool_link.c - a port's driver info (the SIOCETHTOOL ioctl: no netlink
 * message carries it) and its link state and MTU (rtnetlink), through the
 * sockets ethtool.c made inside the port's namespace.
 *
 * A run takes a port down while it reconfigures it and may need a larger
 * MTU for its frames; the journal (host_changes.c) puts both back.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <linux/ethtool.h>
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <linux/sockios.h>

#include "ethtool_internal.h"

/* ------------------------------------------------------------------ */
/* Driver info: SIOCETHTOOL, as no netlink message carries it          */
/* ------------------------------------------------------------------ */

int ofd_ethtool_drvinfo(struct ofd_ethtool *et, const char *ifname,
			struct ofd_device_id *id, char *err, size_t err_len)
{
	struct ethtool_drvinfo di = { .cmd = ETHTOOL_GDRVINFO };
	struct ifreq ifr;

	et->msg[0] = '\0';
	if (strlen(ifname) >= IFNAMSIZ)
		return ofd_et_fail(et, -ENODEV, ifname, "", err, err_len);
	memset(&ifr, 0, sizeof(ifr));
	memcpy(ifr.ifr_name, ifname, strlen(ifname));
	ifr.ifr_data = (void *)&di;
	if (ioctl(et->ioc, SIOCETHTOOL, &ifr))
		return ofd_et_fail(et, -errno, ifname, "driver info", err, err_len);
	/* The kernel's strings are NUL-padded but not promised to end. */
	snprintf(id->port, sizeof(id->port), "%s", ifname);
	snprintf(id->driver, sizeof(id->driver), "%.*s", (int)sizeof(di.driver), di.driver);
	snprintf(id->driver_version, sizeof(id->driver_version), "%.*s",
		 (int)sizeof(di.version), di.version);
	snprintf(id->fw_version, sizeof(id->fw_version), "%.*s", (int)sizeof(di.fw_version),
		 di.fw_version);
	snprintf(id->bus_info, sizeof(id->bus_info), "%.*s", (int)sizeof(di.bus_info),
		 di.bus_info);
	if (!strncmp(et->where, "network namespace '", 19))
		snprintf(id->netns, sizeof(id->netns), "%.*s", (int)strlen(et->where + 19) - 1,
			 et->where + 19);
	else
		id->netns[0] = '\0';
	return 0;
}

/* ------------------------------------------------------------------ */
/* Link state and MTU: rtnetlink                                       */
/* ------------------------------------------------------------------ */

/* Linux 6.3's uapi; Debian 12's headers are older than the kernel. */
#define OFD_IFLA_GSO_IPV4_MAX_SIZE 63

struct link {
	bool up;
	unsigned int mtu;
	struct ofd_gso_limits gso;
};

static int link_attr(const struct nlattr *a, void *data)
{
	struct link *l = data;

	if (mnl_attr_validate(a, MNL_TYPE_U32))
		return MNL_CB_OK;
	switch (mnl_attr_get_type(a)) {
	case IFLA_MTU:
		l->mtu = mnl_attr_get_u32(a);
		break;
	case IFLA_GSO_MAX_SIZE:
		l->gso.max_size = mnl_attr_get_u32(a);
		break;
	case IFLA_GSO_MAX_SEGS:
		l->gso.max_segs = mnl_attr_get_u32(a);
		break;
	case OFD_IFLA_GSO_IPV4_MAX_SIZE:
		l->gso.ipv4_max_size = mnl_attr_get_u32(a);
		break;
	}
	return MNL_CB_OK;
}

static int link_cb(const struct nlmsghdr *nlh, void *data)
{
	const struct ifinfomsg *ifi = mnl_nlmsg_get_payload(nlh);

	if (nlh->nlmsg_type != RTM_NEWLINK)
		return MNL_CB_OK;
	((struct link *)data)->up = ifi->ifi_flags & IFF_UP;
	return mnl_attr_parse(nlh, sizeof(*ifi), link_attr, data);
}

static struct nlmsghdr *link_msg(char *buf, uint16_t type, const char *ifname)
{
	struct nlmsghdr *nlh = mnl_nlmsg_put_header(buf);
	struct ifinfomsg *ifi;

	nlh->nlmsg_type = type;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, ifname);
	return nlh;
}

static int read_link(struct ofd_ethtool *et, const char *ifname, struct link *l)
{
	char buf[256];
	struct nlmsghdr *nlh;
	int e;

	et->msg[0] = '\0';
	if (strlen(ifname) >= IFNAMSIZ)
		return ofd_et_fail(et, -ENODEV, ifname, "", NULL, 0);
	nlh = link_msg(buf, RTM_GETLINK, ifname);
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	e = ofd_et_talk(et, et->rtnl, nlh, link_cb, l);
	return e ? ofd_et_fail(et, e, ifname, "reading the link", NULL, 0) : 0;
}

int ofd_ethtool_gso_limits(struct ofd_ethtool *et, const char *ifname,
			   struct ofd_gso_limits *g)
{
	struct link l = { 0 };
	int e = read_link(et, ifname, &l);

	if (e)
		return e;
	*g = l.gso;
	/* Kernels before BIG TCP for IPv4 (6.3) have one limit for both. */
	if (!g->ipv4_max_size)
		g->ipv4_max_size = g->max_size;
	return 0;
}

int ofd_ethtool_link(struct ofd_ethtool *et, const char *ifname, bool *up,
		     unsigned int *mtu)
{
	char buf[256];
	struct link l = { false, 0, { 0 } };
	struct nlmsghdr *nlh;
	int e;

	et->msg[0] = '\0';
	if (strlen(ifname) >= IFNAMSIZ)
		return ofd_et_fail(et, -ENODEV, ifname, "", NULL, 0);
	nlh = link_msg(buf, RTM_GETLINK, ifname);
	/* No statistics: only the flags and the MTU are read. */
	mnl_attr_put_u32(nlh, IFLA_EXT_MASK, RTEXT_FILTER_SKIP_STATS);
	e = ofd_et_talk(et, et->rtnl, nlh, link_cb, &l);
	if (e)
		return ofd_et_fail(et, e, ifname, "reading the link", NULL, 0);
	if (up)
		*up = l.up;
	if (mtu)
		*mtu = l.mtu;
	return 0;
}

int ofd_ethtool_set_link(struct ofd_ethtool *et, const char *ifname, bool up,
			 unsigned int mtu)
{
	char buf[256];
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	int e;

	et->msg[0] = '\0';
	if (strlen(ifname) >= IFNAMSIZ)
		return ofd_et_fail(et, -ENODEV, ifname, "", NULL, 0);
	nlh = link_msg(buf, RTM_NEWLINK, ifname);
	ifi = mnl_nlmsg_get_payload(nlh);
	ifi->ifi_change = IFF_UP;
	ifi->ifi_flags = up ? IFF_UP : 0;
	if (mtu)
		mnl_attr_put_u32(nlh, IFLA_MTU, mtu);
	e = ofd_et_talk(et, et->rtnl, nlh, NULL, NULL);
	return e ? ofd_et_fail(et, e, ifname, up ? "setting the link up" : "setting the link down",
			NULL, 0) : 0;
}
