/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * iface_internal.h - the iface target's state, shared by its set-up
 * (iface.c: topology, features, identity) and its data paths (iface_tx.c
 * for TX offloads, iface_rx.c for RX ones).
 */
#ifndef OFD_IFACE_INTERNAL_H
#define OFD_IFACE_INTERNAL_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

#include "ofd.h"
#include "ofd_vnic.h"

struct ofd_correlator;
struct ofd_ethtool;
struct ofd_host_changes;
struct ofd_pcap_writer;
struct iface_remote;
struct iface_rss;

/* Transmit features a case may need on the device port (ethtool names in
 * iface.c's table, same order). */
enum iface_feat {
	IFEAT_CSUM_GENERIC, /* tx-checksum-ip-generic: any protocol */
	IFEAT_CSUM_IPV4,    /* tx-checksum-ipv4: TCP/UDP over IPv4 */
	IFEAT_CSUM_IPV6,    /* tx-checksum-ipv6 */
	IFEAT_SG,           /* tx-scatter-gather: TSO needs it */
	IFEAT_TSO,          /* tx-tcp-segmentation */
	IFEAT_TSO6,         /* tx-tcp6-segmentation */
	IFEAT_TSO_ECN,      /* tx-tcp-ecn-segmentation */
	IFEAT_USO,          /* tx-udp-segmentation */
	/* receive: what an RX offload needs on (iface.c's rx_features) */
	IFEAT_RXCSUM,       /* rx-checksum: GRO_HW depends on it */
	IFEAT_GRO,          /* rx-gro: the stack's software GRO */
	IFEAT_GRO_HW,       /* rx-gro-hw: the device's hardware GRO */
	IFEAT_LRO,          /* rx-lro: only where there is no rx-gro-hw */
	IFEAT__MAX,
};
extern const char *const iface_feat_name[IFEAT__MAX];

struct iface {
	/* topology */
	char port[IFNAMSIZ], peer[IFNAMSIZ];
	char netns[64], peer_netns[64];
	int port_ns, peer_ns;       /* namespace fds (-1: ours) */
	bool loopback;              /* NIC loopback: the wire comes back in */
	bool have_vnic;
	struct ofd_vnic vnic;       /* a private virtual NIC (vnic: PROFILE) */
	struct ofd_host_changes *port_hc, *peer_hc; /* journalled changes */
	struct ofd_ethtool *port_et; /* unjournalled: the vnic's ports, both */
	int port_ifindex, peer_ifindex;
	unsigned int mtu;
	unsigned int gso_max_size, gso_ipv4_max_size, gso_max_segs;
	unsigned int feat_on;       /* IFEAT_* bits active on the port */
	bool rx_gro_off;            /* rx-gro turned off on the port for rx-csum */
	unsigned int caps;          /* the campaign's offloads */
	struct ofd_device_id dev;

	/* data path */
	int tx_fd, cap_fd;
	int wait_ms;                /* the bounded wait for a case's frames */
	struct ofd_correlator *corr;
	struct ofd_pcap_writer *wire; /* every wire frame, for `capture` */
	uint8_t *buf;               /* one captured frame */
	uint64_t marker_seq;
	uint8_t marker_src[6];
	/* RX data path: the train is sent on the peer, read on the port */
	int ptx_fd, rx_fd;
	uint8_t *rx_buf;            /* one read: vnet header and frame */
	struct iface_rss *rss;      /* rss: the device's configuration, its read-back */

	struct iface_remote *remote; /* the peer on a second host */
	bool remote_peer;           /* the peer is on another host */
	char remote_desc[64];       /* "HOST:PEER" for the report */

	/* tallies, reported on close */
	uint64_t cases, frames, foreign, dropped, late;
	uint64_t rx_cases, rx_frames; /* RX: trains sent from the peer, frames read up the port */
};

/* iface_remote.c: cmd is the shell command whose stdout is the peer's
 * pcap stream; f->cap_fd becomes its frames. */
int iface_remote_open(struct iface *f, const char *cmd, char *err, size_t err_len);
void iface_remote_close(struct iface *f);

/* iface_rx.c: its sockets (0 or -errno; closed by iface_rx_close, also
 * after a failed open) and one RX case. */
int iface_rx_open(struct iface *f);
void iface_rx_close(struct iface *f);
int iface_rx_run(struct iface *f, const struct ofd_case *c, struct ofd_result *res);

/* iface_rss.c: rss's set-up at open (0, or -EINVAL when the device is
 * configured otherwise than the reference, said on stderr), one case,
 * and its close. */
int iface_rss_open(struct iface *f, const struct ofd_engine_opts *o);
/* The same with the read-back given (rb_err, rb_why: its result), for
 * iface_rss_open and the tests, which have no NIC with RSS. */
struct ofd_rss_readback;
int iface_rss_open_readback(struct iface *f, const struct ofd_rss_readback *rb, int rb_err,
			    const char *rb_why, const struct ofd_engine_opts *o);
int iface_rss_run(struct iface *f, const struct ofd_case *c, struct ofd_result *res);
void iface_rss_close(struct iface *f);

/* The campaign's offloads that run on receive. */
#define IFACE_RX_CAPS                                                          \
	(OFD_CAP(OFD_OFFLOAD_GRO) | OFD_CAP(OFD_OFFLOAD_RX_CSUM) | OFD_CAP(OFD_OFFLOAD_RSS))

/* iface_rx_csum.c: rx-csum's answer from what came up the port (res
 * holds the frames read; it becomes the case's answer), whether a case
 * is one rx-csum can run, and the reasons rx-csum and rss are not run. */
int iface_rx_csum_answer(const struct ofd_case *c, struct ofd_result *res);
bool iface_rx_csum_case_ok(const struct ofd_case *c, struct ofd_result *res);
extern const char iface_vnic_csum_why[], iface_vnic_rss_why[], iface_csum_gro_why[];

/* iface_tx.c */
int iface_run(void *priv, const struct ofd_case *cases, struct ofd_result *const *results,
	      unsigned int n);

#endif /* OFD_IFACE_INTERNAL_H */
