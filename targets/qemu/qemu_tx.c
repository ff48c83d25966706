// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * qemu_tx.c - the qemu target's transmit direction, for every NIC model:
 * tx-csum and tso cases in batches (qe_tx_run), their frames read back
 * off the tap (qe_collect).
 *
 * A batch is as many cases as the ring and the buffer area hold: for
 * each, the descriptors its driver writes and, after them, a marker frame
 * naming the case. The device writes them (qe_tx_drv: e1000e.c for the
 * 8254x family, vmxnet3.c for vmxnet3), one register write sends the lot,
 * and the frames before each marker are that case's.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_internal.h"
#include "ofd_marker.h"
#include "ofd_port.h"

/* When the last marker of a batch is late: how long to wait for it. The
 * frames are normally all there when qtest answers the kick. */
#define QE_DRAIN_MS 2000

struct qe_batch *qe_batch_new(void)
{
	return calloc(1, sizeof(struct qe_batch));
}

unsigned int qe_batch_cases(const struct qemu *m, const unsigned int **idx)
{
	*idx = m->batch->idx;
	return m->batch->n;
}

/* Read the tap until the batch's last marker: frames go to the case
 * whose marker comes next. */
int qe_collect(struct qemu *m, struct qe_batch *b, struct ofd_result *const *res)
{
	unsigned int cur = 0; /* batch slot the next frame belongs to */
	bool full[QE_RING] = { false }, seen[QE_RING] = { false }, done = false;
	uint64_t seq, id;
	int cut, e;

	while (!done) {
		ssize_t n = ofd_port_recv(m->cap_fd, m->buf, OFD_PORT_FRAME_MAX, &cut);

		if (n < 0)
			return (int)n;
		if (n == 0) {
			struct pollfd p = { .fd = m->cap_fd, .events = POLLIN };

			e = poll(&p, 1, QE_DRAIN_MS);
			if (e < 0 && errno != EINTR)
				return -errno;
			if (e == 0)
				break;
			continue;
		}
		if (ofd_marker_parse(m->buf, (uint32_t)n, &seq, &id) &&
		    !memcmp(m->buf + 6, m->mac, 6)) {
			if (seq < b->seq0 || seq >= b->seq0 + b->n) {
				m->foreign++;
				continue;
			}
			if (seq - b->seq0 != cur)
				m->lost++;
			seen[seq - b->seq0] = true;
			cur = (unsigned int)(seq - b->seq0) + 1;
			done = cur == b->n;
			continue;
		}
		m->frames++;
		if (cur >= b->n) {
			m->foreign++;
			continue;
		}
		if (cut)
			full[cur] = true;
		else if (!full[cur] && ofd_result_add_copy(res[b->idx[cur]], m->buf, (uint32_t)n))
			full[cur] = true;
	}
	for (cur = 0; cur < b->n; cur++) {
		struct ofd_result *r = res[b->idx[cur]];

		if (!seen[cur]) {
			/* The device stopped before this case's marker: the
			 * case's own frames cannot be told apart from it. */
			ofd_result_fault(r, OFD_REASON_FAULT_ENGINE,
					 "QEMU did not transmit the frame after this case (the NIC model stopped)");
		} else if (full[cur]) {
			ofd_result_unsupported(r, "the device made more frames (or longer ones) than a result slot holds");
		} else if (!r->nframes) {
			ofd_result_reject(r, OFD_REASON_DROPPED, OFD_STAGE_WIRE);
			r->detail = "the NIC model sent nothing for the case";
		}
	}
	/* Frames the capture lost say nothing of the device: the batch's
	 * cases are skipped, not judged on what is left. */
	if (ofd_port_drops(m->cap_fd) > 0)
		for (cur = 0; cur < b->n; cur++)
			ofd_result_unsupported(res[b->idx[cur]],
					       "the tap capture lost frames (its socket buffer was full): not the device's doing");
	return 0;
}

int qe_tx_run(struct qemu *m, const struct ofd_case *cases, struct ofd_result *const *res,
	      unsigned int n, unsigned int *next)
{
	/* a model without a transmit side of its own is the 8254x family's */
	const struct qe_tx_drv *d = m->dev->tx ? m->dev->tx : &qe_tx_drv_8254x;
	struct qe_batch *bp = m->batch;
	union qe_tx_plan p;
	const char *why;
	unsigned int i = 0;
	int e;

	while (i < n) {
		bp->ndesc = 0;
		bp->buf_used = 0;
		bp->n = 0;
		bp->first = i;
		bp->seq0 = m->marker_seq + 1;
		for (; i < n; i++) {
			const struct ofd_case *c = &cases[i];

			if (c->offload != OFD_OFFLOAD_TX_CSUM && c->offload != OFD_OFFLOAD_TSO) {
				/* rx-csum and rss: qe_rx_run answers them after */
				why = qe_offload_why(c->offload, false);
				ofd_result_unsupported(res[i], why ? why : "a receive case");
				continue;
			}
			if (c->npkts != 1 || !c->pkts[0].len) {
				ofd_result_unsupported(res[i], "not one non-empty frame");
				continue;
			}
			if (d->plan(m, c, &p, &why)) {
				ofd_result_unsupported(res[i], why);
				continue;
			}
			/* Room for the whole case, or the batch ends here. */
			if (!d->room(bp, &p))
				break;
			e = d->add_case(m, bp, c, &p);
			if (e)
				return e;
			bp->idx[bp->n++] = i;
			m->cases++;
		}
		if (!bp->n)
			continue;
		m->marker_seq += bp->n;
		m->batches++;
		*next = i;
		e = d->kick(m, bp);
		if (e)
			return e;
		e = qe_collect(m, bp, res);
		if (e)
			return e;
	}
	*next = n;
	return 0;
}

void qe_drain(struct qemu *m)
{
	int cut;

	while (ofd_port_recv(m->cap_fd, m->buf, OFD_PORT_FRAME_MAX, &cut) > 0)
		m->foreign++;
	ofd_port_drops(m->cap_fd);
}

int qe_tcp_gso_kind(const struct ofd_case *c, const struct qe_gso_whys *w, bool *v6,
		    const char **why)
{
	const struct ofd_vnet_hdr *h = &c->req.vnet;
	uint32_t len = c->pkts[0].len;

	if (c->req.kind == OFD_REQ_LEGACY) {
		uint32_t g = c->req.skb_gso & ~OFD_SKB_GSO_DODGY;

		if (!g)
			return 0;
		if (g & (OFD_SKB_GSO_UDP | OFD_SKB_GSO_UDP_L4))
			*why = w->udp;
		else if (g & (OFD_SKB_GSO_GRE | OFD_SKB_GSO_GRE_CSUM | OFD_SKB_GSO_IPXIP4 |
			      OFD_SKB_GSO_IPXIP6 | OFD_SKB_GSO_UDP_TUNNEL |
			      OFD_SKB_GSO_UDP_TUNNEL_CSUM))
			*why = w->tunnel;
		else if (g & OFD_SKB_GSO_TCP_ECN)
			*why = w->ecn;
		else if (g & ~(OFD_SKB_GSO_TCPV4 | OFD_SKB_GSO_TCPV6))
			*why = w->bits;
		else {
			*v6 = g & OFD_SKB_GSO_TCPV6;
			return 2;
		}
		return 1;
	}
	if (h->gso_type == OFD_VNET_GSO_NONE)
		return 0;
	if (h->gso_type & OFD_VNET_GSO_ECN) {
		*why = w->ecn;
		return 1;
	}
	if (h->gso_type != OFD_VNET_GSO_TCPV4 && h->gso_type != OFD_VNET_GSO_TCPV6) {
		*why = w->udp;
		return 1;
	}
	/* virtio_net_hdr_to_skb leaves a request whose bytes past the TCP
	 * header's first 20 fit in one segment non-GSO ("too small packets
	 * are not really GSO ones", ofd.h): the driver sees a plain
	 * CHECKSUM_PARTIAL skb. */
	if (len < (uint32_t)h->csum_start + 20 || len - h->csum_start - 20 <= h->gso_size)
		return 0;
	*v6 = h->gso_type == OFD_VNET_GSO_TCPV6;
	return 2;
}
