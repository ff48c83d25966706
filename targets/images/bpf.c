// SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
/*
 * bpf.c - the `bpf` engine: the BPF image of a program from
 * targets/progs/ (build/progs/flow_dissector.bpf.o) loaded with libbpf
 * into the running kernel, every dissect case one BPF_PROG_TEST_RUN
 * (kernel-rx.md 5.4): data_in the frame, ctx_in a struct bpf_flow_keys
 * holding only the case's input flags, data_out the keys the program
 * left. Nothing is attached anywhere: a test run touches no namespace
 * (the kernel engine attaches the same object to its own, see
 * oracles/kernel/kernel_flowdis.c).
 */
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "ofd_images.h"
#include "ofd_kernel.h"

struct ofd_bpfimg {
	struct bpf_object *obj;
	int prog_fd;
	struct ofd_img_id id;
	char path[512];
};

/* libbpf's messages (the verifier log of a refused program) go to the
 * debug log, not straight to stderr. */
static int bpfimg_print(enum libbpf_print_level lvl, const char *fmt, va_list ap)
{
	char line[1024];

	vsnprintf(line, sizeof(line), fmt, ap);
	ofd_pr(lvl == LIBBPF_WARN ? OFD_INFO : OFD_DEBUG, "libbpf: %s", line);
	return 0;
}

static pthread_once_t bpfimg_once = PTHREAD_ONCE_INIT;
static void bpfimg_init(void)
{
	libbpf_set_print(bpfimg_print);
}

int ofd_bpfimg__open(const char *path, struct ofd_bpfimg **out, char *why, size_t why_len)
{
	struct ofd_bpfimg *img = calloc(1, sizeof(*img));
	struct bpf_program *prog;
	struct bpf_map *map;
	const void *ident;
	size_t sz = 0;
	int err;

	if (!img)
		return -ENOMEM;
	pthread_once(&bpfimg_once, bpfimg_init);
	img->prog_fd = -1;
	if (path)
		snprintf(img->path, sizeof(img->path), "%s", path);
	else if ((err = ofd_img_path(OFD_IMG_FLOWDIS ".bpf.o", img->path, sizeof(img->path)))) {
		snprintf(why, why_len, "bpf: cannot locate the image: %s", strerror(-err));
		goto fail;
	}
	img->obj = bpf_object__open_file(img->path, NULL);
	if (!img->obj) {
		err = -errno;
		snprintf(why, why_len, "bpf: cannot open %s (make progs): %s", img->path,
			 strerror(-err));
		goto fail;
	}
	/* The identity the build stamped in (ofd_prog_ident, a .rodata
	 * section of its own, so its bytes are exactly the string). */
	map = bpf_object__find_map_by_name(img->obj, ".rodata.ofd_ident");
	ident = map ? bpf_map__initial_value(map, &sz) : NULL;
	if (!ident || ofd_img_id_parse(ident, sz, &img->id)) {
		err = -ENOEXEC;
		snprintf(why, why_len, "bpf: %s carries no program identity", img->path);
		goto fail;
	}
	prog = bpf_object__find_program_by_name(img->obj, "ofd_dissector");
	if (!prog || bpf_program__type(prog) != BPF_PROG_TYPE_FLOW_DISSECTOR) {
		err = -ENOEXEC;
		snprintf(why, why_len, "bpf: %s has no flow dissector ofd_dissector", img->path);
		goto fail;
	}
	err = bpf_object__load(img->obj);
	if (err) {
		snprintf(why, why_len, "bpf: the kernel refused %s: %s%s", img->path,
			 strerror(-err), err == -EPERM ? " (needs CAP_BPF, run as root)" : "");
		goto fail;
	}
	img->prog_fd = bpf_program__fd(prog);
	*out = img;
	return 0;
fail:
	ofd_bpfimg__free(img);
	return err;
}

void ofd_bpfimg__free(struct ofd_bpfimg *img)
{
	if (!img)
		return;
	bpf_object__close(img->obj);
	free(img);
}

const struct ofd_img_id *ofd_bpfimg_id(const struct ofd_bpfimg *img)
{
	return &img->id;
}

int ofd_bpfimg_prog_fd(const struct ofd_bpfimg *img)
{
	return img->prog_fd;
}

int ofd_bpfimg_run(struct ofd_bpfimg *img, const uint8_t *frame, uint32_t len,
		   uint32_t flags, uint32_t repeat, struct bpf_flow_keys *bk,
		   int *retval, uint32_t *duration_ns)
{
	/* Every field but flags zero: verify_user_bpf_flow_keys. */
	struct bpf_flow_keys in = { .flags = flags };
	LIBBPF_OPTS(bpf_test_run_opts, o,
		.data_in = frame,
		.data_size_in = len,
		.data_out = bk,
		.data_size_out = sizeof(*bk),
		.ctx_in = &in,
		.ctx_size_in = sizeof(in),
		.repeat = repeat,
	);
	int err;

	if (len < OFD_IMG_MIN_LEN || len > OFD_IMG_MAX_LEN)
		return -EINVAL;
	err = bpf_prog_test_run_opts(img->prog_fd, &o);
	if (err)
		return err < 0 ? err : -EIO;
	if (o.data_size_out != sizeof(*bk))
		return -EIO;
	*retval = (int)o.retval;
	if (duration_ns)
		*duration_ns = o.duration;
	return 0;
}

/* ---- the engine ---- */

static int bpf_run_one(void *img, const uint8_t *frame, uint32_t len, uint32_t flags,
		       struct bpf_flow_keys *bk, int *retval)
{
	return ofd_bpfimg_run(img, frame, len, flags, 1, bk, retval, NULL);
}

static int bpf_probe(char *why, size_t why_len)
{
	char path[512];
	int err = ofd_img_path(OFD_IMG_FLOWDIS ".bpf.o", path, sizeof(path));

	if (!err && access(path, R_OK))
		err = -errno;
	if (err) {
		snprintf(why, why_len, "bpf: no BPF image %s (make progs)", path);
		return err;
	}
	if (geteuid() != 0) {
		snprintf(why, why_len, "bpf: loading a BPF program needs CAP_BPF (run as root)");
		return -EPERM;
	}
	return 0;
}

static int bpf_open(const struct ofd_engine_opts *opts, void **priv)
{
	struct ofd_bpfimg *img;
	char why[640];
	int err;

	err = ofd_bpfimg__open(opts ? ofd_engine_param(opts, "image") : NULL, &img, why,
			       sizeof(why));
	if (err) {
		ofd_pr_warn("%s\n", why);
		return err;
	}
	*priv = img;
	return 0;
}

static int bpf_run(void *priv, const struct ofd_case *cases,
		   struct ofd_result *const *results, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		ofd_img_answer(priv, bpf_run_one, &cases[i], results[i]);
	return 0;
}

static void bpf_info(void *priv, struct ofd_engine_info *info)
{
	struct ofd_bpfimg *img = priv;
	char kver[96] = "";

	memset(info, 0, sizeof(*info));
	snprintf(info->name, sizeof(info->name), "bpf");
	ofd_kernel_version(kver, sizeof(kver));
	snprintf(info->version, sizeof(info->version), "BPF_PROG_TEST_RUN, %s, libbpf %u.%u",
		 kver, libbpf_major_version(), libbpf_minor_version());
	if (img)
		ofd_img_info(&img->id, info);
}

static void bpf_close(void *priv)
{
	ofd_bpfimg__free(priv);
}

static const struct ofd_engine_param_doc bpf_params[] = {
	{ "image", "the BPF object to load (default: progs/flow_dissector.bpf.o next to offdiff)" },
	{ NULL, NULL },
};

const struct ofd_engine_ops ofd_engine_bpf = {
	.name = "bpf",
	.desc = "the flow dissector of targets/progs/ as BPF in the running kernel (BPF_PROG_TEST_RUN)",
	/* The kernel running our program is the reference its native image
	 * is diffed against (`run --reference bpf -t parser`), and a target
	 * like any device when the model is the reference. */
	.flags = OFD_F_REFERENCE | OFD_F_DEVICE,
	.caps = OFD_CAP(OFD_OFFLOAD_DISSECT),
	.probe = bpf_probe,
	.open = bpf_open,
	.run = bpf_run,
	.info = bpf_info,
	.close = bpf_close,
	.params = bpf_params,
};
