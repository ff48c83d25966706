/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_vnic.h - a virtual NIC whose hardware side is offdiff's emulator.
 *
 * Two taps in one network namespace: the device port (TX offloads on, vnet
 * header on: the kernel's tun driver hands it checksum and GSO requests as
 * it would hand them to a NIC) and the wire port. A device process reads
 * each request from the device port's tap, runs the emulator under a
 * profile, and writes the wire frames into the wire port's tap, where any
 * capture (offdiff's iface target, tcpdump) reads them as a peer would.
 */
#ifndef OFD_VNIC_H
#define OFD_VNIC_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/types.h>

struct ofd_vnic_opts {
	const char *profile;     /* emu profile name or path */
	const char *profile_dir; /* where names are looked up (NULL: bundled) */
	const char *netns;       /* a named namespace to create (`vnic up`);
				  * NULL: a private one that dies with the
				  * device process (the iface target's own) */
	const char *dev_port;    /* NULL: "ofdv0" */
	const char *wire_port;   /* NULL: "ofdv1" */
	/* Added with vnic.c: a named device process outlives its caller
	 * (`vnic up` exits), so it starts a session of its own and writes
	 * its messages here (NULL: the caller's stderr). */
	const char *log;
	/*
	 * How its checksum engine finds the field. "generic" (NULL): from
	 * csum_start/csum_offset, as a NETIF_F_HW_CSUM NIC or virtio does.
	 * "protocol": it parses the headers itself, told only IPv4 or IPv6,
	 * TCP, UDP, and whether the checksum is a tunnel's inner one, as a
	 * descriptor-driven NETIF_F_IP_CSUM/IPV6_CSUM NIC is told by its
	 * driver (the emulator's protocol-specific requests). A profile whose
	 * bug is in that parsing (srv6-ipv6-dst, ipv6-no-exthdr,
	 * tunnel-outer) only shows it on such a device.
	 */
	const char *checksum;
	/*
	 * Hardware GRO on the receive path (vnic_rx.c): frames from the wire
	 * are held until an iface marker frame, coalesced by the emulator's
	 * gro device under the profile's `gro:` knobs (all default: the
	 * kernel's rules) and handed up as a driver hands HW-GRO skbs. Off:
	 * every frame goes up at once, claiming nothing. The iface target
	 * turns it on when its campaign runs gro, as it turns rx-gro-hw on
	 * on a real NIC; it is a feature of the device, not of a profile, so
	 * `conformant` coalesces too.
	 */
	bool hw_gro;
};

struct ofd_vnic {
	pid_t pid;          /* the device process */
	int nsfd;           /* its namespace (O_CLOEXEC) */
	char netns[64];     /* "" for a private one */
	char dev_port[16];
	char wire_port[16];
};

/* Start the device process; returns once both ports are up and it serves.
 * It ends with its parent unless opts->netns names a namespace (then it
 * runs until ofd_vnic_down or `offdiff vnic down`). */
int ofd_vnic_up(const struct ofd_vnic_opts *o, struct ofd_vnic *v, char *err,
		size_t err_len);
/* Stop the device process (by its pid, which we started), delete a named
 * namespace we created, close nsfd. */
int ofd_vnic_down(struct ofd_vnic *v);

/* Added with vnic.c: the port names ofd_vnic_up uses when opts leave them
 * NULL. */
#define OFD_VNIC_DEV_PORT "ofdv0"
#define OFD_VNIC_WIRE_PORT "ofdv1"

#endif /* OFD_VNIC_H */
