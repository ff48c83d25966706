/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * emu_internal.h - what targets/emu/emu.c and targets/emu/profile.c share, and
 * what the emulator's unit tests reach into.
 */
#ifndef OFD_EMU_INTERNAL_H
#define OFD_EMU_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "ofd.h"
#include "ofd_emu.h"

/*
 * A profile has one section per offload: a YAML mapping of that offload's
 * knobs. tx-csum's is spelled `knobs:` (the first profiles had no other);
 * every later offload's is keyed by its name (`tso:`). Each section is a
 * table of its own (profile_txcsum.c, profile_tso.c) that profile.c walks
 * without knowing its knobs, so an offload adds its section without
 * touching another's.
 */

/* tx-csum knob indices: the order of its section and of `show`. */
enum emu_knob {
	EMU_KNOB_DADDR = 0,  /* pseudo_header_daddr */
	EMU_KNOB_EXTHDR,     /* ipv6_extension_headers */
	EMU_KNOB_ZERO,       /* zero_checksum */
	EMU_KNOB_TAIL,       /* tail_window */
	EMU_KNOB_TUNNEL,     /* tunnel_checksum */
	EMU_KNOB__MAX,
};

/* tso knob indices (profile_tso.c). */
enum emu_tso_knob {
	EMU_TSO_PSH_FIN = 0, /* psh_fin */
	EMU_TSO_CWR,         /* cwr */
	EMU_TSO_IPV4_ID,     /* ipv4_id */
	EMU_TSO_EXTHDR,      /* ipv6_extension_headers */
	EMU_TSO_PSEUDO_LEN,  /* pseudo_header_length */
	EMU_TSO_LAST_LEN,    /* last_segment_length */
	EMU_TSO_OUTER_LEN,   /* outer_udp_length */
	EMU_TSO_OUTER_CSUM,  /* outer_udp_checksum */
	EMU_TSO__MAX,
};

/* gro knob indices (profile_gro.c): one byte each in struct
 * emu_gro_knobs, in this order. */
enum emu_gro_knob {
	EMU_GRO_PSH = 0,     /* psh */
	EMU_GRO_TCP_OPTS,    /* tcp_options */
	EMU_GRO_IP_ID,       /* ipv4_id */
	EMU_GRO_TTL,         /* ttl */
	EMU_GRO_TOS,         /* tos */
	EMU_GRO_ECN,         /* ecn */
	EMU_GRO_SEQ,         /* sequence */
	EMU_GRO_UDP,         /* udp */
	EMU_GRO_GSO_SIZE,    /* gso_size */
	EMU_GRO_MAX_SEGS,    /* max_segs */
	EMU_GRO__MAX,
};

/* dissect knob indices (profile_dissect.c): one byte each in struct
 * emu_dissect_knobs, in this order. */
enum emu_dissect_knob {
	EMU_DIS_FRAG_PORTS = 0, /* fragment_ports */
	EMU_DIS_EXTHDR,         /* ipv6_extension_headers */
	EMU_DIS_TUNNEL,         /* tunnel_addresses */
	EMU_DIS_VLAN,           /* vlan_key */
	EMU_DIS_FLOW_LABEL,     /* flow_label */
	EMU_DIS__MAX,
};

/* What the flow dissector does; every 0 is the kernel's rule. Each maps
 * onto one member of struct ofd_dissect_rules (dissect.c). */
struct emu_dissect_knobs {
	uint8_t frag_ports; /* enum ofd_dissect_frag_ports */
	uint8_t exthdr;     /* 0 skipped, 1 not skipped */
	uint8_t tunnel;     /* 0 inner addresses, 1 outer */
	uint8_t vlan;       /* 0 first tag recorded, 1 no key */
	uint8_t flow_label; /* 0 recorded, 1 ignored */
};

/* rss knob indices (profile_rss.c): one byte each in struct
 * emu_rss_knobs, in this order. */
enum emu_rss_knob {
	EMU_RSS_FRAG_PORTS = 0, /* fragment_ports */
	EMU_RSS_TUNNEL,         /* tunnel_tuple */
	EMU_RSS_EXTHDR,         /* ipv6_extension_headers */
	EMU_RSS_XFRM,           /* input_xfrm */
	EMU_RSS__MAX,
};

/* How the device's receive hash bends the model's; every 0 is the
 * model. Each maps onto one member of struct ofd_rss_bends (rss.c). */
struct emu_rss_knobs {
	uint8_t frag_ports; /* 0 none, 1 hashed on fragments */
	uint8_t tunnel;     /* 0 inner tuple, 1 outer */
	uint8_t exthdr;     /* 0 skipped, 1 first one hashed as L4 */
	uint8_t xfrm;       /* 0 as configured, 1 sym-xor always */
};

/* What the coalescing engine does; every 0 is the kernel's rule. Each
 * choice maps onto one member of struct ofd_gro_rules (gro.c). */
struct emu_gro_knobs {
	uint8_t psh;       /* 0 ends the aggregate, 1 merges on across it */
	uint8_t tcp_opts;  /* 0 compared, 1 ignored */
	uint8_t ip_id;     /* 0 incrementing or fixed, 1 ignored */
	uint8_t ttl;       /* 0 compared, 1 ignored */
	uint8_t tos;       /* 0 compared, 1 ignored */
	uint8_t ecn;       /* 0 compared, 1 ignored */
	uint8_t seq;       /* 0 in order, 1 across holes */
	uint8_t udp;       /* enum ofd_gro_udp */
	uint8_t gso_size;  /* enum ofd_gro_gso_size */
	uint8_t max_segs;  /* segments per aggregate, 0 no limit (a number) */
};

/* rx-csum knob indices (profile_rx_csum.c): one byte each in struct
 * emu_rx_csum_knobs, in this order. */
enum emu_rx_csum_knob {
	EMU_RXC_MODE = 0,    /* mode */
	EMU_RXC_LEVEL,       /* csum_level */
	EMU_RXC_INNER,       /* inner_checksums */
	EMU_RXC_VLAN,        /* complete_vlan */
	EMU_RXC_PADDING,     /* complete_padding */
	EMU_RXC__MAX,
};

/* The receive checksum block (rx_csum.c); every 0 is a correct device
 * reporting CHECKSUM_UNNECESSARY. */
enum emu_rxc_mode { EMU_RXC_UNNECESSARY = 0, EMU_RXC_COMPLETE, EMU_RXC_NONE };
struct emu_rx_csum_knobs {
	uint8_t mode;     /* enum emu_rxc_mode */
	uint8_t level;    /* 0 consecutive valid - 1, 1 one more */
	uint8_t inner;    /* 0 verified, 1 trusted once the outer one is */
	uint8_t vlan;     /* 0 excluded from COMPLETE, 1 included */
	uint8_t padding;  /* 0 excluded from COMPLETE, 1 included */
};

/* What the TSO engine does; every 0 is the kernel's rule. */
enum emu_tso_psh { EMU_PSH_LAST = 0, EMU_PSH_EVERY };
enum emu_tso_cwr { EMU_CWR_FIRST = 0, EMU_CWR_EVERY };
enum emu_tso_id { EMU_ID_INCREMENT = 0, EMU_ID_FIXED, EMU_ID_INNER_ONLY };
enum emu_tso_exthdr { EMU_EXTHDR_PARSE = 0, EMU_EXTHDR_REFUSE };
enum emu_tso_pseudo { EMU_PSEUDO_REPLACED = 0, EMU_PSEUDO_KEPT,
		      EMU_PSEUDO_TWICE };
enum emu_tso_lastlen { EMU_LAST_ACTUAL = 0, EMU_LAST_FULL };
enum emu_tso_stale { EMU_OUTER_UPDATE = 0, EMU_OUTER_STALE };

struct emu_tso_knobs {
	uint8_t psh_fin;    /* enum emu_tso_psh */
	uint8_t cwr;        /* enum emu_tso_cwr */
	uint8_t ipv4_id;    /* enum emu_tso_id */
	uint8_t exthdr;     /* enum emu_tso_exthdr */
	uint8_t pseudo_len; /* enum emu_tso_pseudo */
	uint8_t last_len;   /* enum emu_tso_lastlen */
	uint8_t outer_len;  /* enum emu_tso_stale */
	uint8_t outer_csum; /* enum emu_tso_stale */
};

/* A loaded profile: the device's behaviour. Zero-initialised plus
 * ofdint_emu_profile_init() is the conformant device. */
struct ofdint_emu_profile {
	char name[64];
	char description[256];
	unsigned int ncatalogue;
	unsigned int catalogue[OFD_EMU_MAX_CATALOGUE];
	unsigned int set;       /* 1 << EMU_KNOB_*: given in the file */
	unsigned int tso_set;   /* 1 << EMU_TSO_*: given in the file */
	unsigned int gro_set;   /* 1 << EMU_GRO_*: given in the file */
	unsigned int dissect_set; /* 1 << EMU_DIS_*: given in the file */
	unsigned int rx_csum_set; /* 1 << EMU_RXC_*: given in the file */
	unsigned int rss_set;     /* 1 << EMU_RSS_*: given in the file */

	/* tx-csum */
	bool use_ipv6_dst;      /* pseudo-header uses the IPv6 daddr (#2) */
	bool ignore_exthdr;     /* L4 assumed at IPv6 + 40 (#1) */
	uint16_t zero_value;    /* what a computed 0 is sent as (#8) */
	uint32_t tail_window;   /* whole-word DMA near the frame end (#9) */
	bool tunnel_outer;      /* tunnel requests checksum the outer UDP (#3-5) */

	struct emu_tso_knobs tso;
	struct emu_gro_knobs gro;
	struct emu_dissect_knobs dissect;
	struct emu_rx_csum_knobs rx_csum;
	struct emu_rss_knobs rss;
};

/*
 * One offload's section of a profile. @key is the YAML key; @names its
 * knobs in `show` order (NULL-terminated, at most 32); @parse sets knob
 * @k from node @v (0 or -errno with a located message); @show writes knob
 * @k's effective value; @set points at the profile's bitmask of knobs the
 * file gave.
 */
struct ofd_ynode;
struct emu_section {
	const char *key;
	const char *const *names;
	unsigned int nknobs;
	int (*parse)(struct ofdint_emu_profile *p, unsigned int k,
		     const struct ofd_ynode *v, char *err, size_t err_len);
	void (*show)(const struct ofdint_emu_profile *p, unsigned int k,
		     char *buf, size_t len);
	unsigned int *(*set)(struct ofdint_emu_profile *p);
};

extern const struct emu_section ofdint_emu_section_tx_csum; /* profile_txcsum.c */
extern const struct emu_section ofdint_emu_section_tso;     /* profile_tso.c */
extern const struct emu_section ofdint_emu_section_gro;     /* profile_gro.c */
extern const struct emu_section ofdint_emu_section_dissect; /* profile_dissect.c */
extern const struct emu_section ofdint_emu_section_rx_csum; /* profile_rx_csum.c */
extern const struct emu_section ofdint_emu_section_rss;     /* profile_rss.c */

/* A string knob: one of nvals spellings, the first being the default;
 * *out the index. For the section tables. */
int ofdint_emu_knob_choice(const struct ofd_ynode *v, const char *knob,
			   const char *const *vals, unsigned int nvals,
			   uint8_t *out, char *err, size_t err_len);

/* The conformant device, named "conformant". */
void ofdint_emu_profile_init(struct ofdint_emu_profile *p);

/* Load a profile file / a profile text that claims to be file `file`
 * (the name check uses its base name). 0 or -errno with a located
 * message in err; *p is the conformant device on failure. */
int ofdint_emu_profile_load(const char *path, struct ofdint_emu_profile *p,
			    char *err, size_t err_len);
int ofdint_emu_profile_parse(const char *file, const char *text, size_t len,
			     struct ofdint_emu_profile *p, char *err,
			     size_t err_len);

/* One offload of the device (targets/emu/<id>.c exports ofd_emu_<id>, see
 * offloads.def): execute case c with profile p into r (reset by the
 * caller). */
struct emu_offload {
	void (*run)(const struct ofdint_emu_profile *p, const struct ofd_case *c,
		    struct ofd_result *r);
};

/* The tx-csum device (txcsum.c): one TX checksum case into r. */
void ofdint_emu_tx_csum(const struct ofdint_emu_profile *p,
			const struct ofd_case *c, struct ofd_result *r);
/* The tso device (tso.c): one segmentation case into r. */
void ofdint_emu_tso(const struct ofdint_emu_profile *p,
		    const struct ofd_case *c, struct ofd_result *r);

/* The coalescing engine (gro.c): one train into r. */
void ofdint_emu_gro(const struct ofdint_emu_profile *p,
		    const struct ofd_case *c, struct ofd_result *r);

/* The receive checksum block (rx_csum.c): one received frame into r. */
void ofdint_emu_rx_csum(const struct ofdint_emu_profile *p,
			const struct ofd_case *c, struct ofd_result *r);

#endif /* OFD_EMU_INTERNAL_H */
