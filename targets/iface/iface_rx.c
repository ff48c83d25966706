// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * iface_rx.c - the iface target's data path for RX offloads (gro, and
 * rx-csum as a train of one frame: iface_rx_csum.c reads its state; rss
 * is iface_rss.c's, which reads hash and queue its own way): a train's
 * frames go onto the wire from the peer port, and
 * what the device's receive path delivers to the kernel is read on the
 * device port with AF_PACKET + PACKET_VNET_HDR.
 *
 * That read is after the device (hardware GRO, LRO) and after the kernel's
 * software GRO on the port, at the same point where the kernel engine
 * reads its tap (kernel_rx.c, kernel-rx.md 7.3), and each frame comes back
 * in the kernel engine's form: the bytes after the virtio_net_hdr, its
 * header as virtio_net_hdr_from_skb filled it, the checksum state that
 * header says (NEEDS_CSUM: PARTIAL, DATA_VALID: UNNECESSARY, else NONE).
 * So the diff compares like with like.
 *
 * Batch boundaries: after each batch of a train (its frames up to one with
 * OFD_PKT_F_FLUSH_AFTER) the peer sends a marker frame (ofd_marker.h), and
 * the reader reads up to it. offdiff's virtual NIC flushes its coalescing
 * at a marker (vnic_rx.c), so its batches are the kernel engine's NAPI
 * batches exactly. A real NIC flushes on its own timer (interrupt
 * moderation, an LRO/RSC timeout) and never sees the marker as anything
 * but another frame: it may flush earlier than the kernel engine (the
 * judge's benign earlier-flush verdict), or merge across a batch boundary
 * when the batch's frames and the next's reach it within one of its own
 * windows (a merged-across-flush finding; a real NIC's window is a few
 * microseconds to a jiffy, and the peer writes the next batch only after
 * the previous marker is read back, so this needs a slow flush). That is
 * the device's choice, and the verdicts say which it made. What a real
 * NIC still holds when the last marker comes up is read for a short grace
 * (RX_GRACE_MS) afterwards; frames that come later still are counted late
 * and dropped at the next case's start.
 *
 * Frames are the case's when their Ethernet addresses are those of one of
 * its frames (a coalesced frame keeps the first segment's headers, a
 * passed one its own); anything else on the port is foreign traffic and
 * ignored.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>

#include "iface_internal.h"
#include "ofd_marker.h"
#include "ofd_netns.h"
#include "ofd_offload.h"
#include "ofd_port.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

#define RX_VNET_LEN 10
/* The largest frame GRO hands up: an IP datagram of 65535 bytes (the
 * default gro_max_size, kernel-rx.md 1.7) behind its link header, and
 * room for tags; anything longer is read cut, and said so. */
#define RX_BUF (RX_VNET_LEN + 65536 + 64)
/* How long a real NIC gets after the last marker for what it still holds
 * (see the top comment); offdiff's own NIC needs none. */
#define RX_GRACE_MS 5

static const char remote_why[] =
	"RX offloads through a peer on another host: the peer would have to send "
	"the train (not yet: run the peer here)";
static const char mtu_why[] = "a train frame longer than the peer port's MTU";
static const char queue_why[] = "the peer port's queue refused a train frame: not the device's doing";
static const char cut_why[] =
	"the device handed up a frame longer than offdiff reads (64 KB): not judged";
static const char overrun_why[] =
	"the device port's capture lost frames (its socket buffer was full): not the device's doing";
static const char full_why[] = "the device handed up more frames than a result slot holds";

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000 + (uint64_t)ts.tv_nsec / 1000000;
}

int iface_rx_open(struct iface *f)
{
	struct sockaddr_ll sll = { .sll_family = AF_PACKET,
				   .sll_protocol = htons(ETH_P_ALL),
				   .sll_ifindex = f->port_ifindex };
	int one = 1, big = 256 << 20, s;

	f->rx_buf = malloc(RX_BUF);
	if (!f->rx_buf)
		return -ENOMEM;
	/* The peer sends the train: a send socket there, without any
	 * request (a zero virtio_net_hdr), so the peer changes nothing. */
	f->ptx_fd = ofd_port_open_tx(f->peer_ns, f->peer_ifindex);
	if (f->ptx_fd < 0)
		return f->ptx_fd;
	s = ofd_netns_socket(f->port_ns, AF_PACKET, SOCK_RAW, 0);
	if (s < 0)
		return s;
	f->rx_fd = s;
	/* PACKET_VNET_HDR before bind: each read starts with the header
	 * virtio_net_hdr_from_skb fills (kernel-rx.md 7.3). Our own
	 * outgoing frames (NIC loopback sends on this port) are not the
	 * device's receive. */
	if (setsockopt(s, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) ||
	    setsockopt(s, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one, sizeof(one)))
		return -errno;
	if (setsockopt(s, SOL_SOCKET, SO_RCVBUFFORCE, &big, sizeof(big)))
		setsockopt(s, SOL_SOCKET, SO_RCVBUF, &big, sizeof(big));
	if (bind(s, (struct sockaddr *)&sll, sizeof(sll)))
		return -errno;
	return 0;
}

void iface_rx_close(struct iface *f)
{
	if (f->rx_fd >= 0)
		close(f->rx_fd);
	if (f->ptx_fd >= 0)
		close(f->ptx_fd);
	f->rx_fd = f->ptx_fd = -1;
	free(f->rx_buf);
	f->rx_buf = NULL;
}

/* The legacy header, host order (what AF_PACKET speaks). */
static void vnet_get(struct ofd_vnet_hdr *h, const uint8_t *b)
{
	h->flags = b[0];
	h->gso_type = b[1];
	memcpy(&h->hdr_len, b + 2, 2);
	memcpy(&h->gso_size, b + 4, 2);
	memcpy(&h->csum_start, b + 6, 2);
	memcpy(&h->csum_offset, b + 8, 2);
}

/* One frame read on the port, as kernel_rx.c keeps it: -ENOSPC when the
 * slot is full. n >= RX_VNET_LEN. */
static int add_frame(struct ofd_result *res, const uint8_t *b, size_t n)
{
	struct ofd_frame *fr;
	uint8_t *data;

	fr = ofd_result_add_new(res, (uint32_t)(n - RX_VNET_LEN), &data);
	if (!fr)
		return -ENOSPC;
	memcpy(data, b + RX_VNET_LEN, n - RX_VNET_LEN);
	memset(&fr->meta, 0, sizeof(fr->meta));
	fr->meta.has = OFD_META_VNET | OFD_META_CSUM_STATE;
	vnet_get(&fr->meta.vnet, b);
	/* What the stack concluded, as virtio_net_hdr_from_skb says it. */
	if (fr->meta.vnet.flags & OFD_VNET_F_NEEDS_CSUM)
		fr->meta.csum_state = OFD_CSUM_STATE_PARTIAL;
	else if (fr->meta.vnet.flags & OFD_VNET_F_DATA_VALID)
		fr->meta.csum_state = OFD_CSUM_STATE_UNNECESSARY;
	else
		fr->meta.csum_state = OFD_CSUM_STATE_NONE;
	return 0;
}

/* Whether frame d (len bytes) carries the Ethernet addresses of one of the
 * case's frames. */
static bool ours(const struct ofd_case *c, const uint8_t *d, size_t len)
{
	uint32_t i;

	if (len < 12)
		return false;
	for (i = 0; i < c->npkts; i++)
		if (c->pkts[i].len >= 12 && !memcmp(c->pkts[i].data, d, 12))
			return true;
	return false;
}

/* 0: not a marker of this run; else its sequence number. */
static uint64_t marker_seq(const struct iface *f, const uint8_t *d, size_t n)
{
	uint64_t seq, id;

	if (n < 12 || !ofd_marker_parse(d, (uint32_t)n, &seq, &id) ||
	    memcmp(d + 6, f->marker_src, 6))
		return 0;
	return seq;
}

struct rx_read {
	bool full, cut, marker;
};

/*
 * Read the port until marker seq is in (it closes the batch) or the wait
 * ends: wait_ms of silence, and once the marker is in, grace_ms more
 * (0: stop at the marker). res NULL: every frame is late and dropped;
 * with seq 0 what is queued now, else up to that marker.
 */
static int read_port(struct iface *f, const struct ofd_case *c, struct ofd_result *res,
		     uint64_t seq, int grace_ms, struct rx_read *st)
{
	uint64_t deadline = now_ms() + (uint64_t)(res || seq ? f->wait_ms : 0), t;

	for (;;) {
		ssize_t n = recv(f->rx_fd, f->rx_buf, RX_BUF, MSG_DONTWAIT | MSG_TRUNC);
		const uint8_t *d = f->rx_buf + RX_VNET_LEN;
		size_t len;
		uint64_t ms;
		int e;

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno != EAGAIN && errno != EWOULDBLOCK)
			return -errno;
		if (n < 0) {
			struct pollfd p = { .fd = f->rx_fd, .events = POLLIN };

			if ((st->marker && !grace_ms) || (t = now_ms()) >= deadline)
				return 0;
			poll(&p, 1, (int)(deadline - t));
			continue;
		}
		if (n < RX_VNET_LEN)
			continue; /* cannot be: every read starts with the header */
		if ((size_t)n > RX_BUF) {
			st->cut = true;
			continue;
		}
		len = (size_t)n - RX_VNET_LEN;
		ms = marker_seq(f, d, len);
		if (ms) {
			if (ms == seq) {
				st->marker = true;
				deadline = now_ms() + (uint64_t)grace_ms;
			}
			continue;
		}
		if (!res || !ours(c, d, len)) {
			if (res)
				f->foreign++;
			else
				f->late++;
			continue;
		}
		f->rx_frames++;
		if (!st->marker) {
			t = now_ms() + (uint64_t)f->wait_ms;
			deadline = t;
		}
		e = st->full ? 0 : add_frame(res, f->rx_buf, (size_t)n);
		if (e == -ENOSPC)
			st->full = true;
		else if (e)
			return e;
	}
}

static int send_marker(struct iface *f, uint64_t case_id)
{
	uint8_t m[OFD_MARKER_LEN];
	struct ofd_vnet_hdr h;

	memset(&h, 0, sizeof(h));
	ofd_marker_build(m, f->marker_src, ++f->marker_seq, case_id);
	return ofd_port_send(f->ptx_fd, &h, m, sizeof(m));
}

static int run_one(struct iface *f, const struct ofd_case *c, struct ofd_result *res)
{
	struct ofd_vnet_hdr zero;
	struct rx_read st = { 0 };
	uint32_t i;
	int e;

	if (!c->npkts || !c->pkts) {
		ofd_result_unsupported(res, "a case without input frames");
		return 0;
	}
	for (i = 0; i < c->npkts; i++) {
		if (!c->pkts[i].data && c->pkts[i].len) {
			ofd_result_unsupported(res, "a frame without bytes");
			return 0;
		}
	}
	/* An earlier case's stragglers are not this one's. */
	e = read_port(f, c, NULL, 0, 0, &st);
	if (e)
		return e;
	f->rx_cases++;
	memset(&zero, 0, sizeof(zero));
	for (i = 0; i < c->npkts; i++) {
		bool last = i + 1 == c->npkts;

		e = ofd_port_send(f->ptx_fd, &zero, c->pkts[i].data, c->pkts[i].len);
		if (e == -EMSGSIZE || e == -ENOBUFS || e == -ENOMEM) {
			/* The peer refused it, not the device. What the
			 * device holds of this batch is flushed by a marker
			 * and read away here, not merged into the next
			 * case's first batch. */
			ofd_result_unsupported(res, e == -EMSGSIZE ? mtu_why : queue_why);
			if ((e = send_marker(f, c->id)))
				return e;
			st.marker = false;
			return read_port(f, c, NULL, f->marker_seq, 0, &st);
		}
		if (e)
			return e;
		if (!(c->pkts[i].flags & OFD_PKT_F_FLUSH_AFTER) && !last)
			continue;
		/* The batch ends: its marker, then what the device made of
		 * it, up to the marker (and a real NIC's grace after the
		 * train's last). */
		if ((e = send_marker(f, c->id)))
			return e;
		st.marker = false;
		e = read_port(f, c, res, f->marker_seq, last && !f->have_vnic ? RX_GRACE_MS : 0,
			      &st);
		if (e)
			return e;
		if (!st.marker)
			break; /* the device lost the marker: the wait is over */
	}
	if (res->status != OFD_RES_OK)
		return 0;
	if (st.cut)
		ofd_result_unsupported(res, cut_why);
	else if (st.full)
		ofd_result_unsupported(res, full_why);
	else if (ofd_port_drops(f->rx_fd) > 0)
		ofd_result_unsupported(res, overrun_why);
	else if (!st.marker && !res->nframes) {
		f->dropped++;
		ofd_result_reject(res, OFD_REASON_DROPPED, OFD_STAGE_WIRE);
		res->detail = "nothing came up the device port within the wait (wait_ms)";
	}
	return 0;
}

int iface_rx_run(struct iface *f, const struct ofd_case *c, struct ofd_result *res)
{
	int e;

	if (f->remote_peer) {
		ofd_result_unsupported(res, remote_why);
		return 0;
	}
	if (f->rx_fd < 0) {
		ofd_result_unsupported(res, "the iface target was opened without RX offloads");
		return 0;
	}
	switch (c->offload) {
	case OFD_OFFLOAD_GRO:
		return run_one(f, c, res);
	case OFD_OFFLOAD_RX_CSUM:
		/* iface_rx_csum.c says why each of these is not run. */
		if (f->have_vnic) {
			ofd_result_unsupported(res, iface_vnic_csum_why);
			return 0;
		}
		if (!f->rx_gro_off) {
			ofd_result_unsupported(res, iface_csum_gro_why);
			return 0;
		}
		if (!iface_rx_csum_case_ok(c, res))
			return 0;
		e = run_one(f, c, res);
		return e ? e : iface_rx_csum_answer(c, res);
	case OFD_OFFLOAD_RSS:
		if (f->have_vnic) {
			ofd_result_unsupported(res, iface_vnic_rss_why);
			return 0;
		}
		return iface_rss_run(f, c, res);
	default:
		ofd_result_unsupported(res, "not an RX offload iface runs");
		return 0;
	}
}
