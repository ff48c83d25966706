// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * vmxnet3_rx.c - the receive side of QEMU's vmxnet3 (hw/net/vmxnet3.c) as
 * the Linux vmxnet3 driver (drivers/net/vmxnet3/vmxnet3_drv.c) drives it:
 * rx-csum cases; rss answers unsupported (QEMU's model has no RSS: one RX
 * queue, RXQ_IDX 0, and it never writes rssType or rssHash).
 *
 * vmxnet3.c activates the device with RX queue 0's rings at VX_RXRING0,
 * VX_RXRING1 and VX_RXCOMP (vmxnet3.h), all zeroed, so gen 0: no buffers.
 * Here, once per QEMU:
 *  - vmxnet3_rq_init at MTU 1500: skb_buf_size = mtu + VMXNET3_MAX_ETH_
 *    HDR_SIZE (22) = 1522 and rx_buf_per_pkt 1, so every ring 0 buffer is
 *    a HEAD buffer of 1522 bytes (btype 0), size - 1 of them given with
 *    the ring's generation 1 (vmxnet3_rq_alloc_rx_buf); ring 1's PAGE
 *    bodies are left out: no frame driven here continues past its head
 *    buffer (longer ones are skipped with the reason);
 *  - vmxnet3_set_mc under IFF_PROMISC: rxMode |= VMXNET3_RXM_PROMISC and
 *    VMXNET3_CMD_UPDATE_RX_MODE, so every corpus destination is taken, as
 *    the e1000 family's receive side runs promiscuous.
 * Frames go into the tap (QEMU reads them in order), offdiff's marker
 * last; each frame gets one completion (sop and eop) whose rxdIdx names
 * the ring 0 buffer. vmxnet3_rq_rx_complete takes a completion whose gen
 * is the completion ring's, and vmxnet3_rx_csum decodes its checksum bits
 * at eop (vx_rx_csum_state). The MTU in the shared area stays vmxnet3.c's
 * 9000: QEMU reads it for LRO statistics only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "qemu_internal.h"
#include "vmxnet3.h"
#include "ofd_marker.h"
#include "ofd_port.h"

#define VXR_BUF_ADDR 0x04000000u /* after the TX frames' 60 MB */
#define VXR_BUF_STRIDE 2048u
#define VXR_BUF_LEN 1522u        /* 1500 + VMXNET3_MAX_ETH_HDR_SIZE */
#define VXR_COMP (2 * VX_RX_RING) /* vmxnet3.c's compRingSize */
/* A batch: ring 0 holds VX_RX_RING - 1 buffers, one for the marker. */
#define VXR_BATCH (VX_RX_RING - 2)
#define VXR_WAIT_MS 3000
#define CMD_UPDATE_RX_MODE 0xcafe0003u
/* VMXNET3_RXM_UCAST | BCAST (vmxnet3.c's) | PROMISC 0x10 */
#define VXR_RX_MODE 0x15u

struct vx_rx {
	uint64_t gen;         /* m->restarts + 1 when set up: 0, never */
	int tx_fd;
	unsigned int fill;    /* next ring 0 slot to give */
	unsigned int fill_gen;
	unsigned int comp;    /* next completion the driver reads */
	unsigned int comp_gen;
	uint64_t frames, dropped, foreign;
};

static uint32_t le32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

void vx_rx_csum_state(const uint32_t rcd[4], struct ofd_meta *m)
{
	uint32_t d3 = rcd[3];

	m->has |= OFD_META_CSUM_STATE;
	m->csum_state = OFD_CSUM_STATE_NONE;
	m->csum_level = 0;
	m->csum_value = 0;
	/* vmxnet3_rx_csum with NETIF_F_RXCSUM (a default feature): CNC
	 * means the device did not look, skb_checksum_none_assert */
	if (rcd[0] & VX_RCD_CNC)
		return;
	if (((d3 & VX_RCD_V4) && (d3 & (VX_RCD_TUC | VX_RCD_IPC)) == (VX_RCD_TUC | VX_RCD_IPC)) ||
	    ((d3 & VX_RCD_V6) && (d3 & VX_RCD_TUC))) {
		m->csum_state = OFD_CSUM_STATE_UNNECESSARY;
		/* VMXNET3_RCD_HDR_INNER_SHIFT: the inner checksum too */
		if (rcd[0] & VX_RCD_HDR_INNER)
			m->csum_level = 1;
		return;
	}
	/* skb->csum = htons(rcd.csum), CHECKSUM_PARTIAL: the driver's own
	 * branch for a device that reports a sum it did not verify */
	if (d3 & 0xffff) {
		m->csum_state = OFD_CSUM_STATE_PARTIAL;
		m->csum_value = (uint16_t)((d3 & 0xff) << 8 | (d3 >> 8 & 0xff));
	}
}

static const char ram_why[] =
	"receive cases need the shared guest RAM (ram=shared): the completions QEMU writes are read there";
static const char rss_why[] =
	"QEMU's vmxnet3 has no RSS: one RX queue (RXQ_IDX 0), rssType and rssHash never written (the driver sets no skb hash)";
static const char long_why[] =
	"longer than the driver's 1522-byte ring 0 buffer at MTU 1500 (mtu + VMXNET3_MAX_ETH_HDR_SIZE): ring 1 bodies are not driven";
static const char lost_why[] = "QEMU's vmxnet3 wrote no completion for the frame (not received)";
static const char late_why[] =
	"no completion for the frame before the receive marker's wait ran out: not judged";

static bool in_ram(const struct qemu *m, uint64_t a, uint64_t len)
{
	return a <= m->ram_size && len <= m->ram_size - a;
}

/* Ring 0 slot i given back: addr, len 1522, btype HEAD, the fill gen. */
static void give(struct qemu *m, struct vx_rx *rx)
{
	unsigned int i = rx->fill;
	uint8_t *d = m->ram + VX_RXRING0 + 16u * i;
	uint64_t a = VXR_BUF_ADDR + (uint64_t)VXR_BUF_STRIDE * i;
	uint32_t dw2 = VXR_BUF_LEN | (rx->fill_gen ? 1u << 31 : 0);
	unsigned int k;

	for (k = 0; k < 8; k++)
		d[k] = (uint8_t)(a >> (8 * k));
	memset(d + 12, 0, 4);
	for (k = 0; k < 3; k++)
		d[8 + k] = (uint8_t)(dw2 >> (8 * k));
	/* the byte with gen last: QEMU takes the descriptor once gen
	 * matches */
	__atomic_store_n(d + 11, (uint8_t)(dw2 >> 24), __ATOMIC_RELEASE);
	if (++rx->fill == VX_RX_RING) {
		rx->fill = 0;
		rx->fill_gen ^= 1;
	}
}

static int rx_setup(struct qemu *m, struct vx_rx *rx)
{
	uint8_t mode[4] = { VXR_RX_MODE, 0, 0, 0 };
	unsigned int i;
	int e;

	if (!in_ram(m, VX_RXRING0, 16u * VX_RX_RING) || !in_ram(m, VX_RXCOMP, 16u * VXR_COMP) ||
	    !in_ram(m, VXR_BUF_ADDR, (uint64_t)VXR_BUF_STRIDE * VX_RX_RING))
		return -EFAULT;
	/* vmxnet3.c's activation zeroed the rings; QEMU's ring and
	 * completion generations start at VMXNET3_INIT_GEN 1 */
	rx->fill = 0;
	rx->fill_gen = 1;
	rx->comp = 0;
	rx->comp_gen = 1;
	for (i = 0; i < VX_RX_RING - 1; i++)
		give(m, rx);
	e = qe_mem_write(m, VX_SHARED + DS_RX_MODE, mode, sizeof(mode));
	if (!e)
		e = qt_queue(&m->qt, "writel 0x%x 0x%x", VX_BAR1 + R1_CMD, CMD_UPDATE_RX_MODE);
	if (!e)
		e = qt_sync(&m->qt);
	if (e)
		return e;
	if (rx->tx_fd < 0) {
		rx->tx_fd = ofd_port_open_tx(m->ns_fd, m->ifindex);
		if (rx->tx_fd < 0)
			return rx->tx_fd;
	}
	rx->gen = m->restarts + 1;
	return 0;
}

/* Completion j (ring order from rx->comp) when the device wrote it. */
static bool comp_read(const struct qemu *m, const struct vx_rx *rx, unsigned int j,
		      uint32_t rcd[4])
{
	unsigned int i = (rx->comp + j) % VXR_COMP;
	unsigned int gen = rx->comp_gen ^ ((rx->comp + j) / VXR_COMP & 1);
	const uint8_t *c = m->ram + VX_RXCOMP + 16u * i;
	uint8_t top = __atomic_load_n(c + 15, __ATOMIC_ACQUIRE); /* gen: bit 31 of dword 3 */
	unsigned int k;

	if ((unsigned int)(top >> 7) != gen)
		return false;
	for (k = 0; k < 4; k++)
		rcd[k] = le32(c + 4 * k);
	return true;
}

/* The buffer of a completion, or NULL when rxdIdx or len are out of the
 * ring 0 slots and buffer sizes offdiff gave (rqID 0: ring 0). */
static const uint8_t *comp_buf(const struct qemu *m, const uint32_t rcd[4], uint32_t *len)
{
	uint32_t idx = rcd[0] & 0xfff, rq = rcd[0] >> 16 & 0x3ff;

	*len = rcd[2] & 0x3fff;
	if (idx >= VX_RX_RING || rq != 0 || *len > VXR_BUF_LEN)
		return NULL;
	return m->ram + VXR_BUF_ADDR + (uint64_t)VXR_BUF_STRIDE * idx;
}

/* Whether completion rcd holds frame d: as vmxnet3_receive leaves it,
 * padded to 60 (MIN_BUF_SIZE) and then the outer tag taken out when TS
 * says it was stripped (UPT1_F_RXVLAN), one buffer, sop and eop. */
static bool comp_is(const struct qemu *m, const uint32_t rcd[4], const uint8_t *d, uint32_t len)
{
	static const uint8_t zero[64];
	uint32_t n, padded = len < 60 ? 60 : len, want = padded, cut = 0, k, at, c;
	const uint8_t *buf = comp_buf(m, rcd, &n);

	if (!buf || (rcd[0] & (VX_RCD_SOP | VX_RCD_EOP)) != (VX_RCD_SOP | VX_RCD_EOP))
		return false;
	if (rcd[2] & VX_RCD_TS) {
		if (padded < 16)
			return false;
		want -= 4;
		cut = 4;
	}
	if (n != want || memcmp(buf, d, 12))
		return false;
	for (k = 12; k < want; k += c) {
		at = k + cut;
		if (at < len) {
			c = len - at < want - k ? len - at : want - k;
			if (memcmp(buf + k, d + at, c))
				return false;
		} else {
			c = want - k < sizeof(zero) ? want - k : (uint32_t)sizeof(zero);
			if (memcmp(buf + k, zero, c))
				return false;
		}
	}
	return true;
}

static void result_of(const struct ofd_case *c, const uint32_t rcd[4], struct ofd_result *r)
{
	struct ofd_frame *f;

	r->status = OFD_RES_OK;
	r->detail = NULL;
	r->nframes = 0;
	/* the stack gets the input frame (the model's shape); the state is
	 * what is judged */
	f = ofd_result_add_ref(r, c->pkts[0].data, c->pkts[0].len);
	if (!f) {
		ofd_result_unsupported(r, "no room for the frame");
		return;
	}
	memset(&f->meta, 0, sizeof(f->meta));
	vx_rx_csum_state(rcd, &f->meta);
}

/*
 * One batch: the frames of idx[0, n), then the marker. QEMU handles tap
 * frames in order, so once the marker's completion is there every frame
 * before it has its own. Each case takes the first completion from where
 * the last one matched; completions skipped over are foreign.
 */
static int rx_batch(struct qemu *m, struct vx_rx *rx, const struct ofd_case *cases,
		    struct ofd_result *const *res, const unsigned int *idx, unsigned int n)
{
	static uint32_t rcd[VX_RX_RING][4];
	uint8_t mk[OFD_MARKER_LEN];
	uint64_t seq = ++m->marker_seq, s2, id;
	unsigned int k, j, got = 0, pos = 0;
	struct timespec t0;
	bool marker = false;
	int e;

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
	while (!marker && got < VX_RX_RING - 1) {
		const uint8_t *buf;
		uint32_t len;

		if (!comp_read(m, rx, got, rcd[got])) {
			if (qe_ms_since(&t0) > VXR_WAIT_MS)
				break;
			usleep(50);
			continue;
		}
		buf = comp_buf(m, rcd[got], &len);
		got++;
		marker = buf && ofd_marker_parse(buf, len, &s2, &id) && !memcmp(buf + 6, m->mac, 6) &&
			 s2 == seq;
	}
	for (k = 0; k < n; k++) {
		const struct ofd_case *c = &cases[idx[k]];
		unsigned int lim = marker ? got - 1 : got;

		for (j = pos; j < lim; j++)
			if (comp_is(m, rcd[j], c->pkts[0].data, c->pkts[0].len))
				break;
		if (j == lim) {
			ofd_result_unsupported(res[idx[k]], marker ? lost_why : late_why);
			rx->dropped++;
			continue;
		}
		rx->foreign += j - pos;
		pos = j + 1;
		rx->frames++;
		result_of(c, rcd[j], res[idx[k]]);
	}
	rx->foreign += (marker ? got - 1 : got) - pos;
	/* vmxnet3_rq_rx_complete: every completion read, its ring 0 buffer
	 * given back in ring order (one buffer a frame) */
	rx->comp_gen ^= (rx->comp + got) / VXR_COMP & 1;
	rx->comp = (rx->comp + got) % VXR_COMP;
	for (k = 0; k < got; k++)
		give(m, rx);
	if (!marker)
		ofd_pr_warn("qemu: no vmxnet3 completion for the receive marker within %d ms\n",
			    VXR_WAIT_MS);
	return 0;
}

static const char *vx_refuse(const struct ofd_case *c)
{
	return c->offload == OFD_OFFLOAD_RSS ? rss_why : NULL;
}

/* one 1522-byte buffer takes the frame, its tag stripped or not
 * (VLAN_ETH_FRAME_LEN at MTU 1500) */
static bool vx_too_long(const struct ofd_case *c)
{
	return c->pkts[0].len > VXR_BUF_LEN;
}

static int vx_ready(struct qemu *m)
{
	if (!m->vxrx) {
		m->vxrx = calloc(1, sizeof(*m->vxrx));
		if (!m->vxrx)
			return -ENOMEM;
		m->vxrx->tx_fd = -1;
	}
	return m->vxrx->gen != m->restarts + 1 ? rx_setup(m, m->vxrx) : 0;
}

static int vx_batch(struct qemu *m, const struct ofd_case *cases, struct ofd_result *const *res,
		    const unsigned int *idx, unsigned int n)
{
	return rx_batch(m, m->vxrx, cases, res, idx, n);
}

const struct qe_rx_drv qe_rx_drv_vmxnet3 = {
	.batch = VXR_BATCH,
	.ram_why = ram_why,
	.long_why = long_why,
	.refuse = vx_refuse,
	.too_long = vx_too_long,
	.ready = vx_ready,
	.batch_run = vx_batch,
};

void vx_rx_free(struct qemu *m)
{
	if (!m->vxrx)
		return;
	if (m->vxrx->tx_fd >= 0)
		close(m->vxrx->tx_fd);
	free(m->vxrx);
	m->vxrx = NULL;
}

void vx_rx_tally(const struct qemu *m, char *buf, size_t len)
{
	snprintf(buf, len, "; receive: %llu completions, %llu frames not received, %llu foreign",
		 (unsigned long long)m->vxrx->frames, (unsigned long long)m->vxrx->dropped,
		 (unsigned long long)m->vxrx->foreign);
}
