// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * qemu.c - the `qemu` target: a QEMU NIC model (e1000e) in qtest mode.
 *
 * One QEMU per campaign (per open), started as
 *
 *   qemu-system-x86_64 -M q35 -nodefaults -display none -accel tcg -m 256
 *       -bios FIRMWARE -qtest unix:SOCK -netdev tap,id=n0,fd=3
 *       -device e1000e,netdev=n0,mac=...
 *
 * and driven over the qtest socket (qtest.c): offdiff is the e1000e
 * driver (e1000e.c, e1000e_plan.c). Why each piece:
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
 *    accesses. Hex over qtest costs about 5 ms a ring of small frames
 *    (QEMU reads its chardev 4 KB a main-loop turn); ram=qtest keeps that
 *    pure-protocol path.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_tun.h>

#include "qemu_internal.h"
#include "ofd_port.h"

extern char **environ;

#define QEMU_DEFAULT_BIN "qemu-system-x86_64"
#define QEMU_TAP "ofdq0"
#define QEMU_ACCEPT_MS 20000   /* start-up under TCG on a loaded machine */
#define QEMU_QTEST_MS 30000    /* one batch: 255 descriptors, 60 MB */
#define QEMU_RCVBUF (128 << 20)

static const struct ofd_engine_param_doc qemu_params[] = {
	{ "device", "the NIC model: e1000e (default)" },
	{ "machine", "the machine: q35 (default) or pc" },
	{ "bios", "halt (default: offdiff's halting firmware), qboot, or seabios" },
	{ "qemu", "the QEMU binary (default qemu-system-x86_64 on PATH)" },
	{ "ram", "shared (default: guest RAM a file offdiff maps too) or qtest (every byte over qtest)" },
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

/* ------------------------------------------------------------------ */
/* The namespace and its tap                                           */
/* ------------------------------------------------------------------ */

struct ns_setup {
	int tap_fd, ns_fd, ifindex, err;
	const char *step;
};

/*
 * In a thread of its own: unshare the network namespace, make the tap
 * there, bring it up. The tap and the namespace fd keep the namespace
 * alive after the thread ends, as the kernel engine's does (oracles/kernel/
 * netns.c); nothing of the host's is touched.
 */
static void *ns_thread(void *arg)
{
	struct ns_setup *s = arg;
	struct ifreq ifr;
	int ctl;

	s->step = "unshare(CLONE_NEWNET)";
	if (unshare(CLONE_NEWNET))
		goto fail;
	s->step = "open /dev/net/tun";
	s->tap_fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (s->tap_fd < 0)
		goto fail;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", QEMU_TAP);
	/* No IFF_VNET_HDR: QEMU then does every offload itself. */
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI;
	s->step = "TUNSETIFF";
	if (ioctl(s->tap_fd, TUNSETIFF, &ifr))
		goto fail;
	s->step = "the namespace's control socket";
	ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ctl < 0)
		goto fail;
	s->step = "bring the tap up";
	/* tun_get_user refuses frames (EIO) while the tap is down. */
	if (ioctl(ctl, SIOCGIFFLAGS, &ifr) ||
	    (ifr.ifr_flags |= IFF_UP, ioctl(ctl, SIOCSIFFLAGS, &ifr)) ||
	    ioctl(ctl, SIOCGIFINDEX, &ifr)) {
		close(ctl);
		goto fail;
	}
	s->ifindex = ifr.ifr_ifindex;
	close(ctl);
	s->step = "open the namespace";
	s->ns_fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
	if (s->ns_fd < 0)
		goto fail;
	return NULL;
fail:
	s->err = -errno;
	return NULL;
}

static int make_ns(struct qemu *m, char *err, size_t err_len)
{
	struct ns_setup s = { .tap_fd = -1, .ns_fd = -1 };
	pthread_t t;
	int e;

	e = pthread_create(&t, NULL, ns_thread, &s);
	if (e) {
		snprintf(err, err_len, "qemu: thread: %s", strerror(e));
		return -e;
	}
	pthread_join(t, NULL);
	m->tap_fd = s.tap_fd;
	m->ns_fd = s.ns_fd;
	m->ifindex = s.ifindex;
	if (s.err) {
		snprintf(err, err_len, "qemu: namespace and tap: %s: %s", s.step, strerror(-s.err));
		return s.err;
	}
	e = ofd_port_open_capture(m->ns_fd, m->ifindex, QEMU_RCVBUF);
	if (e < 0) {
		snprintf(err, err_len, "qemu: capture socket on the tap: %s", strerror(-e));
		return e;
	}
	m->cap_fd = e;
	return 0;
}

/* ------------------------------------------------------------------ */
/* The process                                                         */
/* ------------------------------------------------------------------ */

/* offdiff's firmware: 64 KiB (QEMU wants a multiple of 64 KiB for -bios)
 * of HLT, with "cli; hlt; jmp $-3" at the reset vector 0xfffffff0
 * (offset 0xfff0): the CPU runs, halts, and stays halted. */
static int write_firmware(const char *path)
{
	static uint8_t img[65536];
	static const uint8_t reset[] = { 0xfa, 0xf4, 0xeb, 0xfd };
	int fd, e = 0;

	memset(img, 0xf4, sizeof(img));
	memcpy(img + 0xfff0, reset, sizeof(reset));
	fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	if (write(fd, img, sizeof(img)) != (ssize_t)sizeof(img))
		e = -EIO;
	close(fd);
	return e;
}

/* "QEMU emulator version 7.2.22 (Debian ...)" -> "QEMU 7.2.22 (Debian ...)". */
static void read_version(struct qemu *m)
{
	char *argv[] = { m->binary, "-version", NULL };
	posix_spawn_file_actions_t fa;
	char buf[256] = "", *nl, *v;
	int pfd[2], st;
	ssize_t n = 0, r;
	pid_t pid;

	snprintf(m->version, sizeof(m->version), "QEMU (version unknown)");
	if (pipe2(pfd, O_CLOEXEC))
		return;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	if (posix_spawn(&pid, m->binary, &fa, NULL, argv, environ)) {
		posix_spawn_file_actions_destroy(&fa);
		close(pfd[0]);
		close(pfd[1]);
		return;
	}
	posix_spawn_file_actions_destroy(&fa);
	close(pfd[1]);
	while (n < (ssize_t)sizeof(buf) - 1 &&
	       (r = read(pfd[0], buf + n, sizeof(buf) - 1 - (size_t)n)) > 0)
		n += r;
	buf[n] = 0;
	close(pfd[0]);
	waitpid(pid, &st, 0);
	if ((nl = strchr(buf, '\n')))
		*nl = 0;
	v = strstr(buf, "version ");
	if (v)
		snprintf(m->version, sizeof(m->version), "QEMU %s", v + 8);
}

/* The last line QEMU wrote to its log, for an error message. */
static void log_tail(const struct qemu *m, char *out, size_t cap)
{
	char path[96], buf[1024];
	ssize_t n;
	int fd;

	*out = 0;
	snprintf(path, sizeof(path), "%s/qemu.log", m->dir);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return;
	while (n > 0 && buf[n - 1] == '\n')
		n--;
	buf[n] = 0;
	snprintf(out, cap, "%s", strrchr(buf, '\n') ? strrchr(buf, '\n') + 1 : buf);
}

/* The guest RAM file: QE_RAM_MB in /dev/shm (tmpfs: never written to a
 * disk), mapped shared; QEMU maps the same file (share=on), so both see
 * one memory. Unlinked at close. */
static int make_ram(struct qemu *m, char *err, size_t err_len)
{
	size_t size = (size_t)QE_RAM_MB << 20;
	void *p;
	int fd, e;

	snprintf(m->ram_path, sizeof(m->ram_path), "/dev/shm/offdiff-qemu-ram-XXXXXX");
	fd = mkostemp(m->ram_path, O_CLOEXEC);
	if (fd < 0) {
		e = -errno;
		m->ram_path[0] = 0;
		snprintf(err, err_len, "qemu: guest RAM file in /dev/shm: %s (ram=qtest does without)",
			 strerror(-e));
		return e;
	}
	if (ftruncate(fd, (off_t)size)) {
		e = -errno;
		close(fd);
		snprintf(err, err_len, "qemu: guest RAM file: %s", strerror(-e));
		return e;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	e = -errno;
	close(fd);
	if (p == MAP_FAILED) {
		snprintf(err, err_len, "qemu: mapping the guest RAM: %s", strerror(-e));
		return e;
	}
	m->ram = p;
	m->ram_size = size;
	return 0;
}

static void stop_qemu(struct qemu *m)
{
	int st, i;

	if (m->pid <= 0)
		return;
	kill(m->pid, SIGTERM);
	/* A second at most, then for good; always reaped. */
	for (i = 0; i < 100; i++) {
		if (waitpid(m->pid, &st, WNOHANG) == m->pid) {
			m->pid = 0;
			return;
		}
		usleep(10000);
	}
	kill(m->pid, SIGKILL);
	waitpid(m->pid, &st, 0);
	m->pid = 0;
}

/*
 * fork and exec QEMU with stdin /dev/null, stdout and stderr to its log,
 * the tap as fd 3 (dup2 clears close-on-exec), and PR_SET_PDEATHSIG: a
 * QEMU whose offdiff died (a SIGKILL, a failed test) goes with it instead
 * of holding the tap and the RAM file. Only async-signal-safe calls
 * between fork and exec.
 */
static int spawn_qemu(struct qemu *m, char *const argv[], const char *logp)
{
	pid_t parent = getpid(), pid;
	int in, out;

	in = open("/dev/null", O_RDONLY | O_CLOEXEC);
	out = open(logp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (in < 0 || out < 0) {
		int e = -errno;

		if (in >= 0)
			close(in);
		if (out >= 0)
			close(out);
		return e;
	}
	pid = fork();
	if (pid == 0) {
		/* Out of the way of 0-3 first: the tap may itself be fd 3 (then
		 * dup2 would keep its close-on-exec) or in the way of another. */
		int t = fcntl(m->tap_fd, F_DUPFD_CLOEXEC, 10);

		in = fcntl(in, F_DUPFD_CLOEXEC, 10);
		out = fcntl(out, F_DUPFD_CLOEXEC, 10);
		if (t < 0 || in < 0 || out < 0 || prctl(PR_SET_PDEATHSIG, SIGKILL) ||
		    getppid() != parent || dup2(in, 0) < 0 || dup2(out, 1) < 0 ||
		    dup2(out, 2) < 0 || dup2(t, 3) < 0)
			_exit(127);
		execve(m->binary, argv, environ);
		_exit(127);
	}
	close(in);
	close(out);
	if (pid < 0)
		return -errno;
	m->pid = pid;
	return 0;
}

static int start_qemu(struct qemu *m, const char *bios, const char *device,
		      char *err, size_t err_len)
{
	char sock[96], fw[96], logp[96], qt[112], nd[64], dv[96], tail[200];
	char obj[192], mach[64], mem[16];
	char *argv[32];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct pollfd p;
	int ls, c, argc = 0, e, st;

	snprintf(sock, sizeof(sock), "%s/qtest.sock", m->dir);
	snprintf(fw, sizeof(fw), "%s/halt.bin", m->dir);
	snprintf(logp, sizeof(logp), "%s/qemu.log", m->dir);
	snprintf(qt, sizeof(qt), "unix:%s", sock);
	snprintf(nd, sizeof(nd), "tap,id=n0,fd=3");
	/* romfile= (none): no iPXE option ROM that a BIOS would run on the
	 * NIC we drive. */
	snprintf(dv, sizeof(dv), "%s,netdev=n0,romfile=,mac=%02x:%02x:%02x:%02x:%02x:%02x", device,
		 m->mac[0], m->mac[1], m->mac[2], m->mac[3], m->mac[4], m->mac[5]);

	/* libqtest's order: we listen, QEMU connects as the chardev client. */
	ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	/* A restart finds the last QEMU's socket file in our folder. */
	unlink(sock);
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 1)) {
		e = -errno;
		close(ls);
		snprintf(err, err_len, "qemu: qtest socket %s: %s", sock, strerror(-e));
		return e;
	}

	snprintf(mem, sizeof(mem), "%uM", QE_RAM_MB);
	snprintf(obj, sizeof(obj), "memory-backend-file,id=ofdram,size=%uM,mem-path=%s,share=on",
		 QE_RAM_MB, m->ram_path);
	snprintf(mach, sizeof(mach), "%s%s", m->machine, m->ram ? ",memory-backend=ofdram" : "");
	argv[argc++] = m->binary;
	argv[argc++] = "-M";
	argv[argc++] = mach;
	argv[argc++] = "-nodefaults";
	argv[argc++] = "-display";
	argv[argc++] = "none";
	argv[argc++] = "-accel";
	argv[argc++] = "tcg";
	argv[argc++] = "-m";
	argv[argc++] = mem;
	if (m->ram) {
		argv[argc++] = "-object";
		argv[argc++] = obj;
	}
	if (!strcmp(bios, "halt")) {
		e = write_firmware(fw);
		if (e) {
			close(ls);
			snprintf(err, err_len, "qemu: firmware %s: %s", fw, strerror(-e));
			return e;
		}
		argv[argc++] = "-bios";
		argv[argc++] = fw;
	} else if (!strcmp(bios, "qboot")) {
		argv[argc++] = "-bios";
		argv[argc++] = "qboot.rom";
	}
	argv[argc++] = "-qtest";
	argv[argc++] = qt;
	argv[argc++] = "-netdev";
	argv[argc++] = nd;
	argv[argc++] = "-device";
	argv[argc++] = dv;
	argv[argc] = NULL;

	e = spawn_qemu(m, argv, logp);
	if (e) {
		m->pid = 0;
		close(ls);
		snprintf(err, err_len, "qemu: cannot start %s: %s", m->binary, strerror(-e));
		return e;
	}
	/* Wait for the connection, or for QEMU to give up (a bad option). */
	for (c = 0; c < QEMU_ACCEPT_MS / 100; c++) {
		p = (struct pollfd){ .fd = ls, .events = POLLIN };
		if (poll(&p, 1, 100) > 0)
			break;
		if (waitpid(m->pid, &st, WNOHANG) == m->pid) {
			m->pid = 0;
			close(ls);
			log_tail(m, tail, sizeof(tail));
			snprintf(err, err_len, "qemu: %s exited at start: %s", m->binary, tail);
			return -EIO;
		}
	}
	c = accept4(ls, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
	e = -errno;
	close(ls);
	if (c < 0) {
		stop_qemu(m);
		snprintf(err, err_len, "qemu: no qtest connection within %d ms", QEMU_ACCEPT_MS);
		return e ? e : -ETIMEDOUT;
	}
	qt_init(&m->qt, c, QEMU_QTEST_MS);
	/* qboot and SeaBIOS enumerate PCI and assign BARs themselves: let them
	 * finish before offdiff takes the device over (offdiff's firmware
	 * touches nothing). */
	if (strcmp(bios, "halt"))
		usleep(strcmp(bios, "qboot") ? 2000000 : 300000);
	return 0;
}

static void qemu_close(void *priv)
{
	struct qemu *m = priv;
	char path[96];

	if (!m)
		return;
	qt_free(&m->qt);
	stop_qemu(m);
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
	char err[512];
	struct qemu *m;
	int e;

	device = device ? device : "e1000e";
	machine = machine ? machine : "q35";
	bios = bios ? bios : "halt";
	if (strcmp(device, "e1000e")) {
		ofd_pr_warn("qemu: device %s: only e1000e is driven in qtest mode so far\n", device);
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
	read_version(m);
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
	e = make_ns(m, err, sizeof(err));
	if (e)
		goto fail;
	if (!ram || !strcmp(ram, "shared")) {
		e = make_ram(m, err, sizeof(err));
		if (e)
			goto fail;
	}
	e = start_qemu(m, bios, device, err, sizeof(err));
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
	stop_qemu(m);
	m->restarts++;
	e = start_qemu(m, m->bios, m->device, err, sizeof(err));
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

	while (at < n) {
		e = qe_run(m, cases + at, results + at, n - at, &next);
		if (!e)
			return 0;
		if (e != -EPIPE && e != -ETIMEDOUT && e != -ECONNRESET) {
			ofd_pr_warn("qemu: %s (qtest: '%s')\n", strerror(-e), m->qt.last);
			return e;
		}
		e = restart(m, cases + at, results + at, e == -ETIMEDOUT);
		if (e)
			return e;
		at += next;
	}
	return 0;
}

static void qemu_info(void *priv, struct ofd_engine_info *info)
{
	struct qemu *m = priv;

	if (!m) {
		snprintf(info->version, sizeof(info->version), "QEMU (not started)");
		return;
	}
	snprintf(info->version, sizeof(info->version), "%s, e1000e (8086:%04x), qtest mode, %s",
		 m->version, m->device_id, m->machine);
	/* How the bytes reach the guest changes no result: not in the
	 * identity. */
	snprintf(info->profile, sizeof(info->profile), "e1000e");
	snprintf(info->device.port, sizeof(info->device.port), "%s", QEMU_TAP);
	snprintf(info->device.netns, sizeof(info->device.netns), "(private)");
	snprintf(info->device.driver, sizeof(info->device.driver), "e1000e (QEMU model)");
	snprintf(info->device.bus_info, sizeof(info->device.bus_info), "0000:00:%02x.0",
		 m->pci_dev);
	snprintf(info->device.peer, sizeof(info->device.peer), "tap (vnet_hdr off)");
}

static void qemu_tally(void *priv, char *buf, size_t len)
{
	struct qemu *m = priv;

	snprintf(buf, len, "%llu cases in %llu batches, %llu frames off the tap, %llu foreign, %llu markers out of order, %llu restarts",
		 (unsigned long long)m->cases, (unsigned long long)m->batches,
		 (unsigned long long)m->frames, (unsigned long long)m->foreign,
		 (unsigned long long)m->lost, (unsigned long long)m->restarts);
}

const struct ofd_engine_ops ofd_engine_qemu = {
	.name = "qemu",
	.desc = "a QEMU NIC model (e1000e) driven over qtest as the Linux driver programs it",
	.flags = OFD_F_DEVICE,
	.caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO),
	.probe = qemu_probe,
	.open = qemu_open,
	.run = qemu_run,
	.info = qemu_info,
	.close = qemu_close,
	.params = qemu_params,
	.tally = qemu_tally,
};
