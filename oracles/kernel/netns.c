// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * netns.c - the kernel engine's private network namespace.
 *
 * Recipe (kernel-tx.md 10.1, kernel-rx.md 7): a tap (drivers/net/tun.c) fed
 * by an AF_PACKET socket with PACKET_VNET_HDR (net/packet/af_packet.c) for
 * TX, and an IFF_NAPI tap read back through a second AF_PACKET socket for
 * GRO and RX checksum.
 *
 * Isolation: a helper thread unshares its network namespace (and, when RX is
 * wanted, its mount namespace, to mount a sysfs that shows the namespace's
 * devices), creates every tap and socket there and exits. Taps and sockets
 * stay bound to the namespace they were created in and each holds a
 * reference to it, so the namespace has no name, no process and no bind
 * mount: it lives exactly as long as our descriptors. Nothing here touches
 * the host's interfaces, addresses, routes or mounts.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/sockios.h>
#include <linux/capability.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <linux/if_tun.h>
#include <linux/netlink.h>
#include <linux/pkt_sched.h>
#include <linux/rtnetlink.h>

#include "ofd.h"
#include "kernel_internal.h"
#include "ofd_netns.h"

#ifndef PACKET_IGNORE_OUTGOING
#define PACKET_IGNORE_OUTGOING 23
#endif

/* The largest MTU a tap accepts is 65535 - ETH_HLEN (tun.c MAX_MTU minus
 * the link header; 65522 gives EINVAL on 6.18.44); smaller fallbacks in case
 * that ever changes. The model assumes the first (ofd_kpath in ofd.h). */
static const unsigned int kns_mtus[] = { OFD_TAP_MAX_MTU, 65500, 16384, 9216 };

/* tun_net_xmit drops when its ring (sized by tx_queue_len) is full; the
 * ring holds OFDINT_KNS_TXQLEN (kernel_internal.h): every segment of the
 * largest GSO case (gso_size 1 on 64 KB: 65535) and a whole sendmmsg
 * batch. The ring is an array of pointers (512 KiB); the skbs in it are
 * only what a case produced. */
#define KNS_TXQLEN OFDINT_KNS_TXQLEN
#define KNS_RCVBUF (64 << 20)
#define KNS_SNDBUF (8 << 20)

static atomic_uint kns_counter;

int ofdint_kns_ifreq(int ctl, unsigned long req, const char *name,
		     struct ifreq *ifr)
{
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", name);
	return ioctl(ctl, req, ifr) ? -errno : 0;
}

int ofdint_kns_link_up(int ctl, const char *name)
{
	struct ifreq ifr = { 0 };
	int err;

	err = ofdint_kns_ifreq(ctl, SIOCGIFFLAGS, name, &ifr);
	if (err)
		return err;
	ifr.ifr_flags |= IFF_UP;
	return ofdint_kns_ifreq(ctl, SIOCSIFFLAGS, name, &ifr);
}

static int kns_set_mtu(int ctl, const char *name, unsigned int *mtu)
{
	struct ifreq ifr;
	size_t i;
	int err = -EINVAL;

	for (i = 0; i < OFD_ARRAY_SIZE(kns_mtus); i++) {
		memset(&ifr, 0, sizeof(ifr));
		ifr.ifr_mtu = (int)kns_mtus[i];
		err = ofdint_kns_ifreq(ctl, SIOCSIFMTU, name, &ifr);
		if (!err) {
			*mtu = kns_mtus[i];
			if (i)
				ofd_pr_warn("kernel: tap %s takes MTU %u, not %u: the model and the kernel will disagree on frames longer than %u bytes\n",
					    name, kns_mtus[i], kns_mtus[0],
					    kns_mtus[i] + 14);
			return 0;
		}
	}
	return err;
}

static int kns_ifindex(int ctl, const char *name, int *ifindex)
{
	struct ifreq ifr = { 0 };
	int err;

	err = ofdint_kns_ifreq(ctl, SIOCGIFINDEX, name, &ifr);
	if (!err)
		*ifindex = ifr.ifr_ifindex;
	return err;
}

static int kns_tap_open(const char *name, short flags, int *out)
{
	struct ifreq ifr = { 0 };
	int fd;

	fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
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

/*
 * Replace the tap's default root qdisc (pfifo_fast) by noqueue, so that
 * dev_queue_xmit goes straight to validate_xmit_skb and the driver in the
 * sender's context and a drop there comes back as an error of send().
 * Equivalent of `tc qdisc replace dev X root noqueue`.
 */
int ofdint_kns_noqueue(int ifindex)
{
	struct {
		struct nlmsghdr nh;
		struct tcmsg tc;
		char attr[RTA_SPACE(8)];
	} req;
	struct sockaddr_nl sa = { .nl_family = AF_NETLINK };
	union {
		struct nlmsghdr nh;
		char buf[512];
	} ans;
	struct rtattr *rta;
	struct nlmsgerr *e;
	ssize_t n;
	int fd, err;

	memset(&req, 0, sizeof(req));
	req.nh.nlmsg_len = NLMSG_LENGTH(sizeof(req.tc)) + RTA_SPACE(8);
	req.nh.nlmsg_type = RTM_NEWQDISC;
	req.nh.nlmsg_flags = NLM_F_REQUEST | NLM_F_ACK | NLM_F_CREATE |
			     NLM_F_REPLACE;
	req.nh.nlmsg_seq = 1;
	req.tc.tcm_family = AF_UNSPEC;
	req.tc.tcm_ifindex = ifindex;
	req.tc.tcm_parent = TC_H_ROOT;
	rta = (struct rtattr *)req.attr;
	rta->rta_type = TCA_KIND;
	rta->rta_len = RTA_LENGTH(8);
	memcpy(RTA_DATA(rta), "noqueue", 8);

	fd = socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
	if (fd < 0)
		return -errno;
	if (sendto(fd, &req, req.nh.nlmsg_len, 0, (struct sockaddr *)&sa,
		   sizeof(sa)) < 0) {
		err = -errno;
		goto out;
	}
	n = recv(fd, &ans, sizeof(ans), 0);
	if (n < 0) {
		err = -errno;
		goto out;
	}
	if ((size_t)n < NLMSG_LENGTH(sizeof(*e)) ||
	    ans.nh.nlmsg_type != NLMSG_ERROR) {
		err = -EPROTO;
		goto out;
	}
	e = NLMSG_DATA(&ans.nh);
	err = e->error;
out:
	close(fd);
	return err;
}

/* Kernel threads whose name starts with "napi/<dev>-" (napi_kthread_create
 * names them "napi/%s-%d"; comm keeps 15 characters, enough for our 8-byte
 * device names). */
#define KNS_MAX_KT 8
static int kns_napi_threads(const char *dev, pid_t *pids, int max)
{
	char prefix[32], path[300], comm[32];
	struct dirent *de;
	int n = 0, fd;
	ssize_t len;
	DIR *d;

	snprintf(prefix, sizeof(prefix), "napi/%s-", dev);
	d = opendir("/proc");
	if (!d)
		return -errno;
	while ((de = readdir(d))) {
		if (de->d_name[0] < '1' || de->d_name[0] > '9')
			continue;
		snprintf(path, sizeof(path), "/proc/%s/comm", de->d_name);
		fd = open(path, O_RDONLY | O_CLOEXEC);
		if (fd < 0)
			continue;
		len = read(fd, comm, sizeof(comm) - 1);
		close(fd);
		if (len <= 0)
			continue;
		comm[len] = '\0';
		if (strncmp(comm, prefix, strlen(prefix)))
			continue;
		if (n < max)
			pids[n] = (pid_t)atoi(de->d_name);
		n++;
	}
	closedir(d);
	return n;
}

/*
 * Threaded NAPI for the rx tap (see kernel.c: the GRO batch mechanism).
 * Threads of an earlier, still dying namespace may carry the same name, so
 * the new kthread is the one that was not there before.
 */
static int kns_threaded_napi(struct ofdint_kns *ns)
{
	pid_t before[KNS_MAX_KT], after[KNS_MAX_KT], found = 0;
	char path[96];
	int nb, na, i, j, err;

	nb = kns_napi_threads(ns->rx_name, before, KNS_MAX_KT);
	if (nb < 0)
		return nb;
	snprintf(path, sizeof(path), "/sys/class/net/%s/threaded", ns->rx_name);
	err = ofd_netns_write(path, "1");
	if (err)
		return err;
	na = kns_napi_threads(ns->rx_name, after, KNS_MAX_KT);
	if (na < 0)
		return na;
	if (nb > KNS_MAX_KT || na > KNS_MAX_KT)
		return -EEXIST;
	for (i = 0; i < na; i++) {
		for (j = 0; j < nb; j++)
			if (after[i] == before[j])
				break;
		if (j < nb)
			continue;
		if (found)
			return -EEXIST;
		found = after[i];
	}
	if (!found)
		return -ESRCH;
	ns->napi_pid = found;
	return 0;
}

static int kns_packet_socket(int ifindex, uint16_t proto, int *out)
{
	struct sockaddr_ll sll = {
		.sll_family = AF_PACKET,
		.sll_protocol = htons(proto),
		.sll_ifindex = ifindex,
	};
	int fd, one = 1, err;

	/* Protocol 0 at socket(): no packet is queued to it before bind()
	 * narrows it to one device. */
	fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (setsockopt(fd, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)))
		goto fail;
	if (bind(fd, (struct sockaddr *)&sll, sizeof(sll)))
		goto fail;
	*out = fd;
	return 0;
fail:
	err = -errno;
	close(fd);
	return err;
}

static int kns_setup_tx(struct ofdint_kns *ns, int ctl, char *why,
			size_t why_len)
{
	int err, sz = KNS_SNDBUF;

	err = kns_tap_open(ns->tx_name, IFF_TAP | IFF_NO_PI | IFF_VNET_HDR,
			   &ns->tx_tap);
	if (err) {
		snprintf(why, why_len, "cannot create a tap: %s",
			 strerror(-err));
		return err;
	}
	/* No offloads: every checksum and every GSO is done in software
	 * before tun_net_xmit (kernel-tx.md 10.3). */
	if (ioctl(ns->tx_tap, TUNSETOFFLOAD, 0)) {
		err = -errno;
		snprintf(why, why_len, "TUNSETOFFLOAD 0: %s", strerror(-err));
		return err;
	}
	err = kns_set_mtu(ctl, ns->tx_name, &ns->mtu);
	if (!err) {
		struct ifreq ifr = { 0 };

		ifr.ifr_qlen = KNS_TXQLEN;
		err = ofdint_kns_ifreq(ctl, SIOCSIFTXQLEN, ns->tx_name, &ifr);
	}
	if (!err)
		err = ofdint_kns_link_up(ctl, ns->tx_name);
	if (!err)
		err = kns_ifindex(ctl, ns->tx_name, &ns->tx_ifindex);
	if (err) {
		snprintf(why, why_len, "cannot configure tap %s: %s",
			 ns->tx_name, strerror(-err));
		return err;
	}
	err = ofdint_kns_noqueue(ns->tx_ifindex);
	ns->tx_noqueue = !err;
	if (err)
		ofd_pr_debug("kernel: noqueue on %s: %s; keeping pfifo_fast\n",
			     ns->tx_name, strerror(-err));

	err = kns_packet_socket(ns->tx_ifindex, 0, &ns->tx_sock);
	if (!err && setsockopt(ns->tx_sock, SOL_SOCKET, SO_SNDBUFFORCE, &sz,
			       sizeof(sz)))
		err = -errno;
	if (err) {
		snprintf(why, why_len, "AF_PACKET sender: %s", strerror(-err));
		return err;
	}
	/* /proc/net is the reading task's namespace: open it from here. */
	ns->stats_fd = open("/proc/thread-self/net/dev", O_RDONLY | O_CLOEXEC);
	if (ns->stats_fd < 0) {
		err = -errno;
		snprintf(why, why_len, "/proc/thread-self/net/dev: %s",
			 strerror(-err));
		return err;
	}
	return 0;
}

/* RX failures only disable gro and rx-csum; the reason stays in rx_why. */
static void kns_setup_rx(struct ofdint_kns *ns, int ctl)
{
	int err, one = 1, sz = KNS_RCVBUF;

#define RX_FAIL(e, msg)              \
	do {                         \
		ns->rx_err = (e);    \
		ns->rx_why = (msg);  \
		goto fail;           \
	} while (0)

	if (unshare(CLONE_NEWNS))
		RX_FAIL(-errno, "cannot create a private mount namespace for sysfs");
	/* Our mounts must not propagate back to the host (as ip-netns). */
	if (mount(NULL, "/", NULL, MS_REC | MS_SLAVE, NULL))
		RX_FAIL(-errno, "cannot make the private mount namespace a slave");
	/* A sysfs mounted from inside the namespace shows its devices. */
	if (mount("sysfs", "/sys", "sysfs", MS_NOSUID | MS_NODEV | MS_NOEXEC,
		  NULL))
		RX_FAIL(-errno, "cannot mount a sysfs for the namespace");

	err = kns_tap_open(ns->rx_name,
			   IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_NAPI,
			   &ns->rx_tap);
	if (err)
		RX_FAIL(err, "cannot create an IFF_NAPI tap");
	err = kns_set_mtu(ctl, ns->rx_name, &ns->mtu);
	if (!err)
		err = ofdint_kns_link_up(ctl, ns->rx_name);
	if (!err)
		err = kns_ifindex(ctl, ns->rx_name, &ns->rx_ifindex);
	if (err)
		RX_FAIL(err, "cannot configure the IFF_NAPI tap");
	err = kns_threaded_napi(ns);
	if (err)
		RX_FAIL(err, "cannot switch the tap's NAPI to threaded mode");

	err = kns_packet_socket(ns->rx_ifindex, ETH_P_ALL, &ns->rx_sock);
	if (err)
		RX_FAIL(err, "cannot open the AF_PACKET receiver");
	if (setsockopt(ns->rx_sock, SOL_PACKET, PACKET_IGNORE_OUTGOING, &one,
		       sizeof(one)) ||
	    setsockopt(ns->rx_sock, SOL_SOCKET, SO_RCVBUFFORCE, &sz,
		       sizeof(sz)))
		RX_FAIL(-errno, "cannot configure the AF_PACKET receiver");
	return;
fail:
#undef RX_FAIL
	if (ns->rx_sock >= 0)
		close(ns->rx_sock);
	if (ns->rx_tap >= 0)
		close(ns->rx_tap);
	ns->rx_sock = ns->rx_tap = -1;
	ns->napi_pid = 0;
	ofd_pr_debug("kernel: rx set-up: %s: %s\n", ns->rx_why,
		     strerror(-ns->rx_err));
}

struct kns_setup {
	struct ofdint_kns *ns;
	unsigned int want;
	int err;
	char *why;
	size_t why_len;
};

static void *kns_setup_thread(void *arg)
{
	struct kns_setup *s = arg;
	struct ofdint_kns *ns = s->ns;
	int ctl;

	if (unshare(CLONE_NEWNET)) {
		s->err = -errno;
		snprintf(s->why, s->why_len,
			 "kernel engine cannot create a network namespace: %s",
			 strerror(errno));
		return NULL;
	}
	/* No IPv6 on the taps: no ND/MLD frames of the kernel's own among
	 * ours. "default" is what new devices inherit. */
	ofd_netns_write("/proc/sys/net/ipv6/conf/all/disable_ipv6", "1");
	ofd_netns_write("/proc/sys/net/ipv6/conf/default/disable_ipv6", "1");

	ctl = socket(AF_PACKET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (ctl < 0) {
		s->err = -errno;
		snprintf(s->why, s->why_len, "kernel engine: socket: %s",
			 strerror(errno));
		return NULL;
	}
	if (s->want & OFDINT_KNS_TX) {
		s->err = kns_setup_tx(ns, ctl, s->why, s->why_len);
		if (s->err)
			goto out;
	}
	/* Last: it changes this thread's mount namespace. */
	if (s->want & OFDINT_KNS_RX)
		kns_setup_rx(ns, ctl);
out:
	close(ctl);
	return NULL;
}

int ofdint_kns__open(unsigned int want, struct ofdint_kns **out, char *why,
		     size_t why_len)
{
	struct ofdint_kns *ns;
	struct kns_setup s;
	unsigned int id;
	pthread_t th;
	int err;

	ns = calloc(1, sizeof(*ns));
	if (!ns)
		return -ENOMEM;
	ns->tx_tap = ns->tx_sock = ns->stats_fd = -1;
	ns->rx_tap = ns->rx_sock = -1;
	ns->rx_why = "not requested";
	ns->rx_err = -EOPNOTSUPP;
	/* 8-character names, unique per live process, so that the NAPI
	 * kthread's 15-character comm keeps them whole. */
	id = ((unsigned int)getpid() << 2 | (atomic_fetch_add(&kns_counter, 1) & 3)) &
	     0xffffff;
	snprintf(ns->tx_name, sizeof(ns->tx_name), "ot%06x", id);
	snprintf(ns->rx_name, sizeof(ns->rx_name), "og%06x", id);
	if (want & OFDINT_KNS_RX) {
		ns->rx_why = NULL;
		ns->rx_err = 0;
	}

	s.ns = ns;
	s.want = want;
	s.err = 0;
	s.why = why;
	s.why_len = why_len;
	if (why_len)
		why[0] = '\0';
	err = pthread_create(&th, NULL, kns_setup_thread, &s);
	if (err) {
		free(ns);
		return -err;
	}
	pthread_join(th, NULL);
	if (s.err) {
		ofdint_kns__free(ns);
		return s.err;
	}
	*out = ns;
	return 0;
}

void ofdint_kns__free(struct ofdint_kns *ns)
{
	int *fds[] = { &ns->rx_sock, &ns->rx_tap, &ns->tx_sock, &ns->tx_tap,
		       &ns->stats_fd };
	size_t i;

	if (!ns)
		return;
	for (i = 0; i < OFD_ARRAY_SIZE(fds); i++)
		if (*fds[i] >= 0)
			close(*fds[i]);
	free(ns);
}

int ofdint_kns_dev_stat(struct ofdint_kns *ns, const char *dev, int field,
			uint64_t *val)
{
	char buf[8192], *line, *p;
	unsigned long long f[16];
	size_t nlen = strlen(dev);
	ssize_t n;

	if (field < 0 || field >= 16)
		return -EINVAL;
	/* seq_file: a read at offset 0 regenerates the table. */
	n = pread(ns->stats_fd, buf, sizeof(buf) - 1, 0);
	if (n < 0)
		return -errno;
	buf[n] = '\0';
	for (line = buf; line && *line; line = p ? p + 1 : NULL) {
		p = strchr(line, '\n');
		while (*line == ' ')
			line++;
		if (strncmp(line, dev, nlen) || line[nlen] != ':')
			continue;
		/* rx: bytes packets errs drop fifo frame compressed multicast,
		 * tx: bytes packets errs drop fifo colls carrier compressed */
		if (sscanf(line + nlen + 1,
			   "%llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu %llu",
			   &f[0], &f[1], &f[2], &f[3], &f[4], &f[5], &f[6],
			   &f[7], &f[8], &f[9], &f[10], &f[11], &f[12], &f[13],
			   &f[14], &f[15]) != 16)
			return -EPROTO;
		*val = f[field];
		return 0;
	}
	return -ENOENT;
}

int ofdint_kns_tx_dropped(struct ofdint_kns *ns, uint64_t *val)
{
	return ofdint_kns_dev_stat(ns, ns->tx_name, OFDINT_STAT_TX_DROP, val);
}

int ofdint_kns_pin_napi(struct ofdint_kns *ns, int cpu, int prio)
{
	struct sched_param sp = { .sched_priority = prio };
	cpu_set_t set;

	if (!ns->napi_pid)
		return -ESRCH;
	CPU_ZERO(&set);
	CPU_SET(cpu, &set);
	if (sched_setaffinity(ns->napi_pid, sizeof(set), &set))
		return -errno;
	if (sched_setscheduler(ns->napi_pid, SCHED_FIFO, &sp))
		return -errno;
	return 0;
}

static void *kns_probe_thread(void *arg)
{
	int *err = arg;

	*err = unshare(CLONE_NEWNET) ? -errno : 0;
	return NULL;
}

int ofdint_kns_probe(char *why, size_t why_len)
{
	struct __user_cap_header_struct hdr = {
		.version = _LINUX_CAPABILITY_VERSION_3,
	};
	struct __user_cap_data_struct cap[_LINUX_CAPABILITY_U32S_3];
	pthread_t th;
	int fd, err;

	if (why_len)
		why[0] = '\0';
	memset(cap, 0, sizeof(cap));
	if (syscall(SYS_capget, &hdr, cap)) {
		err = -errno;
		snprintf(why, why_len, "kernel engine: capget: %s",
			 strerror(-err));
		return err;
	}
	if (!(cap[0].effective & (1u << CAP_NET_ADMIN))) {
		snprintf(why, why_len,
			 "kernel engine needs CAP_NET_ADMIN (run as root)");
		return -EPERM;
	}
	if (!(cap[0].effective & (1u << CAP_SYS_ADMIN))) {
		snprintf(why, why_len,
			 "kernel engine needs CAP_SYS_ADMIN to create a network namespace (run as root)");
		return -EPERM;
	}
	fd = open("/dev/net/tun", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		err = -errno;
		snprintf(why, why_len, "kernel engine needs /dev/net/tun: %s",
			 strerror(-err));
		return err == -ENOENT ? -ENODEV : err;
	}
	close(fd);
	/* unshare() in a throw-away thread: the caller keeps its namespace. */
	err = pthread_create(&th, NULL, kns_probe_thread, &fd);
	if (err) {
		snprintf(why, why_len, "kernel engine: pthread_create: %s",
			 strerror(err));
		return -err;
	}
	pthread_join(th, NULL);
	if (fd) {
		snprintf(why, why_len,
			 "kernel engine cannot create a network namespace: %s",
			 strerror(-fd));
		return fd;
	}
	return 0;
}

/* ofdint_kns_run_in: the thread that enters the namespace. */
struct kns_run {
	int nsfd;
	int (*fn)(void *arg, const char **why);
	void *arg;
	const char *why;
	int err;
};

static void *kns_run_thread(void *p)
{
	struct kns_run *r = p;

	if (setns(r->nsfd, CLONE_NEWNET)) {
		r->err = -errno;
		r->why = "cannot enter the engine's network namespace";
		return NULL;
	}
	r->err = r->fn(r->arg, &r->why);
	return NULL;
}

int ofdint_kns_run_in(int sock, int (*fn)(void *arg, const char **why), void *arg,
		      const char **why)
{
	struct kns_run r = { .fn = fn, .arg = arg };
	pthread_t th;
	int err;

	*why = NULL;
	/* The namespace has no name: reach it through one of its sockets. */
	r.nsfd = sock >= 0 ? ioctl(sock, SIOCGSKNS) : -1;
	if (r.nsfd < 0) {
		*why = "cannot get a handle on the engine's namespace (SIOCGSKNS)";
		return sock >= 0 ? -errno : -ENODEV;
	}
	err = pthread_create(&th, NULL, kns_run_thread, &r);
	if (err) {
		close(r.nsfd);
		*why = "pthread_create";
		return -err;
	}
	pthread_join(th, NULL);
	close(r.nsfd);
	*why = r.why;
	return r.err;
}
