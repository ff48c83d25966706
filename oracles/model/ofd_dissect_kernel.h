/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_dissect_kernel.h - the model's flow keys against the running
 * kernel's built-in flow dissector (dissect_kernel.c, issue 21), judged
 * through the rx hash the kernel engine reads back (ofd_kernel_flowdis.h):
 * a frame's hash against that of a probe frame built from the model's
 * keys, or, with no probe, the built-in hash against our BPF dissector's
 * when the model and it agree on the hashed keys. The method and its
 * limits: docs/dissect-vs-kernel.md.
 */
#ifndef OFD_DISSECT_KERNEL_H
#define OFD_DISSECT_KERNEL_H

#include <stdbool.h>
#include <stdint.h>

#include "ofd.h"
#include "ofd_flow_keys.h"

enum ofd_sd_verdict {
	OFD_SD_AGREE,
	OFD_SD_DISAGREE,
	OFD_SD_KNOWN,     /* differ as a listed cause says, and only so */
	OFD_SD_UNDECIDED,
	OFD_SD_SKIPPED,
	OFD_SD__N
};
enum ofd_sd_method { OFD_SD_PROBE, OFD_SD_BPF };
struct ofd_sd_item {
	const uint8_t *frame;  /* in: the frame */
	uint32_t len;
	struct ofd_flow_keys k; /* the model's keys, or given with have_k */
	bool have_k;
	bool no_probe;         /* in: straight to the BPF fallback (tests) */
	bool known;            /* probed with a known cause's keys */
	uint8_t verdict;       /* out: enum ofd_sd_verdict */
	uint8_t method;        /* enum ofd_sd_method */
	const char *why;       /* undecided, skipped: a static reason */
	const char *field;     /* disagree: the hashed field the probes name */
	uint8_t probe[160];
	uint32_t plen;
	uint32_t hf, hp;       /* the frame's hash, the probe's (or BPF's) */
};
struct ofd_bpfimg;
/* The canonical probe of keys @k (vlan_etype: the first tag's inner
 * ethertype): 0, or -EOPNOTSUPP with *why. */
int ofd_sd_probe(const struct ofd_flow_keys *k, uint16_t vlan_etype, uint8_t *p,
		 uint32_t cap, uint32_t *plen, const char **why);
uint16_t ofd_sd_vlan_etype(const uint8_t *f, uint32_t len);
/* NULL when the fields the hash covers are equal in @a and @b (their
 * order as stored: no __flow_hash_consistentify), else the first apart. */
const char *ofd_sd_hashed_diff(const struct ofd_flow_keys *a, const struct ofd_flow_keys *b);
/* Judge @n items on the kernel engine @e (@bpf optional: the fallback);
 * 0 or -errno of the kernel calls (*why). */
int ofd_sd_judge(struct ofd_engine *e, struct ofd_sd_item *it, unsigned int n,
		 struct ofd_bpfimg *bpf, const char **why);

#endif /* OFD_DISSECT_KERNEL_H */
