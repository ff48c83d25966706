/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * qemu_internal.h - the qemu target's parts: the process and its private
 * namespace (qemu.c), the qtest protocol client (qtest.c), the e1000e
 * device as the Linux driver programs it (e1000e.c, e1000e_plan.c), and
 * the transmit batches every model's cases go in (qemu_tx.c).
 */
#ifndef QEMU_INTERNAL_H
#define QEMU_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <sys/types.h>

#include "ofd.h"
#include "vmxnet3.h" /* struct vx_plan, for union qe_tx_plan */

/* ------------------------------------------------------------------ */
/* qtest.c: the protocol (QEMU's qtest/qtest.c, docs/devel/qtest.rst)  */
/* ------------------------------------------------------------------ */

/*
 * Commands are queued and sent in one go; every command has exactly one
 * answer line ("OK ..." or "FAIL ..."), and "IRQ ..." lines in between
 * are QEMU's own, never an answer. Batching is what makes qtest mode fast:
 * a whole ring of descriptors and their buffers costs one round trip.
 */
struct qt {
	int fd;
	char *out;           /* queued command text */
	size_t out_len, out_cap;
	unsigned int pending; /* commands sent or queued whose answer is unread */
	char in[4096];       /* the answer being read */
	size_t in_len;
	int timeout_ms;      /* the longest silence before QEMU counts as hung */
	char last[128];      /* the last answer of a sync, for values and errors */
};

void qt_init(struct qt *q, int fd, int timeout_ms);
void qt_free(struct qt *q);
/* Queue one command (no newline); -ENOMEM. */
int qt_queue(struct qt *q, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Queue "write ADDR LEN 0xHEX" for len bytes of guest memory. */
int qt_queue_write(struct qt *q, uint64_t addr, const uint8_t *d, size_t len);
/* Send what is queued and read every pending answer; the last one is in
 * q->last. -EPROTO when an answer is not OK, -ETIMEDOUT, -EPIPE. */
int qt_sync(struct qt *q);
/* One command and its value ("OK 0x..."): *val. */
int qt_query(struct qt *q, uint64_t *val, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* PCI configuration mechanism #1 (ports 0xcf8/0xcfc). */
int qt_pci_read32(struct qt *q, unsigned int dev, unsigned int reg, uint32_t *v);
int qt_pci_write32(struct qt *q, unsigned int dev, unsigned int reg, uint32_t v);

/* ------------------------------------------------------------------ */
/* e1000e_plan.c: what the Linux driver writes for a case             */
/* ------------------------------------------------------------------ */

/* Descriptor bits (Linux drivers/net/ethernet/intel/e1000e/hw.h, the
 * 82574 datasheet 7.2.10/7.2.11). */
#define QE_TXD_CMD_EOP 0x01000000u
#define QE_TXD_CMD_IFCS 0x02000000u
#define QE_TXD_CMD_RS 0x08000000u
#define QE_TXD_CMD_DEXT 0x20000000u
#define QE_TXD_CMD_TSE 0x04000000u  /* data and context descriptors */
#define QE_TXD_CMD_TCP 0x01000000u  /* context: TUCMD.TCP */
#define QE_TXD_CMD_IP 0x02000000u   /* context: TUCMD.IP (IPv4) */
#define QE_TXD_DTYP_D 0x00100000u
#define QE_TXD_POPTS_IXSM 0x01u
#define QE_TXD_POPTS_TXSM 0x02u
/* e1000e's E1000_MAX_PER_TXD: the most bytes one data descriptor maps. */
#define QE_MAX_PER_TXD 8192u
/* The 82574's largest frame, DEFAULT_JUMBO (9234), less VLAN_ETH_HLEN and
 * the FCS: the driver's max_mtu (e1000e netdev.c, e1000_probe). */
#define QE_MAX_MTU 9212u
/* skb_put_padto(skb, 17) in e1000_xmit_frame: the shortest frame with
 * TCTL.PSP set. */
#define QE_MIN_LEN 17u

/* What e1000_xmit_frame makes of a case: an optional context descriptor
 * (16 bytes as they sit in the ring, little endian), the header bytes
 * e1000_tso rewrites in the frame, and the data descriptors' flags. */
#define QE_MAX_FIX 4
struct qe_plan {
	bool has_ctx;
	uint8_t ctx[16];
	/* Every data descriptor: its command word without the length and
	 * EOP|RS (e1000e: lower, IFCS|DEXT|DTYP_D|TSE; igb: cmd_type_len),
	 * and its second word (e1000e: upper, POPTS << 8; igb: olinfo_status,
	 * PAYLEN << 14 | POPTS << 8). */
	uint32_t dcmd;
	uint32_t popts;
	uint32_t max_per_txd; /* bytes one data descriptor maps */
	unsigned int nfix;
	struct { uint32_t off; uint16_t val; } fix[QE_MAX_FIX]; /* big endian */
	uint32_t pad_to; /* length after skb_put_padto */
};

/* 0 with *p filled, or 1 when the driver never gets the case as the
 * device's work (*why: what the kernel or the driver does instead). */
int qe_plan(const struct ofd_case *c, struct qe_plan *p, const char **why);
/*
 * Whether the L4 header (@l4proto) at @thoff is the transport header of
 * the IP header at @l3 (through IPv6 extension headers: Hop-by-Hop,
 * Routing, Destination Options, AH), as the drivers' TSO takes ip_hdr and
 * tcp_hdr to be one packet's. TCP_AFTER_FRAG: an IPv6 Fragment header on
 * the way, for which the kernel has no GSO handler.
 */
enum { TCP_FOLLOWS, TCP_ELSEWHERE, TCP_AFTER_FRAG };
int qe_l4_follows_ip(const uint8_t *d, uint32_t len, uint16_t proto, uint32_t l3,
		     uint32_t thoff, uint8_t l4proto);
/* The same for the igb driver and the 82576 (igb_plan.c). */
int qe_plan_igb(const struct ofd_case *c, struct qe_plan *p, const char **why);

/*
 * A NIC model as the target drives it: its PCI id, where queue 0's TX
 * registers are (TDBAL; TDBAH, TDLEN, TDH, TDT at +4, +8, +0x10, +0x18),
 * the queue enable a driver sets, how its driver plans a case, and the
 * data descriptor the marker frame goes in.
 */
struct qemu;
struct qe_tx_drv;
struct qe_device {
	const char *name;  /* QEMU's -device name, and the key's value */
	const char *chip;
	uint16_t vendor, pci_id;
	uint32_t tdbal, txdctl, txdctl_val;
	int (*plan)(const struct ofd_case *c, struct qe_plan *p, const char **why);
	uint32_t marker_cmd;  /* with IFCS|EOP|RS and the length added */
	bool marker_paylen;   /* igb: PAYLEN in the second word */
	/* A model with a programming model of its own (vmxnet3.c): its own
	 * set-up and transmit side in place of the e1000 family's (NULL:
	 * those). */
	int (*setup)(struct qemu *m, char *err, size_t err_len);
	const struct qe_tx_drv *tx;
};
extern const struct qe_device qe_dev_e1000e, qe_dev_igb, qe_dev_vmxnet3;

/* ------------------------------------------------------------------ */
/* e1000e.c: the device over qtest                                     */
/* ------------------------------------------------------------------ */

#define QE_RING 256 /* descriptors: TDLEN 4096 */
#define QE_RAM_MB 256 /* -m: the ring, 60 MB of frames, room to spare */

/* One ring's worth of cases: the descriptors, the buffer bytes used, and
 * which cases (indices into qe_tx_run's arrays) its markers name. */
struct qe_batch {
	uint8_t ring[QE_RING * 16];
	unsigned int ndesc;
	uint32_t buf_used;
	unsigned int first, n;      /* cases[first, first + n) */
	uint64_t seq0;              /* the marker sequence of case first */
	unsigned int idx[QE_RING];  /* case index of each batch slot */
};
/* The largest frame a case hands the device: 64 KB of GSO, padded. */
#define QE_STAGE_MAX (65536u + QE_MIN_LEN)
/* Find the NIC on bus 0, map BAR0, reset it, set the TX ring up. */
int qe_setup(struct qemu *m, char *err, size_t err_len);
/* Guest memory [addr, addr + len) := d: memcpy into shared RAM, or a
 * queued qtest write. -EFAULT outside the RAM. */
int qe_mem_write(struct qemu *m, uint64_t addr, const uint8_t *d, size_t len);

/* Why a case of offload o is not run by the qemu target (qemu.c), in
 * qtest mode or the guest's (guest), or NULL where that mode runs it. */
const char *qe_offload_why(enum ofd_offload o, bool guest);

/* The GSO type a driver with TCP TSO only (e1000e, igb's TCP, vmxnet3
 * revision 1) is handed for case c (qemu_tx.c): 0 none, also for a
 * request virtio_net_hdr_to_skb leaves non-GSO; 2 TCP, *v6 for TCPv6;
 * 1 declined, *why the device's reason from w. */
struct qe_gso_whys {
	const char *udp, *tunnel, *ecn, *bits;
};
int qe_tcp_gso_kind(const struct ofd_case *c, const struct qe_gso_whys *w, bool *v6,
		    const char **why);

/* ------------------------------------------------------------------ */
/* qemu_tx.c: the transmit batches of every model                      */
/* ------------------------------------------------------------------ */

/* What a device's driver writes for one case (the device's own type). */
union qe_tx_plan {
	struct qe_plan e1000; /* e1000e, igb */
	struct vx_plan vx;    /* vmxnet3 */
};
/*
 * What qe_tx_run needs of a device's transmit side: it picks the cases a
 * batch can take (tx-csum or tso, one non-empty frame, one the driver
 * plans) until one does not fit, then sends the batch and reads its
 * frames back (qe_collect). e1000e.c is the 8254x family's (e1000e,
 * igb), vmxnet3.c vmxnet3's.
 */
struct qe_tx_drv {
	/* 0 with *p filled, or 1 with *why: the driver never gets the case
	 * as the device's work */
	int (*plan)(const struct qemu *m, const struct ofd_case *c, union qe_tx_plan *p,
		    const char **why);
	/* whether the planned case still fits in batch b (ring and buffers) */
	bool (*room)(const struct qe_batch *b, const union qe_tx_plan *p);
	/* the case's frame and descriptors into b, then its marker's */
	int (*add_case)(struct qemu *m, struct qe_batch *b, const struct ofd_case *c,
			const union qe_tx_plan *p);
	/* b's descriptors into the ring and the register write that sends
	 * them */
	int (*kick)(struct qemu *m, struct qe_batch *b);
};
extern const struct qe_tx_drv qe_tx_drv_8254x;
struct qe_batch *qe_batch_new(void);
/* Run n cases: batches of rings, the frames read off the tap. On an error
 * the failed batch is m->batch (qe_batch_cases) and *next the first case
 * after it. */
int qe_tx_run(struct qemu *m, const struct ofd_case *cases, struct ofd_result *const *res,
	      unsigned int n, unsigned int *next);
/* The cases (indices into qe_tx_run's arrays) of m->batch. */
unsigned int qe_batch_cases(const struct qemu *m, const unsigned int **idx);
/* Read the tap until batch b's last marker: each frame goes to the case
 * whose marker follows it (any model's batches). */
int qe_collect(struct qemu *m, struct qe_batch *b, struct ofd_result *const *res);
/* Throw away whatever waits on the capture (after a restart). */
void qe_drain(struct qemu *m);

/* ------------------------------------------------------------------ */
/* qemu.c: the engine                                                  */
/* ------------------------------------------------------------------ */

struct qemu {
	pid_t pid;
	struct qt qt;
	int tap_fd, cap_fd, ns_fd;
	int ifindex;
	char dir[64];       /* private temporary folder: socket, firmware, log */
	char version[96];   /* "QEMU 7.2.22 (Debian 1:7.2+dfsg-7+deb12u18+b3)" */
	char machine[16];
	char binary[256];
	unsigned int pci_dev;
	uint16_t device_id;
	const struct qe_device *dev;
	uint64_t bar0;
	uint32_t tdt;       /* next free descriptor */
	uint32_t tx_gen;    /* vmxnet3: the TX ring's generation bit at tdt */
	uint8_t mac[6];
	uint64_t marker_seq;
	/* Guest RAM, when it is a file both QEMU and offdiff map (ram=shared):
	 * frames and descriptors are written with memcpy, and qtest carries
	 * only register accesses. NULL: every byte goes as qtest `write`. */
	uint8_t *ram;
	size_t ram_size;
	char ram_path[96];
	uint8_t *buf;       /* OFD_PORT_FRAME_MAX: one frame off the tap */
	uint8_t *stage;     /* one case's frame as the driver leaves it */
	struct qe_batch *batch;
	/* counters for tally() */
	uint64_t cases, batches, frames, foreign, lost, restarts;
	/* what a restart needs */
	char bios[16], device[16];
	/* the receive direction (qemu_rx.c): its state, made at the first
	 * receive case; rx_mrqc=rss sets MRQC's RSS enable too */
	struct qe_rx *rx;
	bool rx_mrqe;
	struct vx_rx *vxrx; /* vmxnet3's receive side (vmxnet3_rx.c) */
};

/* qemu_proc.c: the process, its namespace, tap and RAM */
#define QEMU_TAP "ofdq0"
/* A private namespace with a tap named tap (no vnet header: QEMU finishes
 * every offload) and a capture on it of rcvbuf bytes; both modes. */
struct qemu_ns {
	int tap_fd, ns_fd, ifindex, cap_fd;
};
int qemu_ns_open(const char *tap, int rcvbuf, struct qemu_ns *ns, char *err, size_t err_len);
/* qemu_ns_open for the qtest mode's m. */
int qemu_make_ns(struct qemu *m, char *err, size_t err_len);
/* "QEMU 7.2.22 (...)" from `binary -version` (found on PATH), into out. */
void qemu_version_of(const char *binary, char *out, size_t len);
/* Guest RAM as a file in /dev/shm, mapped shared (ram=shared). */
int qemu_make_ram(struct qemu *m, char *err, size_t err_len);
/* Start QEMU on m's tap and RAM and accept its qtest connection. */
int qemu_start(struct qemu *m, const char *bios, const char *device, char *err,
	       size_t err_len);
/* SIGTERM, then SIGKILL after a second; always reaped. */
void qemu_stop(struct qemu *m);
/* m->version from `QEMU -version`. */
void qemu_read_version(struct qemu *m);

/* qemu_rx.c: rx-csum and rss cases of cases[0, n) (the others are left
 * alone); 0 or a qtest -errno. */
struct qe_rx;
int qe_rx_run(struct qemu *m, const struct ofd_case *cases, struct ofd_result *const *res,
	      unsigned int n);
void qe_rx_free(struct qemu *m);
void qe_rx_tally(const struct qemu *m, char *buf, size_t len);
/*
 * What qe_rx_run needs of a device's receive side: it picks the cases a
 * batch can take (one frame, 14 bytes or more, not too_long, in shared
 * RAM) and hands them over in batches. qemu_rx.c is the 8254x family's
 * (e1000e, igb), vmxnet3_rx.c vmxnet3's.
 */
struct qe_rx_drv {
	unsigned int batch;                   /* cases a batch, at most QE_RX_IDX_MAX */
	const char *ram_why, *long_why;       /* the device's words for those skips */
	const char *(*refuse)(const struct ofd_case *c); /* optional: a case it never takes */
	bool (*too_long)(const struct ofd_case *c);
	int (*ready)(struct qemu *m);         /* its rings set up (again after a restart) */
	int (*batch_run)(struct qemu *m, const struct ofd_case *cases,
			 struct ofd_result *const *res, const unsigned int *idx, unsigned int n);
};
#define QE_RX_IDX_MAX 128u
/* The tap's next frame, no vnet header (QEMU receives it); ms since t0. */
int qe_rx_send(int fd, const uint8_t *d, uint32_t len);
long qe_ms_since(const struct timespec *t0);
/* vmxnet3_rx.c: the vmxnet3 (rx-csum; rss unsupported: QEMU's model has
 * none). */
struct vx_rx;
extern const struct qe_rx_drv qe_rx_drv_vmxnet3;
void vx_rx_free(struct qemu *m);
void vx_rx_tally(const struct qemu *m, char *buf, size_t len);

#endif /* QEMU_INTERNAL_H */
