# SPDX-License-Identifier: GPL-2.0
#
# Wrapper around Kbuild. `make` builds zonealloc.ko for the running kernel,
# or for KDIR=/path/to/kernel/build.

SRCDIR := $(abspath $(dir $(lastword $(MAKEFILE_LIST))))

# Default kernel: the running one if its headers are installed, else the
# newest Debian 6.12 headers on the machine.
KDIR ?= $(firstword $(wildcard /lib/modules/$(shell uname -r)/build) \
	$(lastword $(sort $(wildcard /usr/src/linux-headers-6.12*-amd64))))
KERNELRELEASE_OF_KDIR = $(shell $(MAKE) -s -C $(KDIR) kernelrelease 2>/dev/null)

ZONEALLOC_VERSION := 0.1

.PHONY: all module modules clean install dkms-install dkms-remove style \
	shellcheck sparse check kunit demo bench stress hosttest replay

all: module

module modules:
	$(MAKE) -C $(KDIR) M=$(SRCDIR) modules

clean:
	$(MAKE) -C $(KDIR) M=$(SRCDIR) clean
	rm -rf $(SRCDIR)/build

install: module
	$(MAKE) -C $(KDIR) M=$(SRCDIR) modules_install
	depmod -a $(KERNELRELEASE_OF_KDIR)

dkms-install:
	rsync -a --delete --filter=':- .gitignore' --exclude .git --exclude build \
		$(SRCDIR)/ /usr/src/zonealloc-$(ZONEALLOC_VERSION)/
	dkms add zonealloc/$(ZONEALLOC_VERSION) || true
	dkms build zonealloc/$(ZONEALLOC_VERSION)
	dkms install zonealloc/$(ZONEALLOC_VERSION)

dkms-remove:
	dkms remove zonealloc/$(ZONEALLOC_VERSION) --all || true
	rm -rf /usr/src/zonealloc-$(ZONEALLOC_VERSION)

# checkpatch --strict --no-tree over every source file; no findings allowed.
style:
	@$(SRCDIR)/scripts/style

# shellcheck over scripts/, .ci/run and the test shell scripts.
shellcheck:
	@$(SRCDIR)/scripts/shellcheck

# sparse over every object (C=2 checks all files, not only rebuilt ones).
sparse:
	@$(SRCDIR)/scripts/sparse $(KDIR)

check:
	@$(SRCDIR)/scripts/check

# The allocator's logic as userspace C under ASan and UBSan, in seconds
# (tools/testing/host). ARGS='-s SEED -n OPS CASE' replays one case.
hosttest:
	@$(MAKE) -s -j2 -C $(SRCDIR)/tools/testing/host O=$(SRCDIR)/build/hosttest run
	@$(SRCDIR)/scripts/replay --selftest

kunit:
	@$(SRCDIR)/scripts/kunit

demo:
	@$(SRCDIR)/scripts/demo

bench:
	@$(SRCDIR)/scripts/bench

# Not part of `make check` (which runs its short form, step stress-short):
# about 45 minutes in the debug kernel. See Documentation/reliability.rst.
stress:
	@$(SRCDIR)/scripts/stress

# Record the kernel's page allocations in a VM and replay them through
# zonealloc; CSVs and a plot in build/replay. See Documentation/replay.rst.
replay:
	@$(SRCDIR)/scripts/replay
