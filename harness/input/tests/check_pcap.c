// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * check_pcap.c - corpus input and pcap output.
 *
 * Cases: write/read round trip (bytes, lengths, order); a hand-made pcapng
 * file (SHB + IDB + EPB, the layout of the pcapng draft) loads; errors
 * name the problem: truncated record (with its packet index), non-Ethernet
 * link type, empty (0-byte) file, missing file; a well-formed capture with
 * no packets loads as a file with no frames; frames cut by the snaplen are
 * skipped, counted and named in one warning line.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <pcap/pcap.h>

#include "ofd.h"
#include "ofd_pcap.h"
#include "ofd_test.h"

static char dir[64];

static void setup(void)
{
	ofd_test_mkdtemp(dir, sizeof(dir), "pcap");
}

static void teardown(void)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static void write_file(const char *path, const void *b, size_t n)
{
	FILE *f = fopen(path, "w");

	ck_assert_ptr_nonnull(f);
	ck_assert_uint_eq(fwrite(b, 1, n, f), n);
	fclose(f);
}

START_TEST(round_trip)
{
	struct ofd_corpus c = { 0 };
	struct ofd_pcap_writer *w;
	char path[128], err[256];
	uint8_t fr[3][1600];
	uint32_t lens[3] = { 60, 1514, 14 }, i, k;

	snprintf(path, sizeof(path), "%s/rt.pcap", dir);
	ck_assert_int_eq(ofd_pcap_writer__open(path, &w), 0);
	for (i = 0; i < 3; i++) {
		for (k = 0; k < lens[i]; k++)
			fr[i][k] = (uint8_t)(k * 3 + i);
		ck_assert_int_eq(ofd_pcap_writer__write(w, fr[i], lens[i], i * 1000000ull), 0);
	}
	ck_assert_int_eq(ofd_pcap_writer__close(w), 0);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.npkts, 3);
	ck_assert_uint_eq(c.nfiles, 1);
	for (i = 0; i < 3; i++) {
		ck_assert_uint_eq(c.pkts[i].len, lens[i]);
		ck_assert_uint_eq(c.pkts[i].index, i);
		ck_assert_int_eq(memcmp(c.pkts[i].data, fr[i], lens[i]), 0);
	}
	/* a second file appends */
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.npkts, 6);
	ck_assert_uint_eq(c.pkts[4].file, 1);
	ck_assert_uint_eq(c.pkts[4].index, 1);
	ofd_corpus_free(&c);
}
END_TEST

static void put32le(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v; p[1] = (uint8_t)(v >> 8); p[2] = (uint8_t)(v >> 16); p[3] = (uint8_t)(v >> 24);
}

START_TEST(pcapng_loads)
{
	/* Section Header Block, Interface Description Block (LINKTYPE_ETHERNET),
	 * Enhanced Packet Block with a 60-byte frame. */
	uint8_t b[28 + 20 + 32 + 60];
	struct ofd_corpus c = { 0 };
	char path[128], err[256];
	uint8_t *p = b;
	int i;

	memset(b, 0, sizeof(b));
	put32le(p, 0x0a0d0d0a); put32le(p + 4, 28); put32le(p + 8, 0x1a2b3c4d);
	p[12] = 1; /* major 1, minor 0 */
	put32le(p + 16, 0xffffffff); put32le(p + 20, 0xffffffff); put32le(p + 24, 28);
	p += 28;
	put32le(p, 1); put32le(p + 4, 20); p[8] = 1; /* linktype 1 */
	put32le(p + 12, 65535); put32le(p + 16, 20);
	p += 20;
	put32le(p, 6); put32le(p + 4, 32 + 60); put32le(p + 20, 60); put32le(p + 24, 60);
	for (i = 0; i < 60; i++)
		p[28 + i] = (uint8_t)i;
	put32le(p + 28 + 60, 32 + 60);
	snprintf(path, sizeof(path), "%s/x.pcapng", dir);
	write_file(path, b, sizeof(b));
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), 0);
	ck_assert_uint_eq(c.npkts, 1);
	ck_assert_uint_eq(c.pkts[0].len, 60);
	ck_assert_uint_eq(c.pkts[0].data[59], 59);
	ofd_corpus_free(&c);
}
END_TEST

START_TEST(truncated_record)
{
	struct ofd_corpus c = { 0 };
	struct ofd_pcap_writer *w;
	char path[128], err[256];
	uint8_t fr[100] = { 0 };
	FILE *f;
	long size;

	snprintf(path, sizeof(path), "%s/t.pcap", dir);
	ck_assert_int_eq(ofd_pcap_writer__open(path, &w), 0);
	ofd_pcap_writer__write(w, fr, 100, 0);
	ofd_pcap_writer__write(w, fr, 100, 1);
	ofd_pcap_writer__close(w);
	f = fopen(path, "r+");
	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	ck_assert_int_eq(truncate(path, size - 30), 0);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), -EBADMSG);
	ck_assert_ptr_nonnull(strstr(err, "packet 1"));
	ck_assert_ptr_nonnull(strstr(err, "truncated"));
	ck_assert_ptr_nonnull(strstr(err, path));
	ck_assert_uint_eq(c.npkts, 0);
	ofd_corpus_free(&c);
}
END_TEST

START_TEST(not_ethernet)
{
	struct ofd_corpus c = { 0 };
	char path[128], err[256];
	pcap_t *p = pcap_open_dead(DLT_RAW, 65535);
	pcap_dumper_t *d;
	struct pcap_pkthdr h = { .caplen = 20, .len = 20 };
	uint8_t pkt[20] = { 0x45 };

	snprintf(path, sizeof(path), "%s/raw.pcap", dir);
	d = pcap_dump_open(p, path);
	pcap_dump((u_char *)d, &h, pkt);
	pcap_dump_close(d);
	pcap_close(p);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "is not Ethernet"));
	ck_assert_ptr_nonnull(strstr(err, "RAW"));
}
END_TEST

START_TEST(empty_and_missing)
{
	struct ofd_corpus c = { 0 };
	char path[128], err[256];

	snprintf(path, sizeof(path), "%s/empty.pcap", dir);
	write_file(path, "", 0);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "empty file"));
	snprintf(path, sizeof(path), "%s/none.pcap", dir);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), -ENOENT);
	ck_assert_ptr_nonnull(strstr(err, "No such file"));
	snprintf(path, sizeof(path), "%s/junk.pcap", dir);
	write_file(path, "this is not a capture at all", 28);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), -EINVAL);
	ck_assert_ptr_nonnull(strstr(err, "not a readable capture"));
}
END_TEST

/* Warnings the loader prints, captured instead of going to stderr. */
static char warned[1024];
static int nwarned;

__attribute__((format(printf, 2, 0)))
static void capture_print(enum ofd_log_level lvl, const char *fmt, va_list ap)
{
	size_t n = strlen(warned);

	if (lvl != OFD_WARN)
		return;
	nwarned++;
	vsnprintf(warned + n, sizeof(warned) - n, fmt, ap);
}

/* An empty but well-formed capture (a filter that matched nothing) is a
 * file with no frames, not an error; a 0-byte file stays an error. */
START_TEST(empty_capture_is_valid)
{
	struct ofd_corpus c = { 0 };
	char path[128], err[256] = "";
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *d;

	snprintf(path, sizeof(path), "%s/none.pcap", dir);
	d = pcap_dump_open(p, path);
	pcap_dump_close(d);
	pcap_close(p);
	ofd_set_print(capture_print);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), 0);
	ofd_set_print(NULL);
	ck_assert_str_eq(err, "");
	ck_assert_int_eq(nwarned, 0);
	ck_assert_uint_eq(c.nfiles, 1);
	ck_assert_uint_eq(c.npkts, 0);
	ck_assert_uint_eq(c.frames_cut, 0);
	ck_assert_uint_eq(c.file_info[0].records, 0);
	ck_assert_str_eq(c.files[0], path);
	ofd_corpus_free(&c);
}
END_TEST

/*
 * `tcpdump -s 96`: records 1 and 3 hold 96 of 200 and 96 of 1514 bytes.
 * They are skipped, the rest load with their file numbering (0, 2, 4),
 * and one warning line names the count, the snaplen and the first one.
 */
START_TEST(snaplen_cut_frames_skipped)
{
	static const struct { uint32_t caplen, len; } rec[] = {
		{ 60, 60 }, { 96, 200 }, { 90, 90 }, { 96, 1514 }, { 42, 42 },
	};
	struct ofd_corpus c = { 0 };
	char path[128], want[512], err[256] = "";
	pcap_t *p = pcap_open_dead(DLT_EN10MB, 96);
	uint8_t pkt[96];
	pcap_dumper_t *d;
	uint32_t i, k;

	snprintf(path, sizeof(path), "%s/cut.pcap", dir);
	d = pcap_dump_open(p, path);
	ck_assert_ptr_nonnull(d);
	for (i = 0; i < OFD_ARRAY_SIZE(rec); i++) {
		struct pcap_pkthdr h = { .caplen = rec[i].caplen, .len = rec[i].len };

		for (k = 0; k < sizeof(pkt); k++)
			pkt[k] = (uint8_t)(i * 16 + k);
		pcap_dump((u_char *)d, &h, pkt);
	}
	pcap_dump_close(d);
	pcap_close(p);

	ofd_set_print(capture_print);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), 0);
	ofd_set_print(NULL);
	ck_assert_uint_eq(c.npkts, 3);
	ck_assert_uint_eq(c.frames_cut, 2);
	ck_assert_uint_eq(c.file_info[0].records, 5);
	ck_assert_uint_eq(c.file_info[0].frames, 3);
	ck_assert_uint_eq(c.file_info[0].cut, 2);
	ck_assert_uint_eq(c.file_info[0].first_cut, 1);
	ck_assert_uint_eq(c.file_info[0].snaplen, 96);
	for (i = 0; i < 3; i++) {
		uint32_t r = i * 2; /* records 0, 2, 4 */

		ck_assert_uint_eq(c.pkts[i].index, r);
		ck_assert_uint_eq(c.pkts[i].len, rec[r].len);
		ck_assert_uint_eq(c.pkts[i].data[0], (uint8_t)(r * 16));
	}
	ck_assert_int_eq(nwarned, 1);
	snprintf(want, sizeof(want),
		 "offdiff: warning: %s: 2 of 5 frames cut by the capture's snaplen (96 bytes) skipped; first at packet 1\n",
		 path);
	ck_assert_str_eq(warned, want);

	/* A second file without cut frames adds to the corpus, not to the
	 * count, and says nothing. */
	warned[0] = '\0';
	nwarned = 0;
	snprintf(path, sizeof(path), "%s/full.pcap", dir);
	p = pcap_open_dead(DLT_EN10MB, 96);
	d = pcap_dump_open(p, path);
	{
		struct pcap_pkthdr h = { .caplen = 60, .len = 60 };

		pcap_dump((u_char *)d, &h, pkt);
	}
	pcap_dump_close(d);
	pcap_close(p);
	ofd_set_print(capture_print);
	ck_assert_int_eq(ofd_corpus_load(&c, path, err, sizeof(err)), 0);
	ofd_set_print(NULL);
	ck_assert_int_eq(nwarned, 0);
	ck_assert_uint_eq(c.npkts, 4);
	ck_assert_uint_eq(c.frames_cut, 2);
	ck_assert_uint_eq(c.file_info[1].cut, 0);
	ofd_corpus_free(&c);
}
END_TEST

static Suite *pcap_suite(void)
{
	Suite *s = suite_create("pcap");
	TCase *tc = tcase_create("io");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_add_test(tc, round_trip);
	tcase_add_test(tc, pcapng_loads);
	tcase_add_test(tc, truncated_record);
	tcase_add_test(tc, not_ethernet);
	tcase_add_test(tc, empty_and_missing);
	tcase_add_test(tc, empty_capture_is_valid);
	tcase_add_test(tc, snaplen_cut_frames_skipped);
	suite_add_tcase(s, tc);
	return s;
}

OFD_TEST_SUITE(pcap_suite)
