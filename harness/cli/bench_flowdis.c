// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * bench_flowdis.c - `offdiff bench`'s flow dissector lines (issue 21):
 * one program, its two images side by side on the frame set of the
 * flowdis suite (every header the program walks, ofd_flowdis_frames.h):
 *  - the native image, called directly (the parser engine's inner loop);
 *  - the BPF image through BPF_PROG_TEST_RUN, one syscall per dissect;
 *  - the floor of that: the kernel's own time per run with `repeat`
 *    (bpf_test_timer), the syscall and copies paid once for many runs;
 *  - the engines answering dissect cases with the result record (parser,
 *    bpf, and the model when it has a dissect layer);
 *  - inside the kernel: how many frames the built-in dissector and ours,
 *    attached to the kernel engine's namespace, hash alike
 *    (ofd_kernel_rxhash), and the frames per second of that path.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ofd.h"
#include "ofd_cli.h"
#include "ofd_images.h"
#include "ofd_kernel_flowdis.h"
#include "ofd_run.h"
#include "ofd_flowdis_frames.h"

#define FLOOR_REPEAT 100000

/* Dissects per second of one image over the frame set. */
static double image_rate(struct ofd_bpfimg *b, struct ofd_nativeimg *nat,
			 const struct fd_case *c, unsigned int n, double budget)
{
	struct bpf_flow_keys k;
	double t0 = ofd_now(), el;
	uint64_t done = 0;
	unsigned int i;
	int r;

	do {
		for (i = 0; i < n; i++) {
			if (b ? ofd_bpfimg_run(b, c[i].f.b, c[i].f.n, c[i].flags, 1, &k, &r, NULL)
			      : ofd_nativeimg_run(nat, c[i].f.b, c[i].f.n, c[i].flags, &k, &r))
				return 0;
		}
		done += n;
		el = ofd_now() - t0;
	} while (el < budget);
	return (double)done / el;
}

/* Cases per second of an engine over the frame set as dissect cases. */
static double engine_rate(const char *name, const struct fd_case *c, unsigned int n,
			  double budget, char *why, size_t why_len)
{
	struct ofd_engine_opts eo = { .caps = OFD_CAP(OFD_OFFLOAD_DISSECT) };
	struct ofd_pkt pk[FD_MAX_CASES];
	struct ofd_case cs[FD_MAX_CASES];
	struct ofd_result *res[FD_MAX_CASES] = { 0 };
	struct ofd_engine *e = NULL;
	double t0, el, rate = 0;
	uint64_t done = 0;
	unsigned int i;

	if (ofd_engine__open(name, &eo, &e, why, why_len))
		return 0;
	if (!(ofd_engine_caps(e->ops) & OFD_CAP(OFD_OFFLOAD_DISSECT))) {
		snprintf(why, why_len, "%s has no dissect layer yet", name);
		goto out;
	}
	for (i = 0; i < n; i++) {
		pk[i] = (struct ofd_pkt){ c[i].f.b, c[i].f.n, 0 };
		cs[i] = (struct ofd_case){ .id = i, .offload = OFD_OFFLOAD_DISSECT, .npkts = 1,
					   .pkts = &pk[i] };
		cs[i].req.rx_flags = (uint8_t)c[i].flags;
		if (ofd_result__new(4096, &res[i]))
			goto out;
	}
	t0 = ofd_now();
	do {
		for (i = 0; i < n; i++)
			ofd_result_reset(res[i]);
		if (e->ops->run(e->priv, cs, res, n))
			goto out;
		done += n;
		el = ofd_now() - t0;
	} while (el < budget);
	for (i = 0; i < n; i++)
		if (res[i]->status != OFD_RES_OK) {
			snprintf(why, why_len, "%s answered case %u: %s", name, i,
				 res[i]->detail ? res[i]->detail : "not OK");
			goto out;
		}
	rate = (double)done / el;
out:
	for (i = 0; i < n; i++)
		ofd_result__free(res[i]);
	ofd_engine__close(e);
	return rate;
}

/* Built-in vs BPF rx hashes in the kernel engine's namespace. */
static void kernel_hashes(struct ofd_bpfimg *b, const struct fd_case *c, unsigned int n)
{
	struct ofd_engine_opts eo = { .caps = OFD_CAP(OFD_OFFLOAD_TX_CSUM) };
	const uint8_t *f[FD_MAX_CASES];
	uint32_t l[FD_MAX_CASES], hc[FD_MAX_CASES], hb[FD_MAX_CASES];
	struct ofd_engine *e = NULL;
	unsigned int i, same = 0;
	const char *why = NULL;
	char msg[512];
	double t0, el;

	if (ofd_engine__open("kernel", &eo, &e, msg, sizeof(msg))) {
		printf("  kernel rx hash                         unavailable: %s\n", msg);
		return;
	}
	for (i = 0; i < n; i++) {
		f[i] = c[i].f.b;
		l[i] = c[i].f.n;
	}
	t0 = ofd_now();
	if (ofd_kernel_rxhash(e, -1, f, l, n, hc, &why) ||
	    ofd_kernel_rxhash(e, ofd_bpfimg_prog_fd(b), f, l, n, hb, &why)) {
		printf("  kernel rx hash                         unavailable: %s\n", why ? why : "?");
		ofd_engine__close(e);
		return;
	}
	el = ofd_now() - t0;
	for (i = 0; i < n; i++)
		same += hc[i] == hb[i];
	printf("  %-38s %12.0f frames/s (tap in, TPACKET_V3 out, attach and detach)\n",
	       "kernel rx hash, built-in then BPF", 2 * n / el);
	printf("  built-in and BPF dissector hash %u of %u frames alike (the others: VLAN and GRE\n"
	       "  keys, ports the C dissector takes where ours drops, IPv6 with flow label 0 where\n"
	       "  ours stops under STOP_AT_FLOW_LABEL; see the kernel_flowdis suite)\n", same, n);
	ofd_engine__close(e);
}

void ofdint_bench_flowdis(double budget)
{
	struct fd_case c[FD_MAX_CASES];
	unsigned int n = fd_cases(c), i;
	static const char *const engines[] = { "parser", "bpf", "model" };
	struct ofd_nativeimg *nat = NULL;
	struct ofd_bpfimg *b = NULL;
	double native = 0, sys = 0, floor_all = 0;
	char why[640] = "";

	printf("\ndissect, the flow dissector of targets/progs/ on %u frames (every header it walks), one core:\n",
	       n);
	if (ofd_nativeimg__open(NULL, &nat, why, sizeof(why)) == 0) {
		native = image_rate(NULL, nat, c, n, budget);
		printf("  %-38s %12.0f dissects/s\n", "native image, direct call", native);
	} else {
		printf("  %-38s unavailable: %s\n", "native image", why);
	}
	if (ofd_bpfimg__open(NULL, &b, why, sizeof(why)) == 0) {
		uint64_t ns = 0;

		sys = image_rate(b, NULL, c, n, budget);
		printf("  %-38s %12.0f dissects/s (one syscall each)\n", "BPF image, BPF_PROG_TEST_RUN", sys);
		/* The floor: the kernel's mean time per run over many runs of
		 * each frame, the syscall paid once per frame. */
		for (i = 0; i < n; i++) {
			struct bpf_flow_keys k;
			uint32_t d = 0;
			int r;

			if (ofd_bpfimg_run(b, c[i].f.b, c[i].f.n, c[i].flags, FLOOR_REPEAT, &k, &r, &d))
				break;
			ns += d;
		}
		if (i == n && ns) {
			floor_all = 1e9 * n / (double)ns;
			printf("  %-38s %12.0f dissects/s (repeat %u: the kernel's time per run)\n",
			       "BPF_PROG_TEST_RUN floor", floor_all, FLOOR_REPEAT);
		}
		kernel_hashes(b, c, n);
	} else {
		printf("  %-38s unavailable: %s\n", "BPF image", why);
	}
	for (i = 0; i < OFD_ARRAY_SIZE(engines); i++) {
		double r = engine_rate(engines[i], c, n, budget, why, sizeof(why));

		if (r > 0)
			printf("  engine %-31s %12.0f cases/s (keys record in the result)\n",
			       engines[i], r);
		else
			printf("  engine %-31s unavailable: %s\n", engines[i], why);
	}
	if (native > 0 && sys > 0)
		printf("ratios: native / BPF syscall %.1fx", native / sys);
	if (native > 0 && floor_all > 0)
		printf("; native / BPF floor %.1fx; floor / syscall %.1fx", native / floor_all,
		       floor_all / sys);
	if (native > 0 && sys > 0)
		printf("\n");
	ofd_bpfimg__free(b);
	ofd_nativeimg__free(nat);
}
