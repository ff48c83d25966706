// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * corpus_write.c - `offdiff corpus gen`: write every offload's bundled
 * corpus files (its ofd_offload_cases scenarios) as pcaps.
 *
 * Each file is written to a temporary name and renamed into place, so an
 * interrupted generation never leaves a half file under the real name, and
 * packet i is stamped i seconds (gro's trains: their own fixed clock), so
 * the output is byte-for-byte reproducible (a test compares it with the committed corpus).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ofd_offload.h"
#include "corpus_gen_internal.h"

struct write_ctx {
	struct ofd_pcap_writer *w;
	uint32_t npkts;
	uint64_t bytes;
};

void ofd_gen_start(struct ofd_gen *g, const char *fmt, ...)
{
	va_list ap;

	ofd_pktb_init(&g->b, g->buf, g->cap);
	va_start(ap, fmt);
	vsnprintf(g->desc, sizeof(g->desc), fmt, ap);
	va_end(ap);
}

int ofd_gen_emit(struct ofd_gen *g)
{
	struct ofd_corpus_gen_frame f;
	int err = ofd_pktb_finish(&g->b);

	if (err) {
		ofd_pr_warn("corpus gen: %s: %s: %s\n", g->offload, g->desc, strerror(-err));
		return err;
	}
	f.file = g->file;
	f.index = g->index++;
	f.desc = g->desc;
	f.data = g->b.buf;
	f.len = g->b.len;
	f.ts_us = g->timed ? g->clock_us : (uint64_t)f.index * 1000000u;
	return g->cb(g->ctx, &f);
}

int ofd_gen_run(const ofd_gen_fn *fns, unsigned int nfns, unsigned int file,
		uint32_t cap, const char *offload, ofd_corpus_gen_cb cb, void *ctx)
{
	struct ofd_gen *g;
	int err;

	if (file >= nfns || !cb)
		return -EINVAL;
	g = calloc(1, sizeof(*g));
	if (g)
		g->buf = malloc(cap);
	if (!g || !g->buf) {
		free(g);
		return -ENOMEM;
	}
	g->cap = cap;
	g->offload = offload;
	g->file = file;
	g->cb = cb;
	g->ctx = ctx;
	err = fns[file](g);
	free(g->buf);
	free(g);
	return err;
}

static int write_frame(void *ctx, const struct ofd_corpus_gen_frame *f)
{
	struct write_ctx *wc = ctx;
	int err;

	err = ofd_pcap_writer__write(wc->w, f->data, f->len, f->ts_us);
	if (err)
		return err;
	wc->npkts++;
	wc->bytes += f->len;
	return 0;
}

/* mkdir -p for the directories of outdir/rel (rel's last part excluded). */
static int make_dirs(const char *outdir, const char *rel, char *err, size_t err_len)
{
	char path[4096];
	size_t n;
	char *p;

	n = (size_t)snprintf(path, sizeof(path), "%s/%s", outdir, rel);
	if (n >= sizeof(path)) {
		snprintf(err, err_len, "%s: path too long", outdir);
		return -ENAMETOOLONG;
	}
	for (p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(path, 0755) && errno != EEXIST) {
			int e = errno;

			snprintf(err, err_len, "%s: %s", path, strerror(e));
			return -e;
		}
		*p = '/';
	}
	return 0;
}

static int write_scenario(const char *outdir, const struct ofd_corpus_scenario *sc,
			  struct ofd_corpus_gen_info *info, char *err,
			  size_t err_len)
{
	char path[4096], tmp[4096 + 8];
	struct write_ctx wc = { 0 };
	int ret, cret;

	ret = make_dirs(outdir, sc->file, err, err_len);
	if (ret)
		return ret;
	snprintf(path, sizeof(path), "%s/%s", outdir, sc->file);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	ret = ofd_pcap_writer__open(tmp, &wc.w);
	if (ret) {
		snprintf(err, err_len, "%s: cannot create: %s", tmp, strerror(-ret));
		return ret;
	}
	ret = sc->foreach(sc->which, write_frame, &wc);
	cret = ofd_pcap_writer__close(wc.w);
	if (!ret)
		ret = cret;
	if (!ret && rename(tmp, path))
		ret = -errno;
	if (ret) {
		snprintf(err, err_len, "%s: %s", path, strerror(-ret));
		unlink(tmp);
		return ret;
	}
	if (info) {
		snprintf(info->path, sizeof(info->path), "%s", path);
		info->file = sc->file;
		info->npkts = wc.npkts;
		info->bytes = wc.bytes;
	}
	return 0;
}

size_t ofd_corpus_gen_nfiles(void)
{
	unsigned int off;
	size_t n = 0;

	for (off = 0; off < OFD_OFFLOAD__MAX; off++) {
		const struct ofd_offload_ops *o = ofd_offload_get(off);

		if (o->cases)
			n += o->cases->nscenarios;
	}
	return n;
}

int ofd_corpus_gen_ex(const char *outdir, struct ofd_corpus_gen_info *info,
		      char *err, size_t err_len)
{
	unsigned int off, k;
	size_t i = 0;
	int ret;

	if (err_len)
		err[0] = '\0';
	if (mkdir(outdir, 0755) && errno != EEXIST) {
		ret = -errno;
		snprintf(err, err_len, "%s: %s", outdir, strerror(-ret));
		return ret;
	}
	for (off = 0; off < OFD_OFFLOAD__MAX; off++) {
		const struct ofd_offload_ops *o = ofd_offload_get(off);

		for (k = 0; o->cases && k < o->cases->nscenarios; k++, i++) {
			ret = write_scenario(outdir, &o->cases->scenarios[k],
					     info ? &info[i] : NULL, err, err_len);
			if (ret)
				return ret;
		}
	}
	return 0;
}

int ofd_corpus_gen(const char *outdir, char *err, size_t err_len)
{
	return ofd_corpus_gen_ex(outdir, NULL, err, err_len);
}
