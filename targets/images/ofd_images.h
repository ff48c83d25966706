/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_images.h - the two images of a program from targets/progs/ and the
 * engines that run them (issue 21):
 *
 *   bpf     build/progs/<name>.bpf.o loaded into the running kernel with
 *           libbpf, each case a BPF_PROG_TEST_RUN (bpf.c);
 *   parser  build/progs/<name>.so, the same source built natively,
 *           dlopen'ed as a device loads its parser (parser.c).
 *
 * Both answer the dissect offload with the record of ofd_flow_keys.h,
 * mapped from the struct bpf_flow_keys the program filled, as the kernel
 * maps it (__skb_flow_bpf_to_target, kernel-rx.md 5.4); both name the
 * program and the SHA-256 of its IR, which each image carries as the
 * string ofd_prog_ident ("<name> <version> <sha256>").
 */
#ifndef OFD_IMAGES_H
#define OFD_IMAGES_H

#include <stddef.h>
#include <stdint.h>

#include <linux/bpf.h>

#include "ofd.h"
#include "ofd_flow_keys.h"

/* The one program so far. */
#define OFD_IMG_FLOWDIS "flow_dissector"

/* BPF_PROG_TEST_RUN takes a flow dissector's frame in one page
 * (bpf_test_init: no head- or tailroom, size <= PAGE_SIZE) of at least an
 * Ethernet header; the native runner takes the same, so that both images
 * answer the same cases. */
#define OFD_IMG_MIN_LEN 14
#define OFD_IMG_MAX_LEN 4096

struct ofd_img_id {
	char name[32];
	char version[16];
	char sha256[65];
};

/* Parse an image's ofd_prog_ident ("<name> <version> <64 hex>", @len
 * bytes, maybe NUL-terminated): 0 or -EINVAL. */
int ofd_img_id_parse(const char *s, size_t len, struct ofd_img_id *id);

/* Where an image is: "<dir of the running binary>/progs/<file>", where
 * `make` puts them (next to offdiff and check_offdiff), else
 * "<that dir>/../lib/offdiff/progs/<file>" when that one exists (`make
 * install`). 0 or -errno. */
int ofd_img_path(const char *file, char *out, size_t len);

/* The keys the kernel would take from a run that returned @retval with
 * @bk: status, control, basic, addresses, ports, flow label; have =
 * BASIC|ADDRS|PORTS|FLOW_LABEL (a BPF dissector has no VLAN or GRE key). */
void ofd_img_keys(const struct bpf_flow_keys *bk, int retval, struct ofd_flow_keys *k);

/* ---- the BPF image (bpf.c) ---- */

struct ofd_bpfimg;
/* Load @path (NULL: the default image) and its program into the kernel;
 * @why gets one line on failure (-EPERM without CAP_BPF/CAP_SYS_ADMIN,
 * -ENOENT without the image). */
int ofd_bpfimg__open(const char *path, struct ofd_bpfimg **out, char *why, size_t why_len);
void ofd_bpfimg__free(struct ofd_bpfimg *img);
const struct ofd_img_id *ofd_bpfimg_id(const struct ofd_bpfimg *img);
int ofd_bpfimg_prog_fd(const struct ofd_bpfimg *img);
/*
 * ofd_bpfimg_run - BPF_PROG_TEST_RUN of the program on one frame
 * (OFD_IMG_MIN_LEN..OFD_IMG_MAX_LEN bytes), ctx_in a struct bpf_flow_keys
 * holding only @flags (BPF_FLOW_DISSECTOR_F_*), @repeat times (0 is 1).
 * *@bk gets data_out (the keys), *@retval the program's return,
 * *@duration_ns (optional) the kernel's mean time per run.
 * 0 or -errno of the syscall.
 */
int ofd_bpfimg_run(struct ofd_bpfimg *img, const uint8_t *frame, uint32_t len,
		   uint32_t flags, uint32_t repeat, struct bpf_flow_keys *bk,
		   int *retval, uint32_t *duration_ns);

/* ---- the native image (parser.c) ---- */

struct ofd_nativeimg;
int ofd_nativeimg__open(const char *path, struct ofd_nativeimg **out, char *why,
			size_t why_len);
void ofd_nativeimg__free(struct ofd_nativeimg *img);
const struct ofd_img_id *ofd_nativeimg_id(const struct ofd_nativeimg *img);
/* The program on one frame as bpf_flow_dissect() runs it for a test run:
 * keys zeroed but for n_proto (the frame's ethertype), nhoff = thoff = 14
 * and @flags, then nhoff and thoff clamped to the frame. -EINVAL for a
 * length BPF_PROG_TEST_RUN refuses. */
int ofd_nativeimg_run(const struct ofd_nativeimg *img, const uint8_t *frame,
		      uint32_t len, uint32_t flags, struct bpf_flow_keys *bk,
		      int *retval);

/* What both engines do with a dissect case, given a runner. */
typedef int (*ofd_img_run_fn)(void *img, const uint8_t *frame, uint32_t len,
			      uint32_t flags, struct bpf_flow_keys *bk, int *retval);
int ofd_img_answer(void *img, ofd_img_run_fn run, const struct ofd_case *c,
		   struct ofd_result *res);
/* Fill the program fields of an engine's info from an image's id. */
void ofd_img_info(const struct ofd_img_id *id, struct ofd_engine_info *info);

#endif /* OFD_IMAGES_H */
