// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * kernel_rx_dev.c - the receive device's gro settings on the kernel
 * engine (gro_udp, vxlan; ofd_gro_rules.h), applied in its namespace
 * before the GRO self-test runs:
 *
 *  - gro_udp=forward turns rx-udp-gro-forwarding (NETIF_F_GRO_UDP_FWD) on
 *    the IFF_NAPI tap, gro_udp=fraglist rx-gro-list (NETIF_F_GRO_FRAGLIST):
 *    both are off by default (kernel-rx.md 2.1, 7.1). Set by their ethtool
 *    names over netlink (targets/wire/ethtool.c) and read back, so a
 *    kernel that refuses one fails the engine's open instead of checking
 *    the model against a device without it.
 *  - vxlan=on creates a VXLAN device on UDP port 4789 in the namespace
 *    (CONFIG_VXLAN), up, in external (collect-metadata) mode: that mode
 *    opens both an IPv4 and an IPv6 UDP socket (vxlan_sock_add), so
 *    VXLAN over either outer family finds a tunnel socket and runs
 *    vxlan_gro_receive (kernel-rx.md 3). The device itself never sees
 *    our frames: the namespace has no address, so the aggregate the
 *    tap's GRO built goes up on the tap, where the engine's packet socket
 *    reads it (the outer frame, as for GRE), and IP then drops it as not
 *    ours before UDP would hand it to the VXLAN socket.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include <arpa/inet.h>
#include <libmnl/libmnl.h>
#include <linux/if_link.h>
#include <linux/rtnetlink.h>
#include <net/if.h>

#include "kernel_priv.h"
#include "ofd_ethtool.h"

#define VXLAN_PORT 4789

/* RTM_NEWLINK type vxlan, dstport 4789, external, up. */
static int vxlan_add(const char *name, const char **why)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct mnl_socket *nl;
	struct nlmsghdr *nlh;
	struct ifinfomsg *ifi;
	struct nlattr *info, *data;
	unsigned int seq = (unsigned int)time(NULL), port;
	int ret;

	nl = mnl_socket_open(NETLINK_ROUTE);
	if (!nl) {
		*why = "cannot open rtnetlink in the namespace";
		return -errno;
	}
	if (mnl_socket_bind(nl, 0, MNL_SOCKET_AUTOPID) < 0) {
		ret = -errno;
		*why = "cannot bind rtnetlink in the namespace";
		goto out;
	}
	nlh = mnl_nlmsg_put_header(buf);
	nlh->nlmsg_type = RTM_NEWLINK;
	nlh->nlmsg_flags = NLM_F_REQUEST | NLM_F_CREATE | NLM_F_EXCL | NLM_F_ACK;
	nlh->nlmsg_seq = seq;
	ifi = mnl_nlmsg_put_extra_header(nlh, sizeof(*ifi));
	ifi->ifi_family = AF_UNSPEC;
	ifi->ifi_flags = IFF_UP;
	ifi->ifi_change = IFF_UP;
	mnl_attr_put_strz(nlh, IFLA_IFNAME, name);
	info = mnl_attr_nest_start(nlh, IFLA_LINKINFO);
	mnl_attr_put_strz(nlh, IFLA_INFO_KIND, "vxlan");
	data = mnl_attr_nest_start(nlh, IFLA_INFO_DATA);
	mnl_attr_put_u16(nlh, IFLA_VXLAN_PORT, htons(VXLAN_PORT));
	mnl_attr_put_u8(nlh, IFLA_VXLAN_COLLECT_METADATA, 1);
	mnl_attr_nest_end(nlh, data);
	mnl_attr_nest_end(nlh, info);
	port = mnl_socket_get_portid(nl);
	if (mnl_socket_sendto(nl, nlh, nlh->nlmsg_len) < 0) {
		ret = -errno;
		*why = "cannot ask for a VXLAN device";
		goto out;
	}
	ret = (int)mnl_socket_recvfrom(nl, buf, sizeof(buf));
	if (ret > 0)
		ret = mnl_cb_run(buf, (size_t)ret, seq, port, NULL, NULL);
	if (ret < 0) {
		ret = -errno;
		*why = "cannot create a VXLAN device on port 4789 (CONFIG_VXLAN?)";
		goto out;
	}
	ret = 0;
out:
	mnl_socket_close(nl);
	return ret;
}

struct rx_dev {
	const struct kernel_priv *kp;
	char err[256];
};

/* In the namespace (ofdint_kns_run_in). */
static int rx_dev_apply(void *arg, const char **why)
{
	struct rx_dev *d = arg;
	const struct kernel_priv *kp = d->kp;
	struct ofd_ethtool *et = NULL;
	const char *feat = NULL;
	char name[IFNAMSIZ];
	int err;

	if (kp->gro.udp == OFD_GRO_UDP_GSO)
		feat = "rx-udp-gro-forwarding";
	else if (kp->gro.udp == OFD_GRO_UDP_FRAGLIST)
		feat = "rx-gro-list";
	if (feat) {
		err = ofd_ethtool_open(-1, &et, d->err, sizeof(d->err));
		if (!err)
			err = ofd_ethtool_set_feature(et, kp->ns->rx_name, feat, true,
						      d->err, sizeof(d->err));
		ofd_ethtool_close(et);
		if (err) {
			*why = d->err;
			return err;
		}
	}
	if (kp->gro.vxlan) {
		/* "ov" + the taps' 6-digit id: unique, like them */
		snprintf(name, sizeof(name), "ov%s", kp->ns->rx_name + 2);
		return vxlan_add(name, why);
	}
	return 0;
}

int kernel_rx_dev_setup(struct kernel_priv *kp, char *why, size_t why_len)
{
	struct rx_dev d = { .kp = kp };
	const char *w = NULL;
	int err;

	if (kp->gro.udp == OFD_GRO_UDP_NONE && !kp->gro.vxlan)
		return 0;
	err = ofdint_kns_run_in(kp->ns->rx_sock, rx_dev_apply, &d, &w);
	if (err)
		snprintf(why, why_len, "kernel: gro device settings: %s: %s",
			 w ? w : "?", strerror(-err));
	return err;
}
