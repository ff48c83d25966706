// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * wire.c - `offdiff wire capture`: read a port's wire as a peer sees it and
 * write it as a pcap stream.
 *
 * It is the far end of the iface target's remote topology (the peer port
 * is on a second host, reached over ssh the way the kernel's drivers/net/hw
 * tests attach a remote): the iface target starts `ssh HOST offdiff wire
 * capture --port P` and reads the stream. It is also useful alone: the
 * same correction of the VLAN tag as the iface target, the same receive
 * offloads turned off (journalled, so `offdiff iface restore` undoes a
 * killed capture), into a file Wireshark opens.
 *
 * The pcap header is written once the capture is ready, so a reader knows
 * when to start sending; it ends on SIGINT/SIGTERM, when its standard
 * input closes (ssh closing the session), or after --count frames.
 */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "ofd_cli.h"
#include "ofd_ethtool.h"
#include "ofd_netns.h"
#include "ofd_pcap.h"
#include "ofd_port.h"

struct capture_opts {
	const char *port, *netns, *out;
	uint64_t count;
};

static const struct ofd_opt capture_opts[] = {
	OFD_OPT('i', "port", OFD_OPT_STR, struct capture_opts, port, "IF",
		"the port whose wire is read (required)"),
	OFD_OPT('n', "netns", OFD_OPT_STR, struct capture_opts, netns, "NAME",
		"the named network namespace the port lives in"),
	OFD_OPT('w', "write", OFD_OPT_STR, struct capture_opts, out, "FILE",
		"pcap file to write (default -: standard output)"),
	OFD_OPT_NUM('c', "count", struct capture_opts, count, "N",
		    "stop after N frames (default: until stopped)", 1, UINT64_MAX),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = 1;
}

static int capture_loop(int fd, struct ofd_pcap_writer *w, uint64_t count, bool watch_stdin)
{
	uint8_t *buf = malloc(OFD_PORT_FRAME_MAX);
	uint64_t n = 0;
	int cut, e = 0;

	if (!buf)
		return -ENOMEM;
	while (!stop && (!count || n < count)) {
		struct pollfd p[2] = { { .fd = fd, .events = POLLIN },
				       { .fd = 0, .events = POLLIN } };
		ssize_t len = ofd_port_recv(fd, buf, OFD_PORT_FRAME_MAX, &cut);

		if (len < 0) {
			e = (int)len;
			break;
		}
		if (len > 0) {
			struct timespec ts;

			clock_gettime(CLOCK_REALTIME, &ts);
			ofd_pcap_writer__write(w, buf, (uint32_t)len,
					       (uint64_t)ts.tv_sec * 1000000 +
						       (uint64_t)ts.tv_nsec / 1000);
			/* A reader waits on each frame: no buffering. */
			e = ofd_pcap_writer__flush(w);
			if (e)
				break;
			n++;
			continue;
		}
		if (poll(p, watch_stdin ? 2 : 1, 1000) < 0 && errno != EINTR) {
			e = -errno;
			break;
		}
		if (watch_stdin && p[1].revents) {
			char c;

			/* EOF (or hang-up) on stdin: the session ended. */
			if (read(0, &c, 1) <= 0)
				break;
		}
	}
	free(buf);
	return e;
}

static int do_capture(int argc, char **argv)
{
	struct capture_opts o = { .out = "-" };
	struct ofd_host_changes *hc = NULL;
	struct ofd_pcap_writer *w = NULL;
	struct sigaction sa = { .sa_handler = on_signal };
	char err[512] = "";
	unsigned int mtu;
	int e = ofd_cli_parse(&o, &argc, argv), nsfd = -1, s, fd = -1, ifindex, rc = OFD_EXIT_USAGE;
	size_t i;

	if (e)
		return ofd_cli_parse_exit(e);
	if (!o.port) {
		ofd_cli_err("wire capture: which port? (--port IF)");
		return OFD_EXIT_USAGE;
	}
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGHUP, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	if (ofd_host_restore_dead(err, sizeof(err)) < 0)
		ofd_cli_err("wire capture: could not undo a killed run's changes: %s", err);
	e = ofd_netns_open(o.netns, &nsfd, err, sizeof(err));
	if (!e && (s = ofd_netns_socket(nsfd, AF_INET, SOCK_DGRAM, 0)) >= 0) {
		e = ofd_port_lookup(s, o.port, &ifindex, &mtu, err, sizeof(err));
		close(s);
	}
	if (!e)
		e = ofd_host_changes_begin(o.netns, o.port, &hc, err, sizeof(err));
	if (e) {
		ofd_cli_err("wire capture: %s", err[0] ? err : strerror(-e));
		goto out;
	}
	rc = OFD_EXIT_UNAVAILABLE;
	ofd_host_set_link(hc, true, 0, err, sizeof(err));
	for (i = 0; ofd_peer_rx_offloads[i]; i++)
		ofd_host_set_feature(hc, ofd_peer_rx_offloads[i], false, err, sizeof(err));
	fd = ofd_port_open_capture(nsfd, ifindex, 64 << 20);
	if (fd < 0) {
		ofd_cli_err("wire capture: %s: %s", o.port, strerror(-fd));
		goto out;
	}
	e = ofd_pcap_writer__open(o.out, &w);
	if (!e)
		e = ofd_pcap_writer__flush(w);
	if (e) {
		ofd_cli_err("wire capture: %s: %s", o.out, strerror(-e));
		goto out;
	}
	e = capture_loop(fd, w, o.count, !strcmp(o.out, "-") && !isatty(0));
	if (e && e != -EPIPE) {
		ofd_cli_err("wire capture: %s", strerror(-e));
		goto out;
	}
	rc = OFD_EXIT_EQUAL;
out:
	if (w && ofd_pcap_writer__close(w) && rc == OFD_EXIT_EQUAL)
		rc = OFD_EXIT_WRITE;
	if (fd >= 0)
		close(fd);
	if (ofd_host_changes_restore(hc))
		ofd_cli_err("wire capture: a change to %s could not be undone (`offdiff iface restore`)",
			    o.port);
	if (nsfd >= 0)
		close(nsfd);
	return rc;
}

static const struct ofd_verb wire_verbs[] = {
	{ "capture", do_capture, NULL,
	  "write what a port receives as a pcap stream (the far end of iface's remote peer)",
	  "Receive offloads on the port are turned off while it runs and restored\n"
	  "after (also after a kill: `offdiff iface restore`). VLAN tags the receive\n"
	  "path took out are put back, as libpcap does. It stops on SIGINT or\n"
	  "SIGTERM, when its standard input closes, or after --count frames.",
	  capture_opts, 0, 0, 0 },
	{ 0 },
};

const struct ofd_object ofd_obj_wire = { "wire", "read a port's wire (a remote peer)",
					 wire_verbs };
