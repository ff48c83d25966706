/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_correlate.h - which case a frame read off a wire belongs to, by its
 * content (correlate.c).
 *
 * Targets that read a device's output from a wire (iface live, capture
 * offline) cannot trust order or timing: other traffic appears, queues
 * reorder, a device drops frames. The correlator asks the model what the
 * kernel would emit for each awaited case and assigns each captured frame
 * to the case whose expected frames it resembles most (equal bytes at equal
 * offsets, aligned at the head and at the tail so a wrong header length
 * still matches its payload); a frame that resembles none (foreign traffic:
 * ND, LLDP, ARP) is not assigned. Ties go to the earliest case still
 * awaiting frames. A case is complete when it holds as many frames as the
 * kernel would emit; a device that emits fewer is found by the caller's
 * bounded wait, one that emits more by frames arriving for a complete case.
 */
#ifndef OFD_CORRELATE_H
#define OFD_CORRELATE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ofd.h"

struct ofd_correlator;

/* caps: the offloads the cases will need (OFD_CAP bits). */
int ofd_corr_new(unsigned int caps, struct ofd_correlator **out, char *err,
		 size_t err_len);
void ofd_corr_free(struct ofd_correlator *c);

/* Await cases[0, n) (the cases stay owned by the caller and must outlive
 * the window); forgets the previous window. */
int ofd_corr_expect(struct ofd_correlator *c, const struct ofd_case *cases,
		    unsigned int n);

/* The case index in the window frame f[0, len) belongs to, or -1. */
int ofd_corr_match(struct ofd_correlator *c, const uint8_t *f, uint32_t len);

/* Frames the kernel would emit for window case i; frames matched so far. */
unsigned int ofd_corr_expected(const struct ofd_correlator *c, unsigned int i);
unsigned int ofd_corr_matched(const struct ofd_correlator *c, unsigned int i);
/* Every case of the window holds at least its expected frames. */
bool ofd_corr_all_done(const struct ofd_correlator *c);

/*
 * For a caller that holds every frame at once (the capture target) and
 * chooses itself which frame goes where, instead of one decision per
 * arriving frame:
 *
 * ofd_corr_keys: the two keys a frame is indexed under: the Ethernet
 * addresses with the last bytes of the frame (trailing zero bytes, a
 * wire's padding, left out), and the Ethernet addresses with the frame's
 * flow: its innermost L4's ports, the TCP sequence number and the count
 * of bytes after the L4 header (the stripped length without an L4). A
 * frame and an expected frame it can match through the index share at
 * least one (a device that changed both its tail and its flow is found
 * only by ofd_corr_match's scan of the window).
 */
void ofd_corr_keys(const uint8_t *f, uint32_t len, uint64_t *tail_key,
		   uint64_t *flow_key);
/* Expected frame j (< ofd_corr_expected(c, i)) of window case i: its bytes
 * (valid until the next ofd_corr_expect) and length. */
const uint8_t *ofd_corr_expected_frame(const struct ofd_correlator *c,
				       unsigned int i, unsigned int j,
				       uint32_t *len);
/* What the model said about window case i (status, reason, stage), until
 * the next ofd_corr_expect. */
const struct ofd_result *ofd_corr_model(const struct ofd_correlator *c,
					unsigned int i);
/* The choice ofd_corr_match would make, without counting the frame: the
 * case index or -1, and the frame's score for it (bytes equal at equal
 * offsets, head- or tail-aligned) in *score. index_only: score only the
 * expected frames that share a key with f, never scan the window. */
int ofd_corr_peek(struct ofd_correlator *c, const uint8_t *f, uint32_t len,
		  bool index_only, uint32_t *score);
/* Whether a frame was counted against expected frame j of window case i
 * (a frame whose best expected frame is taken is a copy of one already
 * there: another case's, or a duplicate). */
bool ofd_corr_expected_taken(const struct ofd_correlator *c, unsigned int i,
			     unsigned int j);
/* Which of its case's expected frames (j < ofd_corr_expected) the last
 * peek chose, or -1. */
int ofd_corr_peeked(const struct ofd_correlator *c);
/* Count one frame for window case i (ofd_corr_match is peek + take):
 * against the expected frame the last peek chose when it is case i's. */
void ofd_corr_take(struct ofd_correlator *c, unsigned int i);
/* Stop awaiting window case i (nothing of it can reach the wire, e.g. the
 * kernel refused it at send): no frame matches it any more and it counts
 * as done. */
void ofd_corr_skip(struct ofd_correlator *c, unsigned int i);

#endif /* OFD_CORRELATE_H */
