// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * e1000e.c - an e1000-family model (the e1000e's 82574L, the igb's 82576)
 * driven over qtest: PCI set-up, the transmit ring, and a batch's cases
 * written to it (qe_tx_drv_8254x, for qemu_tx.c's batch loop). What a
 * driver writes for a case is e1000e_plan.c or igb_plan.c.
 *
 * Guest memory (the firmware only halts, so all of it is ours):
 *   QE_RING_ADDR   the TX ring, QE_RING descriptors of 16 bytes
 *   QE_BUF_ADDR    the frames of one batch, each 64-byte aligned
 * A batch is as many cases as the ring holds: for each, the context
 * descriptor e1000_tx_csum/e1000_tso writes (when it writes one), the data
 * descriptors of e1000_tx_map (8192 bytes each), and after it a marker
 * frame on a legacy descriptor. One write of the ring, one of the
 * buffers, one TDT write: QEMU transmits the lot inside that register
 * write (e1000e_set_tdt -> e1000e_start_xmit) and the tap hands every
 * frame to our capture socket before the write returns, so when qtest
 * answers OK the frames are all readable. Markers name the case the
 * frames before them belong to.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qemu_internal.h"
#include "ofd_marker.h"

/* Registers (82574 datasheet 10.2, e1000e's regs.h). */
#define R_CTRL 0x0000
#define R_STATUS 0x0008
#define R_TCTL 0x0400
/* Queue 0's TX registers from its TDBAL on. */
#define R_TDBAH 0x04
#define R_TDLEN 0x08
#define R_TDH 0x10
#define R_TDT 0x18
#define CTRL_RST (1u << 26)
/* e1000_configure_tx: EN, PSP (pad short packets), RTLC, CT 15, COLD 63. */
#define TCTL_VAL ((1u << 1) | (1u << 3) | (1u << 24) | (15u << 4) | (63u << 12))

#define QE_BAR0 0xfeb80000u          /* in the PCI hole of pc and q35 */
#define QE_RING_ADDR 0x00100000u
#define QE_BUF_ADDR 0x00200000u
#define QE_BUF_SIZE (60u << 20)      /* QE_RAM_MB leaves room to spare */

/* The 82574L (e1000e): TDBAL 0x3800, no queue enable to set. */
const struct qe_device qe_dev_e1000e = {
	.name = "e1000e", .chip = "82574L", .vendor = 0x8086, .pci_id = 0x10d3,
	.tdbal = 0x3800,
	.plan = qe_plan,
	.marker_cmd = 0, /* a legacy descriptor */
};

/* The 82576 (igb): queue 0 at TDBAL0 0xE000, TXDCTL0 0xE028 with
 * TXDCTL.ENABLE (bit 25) as igb_configure_tx_ring sets it (82576
 * datasheet 8.12.15); advanced descriptors only (DTYP_DATA | DEXT). */
const struct qe_device qe_dev_igb = {
	.name = "igb", .chip = "82576", .vendor = 0x8086, .pci_id = 0x10c9,
	.tdbal = 0xe000, .txdctl = 0xe028, .txdctl_val = 1u << 25,
	.plan = qe_plan_igb,
	.marker_cmd = 0x00300000u | QE_TXD_CMD_DEXT,
	.marker_paylen = true,
};

/* A case's descriptors: a context, 9 data (65535 + pad in 8192s), the
 * marker's. */
#define QE_MAX_DESC_PER_CASE 11

int qe_setup(struct qemu *m, char *err, size_t err_len)
{
	struct qt *q = &m->qt;
	unsigned int dev;
	uint32_t id = 0, t;
	uint64_t v;
	int e;

	if (m->dev->setup)
		return m->dev->setup(m, err, err_len);
	for (dev = 0; dev < 32; dev++) {
		e = qt_pci_read32(q, dev, 0, &id);
		if (e)
			goto fail;
		if ((id & 0xffff) == 0x8086 && id >> 16 == m->dev->pci_id)
			break;
	}
	if (dev == 32) {
		snprintf(err, err_len, "qemu: no %s (8086:%04x) on PCI bus 0", m->dev->name,
			 m->dev->pci_id);
		return -ENODEV;
	}
	m->pci_dev = dev;
	m->device_id = (uint16_t)(id >> 16);
	m->bar0 = QE_BAR0;
	/* BAR0 (memory), then memory space and bus mastering (PCI command
	 * bits 1 and 2): the device reads descriptors by DMA. */
	if ((e = qt_pci_write32(q, dev, 0x10, QE_BAR0)) ||
	    (e = qt_pci_write32(q, dev, 0x04, 0x0006)))
		goto fail;
	/* A full reset, as the drivers' reset_hw does (CTRL.RST). */
	if ((e = qt_queue(q, "writel 0x%x 0x%x", QE_BAR0 + R_CTRL, CTRL_RST)) ||
	    (e = qt_sync(q)))
		goto fail;
	e = qt_query(q, &v, "readl 0x%x", QE_BAR0 + R_STATUS);
	if (e)
		goto fail;
	t = QE_BAR0 + m->dev->tdbal;
	if ((e = qt_queue(q, "writel 0x%x 0x%x", t, QE_RING_ADDR)) ||
	    (e = qt_queue(q, "writel 0x%x 0x0", t + R_TDBAH)) ||
	    (e = qt_queue(q, "writel 0x%x 0x%x", t + R_TDLEN, QE_RING * 16)) ||
	    (e = qt_queue(q, "writel 0x%x 0x0", t + R_TDH)) ||
	    (e = qt_queue(q, "writel 0x%x 0x0", t + R_TDT)) ||
	    (m->dev->txdctl && (e = qt_queue(q, "writel 0x%x 0x%x", QE_BAR0 + m->dev->txdctl,
					     m->dev->txdctl_val))) ||
	    (e = qt_queue(q, "writel 0x%x 0x%x", QE_BAR0 + R_TCTL, TCTL_VAL)) ||
	    (e = qt_sync(q)))
		goto fail;
	e = qt_query(q, &v, "readl 0x%x", QE_BAR0 + R_TCTL);
	if (e)
		goto fail;
	if (!(v & (1u << 1))) {
		snprintf(err, err_len, "qemu: %s TCTL reads 0x%llx: transmit not enabled",
			 m->dev->name, (unsigned long long)v);
		return -EIO;
	}
	m->tdt = 0;
	return 0;
fail:
	snprintf(err, err_len, "qemu: qtest set-up of the %s failed: %s (%s)", m->dev->name,
		 strerror(-e), q->last);
	return e;
}

int qe_mem_write(struct qemu *m, uint64_t addr, const uint8_t *d, size_t len)
{
	if (!m->ram)
		return qt_queue_write(&m->qt, addr, d, len);
	if (addr > m->ram_size || len > m->ram_size - addr)
		return -EFAULT;
	memcpy(m->ram + addr, d, len);
	return 0;
}

static void put_le64(uint8_t *p, uint64_t v)
{
	int i;

	for (i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put_le32(uint8_t *p, uint32_t v)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* One data descriptor (struct e1000_tx_desc): buffer, lower, upper. */
static void data_desc(uint8_t *d, uint64_t addr, uint32_t lower, uint32_t upper)
{
	put_le64(d, addr);
	put_le32(d + 8, lower);
	put_le32(d + 12, upper);
}

static int add_desc(struct qe_batch *b, const uint8_t d[16])
{
	if (b->ndesc >= QE_RING - 1)
		return -ENOSPC;
	memcpy(b->ring + 16 * b->ndesc++, d, 16);
	return 0;
}

/* Frame bytes into the batch's buffer area; its guest address. */
static int add_buf(struct qemu *m, struct qe_batch *b, const uint8_t *d, uint32_t len,
		   uint64_t *addr)
{
	uint32_t at = (b->buf_used + 63) & ~63u;
	int e;

	if (at + len > QE_BUF_SIZE)
		return -ENOSPC;
	*addr = QE_BUF_ADDR + at;
	e = qe_mem_write(m, *addr, d, len);
	if (e)
		return e;
	b->buf_used = at + len;
	return 0;
}

/* The 8254x family's transmit side for qe_tx_run: the plan is the
 * device's driver's (e1000e_plan.c or igb_plan.c). */
static int e1000e_tx_plan(const struct qemu *m, const struct ofd_case *c, union qe_tx_plan *p,
			  const char **why)
{
	return m->dev->plan(c, &p->e1000, why);
}

/* The case's descriptors and its marker's in the ring, its padded frame
 * and the marker (each 64-byte aligned) in the buffer area. */
static bool e1000e_tx_room(const struct qe_batch *b, const union qe_tx_plan *p)
{
	return b->ndesc + QE_MAX_DESC_PER_CASE <= QE_RING - 1 &&
	       b->buf_used + p->e1000.pad_to + 2 * 64 + OFD_MARKER_LEN <= QE_BUF_SIZE;
}

/* The descriptors the driver writes for case c, and its marker's. */
static int add_case(struct qemu *m, struct qe_batch *b, const struct ofd_case *c,
		    const union qe_tx_plan *plan)
{
	const struct qe_plan *p = &plan->e1000;
	uint32_t len = c->pkts[0].len, off, n, lower;
	uint8_t d[16], mk[OFD_MARKER_LEN];
	uint64_t addr;
	unsigned int i;
	int e;

	/* qe_plan keeps every case within the stage (64 KB GSO, 9226-byte
	 * frames); a case past it is a bug here, not the device's. */
	if (p->pad_to > QE_STAGE_MAX)
		return -EINVAL;
	memcpy(m->stage, c->pkts[0].data, len);
	/* skb_put_padto(skb, 17): zeros. */
	if (p->pad_to > len)
		memset(m->stage + len, 0, p->pad_to - len);
	for (i = 0; i < p->nfix; i++)
		if (p->fix[i].off + 2 <= len)
			ofd_put_be16(m->stage + p->fix[i].off, p->fix[i].val);
	len = p->pad_to;
	e = add_buf(m, b, m->stage, len, &addr);
	if (e)
		return e;
	if (p->has_ctx && (e = add_desc(b, p->ctx)))
		return e;
	/* e1000_tx_map: min(len, E1000_MAX_PER_TXD) per descriptor;
	 * e1000_tx_queue: IFCS on every one, EOP|RS (adapter->txd_cmd) on
	 * the last. */
	for (off = 0; off < len; off += n) {
		n = len - off < p->max_per_txd ? len - off : p->max_per_txd;
		lower = p->dcmd | n;
		if (off + n == len)
			lower |= QE_TXD_CMD_EOP | QE_TXD_CMD_RS;
		data_desc(d, addr + off, lower, p->popts);
		if ((e = add_desc(b, d)))
			return e;
	}
	ofd_marker_build(mk, m->mac, b->seq0 + b->n, c->id);
	e = add_buf(m, b, mk, sizeof(mk), &addr);
	if (e)
		return e;
	data_desc(d, addr, m->dev->marker_cmd | QE_TXD_CMD_IFCS | QE_TXD_CMD_EOP | QE_TXD_CMD_RS |
			   sizeof(mk), m->dev->marker_paylen ? sizeof(mk) << 14 : 0);
	return add_desc(b, d);
}

/* Write the batch's descriptors at TDT on (wrapping), then move TDT. */
static int kick(struct qemu *m, struct qe_batch *b)
{
	unsigned int first = QE_RING - m->tdt < b->ndesc ? QE_RING - m->tdt : b->ndesc;
	int e;

	e = qe_mem_write(m, QE_RING_ADDR + 16ull * m->tdt, b->ring, 16 * first);
	if (!e && b->ndesc > first)
		e = qe_mem_write(m, QE_RING_ADDR, b->ring + 16 * first, 16 * (b->ndesc - first));
	if (e)
		return e;
	m->tdt = (m->tdt + b->ndesc) % QE_RING;
	e = qt_queue(&m->qt, "writel 0x%llx 0x%x",
		     (unsigned long long)m->bar0 + m->dev->tdbal + R_TDT, m->tdt);
	return e ? e : qt_sync(&m->qt);
}


const struct qe_tx_drv qe_tx_drv_8254x = {
	.plan = e1000e_tx_plan,
	.room = e1000e_tx_room,
	.add_case = add_case,
	.kick = kick,
};
