/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_rx_csum.h - the receive checksum state a correct device reports for
 * a frame, and what the kernel's stack concludes from a device's claim
 * (kernel-rx.md 4, 1.8). The model engine (rx_csum.c) answers with the
 * first; the emulator's rx-csum device bends it, and the rx-csum judge
 * (harness/run/explain_rx_csum.c) reads the per-layer validity to name
 * what a wrong claim covers.
 *
 * A frame's checksum layers are its L4 (and GRE) checksums from the
 * outside in: TCP, UDP, SCTP's CRC32c, GRE with the C bit, through VLAN
 * tags, IPv6 extension headers and the tunnels the parser descends
 * (VXLAN, GENEVE, GRE, IP-in-IP). ICMP has no CHECKSUM_UNNECESSARY
 * meaning (kernel-rx.md 4 lists which checksums a device may vouch for)
 * and is not a layer.
 *
 * Every checksum covers what the stack sees after IP trimmed the skb to
 * its datagram length (pskb_trim_rcsum): Ethernet padding and trailers
 * are never summed, neither by a layer nor by the COMPLETE value.
 */
#ifndef OFD_RX_CSUM_H
#define OFD_RX_CSUM_H

#include <stdbool.h>
#include <stdio.h>
#include <stdint.h>

#include "ofd.h"

/* SKB_MAX_CSUM_LEVEL: csum_level is two bits. */
#define OFD_RXCSUM_MAX_LEVEL 3
#define OFD_RXCSUM_MAX_LAYERS 8

enum ofd_rxcsum_status {
	OFD_RXCSUM_VALID = 0,    /* the checksum verifies */
	OFD_RXCSUM_ZERO,         /* IPv4 UDP checksum 0: "no checksum"
				  * (RFC 768); the stack accepts it
				  * (zero_okay) and a device may count it */
	OFD_RXCSUM_BAD,          /* the checksum does not verify */
	OFD_RXCSUM_ZERO_UDP6,    /* IPv6 UDP checksum 0: counted like the
				  * IPv4 one (udp6_csum_init is zero_okay
				  * too, and the kernel's own GRO marks it
				  * DATA_VALID), but no checksum (RFC 8200
				  * 8.1): the socket drops it unless it
				  * opted in (RFC 6935, no_check6_rx),
				  * whatever the device claims */
	OFD_RXCSUM_UNVERIFIABLE, /* a fragment, or the datagram or UDP
				  * length runs past what the frame holds:
				  * no device can verify it */
};

struct ofd_rxcsum_layer {
	uint8_t proto;   /* enum ofd_proto: TCP, UDP, SCTP, GRE */
	uint8_t depth;   /* 0: outer headers; 1: inside the first tunnel */
	uint8_t status;  /* enum ofd_rxcsum_status */
	uint8_t ipv6;    /* the enclosing IP header is IPv6 */
	uint32_t off;    /* header offset in the frame */
	uint32_t len;    /* bytes the checksum covers (0: unverifiable) */
	uint32_t stored; /* the field as received (CRC32c: as stored) */
	uint32_t want;   /* the field that would verify (inet: 0 -> 0xffff
			  * for UDP; GRE keeps 0) */
};

struct ofd_rxcsum {
	unsigned int n;      /* checksum layers, outer first */
	struct ofd_rxcsum_layer layer[OFD_RXCSUM_MAX_LAYERS];
	unsigned int nvalid; /* consecutive VALID/ZERO/ZERO_UDP6 layers from the outside */
	uint32_t l3_off;     /* where the stack's packet starts (VLAN tags
			      * stripped as a device with rx-vlan-offload
			      * hands them up) */
	uint32_t l3_end;     /* the outer datagram's end: padding excluded */
	uint32_t len;        /* frame length */
	uint16_t complete;   /* CHECKSUM_COMPLETE: fold16 of the sum over
			      * [l3_off, l3_end), not complemented */
};

/*
 * ofd_rx_csum_analyse - the checksum layers of frame[0, len) and the
 * correct COMPLETE value. Never fails: a frame without layers has n 0.
 * Allocation-free, every read bounds-checked.
 */
void ofd_rx_csum_analyse(const uint8_t *frame, uint32_t len,
			 struct ofd_rxcsum *a);

/*
 * ofd_rx_csum_correct - what a correct device reports (meta's
 * csum_state, csum_level, csum_value; has |= OFD_META_CSUM_STATE):
 * UNNECESSARY with csum_level = nvalid - 1 (at most 3) when nvalid > 0,
 * else NONE; csum_value is the COMPLETE value either way, so a judge can
 * compare a device that reports COMPLETE instead.
 */
void ofd_rx_csum_correct(const struct ofd_rxcsum *a, struct ofd_meta *m);

/* fold16 of frame[from, to) (from even relative to the L3 start is the
 * caller's business: sums are positional by byte parity). */
uint16_t ofd_rx_csum_sum(const uint8_t *frame, uint32_t from, uint32_t to);

/* Two 16-bit ones'-complement sums are the same number when equal or
 * when one is 0x0000 and the other 0xffff (+0 and -0). */
static inline bool ofd_rx_csum_same(uint16_t a, uint16_t b)
{
	return (a == 0xffff ? 0 : a) == (b == 0xffff ? 0 : b);
}

/* What the stack ends up doing with a frame, given a device's claim. */
enum ofd_rxcsum_outcome {
	OFD_RXCSUM_ACCEPT = 0,   /* every checksum held, checked or trusted */
	OFD_RXCSUM_DROP,         /* the stack found a bad checksum itself */
	OFD_RXCSUM_TRUSTED_BAD,  /* a bad checksum was trusted: corrupted
				  * data delivered (the dangerous claim) */
	OFD_RXCSUM_HW_FAULT,     /* a COMPLETE value that does not match the
				  * packet: "hw csum failure"
				  * (netdev_rx_csum_fault), then software */
};

struct ofd_rxcsum_stack {
	uint8_t outcome;  /* enum ofd_rxcsum_outcome */
	int layer;        /* the layer that decided it, -1 for none */
	unsigned int trusted; /* layers taken on the device's word */
};

/*
 * ofd_rx_csum_stack - the stack's verdict on claim @m (csum_state,
 * csum_level, csum_value) for the frame analysed in @a (kernel-rx.md 4):
 * UNNECESSARY level L vouches for L + 1 layers from the outside, each
 * consumed by its protocol handler without computing (a bad one is
 * TRUSTED_BAD), the rest are computed in software; COMPLETE is checked
 * per layer against the device's sum, and a mismatch the software
 * recomputation finds good is a hw csum failure; NONE is all software.
 */
void ofd_rx_csum_stack(const struct ofd_rxcsum *a, const struct ofd_meta *m,
		       struct ofd_rxcsum_stack *v);

/*
 * ofd_rx_csum_kernel_check - the model's per-layer validity against the
 * running kernel (rx_csum_kernel.c): for the frame of each of @cases, the
 * innermost TCP/UDP checksum and every outer VXLAN/GENEVE UDP checksum
 * judged by the kernel's protocol handlers (ofd_kernel_rx_judge_many on
 * @kernel, an open kernel engine), added to the counts in *@r (zero it
 * before the first call). Disagreements (the first 20 of *@r) are
 * printed to @info (may be NULL). 0, or the judge's -errno.
 */
struct ofd_rxcsum_kcheck {
	unsigned int n, outer, agree, accepted, rejected, unjudgeable;
};
struct ofd_engine;
int ofd_rx_csum_kernel_check(struct ofd_engine *kernel, const struct ofd_case *cases,
			     uint32_t ncases, FILE *info, struct ofd_rxcsum_kcheck *r);

const char *ofd_rx_csum_status_name(enum ofd_rxcsum_status s);
const char *ofd_rx_csum_outcome_name(enum ofd_rxcsum_outcome o);
const char *ofd_rx_csum_state_name(unsigned int state);

#endif /* OFD_RX_CSUM_H */
