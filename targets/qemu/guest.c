// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * guest.c - the qemu target in guest mode: one Debian guest per campaign.
 *
 *   qemu-system-x86_64 -M q35 -nodefaults -display none -accel tcg -m 256
 *       -no-reboot -kernel IMAGE/vmlinuz -initrd IMAGE/initrd.cpio.gz
 *       -append "console=ttyS0 panic=-1 ipv6.disable=1 quiet [ofdoffloads=off]"
 *       -serial file:DIR/console.log
 *       -netdev tap,id=n0,fd=3 -device e1000e,netdev=n0,romfile=,mac=...
 *       -device virtio-serial-pci -chardev socket,path=DIR/agent.sock
 *       -device virtserialport,name=org.offdiff.agent
 *
 * device=virtio-net (the rss offload) differs in the tap, the device and
 * -smp: guest_rss.c's header says how and why.
 *
 * The image is Debian's own kernel and a busybox + agent initramfs
 * (scripts/qemu-guest-image.sh). Why each piece:
 *  - the tap is offdiff's, in a namespace of its own, with no
 *    IFF_VNET_HDR: QEMU probes vnet_hdr off and finishes every checksum and
 *    segment in its own code, as in qtest mode, so both modes test the same
 *    device code and differ only in who writes the descriptors;
 *  - the cases travel on virtio-serial, not on a second NIC: nothing of the
 *    case channel can reach the e1000e's wire, and the port is a byte
 *    stream with flow control;
 *  - ipv6.disable=1: the guest's e1000e sends nothing of its own (no
 *    router or neighbour solicitations), so every frame on the tap is a
 *    case's or a marker;
 *  - offdiff listens and QEMU connects (the chardev is a client): the port
 *    exists before the guest's agent opens it, and a QEMU that fails at
 *    start is seen at once.
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
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/if.h>
#include <linux/if_tun.h>

#include "guest_internal.h"
#include "qemu_internal.h"
#include "ofd_agent.h"
#include "ofd_port.h"

extern char **environ;

#define GUEST_BIN "qemu-system-x86_64"
#define GUEST_CONNECT_MS 20000 /* QEMU up to its chardev connection */
#define GUEST_BOOT_MS 180000   /* kernel, modules, link: 11 s alone under
				* TCG, much more on a loaded host */
#define GUEST_RCVBUF (128 << 20)
#define GUEST_RSS_SMP "4"   /* GUEST_RSS_QUEUES */

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

/* A path made only of what paths are made of: it reaches posix_spawnp
 * and QEMU's option parser (where a comma would start a new option). */
static bool plain_path(const char *v)
{
	return *v && strlen(v) < 200 &&
	       strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_.+/-") ==
		       strlen(v);
}

/* The image folder: the image= key, $OFD_QEMU_GUEST_IMAGE, or the cache
 * scripts/qemu-guest-image.sh fills by default. */
static int find_image(struct qemu_guest *g, const char *param, char *err, size_t err_len)
{
	const char *env = getenv("OFD_QEMU_GUEST_IMAGE"), *home = getenv("HOME");
	const char *xdg = getenv("XDG_CACHE_HOME");
	char path[320];
	FILE *f;

	if (param)
		snprintf(g->image, sizeof(g->image), "%s", param);
	else if (env && *env)
		snprintf(g->image, sizeof(g->image), "%s", env);
	else if (xdg && *xdg)
		snprintf(g->image, sizeof(g->image), "%s/offdiff/qemu-guest", xdg);
	else
		snprintf(g->image, sizeof(g->image), "%s/.cache/offdiff/qemu-guest",
			 home ? home : "/root");
	if (!plain_path(g->image)) {
		snprintf(err, err_len, "qemu guest: image folder '%s' is not a plain path", g->image);
		return -EINVAL;
	}
	snprintf(path, sizeof(path), "%s/version", g->image);
	f = fopen(path, "re");
	if (!f) {
		snprintf(err, err_len, "qemu guest: no guest image in %s (make qemu-guest-image, "
			 "or scripts/qemu-guest-image.sh, builds it from Debian packages)", g->image);
		return -ENOENT;
	}
	if (!fgets(g->kernel, sizeof(g->kernel), f))
		g->kernel[0] = 0;
	fclose(f);
	g->kernel[strcspn(g->kernel, "\n")] = 0;
	return 0;
}

static void stop_guest(struct qemu_guest *g)
{
	int st, i;

	if (g->pid <= 0)
		return;
	kill(g->pid, SIGTERM);
	for (i = 0; i < 100; i++, usleep(10000))
		if (waitpid(g->pid, &st, WNOHANG) == g->pid) {
			g->pid = 0;
			return;
		}
	kill(g->pid, SIGKILL);
	waitpid(g->pid, &st, 0);
	g->pid = 0;
}

static int start_guest(struct qemu_guest *g, char *err, size_t err_len)
{
	char sock[96], kernel[300], initrd[300], serial[96], logp[96], append[160], dv[96];
	char chardev[128], datadir[300] = "", netdev[96];
	char *argv[48];
	posix_spawn_file_actions_t fa;
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct pollfd p;
	int ls, c = -1, argc = 0, e, st, t;

	snprintf(sock, sizeof(sock), "%s/agent.sock", g->dir);
	snprintf(kernel, sizeof(kernel), "%s/vmlinuz", g->image);
	snprintf(initrd, sizeof(initrd), "%s/initrd.cpio.gz", g->image);
	snprintf(serial, sizeof(serial), "file:%s/console.log", g->dir);
	snprintf(logp, sizeof(logp), "%s/qemu.log", g->dir);
	snprintf(chardev, sizeof(chardev), "socket,id=ag,path=%s", sock);
	snprintf(append, sizeof(append), "console=ttyS0 panic=-1 ipv6.disable=1 quiet%s%s",
		 g->offloads ? "" : " ofdoffloads=off",
		 qemu_guest_is_virtio(g) ? " ofdmode=rss" : "");
	/* virtio-net: four queue pairs on the tap's four queues (fds 3-6),
	 * QEMU's own RSS with the hash report (guest_rss.c); vectors: one
	 * per queue, config and control. */
	snprintf(dv, sizeof(dv), "%s,netdev=n0,romfile=,mac=%02x:%02x:%02x:%02x:%02x:%02x%s",
		 qemu_guest_is_virtio(g) ? "virtio-net-pci" : g->device, g->mac[0], g->mac[1],
		 g->mac[2], g->mac[3], g->mac[4], g->mac[5],
		 qemu_guest_is_virtio(g) ? ",mq=on,vectors=10,rss=on,hash=on" : "");
	snprintf(netdev, sizeof(netdev), "%s",
		 qemu_guest_is_virtio(g) ? "tap,id=n0,fds=3:4:5:6,vhost=off" : "tap,id=n0,fd=3");
	/* A QEMU unpacked beside the system's (qemu=/opt/qemu-bpo/usr/bin/...)
	 * boots with its own firmware and option ROMs (linuxboot_dma.bin),
	 * from ../share/qemu next to its binary. */
	if (strchr(g->binary, '/')) {
		char *slash;

		snprintf(datadir, sizeof(datadir), "%s", g->binary);
		slash = strrchr(datadir, '/');
		*slash = 0;
		snprintf(slash, sizeof(datadir) - (size_t)(slash - datadir), "/../share/qemu");
		if (access(datadir, R_OK))
			datadir[0] = 0;
	}

	ls = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (ls < 0)
		return -errno;
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock);
	if (bind(ls, (struct sockaddr *)&sa, sizeof(sa)) || listen(ls, 1)) {
		e = -errno;
		close(ls);
		snprintf(err, err_len, "qemu guest: socket %s: %s", sock, strerror(-e));
		return e;
	}
	argv[argc++] = g->binary;
	argv[argc++] = "-M";
	argv[argc++] = "q35";
	argv[argc++] = "-nodefaults";
	argv[argc++] = "-display";
	argv[argc++] = "none";
	argv[argc++] = "-accel";
	argv[argc++] = "tcg";
	argv[argc++] = "-m";
	argv[argc++] = "256";
	argv[argc++] = "-no-reboot";
	/* virtio_net starts with min(queue pairs, online CPUs) queues, and
	 * Linux 6.1's `ethtool -L` to more does not make QEMU steer (it
	 * computes the hash but every frame stays on queue 0): one vCPU per
	 * queue pair. */
	if (qemu_guest_is_virtio(g)) {
		argv[argc++] = "-smp";
		argv[argc++] = GUEST_RSS_SMP;
	}
	if (datadir[0]) {
		argv[argc++] = "-L";
		argv[argc++] = datadir;
	}
	argv[argc++] = "-kernel";
	argv[argc++] = kernel;
	argv[argc++] = "-initrd";
	argv[argc++] = initrd;
	argv[argc++] = "-append";
	argv[argc++] = append;
	argv[argc++] = "-serial";
	argv[argc++] = serial;
	argv[argc++] = "-netdev";
	argv[argc++] = netdev;
	argv[argc++] = "-device";
	argv[argc++] = dv;
	argv[argc++] = "-device";
	argv[argc++] = "virtio-serial-pci,id=vs0";
	argv[argc++] = "-chardev";
	argv[argc++] = chardev;
	argv[argc++] = "-device";
	argv[argc++] = "virtserialport,bus=vs0.0,chardev=ag,name=" OFD_AGENT_PORT;
	argv[argc] = NULL;

	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_addopen(&fa, 1, logp, O_WRONLY | O_CREAT | O_TRUNC, 0600);
	posix_spawn_file_actions_adddup2(&fa, 1, 2);
	/* dup2 clears close-on-exec: the tap reaches QEMU as fd 3. */
	if (qemu_guest_is_virtio(g)) {
		int i;

		for (i = 0; i < GUEST_RSS_QUEUES; i++)
			posix_spawn_file_actions_adddup2(&fa, g->qfd[i], 3 + i);
	} else {
		posix_spawn_file_actions_adddup2(&fa, g->tap_fd, 3);
	}
	e = posix_spawnp(&g->pid, g->binary, &fa, NULL, argv, environ);
	posix_spawn_file_actions_destroy(&fa);
	if (e) {
		g->pid = 0;
		close(ls);
		snprintf(err, err_len, "qemu guest: cannot start %s: %s", g->binary, strerror(e));
		return -e;
	}
	for (t = 0; t < GUEST_CONNECT_MS / 100; t++) {
		p = (struct pollfd){ .fd = ls, .events = POLLIN };
		if (poll(&p, 1, 100) > 0) {
			c = accept4(ls, NULL, NULL, SOCK_CLOEXEC | SOCK_NONBLOCK);
			break;
		}
		if (waitpid(g->pid, &st, WNOHANG) == g->pid) {
			g->pid = 0;
			break;
		}
	}
	close(ls);
	if (c < 0) {
		stop_guest(g);
		snprintf(err, err_len, "qemu guest: QEMU did not connect the agent's port (see %s)",
			 logp);
		return -EIO;
	}
	g->agent_fd = c;
	return 0;
}

void qemu_guest_close(void *priv)
{
	struct qemu_guest *g = priv;
	static const char *const files[] = { "agent.sock", "console.log", "qemu.log" };
	char path[96];
	size_t i;

	if (!g)
		return;
	if (g->agent_fd >= 0)
		close(g->agent_fd);
	stop_guest(g);
	if (g->cap_fd >= 0)
		close(g->cap_fd);
	if (g->tap_fd >= 0)
		close(g->tap_fd);
	for (i = 0; i < GUEST_RSS_QUEUES; i++)
		if (g->qfd[i] >= 0)
			close(g->qfd[i]);
	if (g->tx_fd >= 0)
		close(g->tx_fd);
	free(g->rss);
	if (g->ns_fd >= 0)
		close(g->ns_fd);
	/* OFD_QEMU_GUEST_KEEP=1 keeps the console log for a post-mortem. */
	if (g->dir[0] && !getenv("OFD_QEMU_GUEST_KEEP")) {
		for (i = 0; i < OFD_ARRAY_SIZE(files); i++) {
			snprintf(path, sizeof(path), "%s/%s", g->dir, files[i]);
			unlink(path);
		}
		rmdir(g->dir);
	}
	free(g->buf);
	free(g);
}

int qemu_guest_open(const struct ofd_engine_opts *opts, void **priv)
{
	const char *bin = ofd_engine_param(opts, "qemu");
	const char *image = ofd_engine_param(opts, "image");
	const char *off = ofd_engine_param(opts, "offloads");
	const char *dev = ofd_engine_param(opts, "device");
	const char *mach = ofd_engine_param(opts, "machine");
	char err[600];
	struct qemu_guest *g;
	double t0;
	int e;

	if (dev && strcmp(dev, "e1000e") && strcmp(dev, "igb") && strcmp(dev, "virtio-net")) {
		ofd_pr_warn("qemu: guest mode drives e1000e, igb (QEMU 8 and later) or virtio-net "
			    "(rss), not '%s'\n", dev);
		return -EINVAL;
	}
	if (mach && strcmp(mach, "q35")) {
		ofd_pr_warn("qemu: guest mode runs on q35 only, not '%s'\n", mach);
		return -EINVAL;
	}
	if (off && strcmp(off, "on") && strcmp(off, "off")) {
		ofd_pr_warn("qemu: offloads is on or off, not '%s'\n", off);
		return -EINVAL;
	}
	if (bin && !plain_path(bin)) {
		ofd_pr_warn("qemu: '%s' is not a plain binary path\n", bin);
		return -EINVAL;
	}
	g = calloc(1, sizeof(*g));
	if (!g)
		return -ENOMEM;
	memcpy(g->tag, QEMU_GUEST_TAG, sizeof(g->tag));
	g->agent_fd = g->tap_fd = g->cap_fd = g->ns_fd = g->tx_fd = -1;
	for (e = 0; e < GUEST_RSS_QUEUES; e++)
		g->qfd[e] = -1;
	g->offloads = !off || !strcmp(off, "on");
	snprintf(g->device, sizeof(g->device), "%s", dev ? dev : "e1000e");
	snprintf(g->binary, sizeof(g->binary), "%s", bin ? bin : GUEST_BIN);
	g->buf = malloc(OFD_PORT_FRAME_MAX);
	if (!g->buf) {
		free(g);
		return -ENOMEM;
	}
	/* A locally administered MAC naming this process: the guest's NIC
	 * sends the markers from it, so they are told from any other run's. */
	g->mac[0] = 0x02;
	g->mac[1] = 'o';
	g->mac[2] = 'f';
	g->mac[3] = 'g';
	g->mac[4] = (uint8_t)(getpid() >> 8);
	g->mac[5] = (uint8_t)getpid();
	e = find_image(g, image, err, sizeof(err));
	if (e)
		goto fail;
	qemu_version_of(g->binary, g->version, sizeof(g->version));
	snprintf(g->dir, sizeof(g->dir), "/tmp/offdiff-qguest-XXXXXX");
	if (!mkdtemp(g->dir)) {
		e = -errno;
		g->dir[0] = 0;
		snprintf(err, sizeof(err), "qemu guest: mkdtemp: %s", strerror(-e));
		goto fail;
	}
	if (qemu_guest_is_virtio(g)) {
		e = qemu_guest_rss_ns(g, err, sizeof(err));
	} else {
		struct qemu_ns ns;

		e = qemu_ns_open(GUEST_TAP, GUEST_RCVBUF, &ns, err, sizeof(err));
		g->tap_fd = ns.tap_fd;
		g->ns_fd = ns.ns_fd;
		g->ifindex = ns.ifindex;
		g->cap_fd = ns.cap_fd;
	}
	if (e)
		goto fail;
	t0 = now_s();
	e = start_guest(g, err, sizeof(err));
	if (e)
		goto fail;
	e = qemu_guest_ready(g, GUEST_BOOT_MS, err, sizeof(err));
	if (!e && qemu_guest_is_virtio(g))
		e = qemu_guest_rss_setup(g, opts, err, sizeof(err));
	if (e)
		goto fail;
	g->boot_s = now_s() - t0;
	ofd_pr_info("qemu guest: Linux %s up in %.1f s (%s)\n", g->release, g->boot_s,
		    g->offloads ? "offloads on" : "offloads off");
	*priv = g;
	return 0;
fail:
	ofd_pr_warn("%s\n", err);
	qemu_guest_close(g);
	return e;
}

void qemu_guest_info(void *priv, struct ofd_engine_info *info)
{
	/* 128 bytes: the QEMU version, the mode, the guest's release and its
	 * Debian package version (the last word of the image's version file);
	 * the package name is the release's. */
	struct qemu_guest *g = priv;
	const char *pkgver = strrchr(g->kernel, ' ') ? strrchr(g->kernel, ' ') + 1 : "";

	snprintf(info->version, sizeof(info->version), "%s, %s, guest mode, Linux %s %s%s",
		 g->version, g->device, g->release, pkgver, g->offloads ? "" : ", offloads off");
	snprintf(info->profile, sizeof(info->profile), "%s", g->device);
	snprintf(info->device.port, sizeof(info->device.port), "%s", GUEST_TAP);
	snprintf(info->device.netns, sizeof(info->device.netns), "(private)");
	snprintf(info->device.driver, sizeof(info->device.driver), "%s (guest Linux)", g->device);
	snprintf(info->device.driver_version, sizeof(info->device.driver_version), "%s",
		 g->release);
	snprintf(info->device.peer, sizeof(info->device.peer), "%s",
		 qemu_guest_is_virtio(g) ? "tap (vnet_hdr on, 4 queues)" : "tap (vnet_hdr off)");
}

void qemu_guest_tally(void *priv, char *buf, size_t len)
{
	struct qemu_guest *g = priv;

	if (qemu_guest_is_virtio(g)) {
		snprintf(buf, len,
			 "guest Linux %s up in %.1f s; virtio-net rss: %u rx rings, %llu frames into "
			 "the tap (%.0f/s), %llu read by the guest's rings, %llu never read, %llu "
			 "foreign hits", g->release, g->boot_s, g->rss_rings,
			 (unsigned long long)g->cases, g->busy_s > 0 ? g->cases / g->busy_s : 0.0,
			 (unsigned long long)g->frames, (unsigned long long)g->lost,
			 (unsigned long long)g->foreign);
		return;
	}
	snprintf(buf, len,
		 "guest Linux %s up in %.1f s; %llu cases streamed (%.0f cases/s), %llu frames off "
		 "the tap, %llu foreign, %llu markers out of order, %llu refused by send()",
		 g->release, g->boot_s, (unsigned long long)g->cases,
		 g->busy_s > 0 ? g->cases / g->busy_s : 0.0, (unsigned long long)g->frames,
		 (unsigned long long)g->foreign, (unsigned long long)g->lost,
		 (unsigned long long)g->submit_err);
}

static int guest_ops_open(const struct ofd_engine_opts *opts, void **priv)
{
	return qemu_guest_open(opts, priv);
}

static const struct ofd_engine_param_doc guest_params[] = {
	QEMU_GUEST_PARAM_DOCS,
	{ "device", "e1000e (default), igb (QEMU 8 and later) or virtio-net (rss)" },
	{ "machine", "q35" },
	{ "qemu", "the QEMU binary (default qemu-system-x86_64 on PATH)" },
	{ NULL, NULL },
};

const struct ofd_engine_ops ofd_qemu_guest_ops = {
	.name = "qemu",
	.desc = "a QEMU NIC model (e1000e, igb, virtio-net) programmed by a Debian guest's Linux driver",
	.flags = OFD_F_DEVICE,
	.caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO) | OFD_CAP(OFD_OFFLOAD_RSS),
	.open = guest_ops_open,
	.run = qemu_guest_run,
	.info = qemu_guest_info,
	.close = qemu_guest_close,
	.params = guest_params,
	.tally = qemu_guest_tally,
};
