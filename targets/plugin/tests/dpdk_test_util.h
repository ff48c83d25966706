/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * dpdk_test_util.h - what the DPDK plugin's suites (check_dpdk.c: transmit
 * and the campaigns; check_dpdk_gro.c: rte_gro) share: finding dpdk.so
 * (or why the suite cannot run), TCP/IPv4 frames with the checksums RFC
 * 1071 gives (ofd_test_sum, independent of DPDK and of csum.c), and the
 * plugin opened in process.
 */
#ifndef DPDK_TEST_UTIL_H
#define DPDK_TEST_UTIL_H

#include <dlfcn.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd_plugin.h"
#include "ofd_test.h"

#define ETH 14
#define IP4 20
#define TCPH 20
#define L4OFF (ETH + IP4)

static char so_path[512];

/* build/plugins/dpdk.so next to $OFFDIFF, or why not. */
static inline bool dpdk_absent(void)
{
	char bin[512];

	snprintf(bin, sizeof(bin), "%s", ofd_test_offdiff());
	snprintf(so_path, sizeof(so_path), "%s/plugins/dpdk.so", dirname(bin));
	if (access(so_path, R_OK) == 0)
		return false;
	ck_assert_msg(!getenv("CI") || !*getenv("CI"),
		      "%s is missing in CI (make check installs libdpdk-dev there)", so_path);
	fprintf(stderr, "dpdk suite: not run: %s is absent (libdpdk-dev is not installed: "
			"scripts/ensure-deps.sh dpdk)\n", so_path);
	return true;
}

static inline bool in_process_unavailable(void)
{
#if defined(__SANITIZE_ADDRESS__)
	fprintf(stderr, "dpdk suite: in-process cases not run under ASan\n");
	return true;
#else
	return dpdk_absent();
#endif
}

static inline void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static inline uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* The pseudo-header sum of the IPv4 header at ip for an L4 of len bytes. */
static inline uint32_t pseudo4(const uint8_t *ip, uint8_t proto, uint32_t len)
{
	return ofd_test_sum(ip + 12, 8, 0) + proto + len;
}

/* eth / ipv4 (id) / tcp (flags) / payload, the checksum field seeded as
 * the stack does (kernel-tx.md 1: the folded pseudo-header sum); payload
 * byte i = fill < 0 ? (i * 7) & 0xff : fill. Returns the frame length. */
static inline uint32_t tcp4_frame(uint8_t *f, uint32_t payload, uint16_t id, uint8_t flags,
				  int fill)
{
	uint8_t *ip = f + ETH, *t = ip + IP4;
	uint32_t i;

	memset(f, 0, L4OFF + TCPH + payload);
	memset(f, 0x02, 12);
	put16(f + 12, 0x0800);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(IP4 + TCPH + payload));
	put16(ip + 4, id);
	ip[6] = 0x40; /* DF */
	ip[8] = 64;
	ip[9] = 6;
	ip[12] = 192, ip[13] = 0, ip[14] = 2, ip[15] = 1;
	ip[16] = 192, ip[17] = 0, ip[18] = 2, ip[19] = 2;
	put16(ip + 10, (uint16_t)~ofd_test_fold(ofd_test_sum(ip, IP4, 0)));
	put16(t, 40000);
	put16(t + 2, 80);
	put16(t + 4, 0x1234);
	put16(t + 6, 0x5678);
	put16(t + 8, 0x9abc);
	t[12] = 0x50;
	t[13] = flags;
	put16(t + 14, 65535);
	for (i = 0; i < payload; i++)
		t[TCPH + i] = (uint8_t)(fill < 0 ? (int)((i * 7) & 0xff) : fill);
	put16(t + 16, ofd_test_fold(pseudo4(ip, 6, TCPH + payload)));
	return L4OFF + TCPH + payload;
}

/* The RFC 1071 checksum of the L4 of an IPv4 frame, its field (at an even
 * offset fo into the L4) counted as 0. */
static inline uint16_t l4_csum4(const uint8_t *f, uint32_t len, uint8_t proto,
				uint32_t fo)
{
	const uint8_t *l4 = f + L4OFF;
	uint32_t n = len - L4OFF;
	uint32_t s = pseudo4(f + ETH, proto, n);

	s = ofd_test_sum(l4, fo, s);
	s = ofd_test_sum(l4 + fo + 2, n - fo - 2, s);
	return (uint16_t)~ofd_test_fold(s);
}

struct plug {
	void *dl;
	const struct ofd_plugin *p;
	void *priv;
	uint8_t *buf;
	struct ofd_plugin_frame *frames;
};

static inline void plug_open(struct plug *pl, const char *rx_buf)
{
	struct ofd_plugin_param prm = { "rx_buf", rx_buf };
	struct ofd_plugin_open_opts o = { .size = sizeof(o), .nparams = rx_buf ? 1 : 0,
					  .params = &prm };
	ofd_plugin_entry_fn entry;
	char err[256] = "";
	int ret;

	pl->dl = dlopen(so_path, RTLD_NOW | RTLD_LOCAL);
	ck_assert_msg(pl->dl != NULL, "dlopen: %s", dlerror());
	entry = (ofd_plugin_entry_fn)dlsym(pl->dl, OFD_PLUGIN_ENTRY_NAME);
	ck_assert_ptr_nonnull(entry);
	pl->p = entry();
	ck_assert_int_eq(pl->p->abi_version, OFD_PLUGIN_ABI_VERSION);
	ret = pl->p->open(&o, &pl->priv, err, sizeof(err));
	ck_assert_msg(ret == 0, "open: %d %s", ret, err);
	pl->buf = malloc(1u << 20);
	pl->frames = calloc(4096, sizeof(*pl->frames));
	ck_assert(pl->buf && pl->frames);
}

static inline void plug_close(struct plug *pl)
{
	pl->p->close(pl->priv);
	free(pl->buf);
	free(pl->frames);
}

#endif /* DPDK_TEST_UTIL_H */
