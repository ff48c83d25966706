/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_kernel_flowdis.h - the kernel engine's flow dissector comparison
 * (oracles/kernel/kernel_flowdis.c, issue 21): the rx hash the kernel
 * gives frames received in the engine's namespace, computed by its
 * built-in dissector or by a BPF flow dissector attached to that
 * namespace alone.
 *
 * skb_get_hash (kernel-rx.md 5.2) hashes the dissected keys with a
 * per-boot random key, so a hash means nothing by itself; but two hashes
 * of one frame in one boot are equal exactly when the hashed keys (basic,
 * flow label, VLAN, GRE key, ports, addresses) are, up to a collision of
 * SipHash. Built-in and BPF dissectors are compared that way, inside the
 * kernel.
 */
#ifndef OFD_KERNEL_FLOWDIS_H
#define OFD_KERNEL_FLOWDIS_H

#include <stdint.h>

#include "ofd.h"

#define OFD_KFD_MAX 256     /* frames per call */
#define OFD_KFD_FRAME_MAX 1500

/*
 * ofd_kernel_rxhash - the rx hash of each frame received on a tap of the
 * kernel engine @e's namespace.
 * @prog_fd: a BPF_PROG_TYPE_FLOW_DISSECTOR program to attach to the
 *     namespace for this call (bpf_prog_attach from a thread inside it;
 *     detached before return), or -1 for the built-in dissector. Never the
 *     root namespace: a program there overrides every namespace.
 * @frames, @lens: @n frames (n <= OFD_KFD_MAX, each 14..OFD_KFD_FRAME_MAX
 *     bytes), written into the tap in order.
 * @hash: receives tp_rxhash (TPACKET_V3, TP_FT_REQ_FILL_RXHASH) of each.
 * @why: a static line when the call fails.
 * @return 0; -EINVAL (not the kernel engine, bad sizes); -EEXIST when a
 *     flow dissector is attached in the root namespace; -ETIMEDOUT when a
 *     frame did not come back; other -errno of the set-up.
 */
int ofd_kernel_rxhash(struct ofd_engine *e, int prog_fd, const uint8_t *const *frames,
		      const uint32_t *lens, unsigned int n, uint32_t *hash,
		      const char **why);

#endif /* OFD_KERNEL_FLOWDIS_H */
