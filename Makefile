# The two commands a newcomer needs (see README.md):
#   make run    install what is missing, build, start the server on SQLite
#   make test   install what is missing, build, run every test (as CI does)
#
# Other targets: build, deps, format, format-check, asan, bench, clean.

SHELL := /bin/bash
PRESET ?= release
BUILD_DIR := build/$(PRESET)
HCMS := $(BUILD_DIR)/src/app/hcms
CONFIG ?= config/hcms.toml
JOBS ?= $(shell nproc)

.PHONY: run test build deps configure format format-check asan asan-test unit functional bench clean

deps:
	@./scripts/install-deps.sh
	@./scripts/install-npm-deps.sh

configure: deps
	@cmake --preset $(PRESET) >/dev/null

build: configure
	@cmake --build --preset $(PRESET) -j $(JOBS)

run: build
	@echo "hcms: starting on http://127.0.0.1:8080 (config $(CONFIG)); Ctrl-C stops it"
	@$(HCMS) serve --config $(CONFIG)

# Everything CI runs: formatting, the optimised build (-Werror) with unit,
# storage (SQLite + PostgreSQL) and functional tests, then the unit tests again
# under AddressSanitizer + UndefinedBehaviorSanitizer.
test: deps
	@./scripts/test.sh

format:
	@./scripts/format.sh fix

format-check:
	@./scripts/format.sh check

asan: deps
	@cmake --preset asan >/dev/null && cmake --build --preset asan -j $(JOBS)

asan-test: asan
	@ctest --preset asan

bench: build
	@./bench/run.sh

clean:
	rm -rf build
