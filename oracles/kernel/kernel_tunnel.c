// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * kernel_tunnel.c - UDP tunnel GSO (SKB_GSO_UDP_TUNNEL[_CSUM]: VXLAN,
 * GENEVE) on the kernel engine, kernel-tx.md 3.5, 7.1, 10.4.
 *
 * AF_PACKET's virtio_net_hdr has no tunnel type; since 6.17 tun's has
 * (virtio_net_hdr_v1_hash_tunnel, 24 bytes: outer transport and inner
 * network header offsets). So, in the engine's namespace:
 *
 *     write() --> tapA ==bridge==> tapB --> read()
 *
 *  - tapA: TUNSETVNETHDRSZ 24, TUNSETVNETLE, TUNSETOFFLOAD CSUM | TSO4 |
 *    TSO6 | USO4 | USO6 | UDP_TUNNEL_GSO (0x80) | UDP_TUNNEL_GSO_CSUM
 *    (0x100). A write is parsed by virtio_net_hdr_tnl_to_skb into the
 *    encapsulated GSO skb the stack would have built (gso_type = inner type
 *    | SKB_GSO_UDP_TUNNEL[_CSUM], encapsulation, inner headers) and is
 *    received synchronously (tun_rx_batched -> netif_receive_skb);
 *  - the bridge forwards it to tapB, which has no offloads: dev_queue_xmit
 *    runs validate_xmit_skb -> software UDP tunnel GSO
 *    (__skb_udp_tunnel_segment), and the segments are queued on tapB, all
 *    before write() returns (tapB's root qdisc is noqueue, its ring holds
 *    OFDINT_KNS_TXQLEN);
 *  - the bridge must forward every frame to tapB and nowhere else: the
 *    frame goes in with fixed, unicast, never-learnt MAC addresses (source
 *    ...:01, destination ...:02; the bridge learns ...:01 on tapA, so
 *    ...:02 is always flooded to tapB) and each segment gets the case's own
 *    addresses back: skb_segment copies the MAC header verbatim and nothing
 *    in segmentation reads it. The bridge's netfilter hooks are off
 *    (bridge-nf-call-*tables 0), so IP headers pass unvalidated. Frames of
 *    the kernel's own on tapB (the bridge's IGMP) do not carry our source
 *    address and are skipped;
 *  - a drop in validate_xmit_skb on tapB (e.g. inner payload <= gso_size)
 *    leaves no segment: tapB's tx_dropped counter says so, else tapA's
 *    rx_dropped (the receive path dropped it), else "no frame came out".
 *
 * Set up on the first tunnel case; if tun has no tunnel header (before
 * 6.17) the tunnel cases are OFD_RES_UNSUPPORTED with that reason.
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
#include <sys/uio.h>
#include <unistd.h>

#include <linux/if_tun.h>
#include <linux/sockios.h>
#include <net/if_arp.h>

#include "ofd.h"
#include "ofd_parse.h"
#include "kernel_internal.h"
#include "kernel_priv.h"

#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#define TUN_F_USO6 0x40
#endif
#define TNL_F_UDP_TUNNEL_GSO 0x80
#define TNL_F_UDP_TUNNEL_GSO_CSUM 0x100
#define TNL_HDR_LEN 24 /* struct virtio_net_hdr_v1_hash_tunnel */
#define TNL_GSO_IPV4 0x20
#define TNL_GSO_IPV6 0x40

static const uint8_t tnl_src[6] = { 0x02, 0x0f, 0, 0, 0, 0x01 };
static const uint8_t tnl_dst[6] = { 0x02, 0x0f, 0, 0, 0, 0x02 };

struct kernel_tnl {
	int tap_a;             /* write side: the tunnel header */
	int tap_b;             /* read side: no offloads */
	char name_a[IFNAMSIZ], name_b[IFNAMSIZ], name_br[IFNAMSIZ];
	uint64_t b_dropped, a_dropped;
	uint8_t *buf;          /* the frame with our MAC addresses */
};

static atomic_uint tnl_counter;

static const char tnl_no_kernel_why[] =
	"UDP_TUNNEL GSO: this kernel's tun has no UDP tunnel GSO header "
	"(TUN_F_UDP_TUNNEL_GSO, 6.17+), the kernel cannot be handed one from userspace";
static const char tnl_no_offsets_why[] =
	"UDP_TUNNEL GSO: no outer UDP header and inner IP header at csum_start "
	"for tun's tunnel header to point at";

void kernel_tnl_free(struct kernel_tnl *t)
{
	if (!t)
		return;
	if (t->tap_a >= 0)
		close(t->tap_a);
	if (t->tap_b >= 0)
		close(t->tap_b);
	free(t->buf);
	free(t);
}

static int tnl_tap(const char *name, int *out)
{
	struct ifreq ifr = { 0 };
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR;
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		int err = -errno;

		close(fd);
		return err;
	}
	*out = fd;
	return 0;
}

static int tnl_dev(int ctl, const char *name, uint8_t last, unsigned int mtu,
		   unsigned int qlen)
{
	struct ifreq ifr = { 0 };
	int err;

	ifr.ifr_hwaddr.sa_family = ARPHRD_ETHER;
	memcpy(ifr.ifr_hwaddr.sa_data, "\x02\x0f\x00\x00\x01", 5);
	ifr.ifr_hwaddr.sa_data[5] = (char)last;
	if ((err = ofdint_kns_ifreq(ctl, SIOCSIFHWADDR, name, &ifr)))
		return err;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = (int)mtu;
	if ((err = ofdint_kns_ifreq(ctl, SIOCSIFMTU, name, &ifr)))
		return err;
	if (qlen) {
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_qlen = (int)qlen;
		if ((err = ofdint_kns_ifreq(ctl, SIOCSIFTXQLEN, name, &ifr)))
			return err;
	}
	return ofdint_kns_link_up(ctl, name);
}

static void tnl_sysctl(const char *path, const char *val)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd < 0)
		return; /* no br_netfilter: nothing to turn off */
	if (write(fd, val, strlen(val)) < 0)
		ofd_pr_debug("kernel: %s: %s\n", path, strerror(errno));
	close(fd);
}

struct tnl_setup {
	struct kernel_tnl *t;
	unsigned int mtu;
};

#define TNL_FAIL(e, msg)          \
	do {                      \
		err = (e);        \
		*why = (msg);     \
		goto out;         \
	} while (0)

static int tnl_setup_thread(void *arg, const char **why)
{
	struct tnl_setup *s = arg;
	struct kernel_tnl *t = s->t;
	unsigned int off = TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_USO4 |
			   TUN_F_USO6 | TNL_F_UDP_TUNNEL_GSO |
			   TNL_F_UDP_TUNNEL_GSO_CSUM;
	int ctl = -1, sz = TNL_HDR_LEN, one = 1, err;
	struct ifreq ifr = { 0 };

	if ((err = tnl_tap(t->name_a, &t->tap_a)) ||
	    (err = tnl_tap(t->name_b, &t->tap_b)))
		TNL_FAIL(err, "cannot create the tunnel taps");
	if (ioctl(t->tap_a, TUNSETVNETHDRSZ, &sz) ||
	    ioctl(t->tap_a, TUNSETVNETLE, &one))
		TNL_FAIL(-errno, tnl_no_kernel_why);
	/* USO is older than the tunnel bits; without it, TCP only. */
	if (ioctl(t->tap_a, TUNSETOFFLOAD, off) &&
	    ioctl(t->tap_a, TUNSETOFFLOAD, off & ~(TUN_F_USO4 | TUN_F_USO6)))
		TNL_FAIL(-errno, tnl_no_kernel_why);
	if (ioctl(t->tap_b, TUNSETOFFLOAD, 0))
		TNL_FAIL(-errno, "TUNSETOFFLOAD 0 on the tunnel's reading tap");
	ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ctl < 0)
		TNL_FAIL(-errno, "socket(AF_INET)");
	if (ioctl(ctl, SIOCBRADDBR, t->name_br))
		TNL_FAIL(-errno, "cannot create the tunnel's bridge");
	tnl_sysctl("/proc/sys/net/bridge/bridge-nf-call-iptables", "0");
	tnl_sysctl("/proc/sys/net/bridge/bridge-nf-call-ip6tables", "0");
	tnl_sysctl("/proc/sys/net/bridge/bridge-nf-call-arptables", "0");
	if ((err = tnl_dev(ctl, t->name_a, 0x0a, s->mtu, 0)) ||
	    (err = tnl_dev(ctl, t->name_b, 0x0b, s->mtu, OFDINT_KNS_TXQLEN)))
		TNL_FAIL(err, "cannot configure the tunnel taps");
	if ((err = ofdint_kns_ifreq(ctl, SIOCGIFINDEX, t->name_a, &ifr)) ||
	    (err = ofdint_kns_ifreq(ctl, SIOCBRADDIF, t->name_br, &ifr)))
		TNL_FAIL(err, "cannot add the writing tap to the bridge");
	memset(&ifr, 0, sizeof(ifr));
	if ((err = ofdint_kns_ifreq(ctl, SIOCGIFINDEX, t->name_b, &ifr)) ||
	    (err = ofdint_kns_ifreq(ctl, SIOCBRADDIF, t->name_br, &ifr)))
		TNL_FAIL(err, "cannot add the reading tap to the bridge");
	if ((err = ofdint_kns_noqueue(ifr.ifr_ifindex)))
		TNL_FAIL(err, "cannot give the reading tap a noqueue root qdisc");
	if ((err = tnl_dev(ctl, t->name_br, 0x0c, s->mtu, 0)))
		TNL_FAIL(err, "cannot bring the tunnel's bridge up");
out:
	if (ctl >= 0)
		close(ctl);
	return err;
}

#undef TNL_FAIL

static int tnl_open(struct kernel_priv *kp, struct kernel_tnl **out,
		    const char **why)
{
	struct tnl_setup s = { 0 };
	struct kernel_tnl *t;
	unsigned int id;
	int err;

	*why = NULL;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->tap_a = t->tap_b = -1;
	t->buf = malloc(KERNEL_BUF);
	if (!t->buf) {
		free(t);
		return -ENOMEM;
	}
	id = ((unsigned int)getpid() << 2 | (atomic_fetch_add(&tnl_counter, 1) & 3)) &
	     0xffffff;
	snprintf(t->name_a, sizeof(t->name_a), "oa%06x", id);
	snprintf(t->name_b, sizeof(t->name_b), "ob%06x", id);
	snprintf(t->name_br, sizeof(t->name_br), "ox%06x", id);
	s.t = t;
	s.mtu = kp->ns->mtu;
	err = ofdint_kns_run_in(kp->ns->tx_sock, tnl_setup_thread, &s, why);
	if (err)
		goto fail;
	ofdint_kns_dev_stat(kp->ns, t->name_b, OFDINT_STAT_TX_DROP, &t->b_dropped);
	ofdint_kns_dev_stat(kp->ns, t->name_a, OFDINT_STAT_RX_DROP, &t->a_dropped);
	*out = t;
	return 0;
fail:
	ofd_pr_info("kernel: UDP tunnel GSO unavailable: %s: %s\n", *why,
		    strerror(-err));
	kernel_tnl_free(t);
	return err;
}

/* Tun's tunnel header for case c: virtio_net_hdr_v1_hash_tunnel,
 * little endian (TUNSETVNETLE). */
static const char *tnl_hdr(const struct ofd_case *c, uint8_t *b)
{
	const uint8_t *d = c->pkts[0].data;
	struct ofd_vnet_hdr h;
	struct ofd_parsed p;
	int i, outer_ip = -1, outer_udp = -1, inner_ip = -1;
	bool tunnel;
	uint8_t type;

	kernel_tso_map(c, &h, &tunnel);
	ofd_parse(d, c->pkts[0].len, 0, &p);
	for (i = 0; i < (int)p.nlayers; i++) {
		const struct ofd_layer *l = &p.layer[i];

		if (l->proto == OFD_P_IPV4 || l->proto == OFD_P_IPV6) {
			if (outer_ip < 0)
				outer_ip = i;
			else if (outer_udp >= 0)
				inner_ip = i;
		} else if (l->proto == OFD_P_UDP && outer_udp < 0 && outer_ip >= 0) {
			outer_udp = i;
		} else if (l->off == h.csum_start && inner_ip >= 0) {
			break;
		}
	}
	if (outer_ip < 0 || outer_udp < 0 || inner_ip < 0 || i == (int)p.nlayers)
		return tnl_no_offsets_why;
	type = (uint8_t)(h.gso_type | (p.layer[outer_ip].proto == OFD_P_IPV4 ?
				       TNL_GSO_IPV4 : TNL_GSO_IPV6));
	memset(b, 0, TNL_HDR_LEN);
	b[0] = h.flags;
	b[1] = type;
	b[2] = (uint8_t)h.hdr_len;
	b[3] = (uint8_t)(h.hdr_len >> 8);
	b[4] = (uint8_t)h.gso_size;
	b[5] = (uint8_t)(h.gso_size >> 8);
	b[6] = (uint8_t)h.csum_start;
	b[7] = (uint8_t)(h.csum_start >> 8);
	b[8] = (uint8_t)h.csum_offset;
	b[9] = (uint8_t)(h.csum_offset >> 8);
	b[20] = (uint8_t)p.layer[outer_udp].off;
	b[21] = (uint8_t)(p.layer[outer_udp].off >> 8);
	b[22] = (uint8_t)p.layer[inner_ip].off;
	b[23] = (uint8_t)(p.layer[inner_ip].off >> 8);
	return NULL;
}

/* Read tapB to empty: our segments into res (NULL: discard). */
static int tnl_drain(struct kernel_priv *kp, struct kernel_tnl *t,
		     const struct ofd_case *c, struct ofd_result *res,
		     unsigned int *count, bool *overflow)
{
	struct ofd_frame *f;
	ssize_t n;
	int err;

	*count = 0;
	for (;;) {
		n = read(t->tap_b, kp->tbuf, KERNEL_BUF);
		if (n < 0) {
			if (errno == EAGAIN || errno == EWOULDBLOCK)
				return 0;
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (n < VNET_LEN + 14 ||
		    memcmp(kp->tbuf + VNET_LEN + 6, tnl_src, 6) ||
		    memcmp(kp->tbuf + VNET_LEN, tnl_dst, 6))
			continue; /* the kernel's own (the bridge's IGMP) */
		(*count)++;
		if (!res)
			continue;
		err = kernel_add_frame(res, kp->tbuf, (size_t)n, false);
		if (err == -ENOSPC) {
			*overflow = true;
			continue;
		}
		if (err)
			return err;
		/* The case's own addresses back (skb_segment copies them). */
		f = &res->frame[res->nframes - 1];
		memcpy((uint8_t *)f->base, c->pkts[0].data, 12);
	}
}

int kernel_tnl_run(struct kernel_priv *kp, const struct ofd_case *c,
		   struct ofd_result *res)
{
	struct kernel_tnl *t;
	uint8_t hdr[TNL_HDR_LEN];
	struct iovec iov[2];
	uint32_t len = c->pkts[0].len;
	unsigned int count;
	bool overflow = false;
	const char *why;
	uint64_t v;
	ssize_t r;
	int err;

	if (!kp->tnl && !kp->tnl_err)
		kp->tnl_err = tnl_open(kp, &kp->tnl, &kp->tnl_why);
	if (kp->tnl_err) {
		ofd_result_unsupported(res, kp->tnl_err == -EINVAL ||
					    kp->tnl_err == -ENOTTY ?
					    tnl_no_kernel_why : kp->tnl_why);
		return 0;
	}
	t = kp->tnl;
	why = tnl_hdr(c, hdr);
	if (why) {
		ofd_result_unsupported(res, why);
		return 0;
	}
	if (len < 14 || len > KERNEL_BUF) {
		ofd_result_unsupported(res, "frame too short or too long for the tunnel path");
		return 0;
	}
	memcpy(t->buf, tnl_dst, 6);
	memcpy(t->buf + 6, tnl_src, 6);
	memcpy(t->buf + 12, c->pkts[0].data + 12, len - 12);
	iov[0].iov_base = hdr;
	iov[0].iov_len = sizeof(hdr);
	iov[1].iov_base = t->buf;
	iov[1].iov_len = len;
	do
		r = writev(t->tap_a, iov, 2);
	while (r < 0 && errno == EINTR);
	if (r < 0) {
		int e = errno;

		err = tnl_drain(kp, t, c, NULL, &count, &overflow);
		if (err)
			return err;
		res->err = e;
		if (e == EINVAL)
			ofd_result_unsupported(res, kernel_tso_einval_why);
		else
			ofd_result_reject(res, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT);
		return 0;
	}
	err = tnl_drain(kp, t, c, res, &count, &overflow);
	if (err)
		return err;
	if (!count) {
		ofd_result_reject(res, OFD_REASON_DROPPED, OFD_STAGE_XMIT);
		res->detail = "no frame came out";
		if (!ofdint_kns_dev_stat(kp->ns, t->name_b, OFDINT_STAT_TX_DROP, &v) &&
		    v != t->b_dropped) {
			t->b_dropped = v;
			res->detail = "validate_xmit_skb dropped it (tx_dropped)";
		} else if (!ofdint_kns_dev_stat(kp->ns, t->name_a, OFDINT_STAT_RX_DROP, &v) &&
			   v != t->a_dropped) {
			t->a_dropped = v;
			res->detail = "the receive path of the tunnel's writing tap dropped it (rx_dropped)";
		}
		return 0;
	}
	if (overflow)
		ofd_result_unsupported(res, kernel_overflow_why);
	return 0;
}
