// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * rss_readback.c - a NIC's RSS configuration through SIOCETHTOOL
 * (ofd_rss_readback.h). Plain libc and linux uapi: the QEMU guest agent
 * builds this same file statically.
 *
 * ETHTOOL_GRSSH is asked twice: first with indir_size = key_size = 0,
 * which returns the device's sizes only, then with exactly those sizes
 * (the kernel refuses any other non-zero size with EINVAL). The reply's
 * rss_config[] is the table (indir_size u32) followed by the key. Since
 * Linux 6.8 the byte after hfunc is input_xfrm; this build's uapi header
 * may predate it (it calls the byte rsvd8[0]), so it is read by offset,
 * and an older kernel leaves it 0, which is "no transform", as it was.
 */
#include <errno.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include <linux/ethtool.h>
#include <linux/sockios.h>

#include "ofd_rss_readback.h"

const uint32_t ofd_rss_rb_flow_type[OFD_RSS_RB_NFLOWS] = {
	TCP_V4_FLOW, UDP_V4_FLOW, TCP_V6_FLOW, UDP_V6_FLOW, IPV4_FLOW, IPV6_FLOW,
};
const char *const ofd_rss_rb_flow_name[OFD_RSS_RB_NFLOWS] = {
	"tcp4", "udp4", "tcp6", "udp6", "ipv4", "ipv6",
};

#define XFRM_KNOWN (OFD_RSS_RB_XFRM_SYM_XOR | OFD_RSS_RB_XFRM_SYM_OR_XOR)

static int ethtool_ioctl(int sock, const char *ifname, void *cmd)
{
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = cmd;
	return ioctl(sock, SIOCETHTOOL, &ifr) ? -errno : 0;
}

static const char *hfunc_name(uint8_t h)
{
	switch (h) {
	case 0: return "none reported";
	case 1u << 1: return "xor";
	case 1u << 2: return "crc32";
	default: return "unknown";
	}
}

static int read_rssh(int sock, const char *ifname, struct ofd_rss_readback *rb, char *why,
		     size_t why_len)
{
	struct ethtool_rxfh q, *r;
	size_t len;
	int e;

	memset(&q, 0, sizeof(q));
	q.cmd = ETHTOOL_GRSSH;
	e = ethtool_ioctl(sock, ifname, &q);
	if (e) {
		snprintf(why, why_len, "ETHTOOL_GRSSH on %s: %s%s", ifname, strerror(-e),
			 e == -EOPNOTSUPP ? ": the device has no RSS" : "");
		return e;
	}
	if (q.indir_size > OFD_RSS_RB_INDIR_MAX || q.key_size > OFD_RSS_RB_KEY_MAX) {
		snprintf(why, why_len,
			 "ETHTOOL_GRSSH on %s: a %u-entry table and %u-byte key, more than the "
			 "read-back holds (%u, %u)",
			 ifname, q.indir_size, q.key_size, OFD_RSS_RB_INDIR_MAX, OFD_RSS_RB_KEY_MAX);
		return -E2BIG;
	}
	len = sizeof(*r) + q.indir_size * sizeof(uint32_t) + q.key_size;
	r = calloc(1, len);
	if (!r) {
		snprintf(why, why_len, "ETHTOOL_GRSSH on %s: out of memory", ifname);
		return -ENOMEM;
	}
	r->cmd = ETHTOOL_GRSSH;
	r->indir_size = q.indir_size;
	r->key_size = q.key_size;
	e = ethtool_ioctl(sock, ifname, r);
	if (!e && (r->indir_size != q.indir_size || r->key_size != q.key_size))
		e = -EAGAIN; /* reconfigured between the two reads */
	if (e) {
		snprintf(why, why_len, "ETHTOOL_GRSSH on %s (table and key): %s", ifname,
			 strerror(-e));
		free(r);
		return e;
	}
	rb->indir_size = r->indir_size;
	rb->key_size = r->key_size;
	memcpy(rb->indir, r->rss_config, r->indir_size * sizeof(uint32_t));
	memcpy(rb->key, (const uint8_t *)(r->rss_config + r->indir_size), r->key_size);
	rb->hfunc = r->hfunc;
	/* input_xfrm: the byte after hfunc (see the top comment) */
	rb->input_xfrm = ((const uint8_t *)&r->hfunc)[1];
	free(r);
	return 0;
}

int ofd_rss_readback(int sock, const char *ifname, struct ofd_rss_readback *rb, char *why,
		     size_t why_len)
{
	struct ethtool_rxnfc n;
	int own = -1, e, i;

	memset(rb, 0, sizeof(*rb));
	if (!ifname || !*ifname || strlen(ifname) >= sizeof(rb->ifname)) {
		snprintf(why, why_len, "rss read-back: '%s' is not an interface name",
			 ifname ? ifname : "");
		return -EINVAL;
	}
	snprintf(rb->ifname, sizeof(rb->ifname), "%s", ifname);
	if (sock < 0) {
		own = sock = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
		if (sock < 0) {
			e = -errno;
			snprintf(why, why_len, "rss read-back on %s: socket: %s", ifname,
				 strerror(-e));
			return e;
		}
	}
	e = read_rssh(sock, ifname, rb, why, why_len);
	if (e)
		goto out;
	memset(&n, 0, sizeof(n));
	n.cmd = ETHTOOL_GRXRINGS;
	e = ethtool_ioctl(sock, ifname, &n);
	if (e) {
		snprintf(why, why_len, "ETHTOOL_GRXRINGS on %s: %s", ifname, strerror(-e));
		goto out;
	}
	rb->rx_rings = (uint32_t)n.data;
	for (i = 0; i < OFD_RSS_RB_NFLOWS; i++) {
		memset(&n, 0, sizeof(n));
		n.cmd = ETHTOOL_GRXFH;
		n.flow_type = ofd_rss_rb_flow_type[i];
		rb->fields_err[i] = ethtool_ioctl(sock, ifname, &n);
		rb->fields[i] = rb->fields_err[i] ? 0 : n.data;
	}
	if (!(rb->hfunc & OFD_RSS_RB_HFUNC_TOP) || (rb->hfunc & ~OFD_RSS_RB_HFUNC_TOP)) {
		snprintf(why, why_len,
			 "ETHTOOL_GRSSH on %s: hash function 0x%x (%s), not Toeplitz: the model "
			 "computes Toeplitz only (ethtool -X %s hfunc toeplitz)",
			 ifname, rb->hfunc, hfunc_name(rb->hfunc), ifname);
		e = -EOPNOTSUPP;
	} else if (rb->input_xfrm & ~XFRM_KNOWN) {
		snprintf(why, why_len,
			 "ETHTOOL_GRSSH on %s: input_xfrm 0x%x has bits beyond sym-xor and "
			 "sym-or-xor that this read-back does not know",
			 ifname, rb->input_xfrm);
		e = -EOPNOTSUPP;
	}
out:
	if (own >= 0)
		close(own);
	return e;
}
