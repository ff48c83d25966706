/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_spec.h - campaign specs (specs/<name>.yaml).
 *
 *   name: default
 *   description: TX checksum offload on the bundled corpus
 *   reference: model                 # or kernel
 *   offloads: [tx-csum]
 *   requests: [vnet, legacy]         # request kinds derived per frame
 *   corpus: [../corpus/tx-csum/base.pcap, ...]
 *   profile_dir: profiles            # default: profiles beside the spec
 *   targets:
 *     - engine: emu
 *       profile: conformant
 *   mask: [ipv4.id]                  # fields that are "don't care"
 *   overrides:                       # request fields for single packets
 *     - file: corpus/tx-csum/base.pcap   # optional: any file
 *       packet: 3
 *       kind: vnet                   # optional: which derived request
 *       csum_start: 34
 *       csum_offset: 16
 *       flags: 1
 *       gso_type: 0
 *       gso_size: 0
 *       hdr_len: 0
 *   gso_sizes: [1, 1448, payload, payload+1]   # tso: the gso_size sweep
 *   gro_flush_gap_us: 1000      # gro: a pcap gap this long ends a NAPI batch
 *   gro_train_gap_us: 1000000   # gro: and this long, a train
 *
 * Relative paths (corpus, profile_dir, override files) are relative to the
 * spec file's directory, so a spec works from any working directory;
 * absolute ones are taken as they are. A path that is not there is looked
 * for relative to the directory offdiff runs in, as specs written before
 * this rule expect.
 */
#ifndef OFD_SPEC_H
#define OFD_SPEC_H

#include <stdint.h>
#include "ofd.h"

struct ofd_spec_target {
	char *engine;
	char *profile; /* NULL when the engine takes none */
	int line, col;
	/* The entry's other keys, which the engine takes (ops->params):
	 * iface's port and peer, capture's file. */
	struct ofd_engine_param *params;
	unsigned int nparams;
};

#define OFD_OVR_CSUM_START (1u << 0)
#define OFD_OVR_CSUM_OFFSET (1u << 1)
#define OFD_OVR_FLAGS (1u << 2)
#define OFD_OVR_GSO_TYPE (1u << 3)
#define OFD_OVR_GSO_SIZE (1u << 4)
#define OFD_OVR_HDR_LEN (1u << 5)

struct ofd_spec_override {
	char *file;        /* NULL: applies to that packet index of every file */
	uint32_t packet;
	int kind;          /* -1 any, else enum ofd_req_kind */
	uint32_t set;      /* OFD_OVR_* */
	struct ofd_vnet_hdr vnet;
	int line, col;     /* of the override, for later errors */
};

/* gso_sizes items that stand for the frame's payload (+ 1). */
#define OFD_SPEC_GSO_PAYLOAD 0x10000u
#define OFD_SPEC_GSO_PAYLOAD_PLUS1 0x10001u
#define OFD_SPEC_MAX_GSO_SIZES 32

struct ofd_spec {
	char *path;
	char *name;
	char *description;
	char *reference;   /* default "model" */
	unsigned int offloads; /* OFD_CAP() bits; default tx-csum */
	unsigned int requests; /* 1u << enum ofd_req_kind; default both */
	size_t ncorpus;
	char **corpus;     /* paths as resolved (exist at load time) */
	unsigned int *corpus_offloads; /* per path: OFD_CAP bits of the
				    * offloads that use it, 0 for every one */
	size_t ntargets;
	struct ofd_spec_target *targets;
	size_t nmask;
	char **mask;
	size_t noverrides;
	struct ofd_spec_override *overrides;
	char *profile_dir; /* resolved; default <spec dir>/profiles */
	char *dir;         /* the spec file's directory: targets' relative
			    * paths (a capture's file) start here */
	/* tso: the gso_size sweep (0..0xffff or OFD_SPEC_GSO_PAYLOAD*),
	 * NULL for the offload's own */
	size_t ngso_sizes;
	uint32_t *gso_sizes;
	/* gro: the timestamp gaps (µs) that end a NAPI batch and a train
	 * in a pcap (cases/ofd_gro.h); 0 for the defaults, 1 ms and 1 s */
	uint32_t gro_flush_gap_us, gro_train_gap_us;
};

/* Load and validate. Errors: "specs/x.yaml:7:3: ..." in err, -EINVAL;
 * -ENOENT for a missing file or corpus path. */
int ofd_spec_load(const char *path, struct ofd_spec **out, char *err,
		  size_t err_len);
/* The same from memory (the fuzzer): text is the file's content, path the
 * name it would have, for messages and relative paths. */
int ofd_spec_parse(const char *path, const char *text, size_t len,
		   struct ofd_spec **out, char *err, size_t err_len);
/* The same, with cwd standing for the directory offdiff runs in when a path
 * is not relative to the spec's (a resumed run passes the directory the run
 * started in); NULL: the current directory. */
int ofd_spec_load_from(const char *path, const char *cwd, struct ofd_spec **out,
		       char *err, size_t err_len);

/*
 * Bundled data (specs/default.yaml, specs/profiles/, corpus/): the first of
 *   $OFFDIFF_DATADIR (when set, the only place looked in),
 *   the source tree the running binary was built in (<exe>/.., with harness/),
 *   <exe>/../share/offdiff (an installed tree, wherever DESTDIR put it),
 *   OFD_DATADIR, compiled in ($(PREFIX)/share/offdiff),
 * that holds rel. Writes "<dir>/<rel>" to buf; -ENOENT if none does, with
 * rel itself in buf (relative to the current directory, as a last try).
 */
int ofd_datadir_find(const char *rel, char *buf, size_t len);
void ofd_spec_free(struct ofd_spec *s);

/* The offloads (OFD_CAP bits) that derive cases from corpus file `path`
 * (as the spec resolved it): every one (~0u) unless the spec's corpus
 * entry names them, or without a spec. */
unsigned int ofd_spec_file_offloads(const struct ofd_spec *s, const char *path);

/* A mask entry a spec or case file may hold: a field the diff can name
 * ("ipv4.id", "tcp.flags.psh"), optionally for one offload only
 * ("tso:ipv4.id"). */
bool ofd_mask_entry_known(const char *entry);

#endif
