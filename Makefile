# SPDX-License-Identifier: GPL-2.0-or-later
# Thin wrapper around meson: `make`, `make check`, `make demo`, `make bench`.

BUILD      ?= build
ASAN_BUILD ?= build-asan
FUZZ_BUILD ?= build-fuzz
FUZZ_SECONDS ?= 60
SOAK_ITERATIONS ?= 200
MESON      ?= meson
NINJA      ?= ninja
WERROR     ?= true

.PHONY: all deps check check-quick demo bench fuzz soak clean

all: $(BUILD)/build.ninja
	$(NINJA) -C $(BUILD)

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) -Dwerror=$(WERROR)

$(ASAN_BUILD)/build.ninja:
	$(MESON) setup $(ASAN_BUILD) -Dwerror=$(WERROR) \
	    -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

# libFuzzer targets (tests/fuzz): clang, coverage, ASan+UBSan.
$(FUZZ_BUILD)/build.ninja:
	CC=clang $(MESON) setup $(FUZZ_BUILD) -Dwerror=$(WERROR) -Dfuzzing=true \
	    -Db_sanitize=address,undefined -Db_lundef=false

deps:
	scripts/install-deps

# Every test twice: a normal build, then one under ASan+UBSan; then each
# fuzz target for a few seconds on its corpus.  The last line is the
# total: "N passed, M failed".
check: deps
	$(MAKE) --no-print-directory $(BUILD)/build.ninja \
	    $(ASAN_BUILD)/build.ninja $(FUZZ_BUILD)/build.ninja
	$(NINJA) -C $(BUILD)
	$(NINJA) -C $(ASAN_BUILD)
	$(NINJA) -C $(FUZZ_BUILD)
	python3 scripts/run-tests $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)

# Only the normal build, for a quick edit-test loop.
check-quick: all
	python3 scripts/run-tests $(BUILD)

demo: deps all
	python3 scripts/demo.py $(BUILD)

bench: deps all $(FUZZ_BUILD)/build.ninja
	$(NINJA) -C $(FUZZ_BUILD)
	python3 benchmarks/run.py $(BUILD) $(FUZZ_BUILD)

# Each fuzz target for FUZZ_SECONDS on its corpus, or with FUZZ_RUNS=N
# all at once until each has run N inputs (the long campaign); what they
# find is kept in $(FUZZ_BUILD)/fuzz-corpus/ for the next run, crashes
# beside it.
fuzz: deps $(FUZZ_BUILD)/build.ninja
	$(NINJA) -C $(FUZZ_BUILD)
	python3 tests/fuzz/run-fuzz.py \
	    $(if $(FUZZ_RUNS),--runs $(FUZZ_RUNS) --parallel --timeout 120,\
	         --seconds $(FUZZ_SECONDS)) \
	    --keep $(FUZZ_BUILD)/fuzz-corpus \
	    $(foreach t,loadvm qmp qtest virtio-net pci-config,\
	        $(FUZZ_BUILD)/tests/fuzz/fuzz-$(t) tests/fuzz/corpus/$(t))

# Randomised migrations of failover pairs with faults injected (bounded).
soak: deps all
	QTEST_QEMU_BINARY=$(BUILD)/baton-system-x86_64 \
	    $(BUILD)/tests/soak/failover-soak $(SOAK_ITERATIONS) $(SOAK_SEED)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD) $(FUZZ_BUILD)
