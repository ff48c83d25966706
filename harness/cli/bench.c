// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * bench.c - `offdiff bench` (`make bench`): throughput as ratios
 * measured side by side in one run, because this machine is noisy and only
 * ratios travel:
 *  - the checksum loop against this machine's memory read bandwidth;
 *  - the model-vs-emulator hot path in cases per second;
 *  - the kernel engine against the bare send+read floor, and the model's
 *    speed on the same cases as a ratio to it;
 *  - segmentation (tso) in segments/s: the model, the model vs the
 *    emulator with the diff, the kernel engine and its bare send+read
 *    floor, on the same cases;
 *  - the qemu target (QEMU's e1000e in qtest mode) against the kernel
 *    engine on the tx-csum cases the e1000e takes.
 */
#include <errno.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "ofd_cli.h"
#include "ofd_csum.h"
#include "ofd_kernel.h"
#include "ofd_offload.h"
#include "ofd_pktbuild.h"
#include "qemu_internal.h"
#include "vmxnet3.h"

static volatile uint64_t sink;

/* Streaming read bandwidth: a plain 64-bit sum over a buffer much larger
 * than the caches, the cheapest way to read every byte. */
static double mem_read_gbs(uint8_t *buf, size_t size, double budget)
{
	double t0 = ofd_now(), t;
	size_t bytes = 0, i;
	uint64_t s = 0;

	do {
		const uint64_t *p = (const uint64_t *)buf;

		for (i = 0; i < size / 8; i += 4)
			s += p[i] + p[i + 1] + p[i + 2] + p[i + 3];
		bytes += size;
		t = ofd_now() - t0;
	} while (t < budget);
	sink = s;
	return bytes / t / 1e9;
}

/* Checksum throughput over `len`-byte buffers spread across `span` bytes:
 * a span larger than the caches measures the same memory regime as the
 * bandwidth figure; a small span measures the loop itself. */
static double csum_gbs(const uint8_t *buf, size_t span, size_t len, double budget)
{
	double t0 = ofd_now(), t;
	size_t bytes = 0, off = 0;
	uint32_t s = 0;

	do {
		int k;

		for (k = 0; k < 256; k++) {
			if (off + len > span)
				off = 0;
			s = ofd_csum_partial(buf + off, len, s);
			off += len;
			bytes += len;
		}
		t = ofd_now() - t0;
	} while (t < budget);
	sink = s;
	return bytes / t / 1e9;
}

struct rate {
	double cps;
	uint64_t cases;
	bool findings_expected; /* in: a target with known findings (DPDK) */
};

/* Run a set of cases through ref (+ target) until the budget is spent. */
static int case_rate(struct ofd_engine *ref, struct ofd_engine *tgt,
		     const struct ofd_caseset *set, double budget, struct rate *out)
{
	struct ofd_runner_target rt = { .engine = tgt, .label = "bench" };
	struct ofd_runner *r;
	double t0, t;
	uint64_t done = 0;
	int e;

	e = ofd_runner__new(ref, &rt, tgt ? 1 : 0, NULL, NULL, &r);
	if (e)
		return e;
	t0 = ofd_now();
	do {
		e = ofd_runner__run(r, set->cases, set->ncases, 0);
		if (e)
			goto out;
		done += set->ncases;
		t = ofd_now() - t0;
	} while (t < budget);
	out->cps = done / t;
	out->cases = done;
	if (tgt && ofd_runner__critical(r) && !out->findings_expected)
		ofd_cli_err("bench: warning: %llu discrepancies on the conformant path",
			    (unsigned long long)ofd_runner__critical(r));
out:
	ofd_runner__free(r);
	return e;
}

/*
 * Synthetic GRO cases for the model and the kernel engine: trains of four
 * consecutive 100-byte TCPv4 segments, one flush point at the end
 * (kernel-rx.md 7.4, first row).
 */
#define SYN_CASES 64
#define GRO_TRAIN 4

struct synth {
	struct ofd_caseset set;
	uint8_t buf[SYN_CASES * GRO_TRAIN][2600];
	struct ofd_pkt pkts[SYN_CASES * GRO_TRAIN];
	struct ofd_case cases[SYN_CASES];
};

static uint32_t build_tcp4(uint8_t *buf, uint32_t cap, uint32_t seq, uint16_t id,
			   uint32_t plen, enum ofd_pktb_csum mode)
{
	struct ofd_pktb_ipv4_opts ip = { .id = id };
	struct ofd_pktb_tcp_opts tcp = { .sport = 1000, .dport = 2000, .seq = seq,
					 .ack = 1, .flags = 0x10, .window = 65535 };
	struct ofd_pktb b;
	int l4;

	ofd_pktb_init(&b, buf, cap);
	ofd_pktb_eth(&b, NULL, NULL, 0);
	ofd_pktb_ipv4(&b, &ip);
	l4 = ofd_pktb_tcp(&b, &tcp);
	ofd_pktb_payload(&b, plen);
	if (l4 >= 0)
		b.layer[l4].csum = (uint8_t)mode;
	return ofd_pktb_finish(&b) ? 0 : b.len;
}

static void gro_cases(struct synth *s)
{
	unsigned int i, k;

	memset(&s->set, 0, sizeof(s->set));
	for (i = 0; i < SYN_CASES; i++) {
		struct ofd_case *c = &s->cases[i];

		memset(c, 0, sizeof(*c));
		c->id = i;
		c->offload = OFD_OFFLOAD_GRO;
		for (k = 0; k < GRO_TRAIN; k++) {
			struct ofd_pkt *p = &s->pkts[i * GRO_TRAIN + k];

			p->data = s->buf[i * GRO_TRAIN + k];
			p->len = build_tcp4(s->buf[i * GRO_TRAIN + k], sizeof(s->buf[0]),
					    1000 + 100 * k, (uint16_t)(8 + k), 100,
					    OFD_PKTB_CSUM_FULL);
			p->flags = k == GRO_TRAIN - 1 ? OFD_PKT_F_FLUSH_AFTER : 0;
		}
		c->npkts = GRO_TRAIN;
		c->pkts = &s->pkts[i * GRO_TRAIN];
	}
	s->set.cases = s->cases;
	s->set.ncases = SYN_CASES;
}

/* The first case through one engine: 0 with *nframes when it ran, or
 * -ENOTSUP with *why when the engine answers unsupported or fails. */
static int probe_case(struct ofd_engine *e, const struct ofd_case *c, unsigned int off,
		      unsigned int *nframes, char *why, size_t why_len)
{
	uint32_t cap = ofd_cases_max_output(OFD_CAP(off));
	struct ofd_result *res;
	int err;

	if (ofd_result__new(cap > 8u << 20 ? cap : 8u << 20, &res))
		return -ENOMEM;
	ofd_result_reset(res);
	err = e->ops->run(e->priv, c, &res, 1);
	*nframes = res->nframes;
	if (err || res->status != OFD_RES_OK || !res->nframes) {
		snprintf(why, why_len, "%s",
			 err ? strerror(-err) :
			 res->detail ? res->detail :
			 res->status == OFD_RES_OK ? "no frame" : ofd_reason_str(res->reason));
		err = -ENOTSUP;
	}
	ofd_result__free(res);
	return err;
}

static void gro_rates(struct ofd_engine *model, struct ofd_engine *kern, double budget)
{
	static struct synth s;
	struct rate m = { 0 }, k = { 0 };
	unsigned int nf;
	char why[256];

	gro_cases(&s);
	if (!model || probe_case(model, s.cases, OFD_OFFLOAD_GRO, &nf, why, sizeof(why)))
		printf("  model %-21s unavailable: %s\n", "gro", model ? why : "no model");
	else if (case_rate(model, NULL, &s.set, budget, &m) == 0)
		printf("  model %-21s %12.0f cases/s (trains of 4 x 100 B)\n", "gro", m.cps);
	if (!kern)
		return;
	if (probe_case(kern, s.cases, OFD_OFFLOAD_GRO, &nf, why, sizeof(why))) {
		printf("  kernel engine %-13s unavailable: %s\n", "gro", why);
		return;
	}
	if (case_rate(kern, NULL, &s.set, budget, &k) == 0)
		printf("  kernel engine %-13s %12.0f cases/s (trains of 4 x 100 B)\n", "gro", k.cps);
	if (m.cps > 0 && k.cps > 0)
		printf("\nratio: gro model / kernel %.1fx\n", m.cps / k.cps);
}

/*
 * Segmentation, side by side on the same cases (SYN_CASES copies of one
 * TCPv4 super-packet, NEEDS_CSUM with the seed, like T1 of kernel-tx.md
 * 10.6): the model alone, the model vs emu:conformant with the diff (the
 * campaign's hot path), the kernel engine, and the bare send+read floor
 * of segmentation (ofd_kernel_bench_tso_floor). All in segments/s.
 */
struct tso_set {
	struct ofd_caseset set;
	uint8_t *buf;
	struct ofd_pkt pkts[SYN_CASES];
	struct ofd_case cases[SYN_CASES];
};

static int tso_cases(struct tso_set *t, uint32_t payload, uint16_t gso)
{
	uint32_t cap = payload + 128, len;
	unsigned int i;

	t->buf = malloc((size_t)cap * SYN_CASES);
	if (!t->buf)
		return -ENOMEM;
	for (i = 0; i < SYN_CASES; i++) {
		struct ofd_case *c = &t->cases[i];
		uint8_t *b = t->buf + (size_t)i * cap;

		len = build_tcp4(b, cap, 100000 + i, (uint16_t)(0x1234 + i), payload,
				 OFD_PKTB_CSUM_SEED);
		if (!len)
			return -EINVAL;
		memset(c, 0, sizeof(*c));
		c->id = i;
		c->offload = OFD_OFFLOAD_TSO;
		t->pkts[i].data = b;
		t->pkts[i].len = len;
		c->npkts = 1;
		c->pkts = &t->pkts[i];
		c->req.vnet = (struct ofd_vnet_hdr){ .flags = OFD_VNET_F_NEEDS_CSUM,
			.gso_type = OFD_VNET_GSO_TCPV4, .gso_size = gso,
			.csum_start = 34, .csum_offset = 16 };
	}
	t->set.cases = t->cases;
	t->set.ncases = SYN_CASES;
	return 0;
}

static void tso_rates(struct ofd_engine *model, struct ofd_engine *emu,
		      struct ofd_engine *kern, uint32_t payload, uint16_t gso,
		      double budget)
{
	struct tso_set t = { 0 };
	struct rate m_only = { 0 }, both = { 0 }, k_only = { 0 };
	unsigned int segs = 0, nf, fsegs = 0;
	double floor_sps = 0, m_sps = 0, b_sps = 0, k_sps = 0;
	char why[256], mwhy[256] = "", ewhy[256] = "", kwhy[256] = "";
	bool m_ok, e_ok, k_ok;

	if (tso_cases(&t, payload, gso)) {
		free(t.buf);
		return;
	}
	k_ok = kern && !probe_case(kern, t.cases, OFD_OFFLOAD_TSO, &segs, kwhy, sizeof(kwhy));
	m_ok = model && !probe_case(model, t.cases, OFD_OFFLOAD_TSO, &nf, mwhy, sizeof(mwhy));
	if (m_ok && !segs)
		segs = nf;
	e_ok = m_ok && emu && !probe_case(emu, t.cases, OFD_OFFLOAD_TSO, &nf, ewhy, sizeof(ewhy));
	printf("\ntso, %u cases of TCPv4 %u B payload, gso_size %u -> %u segments each, one core:\n",
	       SYN_CASES, payload, gso, segs);
	if (m_ok && case_rate(model, NULL, &t.set, budget, &m_only) == 0) {
		m_sps = m_only.cps * segs;
		printf("  model alone                 %12.0f segments/s\n", m_sps);
	} else {
		printf("  model alone                 unsupported: %s\n", model ? mwhy : "no model");
	}
	if (e_ok && case_rate(model, emu, &t.set, budget, &both) == 0) {
		b_sps = both.cps * segs;
		printf("  model vs emu + diff         %12.0f segments/s\n", b_sps);
	} else {
		printf("  model vs emu + diff         unsupported: %s\n",
		       !m_ok ? "the model answers unsupported" : emu ? ewhy : "no emulator");
	}
	if (!kern) {
		free(t.buf);
		return;
	}
	if (k_ok && case_rate(kern, NULL, &t.set, budget, &k_only) == 0) {
		k_sps = k_only.cps * segs;
		printf("  kernel engine tso           %12.0f segments/s\n", k_sps);
	} else {
		printf("  kernel engine tso           unsupported: %s\n", kwhy);
	}
	snprintf(why, sizeof(why), "unavailable");
	if (ofd_kernel_bench_tso_floor(t.pkts[0].data, t.pkts[0].len, &t.cases[0].req.vnet,
				       (unsigned int)(budget * 40000 / (segs ? segs : 1)) + 100,
				       &floor_sps, &fsegs) == 0)
		printf("  bare send+read floor        %12.0f segments/s (sendmsg + %u reads)\n",
		       floor_sps, fsegs);
	else
		printf("  bare send+read floor        unavailable\n");
	if (k_sps > 0 && floor_sps > 0)
		printf("ratios: kernel engine / floor %.2f", k_sps / floor_sps);
	else
		printf("ratios: kernel engine / floor n/a");
	if (k_sps > 0 && m_sps > 0)
		printf("; model / kernel %.1fx", m_sps / k_sps);
	if (k_sps > 0 && b_sps > 0)
		printf("; model-vs-emu / kernel %.1fx", b_sps / k_sps);
	printf("\n");
	free(t.buf);
}

struct bench_opts {
	bool quick;
};

/* --quick has no -q: that is the global --quiet. */
/*
 * The iface target on the virtual NIC: every case out through AF_PACKET
 * and the tun driver, the emulator as the hardware, the wire read back
 * and matched by content. Against the kernel engine on the same cases:
 * what driving a device through real interfaces costs.
 */
static void vnic_rate(struct ofd_engine *model, const struct ofd_caseset *set, double budget,
		      double kernel_cps)
{
	struct ofd_engine_param p = { "vnic", "conformant" };
	struct ofd_engine_opts eo = { .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM), .params = &p,
				      .nparams = 1 };
	struct ofd_engine *vnic = NULL;
	struct rate r = { 0 };
	char err[512] = "";

	if (ofd_engine__open("iface", &eo, &vnic, err, sizeof(err))) {
		printf("\niface on the virtual NIC unavailable here: %s\n", err);
		return;
	}
	if (case_rate(model, vnic, set, budget, &r) == 0) {
		printf("  model vs iface:vnic + diff  %12.0f cases/s (out through tun, the wire read back)\n",
		       r.cps);
		if (kernel_cps > 0)
			printf("ratios: iface-on-vnic / kernel engine %.2f\n", r.cps / kernel_cps);
	}
	ofd_engine__close(vnic);
}

/*
 * Plugins (targets/plugin/): the example plugin against the model, inside
 * offdiff and in its child process, next to emu:conformant on the same
 * cases, so the ratios say what the plugin ABI costs (one call per case)
 * and what fault isolation costs (cases and results through shared
 * memory, one message per batch); DPDK's plugin when it is built.
 */
static void plugin_rates(struct ofd_engine *model, const struct ofd_caseset *set, double budget,
			 double emu_cps)
{
	static const struct {
		const char *path, *isolate, *what;
	} runs[] = {
		{ "example", "off", "plugin:example in-process" },
		{ "example", "on", "plugin:example isolated" },
		{ "dpdk", "on", "plugin:dpdk isolated" },
	};
	double cps[OFD_ARRAY_SIZE(runs)] = { 0 };
	size_t i;

	printf("\nplugins on the same tx-csum cases, against the model, one core:\n");
	for (i = 0; i < OFD_ARRAY_SIZE(runs); i++) {
		struct ofd_engine_param p[2] = { { "path", runs[i].path },
						 { "isolate", runs[i].isolate } };
		struct ofd_engine_opts eo = { .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM), .params = p,
					      .nparams = 2 };
		struct ofd_engine *e = NULL;
		/* DPDK's own findings (docs/dpdk-findings.md) are no warning. */
		struct rate r = { .findings_expected = !strcmp(runs[i].path, "dpdk") };
		char err[512] = "";

		if (ofd_engine__open("plugin", &eo, &e, err, sizeof(err))) {
			printf("  %-27s unavailable: %s\n", runs[i].what, err);
			continue;
		}
		if (case_rate(model, e, set, budget, &r) == 0) {
			cps[i] = r.cps;
			printf("  model vs %-18s %12.0f cases/s\n", runs[i].what, r.cps);
		}
		ofd_engine__close(e);
	}
	if (cps[0] > 0 && cps[1] > 0 && emu_cps > 0)
		printf("ratios: example in-process / model-vs-emu %.2f; isolated / in-process %.2f\n",
		       cps[0] / emu_cps, cps[1] / cps[0]);
}

/*
 * The qemu target in qtest mode (targets/qemu/): cases in batches of a TX
 * ring through a QEMU NIC model (e1000e, vmxnet3), the frames read off its
 * tap. Only the cases the model's Linux driver would hand the device
 * (qe_plan, vx_plan): the rest cost the target nothing and would flatter
 * it. Beside the kernel engine on the very same cases.
 */
static bool qemu_takes(const char *device, const struct ofd_case *c)
{
	struct qe_plan p;
	struct vx_plan v;
	const char *w;

	return strcmp(device, "vmxnet3") ? !qe_plan(c, &p, &w) : !vx_plan(c, &v, &w);
}

static void qemu_rate(struct ofd_engine *model, struct ofd_engine *kern,
		      const struct ofd_caseset *set, double budget, const char *device)
{
	struct ofd_engine_param prm = { "device", device };
	struct ofd_engine_opts eo = { .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM), .params = &prm,
				      .nparams = 1 };
	struct ofd_caseset sub = { 0 };
	struct ofd_engine *q = NULL;
	/* QEMU's own findings (docs/qemu-findings.md) are no warning. */
	struct rate r = { .findings_expected = true }, k = { 0 };
	char err[512] = "", why[256], what[32];
	uint32_t i;

	if (ofd_engine_find("qemu")->probe(why, sizeof(why))) {
		printf("\nqemu target (qtest mode) skipped: %s\n", why);
		return;
	}
	if (ofd_engine__open("qemu", &eo, &q, err, sizeof(err))) {
		printf("\nqemu target (qtest mode, %s) unavailable here: %s\n", device, err);
		return;
	}
	sub.cases = calloc(set->ncases, sizeof(*sub.cases));
	if (!sub.cases)
		goto out;
	for (i = 0; i < set->ncases; i++)
		if (qemu_takes(device, &set->cases[i]))
			sub.cases[sub.ncases++] = set->cases[i];
	printf("\nqemu target, %s, on the %u tx-csum cases the %s takes:\n",
	       q->info.version, sub.ncases, device);
	snprintf(what, sizeof(what), "qemu:%s + diff", device);
	if (case_rate(model, q, &sub, budget * 2, &r) == 0)
		printf("  model vs %-19s %12.0f cases/s\n", what, r.cps);
	if (kern && case_rate(kern, NULL, &sub, budget * 2, &k) == 0) {
		printf("  kernel engine, same cases   %12.0f cases/s\n", k.cps);
		if (r.cps > 0)
			printf("ratios: qemu-qtest (%s) / kernel engine %.2f\n", device,
			       r.cps / k.cps);
	}
out:
	free(sub.cases);
	ofd_engine__close(q);
}

static const struct ofd_opt bench_opts[] = {
	OFD_OPT(0, "quick", OFD_OPT_FLAG, struct bench_opts, quick, NULL,
		"a third of the time per measurement (noisier ratios)"),
	{ NULL, 0, 0, 0, NULL, NULL, 0, 0 },
};

static int do_bench(int argc, char **argv)
{
	struct bench_opts o = { 0 };
	static const size_t sizes[] = { 64, 256, 1500, 9000, 65536 };
	const size_t big = 256u << 20;
	struct ofd_engine_opts eo = { .profile = "conformant",
				      .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) };
	char profiles[PATH_MAX], pat[PATH_MAX + 16];
	struct ofd_engine *model = NULL, *emu = NULL, *kern = NULL;
	struct ofd_corpus corpus = { 0 };
	struct ofd_caseset set = { 0 };
	double budget = 0.5, mem, g;
	struct rate both, m_only, e_only, k_only, small_both, small_k;
	struct ofd_caseset small = { 0 };
	char err[512] = "";
	uint8_t *buf;
	glob_t gl;
	size_t i;
	int e, ret = OFD_EXIT_UNAVAILABLE;

	e = ofd_cli_parse(&o, &argc, argv);
	if (e)
		return ofd_cli_parse_exit(e);
	if (o.quick)
		budget = 0.15;

	printf("offdiff bench (ratios are measured side by side in this run)\n\n");
	buf = malloc(big);
	if (!buf)
		return OFD_EXIT_UNAVAILABLE;
	for (i = 0; i < big; i++)
		buf[i] = (uint8_t)(i * 7);
	mem = mem_read_gbs(buf, big, budget * 2);
	printf("memory read bandwidth (256 MiB, 64-bit loads): %.2f GB/s\n\n", mem);
	printf("%-10s %16s %8s %16s %8s\n", "checksum", "in cache GB/s", "ratio",
	       "from DRAM GB/s", "ratio");
	for (i = 0; i < OFD_ARRAY_SIZE(sizes); i++) {
		double hot = csum_gbs(buf, 1 << 20 > sizes[i] ? 256 * 1024 : sizes[i], sizes[i], budget);

		g = csum_gbs(buf, big, sizes[i], budget);
		printf("%6zu B   %16.2f %8.2f %16.2f %8.2f\n", sizes[i], hot, hot / mem, g, g / mem);
	}
	free(buf);

	ofd_datadir_find("specs/profiles", profiles, sizeof(profiles));
	eo.profile_dir = profiles;
	ofd_datadir_find("corpus/tx-csum", pat, sizeof(pat) - 16);
	strcat(pat, "/*.pcap");
	if (glob(pat, 0, NULL, &gl) == 0) {
		for (i = 0; i < gl.gl_pathc; i++)
			if ((e = ofd_corpus_load(&corpus, gl.gl_pathv[i], err, sizeof(err)))) {
				ofd_cli_err("bench: %s", err);
				globfree(&gl);
				goto out;
			}
		globfree(&gl);
	}
	e = ofd_cases_derive(&corpus, OFD_CAP(OFD_OFFLOAD_TX_CSUM), 3, NULL, &set, err,
			     sizeof(err));
	if (e || !set.ncases) {
		ofd_cli_err("bench: no tx-csum cases in %s (set OFFDIFF_DATADIR)", pat);
		goto out;
	}
	/* Like for like: only cases the kernel engine can run too (CRC32c
	 * cannot be requested through virtio_net_hdr). */
	{
		uint32_t k, n = 0;

		for (k = 0; k < set.ncases; k++)
			if (set.cases[k].req.csum_type == OFD_CSUM_INET)
				set.cases[n++] = set.cases[k];
		set.ncases = n;
	}
	if (ofd_engine__open("model", &eo, &model, err, sizeof(err)) ||
	    ofd_engine__open("emu", &eo, &emu, err, sizeof(err))) {
		ofd_cli_err("bench: %s", err);
		goto out;
	}
	if (case_rate(model, emu, &set, budget * 2, &both) ||
	    case_rate(model, NULL, &set, budget, &m_only) ||
	    case_rate(emu, NULL, &set, budget, &e_only))
		goto out;
	printf("\ntx-csum on the bundled corpus, SCTP left out (%u cases), one core:\n",
	       set.ncases);
	printf("  model alone                 %12.0f cases/s\n", m_only.cps);
	printf("  emu:conformant alone        %12.0f cases/s\n", e_only.cps);
	printf("  model vs emu + diff         %12.0f cases/s\n", both.cps);

	/* The same path on the corpus' small frames (<= 128 B), where the
	 * per-case cost shows rather than memory bandwidth. */
	small.cases = calloc(set.ncases, sizeof(*small.cases));
	if (!small.cases)
		goto out;
	for (i = 0; i < set.ncases; i++)
		if (set.cases[i].pkts[0].len <= 128)
			small.cases[small.ncases++] = set.cases[i];
	if (small.ncases && case_rate(model, emu, &small, budget, &small_both) == 0)
		printf("  model vs emu, frames <= 128 B %10.0f cases/s (%u cases)\n",
		       small_both.cps, small.ncases);

	eo.caps |= OFD_CAP(OFD_OFFLOAD_TSO) | OFD_CAP(OFD_OFFLOAD_GRO);
	e = ofd_engine__open("kernel", &eo, &kern, err, sizeof(err));
	if (e) {
		printf("\nkernel engine unavailable here: %s\n", err);
		kern = NULL;
	} else {
		double floor_pps = 0;

		if (case_rate(kern, NULL, &set, budget * 2, &k_only) == 0 &&
		    ofd_kernel_bench_floor(100000, &floor_pps) == 0) {
			printf("  kernel engine tx-csum       %12.0f cases/s\n", k_only.cps);
			printf("  bare send+read floor        %12.0f frames/s\n", floor_pps);
			printf("\nratios: kernel engine / floor %.2f; model / kernel %.1fx; "
			       "model-vs-emu / kernel %.1fx\n",
			       k_only.cps / floor_pps, m_only.cps / k_only.cps,
			       both.cps / k_only.cps);
			if (small.ncases && small_both.cps > 0 &&
			    case_rate(kern, NULL, &small, budget, &small_k) == 0)
				printf("        frames <= 128 B: kernel engine %.0f cases/s; model-vs-emu / kernel %.1fx\n",
				       small_k.cps, small_both.cps / small_k.cps);
		}
	}
	vnic_rate(model, &set, budget, k_only.cps);
	plugin_rates(model, &set, budget, both.cps);
	qemu_rate(model, kern, &set, budget, "e1000e");
	qemu_rate(model, kern, &set, budget, "vmxnet3");
	/* tso: the model and the emulator opened for it (their tso files
	 * may answer unsupported: then that is printed instead of a rate). */
	ofd_engine__close(emu);
	ofd_engine__close(model);
	emu = model = NULL;
	if (ofd_engine__open("model", &eo, &model, err, sizeof(err)))
		model = NULL;
	if (ofd_engine__open("emu", &eo, &emu, err, sizeof(err)))
		emu = NULL;
	tso_rates(model, emu, kern, 2500, 1000, budget);
	tso_rates(model, emu, kern, 64000, 1448, budget);
	printf("\ngro:\n");
	gro_rates(model, kern, budget);
	ofdint_bench_rss(budget, mem);
	ofdint_bench_dissect(budget);
	ofdint_bench_flowdis(budget);
	ofdint_bench_allowlist(budget);
	ret = OFD_EXIT_EQUAL;
out:
	ofd_engine__close(kern);
	ofd_engine__close(emu);
	ofd_engine__close(model);
	free(small.cases);
	ofd_caseset_free(&set);
	ofd_corpus_free(&corpus);
	return ret;
}

static const struct ofd_verb bench_verbs[] = {
	{ NULL, do_bench, NULL,
	  "throughput ratios measured side by side: checksum vs memory, model, emulator, kernel engine",
	  NULL, bench_opts, 0, 0, 0 },
	{ 0 },
};

const struct ofd_object ofd_obj_bench = { "bench", "throughput ratios (also: make bench)",
					  bench_verbs };
