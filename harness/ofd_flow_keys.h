/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_flow_keys.h - the dissect offload's output, one record for every
 * engine that dissects: the model of __skb_flow_dissect with the default
 * flow_keys dissector (kernel-rx.md 5.1-5.2), the BPF flow dissector run
 * in the kernel (BPF_PROG_TEST_RUN, 5.4) and the same program built
 * natively. An engine answers a dissect case with one result frame whose
 * bytes are this record in its wire form (ofd_flow_keys_put: every
 * multi-byte field big-endian, OFD_FLOW_KEYS_LEN bytes), so results cross
 * the plugin and isolation boundaries as bytes, and the diff names a
 * differing field from ofd_flow_keys_fields[] instead of a packet layer.
 *
 * Which fields an engine fills is part of what it is: the BPF dissector
 * fills no VLAN or GRE key (5.4, __skb_flow_bpf_to_target), the C
 * dissector fills no ports for a first fragment. `have` says which ones
 * were filled, so a comparison covers only the fields both sides fill
 * (the others are reported as not compared, never as equal).
 */
#ifndef OFD_FLOW_KEYS_H
#define OFD_FLOW_KEYS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* control flags (FLOW_DIS_* of the kernel, bpf_flow_keys is_* fields) */
#define OFD_FK_IS_FRAGMENT (1u << 0)
#define OFD_FK_FIRST_FRAG (1u << 1)
#define OFD_FK_ENCAPSULATION (1u << 2)

/* input flags (FLOW_DISSECTOR_F_*, BPF_FLOW_DISSECTOR_F_*) */
#define OFD_FK_F_PARSE_1ST_FRAG (1u << 0)
#define OFD_FK_F_STOP_AT_FLOW_LABEL (1u << 1)
#define OFD_FK_F_STOP_AT_ENCAP (1u << 2)

/* have: the groups of fields an engine filled */
#define OFD_FK_HAVE_BASIC (1u << 0)  /* status, nhoff, thoff, n_proto, ip_proto, flags */
#define OFD_FK_HAVE_ADDRS (1u << 1)  /* addr_proto, src, dst */
#define OFD_FK_HAVE_PORTS (1u << 2)  /* sport, dport */
#define OFD_FK_HAVE_FLOW_LABEL (1u << 3)
#define OFD_FK_HAVE_VLAN (1u << 4)   /* vlan_id, vlan_prio, vlan_tpid */
#define OFD_FK_HAVE_GRE_KEYID (1u << 5)

enum ofd_fk_status {
	OFD_FK_GOOD = 0,  /* the dissector returned true / BPF_OK */
	OFD_FK_BAD,       /* false / a BPF program's BPF_DROP */
};

struct ofd_flow_keys {
	uint8_t status;      /* enum ofd_fk_status */
	uint8_t have;        /* OFD_FK_HAVE_* */
	uint8_t flags;       /* OFD_FK_IS_FRAGMENT, ... (control) */
	uint8_t ip_proto;
	uint16_t nhoff;      /* network header offset where it ended */
	uint16_t thoff;      /* transport header offset (control.thoff) */
	uint16_t n_proto;    /* the last L3 ethertype (host order) */
	uint16_t addr_proto; /* 0x0800, 0x86dd, or 0 (no addresses) */
	uint8_t src[16], dst[16]; /* IPv4 in the first 4 bytes, wire order */
	uint16_t sport, dport;    /* host order */
	uint32_t flow_label;      /* 20 bits, host order */
	uint16_t vlan_id;
	uint8_t vlan_prio;
	uint8_t pad;
	uint16_t vlan_tpid;
	uint32_t gre_keyid;       /* host order */
};

/* Wire form: 1+1+1+1 + 2*4 + 16+16 + 2*2 + 4 + 2+1+1+2 + 4 */
#define OFD_FLOW_KEYS_LEN 62

void ofd_flow_keys_put(const struct ofd_flow_keys *k, uint8_t out[OFD_FLOW_KEYS_LEN]);
/* 0, or -EINVAL when len is not OFD_FLOW_KEYS_LEN */
int ofd_flow_keys_get(const uint8_t *in, size_t len, struct ofd_flow_keys *k);

/* The fields, for the diff: name ("ports.src"), the have group it
 * belongs to, and how to print its value from a record. */
struct ofd_flow_keys_field {
	const char *name;
	uint8_t have;
	int (*print)(const struct ofd_flow_keys *k, char *buf, size_t len);
};
extern const struct ofd_flow_keys_field ofd_flow_keys_fields[];
extern const unsigned int ofd_flow_keys_nfields;

#endif
