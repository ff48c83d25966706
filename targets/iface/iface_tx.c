// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * iface_tx.c - the iface target's data path for TX offloads: one case in
 * on the device port, its frames read off the wire on the peer.
 *
 * Frames are claimed by content (ofd_correlate.h), never by arrival: the
 * wire may carry other traffic and a multi-queue device may reorder. After
 * each case a marker frame follows on the same port; it bounds the wait
 * cheaply (on one queue everything the case made is on the wire before
 * it), and wait_ms bounds it for good, so a device that drops a frame
 * gives a `dropped` result, never a hang.
 */
#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>

#include "iface_internal.h"
#include "ofd_correlate.h"
#include "ofd_kernel.h"
#include "ofd_marker.h"
#include "ofd_pcap.h"
#include "ofd_port.h"


/* After its frames are all in, a case waits this long for its marker. */
#define MARKER_GRACE_MS 5

#define LACKS(feat) "the device port lacks " feat " (the kernel would do it in software)"
static const char *const lacks_why[IFEAT__MAX] = {
	[IFEAT_CSUM_GENERIC] = LACKS("tx-checksum-ip-generic"),
	[IFEAT_CSUM_IPV4] = LACKS("tx-checksum-ipv4 and tx-checksum-ip-generic"),
	[IFEAT_CSUM_IPV6] = LACKS("tx-checksum-ipv6 and tx-checksum-ip-generic"),
	[IFEAT_SG] = LACKS("tx-scatter-gather"),
	[IFEAT_TSO] = LACKS("tx-tcp-segmentation"),
	[IFEAT_TSO6] = LACKS("tx-tcp6-segmentation"),
	[IFEAT_TSO_ECN] = LACKS("tx-tcp-ecn-segmentation"),
	[IFEAT_USO] = LACKS("tx-udp-segmentation"),
	/* RX features never make a case skip: the read is of what the
	 * port hands up, whatever it has on. */
};

static const char ufo_why[] =
	"UDP fragmentation offload (UFO): no device has it since Linux 4.14; "
	"the kernel fragments before the driver";
static const char tunnel_why[] =
	"UDP tunnel GSO: AF_PACKET cannot ask a device for it (only tun's "
	"tunnel header can)";
static const char overrun_why[] =
	"the capture lost frames (its socket buffer was full): not the device's doing";
static const char mtu_why[] = "frame longer than the device port's MTU";
static const char einval_why[] =
	"the kernel's virtio_net_hdr rules refuse this stack-built GSO request "
	"from userspace";

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

static uint64_t now_usec_real(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (uint64_t)ts.tv_sec * 1000000 + (uint64_t)ts.tv_nsec / 1000;
}

/* The ethertype after any VLAN tags, or 0, as vlan_get_protocol gives the
 * protocol the kernel checks a device's features against; *l3: where the
 * header it names starts. */
static uint16_t l3_protocol(const uint8_t *d, uint32_t len, uint32_t *l3)
{
	uint32_t off = 12;
	uint16_t t;

	while (!ofd_get_be16(d, len, off, &t)) {
		if (t != 0x8100 && t != 0x88a8) {
			*l3 = off + 2;
			return t;
		}
		off += 4;
	}
	*l3 = 0;
	return 0;
}

static const char *software_gso(const struct iface *f, const struct ofd_case *c,
				const struct ofd_vnet_hdr *h);

/*
 * The features case c needs on the port, as the kernel decides whether a
 * device may do the work (netif_skb_features: the GSO type's feature, and
 * a checksum feature covering the protocol): NULL when the port has them,
 * else why the case is skipped.
 */
static const char *missing_feature(const struct iface *f, const struct ofd_case *c,
				   const struct ofd_vnet_hdr *h, bool gso)
{
	unsigned int on = f->feat_on;
	const char *why;

	if (gso) {
		if (!(on & 1u << IFEAT_SG))
			return lacks_why[IFEAT_SG];
		switch (h->gso_type & ~OFD_VNET_GSO_ECN) {
		case OFD_VNET_GSO_TCPV4:
			if (!(on & 1u << IFEAT_TSO))
				return lacks_why[IFEAT_TSO];
			break;
		case OFD_VNET_GSO_TCPV6:
			if (!(on & 1u << IFEAT_TSO6))
				return lacks_why[IFEAT_TSO6];
			break;
		case OFD_VNET_GSO_UDP_L4:
			if (!(on & 1u << IFEAT_USO))
				return lacks_why[IFEAT_USO];
			break;
		default:
			return ufo_why;
		}
		if ((h->gso_type & OFD_VNET_GSO_ECN) && !(on & 1u << IFEAT_TSO_ECN))
			return lacks_why[IFEAT_TSO_ECN];
		if ((why = software_gso(f, c, h)))
			return why;
	}
	if ((h->flags & OFD_VNET_F_NEEDS_CSUM) && !(on & 1u << IFEAT_CSUM_GENERIC)) {
		uint32_t l3;
		uint16_t t = l3_protocol(c->pkts[0].data, c->pkts[0].len, &l3);

		if (t == 0x0800 && !(on & 1u << IFEAT_CSUM_IPV4))
			return lacks_why[IFEAT_CSUM_IPV4];
		if (t == 0x86dd && !(on & 1u << IFEAT_CSUM_IPV6))
			return lacks_why[IFEAT_CSUM_IPV6];
		if (t != 0x0800 && t != 0x86dd)
			return lacks_why[IFEAT_CSUM_GENERIC];
	}
	return NULL;
}

static const char gso_size_why[] =
	"a GSO request of gso_max_size or more bytes: the kernel segments it in "
	"software before the driver (gso_features_check)";
static const char gso_segs_why[] =
	"a GSO request of more segments than the port's gso_max_segs: the kernel "
	"segments it in software before the driver (gso_features_check)";
static const char exthdr_why[] =
	"IPv6 extension headers on a port with tx-checksum-ipv6 only: the kernel "
	"segments it in software before the driver (gso_features_check)";

/* The segments a GSO request makes: its bytes past the L4 header over
 * gso_size. 0 when the header cannot be read (the kernel refuses it). */
static uint32_t gso_segments(const struct ofd_case *c, const struct ofd_vnet_hdr *h)
{
	const uint8_t *d = c->pkts[0].data;
	uint32_t len = c->pkts[0].len, l4 = h->csum_start, thlen = 8;
	uint8_t doff;

	if ((h->gso_type & ~OFD_VNET_GSO_ECN) != OFD_VNET_GSO_UDP_L4) {
		if (ofd_get_u8(d, len, l4 + 12, &doff))
			return 0;
		thlen = (uint32_t)(doff >> 4) * 4;
	}
	if (!h->gso_size || l4 + thlen >= len)
		return 0;
	return (len - l4 - thlen + h->gso_size - 1) / h->gso_size;
}

/*
 * gso_features_check: requests the kernel never hands a driver as GSO,
 * whatever its features (kernel-tx.md 4). NULL, or why the case is not
 * the device's work.
 */
static const char *software_gso(const struct iface *f, const struct ofd_case *c,
				const struct ofd_vnet_hdr *h)
{
	uint32_t l3, segs = gso_segments(c, h);
	bool v6 = l3_protocol(c->pkts[0].data, c->pkts[0].len, &l3) == 0x86dd;

	if (c->pkts[0].len >= (v6 ? f->gso_max_size : f->gso_ipv4_max_size))
		return gso_size_why;
	if (segs > f->gso_max_segs)
		return gso_segs_why;
	/* The kernel's test: a network header longer than the fixed one. */
	if (v6 && !(f->feat_on & 1u << IFEAT_CSUM_GENERIC) && h->csum_start != l3 + 40)
		return exthdr_why;
	return NULL;
}

static int send_marker(struct iface *f, uint64_t case_id)
{
	uint8_t m[OFD_MARKER_LEN];
	struct ofd_vnet_hdr h;

	memset(&h, 0, sizeof(h));
	ofd_marker_build(m, f->marker_src, ++f->marker_seq, case_id);
	return ofd_port_send(f->tx_fd, &h, m, sizeof(m));
}

/* 0: not a marker of this run; else its sequence number. */
static uint64_t marker_seq(const struct iface *f, const uint8_t *d, ssize_t n)
{
	uint64_t seq, id;

	if (!ofd_marker_parse(d, (uint32_t)n, &seq, &id) || memcmp(d + 6, f->marker_src, 6))
		return 0;
	return seq;
}

/* The send failed with errno e: what the kernel said about the request. */
static void send_refused(const struct iface *f, const struct ofd_case *c,
			 struct ofd_result *res, int e)
{
	res->err = e;
	if (e == EMSGSIZE) {
		/* The model's tap takes up to 65521; a real port less. */
		if (c->pkts[0].len > f->mtu + 18 && f->mtu < OFD_TAP_MAX_MTU)
			ofd_result_unsupported(res, mtu_why);
		else
			ofd_result_reject(res, OFD_REASON_FRAME_TOO_LONG, OFD_STAGE_SUBMIT);
	} else if (e == EINVAL && c->req.kind == OFD_REQ_LEGACY && c->req.skb_gso) {
		ofd_result_unsupported(res, einval_why);
	} else if (e == ENOBUFS || e == ENOMEM) {
		ofd_result_reject(res, OFD_REASON_DROPPED, OFD_STAGE_XMIT);
		res->detail = "the device port's queue refused it";
	} else {
		ofd_result_reject(res, OFD_REASON_SEND_EINVAL, OFD_STAGE_SUBMIT);
	}
	res->err = e;
}

/*
 * Read the wire until the case's frames and its marker are in, or the
 * bounded wait ends. Frames that are not the case's are foreign (other
 * traffic, or a frame of an earlier case that came after its wait).
 */
static int collect(struct iface *f, struct ofd_result *res, uint64_t seq)
{
	/* wait_ms is the longest silence: a 64 KB request at gso_size 1 is
	 * 65535 frames, which take longer than that to arrive in all. The
	 * hard limit keeps a device that never stops talking bounded too. */
	uint64_t start = now_ms(), deadline = start + (uint64_t)f->wait_ms, t;
	uint64_t hard = start + (uint64_t)f->wait_ms * 100;
	bool marker = false, full = false;
	int cut;

	for (;;) {
		ssize_t n = ofd_port_recv(f->cap_fd, f->buf, OFD_PORT_FRAME_MAX, &cut);
		uint64_t ms;

		if (n < 0)
			return (int)n;
		if (n == 0) {
			struct pollfd p = { .fd = f->cap_fd, .events = POLLIN };

			if ((marker && ofd_corr_all_done(f->corr)) || (t = now_ms()) >= deadline)
				break;
			poll(&p, 1, (int)(deadline - t));
			/* Only a remote's stream hangs up: its capture ended. */
			if (p.revents & (POLLHUP | POLLERR) && !(p.revents & POLLIN)) {
				ofd_pr_warn("iface: the remote capture ended\n");
				return -EPIPE;
			}
			continue;
		}
		ms = marker_seq(f, f->buf, n);
		if (ms) {
			/* Kept in the capture: it names the case before it. */
			if (f->wire && ms == seq)
				ofd_pcap_writer__write(f->wire, f->buf, (uint32_t)n,
						       now_usec_real());
			if (ms == seq) {
				marker = true;
				/* Reordering across queues: a short grace
				 * for frames still on their way. */
				if (!ofd_corr_all_done(f->corr) &&
				    deadline > now_ms() + MARKER_GRACE_MS)
					deadline = now_ms() + MARKER_GRACE_MS;
			}
			continue;
		}
		f->frames++;
		if (!marker) {
			t = now_ms() + (uint64_t)f->wait_ms;
			deadline = t < hard ? t : hard;
		}
		if (f->wire)
			ofd_pcap_writer__write(f->wire, f->buf, (uint32_t)n, now_usec_real());
		if (ofd_corr_match(f->corr, f->buf, (uint32_t)n) != 0) {
			f->foreign++;
			continue;
		}
		if (ofd_corr_matched(f->corr, 0) > ofd_corr_expected(f->corr, 0))
			f->late++;
		if (!full && ofd_result_add_copy(res, f->buf, (uint32_t)n) == -ENOSPC)
			full = true;
	}
	if (full)
		ofd_result_unsupported(res, "the device made more frames than a result slot holds");
	else if (ofd_port_drops(f->cap_fd) > 0)
		/* Frames the capture lost say nothing of the device. */
		ofd_result_unsupported(res, overrun_why);
	return 0;
}

static int run_one(struct iface *f, const struct ofd_case *c, struct ofd_result *res)
{
	struct ofd_vnet_hdr h;
	const char *why;
	int way = ofd_kernel_tx_way(c, f->mtu, &why), e;
	bool gso;

	if (way == OFD_TXWAY_NONE) {
		ofd_result_unsupported(res, why);
		return 0;
	}
	if (way == OFD_TXWAY_TUNNEL) {
		ofd_result_unsupported(res, tunnel_why);
		return 0;
	}
	ofd_kernel_tx_hdr(c, f->mtu, &h);
	gso = way == OFD_TXWAY_GSO && ofd_kpath(c, f->mtu) != OFD_KPATH_NOT_GSO;
	why = missing_feature(f, c, &h, gso);
	if (why) {
		ofd_result_unsupported(res, why);
		return 0;
	}
	e = ofd_corr_expect(f->corr, c, 1);
	if (e)
		return e;
	f->cases++;
	e = ofd_port_send(f->tx_fd, &h, c->pkts[0].data, c->pkts[0].len);
	if (e) {
		send_refused(f, c, res, -e);
		return 0;
	}
	e = send_marker(f, c->id);
	if (e)
		return e;
	e = collect(f, res, f->marker_seq);
	if (e)
		return e;
	if (res->status == OFD_RES_OK && !res->nframes) {
		f->dropped++;
		ofd_result_reject(res, OFD_REASON_DROPPED, OFD_STAGE_WIRE);
		res->detail = "nothing reached the wire within the wait (wait_ms)";
	}
	return 0;
}

int iface_run(void *priv, const struct ofd_case *cases, struct ofd_result *const *results,
	      unsigned int n)
{
	struct iface *f = priv;
	unsigned int i;
	int e;

	for (i = 0; i < n; i++) {
		if (cases[i].offload < OFD_OFFLOAD__MAX &&
		    (IFACE_RX_CAPS & OFD_CAP(cases[i].offload))) {
			e = iface_rx_run(f, &cases[i], results[i]);
			if (e)
				return e;
			continue;
		}
		if (cases[i].offload != OFD_OFFLOAD_TX_CSUM && cases[i].offload != OFD_OFFLOAD_TSO) {
			ofd_result_unsupported(results[i], "iface runs tx-csum and tso out, gro, rx-csum and rss in; dissect is not a device offload");
			continue;
		}
		e = run_one(f, &cases[i], results[i]);
		if (e)
			return e;
	}
	return 0;
}
