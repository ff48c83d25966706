/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd.h - the offdiff contract.
 *
 * Everything that crosses a module boundary is declared here: the case (what
 * an engine is asked to do), the result (what it did), the engine ops table
 * that reference engines (oracles/) and targets (targets/) both implement,
 * the verdict the diff gives, and the small helpers every module shares
 * (checksums, bounds-checked byte access, the packet parser).
 *
 * Conventions (libbpf style):
 *  - functions return 0 or a negative errno; constructors are
 *    int ofd_x__new(..., struct ofd_x **out) and pair with ofd_x__free();
 *  - nothing below main() exits or prints to stdout; diagnostics go through
 *    ofd_pr_*() and the replaceable print callback;
 *  - packet bytes are read only within [0, len): the parser and every engine
 *    bounds-check before touching a byte.
 */
#ifndef OFD_H
#define OFD_H

#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The release, in every report document and in `offdiff -V` (which adds
 * git describe). */
#define OFD_VERSION "0.1"

#define OFD_ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* ------------------------------------------------------------------ */
/* Offloads                                                            */
/* ------------------------------------------------------------------ */

/* One line per offload in offloads.def; its layers are in ofd_offload.h. */
enum ofd_offload {
#define OFD_OFFLOAD(ID, id, name, ethtool, ethtool_short, dir) OFD_OFFLOAD_##ID,
#include "offloads.def"
#undef OFD_OFFLOAD
	OFD_OFFLOAD__MAX,
};
#define OFD_CAP(off) (1u << (off))

/* Our name ("tx-csum"), or "?" out of range. */
const char *ofd_offload_name(enum ofd_offload off);
/* The ethtool feature name ("tx-checksumming"). */
const char *ofd_offload_ethtool_name(enum ofd_offload off);
/* The offload for our name or an ethtool long or short alias, or -EINVAL. */
int ofd_offload_from_name(const char *name);

/* ------------------------------------------------------------------ */
/* The request: what the stack hands the device                        */
/* ------------------------------------------------------------------ */

/*
 * struct virtio_net_hdr (include/uapi/linux/virtio_net.h) in host order.
 * It is the kernel's own uapi for offload metadata: tap and AF_PACKET speak
 * it and it maps 1:1 onto skb fields.
 */
#define OFD_VNET_F_NEEDS_CSUM 1
#define OFD_VNET_F_DATA_VALID 2

#define OFD_VNET_GSO_NONE 0
#define OFD_VNET_GSO_TCPV4 1
#define OFD_VNET_GSO_UDP 3
#define OFD_VNET_GSO_TCPV6 4
#define OFD_VNET_GSO_UDP_L4 5
#define OFD_VNET_GSO_ECN 0x80

struct ofd_vnet_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
};

/*
 * Request kinds.
 *  VNET:   a generic (NETIF_F_HW_CSUM) request: the device is told where to
 *          start summing (csum_start) and where to store (csum_offset), and
 *          the field holds the pseudo-header seed. The kernel validates it
 *          like any virtio_net_hdr from userspace.
 *  LEGACY: a protocol-specific request (NETIF_F_IP_CSUM / IPV6_CSUM /
 *          SCTP_CRC): the device is told "IPv4|IPv6, TCP|UDP|SCTP, maybe
 *          tunnelled" and parses the frame itself to find the L4 header and
 *          build the pseudo-header. The skb still carries csum_start and
 *          csum_offset (in .vnet), which is what the kernel's own software
 *          fallback (skb_checksum_help) uses; the stack set them, so they are
 *          not validated like userspace input.
 */
enum ofd_req_kind {
	OFD_REQ_VNET = 0,
	OFD_REQ_LEGACY = 1,
};

/* Legacy request bits, modelled on driver TX descriptor fields. */
#define OFD_LEGACY_IPV4 0x01
#define OFD_LEGACY_IPV6 0x02
#define OFD_LEGACY_TCP 0x10
#define OFD_LEGACY_UDP 0x20
#define OFD_LEGACY_SCTP 0x40
#define OFD_LEGACY_TUNNEL 0x80 /* checksum the inner L4 (skb->encapsulation) */

/* Checksum algorithm of a CHECKSUM_PARTIAL request (skb->csum_not_inet). */
enum ofd_csum_type {
	OFD_CSUM_INET = 0,   /* RFC 1071 ones'-complement sum */
	OFD_CSUM_CRC32C = 1, /* SCTP: CRC32c at csum_start + 8, little endian */
};

/*
 * skb_shinfo(skb)->gso_type bits of Linux 6.18 (include/linux/skbuff.h,
 * kernel-tx.md 9). A tso request the stack built (OFD_REQ_LEGACY) names the
 * GSO type it carries with these, including what virtio_net_hdr cannot say
 * (tunnels, FIXEDID, ACCECN); a VNET request leaves skb_gso 0 and its type
 * is vnet.gso_type, as virtio_net_hdr_to_skb maps it.
 */
#define OFD_SKB_GSO_TCPV4 (1u << 0)
#define OFD_SKB_GSO_DODGY (1u << 1)
#define OFD_SKB_GSO_TCP_ECN (1u << 2)
#define OFD_SKB_GSO_TCPV6 (1u << 4)
#define OFD_SKB_GSO_GRE (1u << 6)
#define OFD_SKB_GSO_GRE_CSUM (1u << 7)
#define OFD_SKB_GSO_IPXIP4 (1u << 8)
#define OFD_SKB_GSO_IPXIP6 (1u << 9)
#define OFD_SKB_GSO_UDP_TUNNEL (1u << 10)
#define OFD_SKB_GSO_UDP_TUNNEL_CSUM (1u << 11)
#define OFD_SKB_GSO_PARTIAL (1u << 12)
#define OFD_SKB_GSO_UDP (1u << 16)
#define OFD_SKB_GSO_UDP_L4 (1u << 17)
#define OFD_SKB_GSO_TCP_ACCECN (1u << 19)
#define OFD_SKB_GSO_TCP_FIXEDID (1u << 30)
#define OFD_SKB_GSO_TCP_FIXEDID_INNER (1u << 31)

struct ofd_request {
	uint8_t kind;      /* enum ofd_req_kind */
	uint8_t csum_type; /* enum ofd_csum_type */
	uint8_t legacy;    /* OFD_LEGACY_* when kind == OFD_REQ_LEGACY */
	uint8_t rx_flags;  /* dissect: OFD_FK_F_* input flags (ofd_flow_keys.h) */
	struct ofd_vnet_hdr vnet;
	uint32_t skb_gso;  /* OFD_SKB_GSO_* of a LEGACY tso request, else 0 */
};

/* ------------------------------------------------------------------ */
/* The case                                                            */
/* ------------------------------------------------------------------ */

/* One input frame. Cases never own their bytes: the corpus or the case
 * generator does, so building a case copies nothing. */
#define OFD_PKT_F_FLUSH_AFTER 0x1 /* GRO: NAPI batch boundary after this */

struct ofd_pkt {
	const uint8_t *data;
	uint32_t len;
	uint32_t flags; /* OFD_PKT_F_* */
};

struct ofd_case {
	uint64_t id;           /* stable id, printed in reports */
	uint32_t offload;      /* enum ofd_offload */
	uint32_t npkts;        /* 1 for TX offloads, a train for GRO */
	const struct ofd_pkt *pkts;
	struct ofd_request req;
	/* Where the case came from, for reports: corpus file and packet index
	 * (src_file NULL for generated cases). */
	const char *src_file;
	uint32_t src_index;
};

/* ------------------------------------------------------------------ */
/* The result                                                          */
/* ------------------------------------------------------------------ */

enum ofd_res_status {
	OFD_RES_OK = 0,        /* frames[] hold the output */
	OFD_RES_REJECTED,      /* the engine refused the request: .reason */
	OFD_RES_UNSUPPORTED,   /* the engine cannot run this case: skip */
	OFD_RES_FAULT,         /* crash, hang, timeout of the engine */
};

/* Why a request was rejected. Stable numbers: they appear in reports. */
enum ofd_reason {
	OFD_REASON_NONE = 0,
	/* virtio_net_hdr validation (include/linux/virtio_net.h, af_packet.c) */
	OFD_REASON_HDR_LEN_PAST_FRAME,   /* hdr_len > frame length */
	OFD_REASON_FRAME_TOO_SHORT,      /* shorter than the link header */
	OFD_REASON_FRAME_TOO_LONG,       /* non-GSO frame longer than MTU */
	OFD_REASON_GSO_TYPE_INVALID,     /* unknown gso_type */
	OFD_REASON_GSO_SIZE_ZERO,        /* gso_type set, gso_size 0 */
	OFD_REASON_GSO_SIZE_BY_FRAGS,    /* gso_size 0xffff (GSO_BY_FRAGS) */
	OFD_REASON_CSUM_PAST_FRAME,      /* csum_start + max(thlen, off + 2) > len */
	OFD_REASON_CSUM_START_TOO_LARGE, /* headroom + csum_start >= 65535 */
	OFD_REASON_CSUM_START_TOO_SMALL, /* transport offset below the IP minimum */
	OFD_REASON_GSO_CSUM_OFFSET,      /* TCP GSO needs 16, UDP_L4 needs 6 */
	OFD_REASON_UDP_L4_NO_CSUM,       /* UDP_L4 without NEEDS_CSUM */
	OFD_REASON_UDP_L4_ECN,           /* UDP_L4 with the ECN bit */
	OFD_REASON_UDP_L4_TOO_MANY_SEGS, /* more than UDP_MAX_SEGMENTS */
	OFD_REASON_GSO_PROTO_MISMATCH,   /* dissected L3/L4 does not match */
	OFD_REASON_GSO_UNPARSABLE,       /* flow dissector failed */
	/* skb_checksum_help / skb_crc32c_csum_help at transmit */
	OFD_REASON_CSUM_START_OUTSIDE,   /* csum_start >= linear length */
	OFD_REASON_CSUM_FIELD_OUTSIDE,   /* csum field beyond the frame */
	/* GSO at transmit (tso issue) */
	OFD_REASON_GSO_SEGMENT_FAILED,
	/* anything an engine reports without a more precise reason, e.g. the
	 * kernel's -EINVAL from send() or a silent drop */
	OFD_REASON_SEND_EINVAL,
	OFD_REASON_DROPPED,
	OFD_REASON_DEVICE,               /* a target's own refusal */
	/* software GSO at transmit (kernel-tx.md 5-7); the kernel engine sees
	 * them all as a drop at transmit, the model says which rule */
	OFD_REASON_GSO_PAYLOAD_TOO_SMALL, /* GSO skb with payload <= gso_size */
	OFD_REASON_GSO_NO_HANDLER,        /* no GSO handler for a header on the
					   * way (e.g. IPv6 Fragment, AH) */
	OFD_REASON_GSO_TYPE_MISMATCH,     /* gso_type does not fit the packet */
	/* why a target faulted (OFD_RES_FAULT): the fault's kind is its
	 * class in reports (harness/run/diff.c), the detail says exactly what */
	OFD_REASON_FAULT_CRASH,     /* its process died: a signal or an exit */
	OFD_REASON_FAULT_HANG,      /* no answer within timeout_ms: killed */
	OFD_REASON_FAULT_MALFORMED, /* a result that does not check out */
	OFD_REASON_FAULT_ENGINE,    /* its run() failed on the case */
	OFD_REASON__MAX,
};
const char *ofd_reason_str(enum ofd_reason r);

/* Where in the kernel's path a rejection happens. send() fails for
 * validation errors; later errors are silent drops. */
enum ofd_reject_stage {
	OFD_STAGE_NONE = 0,
	OFD_STAGE_SUBMIT, /* the request never reaches the device */
	OFD_STAGE_XMIT,   /* dropped in validate_xmit_skb */
	OFD_STAGE_WIRE,   /* a device took it and nothing reached the wire
			   * within the engine's bounded wait */
};

/*
 * A patch: bytes an engine wrote over its input. TX checksum engines do not
 * copy the frame; they describe the output as "the input with these bytes
 * replaced", which keeps the hot path free of copies. Frames made from
 * scratch (segments, coalesced frames, frames read from the kernel) have no
 * patches and their own base.
 */
#define OFD_MAX_PATCHES 4
struct ofd_patch {
	uint32_t off;
	uint8_t len; /* 1..4 */
	uint8_t bytes[4];
};

/* Per-frame metadata. Only the fields flagged in .has are meaningful. */
#define OFD_META_VNET (1u << 0)      /* vnet flags/gso/csum fields */
#define OFD_META_CSUM_STATE (1u << 1)
#define OFD_META_RXHASH (1u << 2)

enum ofd_csum_state {
	OFD_CSUM_STATE_NONE = 0,
	OFD_CSUM_STATE_UNNECESSARY,
	OFD_CSUM_STATE_COMPLETE,
	OFD_CSUM_STATE_PARTIAL,
};

struct ofd_meta {
	uint32_t has;
	struct ofd_vnet_hdr vnet; /* as virtio_net_hdr_from_skb would fill it */
	uint8_t csum_state;       /* enum ofd_csum_state */
	uint8_t csum_level;
	uint16_t pad;
	uint32_t csum_value;      /* CHECKSUM_COMPLETE value */
	uint32_t rxhash;
	uint32_t hash_type;
};

/*
 * A frame's bytes are base[0, len - tail_len) followed by tail[0,
 * tail_len), with the patches applied over the whole. A segment is new
 * headers in the arena (base) and a piece of its input's payload (tail):
 * segmentation engines copy no payload, and the diff of two segments that
 * carry the same piece of input compares their headers only.
 */
struct ofd_frame {
	const uint8_t *base;
	uint32_t len;
	uint32_t npatches;
	struct ofd_patch patch[OFD_MAX_PATCHES];
	struct ofd_meta meta;
	const uint8_t *tail; /* tail_len bytes, usually the input's */
	uint32_t tail_len;
};

/*
 * A result slot. The runner allocates slots once, with an arena for engines
 * that produce new bytes, and reuses them for every case: ofd_result_reset()
 * is all an engine needs before filling one.
 *
 * A case can produce many frames: gso_size 1 on a 64 KB super-packet gives
 * 65535 segments. The frame array and the arena are reserved address space
 * (mmap MAP_NORESERVE) whose pages the kernel commits as they are first
 * written, so a slot costs what its largest case touched, and filling it
 * never allocates.
 */
#define OFD_MAX_FRAMES 65536
struct ofd_result {
	uint8_t status; /* enum ofd_res_status */
	uint8_t stage;  /* enum ofd_reject_stage, for OFD_RES_REJECTED */
	uint16_t reason;/* enum ofd_reason */
	int err;        /* the errno the engine saw, if any */
	const char *detail; /* static string, optional */
	uint32_t nframes;
	struct ofd_frame *frame; /* OFD_MAX_FRAMES, reserved */
	uint8_t *arena; /* owned by the runner */
	uint32_t arena_cap;
	uint32_t arena_used;
};

static inline void ofd_result_reset(struct ofd_result *r)
{
	r->status = OFD_RES_OK;
	r->stage = OFD_STAGE_NONE;
	r->reason = OFD_REASON_NONE;
	r->err = 0;
	r->detail = NULL;
	r->nframes = 0;
	r->arena_used = 0;
}

/* Allocate and free a result slot with an arena of arena_cap bytes, the
 * arena allocated when an engine first builds a frame in it. */
int ofd_result__new(uint32_t arena_cap, struct ofd_result **out);
void ofd_result__free(struct ofd_result *r);
/* Give back the pages a large case committed beyond the first megabyte
 * (off the hot path: once a batch). */
void ofd_result_trim(struct ofd_result *r);

/* Fill helpers for engines. */
static inline void ofd_result_reject(struct ofd_result *r, enum ofd_reason why,
				     enum ofd_reject_stage stage)
{
	r->status = OFD_RES_REJECTED;
	r->reason = why;
	r->stage = stage;
	r->nframes = 0;
}

static inline void ofd_result_fault(struct ofd_result *r, enum ofd_reason kind,
				    const char *detail)
{
	r->status = OFD_RES_FAULT;
	r->reason = kind;
	r->detail = detail;
	r->nframes = 0;
}

static inline void ofd_result_unsupported(struct ofd_result *r, const char *why)
{
	r->status = OFD_RES_UNSUPPORTED;
	r->detail = why;
	r->nframes = 0;
}

/* Append an output frame that is the input pkt (no copy, no patches yet).
 * Returns the frame or NULL when the result is full. */
struct ofd_frame *ofd_result_add_ref(struct ofd_result *r, const uint8_t *base,
				     uint32_t len);
/* The slot's arena from arena_used on (reserved on first use, like a frame
 * an engine builds), and in *avail how many bytes are free there: for an
 * engine whose output is written by someone else (a plugin) into the
 * arena, who then adds arena_used itself. NULL when the slot has none. */
uint8_t *ofd_result_arena_room(struct ofd_result *r, uint32_t *avail);
/* Append a frame of len bytes in the arena; *data receives the buffer. */
struct ofd_frame *ofd_result_add_new(struct ofd_result *r, uint32_t len,
				     uint8_t **data);
/* Append a copy of bytes[0, len) as a frame with no metadata: what a
 * target read off a wire or a device (its buffer is reused for the next
 * read). 0, or -ENOSPC when the result is full. */
int ofd_result_add_copy(struct ofd_result *r, const uint8_t *bytes, uint32_t len);
/* Append a frame of head_len new bytes (in the arena, *data) followed by
 * tail[0, tail_len), which is referenced, not copied. */
struct ofd_frame *ofd_result_add_split(struct ofd_result *r, uint32_t head_len,
				       const uint8_t *tail, uint32_t tail_len,
				       uint8_t **data);

/* Record a patch: bytes [off, off + n) of the output frame become bytes[]. */
int ofd_frame_patch(struct ofd_frame *f, uint32_t off, const void *bytes,
		    uint8_t n);
static inline int ofd_frame_patch_be16(struct ofd_frame *f, uint32_t off,
				       uint16_t v)
{
	uint8_t b[2] = { (uint8_t)(v >> 8), (uint8_t)v };

	return ofd_frame_patch(f, off, b, 2);
}

/* The bytes of f from `off` on that lie in one piece of memory (the head
 * or the tail, patches not applied): a pointer and their count. */
const uint8_t *ofd_frame_run(const struct ofd_frame *f, uint32_t off, uint32_t *n);
/* The effective byte i of a frame (patches applied). i < f->len. */
uint8_t ofd_frame_byte(const struct ofd_frame *f, uint32_t i);
/* Copy the effective bytes into buf (at least f->len bytes). */
void ofd_frame_materialize(const struct ofd_frame *f, uint8_t *buf);
/* Byte equality of two frames, fast when both share a base. */
bool ofd_frame_equal(const struct ofd_frame *a, const struct ofd_frame *b);

/* ------------------------------------------------------------------ */
/* The way into the kernel: what the kernel engine can send            */
/* ------------------------------------------------------------------ */

/*
 * The kernel engine hands a TX case to the kernel as virtio_net_hdr + frame
 * on an AF_PACKET socket (PACKET_VNET_HDR) bound to a tap; the model models
 * that same device. Probed on Linux 6.18.44 (oracles/kernel/kernel.c):
 *  - a tap's MTU is at most 65521 (tun.c: max_mtu = MAX_MTU 65535 minus
 *    ETH_HLEN); SIOCSIFMTU 65522 fails with EINVAL;
 *  - packet_snd refuses a non-GSO frame longer than MTU + 14 with EMSGSIZE,
 *    MTU + 18 when its ethertype is 802.1Q (0x8100 only: a 0x88a8 frame of
 *    65539 bytes is refused, an 0x8100 one goes): 65535 bytes go, 65536 not,
 *    with or without NEEDS_CSUM;
 *  - a request with a GSO type skips that check, and virtio_net_hdr_to_skb
 *    leaves the skb non-GSO when the bytes after csum_start + 20 are at most
 *    gso_size ("too small packets are not really GSO ones"): TCPV4 with
 *    gso_size 0xfffe carries up to csum_start + 20 + 65534 bytes as the very
 *    same non-GSO CHECKSUM_PARTIAL skb (65588 bytes for Ethernet/IPv4/TCP
 *    come back as one frame, byte for byte what the plain request gives at
 *    65535; 65589 bytes come back as two segments).
 * A VNET request is userspace input: the MTU rule is the kernel's own answer
 * for the device and both engines give FRAME_TOO_LONG. A LEGACY request
 * stands for an skb the stack built, which no MTU rule of AF_PACKET would
 * see: the kernel engine sends it the second way when it must, and a frame
 * too long for both ways (BIG TCP beyond 64 KB: IPv4 tot_len 0, IPv6
 * jumbograms) is a harness limit, OFD_RES_UNSUPPORTED in both engines.
 */
#define OFD_TAP_MAX_MTU 65521
#define OFD_KPATH_GSO_SIZE 0xfffe /* the largest gso_size that is not
				   * GSO_BY_FRAGS */

enum ofd_kpath {
	OFD_KPATH_PLAIN = 0, /* send the request as it is */
	OFD_KPATH_NOT_GSO,   /* legacy TCP past the MTU: send it as TCPV4 with
			      * gso_size OFD_KPATH_GSO_SIZE, too small for GSO */
	OFD_KPATH_NONE,      /* no way in: unsupported, OFD_KPATH_WHY */
};

#define OFD_KPATH_WHY                                                       \
	"frame longer than the kernel engine can send as one non-GSO skb "  \
	"(tap MTU 65521 + link header, or csum_start + 65554 for TCP): "    \
	"BIG TCP cannot be sent through a tap without GSO"

/*
 * ofd_kpath - how the kernel engine gets TX case @c into the kernel through
 * a tap of MTU @mtu (the kernel engine passes its tap's, the model
 * OFD_TAP_MAX_MTU, so both draw the same line).
 */
static inline enum ofd_kpath ofd_kpath(const struct ofd_case *c,
				       unsigned int mtu)
{
	const struct ofd_vnet_hdr *h = &c->req.vnet;
	uint32_t len = c->pkts[0].len, room = mtu + 14;
	const uint8_t *d = c->pkts[0].data;

	if (c->req.kind != OFD_REQ_LEGACY || h->gso_type != OFD_VNET_GSO_NONE)
		return OFD_KPATH_PLAIN;
	if (len >= 14 && d[12] == 0x81 && d[13] == 0x00)
		room += 4;
	if (len <= room)
		return OFD_KPATH_PLAIN;
	if (h->csum_offset == 16 && (uint32_t)h->csum_start + 20 <= len &&
	    len - h->csum_start - 20 <= OFD_KPATH_GSO_SIZE)
		return OFD_KPATH_NOT_GSO;
	return OFD_KPATH_NONE;
}

/* ------------------------------------------------------------------ */
/* Engines                                                             */
/* ------------------------------------------------------------------ */

#define OFD_F_REFERENCE 0x1 /* may serve as the reference (model, kernel) */
#define OFD_F_DEVICE 0x2    /* stands for a device: only sees requests the
			     * reference accepted at submit */
#define OFD_F_ISOLATE 0x4   /* outside code (plugins): runs in a child
			     * process unless its entry says isolate: off */

/*
 * Keys every engine takes besides its own (harness/registry.c):
 *   isolate     on|off: run the engine in a child process
 *               (harness/run/isolate.c); a crash, a hang or a malformed
 *               result is a target-fault verdict for that case and the
 *               campaign goes on with a fresh child. Default: on for
 *               OFD_F_ISOLATE engines, off otherwise.
 *   timeout_ms  how long an isolated engine may work on one case before it
 *               counts as hung (default OFD_ISOLATE_TIMEOUT_MS).
 * The registry takes them out of ofd_engine_opts.params before the
 * engine's own open() sees them.
 */
#define OFD_ISOLATE_TIMEOUT_MS 10000

/*
 * An engine-specific setting: a key of a spec's target entry besides
 * `engine` and `profile`, or of `-t ENGINE:key=value,...` (iface's port and
 * peer, capture's file). Each engine lists the keys it takes (ops->params);
 * an unknown key is a usage error at its YAML line:col.
 */
struct ofd_engine_param {
	const char *key, *value;
};

/* A key an engine takes, with the one line `offdiff engine list -v` and
 * the error for a misspelt key print. */
struct ofd_engine_param_doc {
	const char *key, *help;
};

/* What an engine is opened with. profile/params are engine-specific. */
struct ofd_engine_opts {
	const char *profile;     /* emu: profile name or path */
	const char *profile_dir; /* where profile names are looked up */
	unsigned int caps;       /* offloads the campaign will ask for */
	const struct ofd_engine_param *params;
	unsigned int nparams;
	const char *base_dir;    /* relative paths in params: the spec's
				  * folder; NULL: the working directory */
};

/* The value of params' @key (the last one given wins), or NULL. */
const char *ofd_engine_param(const struct ofd_engine_opts *o, const char *key);

/*
 * A device behind an engine (iface, the virtual NIC): which port it drove
 * and ethtool's driver info for it, so every report says what was tested.
 * Empty strings for engines that are not a device.
 */
struct ofd_device_id {
	char port[32];       /* "enp3s0f0" */
	char netns[64];      /* the named namespace it lives in, "" for ours */
	char driver[32];     /* ethtool -i: driver */
	char driver_version[32];
	char fw_version[64]; /* firmware-version */
	char bus_info[64];   /* "0000:03:00.0" */
	char peer[64];       /* where its wire was read: "enp3s0f1",
			      * "ssh host:eth1", "loopback" */
};

/* What an engine tells about itself, for reports and the allow-list. */
struct ofd_engine_info {
	char name[32];
	char version[128];  /* "Linux 6.18.44", "model 0.1 (Linux 6.18)" */
	char profile[64];
	struct ofd_device_id device;
	/* A programmable engine's program (`offdiff target query`): its name
	 * and version ("ofd_dissector 1") and the SHA-256 of its IR for the
	 * BPF target in 64 hex digits (targets/progs/ir_sha256.sh), the same
	 * for every image built from one source. Empty for fixed-function
	 * engines, whose identity is version and device. */
	char program[64];
	char program_hash[65];
};

/*
 * struct ofd_engine_ops - one table for every reference and target.
 *
 * @name:  CLI name ("model", "kernel", "emu").
 * @desc:  one line for `offdiff engine list`.
 * @flags: OFD_F_*.
 * @caps:  OFD_CAP(offload) bits this engine can execute at all.
 * @offload_caps: optional, instead of @caps for engines whose offloads are
 *         per-offload files found at link time (model, emu).
 * @probe: optional. 0 when the engine can run here, -EPERM/-ENODEV/... with
 *         a message in @why (why_len bytes) otherwise. Exit code 3 follows.
 * @open:  create the engine's private state in *priv.
 * @run:   execute n cases. results[i] belongs to cases[i]; each slot was
 *         reset by the caller. Return 0 when every slot is filled (a case
 *         the engine refused is a filled slot), negative errno only when the
 *         engine itself broke (the run stops with exit code 3).
 * @info:  optional: fill *info.
 * @close: free priv.
 * @params: optional, NULL-terminated: the keys a target entry may carry
 *         besides engine and profile (ofd_engine_opts.params).
 * @tally: optional: one line of what the engine counted that no verdict
 *         holds (frames off a wire no case claimed, cases with no output),
 *         asked once the run's cases are done, for the report.
 * @consequence: optional (a reference with a host stack: the kernel). Hand
 *         frame @f, which a target delivered on receive, with its receive
 *         metadata to the engine's own stack as a NIC driver would, and
 *         write one line of what the stack did with it (accepted, dropped
 *         and by which counter, what a socket read) into @buf. Asked only
 *         for a critical receive-side finding, off the hot path. 0, or
 *         -errno when the stack cannot be asked.
 *
 * A case the engine cannot do is OFD_RES_UNSUPPORTED: skipped, not failed.
 */
struct ofd_engine_ops {
	const char *name;
	const char *desc;
	unsigned int flags;
	unsigned int caps;
	unsigned int (*offload_caps)(void);
	int (*probe)(char *why, size_t why_len);
	int (*open)(const struct ofd_engine_opts *opts, void **priv);
	int (*run)(void *priv, const struct ofd_case *cases,
		   struct ofd_result *const *results, unsigned int n);
	void (*info)(void *priv, struct ofd_engine_info *info);
	void (*close)(void *priv);
	const struct ofd_engine_param_doc *params;
	void (*tally)(void *priv, char *buf, size_t len);
	int (*consequence)(void *priv, const struct ofd_frame *f, char *buf, size_t len);
};

/* 0 when every key of @params is one @ops takes; -EINVAL with a one-line
 * message naming the key and the keys it takes otherwise. */
int ofd_engine_check_params(const struct ofd_engine_ops *ops,
			    const struct ofd_engine_param *params, unsigned int n,
			    char *msg, size_t msg_len);

/* The offloads engine ops can execute (OFD_CAP bits). */
unsigned int ofd_engine_caps(const struct ofd_engine_ops *ops);

/* Registry (harness/engines.def). NULL when unknown. */
const struct ofd_engine_ops *ofd_engine_find(const char *name);
const struct ofd_engine_ops *const *ofd_engine_list(size_t *n);

/* An opened engine. */
struct ofd_engine {
	const struct ofd_engine_ops *ops;
	void *priv;
	struct ofd_engine_info info;
};
/* Probe and open; on failure msg holds a one-line reason. -ENOENT for an
 * unknown name. */
int ofd_engine__open(const char *name, const struct ofd_engine_opts *opts,
		     struct ofd_engine **out, char *msg, size_t msg_len);
/* ofd_engine__open() for the reference: -EINVAL, with msg, for an engine
 * without OFD_F_REFERENCE (every command opens its reference through it). */
int ofd_engine__open_reference(const char *name, const struct ofd_engine_opts *opts,
			       struct ofd_engine **out, char *msg, size_t msg_len);
void ofd_engine__close(struct ofd_engine *e);

/* ------------------------------------------------------------------ */
/* Verdicts                                                            */
/* ------------------------------------------------------------------ */

enum ofd_verdict {
	OFD_V_EQUAL = 0,
	OFD_V_DISCREPANCY,
	OFD_V_BOTH_REJECTED,
	OFD_V_ONE_REJECTED,
	OFD_V_TARGET_FAULT,
	OFD_V_UNSUPPORTED,
	OFD_V__MAX,
};
const char *ofd_verdict_name(enum ofd_verdict v);

enum ofd_severity {
	OFD_SEV_NONE = 0,
	OFD_SEV_BENIGN,
	OFD_SEV_CRITICAL,
};
const char *ofd_severity_name(enum ofd_severity s);

/* ------------------------------------------------------------------ */
/* Logging                                                             */
/* ------------------------------------------------------------------ */

enum ofd_log_level { OFD_WARN = 0, OFD_INFO, OFD_DEBUG };
typedef void (*ofd_print_fn)(enum ofd_log_level lvl, const char *fmt,
			     va_list ap);
ofd_print_fn ofd_set_print(ofd_print_fn fn);
void ofd_pr(enum ofd_log_level lvl, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
#define ofd_pr_warn(...) ofd_pr(OFD_WARN, __VA_ARGS__)
#define ofd_pr_info(...) ofd_pr(OFD_INFO, __VA_ARGS__)
#define ofd_pr_debug(...) ofd_pr(OFD_DEBUG, __VA_ARGS__)

/* ------------------------------------------------------------------ */
/* Bounds-checked byte access                                          */
/* ------------------------------------------------------------------ */

/* Read big-endian fields; -EBADMSG when [off, off + n) is not inside len. */
static inline int ofd_get_u8(const uint8_t *p, uint32_t len, uint32_t off,
			     uint8_t *v)
{
	if (off >= len)
		return -EBADMSG;
	*v = p[off];
	return 0;
}

static inline int ofd_get_be16(const uint8_t *p, uint32_t len, uint32_t off,
			       uint16_t *v)
{
	if (len < 2 || off > len - 2)
		return -EBADMSG;
	*v = (uint16_t)(p[off] << 8 | p[off + 1]);
	return 0;
}

static inline int ofd_get_be32(const uint8_t *p, uint32_t len, uint32_t off,
			       uint32_t *v)
{
	if (len < 4 || off > len - 4)
		return -EBADMSG;
	*v = (uint32_t)p[off] << 24 | (uint32_t)p[off + 1] << 16 |
	     (uint32_t)p[off + 2] << 8 | p[off + 3];
	return 0;
}

static inline void ofd_put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline void ofd_put_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

#endif /* OFD_H */
