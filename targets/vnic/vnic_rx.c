// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * vnic_rx.c - the virtual NIC's receive path with hardware GRO on
 * (ofd_vnic_opts.hw_gro): frames from the wire are coalesced by the
 * emulator's gro device before they go up the device port.
 *
 * Batches. A NIC coalesces what arrives between two of its own flushes
 * (an interrupt, a moderation timer, a full aggregation context), and
 * which frames those are is timing: the same train may merge differently
 * twice. This device is offdiff's, so the batch boundary is explicit: the
 * frames of one batch are held until an iface marker frame (ofd_marker.h)
 * arrives on the wire, then the whole batch runs through the emulator's
 * gro offload as one NAPI batch (its last frame a flush point), every
 * resulting frame goes up, and then the marker, which closes the batch
 * for the reader on the device port too. The iface target writes a marker
 * after each batch of a train (iface_rx.c), so the device flushes exactly
 * where the kernel engine's NAPI poll does. A real NIC flushes on its own
 * timer instead; its earlier flushes are the judge's benign verdict, its
 * merges across a flush point a finding (explain_gro.c), so the marker is
 * a convenience for offdiff's own device, not something a device is
 * judged by.
 *
 * What goes up. Each frame with a virtio_net_hdr from the gro result's
 * metadata, as a driver hands the stack a HW-GRO skb: an aggregate as
 * TCP (or UDP_L4) GSO with NEEDS_CSUM, csum_start/csum_offset at its L4
 * checksum (CHECKSUM_PARTIAL: the field holds the pseudo-header seed, as
 * tcp_gro_complete leaves it); a single as it came, DATA_VALID when the
 * device validated its checksum. What tun then makes of it (kernel-rx.md
 * 7.1): a GSO skb from a vnet header is SKB_GSO_DODGY, and GRO never
 * merges a DODGY skb further; tun ignores DATA_VALID on write, so a
 * single arrives CHECKSUM_NONE. The device tap is IFF_NAPI (vnic.c), so
 * the kernel's software GRO runs on every frame as it does after a NIC
 * driver's napi_gro_receive, and validates a single's checksum itself
 * (CHECKSUM_UNNECESSARY, read back as DATA_VALID) exactly as it does on
 * the kernel engine's tap. Each write is its own NAPI poll (tun schedules
 * the NAPI and the softirq runs in the write's local_bh_enable) and the
 * tap's gro_flush_timeout is 0 (a fresh device in our own namespace), so
 * software GRO flushes after every frame: it never merges two frames the
 * device handed up apart, and what the reader sees is the device's
 * coalescing alone.
 *
 * rx-csum and rss through this device are unsupported, with the reasons
 * in iface_rx_csum.c: tun ignores DATA_VALID on write, so a checksum
 * claim made here never reaches the stack, and tun sets no skb->hash on
 * receive nor takes one from a written vnet header (check_iface_rx_csum.c
 * probes the running kernel for that).
 */
#include <endian.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/uio.h>
#include <unistd.h>

#include "ofd.h"
#include "ofd_marker.h"
#include "ofd_offload.h"
#include "vnic_internal.h"

/* Frames and bytes one batch may hold. A batch past either is flushed
 * early, as a NIC flushes when its aggregation contexts run out: the
 * judge calls an earlier flush benign. A train is at most
 * OFD_GRO_MAX_TRAIN (128) frames, so the corpus never gets here. */
#define VNIC_RX_MAX_PKTS 512
#define VNIC_RX_BUF (8u << 20)
#define VNIC_RX_OBUF (128 * 1024)

struct vnic_rx {
	const struct vnic_ports *p;
	struct ofd_engine *emu;
	uint8_t *buf;  /* the batch's frames, back to back */
	size_t used;
	struct ofd_pkt pkt[VNIC_RX_MAX_PKTS];
	unsigned int npkts;
	struct ofd_result *slot;
	uint8_t *obuf; /* one result frame, materialized */
	uint64_t batches;
	struct vnic_rx_stats *st;
};

/* The device tap's header: the legacy 10 bytes in host order, or the
 * 24-byte one little endian (TUNSETVNETLE), its tail (num_buffers, hash,
 * tunnel offsets) zero: no hash reported, no tunnel. */
static void put16(const struct vnic_ports *p, uint8_t *b, uint16_t v)
{
	if (p->le)
		v = htole16(v);
	memcpy(b, &v, 2);
}

static size_t hdr_of(const struct vnic_ports *p, const struct ofd_meta *m, uint8_t *b)
{
	memset(b, 0, VNIC_TNL_HDR_LEN);
	if (!(m->has & OFD_META_VNET))
		return p->hdr_len;
	b[0] = m->vnet.flags;
	b[1] = m->vnet.gso_type;
	/* hdr_len 0: tun raises it to csum_start + csum_offset + 2 for a
	 * NEEDS_CSUM frame; the result's hdr_len is what a reader's
	 * skb_headlen was, not a length to write with. */
	put16(p, b + 4, m->vnet.gso_size);
	put16(p, b + 6, m->vnet.csum_start);
	put16(p, b + 8, m->vnet.csum_offset);
	return p->hdr_len;
}

static void up(struct vnic_rx *rx, const struct ofd_meta *m, const uint8_t *d, uint32_t len)
{
	uint8_t h[VNIC_TNL_HDR_LEN];
	struct iovec iov[2] = { { h, hdr_of(rx->p, m, h) }, { (void *)d, len } };

	/* A tap's write is the port's receive: it does not block. */
	if (writev(rx->p->dev_tap, iov, 2) < 0)
		rx->st->up_errors++;
	else
		rx->st->frames_up++;
}

/* The held batch through the emulator's gro offload, its frames up. */
static int flush_batch(struct vnic_rx *rx)
{
	struct ofd_case c;
	struct ofd_result *r = rx->slot;
	uint32_t i;
	int err;

	if (!rx->npkts)
		return 0;
	memset(&c, 0, sizeof(c));
	c.id = rx->batches++;
	c.offload = OFD_OFFLOAD_GRO;
	c.req.kind = OFD_REQ_VNET; /* a gro case's request is empty (ofd_gro.h) */
	c.npkts = rx->npkts;
	c.pkts = rx->pkt;
	rx->pkt[rx->npkts - 1].flags = OFD_PKT_F_FLUSH_AFTER;
	ofd_result_reset(r);
	err = rx->emu->ops->run(rx->emu->priv, &c, &r, 1);
	rx->st->batches++;
	if (err < 0)
		return err;
	if (r->status != OFD_RES_OK) {
		/* Nothing the device can hand up: the batch is lost, as a
		 * NIC drops what its engine chokes on; counted. */
		rx->st->lost += rx->npkts;
	} else {
		for (i = 0; i < r->nframes; i++) {
			const struct ofd_frame *f = &r->frame[i];

			if (f->len > VNIC_RX_OBUF) {
				rx->st->up_errors++;
				continue;
			}
			ofd_frame_materialize(f, rx->obuf);
			up(rx, &f->meta, rx->obuf, f->len);
		}
	}
	if (r->arena_used > (1u << 20))
		ofd_result_trim(r);
	rx->npkts = 0;
	rx->used = 0;
	return 0;
}

int ofdint_vnic_rx_frame(struct vnic_rx *rx, const uint8_t *d, size_t len)
{
	static const struct ofd_meta none;
	uint64_t seq, id;
	int err;

	rx->st->frames_in++;
	if (ofd_marker_parse(d, (uint32_t)len, &seq, &id)) {
		/* The batch ends here: its frames first, then the marker,
		 * so the reader has them all when it sees the marker. */
		err = flush_batch(rx);
		up(rx, &none, d, (uint32_t)len);
		return err;
	}
	if (rx->npkts == VNIC_RX_MAX_PKTS || VNIC_RX_BUF - rx->used < len) {
		rx->st->early++;
		if ((err = flush_batch(rx)))
			return err;
		if (len > VNIC_RX_BUF)
			return 0; /* cannot be: a tap frame is at most 64 KB */
	}
	memcpy(rx->buf + rx->used, d, len);
	rx->pkt[rx->npkts].data = rx->buf + rx->used;
	rx->pkt[rx->npkts].len = (uint32_t)len;
	rx->pkt[rx->npkts].flags = 0;
	rx->npkts++;
	rx->used += (len + 63) & ~(size_t)63;
	if (rx->used > VNIC_RX_BUF)
		rx->used = VNIC_RX_BUF;
	return 0;
}

int ofdint_vnic_rx_new(const struct vnic_ports *p, struct ofd_engine *emu,
		       struct vnic_rx_stats *st, struct vnic_rx **out)
{
	struct vnic_rx *rx = calloc(1, sizeof(*rx));
	int err;

	if (!rx)
		return -ENOMEM;
	rx->p = p;
	rx->emu = emu;
	rx->st = st;
	rx->buf = malloc(VNIC_RX_BUF);
	rx->obuf = malloc(VNIC_RX_OBUF);
	err = ofd_result__new(ofd_cases_max_output(OFD_CAP(OFD_OFFLOAD_GRO)), &rx->slot);
	if (!err && (!rx->buf || !rx->obuf))
		err = -ENOMEM;
	if (err) {
		ofdint_vnic_rx_free(rx);
		return err;
	}
	*out = rx;
	return 0;
}

void ofdint_vnic_rx_free(struct vnic_rx *rx)
{
	if (!rx)
		return;
	ofd_result__free(rx->slot);
	free(rx->buf);
	free(rx->obuf);
	free(rx);
}
