/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_gro.h - gro cases: trains of frames with NAPI batch boundaries.
 *
 * A gro case is a train: consecutive frames the device receives, in order,
 * with OFD_PKT_F_FLUSH_AFTER on the frames after which a NAPI poll ends
 * and GRO flushes everything it holds (kernel-rx.md 1.10). A pcap says
 * where trains and flush points are by its timestamps; with gap = the
 * next record's time minus this one's:
 *
 *   gap <  OFD_GRO_FLUSH_GAP_US (1 ms)   same NAPI batch
 *   gap >= OFD_GRO_FLUSH_GAP_US          a flush point: the batch ends
 *                                        after this frame, the train goes on
 *   gap >= OFD_GRO_TRAIN_GAP_US (1 s)    the train ends after this frame
 *
 * A spec's gro_flush_gap_us and gro_train_gap_us replace the two gaps for
 * its captures (a train gap at or below the flush gap: every boundary
 * ends the train).
 * A train also ends at the end of a file, where time goes backwards, at
 * OFD_GRO_MAX_TRAIN frames and at the end of a streamed chunk (so a capture
 * whose trains run across `offdiff run`'s chunks of a few thousand frames
 * has them cut there). The last frame of a train is always a flush point.
 * A capture stamped one frame a second (tx-csum's and tso's corpora) is a
 * train per frame. 1 ms is far above the microseconds between frames of
 * one interrupt on a real NIC and far below a human-visible pause.
 *
 * The generator (corpus_gro.c) stamps exactly that: OFD_GRO_GEN_STEP_US
 * between frames of a batch, OFD_GRO_GEN_FLUSH_US across a flush point
 * and OFD_GRO_GEN_TRAIN_US from one train to the next.
 *
 * The request of a gro case is empty (kind VNET, no flags): the kernel
 * engine writes every frame into its tap with a zero virtio_net_hdr, so it
 * arrives as CHECKSUM_NONE and GRO verifies checksums in software
 * (kernel_rx.c, kernel-rx.md 7.1).
 */
#ifndef OFD_GRO_H
#define OFD_GRO_H

#include <stdint.h>

#include "ofd.h"
#include "ofd_pcap.h"

#define OFD_GRO_FLUSH_GAP_US 1000u
#define OFD_GRO_TRAIN_GAP_US 1000000u
#define OFD_GRO_MAX_TRAIN 128u

#define OFD_GRO_GEN_STEP_US 10u
#define OFD_GRO_GEN_FLUSH_US 10000u
#define OFD_GRO_GEN_TRAIN_US 1000000u

/* Random trains: at most this many frames of at most this many bytes. */
#define OFD_GRO_RANDOM_PKTS 8u
#define OFD_GRO_RANDOM_FRAME 1600u

enum ofd_gro_gap {
	OFD_GRO_SAME_BATCH = 0,
	OFD_GRO_FLUSH,     /* a NAPI batch boundary after prev */
	OFD_GRO_NEW_TRAIN, /* prev ends its train */
};

/* What lies between corpus frames prev and next, next following prev in
 * the corpus; train_len is the frames of prev's train so far (prev
 * included). The gaps are spec's (gro_flush_gap_us, gro_train_gap_us)
 * where it sets them, else the defaults above; spec may be NULL. */
struct ofd_spec;
enum ofd_gro_gap ofd_gro_gap(const struct ofd_corpus_pkt *prev,
			     const struct ofd_corpus_pkt *next, uint32_t train_len,
			     const struct ofd_spec *spec);

/* The time to stamp frame i of a train written as a pcap (reproducers):
 * OFD_GRO_GEN_STEP_US between frames of a batch, OFD_GRO_GEN_FLUSH_US
 * across a flush point, so that reading it back gives the same train.
 * 0 for frame 0: a one-frame case is stamped as before. */
uint64_t ofd_gro_pkt_ts(const struct ofd_pkt *pkts, uint32_t i);
/* The flush points of a train read back from a pcap (a case file's
 * input): pkts[i].flags from the gap after corpus frame i, the last frame
 * a flush point. */
void ofd_gro_train_flags(const struct ofd_corpus *c, struct ofd_pkt *pkts);

/* Random train (seed, index) into buf[0, cap) and pkts[0, maxpkts)
 * (random_gro.c): 0 or -errno. */
int ofd_gro_random(uint64_t seed, uint64_t index, uint8_t *buf, uint32_t cap,
		   struct ofd_pkt *pkts, unsigned int maxpkts, struct ofd_case *c);

/* corpus_gro.c */
enum ofd_gro_gen_file {
	OFD_GRO_GEN_TCP4 = 0,
	OFD_GRO_GEN_TCP6,
	OFD_GRO_GEN_TUNNELS,
	OFD_GRO_GEN_INTERLEAVED,
	OFD_GRO_GEN_UDP,
	OFD_GRO_GEN_VXLAN,
	OFD_GRO_GEN__NFILES,
};

#endif /* OFD_GRO_H */
