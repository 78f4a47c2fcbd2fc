# SPDX-License-Identifier: GPL-2.0-or-later
# Thin wrapper around meson: `make`, `make check`, `make demo`, `make bench`.

BUILD      ?= build
ASAN_BUILD ?= build-asan
MESON      ?= meson
NINJA      ?= ninja
WERROR     ?= true

.PHONY: all deps check check-quick demo bench clean

all: $(BUILD)/build.ninja
	$(NINJA) -C $(BUILD)

$(BUILD)/build.ninja:
	$(MESON) setup $(BUILD) -Dwerror=$(WERROR)

$(ASAN_BUILD)/build.ninja:
	$(MESON) setup $(ASAN_BUILD) -Dwerror=$(WERROR) \
	    -Db_sanitize=address,undefined -Db_lundef=false -Dbuildtype=debug

deps:
	scripts/install-deps

# Every test twice: a normal build, then one under ASan+UBSan.  The last
# line is the total: "N passed, M failed".
check: deps
	$(MAKE) --no-print-directory $(BUILD)/build.ninja $(ASAN_BUILD)/build.ninja
	$(NINJA) -C $(BUILD)
	$(NINJA) -C $(ASAN_BUILD)
	python3 scripts/run-tests $(BUILD) $(ASAN_BUILD)

# Only the normal build, for a quick edit-test loop.
check-quick: all
	python3 scripts/run-tests $(BUILD)

demo: deps all
	python3 scripts/demo.py $(BUILD)

bench: deps all
	python3 benchmarks/run.py $(BUILD)

clean:
	rm -rf $(BUILD) $(ASAN_BUILD)
