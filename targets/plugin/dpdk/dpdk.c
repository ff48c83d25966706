// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * dpdk.c - the DPDK plugin: DPDK 22.11's software offloads as an offdiff
 * target (issues 18, 19). This file is the entry, the EAL and its mempools,
 * and the mbufs: a case's frame goes into an mbuf the way a DPDK application
 * holds a packet it received, the library runs (dpdk_csum.c, dpdk_gso.c,
 * dpdk_gro.c: a train, one mbuf per packet),
 * and every output mbuf is read back into the host's buffer and freed.
 *
 * The host runs the plugin in a child process of its own, so the EAL is
 * initialised once per such process, in open().
 */
#include <errno.h>
#include <getopt.h>
#include <sched.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <rte_eal.h>
#include <rte_errno.h>
#include <rte_log.h>
#include <rte_mbuf.h>
#include <rte_version.h>

#include "dpdk.h"

/*
 * The pools. A received packet lives in mbufs of the default 2 KB data
 * room (RTE_MBUF_DEFAULT_DATAROOM, what NIC RX rings and vhost dequeue are
 * usually given), so a frame above 2 KB is a chain: that is how a DPDK
 * application holds a 64 KB TSO super-packet it got from vhost or from a
 * NIC's LRO (33 such mbufs). The `rx_buf` setting gives the RX mbufs
 * another data room (up to 65000 bytes: a 64 KB frame in one or two
 * mbufs), for telling what depends on chains from what does not.
 *
 * rte_gso_segment takes one direct mbuf per output segment for the
 * header copy and one indirect mbuf per piece of payload (one more where
 * a segment's payload crosses an input mbuf boundary), so gso_size 1 on
 * 64 KB needs ~65535 of each: the direct pool's data room only has to
 * hold headers (rte_gso copies l2..l4 of the outer and inner packet,
 * at most ~240 bytes), the indirect pool has none (rte_gso.h: "The
 * indirect buffer doesn't contain any data").
 */
#define RX_BUF_DEFAULT RTE_MBUF_DEFAULT_DATAROOM
#define RX_BUF_MAX 65000u
#define HDR_POOL_SIZE (DPDK_MAX_SEGS + 1024)
#define IND_POOL_SIZE (DPDK_MAX_SEGS + 2048)
#define HDR_DATA_ROOM (RTE_PKTMBUF_HEADROOM + 512)
#define POOL_CACHE 256

static const struct ofd_plugin_param_doc dpdk_params[] = {
	{ "rx_buf", "data room of the RX mbufs a frame is copied into, bytes (default 2048, "
		    "RTE_MBUF_DEFAULT_DATAROOM; at most 65000): longer frames are chains" },
	{ NULL, NULL },
};

/* ------------------------------------------------------------------ */
/* Bytes of an mbuf chain                                              */
/* ------------------------------------------------------------------ */

int dpdk_mbuf_write(struct rte_mbuf *m, uint32_t off, const void *src,
		    uint32_t len)
{
	const uint8_t *s = src;

	if ((uint64_t)off + len > rte_pktmbuf_pkt_len(m))
		return -1;
	for (; m && len; m = m->next) {
		uint32_t n;

		if (off >= m->data_len) {
			off -= m->data_len;
			continue;
		}
		n = RTE_MIN(len, (uint32_t)m->data_len - off);
		memcpy(rte_pktmbuf_mtod_offset(m, uint8_t *, off), s, n);
		s += n;
		len -= n;
		off = 0;
	}
	return len ? -1 : 0;
}

int dpdk_mbuf_read(const struct rte_mbuf *m, uint32_t off, void *dst,
		   uint32_t len)
{
	const void *p = rte_pktmbuf_read(m, off, len, dst);

	if (!p)
		return -1;
	if (p != dst)
		memcpy(dst, p, len);
	return 0;
}

/* The frame as a received packet: a chain of rx_pool mbufs. */
struct rte_mbuf *dpdk_mbuf_from_frame(struct dpdk_priv *p, const uint8_t *data,
					uint32_t len)
{
	struct rte_mbuf *head = NULL, *m;
	uint32_t done = 0;

	do {
		uint16_t room, n;
		char *dst;

		m = rte_pktmbuf_alloc(p->rx_pool);
		if (!m)
			goto fail;
		room = rte_pktmbuf_tailroom(m);
		n = (uint16_t)RTE_MIN((uint32_t)room, len - done);
		dst = rte_pktmbuf_append(m, n);
		memcpy(dst, data + done, n);
		done += n;
		if (!head) {
			head = m;
		} else if (rte_pktmbuf_chain(head, m)) {
			rte_pktmbuf_free(m);
			goto fail;
		}
	} while (done < len);
	return head;
fail:
	rte_pktmbuf_free(head);
	return NULL;
}

int dpdk_emit(struct ofd_plugin_result *r, struct rte_mbuf *const *segs,
	      unsigned int n)
{
	uint32_t used = 0;
	unsigned int i;

	if (r->nframes) {
		const struct ofd_plugin_frame *last = &r->frames[r->nframes - 1];

		used = last->off + last->len;
	}
	for (i = 0; i < n; i++) {
		uint32_t len = rte_pktmbuf_pkt_len(segs[i]);
		struct ofd_plugin_frame *f;

		if (r->nframes >= r->max_frames || len > r->buf_cap - used)
			return -ENOSPC;
		if (dpdk_mbuf_read(segs[i], 0, r->buf + used, len))
			return -EIO;
		f = &r->frames[r->nframes++];
		memset(f, 0, sizeof(*f));
		f->off = used;
		f->len = len;
		used += len;
	}
	return 0;
}

int dpdk_unsupported(struct ofd_plugin_result *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->detail, sizeof(r->detail), fmt, ap);
	va_end(ap);
	r->status = OFD_PLUGIN_UNSUPPORTED;
	r->nframes = 0;
	return 1;
}

/* ------------------------------------------------------------------ */
/* EAL                                                                 */
/* ------------------------------------------------------------------ */

/*
 * rte_eal_init as a library user that owns no device needs it:
 *  --no-huge        anonymous memory instead of hugetlbfs (-m 256 MB of
 *                   it: the pools above take ~70 MB)
 *  --no-pci         no device probing
 *  --no-shconf      no shared config files (--in-memory would be the
 *                   usual spelling, but 22.11 refuses it with --no-huge:
 *                   "Option --legacy-mem is not compatible with
 *                   --in-memory")
 *  --no-telemetry   no socket
 *  --log-level=*:error and the log stream on stderr (22.11 logs to
 *                   stdout, which belongs to offdiff)
 *  --lcores=0@<cpu> one lcore, id 0, on the first CPU we may run on
 *  --file-prefix    unique per process: two campaigns may run at once
 * The EAL pins the calling thread to that CPU; the host's own affinity
 * is given back afterwards, since nothing here needs the pinning (the
 * mempool caches only need the lcore id, which stays 0).
 *
 * The EAL starts once per process and is never cleaned up: DPDK cannot
 * start it again in the same process (rte_eal_init fails with
 * EALREADY), and a host running two DPDK targets in-process, or opening
 * one again, must still work. Nothing outlives the process (no
 * hugepages, no shared files, the runtime directory removed).
 */
static bool eal_started;

static int eal_init(char *err, size_t err_len)
{
	char prefix[64], lcores[64], runtime_dir[256];
	char *argv[16];
	int argc = 0, ret, cpu, saved_optind = optind, saved_opterr = opterr;
	char *saved_optarg = optarg;
	cpu_set_t mask;

	if (eal_started)
		return 0;
	if (sched_getaffinity(0, sizeof(mask), &mask))
		CPU_ZERO(&mask);
	for (cpu = 0; cpu < CPU_SETSIZE && !CPU_ISSET(cpu, &mask); cpu++)
		;
	if (cpu == CPU_SETSIZE)
		cpu = 0;
	snprintf(prefix, sizeof(prefix), "--file-prefix=offdiff%ld", (long)getpid());
	snprintf(lcores, sizeof(lcores), "--lcores=0@%d", cpu);
	argv[argc++] = (char *)"offdiff-dpdk";
	argv[argc++] = (char *)"--no-huge";
	argv[argc++] = (char *)"--no-pci";
	argv[argc++] = (char *)"--no-shconf";
	argv[argc++] = (char *)"--no-telemetry";
	argv[argc++] = (char *)"--log-level=*:error";
	argv[argc++] = lcores;
	argv[argc++] = (char *)"-m";
	argv[argc++] = (char *)"256";
	argv[argc++] = prefix;
	argv[argc] = NULL;

	rte_openlog_stream(stderr);
	ret = rte_eal_init(argc, argv);
	/* rte_eal_init parses with getopt_long: leave the host's state. */
	optind = saved_optind;
	opterr = saved_opterr;
	optarg = saved_optarg;
	if (ret < 0) {
		snprintf(err, err_len, "rte_eal_init: %s", rte_strerror(rte_errno));
		return -rte_errno ? -rte_errno : -EINVAL;
	}
	if (CPU_COUNT(&mask))
		sched_setaffinity(0, sizeof(mask), &mask);
	/* --no-shconf keeps nothing in the runtime directory, which the EAL
	 * still creates (/var/run/dpdk/<prefix>) and never removes. */
	snprintf(runtime_dir, sizeof(runtime_dir), "%s", rte_eal_get_runtime_dir());
	if (runtime_dir[0])
		rmdir(runtime_dir);
	eal_started = true;
	return 0;
}

static void priv_free(struct dpdk_priv *p)
{
	rte_mempool_free(p->rx_pool);
	rte_mempool_free(p->hdr_pool);
	rte_mempool_free(p->ind_pool);
	free(p->segs);
	free(p);
}

/* The settings (dpdk_params): rx_buf. */
static int parse_params(const struct ofd_plugin_open_opts *opts, uint32_t *rx_buf,
			char *err, size_t err_len)
{
	uint32_t i;

	*rx_buf = RX_BUF_DEFAULT;
	for (i = 0; i < opts->nparams; i++) {
		const char *v = opts->params[i].value;
		char *end;
		unsigned long n;

		if (strcmp(opts->params[i].key, "rx_buf"))
			continue;
		n = strtoul(v ? v : "", &end, 10);
		if (!v || !*v || *end || n < 256 || n > RX_BUF_MAX) {
			snprintf(err, err_len, "rx_buf=%s: a byte count from 256 to %u", v ? v : "",
				 RX_BUF_MAX);
			return -EINVAL;
		}
		*rx_buf = (uint32_t)n;
	}
	return 0;
}

static int dpdk_open(const struct ofd_plugin_open_opts *opts, void **privp,
		     char *err, size_t err_len)
{
	static unsigned int instance;
	struct dpdk_priv *p;
	uint32_t rx_buf, rx_n;
	char name[RTE_MEMPOOL_NAMESIZE];
	int ret;

	ret = parse_params(opts, &rx_buf, err, err_len);
	if (ret)
		return ret;
	p = calloc(1, sizeof(*p));
	if (!p) {
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	p->segs = calloc(DPDK_MAX_SEGS, sizeof(*p->segs));
	if (!p->segs) {
		free(p);
		snprintf(err, err_len, "out of memory");
		return -ENOMEM;
	}
	ret = eal_init(err, err_len);
	if (ret) {
		free(p->segs);
		free(p);
		return ret;
	}
	/* Pool names are unique in the process: one per open. */
	instance++;
	/* A case takes at most 33 RX mbufs and gives them back: the pool
	 * holds a few cases' worth, fewer of the big ones. */
	rx_n = rx_buf <= 4096 ? 1023 : 127;
	snprintf(name, sizeof(name), "ofd_rx%u", instance);
	p->rx_pool = rte_pktmbuf_pool_create(name, rx_n, rx_n / 4, 0,
					     (uint16_t)(RTE_PKTMBUF_HEADROOM + rx_buf),
					     SOCKET_ID_ANY);
	snprintf(name, sizeof(name), "ofd_hdr%u", instance);
	p->hdr_pool = rte_pktmbuf_pool_create(name, HDR_POOL_SIZE, POOL_CACHE, 0,
					      HDR_DATA_ROOM, SOCKET_ID_ANY);
	snprintf(name, sizeof(name), "ofd_ind%u", instance);
	p->ind_pool = rte_pktmbuf_pool_create(name, IND_POOL_SIZE, POOL_CACHE, 0, 0,
					      SOCKET_ID_ANY);
	if (!p->rx_pool || !p->hdr_pool || !p->ind_pool) {
		snprintf(err, err_len, "rte_pktmbuf_pool_create: %s",
			 rte_strerror(rte_errno));
		priv_free(p);
		return -ENOMEM;
	}
	*privp = p;
	return 0;
}

static int dpdk_run(void *priv, const struct ofd_plugin_case *c,
		    struct ofd_plugin_result *r)
{
	struct dpdk_priv *p = priv;
	struct rte_mbuf *m;
	int ret;

	r->status = OFD_PLUGIN_OK;
	r->nframes = 0;
	if (c->offload == OFD_PLUGIN_GRO && c->pkts) {
		ret = dpdk_gro(p, c, r); /* a train: frees its own mbufs */
		if (ret > 0)
			return 0;
		if (ret < 0)
			r->nframes = 0;
		return ret;
	}
	if (c->npkts != 1 || !c->pkts) {
		dpdk_unsupported(r, "one frame per case only (transmit offloads)");
		return 0;
	}
	if (c->pkts[0].len == 0) {
		dpdk_unsupported(r, "an empty frame: an mbuf holds at least one byte");
		return 0;
	}
	/* The SCTP checksum (a CRC32c request of either kind): testpmd's csum
	 * engine, DPDK's reference of software checksums, zeroes the field
	 * ("XXX implement CRC32c", process_inner_cksums) and vhost's fallback
	 * sums it as an Internet checksum ("In case of SCTP, this will be
	 * wrong since it's a CRC but there's nothing we can do",
	 * vhost_dequeue_offload); rte_net_crc has CRC32-Ethernet and CRC16
	 * only. No DPDK software path an application uses computes it. */
	if (c->req.csum_type == OFD_PLUGIN_CSUM_CRC32C) {
		dpdk_unsupported(r, "SCTP CRC32c: DPDK 22.11 has no software SCTP checksum "
				 "(testpmd: \"XXX implement CRC32c\")");
		return 0;
	}

	m = dpdk_mbuf_from_frame(p, c->pkts[0].data, c->pkts[0].len);
	if (!m)
		return -ENOMEM;
	switch (c->offload) {
	case OFD_PLUGIN_TX_CSUM:
		ret = dpdk_txcsum(p, m, &c->req, r);
		if (ret == 0)
			ret = dpdk_emit(r, &m, 1);
		break;
	case OFD_PLUGIN_TSO:
		ret = dpdk_tso(p, m, &c->req, r); /* emits and frees its segments */
		break;
	default:
		ret = dpdk_unsupported(r, "offload %u: the plugin does tx-csum, tso and gro", c->offload);
		break;
	}
	rte_pktmbuf_free(m);
	if (ret > 0) /* UNSUPPORTED, detail set */
		return 0;
	if (ret < 0)
		r->nframes = 0;
	return ret;
}

static void dpdk_identity(void *priv, struct ofd_plugin_identity *id)
{
	(void)priv;
	snprintf(id->model, sizeof(id->model), "%s rte_net+rte_gso+rte_gro", rte_version());
	snprintf(id->version, sizeof(id->version), "%s", rte_version());
}

static void dpdk_close(void *priv)
{
	priv_free(priv);
}

static const struct ofd_plugin dpdk_plugin = {
	.size = sizeof(struct ofd_plugin),
	.abi_version = OFD_PLUGIN_ABI_VERSION,
	.name = "dpdk",
	.desc = "DPDK's software offloads: rte_net checksums, vhost's virtio fallback, rte_gso, "
		"rte_gro",
	.offloads = OFD_PLUGIN_CAP(OFD_PLUGIN_TX_CSUM) | OFD_PLUGIN_CAP(OFD_PLUGIN_TSO) |
		    OFD_PLUGIN_CAP(OFD_PLUGIN_GRO),
	.params = dpdk_params,
	.open = dpdk_open,
	.run = dpdk_run,
	.identity = dpdk_identity,
	.close = dpdk_close,
};

OFD_PLUGIN_EXPORT const struct ofd_plugin *ofd_plugin_v1(void)
{
	return &dpdk_plugin;
}
