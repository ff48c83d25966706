// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * iface.c - the `iface` target: a NIC reached through Linux interfaces.
 *
 * Each case is sent with AF_PACKET and its virtio_net_hdr on the device
 * port, with the offload turned on there, so the driver hands the checksum
 * or GSO request to the hardware; the wire is read on a peer port whose
 * receive offloads are off (or on the port itself with NIC loopback). The
 * topologies: two ports cabled together, a port and a peer in named
 * namespaces (`netns`, `peer_netns`), NIC loopback, and offdiff's virtual
 * NIC (`vnic: PROFILE`, a tap whose hardware side is the emulator).
 *
 * This file sets the topology up and takes it down: which features are
 * turned on or off (journalled first, so a killed run is undone by the next
 * start: host_changes.c), and the device's identity for the report. The
 * data paths are iface_tx.c (TX offloads: send on the port, read the wire
 * on the peer) and iface_rx.c (RX offloads: send on the peer, read what
 * the port hands the kernel).
 *
 * For gro on a real NIC: `-t iface:port=NIC,peer=PEER` with a campaign of
 * gro turns on rx-checksum, rx-gro and rx-gro-hw on the port (large-
 * receive-offload where the NIC has no rx-gro-hw), journalled like the TX
 * features, so the run, or the next start after a killed one, puts them
 * back (docs/rx-direction.md). For rx-csum: rx-checksum on and rx-gro off
 * (rx_features says why). For rss: the device's RSS configuration is read
 * back and must be the reference's (iface_rss.c), nothing is changed.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "iface_internal.h"
#include "ofd_correlate.h"
#include "ofd_ethtool.h"
#include "ofd_netns.h"
#include "ofd_pcap.h"
#include "ofd_port.h"

const char *const iface_feat_name[IFEAT__MAX] = {
	[IFEAT_CSUM_GENERIC] = "tx-checksum-ip-generic",
	[IFEAT_CSUM_IPV4] = "tx-checksum-ipv4",
	[IFEAT_CSUM_IPV6] = "tx-checksum-ipv6",
	[IFEAT_SG] = "tx-scatter-gather",
	[IFEAT_TSO] = "tx-tcp-segmentation",
	[IFEAT_TSO6] = "tx-tcp6-segmentation",
	[IFEAT_TSO_ECN] = "tx-tcp-ecn-segmentation",
	[IFEAT_USO] = "tx-udp-segmentation",
	[IFEAT_RXCSUM] = "rx-checksum",
	[IFEAT_GRO] = "rx-gro",
	[IFEAT_GRO_HW] = "rx-gro-hw",
	[IFEAT_LRO] = "rx-lro",
};

static const struct ofd_engine_param_doc iface_params[] = {
	{ "port", "the device port: TX cases go out on it, RX cases are read on it (its offloads on)" },
	{ "peer", "the wire's other end: TX read, RX sent there (its receive offloads off)" },
	{ "netns", "the named network namespace (ip netns) the ports live in" },
	{ "peer_netns", "the peer's named namespace, when it is not the port's" },
	{ "loopback", "on: the NIC loops its wire back (ethtool feature loopback), no peer" },
	{ "vnic", "an emulator profile: run on a private virtual NIC under it (hardware GRO on for gro)" },
	{ "vnic_checksum", "the virtual NIC's checksum engine: generic (csum_start) or protocol (parses)" },
	{ "wait_ms", "the longest silence while a case's frames come, in ms (default 200)" },
	{ "wire_pcap", "write every frame read off the wire to this pcap file (TX offloads)" },
	{ "remote", "the host the peer is on, reached over ssh (peer, peer_netns are its)" },
	{ "remote_cmd", "the command that reaches the remote (default: ssh -o BatchMode=yes HOST)" },
	{ "remote_offdiff", "offdiff's path on the remote (default: offdiff)" },
	{ "rss_read", "rss: how the device's hash is read: auto (XDP, TPACKET_V3 beside gro), xdp, tpacket" },
	{ NULL, NULL },
};

static int copy_name(char *dst, size_t cap, const char *v, const char *what)
{
	if (!v)
		return 0;
	/* Names may reach a remote shell: only what interface and namespace
	 * names are made of. */
	if (strlen(v) >= cap || !*v || strspn(v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
					       "0123456789_.:@-") != strlen(v)) {
		ofd_pr_warn("iface: %s '%s' is not a valid name\n", what, v);
		return -EINVAL;
	}
	strcpy(dst, v);
	return 0;
}

static int parse_params(struct iface *f, const struct ofd_engine_opts *o)
{
	const char *lb = ofd_engine_param(o, "loopback"), *w = ofd_engine_param(o, "wait_ms");
	char *end;

	if (copy_name(f->port, sizeof(f->port), ofd_engine_param(o, "port"), "port") ||
	    copy_name(f->peer, sizeof(f->peer), ofd_engine_param(o, "peer"), "peer") ||
	    copy_name(f->netns, sizeof(f->netns), ofd_engine_param(o, "netns"), "netns") ||
	    copy_name(f->peer_netns, sizeof(f->peer_netns), ofd_engine_param(o, "peer_netns"),
		      "peer_netns"))
		return -EINVAL;
	if (lb && strcmp(lb, "on") && strcmp(lb, "off")) {
		ofd_pr_warn("iface: loopback is on or off, not '%s'\n", lb);
		return -EINVAL;
	}
	f->loopback = lb && !strcmp(lb, "on");
	f->wait_ms = 200;
	if (w) {
		long v = strtol(w, &end, 10);

		if (*end || end == w || v < 1 || v > 60000) {
			ofd_pr_warn("iface: wait_ms takes 1 to 60000, not '%s'\n", w);
			return -EINVAL;
		}
		f->wait_ms = (int)v;
	}
	if (ofd_engine_param(o, "vnic")) {
		if (f->port[0] || f->peer[0] || f->netns[0] || f->loopback) {
			ofd_pr_warn("iface: vnic brings its own ports: no port, peer, netns or loopback with it\n");
			return -EINVAL;
		}
		return 0;
	}
	if (!f->port[0]) {
		ofd_pr_warn("iface: which port? (iface:port=IF,peer=IF, or vnic=PROFILE)\n");
		return -EINVAL;
	}
	if (f->loopback ? f->peer[0] != 0 : !f->peer[0]) {
		ofd_pr_warn(f->loopback ? "iface: loopback reads the wire on the port itself: no peer\n" :
					  "iface: which peer port reads the wire? (peer=IF, or loopback=on)\n");
		return -EINVAL;
	}
	if (f->loopback)
		strcpy(f->peer, f->port);
	f->remote_peer = ofd_engine_param(o, "remote") || ofd_engine_param(o, "remote_cmd");
	if (f->remote_peer) {
		if (f->loopback) {
			ofd_pr_warn("iface: loopback reads the port itself: no remote\n");
			return -EINVAL;
		}
		return 0; /* peer_netns, if any, is the remote's */
	}
	if (!f->peer_netns[0])
		strcpy(f->peer_netns, f->netns);
	return 0;
}

/* The peer on a second host: its capture streams back over ssh. */
static int open_remote(struct iface *f, const struct ofd_engine_opts *o)
{
	const char *host = ofd_engine_param(o, "remote"), *cmd = ofd_engine_param(o, "remote_cmd");
	const char *bin = ofd_engine_param(o, "remote_offdiff");
	char line[1024], err[512] = "";
	int e;

	if (host && strspn(host, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
				 "0123456789_.:@-[]") != strlen(host)) {
		ofd_pr_warn("iface: remote '%s' is not a host name\n", host);
		return -EINVAL;
	}
	snprintf(line, sizeof(line), "%s%s %s wire capture --port %s%s%s",
		 cmd ? cmd : "ssh -o BatchMode=yes ", cmd ? "" : host, bin ? bin : "offdiff",
		 f->peer, f->peer_netns[0] ? " --netns " : "", f->peer_netns);
	snprintf(f->remote_desc, sizeof(f->remote_desc), "%s:%s", host ? host : "remote",
		 f->peer);
	e = iface_remote_open(f, line, err, sizeof(err));
	if (e)
		ofd_pr_warn("iface: remote peer: %s\n", err[0] ? err : strerror(-e));
	return e;
}

/* The private virtual NIC: its ports are ours alone, nothing to journal. */
static int open_vnic(struct iface *f, const struct ofd_engine_opts *o)
{
	struct ofd_vnic_opts vo = { .profile = ofd_engine_param(o, "vnic"),
				    .profile_dir = o->profile_dir,
				    .checksum = ofd_engine_param(o, "vnic_checksum"),
				    /* its rx-gro-hw: on for a campaign of gro */
				    .hw_gro = (f->caps & OFD_CAP(OFD_OFFLOAD_GRO)) != 0 };
	char err[256] = "";
	int e;

	if (vo.checksum && strcmp(vo.checksum, "generic") && strcmp(vo.checksum, "protocol")) {
		ofd_pr_warn("iface: vnic_checksum is generic or protocol, not '%s'\n", vo.checksum);
		return -EINVAL;
	}
	e = ofd_vnic_up(&vo, &f->vnic, err, sizeof(err));

	if (e) {
		ofd_pr_warn("iface: virtual NIC: %s\n", err[0] ? err : strerror(-e));
		return e;
	}
	f->have_vnic = true;
	snprintf(f->port, sizeof(f->port), "%s", f->vnic.dev_port);
	snprintf(f->peer, sizeof(f->peer), "%s", f->vnic.wire_port);
	f->port_ns = dup(f->vnic.nsfd);
	f->peer_ns = dup(f->vnic.nsfd);
	if (f->port_ns < 0 || f->peer_ns < 0)
		return -errno;
	e = ofd_ethtool_open(f->port_ns, &f->port_et, err, sizeof(err));
	if (e)
		ofd_pr_warn("iface: %s\n", err);
	return e;
}

static int open_ports(struct iface *f)
{
	char err[256] = "";
	int e;

	e = ofd_netns_open(f->netns, &f->port_ns, err, sizeof(err));
	if (!e && !f->remote_peer)
		e = ofd_netns_open(f->peer_netns, &f->peer_ns, err, sizeof(err));
	if (!e)
		e = ofd_host_changes_begin(f->netns, f->port, &f->port_hc, err, sizeof(err));
	if (!e && !f->loopback && !f->remote_peer)
		e = ofd_host_changes_begin(f->peer_netns, f->peer, &f->peer_hc, err,
					   sizeof(err));
	if (e)
		ofd_pr_warn("iface: %s\n", err[0] ? err : strerror(-e));
	return e;
}

static struct ofd_ethtool *port_ethtool(struct iface *f)
{
	return f->port_hc ? ofd_host_ethtool(f->port_hc) : f->port_et;
}

static int set_feature(struct iface *f, bool peer, const char *name, bool on, char *err,
		       size_t err_len)
{
	struct ofd_host_changes *hc = peer && f->peer_hc ? f->peer_hc : f->port_hc;

	if (hc)
		return ofd_host_set_feature(hc, name, on, err, err_len);
	return ofd_ethtool_set_feature(f->port_et, peer ? f->peer : f->port, name, on, err,
				       err_len);
}

static int link_up(struct iface *f, bool peer)
{
	struct ofd_host_changes *hc = peer && f->peer_hc ? f->peer_hc : f->port_hc;
	char err[256] = "";
	int e;

	if (hc)
		e = ofd_host_set_link(hc, true, 0, err, sizeof(err));
	else
		e = ofd_ethtool_set_link(f->port_et, peer ? f->peer : f->port, true, 0);
	if (e)
		ofd_pr_warn("iface: cannot bring %s up: %s\n", peer ? f->peer : f->port,
			    err[0] ? err : strerror(-e));
	return e;
}

/*
 * Turn on the port's transmit features the campaign's offloads use; a
 * feature the device lacks or fixes off is skipped by name: the cases that
 * need it are skipped (the kernel would do the work in software, and that
 * is not the device's answer).
 */
static void port_features(struct iface *f)
{
	unsigned int want = 0;
	char err[256];
	int i, e;

	/* Segments need the checksum features too. */
	if (f->caps & (OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO)))
		want |= 1u << IFEAT_CSUM_GENERIC | 1u << IFEAT_CSUM_IPV4 | 1u << IFEAT_CSUM_IPV6;
	if (f->caps & OFD_CAP(OFD_OFFLOAD_TSO))
		want |= 1u << IFEAT_SG | 1u << IFEAT_TSO | 1u << IFEAT_TSO6 | 1u << IFEAT_TSO_ECN |
			1u << IFEAT_USO;
	for (i = 0; i < IFEAT__MAX; i++) {
		if (!(want & 1u << i))
			continue;
		err[0] = '\0';
		e = set_feature(f, false, iface_feat_name[i], true, err, sizeof(err));
		if (!e)
			f->feat_on |= 1u << i;
		else
			ofd_pr_info("iface: %s: %s %s: cases that need it are skipped\n", f->port,
				    iface_feat_name[i],
				    e == -ENOENT || e == -EOPNOTSUPP ? "is not a feature it has on" :
								       strerror(-e));
	}
}

/*
 * Turn on the port's receive features an RX offload needs: for gro,
 * rx-gro-hw (the device's coalescing; it depends on rx-checksum,
 * netdev_fix_features), and rx-gro, the stack's software GRO, which the
 * kernel engine's result includes too. LRO only where the NIC has no
 * rx-gro-hw: the kernel turns LRO off when GRO_HW is on. A feature the NIC
 * lacks skips nothing (what the port hands up is read either way) and is
 * said once. The virtual NIC's coalescing is a device option
 * (ofd_vnic_opts.hw_gro), not a feature bit its tap has.
 *
 * For rx-csum, rx-checksum on and rx-gro off: software GRO validates a
 * frame the driver handed up CHECKSUM_NONE and marks it UNNECESSARY
 * (kernel-rx.md 1.8), which the port's reader sees as DATA_VALID, so with
 * it on a device that validates nothing would read as one that does. A
 * campaign of gro and rx-csum keeps GRO on (gro needs it) and rx-csum's
 * cases are unsupported by name (iface_rx_csum.c). Journalled as the rest.
 */
static void rx_features(struct iface *f)
{
	static const enum iface_feat want[] = { IFEAT_RXCSUM, IFEAT_GRO, IFEAT_GRO_HW };
	bool gro = f->caps & OFD_CAP(OFD_OFFLOAD_GRO);
	bool csum = f->caps & OFD_CAP(OFD_OFFLOAD_RX_CSUM);
	char err[256];
	size_t i;
	int e;

	/* A remote peer cannot send the trains (iface_rx.c): nothing runs.
	 * rss alone needs nothing (it is not run yet), nor does the
	 * virtual NIC's rx-csum (tun drops its claim: not run). */
	if (!(gro || csum) || f->remote_peer || (!gro && f->have_vnic))
		return;
	for (i = 0; i < OFD_ARRAY_SIZE(want); i++) {
		if ((f->have_vnic && want[i] == IFEAT_GRO_HW) || (!gro && want[i] != IFEAT_RXCSUM))
			continue;
		err[0] = '\0';
		e = set_feature(f, false, iface_feat_name[want[i]], true, err, sizeof(err));
		if (!e) {
			f->feat_on |= 1u << want[i];
			continue;
		}
		ofd_pr_info("iface: %s: %s %s\n", f->port, iface_feat_name[want[i]],
			    e == -ENOENT || e == -EOPNOTSUPP ? "is not a feature it has on" :
							       err[0] ? err : strerror(-e));
		if (want[i] == IFEAT_GRO_HW && !set_feature(f, false, iface_feat_name[IFEAT_LRO],
							   true, err, sizeof(err)))
			f->feat_on |= 1u << IFEAT_LRO;
	}
	if (gro || !csum)
		return;
	err[0] = '\0';
	e = set_feature(f, false, iface_feat_name[IFEAT_GRO], false, err, sizeof(err));
	/* A device without the feature has no software GRO to turn off. */
	f->rx_gro_off = !e || e == -ENOENT;
	if (!f->rx_gro_off)
		ofd_pr_info("iface: %s: rx-gro stays on (%s): rx-csum cases are skipped\n", f->port,
			    err[0] ? err : strerror(-e));
}

static const char *const peer_tso[] = {
	"tx-tcp-segmentation", "tx-tcp-ecn-segmentation", "tx-tcp-mangleid-segmentation",
	"tx-tcp6-segmentation", "tx-tcp-accecn-segmentation", "tx-udp-segmentation",
};

static void peer_features(struct iface *f)
{
	char err[256];
	bool active, changeable;
	struct ofd_ethtool *et = f->peer_hc ? ofd_host_ethtool(f->peer_hc) : port_ethtool(f);
	size_t i;

	for (i = 0; ofd_peer_rx_offloads[i]; i++) {
		err[0] = '\0';
		if (!set_feature(f, true, ofd_peer_rx_offloads[i], false, err, sizeof(err)))
			continue;
		/* Lacking it is as good as off; fixed on is worth a line. */
		if (!ofd_ethtool_feature(et, f->peer, ofd_peer_rx_offloads[i], &active, &changeable) &&
		    active)
			ofd_pr_warn("iface: %s keeps %s on: what is read there may be merged or changed on receive\n",
				    f->peer, ofd_peer_rx_offloads[i]);
	}
	/* Only gro needs the port's GRO fed (rx-csum turns it off, rss
	 * is not run): no change the other RX offloads do not need. */
	if (!(f->caps & OFD_CAP(OFD_OFFLOAD_GRO)) || f->have_vnic)
		return;
	/* RX offloads send the train from the peer without any request, so
	 * its segmentation features change no frame; but a veth hands the
	 * other end's NAPI (and so its GRO) only frames from a sender
	 * without TSO (veth_skb_is_eligible_for_gro, kernel-rx.md 7.2):
	 * off, journalled, so a veth pair's receive path is the one a NIC
	 * driver's napi_gro_receive takes. */
	for (i = 0; i < OFD_ARRAY_SIZE(peer_tso); i++) {
		err[0] = '\0';
		if (set_feature(f, true, peer_tso[i], false, err, sizeof(err)) &&
		    !ofd_ethtool_feature(et, f->peer, peer_tso[i], &active, &changeable) && active)
			ofd_pr_info("iface: %s keeps %s on: a veth peer would bypass GRO\n",
				    f->peer, peer_tso[i]);
	}
}

static int open_sockets(struct iface *f, const struct ofd_engine_opts *o)
{
	char err[256] = "";
	unsigned int peer_mtu;
	int s, e;

	s = ofd_netns_socket(f->port_ns, AF_INET, SOCK_DGRAM, 0);
	if (s < 0)
		return s;
	e = ofd_port_lookup(s, f->port, &f->port_ifindex, &f->mtu, err, sizeof(err));
	close(s);
	if (!e && f->remote_peer) {
		f->tx_fd = ofd_port_open_tx(f->port_ns, f->port_ifindex);
		return f->tx_fd < 0 ? f->tx_fd : open_remote(f, o);
	}
	if (!e) {
		s = ofd_netns_socket(f->peer_ns, AF_INET, SOCK_DGRAM, 0);
		if (s < 0)
			return s;
		e = ofd_port_lookup(s, f->peer, &f->peer_ifindex, &peer_mtu, err, sizeof(err));
		close(s);
	}
	if (e) {
		ofd_pr_warn("iface: %s\n", err);
		return e;
	}
	f->tx_fd = ofd_port_open_tx(f->port_ns, f->port_ifindex);
	if (f->tx_fd < 0)
		return f->tx_fd;
	f->cap_fd = ofd_port_open_capture(f->peer_ns, f->peer_ifindex, 256 << 20);
	if (f->cap_fd < 0)
		return f->cap_fd;
	return f->caps & IFACE_RX_CAPS ? iface_rx_open(f) : 0;
}

static void iface_close(void *priv);

static int iface_open(const struct ofd_engine_opts *opts, void **priv)
{
	struct iface *f = calloc(1, sizeof(*f));
	char err[256] = "";
	int e;

	if (!f)
		return -ENOMEM;
	f->port_ns = f->peer_ns = f->tx_fd = f->cap_fd = f->ptx_fd = f->rx_fd = -1;
	f->caps = opts->caps ? opts->caps :
			       OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO);
	*priv = f;
	e = parse_params(f, opts);
	if (e)
		goto fail;
	/* What a killed run left changed is undone before anything else. */
	if (ofd_host_restore_dead(err, sizeof(err)) < 0)
		ofd_pr_info("iface: could not undo a killed run's changes: %s\n", err);
	e = ofd_engine_param(opts, "vnic") ? open_vnic(f, opts) : open_ports(f);
	if (e)
		goto fail;
	if (link_up(f, false) || (!f->loopback && !f->remote_peer && link_up(f, true))) {
		e = -EIO;
		goto fail;
	}
	if (f->loopback) {
		e = set_feature(f, false, "loopback", true, err, sizeof(err));
		if (e) {
			ofd_pr_warn("iface: %s: no NIC loopback here (%s)\n", f->port,
				    err[0] ? err : strerror(-e));
			goto fail;
		}
	}
	port_features(f);
	rx_features(f);
	if (!f->remote_peer)
		peer_features(f); /* a remote capture turns its own off */
	{
		struct ofd_gso_limits g;

		e = ofd_ethtool_gso_limits(port_ethtool(f), f->port, &g);
		if (e) {
			ofd_pr_warn("iface: %s: cannot read its GSO limits: %s\n", f->port,
				    strerror(-e));
			goto fail;
		}
		f->gso_max_size = g.max_size;
		f->gso_ipv4_max_size = g.ipv4_max_size;
		f->gso_max_segs = g.max_segs;
	}
	e = ofd_ethtool_drvinfo(port_ethtool(f), f->port, &f->dev, err, sizeof(err));
	if (e) {
		ofd_pr_warn("iface: %s\n", err);
		goto fail;
	}
	snprintf(f->dev.port, sizeof(f->dev.port), "%s", f->port);
	snprintf(f->dev.netns, sizeof(f->dev.netns), "%s", f->netns);
	if (f->have_vnic)
		snprintf(f->dev.peer, sizeof(f->dev.peer), "%s (virtual NIC, profile %s)",
			 f->peer, ofd_engine_param(opts, "vnic"));
	e = open_sockets(f, opts);
	if (!e)
		e = iface_rss_open(f, opts);
	if (e)
		goto fail;
	if (!f->have_vnic)
		snprintf(f->dev.peer, sizeof(f->dev.peer), "%s",
			 f->remote_desc[0] ? f->remote_desc : f->loopback ? "loopback" : f->peer);
	/* The correlator claims TX frames; RX frames are claimed by address
	 * (iface_rx.c). */
	e = ofd_corr_new(f->caps & ~IFACE_RX_CAPS ? f->caps & ~IFACE_RX_CAPS :
		       OFD_CAP(OFD_OFFLOAD_TX_CSUM), &f->corr, err, sizeof(err));
	if (e) {
		ofd_pr_warn("iface: %s\n", err);
		goto fail;
	}
	f->buf = malloc(OFD_PORT_FRAME_MAX);
	if (!f->buf) {
		e = -ENOMEM;
		goto fail;
	}
	if (ofd_engine_param(opts, "wire_pcap")) {
		e = ofd_pcap_writer__open(ofd_engine_param(opts, "wire_pcap"), &f->wire);
		if (e)
			goto fail;
	}
	/* A locally administered source address that names this run. */
	f->marker_src[0] = 0x02;
	f->marker_src[1] = 'o';
	f->marker_src[2] = 'f';
	f->marker_src[3] = 'd';
	f->marker_src[4] = (uint8_t)(getpid() >> 8);
	f->marker_src[5] = (uint8_t)getpid();
	return 0;
fail:
	iface_close(f);
	*priv = NULL;
	return e;
}

static void iface_info(void *priv, struct ofd_engine_info *info)
{
	struct iface *f = priv;

	info->device = f->dev;
	snprintf(info->version, sizeof(info->version), "%s %s, firmware %s, bus %s",
		 f->dev.driver, f->dev.driver_version,
		 f->dev.fw_version[0] ? f->dev.fw_version : "n/a",
		 f->dev.bus_info[0] ? f->dev.bus_info : "n/a");
	if (f->have_vnic)
		snprintf(info->profile, sizeof(info->profile), "%s", f->vnic.netns[0] ? f->vnic.netns : "vnic");
}

static void iface_tally(void *priv, char *buf, size_t len)
{
	const struct iface *f = priv;
	int n = 0;

	if (f->cases || !f->rx_cases)
		n = snprintf(buf, len,
			     "%llu cases sent on %s, %llu frames read off the wire, ",
			     (unsigned long long)f->cases, f->port, (unsigned long long)f->frames);
	if (f->rx_cases && n >= 0 && (size_t)n < len)
		n += snprintf(buf + n, len - (size_t)n,
			      "%llu trains sent from %s, %llu frames read up %s, ",
			      (unsigned long long)f->rx_cases, f->peer,
			      (unsigned long long)f->rx_frames, f->port);
	if (n >= 0 && (size_t)n < len)
		snprintf(buf + n, len - (size_t)n,
			 "%llu foreign frames ignored, %llu frames after their case's count, "
			 "%llu cases with nothing on the wire",
			 (unsigned long long)f->foreign, (unsigned long long)f->late,
			 (unsigned long long)f->dropped);
}

static void iface_close(void *priv)
{
	struct iface *f = priv;
	int e;

	if (!f)
		return;
	if (f->cases)
		ofd_pr_info("iface %s -> %s: %llu cases, %llu frames read, %llu foreign frames ignored, %llu cases dropped on the wire, %llu frames after their case\n",
			    f->port, f->peer, (unsigned long long)f->cases,
			    (unsigned long long)f->frames, (unsigned long long)f->foreign,
			    (unsigned long long)f->dropped, (unsigned long long)f->late);
	if (f->rx_cases)
		ofd_pr_info("iface %s -> %s: %llu trains, %llu frames read up the port\n", f->peer,
			    f->port, (unsigned long long)f->rx_cases,
			    (unsigned long long)f->rx_frames);
	if (f->wire && (e = ofd_pcap_writer__close(f->wire)))
		ofd_pr_warn("iface: wire_pcap: %s\n", strerror(-e));
	if (f->tx_fd >= 0)
		close(f->tx_fd);
	iface_remote_close(f);
	if (f->cap_fd >= 0)
		close(f->cap_fd);
	iface_rss_close(f);
	iface_rx_close(f);
	ofd_corr_free(f->corr);
	free(f->buf);
	/* The peer's journal first: undo in the reverse order of change. */
	e = ofd_host_changes_restore(f->peer_hc);
	if (ofd_host_changes_restore(f->port_hc) || e)
		ofd_pr_warn("iface: a change to %s or %s could not be undone (see `offdiff iface restore`)\n",
			    f->port, f->peer);
	ofd_ethtool_close(f->port_et);
	if (f->port_ns >= 0)
		close(f->port_ns);
	if (f->peer_ns >= 0)
		close(f->peer_ns);
	if (f->have_vnic)
		ofd_vnic_down(&f->vnic);
	free(f);
}

const struct ofd_engine_ops ofd_engine_iface = {
	.name = "iface",
	.desc = "a NIC reached through Linux interfaces: TX sent on its port and read on a peer, RX the other way",
	.flags = OFD_F_DEVICE,
	.caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) | OFD_CAP(OFD_OFFLOAD_TSO) | IFACE_RX_CAPS,
	.open = iface_open,
	.run = iface_run,
	.info = iface_info,
	.close = iface_close,
	.params = iface_params,
	.tally = iface_tally,
};
