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
 * igb (QEMU 8+) the same way from igb_main.c: igb_setup_mrqc (MRQC with
 * ENABLE_RSS_MQ, RXCSUM | PCSD | CRCOFL), igb_write_rss_indir_tbl (four
 * queues, entry j = j % 4), igb_configure_rx_ring (SRRCTL advanced one-
 * buffer descriptors, RXDCTL.ENABLE), igb_setup_rctl (LPE, RLPML), the
 * PHY autonegotiated; igb_rx_checksum and igb_rx_hash decode as e1000e's
 * do, and the queue is the ring a frame landed on.
 * Frames go in through the tap in the engine's namespace (an AF_PACKET
 * send on it is what QEMU reads from its tap fd), a batch at a time with
 * offdiff's marker frame last; QEMU handles frames in arrival order, so
 * when the marker's descriptor is written every frame before it has its
 * own (rx_batch). The ring and buffers are in the shared guest RAM (ram=shared):
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

#define QE_RX_RING_BYTES (QE_RX_RING * 16u)

struct qe_rx {
	uint64_t gen;      /* m->restarts + 1 when set up: 0, never */
	int tx_fd;
	unsigned int nrings;
	unsigned int head[QE_IGB_QUEUES]; /* next descriptor the device writes */
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

void qe_rx_regs_igb(const uint8_t key[40], uint32_t rxcsum, struct qe_rx_regs *r)
{
	unsigned int i;

	qe_rx_regs_e1000e(key, false, r);
	/* igb_vlan_mode: CTRL.VME with rx-vlan-offload; igb_setup_rctl: LPE
	 * always, RLPML the max frame (MTU + ETH_HLEN + FCS + VLAN_HLEN) */
	r->rctl |= QE_RCTL_LPE;
	r->rlpml = 1500 + 14 + 4 + 4;
	r->rfctl = 0;
	r->rxcsum = rxcsum | QE_RXCSUM_PCSD | QE_RXCSUM_CRCOFL;
	r->mrqc = QE_MRQC_IGB_RSS_MQ | QE_MRQC_IPV4 | QE_MRQC_IPV4_TCP | QE_MRQC_IPV6 |
		  QE_MRQC_IPV6_TCP | QE_MRQC_IPV6_TCP_EX;
	/* igb_write_rss_indir_tbl: four one-byte entries a register, entry
	 * j in byte j % 4 */
	for (i = 0; i < 32; i++)
		r->reta[i] = (4 * i) % QE_IGB_QUEUES | ((4 * i + 1) % QE_IGB_QUEUES) << 8 |
			     ((4 * i + 2) % QE_IGB_QUEUES) << 16 |
			     (uint32_t)((4 * i + 3) % QE_IGB_QUEUES) << 24;
	/* igb_configure_rx_ring: IGB_RX_HDR_LEN 256 << BSIZEHDRSIZE_SHIFT 2,
	 * 2048 >> BSIZEPKT_SHIFT 10, DESCTYPE_ADV_ONEBUF, DROP_EN (more than
	 * one queue, no VFs); RXDCTL PTHRESH 8, HTHRESH 8, WTHRESH 1 (82576
	 * with MSI-X), QUEUE_ENABLE */
	r->srrctl = (256u << 2) | (2048u >> 10) | 0x02000000u | 0x80000000u;
	r->rxdctl = 8u | 8u << 8 | 1u << 16 | 1u << 25;
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

void qe_rx_rss_out_igb(const struct qe_rx_wb *w, struct ofd_rss_out *o)
{
	qe_rx_rss_out(w, o);
	switch (w->mrq & 0xf) {
	case 6: o->flow_type = OFD_RSS_FLOW_TCP6; break;
	case 7: o->flow_type = OFD_RSS_FLOW_UDP4; break;
	case 8:
	case 9: o->flow_type = OFD_RSS_FLOW_UDP6; break;
	default: break;
	}
	o->queue = 0;
}

/* ------------------------------------------------------------------ */
/* The device                                                          */
/* ------------------------------------------------------------------ */

static const char ram_why[] =
	"receive cases need the shared guest RAM (ram=shared): the descriptors QEMU writes are read there";
static const char long_why[] =
	"longer than the 1518-byte frame (1522 with a VLAN tag) the driver's MTU 1500 buffers take: QEMU drops it without RCTL.LPE, the stack never sees it";
static const char short_why[] = "shorter than an Ethernet header: the tap cannot send it";
static const char lost_why[] =
	"QEMU's NIC wrote no descriptor for the frame (not received)";
static const char late_why[] =
	"no descriptor for the frame before the receive marker's wait ran out: not judged";

static void wr(struct qemu *m, uint32_t reg, uint32_t v, int *e)
{
	if (!*e)
		*e = qt_queue(&m->qt, "writel 0x%llx 0x%x", (unsigned long long)m->bar0 + reg, v);
}

static uint8_t *desc_at(const struct qemu *m, unsigned int r, unsigned int i)
{
	return m->ram + QE_RX_RING_ADDR + QE_RX_RING_BYTES * r + 16u * i;
}

static uint64_t buf_addr(unsigned int r, unsigned int i)
{
	return QE_RX_BUF_ADDR + (uint64_t)QE_RX_BUF * (QE_RX_RING * r + i);
}

/* A fresh descriptor i of ring r: its buffer address (read format: the
 * packet buffer at 0, the header buffer at 8 unused), the rest zeroed. */
static void post(struct qemu *m, unsigned int r, unsigned int i)
{
	uint8_t *d = desc_at(m, r, i);
	uint64_t a = buf_addr(r, i);
	unsigned int k;

	for (k = 0; k < 8; k++)
		d[k] = (uint8_t)(a >> (8 * k));
	memset(d + 8, 0, 8);
}

static bool is_igb(const struct qemu *m)
{
	return !strcmp(m->dev->name, "igb");
}

/* Ring r's registers: e1000e's queue 0 at RDBAL0; igb's queue r at 0xC000
 * + 0x40 r (82576 datasheet 8.10). */
static uint32_t ring_base(const struct qemu *m, unsigned int r)
{
	return is_igb(m) ? QE_IGB_RDBAL(r) : QE_R_RDBAL0;
}

static int rx_setup(struct qemu *m, struct qe_rx *rx)
{
	const struct ofd_rss_config *cfg = ofd_rss_config_shared();
	struct qe_rx_regs r;
	uint64_t v = 0;
	unsigned int i, q;
	int e = 0, t;

	rx->nrings = is_igb(m) ? QE_IGB_QUEUES : 1;
	if (is_igb(m)) {
		/* igb_setup_mrqc: rxcsum = rd32(RXCSUM) | PCSD | CRCOFL */
		e = qt_query(&m->qt, &v, "readl 0x%llx", (unsigned long long)m->bar0 + QE_R_RXCSUM);
		if (e)
			return e;
		qe_rx_regs_igb(cfg->key, (uint32_t)v, &r);
	} else {
		qe_rx_regs_e1000e(cfg->key, m->rx_mrqe, &r);
	}
	for (q = 0; q < rx->nrings; q++)
		for (i = 0; i < QE_RX_RING; i++)
			post(m, q, i);
	wr(m, QE_R_CTRL, r.ctrl, &e);
	/* igb_setup_copper_link -> igb_copper_link_autoneg: the PHY's BMCR
	 * with AUTOEN | ANRESTART through MDIC (PHY 1, register 0, write):
	 * QEMU's igb brings the link up only after autonegotiation. */
	if (is_igb(m))
		wr(m, QE_R_MDIC, QE_MDIC_BMCR_ANRESTART, &e);
	for (i = 0; i < 10; i++)
		wr(m, QE_R_RSSRK + 4 * i, r.rssrk[i], &e);
	for (i = 0; i < 32; i++)
		wr(m, QE_R_RETA + 4 * i, r.reta[i], &e);
	wr(m, QE_R_MRQC, r.mrqc, &e);
	if (r.rfctl)
		wr(m, QE_R_RFCTL, r.rfctl, &e);
	if (r.rlpml)
		wr(m, QE_R_RLPML, r.rlpml, &e);
	wr(m, QE_R_RXCSUM, r.rxcsum, &e);
	for (q = 0; q < rx->nrings; q++) {
		uint32_t b = ring_base(m, q);

		wr(m, b, (uint32_t)(QE_RX_RING_ADDR + QE_RX_RING_BYTES * q), &e);
		wr(m, b + 0x04, 0, &e);
		wr(m, b + 0x08, QE_RX_RING * 16, &e);
		if (r.srrctl)
			wr(m, b + 0x0c, r.srrctl, &e);
		wr(m, b + 0x10, 0, &e);
		if (r.rxdctl)
			wr(m, b + 0x28, r.rxdctl, &e);
		/* e1000_alloc_rx_buffers / igb_alloc_rx_buffers: every
		 * descriptor but one given (RDT one behind the head: a full
		 * ring reads as empty). */
		wr(m, b + 0x18, QE_RX_RING - 1, &e);
		rx->head[q] = 0;
	}
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
	rx->gen = m->restarts + 1;
	return 0;
}

int qe_rx_send(int fd, const uint8_t *d, uint32_t len)
{
	static const struct ofd_vnet_hdr none;

	return ofd_port_send(fd, &none, d, len);
}

static bool desc_done(const struct qemu *m, unsigned int r, unsigned int i)
{
	const volatile uint8_t *s = desc_at(m, r, i) + 8;

	return __atomic_load_n(s, __ATOMIC_ACQUIRE) & QE_RXD_STAT_DD;
}

/* Whether descriptor i of ring r holds frame d: its bytes as QEMU writes
 * them, padded to 60 first (the receive functions' min_buf), then the
 * outer tag taken out when VP says it was stripped
 * (net_rx_pkt_attach_iovec_ex), no FCS (SECRC). Whole bytes, not the
 * length alone: on several rings, frames of one length (a good and a bad
 * checksum of one packet) must not take each other's descriptors. */
static bool desc_is(const struct qemu *m, unsigned int r, unsigned int i,
		    const struct qe_rx_wb *w, const uint8_t *d, uint32_t len)
{
	static const uint8_t zero[60];
	const uint8_t *buf = m->ram + buf_addr(r, i);
	uint32_t padded = len < 60 ? 60 : len, want = padded, cut = 0, k, n;

	if (w->staterr & QE_RXD_STAT_VP) {
		if (padded < 16)
			return false;
		want -= 4;
		cut = 4;
	}
	if (w->length != want || want > QE_RX_BUF)
		return false;
	/* buf[0, 12) = d[0, 12); buf[12, want) = (d padded)[12 + cut, padded) */
	if (memcmp(buf, d, 12))
		return false;
	for (k = 12; k < want; k += n) {
		uint32_t at = k + cut;

		if (at < len) {
			n = len - at < want - k ? len - at : want - k;
			if (memcmp(buf + k, d + at, n))
				return false;
		} else {
			n = want - k < sizeof(zero) ? want - k : (uint32_t)sizeof(zero);
			if (memcmp(buf + k, zero, n))
				return false;
		}
	}
	return true;
}

static void result_of(const struct qemu *m, unsigned int ring, const struct ofd_case *c,
		      const struct qe_rx_wb *w, struct ofd_result *r)
{
	struct ofd_frame *f;
	struct ofd_rss_out o;
	uint8_t *out;

	/* qe_tx_run marked every receive case unsupported: start over. */
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
	if (is_igb(m)) {
		/* igb: the 82576's RSS types, the queue is the ring */
		qe_rx_rss_out_igb(w, &o);
		o.queue = (uint16_t)ring;
	} else {
		qe_rx_rss_out(w, &o);
	}
	ofd_rss_out_put(&o, out);
	memset(&f->meta, 0, sizeof(f->meta));
}

static void mark(struct ofd_result *r, const char *why)
{
	ofd_result_unsupported(r, why);
}

long qe_ms_since(const struct timespec *t0)
{
	struct timespec t1;

	clock_gettime(CLOCK_MONOTONIC, &t1);
	return (t1.tv_sec - t0->tv_sec) * 1000 + (t1.tv_nsec - t0->tv_nsec) / 1000000;
}

/*
 * One batch: idx[0, n) of cases, sent, then their descriptors read. The
 * marker has no IP header, so no RSS type and queue 0 (RETA is not
 * consulted): when its descriptor is written on ring 0, QEMU has written
 * every frame sent before it, on whichever ring. Each case then takes
 * the first ring whose next descriptor shows its length and addresses;
 * a case no ring shows was not received, a descriptor no case takes is
 * counted as foreign.
 */
static int rx_batch(struct qemu *m, struct qe_rx *rx, const struct ofd_case *cases,
		    struct ofd_result *const *res, const unsigned int *idx, unsigned int n)
{
	unsigned int cnt[QE_IGB_QUEUES] = { 0 }, pos[QE_IGB_QUEUES] = { 0 };
	uint8_t mk[OFD_MARKER_LEN];
	uint64_t seq = ++m->marker_seq, s2, id;
	unsigned int k, q, i, used0 = 0;
	struct timespec t0;
	struct qe_rx_wb w;
	bool marker = false;
	int e = 0;

	for (k = 0; k < n; k++) {
		e = qe_rx_send(rx->tx_fd, cases[idx[k]].pkts[0].data, cases[idx[k]].pkts[0].len);
		if (e)
			return e;
	}
	ofd_marker_build(mk, m->mac, seq, 0);
	e = qe_rx_send(rx->tx_fd, mk, sizeof(mk));
	if (e)
		return e;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	while (!marker && used0 < QE_RX_RING - 1) {
		const uint8_t *buf;

		i = (rx->head[0] + used0) % QE_RX_RING;
		if (!desc_done(m, 0, i)) {
			if (qe_ms_since(&t0) > QE_RX_WAIT_MS)
				break;
			usleep(50);
			continue;
		}
		used0++;
		qe_rx_wb_parse(desc_at(m, 0, i), &w);
		buf = m->ram + buf_addr(0, i);
		marker = ofd_marker_parse(buf, w.length < QE_RX_BUF ? w.length : QE_RX_BUF, &s2,
					  &id) && !memcmp(buf + 6, m->mac, 6) && s2 == seq;
	}
	cnt[0] = marker ? used0 - 1 : used0;
	for (q = 1; q < rx->nrings; q++)
		while (cnt[q] < QE_RX_RING - 1 &&
		       desc_done(m, q, (rx->head[q] + cnt[q]) % QE_RX_RING))
			cnt[q]++;
	for (k = 0; k < n; k++) {
		const struct ofd_case *c = &cases[idx[k]];

		for (q = 0; q < rx->nrings; q++) {
			if (pos[q] == cnt[q])
				continue;
			i = (rx->head[q] + pos[q]) % QE_RX_RING;
			qe_rx_wb_parse(desc_at(m, q, i), &w);
			if (desc_is(m, q, i, &w, c->pkts[0].data, c->pkts[0].len))
				break;
		}
		if (q == rx->nrings) {
			mark(res[idx[k]], marker ? lost_why : late_why);
			rx->dropped++;
			continue;
		}
		pos[q]++;
		rx->frames++;
		result_of(m, q, c, &w, res[idx[k]]);
	}
	/* Give the used descriptors back (they were written over), RDT one
	 * behind the new head. */
	if (marker)
		cnt[0]++;
	for (q = 0; q < rx->nrings; q++) {
		rx->desync += cnt[q] - pos[q] - (q == 0 && marker);
		for (k = 0; k < cnt[q]; k++)
			post(m, q, (rx->head[q] + k) % QE_RX_RING);
		rx->head[q] = (rx->head[q] + cnt[q]) % QE_RX_RING;
		if (!e)
			e = qt_queue(&m->qt, "writel 0x%llx 0x%x",
				     (unsigned long long)m->bar0 + ring_base(m, q) + 0x18,
				     (rx->head[q] + QE_RX_RING - 1) % QE_RX_RING);
	}
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

/* The 8254x family's receive side (e1000e, igb) for qe_rx_run. */
static bool e1000e_too_long(const struct ofd_case *c)
{
	uint32_t len = c->pkts[0].len;

	return len > QE_RX_MAX_VLAN_FRAME ||
	       (len > QE_RX_MAX_FRAME && !(c->pkts[0].data[12] == 0x81 && c->pkts[0].data[13] == 0x00));
}

static int e1000e_ready(struct qemu *m)
{
	if (!m->rx) {
		m->rx = calloc(1, sizeof(*m->rx));
		if (!m->rx)
			return -ENOMEM;
		m->rx->tx_fd = -1;
	}
	return m->rx->gen != m->restarts + 1 ? rx_setup(m, m->rx) : 0;
}

static int e1000e_batch(struct qemu *m, const struct ofd_case *cases,
			struct ofd_result *const *res, const unsigned int *idx, unsigned int n)
{
	return rx_batch(m, m->rx, cases, res, idx, n);
}

static const struct qe_rx_drv qe_rx_drv_8254x = {
	.batch = QE_RX_BATCH,
	.ram_why = ram_why,
	.long_why = long_why,
	.too_long = e1000e_too_long,
	.ready = e1000e_ready,
	.batch_run = e1000e_batch,
};

int qe_rx_run(struct qemu *m, const struct ofd_case *cases, struct ofd_result *const *res,
	      unsigned int n)
{
	/* the registers and descriptors here are the 8254x family's
	 * (e1000e, igb); vmxnet3's rings and completions are its own */
	const struct qe_rx_drv *d = m->dev == &qe_dev_vmxnet3 ? &qe_rx_drv_vmxnet3 : &qe_rx_drv_8254x;
	unsigned int idx[QE_RX_IDX_MAX], nb = 0, i;
	const char *why;
	int e;

	for (i = 0; i < n; i++) {
		const struct ofd_case *c = &cases[i];

		if (!rx_offload(c))
			continue;
		if (d->refuse && (why = d->refuse(c))) {
			mark(res[i], why);
			continue;
		}
		if (!m->ram) {
			mark(res[i], d->ram_why);
			continue;
		}
		if (c->npkts != 1 || !c->pkts[0].data) {
			mark(res[i], "a receive case is one frame");
			continue;
		}
		if (c->pkts[0].len < 14) {
			mark(res[i], short_why);
			continue;
		}
		if (d->too_long(c)) {
			mark(res[i], d->long_why);
			continue;
		}
		e = d->ready(m);
		if (e)
			return e;
		idx[nb++] = i;
		m->cases++;
		if (nb == d->batch || nb == QE_RX_IDX_MAX) {
			m->batches++;
			e = d->batch_run(m, cases, res, idx, nb);
			if (e)
				return e;
			nb = 0;
		}
	}
	if (nb) {
		m->batches++;
		return d->batch_run(m, cases, res, idx, nb);
	}
	return 0;
}

void qe_rx_free(struct qemu *m)
{
	vx_rx_free(m);
	if (!m->rx)
		return;
	if (m->rx->tx_fd >= 0)
		close(m->rx->tx_fd);
	free(m->rx);
	m->rx = NULL;
}

void qe_rx_tally(const struct qemu *m, char *buf, size_t len)
{
	if (m->vxrx) {
		vx_rx_tally(m, buf, len);
		return;
	}
	if (!m->rx) {
		if (len)
			buf[0] = 0;
		return;
	}
	snprintf(buf, len, "; receive: %llu descriptors, %llu frames not received, %llu foreign",
		 (unsigned long long)m->rx->frames, (unsigned long long)m->rx->dropped,
		 (unsigned long long)m->rx->desync);
}
