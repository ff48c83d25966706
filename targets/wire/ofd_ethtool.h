/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_ethtool.h - a device's identity and offload features through the
 * kernel's ethtool interface (ethtool.c), and a journal of every change
 * offdiff makes to a host's links so that a run that dies is undone by the
 * next one (host_changes.c).
 *
 * Features are named as `ethtool -k` names them ("tx-checksum-ip-generic",
 * "tx-tcp-segmentation", "rx-gro", "rx-vlan-hw-parse"), read and set over
 * ethtool netlink (ETHTOOL_MSG_FEATURES_GET/SET, libmnl); the driver info
 * (driver, firmware, bus) comes from ETHTOOL_GDRVINFO, which has no netlink
 * message.
 */
#ifndef OFD_ETHTOOL_H
#define OFD_ETHTOOL_H

#include <stdbool.h>
#include <stddef.h>

#include "ofd.h"

/* The receive features a peer that reads the wire turns off: anything
 * that merges or strips on receive (NULL-terminated; iface.c, wire.c). */
extern const char *const ofd_peer_rx_offloads[];

/* A netlink and ioctl handle inside one namespace (nsfd < 0: ours). */
struct ofd_ethtool;
int ofd_ethtool_open(int nsfd, struct ofd_ethtool **out, char *err, size_t err_len);
/* The same for the namespace `ip netns` calls netns ("" or NULL: ours);
 * -ENOENT with ofd_netns_open's line when there is none. */
int ofd_ethtool_open_netns(const char *netns, struct ofd_ethtool **out, char *err,
			   size_t err_len);
void ofd_ethtool_close(struct ofd_ethtool *et);

/* Fill id->driver, driver_version, fw_version, bus_info and port for
 * ifname. -ENODEV with "no interface 'X' in namespace ..." */
int ofd_ethtool_drvinfo(struct ofd_ethtool *et, const char *ifname,
			struct ofd_device_id *id, char *err, size_t err_len);

/* A feature's state by its ethtool name: active now, and whether the
 * device lets it change. -ENOENT when the kernel knows no such feature,
 * -EOPNOTSUPP when this device does not have it (neither hw nor active). */
int ofd_ethtool_feature(struct ofd_ethtool *et, const char *ifname,
			const char *feature, bool *active, bool *changeable);

/*
 * Besides the kernel's own names, a feature may be one of `ethtool -k`'s
 * older names: a single feature ("generic-receive-offload" is rx-gro) or a
 * group ("tx-checksumming": tx-checksum-ipv4, -ip-generic, -ipv6). A group
 * is active when a member the device has is, changeable when one of them
 * is, and setting it sets every member the device has.
 */

/* Every feature the kernel knows, for a device, in the kernel's order. */
#define OFD_ETHTOOL_NAME_LEN 32 /* ETH_GSTRING_LEN */
struct ofd_ethtool_feat {
	char name[OFD_ETHTOOL_NAME_LEN];
	bool active;     /* on now */
	bool changeable; /* the device lets it change (ethtool's not [fixed]) */
	bool present;    /* the device has it: changeable or active */
};
/* *out (malloc'd, free() it) holds *n entries. -ENODEV as drvinfo. */
int ofd_ethtool_features(struct ofd_ethtool *et, const char *ifname,
			 struct ofd_ethtool_feat **out, unsigned int *n, char *err,
			 size_t err_len);
/* The kernel features an ethtool name stands for: NULL for a kernel name
 * (itself), else the NULL-terminated members of an older name. */
const char *const *ofd_ethtool_alias(const char *feature);

/* Set a feature and read it back: -EOPNOTSUPP (with err) when the device
 * has it fixed or the kernel kept it otherwise (a dependency). */
int ofd_ethtool_set_feature(struct ofd_ethtool *et, const char *ifname,
			    const char *feature, bool on, char *err, size_t err_len);

/*
 * The sizes past which the kernel segments a GSO request in software
 * instead of handing it to the driver (gso_features_check: the skb's
 * length >= gso_max_size, its IPv4 variant for IPv4, or more segments
 * than gso_max_segs).
 */
struct ofd_gso_limits {
	unsigned int max_size, ipv4_max_size, max_segs;
};
int ofd_ethtool_gso_limits(struct ofd_ethtool *et, const char *ifname,
			   struct ofd_gso_limits *g);

/* Link state (IFF_UP) and MTU over rtnetlink, and setting them. -ENODEV
 * when there is no such port. */
int ofd_ethtool_link(struct ofd_ethtool *et, const char *ifname, bool *up,
		     unsigned int *mtu);
int ofd_ethtool_set_link(struct ofd_ethtool *et, const char *ifname, bool up,
			 unsigned int mtu /* 0: keep */);
/* The one line the last failed call left: the kernel's own words when it
 * gave some ("MTU greater than device maximum"), else the errno's. */
const char *ofd_ethtool_strerror(struct ofd_ethtool *et);
/* The namespace's name for messages: "network namespace 'X'", or "this
 * network namespace" for ours or one without a name. */
const char *ofd_ethtool_where(struct ofd_ethtool *et);

/*
 * The journal. Before offdiff changes a feature, a link's state or its MTU
 * on a port, the original value is written (fsync'd, atomically replaced)
 * to $OFFDIFF_STATE_DIR (default /run/offdiff)/changes/<netns>@<ifname>.yaml
 * with the pid of the run. ofd_host_changes_restore() undoes every change
 * in reverse order and removes the file; ofd_host_restore_dead() undoes the
 * journals of runs that died (their pid is gone), and every start calls it.
 */
struct ofd_host_changes;
/* First undo a journal a dead run left for this port; -EBUSY when a live
 * run holds it (err names the pid). netns: "" or NULL for ours. */
int ofd_host_changes_begin(const char *netns, const char *ifname,
			   struct ofd_host_changes **out, char *err, size_t err_len);
/* Journal, then set. -EOPNOTSUPP/-ENOENT as ofd_ethtool_set_feature: the
 * caller skips that feature by name. Setting a feature to the state it
 * has already changes and journals nothing. */
int ofd_host_set_feature(struct ofd_host_changes *hc, const char *feature, bool on,
			 char *err, size_t err_len);
int ofd_host_set_link(struct ofd_host_changes *hc, bool up, unsigned int mtu,
		      char *err, size_t err_len);
/* The ethtool handle of the journal's port (for reads, drvinfo). */
struct ofd_ethtool *ofd_host_ethtool(struct ofd_host_changes *hc);
/* Undo, remove the journal, free. 0, or the first -errno (every change is
 * still attempted). NULL is a no-op. */
int ofd_host_changes_restore(struct ofd_host_changes *hc);
/* Undo every journal whose run is dead. Returns how many ports it restored
 * (>= 0), or -errno; a line per port restored goes to ofd_pr_info. */
int ofd_host_restore_dead(char *err, size_t err_len);

#endif /* OFD_ETHTOOL_H */
