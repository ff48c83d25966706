/* SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only */
/*
 * ofd_prog.h - what a program under targets/progs/ needs from where it
 * runs, so that its source is written once and built twice (issue 21):
 *
 *  - under clang -target bpf (__bpf__): libbpf's bpf_helpers.h; the
 *    context is struct __sk_buff, whose data and data_end the verifier
 *    checks every packet read against;
 *  - natively (the parser image, build/progs/flow_dissector.so): a shim
 *    with the same names, the context a struct of two pointers and the
 *    keys, and the same bounds checks done on lengths.
 *
 * struct bpf_flow_keys and BPF_OK/BPF_DROP come from the kernel's uapi
 * <linux/bpf.h> in both builds: the native image fills the very record
 * BPF_PROG_TEST_RUN returns.
 */
#ifndef OFD_PROG_H
#define OFD_PROG_H

#include <linux/bpf.h>

#ifdef __bpf__

#include <bpf/bpf_endian.h>
#include <bpf/bpf_helpers.h>

typedef struct __sk_buff prog_ctx;
#define PROG_SEC(name) SEC(name)
#define PROG_HTONS(x) bpf_htons(x)
#define PROG_HTONL(x) bpf_htonl(x)
#define PROG_INLINE static __always_inline

/*
 * hdr_at - @len bytes at @off of the linear data, or NULL past its end.
 * The first test keeps off + len below 64 KiB, which the verifier needs
 * to accept a variable offset on a packet pointer; the second is the
 * check it proves every read against. Headers beyond the linear area
 * are not fetched with bpf_skb_load_bytes: BPF_PROG_TEST_RUN has no skb
 * (the helper fails there), so the program reads what both images can.
 */
/* The frame, read from the context once: clang would otherwise keep
 * &ctx->data around, and the verifier refuses a load through a moved
 * context pointer. */
struct prog_pkt {
	const __u8 *data, *end;
};
#define PROG_PKT(ctx)                                                   \
	{ (const __u8 *)(long)(ctx)->data, (const __u8 *)(long)(ctx)->data_end }

PROG_INLINE const __u8 *hdr_at(const struct prog_pkt *pkt, __u32 off, __u32 len)
{
	if (off > 0xffff - len)
		return NULL;
	/* Keep clang from deriving the pointer from @off before the test
	 * above (the verifier would see an unbounded offset). */
	asm volatile("" : "+r"(off));
	if (pkt->data + off + len > pkt->end)
		return NULL;
	return pkt->data + off;
}

#else /* native */

#include <arpa/inet.h>
#include <stddef.h>

/* The native context: the frame [data, data_end) and the keys, as the
 * kernel's struct bpf_flow_dissector hands them to a BPF program. */
struct ofd_prog_ctx {
	const __u8 *data;
	const __u8 *data_end;
	struct bpf_flow_keys *flow_keys;
};
typedef struct ofd_prog_ctx prog_ctx;

/* Sections mean nothing to the dynamic loader: the program's entry is an
 * exported function of the same name, found by dlsym. */
#define PROG_SEC(name) __attribute__((visibility("default")))
#define PROG_HTONS(x) htons(x)
#define PROG_HTONL(x) htonl(x)
#define PROG_INLINE static inline __attribute__((always_inline))

/* The same two tests as the BPF build, on lengths instead of pointers
 * (a pointer past the end of the frame is undefined behaviour in C). */
struct prog_pkt {
	const __u8 *data, *end;
};
#define PROG_PKT(ctx) { (ctx)->data, (ctx)->data_end }

PROG_INLINE const __u8 *hdr_at(const struct prog_pkt *pkt, __u32 off, __u32 len)
{
	size_t have = (size_t)(pkt->end - pkt->data);

	if (off > 0xffff - len)
		return NULL;
	if ((size_t)off + len > have)
		return NULL;
	return pkt->data + off;
}

#endif /* __bpf__ */

/* Big-endian reads of bytes hdr_at has vouched for. */
PROG_INLINE __u16 prog_get16(const __u8 *p)
{
	return (__u16)(p[0] << 8 | p[1]);
}

#endif /* OFD_PROG_H */
