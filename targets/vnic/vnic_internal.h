/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * vnic_internal.h - what the virtual NIC's set-up (vnic.c) hands its
 * serving loop (vnic_device.c): both run in the device process, after the
 * fork; nothing here is seen by the caller of ofd_vnic_up.
 */
#ifndef OFD_VNIC_INTERNAL_H
#define OFD_VNIC_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct ofd_engine;

/* struct virtio_net_hdr (10 bytes, what AF_PACKET and a plain tap speak)
 * and struct virtio_net_hdr_v1_hash_tunnel (24 bytes, 6.17+: num_buffers,
 * hash value/report/pad, then the outer transport and inner network
 * header offsets of a UDP tunnel GSO request). */
#define VNIC_HDR_LEN 10
#define VNIC_TNL_HDR_LEN 24
#define VNIC_TNL_GSO_IPV4 0x20  /* VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV4 */
#define VNIC_TNL_GSO_IPV6 0x40  /* VIRTIO_NET_HDR_GSO_UDP_TUNNEL_IPV6 */
#define VNIC_TNL_F_CSUM 0x08    /* VIRTIO_NET_HDR_F_UDP_TUNNEL_CSUM */

struct vnic_ports {
	int dev_tap;           /* the device port's tap: requests in, RX out */
	int wire_tap;          /* the wire port's tap: frames out and in */
	unsigned int hdr_len;  /* the device tap's vnet header: 10 or 24 */
	bool le;               /* TUNSETVNETLE: the header is little endian */
	unsigned int offloads; /* TUN_F_* the device tap took */
	bool verbose;          /* a named device's log: counters at stop */
	bool protocol_csum;    /* a checksum engine that parses (OFD_VNIC_CSUM_PROTOCOL) */
	bool hw_gro;           /* receive path coalesces (vnic_rx.c); dev_tap is IFF_NAPI */
};

/* vnic_rx.c: the receive path with hardware GRO. */
struct vnic_rx;
struct vnic_rx_stats {
	unsigned long long frames_in, batches, frames_up, up_errors, lost, early;
};
int ofdint_vnic_rx_new(const struct vnic_ports *p, struct ofd_engine *emu,
		       struct vnic_rx_stats *st, struct vnic_rx **out);
/* One frame from the wire: held for its batch, or (a marker) the end of
 * the batch: its frames through the gro device and up, then the marker.
 * 0 or the engine's -errno. */
int ofdint_vnic_rx_frame(struct vnic_rx *rx, const uint8_t *d, size_t len);
void ofdint_vnic_rx_free(struct vnic_rx *rx);

/* Serve until SIGTERM/SIGINT: requests from dev_tap through the emulator
 * to wire_tap, frames from wire_tap into dev_tap. Returns 0 on a clean
 * stop, a negative errno when a tap fails; prints its counters on
 * stderr either way. */
int ofdint_vnic_serve(const struct vnic_ports *p, struct ofd_engine *emu);

/* The TUN_F_* bits as words ("csum tso4 tso6 ..."), for the log. */
void ofdint_vnic_offload_str(unsigned int off, char *buf, size_t len);

#endif /* OFD_VNIC_INTERNAL_H */
