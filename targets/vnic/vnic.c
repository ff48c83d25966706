// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * vnic.c - a virtual NIC whose hardware side is offdiff's emulator: the
 * device process and its namespace, ports and start-up (ofd_vnic.h). The
 * loop it then serves is vnic_device.c.
 *
 * Why a process of its own: the taps, the namespace and the emulator must
 * outlive `offdiff vnic up` for tcpdump, a kernel stack or offdiff's iface
 * target to use the ports, and a device that may crash (a profile, a bug in
 * the emulator) must not take its caller with it. Its caller learns that
 * the ports are up, or the one line that says why not, over a pipe.
 *
 * The device port is a tap with the TX offloads on (TUNSETOFFLOAD: the
 * kernel hands it checksum and GSO requests as virtio_net_hdr, as it hands
 * them to a NIC's driver); the wire port is a tap without a vnet header,
 * whose reads are a peer's receive path. With hardware GRO on
 * (ofd_vnic_opts.hw_gro) the device port is also IFF_NAPI, so what the
 * device hands up goes through the kernel's GRO as after a NIC driver
 * (vnic_rx.c says why that changes nothing but checksum validation). Both
 * have the largest MTU a tap takes (OFD_TAP_MAX_MTU) and no IPv6, so the
 * kernel puts no ND/MLD frames of its own on them; other frames of the
 * kernel's own may still appear and consumers correlate by content.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <linux/if_tun.h>
#include <net/if.h>

#include "ofd.h"
#include "ofd_emu.h"
#include "ofd_netns.h"
#include "ofd_spec.h"
#include "ofd_vnic.h"
#include "vnic_internal.h"

#ifndef TUN_F_USO4
#define TUN_F_USO4 0x20
#define TUN_F_USO6 0x40
#endif
#ifndef TUNSETVNETLE
#define TUNSETVNETLE _IOW('T', 220, int)
#endif
#define VNIC_F_TNL 0x80      /* TUN_F_UDP_TUNNEL_GSO (6.17+) */
#define VNIC_F_TNL_CSUM 0x100 /* TUN_F_UDP_TUNNEL_GSO_CSUM */

/* The device port's ring (tun_net_xmit drops when it is full). When the
 * kernel segments a request in software before the driver (a GSO type the
 * port lacks) a 64 KB request at gso_size 1 is 65535 skbs in one burst:
 * the ring holds them all, as the kernel engine's tap does. */
#define VNIC_TXQLEN (65536 + 4096)
/* How long ofd_vnic_down waits for the device process before SIGKILL. */
#define VNIC_STOP_MS 5000

/* What the device tap is offered, most first: the 24-byte header with UDP
 * tunnel GSO (6.17+), then the plain header with USO, then without. */
static const struct {
	unsigned int hdr_len, off;
} vnic_offers[] = {
	{ VNIC_TNL_HDR_LEN, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN |
				    TUN_F_USO4 | TUN_F_USO6 | VNIC_F_TNL | VNIC_F_TNL_CSUM },
	{ VNIC_HDR_LEN, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN |
				TUN_F_USO4 | TUN_F_USO6 },
	{ VNIC_HDR_LEN, TUN_F_CSUM | TUN_F_TSO4 | TUN_F_TSO6 | TUN_F_TSO_ECN },
};

void ofdint_vnic_offload_str(unsigned int off, char *buf, size_t len)
{
	static const struct {
		unsigned int bit;
		const char *name;
	} names[] = {
		{ TUN_F_CSUM, "csum" }, { TUN_F_TSO4, "tso4" }, { TUN_F_TSO6, "tso6" },
		{ TUN_F_TSO_ECN, "tso-ecn" }, { TUN_F_USO4, "uso4" }, { TUN_F_USO6, "uso6" },
		{ VNIC_F_TNL, "udp-tunnel-gso" }, { VNIC_F_TNL_CSUM, "udp-tunnel-gso-csum" },
	};
	size_t i, n = 0;

	buf[0] = '\0';
	for (i = 0; i < OFD_ARRAY_SIZE(names) && n < len; i++)
		if (off & names[i].bit)
			n += (size_t)snprintf(buf + n, len - n, "%s%s", n ? " " : "",
					      names[i].name);
}

/* A kernel without IPv6 has no such file, and nothing to silence. */
static void write_file(const char *path, const char *val)
{
	if (ofd_netns_write(path, val) && errno != ENOENT)
		ofd_pr_debug("vnic: %s: %s\n", path, strerror(errno));
}

static void no_ipv6(const char *port)
{
	char path[96];

	snprintf(path, sizeof(path), "/proc/sys/net/ipv6/conf/%s/disable_ipv6", port);
	write_file(path, "1");
}

static int ifreq_do(int ctl, unsigned long req, const char *name, struct ifreq *ifr)
{
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", name);
	return ioctl(ctl, req, ifr) ? -errno : 0;
}

static int link_up(int ctl, const char *name)
{
	struct ifreq ifr = { 0 };
	int err = ifreq_do(ctl, SIOCGIFFLAGS, name, &ifr);

	if (err)
		return err;
	ifr.ifr_flags |= IFF_UP;
	return ifreq_do(ctl, SIOCSIFFLAGS, name, &ifr);
}

static int tap_open(const char *name, short flags, int *out)
{
	struct ifreq ifr = { 0 };
	int fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", name);
	ifr.ifr_flags = flags;
	if (ioctl(fd, TUNSETIFF, &ifr)) {
		int err = -errno;

		close(fd);
		return err;
	}
	*out = fd;
	return 0;
}

/* The richest offer this kernel's tun takes, as kernel_tunnel.c probes:
 * the header size first, since the tunnel bits need the 24-byte one. */
static int dev_offloads(struct vnic_ports *p)
{
	int zero = 0, one = 1;
	size_t i;

	for (i = 0; i < OFD_ARRAY_SIZE(vnic_offers); i++) {
		int sz = (int)vnic_offers[i].hdr_len;
		bool le = sz == VNIC_TNL_HDR_LEN;

		if (ioctl(p->dev_tap, TUNSETVNETHDRSZ, &sz) ||
		    ioctl(p->dev_tap, TUNSETVNETLE, le ? &one : &zero))
			continue;
		if (ioctl(p->dev_tap, TUNSETOFFLOAD, vnic_offers[i].off))
			continue;
		p->hdr_len = vnic_offers[i].hdr_len;
		p->le = le;
		p->offloads = vnic_offers[i].off;
		return 0;
	}
	return -errno;
}

static int port_config(int ctl, const char *name, unsigned int qlen)
{
	struct ifreq ifr = { 0 };
	int err;

	ifr.ifr_mtu = OFD_TAP_MAX_MTU;
	if ((err = ifreq_do(ctl, SIOCSIFMTU, name, &ifr)))
		return err;
	if (qlen) {
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_qlen = (int)qlen;
		if ((err = ifreq_do(ctl, SIOCSIFTXQLEN, name, &ifr)))
			return err;
	}
	no_ipv6(name);
	return link_up(ctl, name);
}

#define SETUP_FAIL(e, ...)                                  \
	do {                                                \
		err = (e);                                  \
		snprintf(msg, msg_len, __VA_ARGS__);        \
		goto out;                                   \
	} while (0)

/* In the device process: its namespace, lo and both ports. */
static int setup_ports(const struct ofd_vnic_opts *o, const struct ofd_vnic *v,
		       struct vnic_ports *p, char *msg, size_t msg_len)
{
	int ctl = -1, nsfd = -1, err = 0;

	if (v->netns[0]) {
		if ((err = ofd_netns_open(v->netns, &nsfd, msg, msg_len)))
			return err;
		if (setns(nsfd, CLONE_NEWNET))
			SETUP_FAIL(-errno, "vnic: cannot enter network namespace '%s': %s",
				   v->netns, strerror(errno));
	} else if (unshare(CLONE_NEWNET)) {
		SETUP_FAIL(-errno, "vnic: cannot create a network namespace: %s",
			   strerror(errno));
	}
	/* /proc/sys/net is this process's namespace from here on. New
	 * devices inherit "default": the ports never get IPv6 at all. */
	write_file("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");
	ctl = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ctl < 0)
		SETUP_FAIL(-errno, "vnic: socket: %s", strerror(errno));
	if ((err = link_up(ctl, "lo")))
		SETUP_FAIL(err, "vnic: cannot bring lo up: %s", strerror(-err));

	/* IFF_NAPI with hardware GRO: the kernel's software GRO runs on
	 * what the device hands up, as after a NIC driver's napi_gro_receive
	 * (why that validates singles and merges nothing further: vnic_rx.c).
	 * Without it frames go up through netif_receive_skb untouched. */
	if ((err = tap_open(v->dev_port,
			    (short)(IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | (o->hw_gro ? IFF_NAPI : 0)),
			    &p->dev_tap)))
		SETUP_FAIL(err, "vnic: cannot create tap %s: %s", v->dev_port, strerror(-err));
	if ((err = dev_offloads(p)))
		SETUP_FAIL(err, "vnic: tap %s takes no TX offloads (TUNSETOFFLOAD): %s",
			   v->dev_port, strerror(-err));
	if ((err = tap_open(v->wire_port, IFF_TAP | IFF_NO_PI, &p->wire_tap)))
		SETUP_FAIL(err, "vnic: cannot create tap %s: %s", v->wire_port,
			   strerror(-err));
	if ((err = port_config(ctl, v->dev_port, VNIC_TXQLEN)))
		SETUP_FAIL(err, "vnic: cannot configure %s (MTU %u, up): %s", v->dev_port,
			   OFD_TAP_MAX_MTU, strerror(-err));
	if ((err = port_config(ctl, v->wire_port, VNIC_TXQLEN)))
		SETUP_FAIL(err, "vnic: cannot configure %s (MTU %u, up): %s", v->wire_port,
			   OFD_TAP_MAX_MTU, strerror(-err));
out:
	if (ctl >= 0)
		close(ctl);
	if (nsfd >= 0)
		close(nsfd);
	return err;
}

/* The emulator under the profile, with the profile's own one-line error
 * ("file:line:col: ...") rather than the engine's generic one. */
static int open_emu(const struct ofd_vnic_opts *o, struct ofd_engine **emu, char *msg,
		    size_t msg_len)
{
	struct ofd_engine_opts eo = { 0 };
	char dir[4096], path[4096];
	int err;

	if (!o->profile || !*o->profile) {
		snprintf(msg, msg_len, "vnic: no profile (e.g. conformant)");
		return -EINVAL;
	}
	if (!o->profile_dir)
		ofd_datadir_find(OFD_EMU_PROFILE_DIR, dir, sizeof(dir));
	eo.profile = o->profile;
	eo.profile_dir = o->profile_dir ? o->profile_dir : dir;
	eo.caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO) |
		  (o->hw_gro ? OFD_CAP(OFD_OFFLOAD_GRO) : 0);
	if (ofd_emu_profile_path(eo.profile, eo.profile_dir, path, sizeof(path))) {
		snprintf(msg, msg_len, "vnic: bad profile '%s'", o->profile);
		return -EINVAL;
	}
	if ((err = ofd_emu_profile_check(path, msg, msg_len)))
		return err;
	return ofd_engine__open("emu", &eo, emu, msg, msg_len);
}

/* The ready line: "0" or "<errno> <message>". */
static void tell_parent(int fd, int err, const char *msg)
{
	char line[600];
	int n = snprintf(line, sizeof(line), "%d %s", -err, err ? msg : "ready");

	if (write(fd, line, (size_t)(n < (int)sizeof(line) ? n : (int)sizeof(line) - 1)) < 0)
		_exit(1); /* the caller is gone: nobody to serve */
	close(fd);
}

static void log_to(const char *path)
{
	int fd = open("/dev/null", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		dup2(fd, STDIN_FILENO);
		close(fd);
	}
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	/* Never keep the caller's stdout: a shell reading `vnic up` through
	 * a pipe would wait for the device process to end. */
	if (fd < 0)
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	if (fd < 0)
		return;
	dup2(fd, STDOUT_FILENO);
	dup2(fd, STDERR_FILENO);
	close(fd);
}

static __attribute__((noreturn)) void device_main(const struct ofd_vnic_opts *o,
						   const struct ofd_vnic *v, pid_t parent,
						   int ready)
{
	struct vnic_ports p = { .dev_tap = -1, .wire_tap = -1 };
	struct ofd_engine *emu = NULL;
	char msg[512] = "", offs[160];
	int sig[] = { SIGTERM, SIGINT, SIGHUP, SIGPIPE, SIGUSR1, SIGCHLD };
	size_t i;
	int err;

	/* The caller's handlers (a run's SIGINT checkpoint) are not ours. */
	for (i = 0; i < OFD_ARRAY_SIZE(sig); i++)
		signal(sig[i], SIG_DFL);
	signal(SIGPIPE, SIG_IGN);
	if (v->netns[0]) {
		/* Named: it outlives `vnic up`, away from its terminal. */
		setsid();
		if (o->log)
			log_to(o->log);
	} else {
		/* Private: it dies with its parent; PR_SET_PDEATHSIG is
		 * about the thread that forked, so call ofd_vnic_up from a
		 * thread that lives as long as the virtual NIC is used. */
		prctl(PR_SET_PDEATHSIG, SIGTERM);
		if (getppid() != parent)
			_exit(1);
	}
	err = setup_ports(o, v, &p, msg, sizeof(msg));
	if (!err)
		err = open_emu(o, &emu, msg, sizeof(msg));
	if (err && !msg[0])
		snprintf(msg, sizeof(msg), "vnic: %s", strerror(-err));
	tell_parent(ready, err, msg);
	if (err)
		_exit(1);
	p.verbose = o->log;
	p.protocol_csum = o->checksum && !strcmp(o->checksum, "protocol");
	p.hw_gro = o->hw_gro;
	ofdint_vnic_offload_str(p.offloads, offs, sizeof(offs));
	if (o->log)
		fprintf(stderr, "vnic: pid %d serving: %s (%s, %u-byte vnet header) -> emu:%s -> %s%s%s%s\n",
			(int)getpid(), v->dev_port, offs, p.hdr_len, o->profile, v->wire_port,
			v->netns[0] ? " in netns " : "", v->netns,
			p.hw_gro ? "; hardware GRO on receive" : "");
	err = ofdint_vnic_serve(&p, emu);
	ofd_engine__close(emu);
	_exit(err ? 1 : 0);
}

static int read_all(int fd, char *buf, size_t len)
{
	size_t n = 0;

	while (n + 1 < len) {
		ssize_t r = read(fd, buf + n, len - 1 - n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		n += (size_t)r;
	}
	buf[n] = '\0';
	return (int)n;
}

int ofd_vnic_up(const struct ofd_vnic_opts *o, struct ofd_vnic *v, char *err,
		size_t err_len)
{
	char line[600], *text;
	int fds[2], e;
	pid_t pid, self = getpid();
	long code;

	memset(v, 0, sizeof(*v));
	v->nsfd = -1;
	snprintf(v->dev_port, sizeof(v->dev_port), "%s", o->dev_port ? o->dev_port : OFD_VNIC_DEV_PORT);
	snprintf(v->wire_port, sizeof(v->wire_port), "%s",
		 o->wire_port ? o->wire_port : OFD_VNIC_WIRE_PORT);
	if (!strcmp(v->dev_port, v->wire_port) || strlen(v->dev_port) >= IFNAMSIZ ||
	    strlen(v->wire_port) >= IFNAMSIZ || !v->dev_port[0] || !v->wire_port[0]) {
		snprintf(err, err_len, "vnic: bad port names '%s' and '%s'", v->dev_port,
			 v->wire_port);
		return -EINVAL;
	}
	if (o->netns && *o->netns) {
		if (strlen(o->netns) >= sizeof(v->netns)) {
			snprintf(err, err_len, "vnic: namespace name too long");
			return -EINVAL;
		}
		e = ofd_netns_create(o->netns, err, err_len);
		if (e)
			return e;
		snprintf(v->netns, sizeof(v->netns), "%s", o->netns);
	}
	if (pipe2(fds, O_CLOEXEC)) {
		e = -errno;
		snprintf(err, err_len, "vnic: pipe: %s", strerror(errno));
		goto fail;
	}
	fflush(NULL); /* the child must not write our buffered output again */
	pid = fork();
	if (pid < 0) {
		e = -errno;
		snprintf(err, err_len, "vnic: fork: %s", strerror(errno));
		close(fds[0]);
		close(fds[1]);
		goto fail;
	}
	if (!pid) {
		close(fds[0]);
		device_main(o, v, self, fds[1]);
	}
	close(fds[1]);
	read_all(fds[0], line, sizeof(line));
	close(fds[0]);
	code = strtol(line, &text, 10);
	if (text == line || code != 0 || strncmp(text, " ready", 6)) {
		waitpid(pid, NULL, 0);
		e = code > 0 ? -(int)code : -EIO;
		snprintf(err, err_len, "%s",
			 text != line && *text == ' ' ? text + 1 :
			 "vnic: the device process ended before it was ready");
		goto fail;
	}
	v->pid = pid;
	if (v->netns[0])
		e = ofd_netns_open(v->netns, &v->nsfd, line, sizeof(line));
	else {
		snprintf(line, sizeof(line), "/proc/%d/ns/net", (int)pid);
		v->nsfd = open(line, O_RDONLY | O_CLOEXEC);
		e = v->nsfd < 0 ? -errno : 0;
	}
	if (e) {
		snprintf(err, err_len, "vnic: cannot open the device's namespace: %s",
			 strerror(-e));
		ofd_vnic_down(v);
		return e;
	}
	return 0;
fail:
	if (v->netns[0])
		ofd_netns_delete(v->netns);
	v->netns[0] = '\0';
	return e;
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

/* A process we did not start (`vnic down` reads its pid from a file):
 * gone, or a zombie its new parent has not reaped yet. */
static bool pid_gone(pid_t pid)
{
	char path[64], buf[256], *p;
	int fd;
	ssize_t n;

	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return true;
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0)
		return true;
	buf[n] = '\0';
	p = strrchr(buf, ')');
	return p && p[1] == ' ' && (p[2] == 'Z' || p[2] == 'X');
}

/* Wait up to ms for pid to end; true when it did. */
static bool wait_end(pid_t pid, long ms)
{
	long t;

	for (t = 0; t <= ms; t += 10) {
		pid_t r = waitpid(pid, NULL, WNOHANG);

		if (r == pid || (r < 0 && errno == ECHILD && pid_gone(pid)))
			return true;
		if (r < 0 && errno != ECHILD)
			return true;
		sleep_ms(10);
	}
	return false;
}

int ofd_vnic_down(struct ofd_vnic *v)
{
	int err = 0;

	if (v->pid > 0) {
		if (kill(v->pid, SIGTERM) && errno != ESRCH)
			err = -errno;
		if (!err && !wait_end(v->pid, VNIC_STOP_MS)) {
			kill(v->pid, SIGKILL);
			wait_end(v->pid, VNIC_STOP_MS);
		}
		v->pid = 0;
	}
	if (v->netns[0]) {
		int e = ofd_netns_delete(v->netns);

		if (!err)
			err = e;
		v->netns[0] = '\0';
	}
	if (v->nsfd >= 0)
		close(v->nsfd);
	v->nsfd = -1;
	return err;
}
