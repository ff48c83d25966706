/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_pcap.h - corpus input and pcap output through libpcap.
 */
#ifndef OFD_PCAP_H
#define OFD_PCAP_H

#include <stddef.h>
#include <stdint.h>

/* One frame of a loaded corpus. Bytes live in the corpus' storage. */
struct ofd_corpus_pkt {
	const uint8_t *data;
	uint32_t len;
	uint32_t file;   /* index into files[] */
	uint32_t index;  /* 0-based packet index in that file */
};

struct ofd_corpus {
	uint32_t nfiles;
	char **files;
	uint32_t npkts;
	struct ofd_corpus_pkt *pkts;
	/* storage: one growing block per file */
	uint8_t **blocks;
};

/* Append every frame of a pcap or pcapng file (Ethernet link type only).
 * On error returns -EINVAL/-ENOENT/-EBADMSG and a one-line message in err:
 * "corpus/x.pcap: packet 17: truncated record", "...: link type RAW (101)
 * is not Ethernet", "...: empty file". */
int ofd_corpus_load(struct ofd_corpus *c, const char *path, char *err,
		    size_t err_len);
void ofd_corpus_free(struct ofd_corpus *c);

/* A pcap writer (Ethernet, microsecond timestamps, snaplen 262144). */
struct ofd_pcap_writer;
int ofd_pcap_writer__open(const char *path, struct ofd_pcap_writer **out);
/* ts_usec gives a deterministic timestamp (the generator uses the index). */
int ofd_pcap_writer__write(struct ofd_pcap_writer *w, const uint8_t *data,
			   uint32_t len, uint64_t ts_usec);
int ofd_pcap_writer__close(struct ofd_pcap_writer *w);

#endif /* OFD_PCAP_H */
