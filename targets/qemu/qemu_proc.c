// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * qemu_proc.c - the qemu target's QEMU process and what it runs on: the
 * private network namespace and its tap, the shared guest RAM file, the
 * halting firmware, and QEMU itself (start, version, stop). Why each piece
 * is as it is: qemu.c's header comment.
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
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_tun.h>

#include "qemu_internal.h"
#include "ofd_netns.h"
#include "ofd_port.h"

extern char **environ;

#define QEMU_ACCEPT_MS 20000   /* start-up under TCG on a loaded machine */
#define QEMU_QTEST_MS 30000    /* one batch: 255 descriptors, 60 MB */
#define QEMU_RCVBUF (128 << 20)

/* ------------------------------------------------------------------ */
/* The namespace and its tap                                           */
/* ------------------------------------------------------------------ */

struct ns_setup {
	const char *tap;
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
	/* No IPv6 on the tap: its MLD and neighbour discovery to multicast
	 * groups come back looped (PACKET_LOOPBACK), which a capture of
	 * incoming frames reads as the device's. /proc/sys/net is the opening
	 * thread's namespace, this new one; no IPv6 at all is fine too. */
	s->step = "disable IPv6 in the namespace";
	if (ofd_netns_write("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1") &&
	    errno != ENOENT)
		goto fail;
	s->step = "open /dev/net/tun";
	s->tap_fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (s->tap_fd < 0)
		goto fail;
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", s->tap);
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

int qemu_ns_open(const char *tap, int rcvbuf, struct qemu_ns *ns, char *err, size_t err_len)
{
	struct ns_setup s = { .tap = tap, .tap_fd = -1, .ns_fd = -1 };
	pthread_t t;
	int e;

	ns->tap_fd = ns->ns_fd = ns->cap_fd = -1;
	e = pthread_create(&t, NULL, ns_thread, &s);
	if (e) {
		snprintf(err, err_len, "qemu: thread: %s", strerror(e));
		return -e;
	}
	pthread_join(t, NULL);
	ns->tap_fd = s.tap_fd;
	ns->ns_fd = s.ns_fd;
	ns->ifindex = s.ifindex;
	if (s.err) {
		snprintf(err, err_len, "qemu: namespace and tap: %s: %s", s.step, strerror(-s.err));
		return s.err;
	}
	e = ofd_port_open_capture(ns->ns_fd, ns->ifindex, rcvbuf);
	if (e < 0) {
		snprintf(err, err_len, "qemu: capture socket on the tap: %s", strerror(-e));
		return e;
	}
	ns->cap_fd = e;
	return 0;
}

int qemu_make_ns(struct qemu *m, char *err, size_t err_len)
{
	struct qemu_ns ns;
	int e = qemu_ns_open(QEMU_TAP, QEMU_RCVBUF, &ns, err, err_len);

	m->tap_fd = ns.tap_fd;
	m->ns_fd = ns.ns_fd;
	m->ifindex = ns.ifindex;
	m->cap_fd = ns.cap_fd;
	return e;
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
void qemu_version_of(const char *binary, char *out, size_t len)
{
	char *argv[] = { (char *)binary, "-version", NULL };
	posix_spawn_file_actions_t fa;
	char buf[256] = "", *nl, *v;
	int pfd[2], st;
	ssize_t n = 0, r;
	pid_t pid;

	snprintf(out, len, "QEMU (version unknown)");
	if (pipe2(pfd, O_CLOEXEC))
		return;
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
	if (posix_spawnp(&pid, binary, &fa, NULL, argv, environ)) {
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
		snprintf(out, len, "QEMU %s", v + 8);
}

void qemu_read_version(struct qemu *m)
{
	qemu_version_of(m->binary, m->version, sizeof(m->version));
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
int qemu_make_ram(struct qemu *m, char *err, size_t err_len)
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

void qemu_stop(struct qemu *m)
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

int qemu_start(struct qemu *m, const char *bios, const char *device,
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
	/* Without it QEMU logs every qtest command and answer to stderr (our
	 * log file): megabytes of hex with ram=qtest, and time. */
	argv[argc++] = "-qtest-log";
	argv[argc++] = "none";
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
		qemu_stop(m);
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
