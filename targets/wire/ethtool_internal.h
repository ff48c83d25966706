/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ethtool_internal.h - what ethtool.c (netlink, features) and
 * ethtool_link.c (driver info, link state and MTU) share: the handle and
 * the one request-and-ack loop.
 */
#ifndef OFD_ETHTOOL_INTERNAL_H
#define OFD_ETHTOOL_INTERNAL_H

#include <stdint.h>

#include <libmnl/libmnl.h>

#include "ofd_ethtool.h"

#define MAX_BITS 256 /* the kernel has fewer than 64; room to grow */
#define BUF_LEN (64 * 1024)

struct ofd_ethtool {
	struct mnl_socket *genl, *rtnl;
	int ioc;            /* AF_INET datagram socket, for SIOCETHTOOL */
	uint16_t family;    /* ethtool's generic netlink id */
	unsigned int seq;
	char where[96];     /* "network namespace 'X'" for messages */
	char msg[256];      /* the last failure, ofd_ethtool_strerror */
	unsigned int nnames; /* the kernel's feature names (ETH_SS_FEATURES) */
	char names[MAX_BITS][OFD_ETHTOOL_NAME_LEN];
	char buf[BUF_LEN];
};

/* Send nlh (NLM_F_ACK added) on nl and run cb over each reply until the
 * ack. 0 or -errno; et->msg holds the kernel's extack text, or "". */
int ofd_et_talk(struct ofd_ethtool *et, struct mnl_socket *nl, struct nlmsghdr *nlh,
		mnl_cb_t cb, void *data);
/* Put the one line for failure e of `what` on ifname in et->msg and err
 * (when not NULL): -ENODEV names the port and namespace. Returns e. */
int ofd_et_fail(struct ofd_ethtool *et, int e, const char *ifname, const char *what,
		char *err, size_t err_len);

#endif
