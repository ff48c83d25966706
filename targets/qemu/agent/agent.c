// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * agent.c - offdiff's agent in the qemu target's guest (guest mode).
 *
 * Built static (gcc -static) into the guest's initramfs by
 * scripts/qemu-guest-image.sh and started by its /init once the e1000e and
 * virtio-serial modules are loaded. It makes the guest's Linux e1000e
 * driver the one that programs QEMU's device: every case arrives over the
 * virtio-serial port (ofd_agent.h) and leaves on AF_PACKET with
 * PACKET_VNET_HDR, so the guest kernel turns the virtio_net_hdr into a
 * CHECKSUM_PARTIAL or GSO skb exactly as for the host kernel engine, and
 * the driver (e1000_tx_csum, e1000_tso, e1000_tx_map) writes the
 * descriptors. The marker frame after each case goes the same way, on the
 * same queue, so on the host's tap it comes after the case's frames.
 *
 * With "ofdoffloads=off" on the kernel command line the agent turns
 * checksum offload, scatter-gather and TSO off instead: the guest kernel's
 * own software path (skb_checksum_help, skb_segment) finishes every
 * request, and the e1000e only carries finished frames.
 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/reboot.h>
#include <sys/socket.h>
#include <sys/uio.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

#include <arpa/inet.h>
#include <linux/ethtool.h>
#include <linux/if.h>
#include <linux/if_packet.h>
#include <linux/sockios.h>

#include "agent_rss.h"
#include "ofd_agent.h"
#include "ofd_marker.h"

#define WAIT_MS 20000 /* module probe and link-up under TCG on a loaded host */
/* e1000e's max_mtu (netdev.c, e1000_probe), which igb's (9216) also
 * takes: one MTU for both, the qtest mode's. */
#define E1000E_MAX_MTU 9212

static int port_fd = -1;

static void msleep(int ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static int read_file(const char *path, char *buf, size_t cap)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return -errno;
	n = read(fd, buf, cap - 1);
	close(fd);
	if (n < 0)
		return -errno;
	buf[n] = 0;
	while (n > 0 && buf[n - 1] == '\n')
		buf[--n] = 0;
	return 0;
}

static void write_file(const char *path, const char *s)
{
	int fd = open(path, O_WRONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (write(fd, s, strlen(s)) < 0)
			fprintf(stderr, "agent: %s: %s\n", path, strerror(errno));
		close(fd);
	}
}

int agent_write_all(int fd, const void *p, size_t n)
{
	const uint8_t *b = p;

	while (n) {
		ssize_t w = write(fd, b, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return -EIO;
		b += w;
		n -= (size_t)w;
	}
	return 0;
}

/* 0, or -EPIPE at the end of the stream. */
int agent_read_all(int fd, void *p, size_t n)
{
	uint8_t *b = p;

	while (n) {
		ssize_t r = read(fd, b, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 && errno == EAGAIN) {
			/* virtio-serial returns EAGAIN while no host is connected. */
			msleep(10);
			continue;
		}
		if (r <= 0)
			return -EPIPE;
		b += r;
		n -= (size_t)r;
	}
	return 0;
}

/* Say what stopped the agent on the port (if open) and the console. */
void agent_die(const char *fmt, ...)
{
	char line[OFD_AGENT_LINE_MAX];
	va_list ap;
	int n;

	n = snprintf(line, sizeof(line), "offdiff-agent error ");
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	strcat(line, "\n");
	fputs(line, stderr);
	if (port_fd >= 0)
		agent_write_all(port_fd, line, strlen(line));
	msleep(1000);
	reboot(RB_POWER_OFF);
	_exit(1);
}

/* The /dev node of the virtio-serial port named OFD_AGENT_PORT: its
 * vportNpM name in /sys/class/virtio-ports, whose node devtmpfs makes. */
static int open_port(void)
{
	char path[300], name[128];
	int t;

	for (t = 0; t < WAIT_MS / 50; t++, msleep(50)) {
		DIR *d = opendir("/sys/class/virtio-ports");
		struct dirent *e;

		while (d && (e = readdir(d))) {
			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/sys/class/virtio-ports/%s/name", e->d_name);
			if (read_file(path, name, sizeof(name)) || strcmp(name, OFD_AGENT_PORT))
				continue;
			snprintf(path, sizeof(path), "/dev/%s", e->d_name);
			closedir(d);
			return open(path, O_RDWR | O_CLOEXEC);
		}
		if (d)
			closedir(d);
	}
	errno = ENODEV;
	return -1;
}

/* The first interface the e1000e, igb or virtio_net driver made (QEMU
 * gets one NIC of one of them), and the driver's name. */
static int find_nic(char *ifname, size_t cap, const char **driver)
{
	char path[300], link[256];
	int t;

	for (t = 0; t < WAIT_MS / 50; t++, msleep(50)) {
		DIR *d = opendir("/sys/class/net");
		struct dirent *e;

		while (d && (e = readdir(d))) {
			ssize_t n;

			if (e->d_name[0] == '.')
				continue;
			snprintf(path, sizeof(path), "/sys/class/net/%s/device/driver", e->d_name);
			n = readlink(path, link, sizeof(link) - 1);
			if (n <= 0)
				continue;
			link[n] = 0;
			if (strlen(e->d_name) >= cap)
				continue;
			if (strstr(link, "/e1000e"))
				*driver = "e1000e";
			else if (strstr(link, "/igb"))
				*driver = "igb";
			else if (strstr(link, "/virtio_net"))
				*driver = "virtio_net";
			else
				continue;
			memcpy(ifname, e->d_name, strlen(e->d_name) + 1);
			closedir(d);
			return 0;
		}
		if (d)
			closedir(d);
	}
	return -ENODEV;
}

static int ethtool_value(int s, const char *ifname, uint32_t cmd, uint32_t *val)
{
	struct ethtool_value ev = { .cmd = cmd, .data = *val };
	struct ifreq ifr;

	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	ifr.ifr_data = (void *)&ev;
	if (ioctl(s, SIOCETHTOOL, &ifr))
		return -errno;
	*val = ev.data;
	return 0;
}

static bool cmdline_has(const char *word)
{
	char buf[2048], *p;
	size_t n = strlen(word);

	if (read_file("/proc/cmdline", buf, sizeof(buf)))
		return false;
	for (p = buf; (p = strstr(p, word)); p += n)
		if ((p == buf || p[-1] == ' ') && (p[n] == ' ' || !p[n]))
			return true;
	return false;
}

int main(void)
{
	static uint8_t frame[OFD_AGENT_FRAME_MAX];
	bool off = cmdline_has("ofdoffloads=off"), rss = cmdline_has("ofdmode=rss");
	char ifname[IFNAMSIZ], line[OFD_AGENT_LINE_MAX], carrier[8] = "";
	const char *driver = "?";
	uint32_t txcsum, sg, tso, v;
	struct sockaddr_ll sll = { .sll_family = AF_PACKET };
	struct agent_vnet zero = { 0 };
	struct utsname u;
	struct ifreq ifr;
	uint8_t mac[6], mk[OFD_MARKER_LEN];
	int s, pk, one = 1, t;

	/* Before the interface is up: its qdisc is attached at dev_activate.
	 * Debian's default, fq_codel, queues by flow hash, and a marker is
	 * another flow than its case: it could leave first. pfifo_fast keeps
	 * one FIFO for every frame of priority 0. */
	write_file("/proc/sys/net/core/default_qdisc", "pfifo_fast");
	port_fd = open_port();
	if (port_fd < 0)
		agent_die("virtio-serial port %s: %s", OFD_AGENT_PORT, strerror(errno));
	if (find_nic(ifname, sizeof(ifname), &driver))
		agent_die("no e1000e, igb or virtio_net interface");
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		agent_die("socket: %s", strerror(errno));
	memset(&ifr, 0, sizeof(ifr));
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", ifname);
	/* The driver's largest MTU, as the qtest mode's plan assumes: a
	 * non-GSO frame up to 9212 bytes of payload goes as one frame. */
	ifr.ifr_mtu = E1000E_MAX_MTU;
	if (ioctl(s, SIOCSIFMTU, &ifr))
		agent_die("MTU %d on %s: %s", E1000E_MAX_MTU, ifname, strerror(errno));
	/* Scatter-gather first: TSO depends on it (netdev_fix_features). */
	v = !off;
	if (ethtool_value(s, ifname, ETHTOOL_SSG, &v) ||
	    (v = !off, ethtool_value(s, ifname, ETHTOOL_STXCSUM, &v)) ||
	    (v = !off, ethtool_value(s, ifname, ETHTOOL_STSO, &v)))
		agent_die("ethtool on %s: %s", ifname, strerror(errno));
	txcsum = sg = tso = 0;
	ethtool_value(s, ifname, ETHTOOL_GTXCSUM, &txcsum);
	ethtool_value(s, ifname, ETHTOOL_GSG, &sg);
	ethtool_value(s, ifname, ETHTOOL_GTSO, &tso);
	/* rss mode: every frame offdiff writes into the tap reaches the
	 * rings one by one: no GRO merging a flow's frames, and promiscuous
	 * (QEMU's virtio-net filters unicast to other MACs otherwise). */
	v = 0;
	if (rss && ethtool_value(s, ifname, ETHTOOL_SGRO, &v))
		agent_die("GRO off on %s: %s", ifname, strerror(errno));
	if (ioctl(s, SIOCGIFFLAGS, &ifr))
		agent_die("SIOCGIFFLAGS: %s", strerror(errno));
	ifr.ifr_flags |= IFF_UP | (rss ? IFF_PROMISC : 0);
	if (ioctl(s, SIOCSIFFLAGS, &ifr) || ioctl(s, SIOCGIFHWADDR, &ifr))
		agent_die("bring %s up: %s", ifname, strerror(errno));
	memcpy(mac, ifr.ifr_hwaddr.sa_data, 6);
	if (ioctl(s, SIOCGIFINDEX, &ifr))
		agent_die("SIOCGIFINDEX: %s", strerror(errno));
	sll.sll_ifindex = ifr.ifr_ifindex;
	/* The driver stops its queue until the link is up (e1000e_watchdog):
	 * frames sent before would wait in the qdisc, so wait for carrier. */
	snprintf(line, sizeof(line), "/sys/class/net/%s/carrier", ifname);
	for (t = 0; t < WAIT_MS / 50; t++, msleep(50))
		if (!read_file(line, carrier, sizeof(carrier)) && carrier[0] == '1')
			break;
	if (carrier[0] != '1')
		agent_die("no link on %s", ifname);
	/* Protocol 0: send only, the skb's protocol read from the frame
	 * (packet_parse_headers), as offdiff's kernel engine does. */
	pk = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);
	if (pk < 0 || setsockopt(pk, SOL_PACKET, PACKET_VNET_HDR, &one, sizeof(one)) ||
	    bind(pk, (struct sockaddr *)&sll, sizeof(sll)))
		agent_die("AF_PACKET on %s: %s", ifname, strerror(errno));
	uname(&u);
	snprintf(line, sizeof(line),
		 OFD_AGENT_READY "release=%s if=%s driver=%s mac=%02x:%02x:%02x:%02x:%02x:%02x "
		 "mtu=%d offloads=%s txcsum=%u sg=%u tso=%u\n",
		 u.release, ifname, driver, mac[0], mac[1], mac[2], mac[3], mac[4], mac[5],
		 E1000E_MAX_MTU, off ? "off" : "on", txcsum, sg, tso);
	if (agent_write_all(port_fd, line, strlen(line)))
		agent_die("the port");
	if (rss) {
		agent_rss_main(port_fd, s, ifname, sll.sll_ifindex);
		reboot(RB_POWER_OFF);
		return 0;
	}

	for (;;) {
		struct agent_req rq;
		struct agent_ack ack = { .magic = OFD_AGENT_ACK_MAGIC };
		struct iovec iov[2];
		struct msghdr msg = { .msg_iov = iov, .msg_iovlen = 2 };

		if (agent_read_all(port_fd, &rq, sizeof(rq)))
			break;
		if (rq.magic != OFD_AGENT_REQ_MAGIC || !rq.len || rq.len > sizeof(frame))
			agent_die("bad request (magic 0x%x, %u bytes)", rq.magic, rq.len);
		if (agent_read_all(port_fd, frame, rq.len))
			break;
		iov[0] = (struct iovec){ &rq.vnet, sizeof(rq.vnet) };
		iov[1] = (struct iovec){ frame, rq.len };
		ack.seq = rq.seq;
		if (sendmsg(pk, &msg, 0) < 0)
			ack.err = errno;
		/* The marker after it, whatever became of the frame: offdiff
		 * counts on one marker per request. A full qdisc (ENOBUFS) is
		 * waited out. */
		ofd_marker_build(mk, mac, rq.seq, rq.case_id);
		iov[0] = (struct iovec){ &zero, sizeof(zero) };
		iov[1] = (struct iovec){ mk, sizeof(mk) };
		for (t = 0; sendmsg(pk, &msg, 0) < 0; t++) {
			if (errno != ENOBUFS || t > 1000)
				agent_die("marker: %s", strerror(errno));
			msleep(1);
		}
		if (agent_write_all(port_fd, &ack, sizeof(ack)))
			break;
	}
	reboot(RB_POWER_OFF);
	return 0;
}
