// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * vnic_device.c - the virtual NIC's hardware: what the device process does
 * once its ports are up (vnic.c).
 *
 * Each read on the device tap is one request the kernel's tun driver handed
 * the device: a virtio_net_hdr (tun's virtio_net_hdr_from_skb, or the
 * 24-byte tunnel form) and the frame. It becomes one case for the emulator:
 * tso when the header has a GSO type, tx-csum when it says NEEDS_CSUM, and
 * otherwise nothing for the device to do, so the frame goes out unchanged.
 * Every frame the emulator gives is written into the wire tap, where the
 * wire port receives it as from a peer; a request the emulator refuses or
 * drops puts nothing on the wire, as a driver's dropped descriptor would,
 * and is counted.
 *
 * The other way, frames from the wire go up the device port (wire_batch):
 * at once and claiming nothing, or, with hardware GRO on, coalesced per
 * batch by the emulator's gro device (vnic_rx.c).
 *
 * A campaign pushes ~100k cases through here, so requests are read in
 * batches (non-blocking, until EAGAIN or the batch is full) and the engine
 * runs once per batch; every buffer and result slot is made once, nothing
 * is allocated per frame.
 */
#include <endian.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_run.h"
#include "ofd_offload.h"
#include "vnic_internal.h"

#define VNIC_BATCH 64
/* Room one read must have: the largest GSO request tun hands over (64 KB
 * of skb plus the header), with margin; a read is never truncated. */
#define VNIC_REQ_ROOM (VNIC_TNL_HDR_LEN + 128 * 1024)
#define VNIC_RBUF (4u << 20)
#define VNIC_OBUF (128 * 1024)

struct vnic_stats {
	unsigned long long requests, csum, tso, unchanged, frames_out, refused,
		unsupported, faults, short_reads, write_errors, frames_in, in_errors;
};

struct vnic_dev {
	const struct vnic_ports *p;
	struct ofd_engine *emu;
	uint8_t *rbuf;  /* a batch of requests, back to back */
	uint8_t *obuf;  /* one patched frame, materialized */
	uint8_t *ibuf;  /* one frame from the wire */
	struct ofd_pkt pkt[VNIC_BATCH];
	struct ofd_case ecase[VNIC_BATCH];
	struct ofd_result *slot[VNIC_BATCH];
	int eidx[VNIC_BATCH]; /* request i: its case, or -1 (unchanged) */
	struct vnic_stats st;
	struct vnic_rx *rx;   /* hardware GRO on the receive path, or NULL */
	struct vnic_rx_stats rx_st;
};

static volatile sig_atomic_t vnic_stop;

static void on_stop(int sig)
{
	(void)sig;
	vnic_stop = 1;
}

static uint16_t rd16(const struct vnic_ports *p, const uint8_t *b)
{
	uint16_t v;

	memcpy(&v, b, 2);
	/* TUNSETVNETLE (the 24-byte header): little endian; otherwise the
	 * legacy header is in host order. */
	return p->le ? le16toh(v) : v;
}

/*
 * What a descriptor-driven NIC's driver tells it of a checksum request:
 * the L3 and L4 type of the header at csum_start, and whether that is a
 * tunnel's inner one (skb->encapsulation), as ixgbe or e1000e derive
 * their descriptor bits from the skb. A request that names no TCP or UDP
 * header stays generic: the kernel checksums such skbs in software before
 * a protocol-specific driver sees them (can_checksum_protocol).
 */
static void descriptor_request(const struct ofd_pkt *pkt, struct ofd_case *c)
{
	struct ofd_request stack;

	/* The stack's protocol-specific request for this frame (the one
	 * the campaign's LEGACY cases carry), when it names the same
	 * checksum; SCTP's CRC32c never comes through virtio_net_hdr. */
	if (ofd_txcsum_request(pkt->data, pkt->len, OFD_REQ_LEGACY, &stack, NULL) ||
	    stack.vnet.csum_start != c->req.vnet.csum_start ||
	    !(stack.legacy & (OFD_LEGACY_TCP | OFD_LEGACY_UDP)))
		return;
	c->req.kind = OFD_REQ_LEGACY;
	c->req.legacy = stack.legacy;
}

/*
 * One request into case c. 1 when it is a case for the emulator, 0 when
 * the device has nothing to do (no checksum, no segmentation).
 */
static int request_case(const struct vnic_ports *p, const uint8_t *b, struct ofd_pkt *pkt,
			struct ofd_case *c, uint64_t id)
{
	struct ofd_vnet_hdr *h = &c->req.vnet;
	uint8_t gso;

	memset(c, 0, sizeof(*c));
	c->id = id;
	c->npkts = 1;
	c->pkts = pkt;
	c->req.kind = OFD_REQ_VNET;
	c->req.csum_type = OFD_CSUM_INET;
	h->flags = b[0];
	h->gso_type = b[1];
	h->hdr_len = rd16(p, b + 2);
	h->gso_size = rd16(p, b + 4);
	h->csum_start = rd16(p, b + 6);
	h->csum_offset = rd16(p, b + 8);
	gso = h->gso_type & (uint8_t)~OFD_VNET_GSO_ECN;

	if (p->hdr_len >= VNIC_TNL_HDR_LEN &&
	    (gso & (VNIC_TNL_GSO_IPV4 | VNIC_TNL_GSO_IPV6))) {
		/* UDP tunnel GSO: what virtio_net_hdr cannot say, the stack's
		 * SKB_GSO bits can; the emulator's tso parses the frame for
		 * the outer and inner headers (the offsets at bytes 20-23 say
		 * the same). */
		uint8_t inner = gso & (uint8_t)~(VNIC_TNL_GSO_IPV4 | VNIC_TNL_GSO_IPV6);
		bool v6 = gso & VNIC_TNL_GSO_IPV6;

		c->offload = OFD_OFFLOAD_TSO;
		c->req.kind = OFD_REQ_LEGACY;
		c->req.skb_gso = (h->flags & VNIC_TNL_F_CSUM) ? OFD_SKB_GSO_UDP_TUNNEL_CSUM :
							       OFD_SKB_GSO_UDP_TUNNEL;
		c->req.skb_gso |= inner == OFD_VNET_GSO_TCPV4 ? OFD_SKB_GSO_TCPV4 :
				  inner == OFD_VNET_GSO_TCPV6 ? OFD_SKB_GSO_TCPV6 :
								OFD_SKB_GSO_UDP_L4;
		if (h->gso_type & OFD_VNET_GSO_ECN)
			c->req.skb_gso |= OFD_SKB_GSO_TCP_ECN;
		c->req.legacy = (uint8_t)(OFD_LEGACY_TUNNEL |
					  (v6 ? OFD_LEGACY_IPV6 : OFD_LEGACY_IPV4) |
					  (inner == OFD_VNET_GSO_UDP_L4 ? OFD_LEGACY_UDP :
									  OFD_LEGACY_TCP));
		h->gso_type = (uint8_t)(inner | (h->gso_type & OFD_VNET_GSO_ECN));
		h->flags &= (uint8_t)~VNIC_TNL_F_CSUM;
		return 1;
	}
	if (gso != OFD_VNET_GSO_NONE) {
		c->offload = OFD_OFFLOAD_TSO;
		return 1;
	}
	if (h->flags & OFD_VNET_F_NEEDS_CSUM) {
		c->offload = OFD_OFFLOAD_TX_CSUM;
		if (p->protocol_csum)
			descriptor_request(pkt, c);
		return 1;
	}
	return 0;
}

static void wire_write(struct vnic_dev *d, const struct iovec *iov, int n)
{
	/* A tap's write is the port's receive: it does not block. */
	if (writev(d->p->wire_tap, iov, n) < 0)
		d->st.write_errors++;
	else
		d->st.frames_out++;
}

static void emit(struct vnic_dev *d, const struct ofd_frame *f)
{
	struct iovec iov[2];

	if (!f->npatches) {
		/* new headers plus a piece of the input: no copy */
		iov[0].iov_base = (void *)f->base;
		iov[0].iov_len = f->len - f->tail_len;
		iov[1].iov_base = (void *)f->tail;
		iov[1].iov_len = f->tail_len;
		wire_write(d, iov, f->tail_len ? 2 : 1);
		return;
	}
	if (f->len > VNIC_OBUF) {
		d->st.write_errors++;
		return;
	}
	ofd_frame_materialize(f, d->obuf);
	iov[0].iov_base = d->obuf;
	iov[0].iov_len = f->len;
	wire_write(d, iov, 1);
}

/* Requests from the device tap: one batch. The number read, or -errno. */
static int dev_batch(struct vnic_dev *d)
{
	const struct vnic_ports *p = d->p;
	unsigned int n = 0, ne = 0, i, j;
	size_t off = 0;
	int err;

	while (n < VNIC_BATCH && VNIC_RBUF - off >= VNIC_REQ_ROOM) {
		ssize_t r = read(p->dev_tap, d->rbuf + off, VNIC_REQ_ROOM);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			return -errno;
		}
		if ((size_t)r < p->hdr_len) {
			d->st.short_reads++;
			continue;
		}
		d->pkt[n].data = d->rbuf + off + p->hdr_len;
		d->pkt[n].len = (uint32_t)((size_t)r - p->hdr_len);
		d->pkt[n].flags = 0;
		if (request_case(p, d->rbuf + off, &d->pkt[n], &d->ecase[ne], d->st.requests)) {
			d->eidx[n] = (int)ne;
			ofd_result_reset(d->slot[ne]);
			ne++;
		} else {
			d->eidx[n] = -1;
		}
		d->st.requests++;
		off += ((size_t)r + 63) & ~(size_t)63;
		n++;
	}
	if (ne && (err = d->emu->ops->run(d->emu->priv, d->ecase, d->slot, ne)) < 0)
		return err;
	for (i = 0; i < n; i++) {
		struct ofd_result *res;

		if (d->eidx[i] < 0) {
			struct iovec iov = { (void *)d->pkt[i].data, d->pkt[i].len };

			d->st.unchanged++;
			wire_write(d, &iov, 1);
			continue;
		}
		res = d->slot[d->eidx[i]];
		if (d->ecase[d->eidx[i]].offload == OFD_OFFLOAD_TSO)
			d->st.tso++;
		else
			d->st.csum++;
		switch (res->status) {
		case OFD_RES_OK:
			for (j = 0; j < res->nframes; j++)
				emit(d, &res->frame[j]);
			break;
		case OFD_RES_REJECTED:
			d->st.refused++;
			break;
		case OFD_RES_UNSUPPORTED:
			d->st.unsupported++;
			break;
		default:
			d->st.faults++;
			break;
		}
		/* a 64 KB gso_size-1 case committed megabytes: give them back */
		if (res->arena_used > (1u << 20) || res->nframes > 4096)
			ofd_result_trim(res);
	}
	return (int)n;
}

/*
 * Frames a peer put on the wire port (sent out of it, so readable on its
 * tap) go up the device port, as a NIC's receive path would hand them to
 * the kernel. Without hardware GRO the header claims nothing (flags 0:
 * CHECKSUM_NONE, no GRO'd super-packet) and each frame goes up at once;
 * with it (vnic_rx.c) frames are held per batch and go up coalesced, with
 * the gro result's metadata. Still to come: DATA_VALID for rx-csum, the
 * hash for RSS (the 24-byte header has its hash_value/hash_report).
 */
static int wire_batch(struct vnic_dev *d)
{
	static const uint8_t zero_hdr[VNIC_TNL_HDR_LEN];
	const struct vnic_ports *p = d->p;
	struct iovec iov[2];
	int n, err;

	for (n = 0; n < VNIC_BATCH; n++) {
		ssize_t r = read(p->wire_tap, d->ibuf, VNIC_REQ_ROOM);

		if (r < 0) {
			if (errno == EINTR)
				continue;
			if (errno == EAGAIN)
				break;
			return -errno;
		}
		if (d->rx) {
			if ((err = ofdint_vnic_rx_frame(d->rx, d->ibuf, (size_t)r)))
				return err;
			continue;
		}
		iov[0].iov_base = (void *)zero_hdr;
		iov[0].iov_len = p->hdr_len;
		iov[1].iov_base = d->ibuf;
		iov[1].iov_len = (size_t)r;
		if (writev(p->dev_tap, iov, 2) < 0)
			d->st.in_errors++;
		else
			d->st.frames_in++;
	}
	return n;
}

static void print_stats(const struct vnic_stats *s, const struct vnic_rx_stats *rs,
			const char *how, bool verbose)
{
	/* the log of a named device; a private one's caller asks for debug */
	ofd_pr(verbose ? OFD_WARN : OFD_DEBUG,
		"vnic: %s: %llu requests (%llu tx-csum, %llu tso, %llu unchanged), "
		"%llu frames to the wire, %llu refused, %llu unsupported, %llu faults, "
		"%llu short reads, %llu write errors; %llu frames from the wire (%llu errors)\n",
		how, s->requests, s->csum, s->tso, s->unchanged, s->frames_out, s->refused,
		s->unsupported, s->faults, s->short_reads, s->write_errors, s->frames_in,
		s->in_errors);
	if (rs)
		ofd_pr(verbose ? OFD_WARN : OFD_DEBUG,
		       "vnic: hardware GRO: %llu frames from the wire in %llu batches (%llu flushed early), "
		       "%llu frames up, %llu errors, %llu frames lost\n",
		       rs->frames_in, rs->batches, rs->early, rs->frames_up, rs->up_errors,
		       rs->lost);
}

int ofdint_vnic_serve(const struct vnic_ports *p, struct ofd_engine *emu)
{
	struct vnic_dev *d = calloc(1, sizeof(*d));
	struct pollfd pfd[2] = { { .fd = p->dev_tap, .events = POLLIN },
				 { .fd = p->wire_tap, .events = POLLIN } };
	uint32_t cap = ofd_cases_max_output(OFD_CAP(OFD_OFFLOAD_TX_CSUM) |
					    OFD_CAP(OFD_OFFLOAD_TSO));
	struct sigaction sa = { .sa_handler = on_stop };
	sigset_t block, wait;
	unsigned int i;
	int err = 0, a, b;

	if (!d)
		return -ENOMEM;
	d->p = p;
	d->emu = emu;
	d->rbuf = malloc(VNIC_RBUF);
	d->obuf = malloc(VNIC_OBUF);
	d->ibuf = malloc(VNIC_REQ_ROOM);
	for (i = 0; i < VNIC_BATCH && !err; i++)
		err = ofd_result__new(cap, &d->slot[i]);
	if (!err && (!d->rbuf || !d->obuf || !d->ibuf))
		err = -ENOMEM;
	if (!err && p->hw_gro)
		err = ofdint_vnic_rx_new(p, emu, &d->rx_st, &d->rx);
	if (err)
		goto out;

	/* SIGTERM/SIGINT/SIGHUP are seen only inside ppoll: a batch is
	 * always finished, and the taps vanish with the process. */
	sigemptyset(&block);
	sigaddset(&block, SIGTERM);
	sigaddset(&block, SIGINT);
	sigaddset(&block, SIGHUP);
	sigprocmask(SIG_BLOCK, &block, &wait);
	sigdelset(&wait, SIGTERM);
	sigdelset(&wait, SIGINT);
	sigdelset(&wait, SIGHUP);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);

	while (!vnic_stop) {
		a = dev_batch(d);
		b = a < 0 ? 0 : wire_batch(d);
		if (a < 0 || b < 0) {
			err = a < 0 ? a : b;
			fprintf(stderr, "vnic: tap read: %s\n", strerror(-err));
			break;
		}
		if (a || b)
			continue;
		if (ppoll(pfd, 2, NULL, &wait) < 0 && errno != EINTR) {
			err = -errno;
			break;
		}
	}
	print_stats(&d->st, d->rx ? &d->rx_st : NULL, err ? "failed" : "stopped",
		    p->verbose || err);
out:
	for (i = 0; i < VNIC_BATCH; i++)
		ofd_result__free(d->slot[i]);
	ofdint_vnic_rx_free(d->rx);
	free(d->rbuf);
	free(d->obuf);
	free(d->ibuf);
	free(d);
	return err;
}
