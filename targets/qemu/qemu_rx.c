// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * qemu_rx.c - the qemu target's receive direction: rx-csum and rss cases
 * through QEMU's e1000e, programmed as the Linux e1000e driver programs it
 * (drivers/net/ethernet/intel/e1000e/netdev.c, Linux 6.18):
 *
 *  - e1000e_setup_rss_hash: RSSRK from netdev_rss_key_fill (here: the rss
 *    model's key, so model and device hash with one key), RETA all 0 (one
 *    queue), RXCSUM |= PCSD ("so that RSS hash is placed in descriptor on
 *    writeback"), MRQC = IPV4 | IPV4_TCP | IPV6 | IPV6_TCP | IPV6_TCP_EX:
 *    the field set, and no MRQE bits;
 *  - e1000_setup_rctl at MTU 1500: EN, BAM, SECRC, 2048-byte buffers,
 *    RFCTL.EXTEN (extended descriptors always); promiscuous (UPE|MPE, as
 *    e1000e_set_rx_mode does under IFF_PROMISC) so every corpus frame's
 *    destination MAC is taken; CTRL.VME (rx-vlan-offload, on by default);
 *  - e1000_configure_rx: RXCSUM.TUOFL with NETIF_F_RXCSUM (IPOFL is the
 *    reset value);
 *  - e1000_clean_rx_irq -> e1000_rx_checksum and e1000_rx_hash turn the
 *    written-back descriptor into skb state (qe_rx_csum_state,
 *    qe_rx_rss_out).
 * Frames go in through the tap in the engine's namespace (an AF_PACKET
 * send on it is what QEMU reads from its tap fd), a batch at a time with
 * offdiff's marker frame last; descriptors are written in arrival order,
 * so when the marker's descriptor is written every frame before it has
 * its own. The ring and buffers are in the shared guest RAM (ram=shared):
 * ram=qtest answers unsupported for receive cases.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qemu_internal.h"
#include "qemu_rx.h"
#include "ofd_marker.h"
#include "ofd_port.h"
#include "ofd_rx_csum.h"

#define QE_RX_RING_ADDR 0x00180000u /* after the TX ring, before its frames */
#define QE_RX_BUF_ADDR 0x04000000u  /* after the TX frames' 60 MB */
#define QE_RX_RING 256u
#define QE_RX_BUF 2048u             /* RCTL.BSIZE 00, BSEX 0 */
#define QE_RX_BATCH 128u            /* frames a batch, the marker after */
/* The longest frame the driver's MTU 1500 buffers take: VLAN_ETH_FRAME_LEN
 * (QEMU drops longer ones without RCTL.LPE: e1000x_is_oversized). */
#define QE_RX_MAX_FRAME 1518u
#define QE_RX_MAX_VLAN_FRAME 1522u
#define QE_RX_WAIT_MS 3000

struct qe_rx {
	uint64_t gen;      /* m->restarts + 1 when set up: 0, never */
	int tx_fd;
	unsigned int head; /* next descriptor the device writes */
	uint64_t frames, dropped, desync;
};

/* ------------------------------------------------------------------ */
/* The driver's values (pure)                                          */
/* ------------------------------------------------------------------ */

void qe_rx_regs_e1000e(const uint8_t key[40], bool mrqe, struct qe_rx_regs *r)
{
	unsigned int i;

	memset(r, 0, sizeof(*r));
	r->ctrl = QE_CTRL_SLU | QE_CTRL_VME;
	r->rctl = QE_RCTL_EN | QE_RCTL_UPE | QE_RCTL_MPE | QE_RCTL_BAM | QE_RCTL_SECRC;
	r->rxcsum = QE_RXCSUM_IPOFL | QE_RXCSUM_TUOFL | QE_RXCSUM_PCSD;
	r->rfctl = QE_RFCTL_EXTEN;
	r->mrqc = QE_MRQC_IPV4 | QE_MRQC_IPV4_TCP | QE_MRQC_IPV6 | QE_MRQC_IPV6_TCP |
		  QE_MRQC_IPV6_TCP_EX | (mrqe ? QE_MRQC_RSS_ENABLE : 0);
	/* ew32(RSSRK(i), rss_key[i]) of a u32 array filled bytewise: key
	 * byte 4i + j is bits 8j..8j+7 of register i (little endian), as
	 * QEMU reads the key ((uint8_t *)&mac[RSSRK]). */
	for (i = 0; i < 10; i++)
		r->rssrk[i] = (uint32_t)key[4 * i] | (uint32_t)key[4 * i + 1] << 8 |
			      (uint32_t)key[4 * i + 2] << 16 | (uint32_t)key[4 * i + 3] << 24;
	/* "Direct all traffic to queue 0": reta[] stays 0. */
}

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void qe_rx_wb_parse(const uint8_t d[16], struct qe_rx_wb *w)
{
	w->mrq = le32(d);
	w->rss = le32(d + 4);
	w->staterr = le32(d + 8);
	w->length = (uint16_t)(d[12] | d[13] << 8);
	w->vlan = (uint16_t)(d[14] | d[15] << 8);
}

void qe_rx_csum_state(const struct qe_rx_wb *w, struct ofd_meta *m)
{
	uint32_t status = w->staterr & 0xffff;
	uint8_t errors = (uint8_t)(w->staterr >> 24);

	m->has |= OFD_META_CSUM_STATE;
	m->csum_state = OFD_CSUM_STATE_NONE;
	m->csum_level = 0;
	m->csum_value = 0;
	/* e1000_rx_checksum, in its order: IXSM ignores, an error lets the
	 * stack verify, no TCPCS/UDPCS means not computed. */
	if (status & QE_RXD_STAT_IXSM)
		return;
	if (errors & (QE_RXD_ERR_TCPE | QE_RXD_ERR_IPE))
		return;
	if (!(status & (QE_RXD_STAT_TCPCS | QE_RXD_STAT_UDPCS)))
		return;
	m->csum_state = OFD_CSUM_STATE_UNNECESSARY;
}

void qe_rx_rss_out(const struct qe_rx_wb *w, struct ofd_rss_out *o)
{
	memset(o, 0, sizeof(*o));
	o->hash = w->rss;
	/* skb_set_hash(skb, rss, PKT_HASH_TYPE_L3): an L3 hash; a zero one
	 * is the stack's "no hash" (skb->hash 0). */
	o->hash_type = w->rss ? OFD_RSS_HASH_L3 : OFD_RSS_HASH_NONE;
	switch (w->mrq & 0xf) {
	case QE_RSS_TYPE_IPV4TCP: o->flow_type = OFD_RSS_FLOW_TCP4; break;
	case QE_RSS_TYPE_IPV4: o->flow_type = OFD_RSS_FLOW_IPV4; break;
	case QE_RSS_TYPE_IPV6TCP: o->flow_type = OFD_RSS_FLOW_TCP6; break;
	case QE_RSS_TYPE_IPV6EX:
	case QE_RSS_TYPE_IPV6: o->flow_type = OFD_RSS_FLOW_IPV6; break;
	default: o->flow_type = OFD_RSS_FLOW_NONE; break;
	}
	o->queue = (uint16_t)((w->mrq >> 8) & 0x1f);
}

/* ------------------------------------------------------------------ */
/* The device                                                          */
/* ------------------------------------------------------------------ */

static const char ram_why[] =
	"receive cases need the shared guest RAM (ram=shared): the descriptors QEMU writes are read there";
static const char dev_why[] =
	"the qemu target drives the receive path of the e1000e only (igb's is not built)";
static const char long_why[] =
	"longer than the 1518-byte frame (1522 with a VLAN tag) the driver's MTU 1500 buffers take: QEMU drops it without RCTL.LPE, the stack never sees it";
static const char short_why[] = "shorter than an Ethernet header: the tap cannot send it";
static const char lost_why[] =
	"QEMU's e1000e wrote no descriptor for the frame (not received)";
static const char late_why[] =
	"no descriptor for the frame before the receive marker's wait ran out: not judged";

static void wr(struct qemu *m, uint32_t reg, uint32_t v, int *e)
{
	if (!*e)
		*e = qt_queue(&m->qt, "writel 0x%llx 0x%x", (unsigned long long)m->bar0 + reg, v);
}

/* A fresh descriptor i: its buffer address, the write-back area zeroed. */
static void post(struct qemu *m, unsigned int i)
{
	uint8_t *d = m->ram + QE_RX_RING_ADDR + 16u * i;
	uint64_t a = QE_RX_BUF_ADDR + (uint64_t)QE_RX_BUF * i;
	unsigned int k;

	for (k = 0; k < 8; k++)
		d[k] = (uint8_t)(a >> (8 * k));
	memset(d + 8, 0, 8);
}

static int rx_setup(struct qemu *m, struct qe_rx *rx)
{
	const struct ofd_rss_config *cfg = ofd_rss_config_shared();
	struct qe_rx_regs r;
	uint64_t v = 0;
	unsigned int i;
	int e = 0, t;

	qe_rx_regs_e1000e(cfg->key, m->rx_mrqe, &r);
	for (i = 0; i < QE_RX_RING; i++)
		post(m, i);
	wr(m, QE_R_CTRL, r.ctrl, &e);
	for (i = 0; i < 10; i++)
		wr(m, QE_R_RSSRK + 4 * i, r.rssrk[i], &e);
	for (i = 0; i < 32; i++)
		wr(m, QE_R_RETA + 4 * i, r.reta[i], &e);
	wr(m, QE_R_MRQC, r.mrqc, &e);
	wr(m, QE_R_RFCTL, r.rfctl, &e);
	wr(m, QE_R_RXCSUM, r.rxcsum, &e);
	wr(m, QE_R_RDBAL0, QE_RX_RING_ADDR, &e);
	wr(m, QE_R_RDBAH0, 0, &e);
	wr(m, QE_R_RDLEN0, QE_RX_RING * 16, &e);
	wr(m, QE_R_RDH0, 0, &e);
	/* e1000_alloc_rx_buffers: every descriptor but one given (RDT one
	 * behind the head: a full ring reads as empty). */
	wr(m, QE_R_RDT0, QE_RX_RING - 1, &e);
	wr(m, QE_R_RCTL, r.rctl, &e);
	if (!e)
		e = qt_sync(&m->qt);
	if (e)
		return e;
	/* e1000x_rx_ready wants the link up: QEMU finishes autonegotiation
	 * on a timer after CTRL.SLU. */
	for (t = 0; t < QE_RX_WAIT_MS / 10; t++) {
		e = qt_query(&m->qt, &v, "readl 0x%llx",
			     (unsigned long long)m->bar0 + QE_R_STATUS);
		if (e)
			return e;
		if (v & QE_STATUS_LU)
			break;
		usleep(10000);
	}
	if (!(v & QE_STATUS_LU)) {
		ofd_pr_warn("qemu: the %s link did not come up (STATUS 0x%llx)\n", m->dev->name,
			    (unsigned long long)v);
		return -EIO;
	}
	if (rx->tx_fd < 0) {
		rx->tx_fd = ofd_port_open_tx(m->ns_fd, m->ifindex);
		if (rx->tx_fd < 0)
			return rx->tx_fd;
	}
	rx->head = 0;
	rx->gen = m->restarts + 1;
	return 0;
}

static int send_frame(struct qe_rx *rx, const uint8_t *d, uint32_t len)
{
	static const struct ofd_vnet_hdr none;

	return ofd_port_send(rx->tx_fd, &none, d, len);
}

static bool desc_done(const struct qemu *m, unsigned int i)
{
	const volatile uint8_t *s = m->ram + QE_RX_RING_ADDR + 16u * i + 8;

	return __atomic_load_n(s, __ATOMIC_ACQUIRE) & QE_RXD_STAT_DD;
}

/* The length and MAC addresses the descriptor must show for frame d:
 * padded to 60, the tag stripped (VP), no FCS (SECRC). */
static bool desc_is(const struct qemu *m, unsigned int i, const struct qe_rx_wb *w,
		    const uint8_t *d, uint32_t len)
{
	const uint8_t *buf = m->ram + QE_RX_BUF_ADDR + (uint64_t)QE_RX_BUF * i;
	uint32_t want = len < 60 ? 60 : len;

	/* QEMU pads first (e1000e_receive_iov's min_buf), then strips the
	 * tag (net_rx_pkt_attach_iovec_ex): a 60-byte tagged frame is 56. */
	if (w->staterr & QE_RXD_STAT_VP)
		want -= 4;
	return w->length == want && !memcmp(buf, d, 12);
}

static void result_of(const struct ofd_case *c, const struct qe_rx_wb *w, struct ofd_result *r)
{
	struct ofd_frame *f;
	struct ofd_rss_out o;
	uint8_t *out;

	/* qe_run marked every receive case unsupported: start over. */
	r->status = OFD_RES_OK;
	r->detail = NULL;
	r->nframes = 0;
	if (c->offload == OFD_OFFLOAD_RX_CSUM) {
		/* The frame the stack gets is the input (the model's shape);
		 * what is judged is the state. */
		f = ofd_result_add_ref(r, c->pkts[0].data, c->pkts[0].len);
		if (!f) {
			ofd_result_unsupported(r, "no room for the frame");
			return;
		}
		memset(&f->meta, 0, sizeof(f->meta));
		qe_rx_csum_state(w, &f->meta);
		return;
	}
	f = ofd_result_add_new(r, OFD_RSS_REC_LEN, &out);
	if (!f) {
		ofd_result_unsupported(r, "no room for the rss record");
		return;
	}
	qe_rx_rss_out(w, &o);
	ofd_rss_out_put(&o, out);
	memset(&f->meta, 0, sizeof(f->meta));
}

static void mark(struct ofd_result *r, const char *why)
{
	ofd_result_unsupported(r, why);
}

/* One batch: idx[0, n) of cases, sent, then their descriptors read. */
static int rx_batch(struct qemu *m, struct qe_rx *rx, const struct ofd_case *cases,
		    struct ofd_result *const *res, const unsigned int *idx, unsigned int n)
{
	uint8_t mk[OFD_MARKER_LEN];
	unsigned int k, used = 0, at = 0, i, j;
	uint64_t seq = ++m->marker_seq, s2, id;
	const uint8_t *buf;
	struct qe_rx_wb w;
	struct timespec t0, t1;
	bool marker = false;
	int e;

	for (k = 0; k < n; k++) {
		e = send_frame(rx, cases[idx[k]].pkts[0].data, cases[idx[k]].pkts[0].len);
		if (e)
			return e;
	}
	ofd_marker_build(mk, m->mac, seq, 0);
	e = send_frame(rx, mk, sizeof(mk));
	if (e)
		return e;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!marker) {
		i = (rx->head + used) % QE_RX_RING;
		if (!desc_done(m, i)) {
			clock_gettime(CLOCK_MONOTONIC, &t1);
			if ((t1.tv_sec - t0.tv_sec) * 1000 + (t1.tv_nsec - t0.tv_nsec) / 1000000 >
			    QE_RX_WAIT_MS)
				break;
			usleep(50);
			continue;
		}
		used++;
		qe_rx_wb_parse(m->ram + QE_RX_RING_ADDR + 16u * i, &w);
		buf = m->ram + QE_RX_BUF_ADDR + (uint64_t)QE_RX_BUF * i;
		if (ofd_marker_parse(buf, w.length < QE_RX_BUF ? w.length : QE_RX_BUF, &s2, &id) &&
		    !memcmp(buf + 6, m->mac, 6) && s2 == seq) {
			marker = true;
			break;
		}
		rx->frames++;
		/* The first frame from `at` on whose length and addresses it
		 * shows; the ones before it QEMU did not receive. A
		 * descriptor no frame matches (a frame not ours) is passed
		 * over, not allowed to take the batch's cases with it. */
		for (j = at; j < n && !desc_is(m, i, &w, cases[idx[j]].pkts[0].data,
					      cases[idx[j]].pkts[0].len); j++)
			;
		if (j == n) {
			rx->desync++;
			continue;
		}
		for (; at < j; at++) {
			mark(res[idx[at]], lost_why);
			rx->dropped++;
		}
		result_of(&cases[idx[at]], &w, res[idx[at]]);
		at++;
	}
	for (; at < n; at++) {
		mark(res[idx[at]], marker ? lost_why : late_why);
		rx->dropped++;
	}
	/* Give the used descriptors back (they were written over), RDT one
	 * behind the new head. */
	for (k = 0; k < used; k++)
		post(m, (rx->head + k) % QE_RX_RING);
	rx->head = (rx->head + used) % QE_RX_RING;
	e = qt_queue(&m->qt, "writel 0x%llx 0x%x", (unsigned long long)m->bar0 + QE_R_RDT0,
		     (rx->head + QE_RX_RING - 1) % QE_RX_RING);
	if (!e)
		e = qt_sync(&m->qt);
	/* No marker: the batch's frames without a descriptor are marked
	 * above; the next batch starts where the device stopped. */
	if (!e && !marker)
		ofd_pr_warn("qemu: no descriptor for the receive marker within %d ms\n",
			    QE_RX_WAIT_MS);
	return e;
}

static bool rx_offload(const struct ofd_case *c)
{
	return c->offload == OFD_OFFLOAD_RX_CSUM || c->offload == OFD_OFFLOAD_RSS;
}

int qe_rx_run(struct qemu *m, const struct ofd_case *cases, struct ofd_result *const *res,
	      unsigned int n)
{
	unsigned int idx[QE_RX_BATCH], nb = 0, i;
	struct qe_rx *rx;
	int e;

	for (i = 0; i < n && !rx_offload(&cases[i]); i++)
		;
	if (i == n)
		return 0;
	if (!m->rx) {
		m->rx = calloc(1, sizeof(*m->rx));
		if (!m->rx)
			return -ENOMEM;
		m->rx->tx_fd = -1;
	}
	rx = m->rx;
	for (i = 0; i < n; i++) {
		const struct ofd_case *c = &cases[i];
		uint32_t len;

		if (!rx_offload(c))
			continue;
		if (!m->ram || strcmp(m->dev->name, "e1000e")) {
			mark(res[i], !m->ram ? ram_why : dev_why);
			continue;
		}
		if (c->npkts != 1 || !c->pkts[0].data) {
			mark(res[i], "a receive case is one frame");
			continue;
		}
		len = c->pkts[0].len;
		if (len < 14) {
			mark(res[i], short_why);
			continue;
		}
		if (len > QE_RX_MAX_VLAN_FRAME ||
		    (len > QE_RX_MAX_FRAME &&
		     !(c->pkts[0].data[12] == 0x81 && c->pkts[0].data[13] == 0x00))) {
			mark(res[i], long_why);
			continue;
		}
		if (rx->gen != m->restarts + 1) {
			e = rx_setup(m, rx);
			if (e)
				return e;
		}
		idx[nb++] = i;
		m->cases++;
		if (nb == QE_RX_BATCH) {
			m->batches++;
			e = rx_batch(m, rx, cases, res, idx, nb);
			if (e)
				return e;
			nb = 0;
		}
	}
	if (nb) {
		m->batches++;
		return rx_batch(m, rx, cases, res, idx, nb);
	}
	return 0;
}

void qe_rx_free(struct qemu *m)
{
	if (!m->rx)
		return;
	if (m->rx->tx_fd >= 0)
		close(m->rx->tx_fd);
	free(m->rx);
	m->rx = NULL;
}

void qe_rx_tally(const struct qemu *m, char *buf, size_t len)
{
	if (!m->rx) {
		if (len)
			buf[0] = 0;
		return;
	}
	snprintf(buf, len, "; receive: %llu descriptors, %llu frames not received, %llu foreign",
		 (unsigned long long)m->rx->frames, (unsigned long long)m->rx->dropped,
		 (unsigned long long)m->rx->desync);
}
