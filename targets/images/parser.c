// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * parser.c - the `parser` engine: the native image of a program from
 * targets/progs/ (build/progs/flow_dissector.so), the same source as the
 * BPF object built for the host with ofd_prog.h's shim, loaded the way a
 * device loads its parser. It answers dissect as the program answers
 * BPF_PROG_TEST_RUN: the engine plays bpf_flow_dissect() (keys set up,
 * offsets clamped after the run), the image the program.
 */
#include <dlfcn.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ofd_images.h"
#include "ofd_prog.h"

struct ofd_nativeimg {
	void *dl;
	int (*entry)(struct ofd_prog_ctx *ctx);
	struct ofd_img_id id;
	char path[512];
};

int ofd_nativeimg__open(const char *path, struct ofd_nativeimg **out, char *why,
			size_t why_len)
{
	struct ofd_nativeimg *img = calloc(1, sizeof(*img));
	const char *ident;
	int err;

	if (!img)
		return -ENOMEM;
	if (path)
		snprintf(img->path, sizeof(img->path), "%s", path);
	else if ((err = ofd_img_path(OFD_IMG_FLOWDIS ".so", img->path, sizeof(img->path)))) {
		snprintf(why, why_len, "parser: cannot locate the image: %s", strerror(-err));
		free(img);
		return err;
	}
	if (access(img->path, R_OK)) {
		err = -errno;
		snprintf(why, why_len, "parser: no native image %s (make progs): %s",
			 img->path, strerror(errno));
		free(img);
		return err;
	}
	img->dl = dlopen(img->path, RTLD_NOW | RTLD_LOCAL);
	if (!img->dl) {
		snprintf(why, why_len, "parser: %s", dlerror());
		free(img);
		return -ENOEXEC;
	}
	/* The entry is the BPF program's function, by the same name. */
	*(void **)&img->entry = dlsym(img->dl, "ofd_dissector");
	ident = dlsym(img->dl, "ofd_prog_ident");
	if (!img->entry || !ident || ofd_img_id_parse(ident, 128, &img->id)) {
		snprintf(why, why_len, "parser: %s has no program ofd_dissector with an identity",
			 img->path);
		ofd_nativeimg__free(img);
		return -ENOEXEC;
	}
	*out = img;
	return 0;
}

void ofd_nativeimg__free(struct ofd_nativeimg *img)
{
	if (!img)
		return;
	if (img->dl)
		dlclose(img->dl);
	free(img);
}

const struct ofd_img_id *ofd_nativeimg_id(const struct ofd_nativeimg *img)
{
	return &img->id;
}

/* clamp_t(u16, v, lo, hi) of the kernel: every operand cut to 16 bits. */
static uint16_t clamp16(uint16_t v, uint16_t lo, uint16_t hi)
{
	if (v < lo)
		v = lo;
	return v > hi ? hi : v;
}

int ofd_nativeimg_run(const struct ofd_nativeimg *img, const uint8_t *frame,
		      uint32_t len, uint32_t flags, struct bpf_flow_keys *bk,
		      int *retval)
{
	struct ofd_prog_ctx ctx = { frame, frame + len, bk };

	if (len < OFD_IMG_MIN_LEN || len > OFD_IMG_MAX_LEN)
		return -EINVAL;
	/* bpf_flow_dissect() for bpf_prog_test_run_flow_dissector(): no
	 * skb, so n_proto is the frame's ethertype and nhoff ETH_HLEN. */
	memset(bk, 0, sizeof(*bk));
	memcpy(&bk->n_proto, frame + 12, 2);
	bk->nhoff = bk->thoff = 14;
	bk->flags = flags;
	*retval = img->entry(&ctx);
	bk->nhoff = clamp16(bk->nhoff, 14, (uint16_t)len);
	bk->thoff = clamp16(bk->thoff, bk->nhoff, (uint16_t)len);
	return 0;
}

/* ---- the engine ---- */

static int parser_run_one(void *img, const uint8_t *frame, uint32_t len, uint32_t flags,
			  struct bpf_flow_keys *bk, int *retval)
{
	return ofd_nativeimg_run(img, frame, len, flags, bk, retval);
}

static int parser_probe(char *why, size_t why_len)
{
	char path[512];
	int err = ofd_img_path(OFD_IMG_FLOWDIS ".so", path, sizeof(path));

	if (!err && access(path, R_OK))
		err = -errno;
	if (err)
		snprintf(why, why_len, "parser: no native image %s (make progs)", path);
	return err;
}

static int parser_open(const struct ofd_engine_opts *opts, void **priv)
{
	struct ofd_nativeimg *img;
	char why[640];
	int err;

	err = ofd_nativeimg__open(opts ? ofd_engine_param(opts, "image") : NULL, &img,
				  why, sizeof(why));
	if (err) {
		ofd_pr_warn("%s\n", why);
		return err;
	}
	*priv = img;
	return 0;
}

static int parser_run(void *priv, const struct ofd_case *cases,
		      struct ofd_result *const *results, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		ofd_img_answer(priv, parser_run_one, &cases[i], results[i]);
	return 0;
}

static void parser_info(void *priv, struct ofd_engine_info *info)
{
	struct ofd_nativeimg *img = priv;

	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "parser");
	if (!img)
		return;
	snprintf(info->version, sizeof(info->version), "native image %.100s", img->path);
	ofd_img_info(&img->id, info);
}

static void parser_close(void *priv)
{
	ofd_nativeimg__free(priv);
}

static const struct ofd_engine_param_doc parser_params[] = {
	{ "image", "the native image to load (default: progs/flow_dissector.so next to offdiff)" },
	{ NULL, NULL },
};

const struct ofd_engine_ops ofd_engine_parser = {
	.name = "parser",
	.desc = "the flow dissector of targets/progs/ built natively: the emulator's parser image",
	.flags = OFD_F_DEVICE,
	.caps = OFD_CAP(OFD_OFFLOAD_DISSECT),
	.probe = parser_probe,
	.open = parser_open,
	.run = parser_run,
	.info = parser_info,
	.close = parser_close,
	.params = parser_params,
};
