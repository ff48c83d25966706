/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_corpus_gen.h - the bundled corpus, generated: the frame walk every
 * offload's scenarios share, tx-csum's scenarios (corpus_txcsum.c), and
 * the writer (corpus_write.c).
 *
 * `offdiff corpus gen` writes these files byte for byte (fixed timestamps:
 * packet i is stamped i seconds; gro's files stamp gaps that encode their
 * trains, see ofd_gro.h), so the committed corpus/tx-csum/ can be
 * checked against the generator:
 *
 *   tx-csum/base.pcap     L2 {plain, 802.1Q, QinQ} x L3 {IPv4, IPv4 with
 *                         options (4-byte NOP/EOL, 8-byte timestamp),
 *                         IPv6} x L4 {TCP, UDP, SCTP} x payload
 *                         {0, 1, 2, 333, 1460, 9000}
 *   tx-csum/ipv6-ext.pcap IPv6 extension-header chains (HBH, DstOpts, SRH
 *                         with segments-left 0 and > 0, HBH+SRH+DstOpts,
 *                         atomic fragment, ...) x {TCP, UDP, SCTP} x
 *                         payload {0, 1, 2, 333, 1460}
 *   tx-csum/tunnels.pcap  {VXLAN, GENEVE, GRE, IPIP} x outer {IPv4, IPv6} x
 *                         inner {IPv4, IPv6} x {TCP, UDP} x payload
 *                         {0, 1, 333, 1460}
 *   tx-csum/edge.pcap     checksums that sum to zero (stored 0xffff),
 *                         checksum fields in the last bytes, 60-byte padded
 *                         frames, non-zero trailers, ICMP/ICMPv6 echo
 *   tx-csum/srh-final.pcap IPv6 routing headers where "final destination"
 *                         could be read two ways: SRH segments-left 0 with
 *                         a Destination Address other than Segment List[0],
 *                         SRH segments-left > 0 with an unrelated
 *                         Destination Address, types 0, 2 and 3 with
 *                         segments left 0 and > 0, two routing headers
 *                         x {TCP, UDP} x payload {0, 1, 333}
 *
 * Every frame carries the checksums the kernel's transmit path leaves on
 * the wire (pktbuild.h): the L4 checksum sums to the frame end, padding
 * included; tunnel UDP checksums are 0.
 */
#ifndef OFD_CORPUS_GEN_H
#define OFD_CORPUS_GEN_H

#include <stddef.h>
#include <stdint.h>

enum ofd_corpus_gen_file {
	OFD_CORPUS_GEN_BASE = 0,
	OFD_CORPUS_GEN_IPV6_EXT,
	OFD_CORPUS_GEN_TUNNELS,
	OFD_CORPUS_GEN_EDGE,
	OFD_CORPUS_GEN_SRH_FINAL,
	OFD_CORPUS_GEN__NFILES,
};


/* One generated frame. desc names it ("vlan/ipv4opt/udp p=333"). */
struct ofd_corpus_gen_frame {
	uint32_t file;  /* enum ofd_corpus_gen_file */
	uint32_t index; /* 0-based packet index in that file */
	const char *desc;
	const uint8_t *data;
	uint32_t len;
	uint64_t ts_us; /* its pcap timestamp: i seconds, or a gro train's
			 * clock (cases/ofd_gro.h: gaps mark flush points) */
};

/* Called for every frame, in file order; a non-zero return stops the walk
 * and is returned. data and desc are only valid during the call. */
typedef int (*ofd_corpus_gen_cb)(void *ctx,
				 const struct ofd_corpus_gen_frame *f);

/* Generate the frames of one file without writing anything. */
int ofd_corpus_gen_foreach(unsigned int file, ofd_corpus_gen_cb cb, void *ctx);

/* What ofd_corpus_gen_ex() wrote, per file. */
struct ofd_corpus_gen_info {
	char path[4096];
	const char *file; /* relative to the corpus directory: "tx-csum/base.pcap" */
	uint32_t npkts;
	uint64_t bytes; /* frame bytes, without pcap headers */
};

/* How many files ofd_corpus_gen_ex() writes: every offload's scenarios
 * (ofd_offload_cases.scenarios, in offload order). */
size_t ofd_corpus_gen_nfiles(void);

/*
 * Write every offload's corpus files under outdir (corpus_write.c),
 * creating the directories. info, when not NULL, receives
 * ofd_corpus_gen_nfiles() entries. Returns 0, or a negative errno with
 * "<path>: <problem>" in err.
 */
int ofd_corpus_gen_ex(const char *outdir, struct ofd_corpus_gen_info *info,
		      char *err, size_t err_len);
int ofd_corpus_gen(const char *outdir, char *err, size_t err_len);

#endif /* OFD_CORPUS_GEN_H */
