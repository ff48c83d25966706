// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * qemu.c - the `qemu` target: a QEMU NIC model (e1000e; igb with QEMU 8
 * and later) in qtest mode.
 *
 * One QEMU per campaign (per open), started as
 *
 *   qemu-system-x86_64 -M q35 -nodefaults -display none -accel tcg -m 256
 *       -bios FIRMWARE -qtest unix:SOCK -netdev tap,id=n0,fd=3
 *       -device e1000e,netdev=n0,mac=...
 *
 * and driven over the qtest socket (qtest.c): offdiff is the device's Linux
 * driver (e1000e.c; e1000e_plan.c, igb_plan.c). Why each piece:
 *  - the tap is made by offdiff in a namespace of its own (nothing on the
 *    host sees it) and handed to QEMU as fd 3. It has no IFF_VNET_HDR, so
 *    QEMU probes it as vnet_hdr=off (net/tap.c: tap_probe_vnet_hdr; the
 *    vnet_hdr= option is refused together with fd=) and must finish every
 *    checksum and segment itself (net_tx_pkt_send falls back to software
 *    when its peer takes no virtio_net_hdr). The frames QEMU writes are
 *    the tap's receive path: an AF_PACKET socket in the namespace reads them.
 *  - the CPU runs a firmware that only halts: with -S (no CPU running)
 *    QEMU's net queue holds every transmitted frame back
 *    (qemu_net_queue_send checks the run state). The default is offdiff's
 *    own 64 KiB image (cli; hlt at the reset vector), written at open;
 *    bios=qboot takes QEMU's qboot.rom, bios=seabios QEMU's default.
 *  - -accel tcg: Debian builds no qtest accelerator, and KVM may be absent;
 *    plain -qtest answers memory and register commands under TCG.
 *  - guest RAM is a file in /dev/shm that offdiff maps too
 *    (-object memory-backend-file,share=on, -M ...,memory-backend=): frames
 *    and descriptors are a memcpy, and qtest carries only register
 *    accesses; ram=qtest keeps the pure-protocol path (every byte as hex
 *    in `write` commands), for a QEMU that cannot share its RAM.
 *  - -qtest-log none: by default QEMU logs every qtest command and answer
 *    to stderr, which cost more than the commands themselves.
 * The process, the namespace and the RAM file are qemu_proc.c; this file
 * is the engine: settings, open, run (and a restart when QEMU dies or
 * hangs), identity, close.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "qemu_internal.h"
#include "guest_internal.h"
#include "ofd_port.h"

#define QEMU_DEFAULT_BIN "qemu-system-x86_64"

static const struct ofd_engine_param_doc qemu_params[] = {
	{ "device", "the NIC model: e1000e (default), igb (QEMU 8 and later) or vmxnet3; "
		    "mode=guest: e1000e, igb or virtio-net (rss)" },
	{ "machine", "the machine: q35 (default) or pc" },
	{ "bios", "halt (default: offdiff's halting firmware), qboot, or seabios" },
	{ "qemu", "the QEMU binary (default qemu-system-x86_64 on PATH)" },
	{ "ram", "shared (default: guest RAM a file offdiff maps too) or qtest (every byte over qtest)" },
	{ "rx_mrqc", "receive: driver (default: MRQC as the Linux e1000e driver writes it) or rss (MRQE set too)" },
	QEMU_GUEST_PARAM_DOCS,
	{ NULL, NULL },
};

/* A path or name made only of what binary paths are made of: it reaches
 * execve, never a shell, but a report prints it. */
static bool plain_path(const char *v)
{
	return *v && strlen(v) < 256 &&
	       strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+/-") ==
		       strlen(v);
}

/* The binary on PATH (or as given): 0, or -ENOENT. */
static int find_binary(const char *name, char *out, size_t cap)
{
	const char *path = getenv("PATH");
	char buf[4096];
	char *dir, *save = NULL;

	if (strchr(name, '/')) {
		if (access(name, X_OK))
			return -ENOENT;
		snprintf(out, cap, "%s", name);
		return 0;
	}
	snprintf(buf, sizeof(buf), "%s", path ? path : "/usr/bin:/bin");
	for (dir = strtok_r(buf, ":", &save); dir; dir = strtok_r(NULL, ":", &save)) {
		char p[512];

		snprintf(p, sizeof(p), "%s/%s", dir, name);
		if (!access(p, X_OK) && strlen(p) < cap) {
			snprintf(out, cap, "%s", p);
			return 0;
		}
	}
	return -ENOENT;
}

static int qemu_probe(char *why, size_t why_len)
{
	char bin[256];

	if (find_binary(QEMU_DEFAULT_BIN, bin, sizeof(bin))) {
		snprintf(why, why_len, "%s is not installed (Debian: qemu-system-x86; "
			 "scripts/ensure-deps.sh qemu)", QEMU_DEFAULT_BIN);
		return -ENODEV;
	}
	if (geteuid()) {
		snprintf(why, why_len, "the qemu target makes a network namespace and a tap: run as root");
		return -EPERM;
	}
	return 0;
}

static void qemu_close(void *priv)
{
	struct qemu *m = priv;
	char path[96];

	if (qemu_guest_owns(priv)) {
		qemu_guest_close(priv);
		return;
	}
	if (!m)
		return;
	qt_free(&m->qt);
	qemu_stop(m);
	qe_rx_free(m);
	if (m->cap_fd >= 0)
		close(m->cap_fd);
	if (m->tap_fd >= 0)
		close(m->tap_fd);
	if (m->ns_fd >= 0)
		close(m->ns_fd);
	if (m->dir[0]) {
		static const char *const files[] = { "qtest.sock", "halt.bin", "qemu.log" };
		size_t i;

		for (i = 0; i < OFD_ARRAY_SIZE(files); i++) {
			snprintf(path, sizeof(path), "%s/%s", m->dir, files[i]);
			unlink(path);
		}
		rmdir(m->dir);
	}
	if (m->ram)
		munmap(m->ram, m->ram_size);
	if (m->ram_path[0])
		unlink(m->ram_path);
	free(m->buf);
	free(m->stage);
	free(m->batch);
	free(m);
}

static int qemu_open(const struct ofd_engine_opts *opts, void **priv)
{
	const char *device = ofd_engine_param(opts, "device");
	const char *machine = ofd_engine_param(opts, "machine");
	const char *bios = ofd_engine_param(opts, "bios");
	const char *bin = ofd_engine_param(opts, "qemu");
	const char *ram = ofd_engine_param(opts, "ram");
	const char *mode = ofd_engine_param(opts, "mode");
	const char *rx_mrqc = ofd_engine_param(opts, "rx_mrqc");
	char err[512];
	struct qemu *m;
	int e;

	/* guest mode: the real Linux driver in a booted guest (guest.c) */
	if (mode && !strcmp(mode, "guest"))
		return qemu_guest_open(opts, priv);
	if (mode && strcmp(mode, "qtest")) {
		ofd_pr_warn("qemu: mode is qtest or guest, not '%s'\n", mode);
		return -EINVAL;
	}

	device = device ? device : "e1000e";
	machine = machine ? machine : "q35";
	bios = bios ? bios : "halt";
	if (strcmp(device, "e1000e") && strcmp(device, "igb") && strcmp(device, "vmxnet3")) {
		ofd_pr_warn("qemu: device is e1000e, igb (QEMU 8 and later) or vmxnet3, not '%s'\n",
			    device);
		return -EINVAL;
	}
	if (strcmp(machine, "q35") && strcmp(machine, "pc")) {
		ofd_pr_warn("qemu: machine is q35 or pc, not '%s'\n", machine);
		return -EINVAL;
	}
	if (strcmp(bios, "halt") && strcmp(bios, "qboot") && strcmp(bios, "seabios")) {
		ofd_pr_warn("qemu: bios is halt, qboot or seabios, not '%s'\n", bios);
		return -EINVAL;
	}
	if (ram && strcmp(ram, "shared") && strcmp(ram, "qtest")) {
		ofd_pr_warn("qemu: ram is shared or qtest, not '%s'\n", ram);
		return -EINVAL;
	}
	if (rx_mrqc && strcmp(rx_mrqc, "driver") && strcmp(rx_mrqc, "rss")) {
		ofd_pr_warn("qemu: rx_mrqc is driver or rss, not '%s'\n", rx_mrqc);
		return -EINVAL;
	}
	if (bin && !plain_path(bin)) {
		ofd_pr_warn("qemu: '%s' is not a plain binary path\n", bin);
		return -EINVAL;
	}
	m = calloc(1, sizeof(*m));
	if (!m)
		return -ENOMEM;
	m->tap_fd = m->cap_fd = m->ns_fd = -1;
	m->qt.fd = -1;
	snprintf(m->machine, sizeof(m->machine), "%s", machine);
	snprintf(m->bios, sizeof(m->bios), "%s", bios);
	snprintf(m->device, sizeof(m->device), "%s", device);
	m->rx_mrqe = rx_mrqc && !strcmp(rx_mrqc, "rss");
	m->dev = !strcmp(device, "igb")	    ? &qe_dev_igb :
		 !strcmp(device, "vmxnet3") ? &qe_dev_vmxnet3 :
					      &qe_dev_e1000e;
	m->buf = malloc(OFD_PORT_FRAME_MAX);
	m->stage = malloc(QE_STAGE_MAX);
	m->batch = qe_batch_new();
	if (!m->buf || !m->stage || !m->batch) {
		e = -ENOMEM;
		goto fail_quiet;
	}
	if (find_binary(bin ? bin : QEMU_DEFAULT_BIN, m->binary, sizeof(m->binary))) {
		ofd_pr_warn("qemu: %s not found (scripts/ensure-deps.sh qemu installs it)\n",
			    bin ? bin : QEMU_DEFAULT_BIN);
		e = -ENODEV;
		goto fail_quiet;
	}
	qemu_read_version(m);
	/* A locally administered MAC naming this process, so our markers are
	 * told from any other run's (ofd_marker.h). */
	m->mac[0] = 0x02;
	m->mac[1] = 'o';
	m->mac[2] = 'f';
	m->mac[3] = 'q';
	m->mac[4] = (uint8_t)(getpid() >> 8);
	m->mac[5] = (uint8_t)getpid();
	snprintf(m->dir, sizeof(m->dir), "/tmp/offdiff-qemu-XXXXXX");
	if (!mkdtemp(m->dir)) {
		e = -errno;
		m->dir[0] = 0;
		snprintf(err, sizeof(err), "qemu: mkdtemp: %s", strerror(-e));
		goto fail;
	}
	e = qemu_make_ns(m, err, sizeof(err));
	if (e)
		goto fail;
	if (!ram || !strcmp(ram, "shared")) {
		e = qemu_make_ram(m, err, sizeof(err));
		if (e)
			goto fail;
	}
	e = qemu_start(m, bios, device, err, sizeof(err));
	if (e)
		goto fail;
	e = qe_setup(m, err, sizeof(err));
	if (e)
		goto fail;
	*priv = m;
	return 0;
fail:
	ofd_pr_warn("%s\n", err);
fail_quiet:
	qemu_close(m);
	return e;
}

/* QEMU died or stopped answering on a batch: those cases are the
 * target's faults (a crash or a hang, with their reproducers), QEMU is
 * started afresh on the same tap and RAM, and the run goes on. */
static int restart(struct qemu *m, const struct ofd_case *cases, struct ofd_result *const *res,
		   bool hung)
{
	const unsigned int *idx;
	unsigned int k, nb = qe_batch_cases(m, &idx);
	bool died = false;
	char err[512];
	int e, i;

	/* A closed socket is QEMU exiting: its files close before it becomes
	 * a zombie, so give it a second to be seen dead. */
	for (i = 0; m->pid > 0 && i < (hung ? 1 : 100); i++) {
		if (waitpid(m->pid, NULL, WNOHANG) == m->pid) {
			died = true;
			break;
		}
		usleep(10000);
	}

	if (died)
		m->pid = 0;
	for (k = 0; k < nb; k++)
		ofd_result_fault(res[idx[k]], died ? OFD_REASON_FAULT_CRASH : OFD_REASON_FAULT_HANG,
				 died ? "QEMU exited during this case's batch (its log: qemu.log)" :
					"QEMU stopped answering qtest during this case's batch");
	ofd_pr_warn("qemu: %s on a batch of %u cases (first id %llu): restarting it\n",
		    died ? "QEMU exited" : "QEMU hung", nb,
		    nb ? (unsigned long long)cases[idx[0]].id : 0ull);
	qt_free(&m->qt);
	qemu_stop(m);
	m->restarts++;
	e = qemu_start(m, m->bios, m->device, err, sizeof(err));
	if (!e)
		e = qe_setup(m, err, sizeof(err));
	if (e) {
		ofd_pr_warn("%s\n", err);
		return e;
	}
	qe_drain(m);
	return 0;
}

static int qemu_run(void *priv, const struct ofd_case *cases, struct ofd_result *const *results,
		    unsigned int n)
{
	struct qemu *m = priv;
	unsigned int at = 0, next = 0;
	int e;

	if (qemu_guest_owns(priv))
		return qemu_guest_run(priv, cases, results, n);
	while (at < n) {
		e = qe_tx_run(m, cases + at, results + at, n - at, &next);
		if (!e)
			break;
		if (e != -EPIPE && e != -ETIMEDOUT && e != -ECONNRESET) {
			ofd_pr_warn("qemu: %s (qtest: '%s')\n", strerror(-e), m->qt.last);
			return e;
		}
		e = restart(m, cases + at, results + at, e == -ETIMEDOUT);
		if (e)
			return e;
		at += next;
	}
	/* The receive cases, which qe_tx_run left unsupported. */
	return qe_rx_run(m, cases, results, n);
}

const char *qe_offload_why(enum ofd_offload o, bool guest)
{
	switch (o) {
	case OFD_OFFLOAD_TX_CSUM:
	case OFD_OFFLOAD_TSO:
		return NULL;
	case OFD_OFFLOAD_RX_CSUM:
		return guest ? "rx-csum through guest mode: not built (mode=qtest runs it, with "
			       "the driver's descriptor-to-skb rules)" : NULL;
	case OFD_OFFLOAD_RSS:
		return guest ? "rss in guest mode runs on device=virtio-net (QEMU's own Toeplitz); "
			       "e1000e and igb run it in mode=qtest" : NULL;
	case OFD_OFFLOAD_DISSECT:
		return "dissect through qemu: a NIC hands the stack no flow keys; QEMU's parser is "
		       "judged through rss, by the hash and queue it gives";
	case OFD_OFFLOAD_GRO:
		return "gro through qemu: not run (the e1000e and igb models coalesce nothing on "
		       "receive)";
	default:
		return "not an offload the qemu target runs";
	}
}

static void qemu_info(void *priv, struct ofd_engine_info *info)
{
	struct qemu *m = priv;

	if (qemu_guest_owns(priv)) {
		qemu_guest_info(priv, info);
		return;
	}
	if (!m) {
		snprintf(info->version, sizeof(info->version), "QEMU (not started)");
		return;
	}
	snprintf(info->version, sizeof(info->version), "%s, %s (%04x:%04x), qtest mode, %s",
		 m->version, m->dev->name, m->dev->vendor, m->device_id, m->machine);
	/* How the bytes reach the guest changes no result: not in the
	 * identity. */
	snprintf(info->profile, sizeof(info->profile), "%s", m->dev->name);
	snprintf(info->device.port, sizeof(info->device.port), "%s", QEMU_TAP);
	snprintf(info->device.netns, sizeof(info->device.netns), "(private)");
	snprintf(info->device.driver, sizeof(info->device.driver), "%s (QEMU model)", m->dev->name);
	snprintf(info->device.bus_info, sizeof(info->device.bus_info), "0000:00:%02x.0",
		 m->pci_dev);
	snprintf(info->device.peer, sizeof(info->device.peer), "tap (vnet_hdr off)");
}

static void qemu_tally(void *priv, char *buf, size_t len)
{
	struct qemu *m = priv;
	int k;

	if (qemu_guest_owns(priv)) {
		qemu_guest_tally(priv, buf, len);
		return;
	}
	k = snprintf(buf, len, "%llu cases in %llu batches, %llu frames off the tap, %llu foreign, %llu markers out of order, %llu restarts",
		     (unsigned long long)m->cases, (unsigned long long)m->batches,
		     (unsigned long long)m->frames, (unsigned long long)m->foreign,
		     (unsigned long long)m->lost, (unsigned long long)m->restarts);
	if (k > 0 && (size_t)k < len)
		qe_rx_tally(m, buf + k, len - (size_t)k);
}

const struct ofd_engine_ops ofd_engine_qemu = {
	.name = "qemu",
	.desc = "a QEMU NIC model (e1000e, igb, vmxnet3) driven over qtest as the Linux driver programs it",
	.flags = OFD_F_DEVICE,
	.caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO) |
		OFD_CAP(OFD_OFFLOAD_RX_CSUM) | OFD_CAP(OFD_OFFLOAD_RSS),
	.probe = qemu_probe,
	.open = qemu_open,
	.run = qemu_run,
	.info = qemu_info,
	.close = qemu_close,
	.params = qemu_params,
	.tally = qemu_tally,
};
