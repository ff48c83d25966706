/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_kernel.h - the kernel engine's public extras.
 *
 * The engine itself is reached through the registry (ofd_engine_find
 * ("kernel")); these are the few things the CLI, `make bench` and the tests
 * need beyond the ops table.
 */
#ifndef OFD_KERNEL_H
#define OFD_KERNEL_H

#include <stddef.h>
#include <stdint.h>

#include "ofd.h"

/* The ops table (oracles/kernel/kernel.c), listed in harness/engines.def. */
extern const struct ofd_engine_ops ofd_engine_kernel;

/*
 * ofd_kernel_version - "Linux <release>" of the running kernel (uname -r).
 * @return 0, -errno from uname(), or -ENAMETOOLONG when @len is too small
 *         (@buf then holds a truncated, terminated string).
 */
int ofd_kernel_version(char *buf, size_t len);

/*
 * The way a TX case reaches a device through AF_PACKET with PACKET_VNET_HDR
 * on a port of MTU @mtu: the kernel engine sends every case this way into
 * its tap, and the iface target into a real device port.
 *  PLAIN:  one send, one frame out (maybe a checksum request);
 *  GSO:    a GSO request (segments out);
 *  TUNNEL: UDP tunnel GSO, which only tun's tunnel header can ask for;
 *  NONE:   no way in: *why says why (an unsupported case).
 */
enum ofd_txway { OFD_TXWAY_NONE = -1, OFD_TXWAY_PLAIN, OFD_TXWAY_GSO, OFD_TXWAY_TUNNEL };
int ofd_kernel_tx_way(const struct ofd_case *c, unsigned int mtu, const char **why);
/* The virtio_net_hdr to send case c with (a stack-built GSO request mapped
 * to the vnet fields, a legacy frame past the MTU sent as a GSO request
 * too small to segment: ofd_kpath). */
void ofd_kernel_tx_hdr(const struct ofd_case *c, unsigned int mtu, struct ofd_vnet_hdr *h);
/* virtio_net_hdr in the layout AF_PACKET and a tap without TUNSETVNETLE
 * use (host order), 10 bytes. */
void ofd_vnet_hdr_put(uint8_t *b, const struct ofd_vnet_hdr *h);

/*
 * ofd_kernel_bench_floor - the bare cost of the kernel engine's data path.
 *
 * Opens a private namespace like the engine does, then sends @n fixed
 * 64-byte frames (no checksum or GSO request) one at a time through the
 * AF_PACKET socket and reads each back from the tap. *@pps receives frames
 * per second. This is the ceiling for any TX case rate of the engine.
 *
 * @return 0, -EINVAL for n == 0, -EPERM/-ENODEV/... when the namespace
 *         cannot be set up (see the engine's probe()), -EIO when a frame
 *         does not come back.
 */
int ofd_kernel_bench_floor(unsigned int n, double *pps);

/*
 * ofd_kernel_bench_tso_floor - the bare cost of segmentation: one
 * sendmsg() of the GSO request (@h, @frame of @len bytes) on the AF_PACKET
 * socket and a read() of each segment from the tap, @n times, nothing
 * else. *@segs_per_s receives segments per second, *@segs (optional) the
 * segments one request makes.
 * @return 0, -EINVAL, -EIO when no segment comes back, or the set-up's
 *         -errno (see ofd_kernel_bench_floor).
 */
int ofd_kernel_bench_tso_floor(const uint8_t *frame, uint32_t len,
			       const struct ofd_vnet_hdr *h, unsigned int n,
			       double *segs_per_s, unsigned int *segs);

/*
 * The receive-side judge (oracles/kernel/rxjudge.c): the running kernel,
 * as the frame's final recipient, validates its L4 checksum.
 *
 * The frame goes into a tap of the engine's namespace where every address
 * is local, and the per-protocol MIB counters of the namespace give the
 * verdict of tcp_v4_rcv/tcp_v6_rcv, __udp4_lib_rcv/__udp6_lib_rcv,
 * icmp_rcv and icmpv6_rcv. The innermost TCP, UDP, ICMP or ICMPv6
 * checksum is judged, as its final recipient sees it: tunnel headers and
 * VLAN tags stripped, IP lengths set to the bytes the frame carries, and an
 * IPv6 routing header with segments left > 0 processed to its end
 * (Destination Address := final address, segments left := 0). A frame
 * with segments left 0 is judged as it is.
 */
enum ofd_rxjudge {
	OFD_RXJ_ACCEPTED = 0,  /* the receive path found the checksum right */
	OFD_RXJ_REJECTED,      /* ... wrong (InCsumErrors) */
	OFD_RXJ_UNJUDGEABLE,   /* no checksum verdict; *why says why */
};

const char *ofd_rxjudge_name(enum ofd_rxjudge v);

/*
 * ofd_kernel_rx_judge - judge one frame (patches applied).
 * @e: an open "kernel" engine (its namespace hosts the judge, set up on the
 *     first call)
 * @verdict: receives the verdict
 * @why: receives a static one-line reason for OFD_RXJ_UNJUDGEABLE, else
 *       NULL (on error: the set-up step that failed, or NULL)
 * @return 0; -EINVAL when @e is not the kernel engine; -errno when the judge
 *         cannot be set up (-EPERM without privileges) or a write or counter
 *         read fails.
 */
int ofd_kernel_rx_judge(struct ofd_engine *e, const struct ofd_frame *f,
			enum ofd_rxjudge *verdict, const char **why);

/*
 * ofd_kernel_rx_judge_many - judge @n frames (at most OFD_RXJ_MANY), e.g.
 * every segment of a batch of tso cases: verdict[i] and why[i] as
 * ofd_kernel_rx_judge gives them for f[i]. One counter read for the lot
 * when every judgeable frame is accepted; one frame at a time otherwise.
 * @return as ofd_kernel_rx_judge; -EINVAL also for n > OFD_RXJ_MANY.
 */
#define OFD_RXJ_MANY 1024
int ofd_kernel_rx_judge_many(struct ofd_engine *e, const struct ofd_frame *const *f,
			     unsigned int n, enum ofd_rxjudge *verdict,
			     const char **why);

#endif /* OFD_KERNEL_H */
