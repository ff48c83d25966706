// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * kernel_tso.c - segmentation on the kernel engine.
 *
 * Which way a tso request reaches the kernel (kernel-tx.md 3, 7, 10):
 *  - a VNET request is virtio_net_hdr from userspace: it goes in as it is;
 *  - a stack-built (LEGACY) request names SKB_GSO bits (req.skb_gso). It
 *    goes in as the virtio_net_hdr that makes virtio_net_hdr_to_skb build
 *    the same skb: NEEDS_CSUM with the stack's csum_start/csum_offset,
 *    TCPV4/TCPV6/UDP/UDP_L4, TCP_ECN as the ECN bit. UDP_TUNNEL[_CSUM]
 *    goes through tun's tunnel header instead (kernel_tunnel.c). What no
 *    header from userspace can say (GRE, IPXIP4/6, FIXEDID, ACCECN,
 *    PARTIAL) and the skbs virtio would build differently (the "too small
 *    packets are not GSO" rule, fields virtio refuses) are
 *    OFD_RES_UNSUPPORTED with a static reason naming them.
 *
 * GSO requests on AF_PACKET go in sendmmsg() batches: case, marker, case,
 * marker, ... The marker is a 60-byte frame with an ethertype for local
 * experiments (0x88b5) and 16 random bytes of this engine, so no case can
 * make it, and the frames read back between two markers are exactly one
 * case's segments: the tap's root qdisc is noqueue, so every message has
 * been segmented and queued on the tap (or refused) when sendmmsg returns.
 * No timing, and no read that only finds the tap empty per case.
 *
 * The tap's ring (OFDINT_KNS_TXQLEN) holds the largest case; a batch stops
 * before the segments its cases can make at most (kernel_tso_bound) could
 * fill it, so tun_net_xmit drops nothing. That is checked, not assumed:
 * the tap's tx_dropped counter is read once a batch and must have moved by
 * exactly the refusals validate_xmit_skb counted; anything else redoes the
 * batch one case at a time (kernel_tx_single), where every drop is seen.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_parse.h"
#include "kernel_internal.h"
#include "kernel_priv.h"

const char kernel_tso_einval_why[] =
	"virtio_net_hdr_to_skb refuses the fields of this stack-built GSO skb "
	"(kernel-tx.md 3.3): the kernel cannot be handed it from userspace";

static const char why_small[] =
	"a stack-built GSO skb with len - csum_start - thlen <= gso_size cannot be "
	"reproduced: virtio_net_hdr_to_skb leaves it non-GSO (\"too small packets "
	"are not GSO\", kernel-tx.md 3.3)";

/* What no header from userspace can say, in the order reports name them. */
static const struct {
	uint32_t bit;
	const char *why;
} tso_no_way[] = {
	{ OFD_SKB_GSO_GRE_CSUM,
	  "GRE_CSUM GSO: virtio_net_hdr has no GRE type, the kernel cannot be handed one from userspace (kernel-tx.md 10.5)" },
	{ OFD_SKB_GSO_GRE,
	  "GRE GSO: virtio_net_hdr has no GRE type, the kernel cannot be handed one from userspace (kernel-tx.md 10.5)" },
	{ OFD_SKB_GSO_IPXIP4,
	  "IPXIP4 GSO: virtio_net_hdr has no IP-in-IP type, the kernel cannot be handed one from userspace (kernel-tx.md 7.3)" },
	{ OFD_SKB_GSO_IPXIP6,
	  "IPXIP6 GSO: virtio_net_hdr has no IP-in-IPv6 type, the kernel cannot be handed one from userspace (kernel-tx.md 7.3)" },
	{ OFD_SKB_GSO_PARTIAL,
	  "GSO_PARTIAL: virtio_net_hdr cannot ask for partial GSO, the kernel cannot be handed such an skb from userspace (kernel-tx.md 4)" },
	{ OFD_SKB_GSO_TCP_ACCECN,
	  "TCP_ACCECN GSO: virtio_net_hdr has no AccECN type (0x10 is refused on 6.18), the kernel cannot be handed one from userspace (kernel-tx.md 10.5)" },
	{ OFD_SKB_GSO_TCP_FIXEDID,
	  "TCP_FIXEDID GSO: virtio_net_hdr cannot ask for fixed IPv4 IDs, only GRO builds such skbs (kernel-tx.md 5.3, 10.5)" },
	{ OFD_SKB_GSO_TCP_FIXEDID_INNER,
	  "TCP_FIXEDID_INNER GSO: virtio_net_hdr cannot ask for fixed inner IPv4 IDs, only GRO builds such skbs (kernel-tx.md 5.3, 10.5)" },
};

#define TSO_BASE (OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCPV6 | OFD_SKB_GSO_UDP | \
		  OFD_SKB_GSO_UDP_L4)
#define TSO_TUNNEL (OFD_SKB_GSO_UDP_TUNNEL | OFD_SKB_GSO_UDP_TUNNEL_CSUM)
#define TSO_KNOWN (TSO_BASE | TSO_TUNNEL | OFD_SKB_GSO_DODGY | \
		   OFD_SKB_GSO_TCP_ECN | OFD_SKB_GSO_GRE | \
		   OFD_SKB_GSO_GRE_CSUM | OFD_SKB_GSO_IPXIP4 | \
		   OFD_SKB_GSO_IPXIP6 | OFD_SKB_GSO_PARTIAL | \
		   OFD_SKB_GSO_TCP_ACCECN | OFD_SKB_GSO_TCP_FIXEDID | \
		   OFD_SKB_GSO_TCP_FIXEDID_INNER)

const char *kernel_tso_map(const struct ofd_case *c, struct ofd_vnet_hdr *h,
			   bool *tunnel)
{
	uint32_t g = c->req.skb_gso, base = g & TSO_BASE, len, p_off, thlen;
	struct ofd_vnet_hdr v = c->req.vnet;
	size_t i;

	*tunnel = false;
	for (i = 0; i < OFD_ARRAY_SIZE(tso_no_way); i++)
		if (g & tso_no_way[i].bit)
			return tso_no_way[i].why;
	if (g & ~TSO_KNOWN)
		return "a stack-built GSO request with SKB_GSO bits offdiff does not know";
	if (!base || (base & (base - 1)))
		return "a stack-built GSO request needs exactly one of TCPV4, TCPV6, UDP, UDP_L4";
	switch (base) {
	case OFD_SKB_GSO_TCPV4:
		v.gso_type = OFD_VNET_GSO_TCPV4;
		thlen = 20;
		break;
	case OFD_SKB_GSO_TCPV6:
		v.gso_type = OFD_VNET_GSO_TCPV6;
		thlen = 20;
		break;
	case OFD_SKB_GSO_UDP:
		v.gso_type = OFD_VNET_GSO_UDP;
		thlen = 8;
		break;
	default:
		v.gso_type = OFD_VNET_GSO_UDP_L4;
		thlen = 8;
		break;
	}
	if (g & OFD_SKB_GSO_TCP_ECN) {
		if (!(base & (OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCPV6)))
			return "TCP_ECN on a UDP GSO type: virtio_net_hdr takes the ECN bit only with TCP (kernel-tx.md 3.3)";
		v.gso_type |= OFD_VNET_GSO_ECN;
	}
	if (g & TSO_TUNNEL) {
		if (base == OFD_SKB_GSO_UDP)
			return "UDP_TUNNEL GSO with UFO inside: tun's tunnel header takes only TCPV4, TCPV6 or UDP_L4 inside (kernel-tx.md 3.5)";
		if (!(v.flags & OFD_VNET_F_NEEDS_CSUM))
			return "UDP_TUNNEL GSO without CHECKSUM_PARTIAL: tun's tunnel header requires NEEDS_CSUM (kernel-tx.md 3.5)";
		*tunnel = true;
	}
	/* "Too small packets are not really GSO ones" (virtio_net.h): the
	 * stack's skb would be GSO, virtio's would not. */
	len = c->pkts[0].len;
	if (v.flags & OFD_VNET_F_NEEDS_CSUM) {
		p_off = (uint32_t)v.csum_start + thlen;
	} else {
		struct ofd_parsed p;

		ofd_parse(c->pkts[0].data, len, 0, &p);
		p_off = p.l4 >= 0 ? p.layer[p.l4].off + thlen : 0;
	}
	if (base == OFD_SKB_GSO_UDP)
		p_off -= thlen;
	if (p_off && (len <= p_off || len - p_off <= v.gso_size))
		return why_small;
	v.flags &= (uint8_t)~0x08; /* tun's UDP_TUNNEL_CSUM flag is ours to set */
	if (*tunnel && (g & OFD_SKB_GSO_UDP_TUNNEL_CSUM))
		v.flags |= 0x08;
	if (h)
		*h = v;
	return NULL;
}

uint32_t kernel_tso_bound(const struct ofd_case *c, const struct ofd_vnet_hdr *h)
{
	uint32_t len = c->pkts[0].len, gso = h->gso_size ? h->gso_size : 1;

	/* At most gso_size bytes of the frame per segment, whatever the
	 * headers: UFO's fragments carry the UDP header as payload. */
	return len / gso + 2;
}

/* ------------------------------------------------------------------ */
/* Marker batches                                                      */
/* ------------------------------------------------------------------ */

enum { G_PENDING, G_OPEN, G_DONE, G_ALONE };

/* A batch's segments are read while still in the cache: a batch stops
 * at about what a core's L2 holds (measured: 64 cases of 64 KB queued
 * before the first read halve the rate of reading them). */
#define GSO_BATCH_BYTES (192 * 1024)

/* A batch's segments must fit the tap's ring, with room to spare. */
#define GSO_RING_ROOM (OFDINT_KNS_TXQLEN - 2 * KERNEL_BATCH - 64)

void kernel_tso_init(struct kernel_priv *kp)
{
	uint8_t *m = kp->marker;
	int fd;

	memset(m, 0, KERNEL_MARKER_LEN);
	memset(m, 0x02, 6);
	m[6] = 0x02;
	m[11] = 0x01;
	m[12] = 0x88; /* IEEE 802 local experimental ethertype */
	m[13] = 0xb5;
	memcpy(m + 14, "offdiff-marker", 14);
	fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
	if (fd >= 0) {
		if (read(fd, m + 28, 16) != 16)
			memset(m + 28, 0x5a, 16);
		close(fd);
	}
	kp->miov[0].iov_base = (void *)"\0\0\0\0\0\0\0\0\0\0";
	kp->miov[0].iov_len = VNET_LEN;
	kp->miov[1].iov_base = kp->marker;
	kp->miov[1].iov_len = KERNEL_MARKER_LEN;
}

int kernel_gso_add(struct kernel_priv *kp, const struct ofd_case *cases,
		   struct ofd_result *const *results, unsigned int i)
{
	const struct ofd_case *c = &cases[i];
	struct ofd_vnet_hdr h;
	unsigned int k;
	uint32_t b;
	int err;

	kernel_tx_hdr(kp, c, &h);
	b = kernel_tso_bound(c, &h);
	if (kp->ng && (kp->ng == KERNEL_BATCH || kp->gbound + b > GSO_RING_ROOM ||
		       kp->gbytes + c->pkts[0].len > GSO_BATCH_BYTES)) {
		err = kernel_gso_flush(kp, cases, results);
		if (err)
			return err;
	}
	if (b > GSO_RING_ROOM)
		return kernel_tx_single(kp, c, results[i], true);
	k = kp->ng++;
	kp->gidx[k] = i;
	kp->gbound += b;
	kp->gbytes += c->pkts[0].len;
	kernel_vnet_put(kp->ghdr[k], &h);
	kp->giov[k][0].iov_base = kp->ghdr[k];
	kp->giov[k][0].iov_len = VNET_LEN;
	kp->giov[k][1].iov_base = (void *)c->pkts[0].data;
	kp->giov[k][1].iov_len = c->pkts[0].len;
	memset(&kp->gmsg[2 * k], 0, 2 * sizeof(kp->gmsg[0]));
	kp->gmsg[2 * k].msg_hdr.msg_iov = kp->giov[k];
	kp->gmsg[2 * k].msg_hdr.msg_iovlen = 2;
	kp->gmsg[2 * k + 1].msg_hdr.msg_iov = kp->miov;
	kp->gmsg[2 * k + 1].msg_hdr.msg_iovlen = 2;
	return 0;
}

struct gso_state {
	uint8_t st[KERNEL_BATCH];
	bool ovf[KERNEL_BATCH];
	uint32_t cnt[KERNEL_BATCH];
	unsigned int rd;      /* the first case whose marker is not read */
	uint64_t want_drops;  /* tx_dropped the refusals account for */
};

static bool is_marker(const struct kernel_priv *kp, const uint8_t *buf,
		      ssize_t n)
{
	return n == VNET_LEN + KERNEL_MARKER_LEN &&
	       !memcmp(buf + VNET_LEN, kp->marker, KERNEL_MARKER_LEN);
}

/*
 * One frame from the tap: straight into the open case's arena when it has
 * room for the largest frame a read can return (KERNEL_BUF, the bound of
 * every other read), else through tbuf. *marker: it was the separator.
 * 0, -EAGAIN when the tap is empty, or -errno.
 */
static int gso_read_one(struct kernel_priv *kp, struct ofd_result *res,
			bool *marker, bool *overflow)
{
	uint8_t vh[VNET_LEN];
	struct iovec iov[2];
	struct ofd_frame *f;
	uint8_t *data;
	ssize_t n;

	*marker = false;
	if (res && res->arena && res->arena_cap - res->arena_used >= KERNEL_BUF) {
		iov[0].iov_base = vh;
		iov[0].iov_len = VNET_LEN;
		iov[1].iov_base = res->arena + res->arena_used;
		iov[1].iov_len = KERNEL_BUF - VNET_LEN;
		do
			n = readv(kp->ns->tx_tap, iov, 2);
		while (n < 0 && errno == EINTR);
		if (n < 0)
			return -errno;
		if (n < VNET_LEN)
			return -EPROTO;
		if (n == VNET_LEN + KERNEL_MARKER_LEN &&
		    !memcmp(iov[1].iov_base, kp->marker, KERNEL_MARKER_LEN)) {
			*marker = true;
			return 0;
		}
		f = ofd_result_add_new(res, (uint32_t)(n - VNET_LEN), &data);
		if (!f) {
			*overflow = true;
			return 0;
		}
		memset(&f->meta, 0, sizeof(f->meta));
		f->meta.has = OFD_META_VNET;
		kernel_vnet_get(&f->meta.vnet, vh);
		return 0;
	}
	do
		n = read(kp->ns->tx_tap, kp->tbuf, KERNEL_BUF);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return -errno;
	if (is_marker(kp, kp->tbuf, n)) {
		*marker = true;
		return 0;
	}
	if (!res)
		return -EPROTO; /* a frame of no case */
	n = kernel_add_frame(res, kp->tbuf, (size_t)n, false);
	if (n == -ENOSPC)
		*overflow = true;
	return n == -ENOSPC ? 0 : (int)n;
}

/* Everything on the tap, to the open cases in order. */
static int gso_read(struct kernel_priv *kp, struct ofd_result *const *results,
		    struct gso_state *s)
{
	struct ofd_result *res;
	bool marker;
	int err;

	for (;;) {
		/* Past the cases finished or refused; not past one unsent. */
		while (s->rd < kp->ng && (s->st[s->rd] == G_DONE || s->st[s->rd] == G_ALONE))
			s->rd++;
		res = s->rd < kp->ng && s->st[s->rd] == G_OPEN ?
			      results[kp->gidx[s->rd]] : NULL;
		err = gso_read_one(kp, res, &marker, &s->ovf[s->rd < kp->ng ? s->rd : 0]);
		if (err == -EAGAIN || err == -EWOULDBLOCK)
			return 0;
		if (err)
			return err;
		if (!res)
			return -EPROTO; /* a marker or frame of no case */
		if (marker)
			s->st[s->rd++] = G_DONE;
		else
			s->cnt[s->rd]++;
	}
}

/* Case k was refused by send() with errno e (attempted att times). */
static int gso_refused(struct kernel_priv *kp, const struct ofd_case *c,
		       struct ofd_result *res, int e, unsigned int att,
		       struct gso_state *s)
{
	res->err = e;
	switch (e) {
	case EINVAL:
		if (c->req.kind == OFD_REQ_LEGACY && c->req.skb_gso)
			ofd_result_unsupported(res, kernel_tso_einval_why);
		else
			ofd_result_reject(res, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT);
		break;
	case EMSGSIZE:
		ofd_result_reject(res, OFD_REASON_FRAME_TOO_LONG, OFD_STAGE_SUBMIT);
		break;
	case ENOMEM:
	case ENOBUFS:
		/* noqueue: validate_xmit_skb's drop; the batch's drop count
		 * says whether it really was one. */
		ofd_result_reject(res, OFD_REASON_DROPPED, OFD_STAGE_XMIT);
		res->detail = "validate_xmit_skb dropped it (tx_dropped)";
		s->want_drops += att;
		break;
	case EAGAIN:
		return -e;
	default:
		ofd_result_reject(res, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT);
		break;
	}
	res->err = e;
	return 0;
}

/* The batch again, one case at a time: every drop seen per case. */
static int gso_redo(struct kernel_priv *kp, const struct ofd_case *cases,
		    struct ofd_result *const *results)
{
	unsigned int k, count;
	bool overflow = false;
	int err;

	ofd_pr_debug("kernel: GSO batch of %u: unexpected drops; redoing it one case at a time\n",
		     kp->ng);
	err = kernel_tx_drain(kp, NULL, ~0u, &count, &overflow);
	if (err)
		return err;
	for (k = 0; k < kp->ng; k++) {
		struct ofd_result *r = results[kp->gidx[k]];

		ofd_result_reset(r);
		kernel_tx_new_drops(kp);
		err = kernel_tx_single(kp, &cases[kp->gidx[k]], r, true);
		if (err)
			return err;
	}
	return 0;
}

int kernel_gso_flush(struct kernel_priv *kp, const struct ofd_case *cases,
		     struct ofd_result *const *results)
{
	unsigned int total = 2 * kp->ng, pos = 0, fail_msg = ~0u, att = 0, k;
	struct gso_state s;
	int sent, e, err = 0;

	if (!kp->ng)
		return 0;
	memset(&s, 0, sizeof(s));
	while (pos < total) {
		sent = sendmmsg(kp->ns->tx_sock, kp->gmsg + pos, total - pos,
				MSG_DONTWAIT);
		e = errno;
		if (sent < 0 && e == EINTR)
			continue;
		k = pos + (sent > 0 ? (unsigned int)sent : 0);
		/* The message at k was tried, and failed, in this call. */
		if (k < total) {
			att = k == fail_msg ? att + 1 : 1;
			fail_msg = k;
		}
		for (; pos < k; pos++)
			if (!(pos & 1))
				s.st[pos / 2] = G_OPEN;
		err = gso_read(kp, results, &s);
		if (err)
			goto out;
		if (sent > 0)
			continue;
		/* sendmmsg's first message failed: errno is its own. */
		if (pos & 1) {
			err = -EPROTO; /* a marker refused */
			goto out;
		}
		err = gso_refused(kp, &cases[kp->gidx[pos / 2]],
				  results[kp->gidx[pos / 2]], e, att, &s);
		if (err)
			goto out;
		s.st[pos / 2] = G_ALONE;
		pos += 2; /* and its marker */
	}
	for (k = 0; k < kp->ng; k++) {
		struct ofd_result *r = results[kp->gidx[k]];

		if (s.st[k] == G_ALONE)
			continue;
		if (s.st[k] != G_DONE) {
			err = -EPROTO;
			goto out;
		}
		if (!s.cnt[k]) {
			/* With pfifo_fast (noqueue refused) a drop is silent. */
			ofd_result_reject(r, OFD_REASON_DROPPED, OFD_STAGE_XMIT);
			r->detail = "no frame came out";
			s.want_drops = ~0ull; /* let the single path say why */
		} else if (s.ovf[k]) {
			ofd_result_unsupported(r, kernel_overflow_why);
		}
	}
	if (kernel_tx_new_drops(kp) != s.want_drops)
		err = gso_redo(kp, cases, results);
out:
	kp->ng = 0;
	kp->gbound = 0;
	kp->gbytes = 0;
	return err;
}
