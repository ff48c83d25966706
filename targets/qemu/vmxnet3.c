// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * vmxnet3.c - QEMU's vmxnet3 (hw/net/vmxnet3.c) driven over qtest as the
 * Linux vmxnet3 driver programs it: PCI set-up, the driver shared area
 * and queue descriptors in guest memory, activation, and a batch's cases
 * written to TX queue 0 (qe_tx_drv_vmxnet3, for qemu_tx.c's batch loop).
 * What the driver writes for a case is vmxnet3_plan.c.
 *
 * Guest memory (the firmware only halts, so all of it is ours):
 *   VX_SHARED    struct Vmxnet3_DriverShared (720 bytes)
 *   VX_QDESC     one Vmxnet3_TxQueueDesc, one Vmxnet3_RxQueueDesc (256 each)
 *   VX_TXRING    QE_RING TX descriptors; VX_DATARING their 128-byte data
 *                ring entries; VX_COMPRING the completion ring
 *   VX_RXRING*   the receive rings, left empty (gen 0: no buffers)
 *   VX_BUF       the frames of one batch, each 64-byte aligned
 * Unlike the e1000 family there is no tail register the device compares
 * with: QEMU's vmxnet3_process_tx_queue, run on any TXPROD write, takes
 * every descriptor whose gen bit is the ring's current generation. So a
 * batch is written whole (SOP gens included, as the driver's final flip
 * leaves them) and one TXPROD write sends it; stale slots of the last lap
 * carry the other generation and stop the device.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "qemu_internal.h"
#include "vmxnet3.h"
#include "ofd_marker.h"

/* BAR1 (VMXNET3_REG_*) and BAR0 registers, commands, magic. */
#define R1_VRRS 0x00
#define R1_UVRS 0x08
#define R1_DSAL 0x10
#define R1_DSAH 0x18
#define R0_TXPROD 0x600
#define CMD_ACTIVATE_DEV 0xcafe0000u
#define CMD_RESET_DEV 0xcafe0002u
#define REV1_MAGIC 3133079265u

#define VX_BAR0 0xfeb80000u /* 4 KB each, in the PCI hole of pc and q35 */

#define VX_QDESC 0x00101000u    /* VMXNET3_QUEUE_DESC_ALIGN 128 */
#define VX_TXRING 0x00102000u   /* VMXNET3_RING_BA_ALIGN 512 */
#define VX_DATARING 0x00104000u
#define VX_COMPRING 0x0010c000u
#define VX_BUF 0x00200000u
#define VX_BUF_SIZE (60u << 20)

/* Offsets in struct Vmxnet3_DriverShared (vmxnet3_defs.h: magic, pad,
 * devRead.misc at 8, devRead.intrConf at 80, rxFilterConf at 120, ...). */
#define DS_MAGIC 0
#define DS_DRV_VERSION 8
#define DS_GOS 12
#define DS_REV_SPT 16
#define DS_UPT_SPT 20
#define DS_UPT_FEATURES 24
#define DS_QDESC_PA 40
#define DS_QDESC_LEN 52
#define DS_MTU 56
#define DS_MAX_RX_SG 60
#define DS_NUM_TXQ 62
#define DS_NUM_RXQ 63
#define DS_AUTOMASK 80
#define DS_NUM_INTRS 81
#define DS_EVENT_INTR 82
#define DS_SIZE 720
/* struct Vmxnet3_TxQueueDesc: ctrl (16), conf from 16. */
#define TQ_RING_PA 16
#define TQ_DATA_PA 24
#define TQ_COMP_PA 32
#define TQ_RING_SIZE 56
#define TQ_DATA_SIZE 60
#define TQ_COMP_SIZE 64
#define TQ_INTR 72
/* struct Vmxnet3_RxQueueDesc: ctrl (16), conf from 16. */
#define RQ_RING0_PA 16
#define RQ_RING1_PA 24
#define RQ_COMP_PA 32
#define RQ_RING0_SIZE 56
#define RQ_RING1_SIZE 60
#define RQ_COMP_SIZE 64
#define RQ_INTR 72
#define QD_SIZE 256

/* UPT1_F_RXCSUM | UPT1_F_RXVLAN | UPT1_F_LRO: what vmxnet3_setup_driver_
 * shared asks for with the default features. */
#define UPT_FEATURES 0x000du
/* VMXNET3_RXM_UCAST | VMXNET3_RXM_BCAST */
#define RX_MODE 0x05u

static void put_le16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put_le32(uint8_t *p, uint32_t v)
{
	put_le16(p, (uint16_t)v);
	put_le16(p + 2, (uint16_t)(v >> 16));
}

static void put_le64(uint8_t *p, uint64_t v)
{
	put_le32(p, (uint32_t)v);
	put_le32(p + 4, (uint32_t)(v >> 32));
}

/* vmxnet3_setup_driver_shared for one TX and one RX queue, INTx (QEMU's
 * assertions want every interrupt index 0 without MSI). */
static int write_shared(struct qemu *m)
{
	static uint8_t zero[0x12000];
	uint8_t ds[DS_SIZE] = { 0 }, qd[2 * QD_SIZE] = { 0 };
	int e;

	put_le32(ds + DS_MAGIC, REV1_MAGIC);
	put_le32(ds + DS_DRV_VERSION, 0x01080000u); /* VMXNET3_DRIVER_VERSION_NUM 1.8 */
	/* gosBits 64 (2) | gosType Linux (1) << 2 */
	put_le32(ds + DS_GOS, 2u | 1u << 2);
	put_le32(ds + DS_REV_SPT, 1);
	put_le32(ds + DS_UPT_SPT, 1);
	put_le64(ds + DS_UPT_FEATURES, UPT_FEATURES);
	put_le64(ds + DS_QDESC_PA, VX_QDESC);
	put_le32(ds + DS_QDESC_LEN, sizeof(qd));
	/* netdev->mtu: at max_mtu, the MTU vx_plan assumes (frames up to
	 * 9000 bytes of IP); QEMU reads it only for receive statistics. */
	put_le32(ds + DS_MTU, VX_MAX_MTU);
	put_le16(ds + DS_MAX_RX_SG, 1 + 17); /* 1 + MAX_SKB_FRAGS */
	ds[DS_NUM_TXQ] = 1;
	ds[DS_NUM_RXQ] = 1;
	ds[DS_AUTOMASK] = 1;  /* VMXNET3_IMM_AUTO */
	ds[DS_NUM_INTRS] = 1;
	ds[DS_EVENT_INTR] = 0;
	put_le32(ds + DS_RX_MODE, RX_MODE);

	put_le64(qd + TQ_RING_PA, VX_TXRING);
	put_le64(qd + TQ_DATA_PA, VX_DATARING);
	put_le64(qd + TQ_COMP_PA, VX_COMPRING);
	put_le32(qd + TQ_RING_SIZE, QE_RING);
	put_le32(qd + TQ_DATA_SIZE, QE_RING);
	put_le32(qd + TQ_COMP_SIZE, QE_RING);
	qd[TQ_INTR] = 0;
	put_le64(qd + QD_SIZE + RQ_RING0_PA, VX_RXRING0);
	put_le64(qd + QD_SIZE + RQ_RING1_PA, VX_RXRING1);
	put_le64(qd + QD_SIZE + RQ_COMP_PA, VX_RXCOMP);
	put_le32(qd + QD_SIZE + RQ_RING0_SIZE, VX_RX_RING);
	put_le32(qd + QD_SIZE + RQ_RING1_SIZE, VX_RX_RING);
	put_le32(qd + QD_SIZE + RQ_COMP_SIZE, 2 * VX_RX_RING);
	qd[QD_SIZE + RQ_INTR] = 0;

	/* Every ring zeroed: TX descriptors of an earlier QEMU (a restart)
	 * must not carry generation 1, and RX rings with gen 0 give the
	 * device no buffers. */
	if ((e = qe_mem_write(m, VX_TXRING, zero, sizeof(zero))) ||
	    (e = qe_mem_write(m, VX_SHARED, ds, sizeof(ds))))
		return e;
	return qe_mem_write(m, VX_QDESC, qd, sizeof(qd));
}

static int vx_setup(struct qemu *m, char *err, size_t err_len)
{
	struct qt *q = &m->qt;
	unsigned int dev;
	uint32_t id = 0;
	uint64_t v;
	int e;

	for (dev = 0; dev < 32; dev++) {
		e = qt_pci_read32(q, dev, 0, &id);
		if (e)
			goto fail;
		if (id == ((uint32_t)VX_PCI_ID << 16 | VX_PCI_VENDOR))
			break;
	}
	if (dev == 32) {
		snprintf(err, err_len, "qemu: no vmxnet3 (%04x:%04x) on PCI bus 0", VX_PCI_VENDOR,
			 VX_PCI_ID);
		return -ENODEV;
	}
	m->pci_dev = dev;
	m->device_id = VX_PCI_ID;
	m->bar0 = VX_BAR0;
	/* BAR0 (the pass-through registers), BAR1 (the virtual device's),
	 * memory space and bus mastering: vmxnet3_alloc_pci_resources. */
	if ((e = qt_pci_write32(q, dev, 0x10, VX_BAR0)) ||
	    (e = qt_pci_write32(q, dev, 0x14, VX_BAR1)) ||
	    (e = qt_pci_write32(q, dev, 0x04, 0x0006)))
		goto fail;
	/* vmxnet3_probe_device: the revisions the device offers, one chosen. */
	e = qt_query(q, &v, "readl 0x%x", VX_BAR1 + R1_VRRS);
	if (e)
		goto fail;
	if (!(v & 1)) {
		snprintf(err, err_len, "qemu: vmxnet3 VRRS reads 0x%llx: no revision 1",
			 (unsigned long long)v);
		return -EIO;
	}
	if ((e = qt_queue(q, "writel 0x%x 0x1", VX_BAR1 + R1_VRRS)) ||
	    (e = qt_queue(q, "writel 0x%x 0x1", VX_BAR1 + R1_UVRS)) ||
	    (e = qt_queue(q, "writel 0x%x 0x%x", VX_BAR1 + R1_CMD, CMD_RESET_DEV)) ||
	    (e = qt_sync(q)))
		goto fail;
	e = write_shared(m);
	if (e)
		goto fail;
	/* vmxnet3_activate_dev: DSAL, DSAH, ACTIVATE_DEV, and the command
	 * register reads 0 when the device took it. */
	if ((e = qt_queue(q, "writel 0x%x 0x%x", VX_BAR1 + R1_DSAL, VX_SHARED)) ||
	    (e = qt_queue(q, "writel 0x%x 0x0", VX_BAR1 + R1_DSAH)) ||
	    (e = qt_queue(q, "writel 0x%x 0x%x", VX_BAR1 + R1_CMD, CMD_ACTIVATE_DEV)) ||
	    (e = qt_sync(q)))
		goto fail;
	e = qt_query(q, &v, "readl 0x%x", VX_BAR1 + R1_CMD);
	if (e)
		goto fail;
	if (v) {
		snprintf(err, err_len, "qemu: vmxnet3 did not activate (CMD reads 0x%llx)",
			 (unsigned long long)v);
		return -EIO;
	}
	m->tdt = 0;
	m->tx_gen = 1; /* VMXNET3_INIT_GEN */
	return 0;
fail:
	snprintf(err, err_len, "qemu: qtest set-up of the vmxnet3 failed: %s (%s)", strerror(-e),
		 q->last);
	return e;
}

/* One TX descriptor at batch slot b->ndesc; the ring slot it lands in
 * decides its generation (flipped on every lap). */
static int add_txd(struct qemu *m, struct qe_batch *b, uint64_t addr, uint32_t dw2,
		   uint32_t dw3)
{
	uint32_t slot = m->tdt + b->ndesc;
	uint32_t gen = slot >= QE_RING ? m->tx_gen ^ 1 : m->tx_gen;
	uint8_t *d;

	if (b->ndesc >= QE_RING - 1)
		return -ENOSPC;
	d = b->ring + 16 * b->ndesc++;
	put_le64(d, addr);
	put_le32(d + 8, dw2 | (gen ? VX_TXD_GEN : 0));
	put_le32(d + 12, dw3);
	return 0;
}

static int add_buf(struct qemu *m, struct qe_batch *b, const uint8_t *d, uint32_t len,
		   uint64_t *addr)
{
	uint32_t at = (b->buf_used + 63) & ~63u;
	int e;

	if (at > VX_BUF_SIZE || len > VX_BUF_SIZE - at)
		return -ENOSPC;
	*addr = VX_BUF + at;
	e = qe_mem_write(m, *addr, d, len);
	if (e)
		return e;
	b->buf_used = at + len;
	return 0;
}

/* The descriptors vmxnet3_tq_xmit writes for case c, then its marker's. */
static int add_case(struct qemu *m, struct qe_batch *b, const struct ofd_case *c,
		    const union qe_tx_plan *plan)
{
	const struct vx_plan *p = &plan->vx;
	struct vx_txd t[VX_MAX_TXD_PER_CASE];
	uint8_t mk[OFD_MARKER_LEN];
	uint64_t addr, a;
	unsigned int i, nt;
	int e;

	if (p->len > QE_STAGE_MAX || p->len != c->pkts[0].len)
		return -EINVAL;
	memcpy(m->stage, c->pkts[0].data, p->len);
	for (i = 0; i < p->nfix; i++)
		if (p->fix[i].off + 2 <= p->len)
			ofd_put_be16(m->stage + p->fix[i].off, p->fix[i].val);
	e = add_buf(m, b, m->stage, p->len, &addr);
	if (e)
		return e;
	nt = vx_plan_txds(p, t, VX_MAX_TXD_PER_CASE);
	if (!nt)
		return -EINVAL;
	for (i = 0; i < nt; i++) {
		if (t[i].data_ring) {
			/* vmxnet3_copy_hdr: into the data ring entry of the
			 * SOP's own ring slot. */
			a = VX_DATARING + (uint64_t)((m->tdt + b->ndesc) % QE_RING) * VX_TXDATA_DESC;
			e = qe_mem_write(m, a, m->stage, t[i].len);
		} else {
			a = addr + t[i].off;
			e = 0;
		}
		if (e || (e = add_txd(m, b, a, t[i].dw2, t[i].dw3)))
			return e;
	}
	ofd_marker_build(mk, m->mac, b->seq0 + b->n, c->id);
	e = add_buf(m, b, mk, sizeof(mk), &addr);
	return e ? e : add_txd(m, b, addr, sizeof(mk), VX_TXD_CQ | VX_TXD_EOP);
}

/* The batch into the ring at tdt (wrapping), then one TXPROD write. */
static int kick(struct qemu *m, struct qe_batch *b)
{
	unsigned int first = QE_RING - m->tdt < b->ndesc ? QE_RING - m->tdt : b->ndesc;
	int e;

	e = qe_mem_write(m, VX_TXRING + 16ull * m->tdt, b->ring, 16 * first);
	if (!e && b->ndesc > first)
		e = qe_mem_write(m, VX_TXRING, b->ring + 16 * first, 16 * (b->ndesc - first));
	if (e)
		return e;
	if (m->tdt + b->ndesc >= QE_RING)
		m->tx_gen ^= 1;
	m->tdt = (m->tdt + b->ndesc) % QE_RING;
	e = qt_queue(&m->qt, "writel 0x%llx 0x%x", (unsigned long long)m->bar0 + R0_TXPROD,
		     m->tdt);
	return e ? e : qt_sync(&m->qt);
}

/* vmxnet3's transmit side for qe_tx_run. */
static int vx_tx_plan(const struct qemu *m, const struct ofd_case *c, union qe_tx_plan *p,
		      const char **why)
{
	return vx_plan(c, &p->vx, why);
}

/* The case's descriptors and its marker's in the ring, its frame and the
 * marker (each 64-byte aligned) in the buffer area. */
static bool vx_tx_room(const struct qe_batch *b, const union qe_tx_plan *p)
{
	return b->ndesc + VX_MAX_TXD_PER_CASE + 1 <= QE_RING - 1 &&
	       b->buf_used + p->vx.len + 2 * 64 + OFD_MARKER_LEN <= VX_BUF_SIZE;
}

static const struct qe_tx_drv qe_tx_drv_vmxnet3 = {
	.plan = vx_tx_plan,
	.room = vx_tx_room,
	.add_case = add_case,
	.kick = kick,
};

/* VMware's vmxnet3 (15ad:07b0), QEMU's model of revision 1. */
const struct qe_device qe_dev_vmxnet3 = {
	.name = "vmxnet3", .chip = "vmxnet3 rev 1", .vendor = VX_PCI_VENDOR, .pci_id = VX_PCI_ID,
	.setup = vx_setup,
	.tx = &qe_tx_drv_vmxnet3,
};
