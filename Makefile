# SPDX-License-Identifier: BSD-2-Clause OR GPL-2.0-only
# offdiff: one non-recursive Makefile, out-of-tree objects in $(O)/.
#
#   make            build $(O)/offdiff and $(O)/libofd.a, the plugins and
#                   the programs' images (make progs: $(O)/progs/, clang)
#   make run        install missing packages, build, run specs/default.yaml
#   make run-dpdk   the same campaign on DPDK's software offloads (specs/dpdk.yaml)
#   make run-qemu   the tx-csum, tso, rx-csum and rss corpora through QEMU's e1000e (specs/qemu.yaml, qemu-rx.yaml)
#   make check      install missing packages, build and run the Check suites
#   make install    PREFIX=/usr/local DESTDIR=: binary, libofd, headers,
#                   libofd.pc, specs and corpus, offdiff(8), bash completion
#   make uninstall  remove what make install put there
#   make bench      throughput ratios (see harness/cli/bench.c)
#   make rss        peak RSS over 100k and 1M frames (tools/rss.sh)
#   make fuzz       AFL++ build of the tx-csum fuzz target; make fuzz-run
#                   FUZZ_SECONDS=600 runs a campaign (crashes = disagreements)
#   make fuzz-loaders FUZZ_SECONDS=600: AFL++ (ASan+UBSan) on the spec,
#                   profile, case file and checkpoint loaders
#   make SANITIZER=address|undefined check
#   make V=1        show commands

O ?= build
CC ?= cc
PREFIX ?= /usr/local
bindir ?= $(PREFIX)/bin
libdir ?= $(PREFIX)/lib
includedir ?= $(PREFIX)/include
datadir ?= $(PREFIX)/share
mandir ?= $(datadir)/man
CFLAGS ?= -O2 -g
WFLAGS := -Wall -Wextra -Wmissing-prototypes -Wstrict-prototypes -Wformat=2 \
	  -Wno-unused-parameter -Wshadow -Wno-format-truncation
PKGS := libpcap libbpf yaml-0.1 libcrypto jansson libmnl
ifneq ($(CI),)
WFLAGS += -Werror
endif

ifeq ($(SANITIZER),address)
SANFLAGS := -fsanitize=address -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifeq ($(SANITIZER),undefined)
SANFLAGS := -fsanitize=undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
else ifneq ($(SANITIZER),)
$(error SANITIZER must be address or undefined)
endif
ifneq ($(SANITIZER),)
O := $(O)-$(SANITIZER)
endif

ifeq ($(V),1)
Q :=
msg :=
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

# pkg-config results, computed once after the packages are installed.
-include $(O)/config.mk

# Sources by folder: the folders are the pipeline (see docs/layout.md).
# harness/cli/ is the program, harness/fuzz/driver/ the fuzzers' mains,
# */tests/ the Check suites; everything else is libofd.
SRC_DIRS := harness oracles targets
ALL_SRCS := $(shell find $(SRC_DIRS) -name '*.c' | LC_ALL=C sort)
TEST_SRCS := $(filter-out targets/plugin/tests/faulty.c,$(shell find $(SRC_DIRS) -path '*/tests/*.c' | LC_ALL=C sort))
CLI_SRCS := $(filter-out $(TEST_SRCS),$(filter harness/cli/%,$(ALL_SRCS)))
DRIVER_SRCS := $(filter harness/fuzz/driver/%,$(ALL_SRCS))
# Plugins (targets/plugin/<name>/, docs/plugin-abi.md) are shared objects
# built against targets/plugin/ofd_plugin.h alone, never part of libofd;
# targets/plugin/tests/faulty.c is the test suites' misbehaving plugin.
PLUGIN_SRCS := $(shell find targets/plugin -mindepth 2 -name '*.c' ! -name 'check_*' | LC_ALL=C sort)
# Programs written once and built twice (targets/progs/, see "Programs"
# below) are images, never part of libofd.
PROG_SRCS := $(wildcard targets/progs/*.c)
# BPF-only programs (*.bpf.c beside the code that loads them, e.g.
# targets/iface/xdp_rxhash.bpf.c) are built by clang alone into $(O)/progs/.
BPF_ONLY_SRCS := $(filter %.bpf.c,$(ALL_SRCS))
# targets/qemu/agent/ runs inside the qemu target's guest, built static
# by scripts/qemu-guest-image.sh (make qemu-guest-image), never in libofd.
AGENT_SRCS := $(filter targets/qemu/agent/%,$(ALL_SRCS))
LIB_SRCS := $(filter-out $(TEST_SRCS) $(CLI_SRCS) $(DRIVER_SRCS) $(PLUGIN_SRCS) $(PROG_SRCS) $(AGENT_SRCS) $(BPF_ONLY_SRCS),$(ALL_SRCS))
# Every folder with a header is on the include path, so a file includes
# "ofd_parse.h" wherever it lives.
INC_DIRS := $(sort $(patsubst %/,%,$(dir $(shell find $(SRC_DIRS) -name '*.h'))))

LIB_OBJS := $(LIB_SRCS:%.c=$(O)/%.o)
CLI_OBJS := $(CLI_SRCS:%.c=$(O)/%.o)
TEST_OBJS := $(TEST_SRCS:%.c=$(O)/%.o)
DEPS := $(LIB_OBJS:.o=.d) $(CLI_OBJS:.o=.d) $(TEST_OBJS:.o=.d)

ALL_CFLAGS = $(CFLAGS) $(EXTRA_CFLAGS) $(WFLAGS) $(SANFLAGS) -std=gnu11 \
	     -D_GNU_SOURCE $(addprefix -I,$(INC_DIRS)) $(PKG_CFLAGS) -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SANFLAGS)

.PHONY: all deps run run-vnic run-dpdk run-qemu check bench clean help fuzz fuzz-run rss install uninstall plugins progs
all: $(O)/offdiff plugins progs

# Debian packages by what needs them (scripts/ensure-deps.sh): building
# needs only the compiler and the -dev packages; Check comes with `make
# check`, clang, LLVM and AFL++ with `make fuzz`. `make deps DEPS="build
# check fuzz bpf"` installs groups by hand.
DEPS ?= build
deps:
	@scripts/ensure-deps.sh $(DEPS)

$(O)/config.mk: scripts/ensure-deps.sh | $(O)
	@scripts/ensure-deps.sh build
	@{ echo "PKG_CFLAGS := $$(pkg-config --cflags $(PKGS))"; \
	   echo "PKG_LIBS := $$(pkg-config --libs $(PKGS))"; } > $@

# Check's flags, only for the goals that build the tests.
ifneq ($(filter check %check_offdiff,$(MAKECMDGOALS)),)
-include $(O)/check.mk
endif
$(O)/check.mk: scripts/ensure-deps.sh | $(O)
	@scripts/ensure-deps.sh check $(if $(CI),dpdk qemu)
	@{ echo "CHECK_CFLAGS := $$(pkg-config --cflags check)"; \
	   echo "CHECK_LIBS := $$(pkg-config --libs check)"; } > $@

$(O):
	$(Q)mkdir -p $@

# Rebuild everything when the effective flags change (redis .make-settings).
FLAGS_STAMP := $(O)/.flags
$(FLAGS_STAMP): FORCE | $(O)
	@echo '$(ALL_CFLAGS) $(ALL_LDFLAGS)' | cmp -s - $@ || echo '$(ALL_CFLAGS) $(ALL_LDFLAGS)' > $@
FORCE:

$(O)/%.o: %.c $(FLAGS_STAMP) $(O)/config.mk
	@mkdir -p $(dir $@)
	$(call msg,CC,$<)$(CC) $(ALL_CFLAGS) $(OBJ_CFLAGS) -c $< -o $@
$(TEST_OBJS): OBJ_CFLAGS = $(CHECK_CFLAGS)

# Only datadir.o knows where `make install` puts the bundled data; another
# PREFIX rebuilds it alone.
DATADIR_STAMP := $(O)/.datadir
$(DATADIR_STAMP): FORCE | $(O)
	@echo '$(datadir)/offdiff' | cmp -s - $@ || echo '$(datadir)/offdiff' > $@
$(O)/harness/input/datadir.o: $(DATADIR_STAMP)
$(O)/harness/input/datadir.o: OBJ_CFLAGS = -DOFD_DATADIR='"$(datadir)/offdiff"'

# `offdiff version` names the commit it was built from (git describe; a
# tree without .git, e.g. a release tarball, says so instead). Only
# version.o gets the define, and it is rebuilt when the description
# changes, so a commit does not rebuild the whole tree.
GIT_DESCRIBE := $(shell [ -e .git ] && git describe --always --dirty 2>/dev/null)
$(O)/.git-describe: FORCE | $(O)
	@echo '$(GIT_DESCRIBE)' | cmp -s - $@ || echo '$(GIT_DESCRIBE)' > $@
$(O)/harness/cli/version.o: $(O)/.git-describe
$(O)/harness/cli/version.o: ALL_CFLAGS += $(if $(GIT_DESCRIBE),-DOFD_GIT_DESCRIBE='"$(GIT_DESCRIBE)"')

$(O)/libofd.a: $(LIB_OBJS)
	$(call msg,AR,$@)rm -f $@ && ar rcs $@ $^

# libofd is linked whole: each offload's layers are found through weak
# references (harness/ofd_offload.h), which never pull a member out of an
# archive by themselves.
WHOLE = -Wl,--whole-archive $(1) -Wl,--no-whole-archive

$(O)/offdiff: $(CLI_OBJS) $(O)/libofd.a
	$(call msg,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(CLI_OBJS) $(call WHOLE,$(O)/libofd.a) $(PKG_LIBS) -lm

$(O)/check_offdiff: $(TEST_OBJS) $(O)/libofd.a
	$(call msg,LINK,$@)$(CC) $(ALL_LDFLAGS) -o $@ $(TEST_OBJS) $(call WHOLE,$(O)/libofd.a) $(PKG_LIBS) $(CHECK_LIBS) -lm

# Plugins: $(O)/plugins/<name>.so from targets/plugin/<name>/*.c, found by
# `-t plugin:path=<name>` next to the binary. They see ofd_plugin.h only,
# export only their entry (hidden visibility) and are not sanitized (a
# sanitized host loads them; the other way round would not load).
PLUGIN_CFLAGS = $(CFLAGS) $(EXTRA_CFLAGS) $(WFLAGS) -std=gnu11 -D_GNU_SOURCE -fPIC \
		-fvisibility=hidden -Itargets/plugin
PLUGINS := $(O)/plugins/example.so $(O)/plugins/faulty.so
plugins: $(PLUGINS)
$(O)/plugins/example.so: $(filter targets/plugin/example/%,$(PLUGIN_SRCS))
$(O)/plugins/faulty.so: targets/plugin/tests/faulty.c
$(PLUGINS): targets/plugin/ofd_plugin.h $(FLAGS_STAMP) $(O)/config.mk
	@mkdir -p $(dir $@)
	$(call msg,PLUGIN,$@)$(CC) $(PLUGIN_CFLAGS) -shared -o $@ $(filter %.c,$^)

# The DPDK plugin (targets/plugin/dpdk/, docs/dpdk-findings.md): DPDK's
# software offloads, built with libdpdk-dev (ensure-deps.sh group dpdk,
# which its recipe installs; the flags come from pkg-config when it runs).
# Part of `plugins` when libdpdk is installed, and always in CI.
DPDK_SO := $(O)/plugins/dpdk.so
ifneq ($(CI)$(shell pkg-config --exists libdpdk 2>/dev/null && echo y),)
plugins: $(DPDK_SO)
endif
$(DPDK_SO): $(filter targets/plugin/dpdk/%,$(PLUGIN_SRCS)) targets/plugin/dpdk/dpdk.h \
	    targets/plugin/ofd_plugin.h $(FLAGS_STAMP) $(O)/config.mk
	@scripts/ensure-deps.sh dpdk
	@mkdir -p $(dir $@)
	$(call msg,PLUGIN,$@)$(CC) $(PLUGIN_CFLAGS) $$(pkg-config --cflags libdpdk) \
		-DALLOW_EXPERIMENTAL_API -shared -o $@ $(filter %.c,$^) $$(pkg-config --libs libdpdk)

# Programs (targets/progs/, issue 21): one restricted-C source, two
# images. clang -target bpf makes $(O)/progs/<name>.bpf.o, which the `bpf`
# engine loads into the running kernel; the native compiler makes
# $(O)/progs/<name>.so, the parser image the `parser` engine dlopens, as a
# device loads its parser (a shared object, not part of libofd: libofd
# and `make run` stay free of clang). Both carry the SHA-256 of the
# program's IR for the BPF target (ir_sha256.sh, also in
# $(O)/progs/<name>.sha256), passed in as OFD_PROG_IR_SHA256. The bpf
# group (clang, llvm, bpftool) is installed when an image is first built.
PROG_O := $(O)/progs
PROG_NAMES := $(basename $(notdir $(PROG_SRCS)))
PROG_IMAGES := $(foreach p,$(PROG_NAMES),$(PROG_O)/$(p).sha256 $(PROG_O)/$(p).bpf.o $(PROG_O)/$(p).so)
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)
# clang -target bpf does not search the host's multiarch folder, where
# <asm/types.h> (from <linux/bpf.h>) lives.
BPF_INC := -Itargets/progs $(if $(MULTIARCH),-I/usr/include/$(MULTIARCH))
PROG_NATIVE_CFLAGS = $(CFLAGS) $(EXTRA_CFLAGS) $(WFLAGS) -std=gnu11 -D_GNU_SOURCE \
		     -fPIC -fvisibility=hidden -Itargets/progs
PROG_HASH = -DOFD_PROG_IR_SHA256='"'"$$(cat $(PROG_O)/$*.sha256)"'"'
progs: $(PROG_IMAGES) $(PROG_O)/xdp_rxhash.bpf.o
$(PROG_O)/xdp_rxhash.bpf.o: targets/iface/xdp_rxhash.bpf.c targets/iface/ofd_xdp_rxhash.h
	@scripts/ensure-deps.sh bpf
	@mkdir -p $(@D)
	$(call msg,BPF,$@)clang -O2 -g -target bpf $(BPF_INC) -Itargets/iface -c $< -o $@
$(PROG_O)/%.sha256: targets/progs/%.c targets/progs/ofd_prog.h targets/progs/ir_sha256.sh
	@scripts/ensure-deps.sh bpf
	@mkdir -p $(dir $@)
	$(call msg,IRHASH,$@)targets/progs/ir_sha256.sh $< $(BPF_INC) > $@.tmp && mv $@.tmp $@
$(PROG_O)/%.bpf.o: targets/progs/%.c $(PROG_O)/%.sha256
	$(call msg,BPF,$@)clang -O2 -g -target bpf $(BPF_INC) $(PROG_HASH) -c $< -o $@
$(PROG_O)/%.so: targets/progs/%.c $(PROG_O)/%.sha256 $(FLAGS_STAMP)
	$(call msg,NATIVE,$@)$(CC) $(PROG_NATIVE_CFLAGS) $(PROG_HASH) -shared -o $@ $<
# The suites load the images from next to the test binary.
$(O)/check_offdiff: | progs

# The main job: the embedded default campaign on the emulator.
# Exit code 1 means "discrepancies found", which the default campaign's bug
# profiles are there to show; 2 and 3 are real failures.
run: $(O)/offdiff
	@$(O)/offdiff run specs/default.yaml; rc=$$?; [ $$rc -le 1 ]

# The same campaign through the virtual NIC: every emulator profile as
# hardware behind the kernel's tun driver (the iface target, specs/vnic.yaml).
run-vnic: $(O)/offdiff
	@$(O)/offdiff run specs/vnic.yaml; rc=$$?; [ $$rc -le 1 ]

# The default campaign with DPDK's software offloads as the target
# (specs/dpdk.yaml), then gro through rte_gro (specs/dpdk-gro.yaml: the
# running kernel judges as root, the model, equal to it on gro, otherwise);
# exit code 1 is "discrepancies found".
run-dpdk: $(O)/offdiff $(DPDK_SO)
	@$(O)/offdiff run specs/dpdk.yaml; rc=$$?; [ $$rc -le 1 ]
	@$(O)/offdiff run specs/dpdk-gro.yaml $$([ "$$(id -u)" = 0 ] || echo --reference model); \
		rc=$$?; [ $$rc -le 1 ]

# The tx-csum and tso corpora through QEMU's e1000e model in qtest mode
# (targets/qemu/, specs/qemu.yaml), QEMU installed first if missing
# (ensure-deps.sh group qemu); exit code 1 is "discrepancies found".
run-qemu: $(O)/offdiff
	@scripts/ensure-deps.sh qemu
	@$(O)/offdiff run specs/qemu.yaml; rc=$$?; [ $$rc -le 1 ]
	@$(O)/offdiff run specs/qemu-rx.yaml; rc=$$?; [ $$rc -le 1 ]
	@$(O)/offdiff run specs/qemu-vmxnet3.yaml; rc=$$?; [ $$rc -le 1 ]

# Unit and integration suites (Check). CK_RUN_SUITE=name runs one suite.
check: $(O)/check_offdiff $(O)/offdiff plugins progs
	OFFDIFF=$(O)/offdiff $(O)/check_offdiff

bench: $(O)/offdiff
	$(O)/offdiff bench

# The qemu target's guest (mode=guest): Debian's kernel, busybox-static and
# the static agent in an initramfs, cached in ~/.cache/offdiff/qemu-guest
# (scripts/qemu-guest-image.sh; downloads only what the cache lacks).
# make check builds it only under CI; otherwise its suite skips, saying so.
.PHONY: qemu-guest-image run-qemu-guest
qemu-guest-image:
	@scripts/qemu-guest-image.sh
ifneq ($(CI),)
check: qemu-guest-image
endif
# The sample of specs/qemu-guest.yaml: guest mode beside qtest mode, the
# model as the reference; then specs/qemu-virtio-rss.yaml, rss through
# QEMU's virtio-net and the guest's virtio_net driver. 1 is
# "discrepancies found".
run-qemu-guest: $(O)/offdiff qemu-guest-image
	@$(O)/offdiff run specs/qemu-guest.yaml; rc=$$?; [ $$rc -le 1 ]
	@$(O)/offdiff run specs/qemu-virtio-rss.yaml; rc=$$?; [ $$rc -le 1 ]

# Fuzzing (AFL++, persistent libFuzzer-style harness). A crash is a
# disagreement between the model and emu:conformant, or a real crash.
FUZZ_O := build-fuzz
FUZZ_SECONDS ?= 300
FUZZ_CC ?= afl-clang-fast

$(O)/fuzz_txcsum: harness/fuzz/driver/libfuzzer_main.c harness/fuzz/driver/onefile.c $(O)/libofd.a
	$(call msg,LINK,$@)$(CC) $(ALL_CFLAGS) -o $@ harness/fuzz/driver/libfuzzer_main.c \
		harness/fuzz/driver/onefile.c $(call WHOLE,$(O)/libofd.a) $(PKG_LIBS) -lm

$(O)/mkseeds: harness/fuzz/driver/mkseeds.c $(O)/libofd.a
	$(call msg,LINK,$@)$(CC) $(ALL_CFLAGS) -o $@ $< $(call WHOLE,$(O)/libofd.a) $(PKG_LIBS) -lm

fuzz: $(O)/config.mk
	@scripts/ensure-deps.sh fuzz
	$(MAKE) O=$(FUZZ_O) CC=$(FUZZ_CC) EXTRA_CFLAGS="-fsanitize=fuzzer,address -Wno-unknown-warning-option" \
		LDFLAGS="-fsanitize=fuzzer,address" $(FUZZ_O)/libofd.a
	$(FUZZ_CC) $(CFLAGS) -fsanitize=fuzzer,address $(addprefix -I,$(INC_DIRS)) -o $(FUZZ_O)/fuzz_txcsum_afl \
		harness/fuzz/driver/libfuzzer_main.c $(call WHOLE,$(FUZZ_O)/libofd.a) $(PKG_LIBS) -lm

# FUZZ_OFFLOAD picks the offload (its decoder, seeds from its corpus).
FUZZ_OFFLOAD ?= tx-csum
fuzz-run: fuzz $(O)/mkseeds
	rm -rf $(FUZZ_O)/seeds-$(FUZZ_OFFLOAD) && mkdir -p $(FUZZ_O)/seeds-$(FUZZ_OFFLOAD)
	$(O)/mkseeds -o $(FUZZ_OFFLOAD) $(FUZZ_O)/seeds-$(FUZZ_OFFLOAD) corpus/$(FUZZ_OFFLOAD)/*.pcap
	OFD_FUZZ_OFFLOAD=$(FUZZ_OFFLOAD) AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
		afl-fuzz -i $(FUZZ_O)/seeds-$(FUZZ_OFFLOAD) -o $(FUZZ_O)/out-$(FUZZ_OFFLOAD) -V $(FUZZ_SECONDS) -- $(FUZZ_O)/fuzz_txcsum_afl

# The loaders' fuzzer (harness/fuzz/loaders.c): specs, profiles, case
# files and checkpoints, built with AFL++ under ASan and UBSan (any report
# aborts, so AFL++ keeps it as a crash). `make fuzz-loaders FUZZ_SECONDS=N`
# seeds from the bundled specs and profiles, the spec tests' files and a
# sample case and checkpoint, then fuzzes for N seconds from the source
# tree; build/fuzz_loaders FILE... replays inputs without AFL++.
FUZZ_LOADERS_O := $(FUZZ_O)/loaders
FUZZ_LOADERS_SAN := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_LOADERS_SEEDS := $(FUZZ_LOADERS_O)/seeds
FUZZ_DATA := harness/fuzz/tests/data

$(O)/fuzz_loaders: harness/fuzz/driver/loaders_main.c harness/fuzz/driver/onefile.c $(O)/libofd.a
	$(call msg,LINK,$@)$(CC) $(ALL_CFLAGS) -o $@ harness/fuzz/driver/loaders_main.c \
		harness/fuzz/driver/onefile.c $(call WHOLE,$(O)/libofd.a) $(PKG_LIBS) -lm

.PHONY: fuzz-loaders fuzz-loaders-build fuzz-loaders-seeds
fuzz-loaders-build: $(O)/config.mk
	$(MAKE) O=$(FUZZ_LOADERS_O) CC=$(FUZZ_CC) \
		EXTRA_CFLAGS="-fsanitize=fuzzer $(FUZZ_LOADERS_SAN) -Wno-unknown-warning-option" \
		LDFLAGS="-fsanitize=fuzzer $(FUZZ_LOADERS_SAN)" $(FUZZ_LOADERS_O)/libofd.a
	$(FUZZ_CC) $(CFLAGS) -fsanitize=fuzzer $(FUZZ_LOADERS_SAN) $(addprefix -I,$(INC_DIRS)) \
		-o $(FUZZ_LOADERS_O)/fuzz_loaders_afl harness/fuzz/driver/loaders_main.c \
		$(call WHOLE,$(FUZZ_LOADERS_O)/libofd.a) $(PKG_LIBS) -lm

# One seed per file, its first byte the loader (enum ofd_fuzz_loader).
fuzz-loaders-seeds:
	rm -rf $(FUZZ_LOADERS_SEEDS) && mkdir -p $(FUZZ_LOADERS_SEEDS)
	@seed() { { printf "\\$$(printf %03o $$1)"; cat $$2; } > $(FUZZ_LOADERS_SEEDS)/$$3; }; \
	for f in $$(ls specs/*.yaml | grep -v '^specs/allowlist-') harness/input/tests/data/spec/*.yaml; do \
		seed 0 $$f spec-$$(echo $$f | tr / _); done; \
	for f in specs/profiles/*.yaml; do seed 1 $$f profile-$$(basename $$f); done; \
	seed 2 $(FUZZ_DATA)/case/case.yaml case.yaml; \
	for p in $(FUZZ_DATA)/checkpoint/progress*.json; do \
		seed 3 $$p ckpt-$$(basename $$p); \
		{ printf '\003'; cat $$p; printf '\000'; cat $(FUZZ_DATA)/checkpoint/findings.jsonl; } \
			> $(FUZZ_LOADERS_SEEDS)/ckpt-findings-$$(basename $$p); done; \
	echo "fuzz-loaders: $$(ls $(FUZZ_LOADERS_SEEDS) | wc -l) seeds in $(FUZZ_LOADERS_SEEDS)"

fuzz-loaders: fuzz-loaders-build fuzz-loaders-seeds
	AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 \
		afl-fuzz -i $(FUZZ_LOADERS_SEEDS) -o $(FUZZ_LOADERS_O)/out -V $(FUZZ_SECONDS) \
		$(FUZZ_LOADERS_FLAGS) -- $(FUZZ_LOADERS_O)/fuzz_loaders_afl

# Peak RSS and time per case of `offdiff run` over 100k and 1M frames
# (tools/rss.sh; tools/bigcorpus.c repeats the bundled corpus into the big
# pcaps, about 1 GB under $(O)/rss). Needs /usr/bin/time (package `time`).
$(O)/bigcorpus: tools/bigcorpus.c $(FLAGS_STAMP) $(O)/config.mk
	$(call msg,LINK,$@)$(CC) $(ALL_CFLAGS) -o $@ $< $(PKG_LIBS)

rss: $(O)/offdiff $(O)/bigcorpus
	@tools/rss.sh $(O)/offdiff $(O)/bigcorpus $(O)/rss

# Installation (libbpf's do_install): PREFIX, DESTDIR and the *dir
# variables above. The binary finds the data as <bindir>/../share/offdiff
# too, so a DESTDIR tree works before it is moved into place; libofd.pc
# says where the prefix is relative to itself (${pcfiledir}), so
# PKG_CONFIG_PATH into a DESTDIR tree is all pkg-config needs there too.
INSTALL ?= install
VERSION ?= $(shell sed -n 's/^#define OFD_VERSION "\(.*\)"/\1/p' harness/ofd.h)
# ofd.h and ofd_offload.h with everything they include.
PUBLIC_HEADERS := harness/ofd.h harness/ofd_offload.h harness/offloads.def \
		  harness/engines.def harness/run/ofd_run.h harness/input/ofd_pcap.h \
		  harness/input/ofd_spec.h harness/cases/ofd_corpus_gen.h \
		  targets/plugin/ofd_plugin.h harness/allowlist/ofd_allowlist.h
DATA_FILES := $(shell find specs corpus -type f | LC_ALL=C sort)
PC_TO_PREFIX = $(shell realpath -m --relative-to='$(libdir)/pkgconfig' '$(PREFIX)')
DEST = $(DESTDIR)

$(O)/libofd.pc: Makefile | $(O)
	$(call msg,GEN,$@){ echo 'prefix=$${pcfiledir}/$(PC_TO_PREFIX)'; \
	  echo 'libdir=$(patsubst $(PREFIX)/%,$${prefix}/%,$(libdir))'; \
	  echo 'includedir=$(patsubst $(PREFIX)/%,$${prefix}/%,$(includedir))'; echo; \
	  echo 'Name: libofd'; \
	  echo "Description: offdiff's engines, kernel offload models, diff and reports"; \
	  echo 'Version: $(VERSION)'; \
	  echo 'Requires: $(PKGS)'; \
	  echo 'Cflags: -I$${includedir}/offdiff'; \
	  echo '# Whole: offloads are found through weak references (ofd_offload.h).'; \
	  echo 'Libs: -L$${libdir} -Wl,--whole-archive -lofd -Wl,--no-whole-archive -lm'; } > $@

$(O)/offdiff.8: $(O)/offdiff scripts/mkman.sh scripts/help-all.sh
	$(call msg,GEN,$@)scripts/mkman.sh $(O)/offdiff > $@

$(O)/offdiff.bash: $(O)/offdiff scripts/mkcompletion.sh scripts/help-all.sh
	$(call msg,GEN,$@)scripts/mkcompletion.sh $(O)/offdiff > $@

install: $(O)/offdiff $(O)/libofd.a $(O)/libofd.pc $(O)/offdiff.8 $(O)/offdiff.bash plugins
	$(call msg,INSTALL,$(DEST)$(PREFIX))$(INSTALL) -d $(DEST)$(bindir) $(DEST)$(libdir)/pkgconfig \
		$(DEST)$(libdir)/offdiff/plugins \
		$(DEST)$(includedir)/offdiff $(DEST)$(mandir)/man8 \
		$(DEST)$(datadir)/bash-completion/completions $(DEST)$(datadir)/doc/offdiff
	$(Q)$(INSTALL) -m 755 $(O)/offdiff $(DEST)$(bindir)/offdiff
	$(Q)$(INSTALL) -m 644 $(O)/libofd.a $(DEST)$(libdir)/libofd.a
	$(Q)$(INSTALL) -m 644 $(O)/libofd.pc $(DEST)$(libdir)/pkgconfig/libofd.pc
	$(Q)$(INSTALL) -m 755 $(wildcard $(O)/plugins/*.so) $(DEST)$(libdir)/offdiff/plugins/
	$(Q)$(if $(wildcard $(O)/progs/*),$(INSTALL) -d $(DEST)$(libdir)/offdiff/progs && \
		$(INSTALL) -m 644 $(wildcard $(O)/progs/*) $(DEST)$(libdir)/offdiff/progs/,:)
	$(Q)$(INSTALL) -m 644 $(PUBLIC_HEADERS) $(DEST)$(includedir)/offdiff/
	$(Q)$(INSTALL) -m 644 $(O)/offdiff.8 $(DEST)$(mandir)/man8/offdiff.8
	$(Q)$(INSTALL) -m 644 $(O)/offdiff.bash $(DEST)$(datadir)/bash-completion/completions/offdiff
	$(Q)$(INSTALL) -m 644 LICENSE README.md $(DEST)$(datadir)/doc/offdiff/
	$(Q)for f in $(DATA_FILES); do \
		$(INSTALL) -D -m 644 $$f $(DEST)$(datadir)/offdiff/$$f || exit 1; done

uninstall:
	rm -f $(DEST)$(bindir)/offdiff $(DEST)$(libdir)/libofd.a \
	      $(DEST)$(libdir)/pkgconfig/libofd.pc $(DEST)$(mandir)/man8/offdiff.8 \
	      $(DEST)$(datadir)/bash-completion/completions/offdiff
	rm -rf $(DEST)$(includedir)/offdiff $(DEST)$(datadir)/offdiff $(DEST)$(datadir)/doc/offdiff \
	       $(DEST)$(libdir)/offdiff

clean:
	rm -rf build build-address build-undefined build-fuzz

help:
	@sed -n '2,19p' Makefile

-include $(DEPS)
