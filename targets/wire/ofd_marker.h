/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_marker.h - the frame the iface target sends after each case.
 *
 * On the wire it bounds the wait for a case's frames (on one queue all of
 * them come before it). In a capture of that wire it names the case whose
 * frames came just before it, so the `capture` target finds each case's
 * frames among identical ones of other cases (the same super-packet under
 * two requests) by content, the marker's included, not by position alone.
 *
 *   0  ff:ff:ff:ff:ff:ff        6  02:'o':'f':'d':pid  12  0x88b5 (IEEE
 *   802 local experimental)    14  "offdiff-marker"    28  sequence (be64)
 *   36  case id (be64)         44  zeros to 60 bytes
 */
#ifndef OFD_MARKER_H
#define OFD_MARKER_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#define OFD_MARKER_TYPE 0x88b5
#define OFD_MARKER_LEN 60
#define OFD_MARKER_MAGIC "offdiff-marker"

static inline void ofd_marker_build(uint8_t m[OFD_MARKER_LEN], const uint8_t src[6],
				    uint64_t seq, uint64_t case_id)
{
	int i;

	memset(m, 0, OFD_MARKER_LEN);
	memset(m, 0xff, 6);
	memcpy(m + 6, src, 6);
	m[12] = OFD_MARKER_TYPE >> 8;
	m[13] = OFD_MARKER_TYPE & 0xff;
	memcpy(m + 14, OFD_MARKER_MAGIC, sizeof(OFD_MARKER_MAGIC) - 1);
	for (i = 0; i < 8; i++) {
		m[28 + i] = (uint8_t)(seq >> (56 - 8 * i));
		m[36 + i] = (uint8_t)(case_id >> (56 - 8 * i));
	}
}

/* A marker (of any run): its sequence and case id. */
static inline bool ofd_marker_parse(const uint8_t *d, uint32_t n, uint64_t *seq,
				    uint64_t *case_id)
{
	int i;

	if (n < 44 || d[12] != OFD_MARKER_TYPE >> 8 || d[13] != (OFD_MARKER_TYPE & 0xff) ||
	    memcmp(d + 14, OFD_MARKER_MAGIC, sizeof(OFD_MARKER_MAGIC) - 1))
		return false;
	*seq = *case_id = 0;
	for (i = 0; i < 8; i++) {
		*seq = *seq << 8 | d[28 + i];
		*case_id = *case_id << 8 | d[36 + i];
	}
	return true;
}

#endif /* OFD_MARKER_H */
