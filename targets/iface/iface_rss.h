/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * iface_rss.h - rss through the iface target (docs/rx-direction.md):
 * the device's RSS configuration as the model's (iface_rss_config.c),
 * the device's hash, type and queue of each frame read back
 * (iface_rss_read.c: XDP on the device, or TPACKET_V3 with a fanout
 * group), and the case loop (iface_rss.c).
 */
#ifndef OFD_IFACE_RSS_H
#define OFD_IFACE_RSS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ofd_rss.h"
#include "ofd_rss_readback.h"
#include "ofd_toeplitz.h"

/* The device configured as the model sees it. */
struct iface_rss_dev {
	struct ofd_rss_config cfg; /* cfg.fast is &tab */
	struct ofd_toeplitz tab;
	/* bit i: flow type i's field set was not read (ETHTOOL_GRXFH
	 * refused it): its frames are not judged */
	uint32_t flows_unread;
	int32_t flow_err[OFD_RSS_NFLOWS];
	uint32_t device_indir_size; /* the device's table, before folding */
};

/*
 * iface_rss_config_from - the model's configuration of the device read
 * back as rb: 0, or -EOPNOTSUPP with why[] one line naming what the
 * model cannot represent (a key outside 5..OFD_RSS_KEY_MAX bytes or too
 * short for a field set, a table that is no power of two or folds to
 * no more than OFD_RSS_INDIR_MAX entries, RXH_* bits beyond s d f n l,
 * RXH_DISCARD, both input transforms, no rx ring). A table larger than
 * the model's is folded to its period when it repeats (queue =
 * indir[hash & (n - 1)] is then the same).
 */
int iface_rss_config_from(const struct ofd_rss_readback *rb, struct iface_rss_dev *d,
			  char *why, size_t why_len);

/* The ethtool commands that configure the device d as want, on port: "ethtool -X P hfunc toeplitz hkey ..
 * equal Q xfrm none; ethtool -N P rx-flow-hash udp4 sd; ...". false when
 * they do not fit in out or the device's key is shorter than want's
 * field sets read. */
bool iface_rss_ethtool_fix(const struct iface_rss_dev *d, const struct ofd_rss_config *want,
			   const char *port, char *out, size_t len);

/* Whether a and b give every frame the same record, flows in skip (bits
 * by field set index) aside: the key bytes the field sets read, the field
 * sets, the transform, the queue of every hash; false with why[] naming
 * the first difference. */
bool iface_rss_config_same(const struct ofd_rss_config *a, const struct ofd_rss_config *b,
			   uint32_t skip, char *why, size_t why_len);

/* What the device reported for one frame. */
struct iface_rss_rec {
	uint32_t hash;
	bool has_type;     /* XDP: rss_type is the driver's; TPACKET_V3: no type */
	uint32_t rss_type; /* enum xdp_rss_hash_type bits */
	int32_t err;       /* XDP: the kfunc's return */
	bool queue_known;
	uint32_t queue;
	uint32_t len, headlen;
	uint8_t head[64];
};

/*
 * The device's answer for a frame as an rss record, given the model's
 * answer m for the same frame under the device's configuration:
 * 1 with *o set; 0 with *why set when what was read back cannot be
 * attributed to the device (docs/rx-direction.md says which case is
 * which).
 */
int iface_rss_answer(const struct iface_rss_rec *r, const struct ofd_rss_out *m,
		     struct ofd_rss_out *o, const char **why);

/* iface_rss_read.c: the read-back of frames on the device port. */
struct iface_rss_reader;
/* XDP bound to the device (namespace nsfd, -1: ours): 0 or -errno, why. */
int iface_rss_reader_xdp(int nsfd, int ifindex, struct iface_rss_reader **r, char *why,
			 size_t why_len);
/* TPACKET_V3 with TP_FT_REQ_FILL_RXHASH, a PACKET_FANOUT_QM group of
 * rings + 1 sockets (socket q + 1 gets queue q; socket 0 a frame with no
 * queue recorded): 0 or -errno, why. */
int iface_rss_reader_fanout(int nsfd, int ifindex, unsigned int rings,
			    struct iface_rss_reader **r, char *why, size_t why_len);
bool iface_rss_reader_is_xdp(const struct iface_rss_reader *r);
/* The record of frame[0, len) (its first 64 bytes, or those with its
 * outer VLAN tag stripped; wire padding aside), within wait_ms: 1, 0
 * when none came, -errno. Records of other frames are counted in
 * *others (NULL: not counted). */
int iface_rss_reader_next(struct iface_rss_reader *r, const uint8_t *frame, uint32_t len,
			  int wait_ms, struct iface_rss_rec *out, uint64_t *others);
/* Whether head[0, headlen) read back is frame f[0, flen): equal as far as
 * both go (at least 14 bytes), or equal with f's outer VLAN tag out. */
bool iface_rss_frame_matches(const uint8_t *f, uint32_t flen, const uint8_t *head,
			     uint32_t headlen);
/* Drop whatever is queued. */
void iface_rss_reader_drain(struct iface_rss_reader *r);
void iface_rss_reader_close(struct iface_rss_reader *r);

#endif /* OFD_IFACE_RSS_H */
