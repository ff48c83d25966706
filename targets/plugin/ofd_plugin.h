/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_plugin.h - the plugin ABI: a device model offdiff loads as a target.
 *
 * A vendor's C model, an SDK's software path, a P4 model's shim or a
 * library such as DPDK's software offloads becomes an offdiff target by
 * being built as a shared object that exports one function:
 *
 *     const struct ofd_plugin *ofd_plugin_v1(void);
 *
 * and is run with `offdiff run -t plugin:path=./my_model.so`. This header is
 * the whole contract: it includes nothing of offdiff's own headers, so a
 * plugin is built with a C compiler and this file alone (make install puts
 * it in <includedir>/offdiff/), and offdiff's internals can change without
 * breaking a plugin.
 *
 * Stability rules (docs/plugin-abi.md):
 *  - OFD_PLUGIN_ABI_VERSION changes only when a change would break a built
 *    plugin; the host refuses a plugin of another major version by name.
 *  - Every struct that crosses the boundary starts with `size`, the size the
 *    writer was built with. Fields are only ever appended; a reader uses a
 *    field only when `size` covers it (OFD_PLUGIN_HAS), so an old plugin
 *    runs in a new offdiff and a new plugin in an old offdiff.
 *  - Numbers (offloads, statuses, request bits) never change meaning.
 *
 * The plugin never allocates for the host and never frees what the host
 * gave it: the host owns the case bytes (read-only), the output buffer and
 * the frame table. The host runs the plugin in a child process by default
 * (a crash, a hang or a malformed result is a `target-fault` verdict for that
 * case, and the campaign continues with a fresh process), so a plugin may be
 * as trusting of itself as a C model usually is; it must only never write
 * outside what it was given.
 */
#ifndef OFD_PLUGIN_H
#define OFD_PLUGIN_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define OFD_PLUGIN_ABI_VERSION 1
/* The one symbol a plugin exports, versioned by name. */
#define OFD_PLUGIN_ENTRY_NAME "ofd_plugin_v1"

/* True when a struct of declared size `sz` covers member `m`. */
#define OFD_PLUGIN_HAS(s, m) \
	((s)->size >= offsetof(__typeof__(*(s)), m) + sizeof((s)->m))

/* Offloads, stable numbers (offdiff's own names in comments). */
enum ofd_plugin_offload {
	OFD_PLUGIN_TX_CSUM = 0, /* "tx-csum": checksum a CHECKSUM_PARTIAL frame */
	OFD_PLUGIN_TSO = 1,     /* "tso": segment a GSO super-packet */
	OFD_PLUGIN_GRO = 2,     /* "gro": coalesce a train (receive) */
	OFD_PLUGIN_RX_CSUM = 3, /* "rx-csum": judge a received checksum */
	OFD_PLUGIN_DISSECT = 4, /* "dissect": the flow dissector's keys */
	OFD_PLUGIN_RSS = 5,     /* "rss": receive hash and queue */
	OFD_PLUGIN_OFFLOAD_MAX
};
#define OFD_PLUGIN_CAP(off) (1u << (off))

/* ------------------------------------------------------------------ */
/* The request: what the stack hands the device                        */
/* ------------------------------------------------------------------ */

/*
 * struct virtio_net_hdr (include/uapi/linux/virtio_net.h) in host byte
 * order: where the checksum starts (csum_start, from the frame's first
 * byte) and where it is stored (csum_offset, from csum_start), the GSO type
 * and segment size, hdr_len.
 */
#define OFD_PLUGIN_VNET_F_NEEDS_CSUM 1
#define OFD_PLUGIN_VNET_GSO_NONE 0
#define OFD_PLUGIN_VNET_GSO_TCPV4 1
#define OFD_PLUGIN_VNET_GSO_UDP 3
#define OFD_PLUGIN_VNET_GSO_TCPV6 4
#define OFD_PLUGIN_VNET_GSO_UDP_L4 5
#define OFD_PLUGIN_VNET_GSO_ECN 0x80

struct ofd_plugin_vnet_hdr {
	uint8_t flags;
	uint8_t gso_type;
	uint16_t hdr_len;
	uint16_t gso_size;
	uint16_t csum_start;
	uint16_t csum_offset;
};

/*
 * Two ways a driver is asked to checksum (docs/plugin-abi.md, "requests"):
 *  GENERIC  (NETIF_F_HW_CSUM) "sum from csum_start to the end, store the
 *           folded sum at csum_start + csum_offset"; the field holds the
 *           pseudo-header sum the stack put there.
 *  PROTOCOL (NETIF_F_IP_CSUM/IPV6_CSUM) descriptor bits: "IPv4|IPv6,
 *           TCP|UDP|SCTP, maybe the inner headers of a tunnel"; the device
 *           parses the frame itself. vnet still carries the skb's
 *           csum_start/csum_offset, which a device may ignore.
 */
enum ofd_plugin_req_kind {
	OFD_PLUGIN_REQ_GENERIC = 0,
	OFD_PLUGIN_REQ_PROTOCOL = 1,
};
#define OFD_PLUGIN_PROTO_IPV4 0x01
#define OFD_PLUGIN_PROTO_IPV6 0x02
#define OFD_PLUGIN_PROTO_TCP 0x10
#define OFD_PLUGIN_PROTO_UDP 0x20
#define OFD_PLUGIN_PROTO_SCTP 0x40
#define OFD_PLUGIN_PROTO_TUNNEL 0x80 /* checksum the inner L4 */

enum ofd_plugin_csum_type {
	OFD_PLUGIN_CSUM_INET = 0,   /* RFC 1071 ones'-complement sum */
	OFD_PLUGIN_CSUM_CRC32C = 1, /* SCTP: CRC32c at csum_start + 8, LE */
};

/* skb_shinfo(skb)->gso_type bits (Linux's include/linux/skbuff.h) of a
 * segmentation request the stack built; 0 for a GENERIC request, whose
 * type is vnet.gso_type. */
#define OFD_PLUGIN_SKB_GSO_TCPV4 (1u << 0)
#define OFD_PLUGIN_SKB_GSO_TCP_ECN (1u << 2)
#define OFD_PLUGIN_SKB_GSO_TCPV6 (1u << 4)
#define OFD_PLUGIN_SKB_GSO_GRE (1u << 6)
#define OFD_PLUGIN_SKB_GSO_GRE_CSUM (1u << 7)
#define OFD_PLUGIN_SKB_GSO_IPXIP4 (1u << 8)
#define OFD_PLUGIN_SKB_GSO_IPXIP6 (1u << 9)
#define OFD_PLUGIN_SKB_GSO_UDP_TUNNEL (1u << 10)
#define OFD_PLUGIN_SKB_GSO_UDP_TUNNEL_CSUM (1u << 11)
#define OFD_PLUGIN_SKB_GSO_PARTIAL (1u << 12)
#define OFD_PLUGIN_SKB_GSO_UDP (1u << 16)
#define OFD_PLUGIN_SKB_GSO_UDP_L4 (1u << 17)
#define OFD_PLUGIN_SKB_GSO_TCP_ACCECN (1u << 19)
#define OFD_PLUGIN_SKB_GSO_TCP_FIXEDID (1u << 30)
#define OFD_PLUGIN_SKB_GSO_TCP_FIXEDID_INNER (1u << 31)

struct ofd_plugin_request {
	uint8_t kind;      /* enum ofd_plugin_req_kind */
	uint8_t csum_type; /* enum ofd_plugin_csum_type */
	uint8_t proto;     /* OFD_PLUGIN_PROTO_* of a PROTOCOL request */
	uint8_t pad;
	struct ofd_plugin_vnet_hdr vnet;
	uint32_t skb_gso;  /* OFD_PLUGIN_SKB_GSO_* of a PROTOCOL request */
};

/* ------------------------------------------------------------------ */
/* The case                                                            */
/* ------------------------------------------------------------------ */

#define OFD_PLUGIN_PKT_F_FLUSH_AFTER 0x1 /* gro: batch boundary after it */

struct ofd_plugin_pkt {
	const uint8_t *data; /* read-only; exactly len bytes are readable */
	uint32_t len;
	uint32_t flags;
};

struct ofd_plugin_case {
	uint32_t size;     /* sizeof(struct ofd_plugin_case) of the host */
	uint32_t offload;  /* enum ofd_plugin_offload */
	uint64_t id;       /* the case id reports print */
	uint32_t npkts;    /* 1 for transmit offloads, a train for gro */
	uint32_t pad;
	const struct ofd_plugin_pkt *pkts;
	struct ofd_plugin_request req;
};

/* ------------------------------------------------------------------ */
/* The result                                                          */
/* ------------------------------------------------------------------ */

enum ofd_plugin_status {
	OFD_PLUGIN_OK = 0,          /* frames[0, nframes) hold the output */
	OFD_PLUGIN_REJECTED = 1,    /* the device refused the request */
	OFD_PLUGIN_UNSUPPORTED = 2, /* the model cannot do this case: a skip,
				     * say why in detail */
};

/* Receive-side metadata of an output frame, for the offloads that have
 * it (gro's merged frame, rx-csum, rss); `has` says which fields are set. */
#define OFD_PLUGIN_META_GSO (1u << 0)
#define OFD_PLUGIN_META_CSUM (1u << 1)
#define OFD_PLUGIN_META_HASH (1u << 2)
enum ofd_plugin_csum_state {
	OFD_PLUGIN_CSUM_NONE = 0,
	OFD_PLUGIN_CSUM_UNNECESSARY = 1,
	OFD_PLUGIN_CSUM_COMPLETE = 2,
	/* CHECKSUM_PARTIAL (a merged gro frame as Linux hands it up: the L4
	 * checksum field holds the pseudo-header sum): csum_value is
	 * csum_start (from the frame's first byte) | csum_offset << 16. */
	OFD_PLUGIN_CSUM_PARTIAL = 3,
};
struct ofd_plugin_meta {
	uint32_t has;
	uint16_t gso_size;   /* META_GSO: a merged frame's gso_size */
	uint16_t gso_segs;
	uint32_t gso_type;   /* OFD_PLUGIN_SKB_GSO_*: TCPV4, TCPV6, UDP_L4, TCP_ECN
			      * reach the virtio_net_hdr offdiff compares */
	uint8_t csum_state;  /* META_CSUM */
	uint8_t csum_level;
	uint16_t pad;
	uint32_t csum_value; /* CHECKSUM_COMPLETE's sum */
	uint32_t rxhash;     /* META_HASH */
	uint32_t hash_type;
};

/* One output frame: bytes [off, off + len) of the result's buffer. */
struct ofd_plugin_frame {
	uint32_t off;
	uint32_t len;
	struct ofd_plugin_meta meta;
};

/*
 * Filled by the plugin's run(). The host sets size, buf, buf_cap, frames,
 * max_frames and zeroes the rest; the plugin writes output bytes into
 * buf[0, buf_cap) and describes each frame in frames[0, max_frames). A
 * result that breaks these bounds, names an unknown status or leaves
 * detail unterminated is a `target-fault` ("malformed result: ..."), never
 * read further.
 */
struct ofd_plugin_result {
	uint32_t size;       /* host: sizeof(struct ofd_plugin_result) */
	uint32_t status;     /* plugin: enum ofd_plugin_status */
	uint8_t *buf;        /* host: where output bytes go */
	uint32_t buf_cap;
	uint32_t max_frames;
	struct ofd_plugin_frame *frames; /* host: max_frames entries */
	uint32_t nframes;    /* plugin */
	uint32_t pad;
	char detail[128];    /* plugin: why REJECTED or UNSUPPORTED, one line */
};

/* ------------------------------------------------------------------ */
/* The plugin                                                          */
/* ------------------------------------------------------------------ */

/* A setting from the target entry (`-t plugin:path=x.so,key=value`, or a
 * spec's target keys); keys the plugin does not list in params are
 * refused by the host before open. */
struct ofd_plugin_param {
	const char *key, *value;
};
struct ofd_plugin_param_doc {
	const char *key, *help;
};

struct ofd_plugin_open_opts {
	uint32_t size;  /* sizeof(struct ofd_plugin_open_opts) of the host */
	uint32_t nparams;
	const struct ofd_plugin_param *params;
	/* Folder relative paths in params are resolved against (the spec's),
	 * NULL for the working directory. */
	const char *base_dir;
	/* Offloads the campaign asks for (OFD_PLUGIN_CAP bits). */
	uint32_t offloads;
	uint32_t pad;
};

/* What a plugin tells about itself, for reports and the allow-list: the
 * model it runs and that model's version, or a program hash for
 * programmable devices (a P4 program, a BPF object). */
struct ofd_plugin_identity {
	uint32_t size;       /* host: sizeof(struct ofd_plugin_identity) */
	uint32_t pad;
	char model[64];      /* "DPDK 22.11.11 rte_net + rte_gso" */
	char version[64];
	char program_hash[72]; /* "sha256:..." or "" */
};

struct ofd_plugin {
	uint32_t size;        /* sizeof(struct ofd_plugin) the plugin was built with */
	uint32_t abi_version; /* OFD_PLUGIN_ABI_VERSION */
	const char *name;     /* short, [a-z0-9_-]: "dpdk" */
	const char *desc;     /* one line for `offdiff engine list` */
	uint32_t offloads;    /* OFD_PLUGIN_CAP bits it implements */
	uint32_t pad;
	const struct ofd_plugin_param_doc *params; /* NULL-key terminated, or NULL */

	/* 0, or a negative errno with one line in err. Called once per
	 * process the host starts. */
	int (*open)(const struct ofd_plugin_open_opts *opts, void **priv,
		    char *err, size_t err_len);
	/* One case. Return 0 with r filled; a negative errno means the model
	 * itself broke on this case (a target-fault for it). */
	int (*run)(void *priv, const struct ofd_plugin_case *c,
		   struct ofd_plugin_result *r);
	/* Optional. */
	void (*identity)(void *priv, struct ofd_plugin_identity *id);
	void (*close)(void *priv);
};

typedef const struct ofd_plugin *(*ofd_plugin_entry_fn)(void);

/* Mark the entry so it stays visible in a -fvisibility=hidden build:
 *     OFD_PLUGIN_EXPORT const struct ofd_plugin *ofd_plugin_v1(void) */
#define OFD_PLUGIN_EXPORT __attribute__((visibility("default")))

/* The entry every plugin defines. */
OFD_PLUGIN_EXPORT const struct ofd_plugin *ofd_plugin_v1(void);

#ifdef __cplusplus
}
#endif
#endif /* OFD_PLUGIN_H */
