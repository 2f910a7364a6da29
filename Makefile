# The project's one task runner (GNU make 4.3+). Each artifact has one recipe and one fixed
# place; the test, demo, soak and bench recipes depend on the artifacts they use, so a run builds
# each at most once (the wheel, the sdist and the npm tarball only when a source is newer; cargo
# decides for the libraries and the CLI). The part scripts (scripts/test-*.sh) are the recipe
# bodies: they get the artifacts' paths in PORT_SECRET_* variables and build nothing shipped.
#
#   make test                   every test part, in order (the README's test command)
#   make test PARTS="rust cli"  some parts;  make test-python  one part
#   make demo                   the README's main job on the demo data
#   make check                  cargo fmt --check, clippy -D warnings, scripts/check-*.sh (CI)
#   make soak | bench | fuzz | mutants
#   make wheel sdist npm-tarball addon lib cli cli-debug tools bench-bins   (artifacts)
#   make help
# Pins: scripts/pins.sh. Artifact builds and part times are logged to target/dist/make.log.
SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.ONESHELL:
.DELETE_ON_ERROR:
# The parts share ports, target/ work dirs and node/'s build output: one recipe at a time.
.NOTPARALLEL:
MAKEFLAGS += --no-builtin-rules --no-builtin-variables
.DEFAULT_GOAL := help

include scripts/pins.sh

ROOT := $(CURDIR)
PYTHON ?= python3
TARGET_DIR := $(or $(CARGO_TARGET_DIR),$(ROOT)/target)
DIST := $(ROOT)/target/dist
LOG := $(DIST)/make.log
VERSION := $(shell sed -n 's/^version = "\(.*\)"$$/\1/p' Cargo.toml | head -1)
ARCH := $(shell uname -m)

# ------------------------------------------------------------------ artifacts: where each lives
TOOLS_VENV := $(ROOT)/target/tools/venv
TOOLS_STAMP := $(TOOLS_VENV)/.pins-installed
WHEEL := $(DIST)/port_secret-$(VERSION)-cp39-abi3-manylinux2014_$(ARCH).manylinux_2_17_$(ARCH).whl
SDIST := $(DIST)/port_secret-$(VERSION).tar.gz
NPM_TARBALL := $(DIST)/port-secret-$(VERSION).tgz
NODE_MODULES := node/node_modules/.make-installed
ADDON := node/port-secret.linux-x64-gnu.node
LIB_DIR := $(TARGET_DIR)/release
CLI := $(TARGET_DIR)/release/port-secret
CLI_DEBUG := $(TARGET_DIR)/debug/port-secret
BENCH_BIN := $(TARGET_DIR)/release

# What the scripts read (each script builds nothing shipped when these are set; run alone, it
# asks make for the artifact: scripts/artifacts.sh).
export PORT_SECRET_MAKE := 1
export PORT_SECRET_TOOLS := $(TOOLS_VENV)/bin
export PORT_SECRET_WHEEL := $(WHEEL)
export PORT_SECRET_SDIST := $(SDIST)
export PORT_SECRET_NPM_TARBALL := $(NPM_TARBALL)
export PORT_SECRET_LIB_DIR := $(LIB_DIR)
export PORT_SECRET_CLI := $(CLI)
export PORT_SECRET_CLI_DEBUG := $(CLI_DEBUG)
export PORT_SECRET_BENCH_BIN := $(BENCH_BIN)
export PIP_DISABLE_PIP_VERSION_CHECK := 1
export PIP_NO_INPUT := 1
export PYTHONDONTWRITEBYTECODE := 1

# ------------------------------------------------------------------ sources of each artifact
tree = $(shell find $(1) -type f -not -path '*/__pycache__/*' -not -path '*/node_modules/*' -not -name '*.pyc' 2>/dev/null)
CORE_SRC := Cargo.toml Cargo.lock $(call tree,crates/port-secret-core/src) crates/port-secret-core/Cargo.toml
PY_SRC := $(CORE_SRC) $(call tree,bindings/python python/port_secret) python/pyproject.toml python/README.md
NODE_SRC := $(CORE_SRC) $(call tree,bindings/node) node/tools/build.mjs node/package.json
NODE_PKG := node/package.json node/README.md $(filter-out node/port-secret.%,$(wildcard node/*.js node/*.d.ts))

# $(call built,NAME,START): one line in the log per artifact build (how many builds a run made).
# Artifact recipes talk on stderr, so that `make demo` prints only the decrypted body.
built = mkdir -p $(DIST) && echo "$$(date -u +%FT%TZ) built $(1) in $$(( $$(date +%s) - $(2) ))s" | tee -a $(LOG) >&2

.PHONY: help tools wheel sdist npm-tarball addon node-modules lib cli cli-debug bench-bins \
  artifacts test demo check check-fmt check-clippy soak bench fuzz mutants

help:
	@sed -n '1,/^SHELL/p' Makefile | sed -e '/^SHELL/d' -e 's/^# \{0,1\}//'

path-%: # the value of a variable (scripts/artifacts.sh asks for PORT_SECRET_* this way)
	@echo '$($*)'

$(DIST):
	@mkdir -p $@

# The tools venv: maturin + ziglang (the wheel, the sdist), pytest + PyYAML (scripts/test-release.sh).
tools: $(TOOLS_STAMP)
$(TOOLS_STAMP): scripts/pins.sh | $(DIST)
	@echo "--- tools venv (target/tools/venv): maturin $(PIN_MATURIN), ziglang $(PIN_ZIGLANG), pytest $(PIN_PYTEST), PyYAML $(PIN_PYYAML)" >&2
	[ -x $(TOOLS_VENV)/bin/python ] || $(PYTHON) -m venv $(TOOLS_VENV)
	$(TOOLS_VENV)/bin/python -m pip install -q maturin==$(PIN_MATURIN) ziglang==$(PIN_ZIGLANG) \
	  pytest==$(PIN_PYTEST) PyYAML==$(PIN_PYYAML)
	touch $@

# The shipped Python artifact: an abi3 wheel tagged manylinux2014 (maturin + zig, no Docker).
wheel: $(WHEEL)
$(WHEEL): $(PY_SRC) | $(TOOLS_STAMP) $(DIST)
	@t=$$(date +%s)
	echo "--- wheel: maturin build --release --locked --zig --compatibility manylinux2014" >&2
	rm -f $(DIST)/port_secret-*.whl
	(cd python && PATH="$(TOOLS_VENV)/bin:$$PATH" maturin build --release --locked --zig \
	  --compatibility manylinux2014 --out $(DIST))
	test -f $@ || { echo "maturin did not write $@" >&2; ls $(DIST) >&2; exit 1; }
	$(call built,wheel $(notdir $@),$$t)

# The sdist (pip's fallback where no wheel matches; scripts/test-python.sh, test-release.sh).
# (maturin prints "manifest path `Cargo.toml` does not exist" before reading pyproject.toml: harmless.)
sdist: $(SDIST)
$(SDIST): $(PY_SRC) | $(TOOLS_STAMP) $(DIST)
	@t=$$(date +%s)
	echo "--- sdist: maturin sdist" >&2
	rm -f $(DIST)/port_secret-*.tar.gz
	(cd python && $(TOOLS_VENV)/bin/maturin sdist --out $(DIST))
	test -f $@
	$(call built,sdist $(notdir $@),$$t)

# node/'s npm dependencies (napi-rs CLI, TypeScript). `npm install`, not `npm ci`: npm 11 rejects
# this lock file in `npm ci` over the optional platform packages of @napi-rs/lzma.
node-modules: $(NODE_MODULES)
$(NODE_MODULES): node/package.json node/package-lock.json
	@echo "--- npm install (node/)" >&2
	(cd node && CI=true npm install --no-audit --no-fund --loglevel=error)
	touch $@

# The Node addon (napi build --release, glibc 2.17 floor) and its generated binding.js/.d.ts.
# node_modules is order-only: a fresh npm install alone does not rebuild the addon.
addon: $(ADDON)
$(ADDON): $(NODE_SRC) | $(NODE_MODULES) $(DIST)
	@t=$$(date +%s)
	echo "--- addon: npm run build (node/)" >&2
	(cd node && CI=true npm run build --silent)
	touch $@
	$(call built,addon $@,$$t)

# The npm package as users install it.
npm-tarball: $(NPM_TARBALL)
$(NPM_TARBALL): $(ADDON) $(NODE_PKG) | $(DIST)
	@t=$$(date +%s)
	echo "--- npm tarball: npm pack (node/)" >&2
	rm -f $(DIST)/port-secret-*.tgz
	(cd node && npm pack --silent --pack-destination $(DIST) >/dev/null)
	test -f $@
	$(call built,npm-tarball $(notdir $@),$$t)

# libport_secret (.so and .a) and the CLI: cargo decides what is stale.
lib:
	@t=$$(date +%s)
	echo "--- libport_secret: cargo build --release -p port-secret-ffi" >&2
	cargo build --locked --release -p port-secret-ffi
	$(call built,lib $(LIB_DIR)/libport_secret.{so$(,)a},$$t)
cli:
	@t=$$(date +%s)
	echo "--- port-secret CLI: cargo build --release -p port-secret-cli" >&2
	cargo build --locked --release -p port-secret-cli
	$(call built,cli $(CLI),$$t)
# The debug CLI examples/demo/run.sh runs.
cli-debug:
	@t=$$(date +%s)
	echo "--- port-secret CLI (debug, for examples/demo/run.sh): cargo build -p port-secret-cli" >&2
	cargo build --locked -p port-secret-cli
	$(call built,cli-debug $(CLI_DEBUG),$$t)

# bench/'s Rust programs (bench/Cargo.toml, a workspace of its own on the root Cargo.lock):
# the soaks (bench/soak/rust) and the reports (bench/reports). Built in the shared target dir.
bench-bins: | $(DIST)
	@t=$$(date +%s)
	echo "--- bench/: cargo build --release (soaks, reports)" >&2
	# Not --locked: the copied lock gains bench/'s own packages (versions stay as locked).
	cp Cargo.lock bench/Cargo.lock
	cargo build --release --manifest-path bench/Cargo.toml --workspace --target-dir $(TARGET_DIR)
	$(call built,bench-bins $(BENCH_BIN)/{port-secret-soak$(,)soak-threads$(,)oaep_timing$(,)properties_scaling},$$t)

artifacts: wheel sdist npm-tarball lib cli cli-debug bench-bins

, := ,

# ------------------------------------------------------------------ test parts
# One part per scripts/test-<part>.sh, in this order; parts whose script came later (crosspath,
# mutants) run after these. `make test PARTS="rust cli"` runs some.
ORDER := rust cli python node c go java examples adapters-python adapters-node github-action release readme fuzz
LATER := $(filter-out $(ORDER),$(patsubst scripts/test-%.sh,%,$(wildcard scripts/test-*.sh)))
PARTS ?= $(ORDER) $(LATER)
TEST_TARGETS := $(addprefix test-,$(ORDER) $(LATER))
.PHONY: $(TEST_TARGETS)

test-rust: bench-bins
test-cli: cli-debug
test-python: wheel sdist
test-node: npm-tarball
test-c: lib
test-go: lib
test-java: lib
test-examples: wheel npm-tarball
test-adapters-python: wheel
test-adapters-node: npm-tarball
test-github-action: addon
test-release: sdist tools
test-readme: cli lib cli-debug wheel npm-tarball
test-fuzz:
test-crosspath: wheel npm-tarball lib cli

$(TEST_TARGETS): test-%: | $(DIST)
	@echo "=== port-secret: $* ==="
	t=$$(date +%s)
	bash scripts/test-$*.sh
	echo "=== port-secret: $* passed in $$(( $$(date +%s) - t ))s ==="
	echo "$$(date -u +%FT%TZ) test-$* passed in $$(( $$(date +%s) - t ))s" >>$(LOG)

test: $(addprefix test-,$(PARTS))
	@echo "=== port-secret: every part passed ==="
	echo "test parts: $(words $(PARTS)) passed, 0 failed"

# ------------------------------------------------------------------ the rest
demo: cli-debug
	@bash examples/demo/run.sh

CHECK_TARGETS := $(patsubst scripts/%.sh,%,$(wildcard scripts/check-*.sh))
.PHONY: $(CHECK_TARGETS)
check-python: wheel
$(CHECK_TARGETS): check-%:
	@echo "--- scripts/check-$*.sh"
	bash scripts/check-$*.sh
check-fmt:
	@echo "--- cargo fmt --check (the workspace and bench/)"
	cargo fmt --all -- --check
	cargo fmt --manifest-path bench/Cargo.toml -p port-secret-soak -p port-secret-reports -- --check
	cargo fmt --manifest-path tests/crosspath/rust/Cargo.toml -- --check
check-clippy:
	@echo "--- cargo clippy (all targets, all features, -D warnings): the workspace and bench/"
	cargo clippy --locked --workspace --all-targets --all-features -- -D warnings
	cp Cargo.lock bench/Cargo.lock
	cargo clippy --manifest-path bench/Cargo.toml --workspace --all-targets --all-features \
	  --target-dir $(TARGET_DIR) -- -D warnings
	cp Cargo.lock tests/crosspath/rust/Cargo.lock
	cargo clippy --manifest-path tests/crosspath/rust/Cargo.toml --all-targets \
	  --target-dir $(TARGET_DIR) -- -D warnings
check: check-fmt check-clippy $(CHECK_TARGETS)
	@echo "check: all passed"

# 60 s per language (SOAK_SECONDS, SOAK_THREADS, SOAK_RSS_BOUND_MIB; bench/soak/README.md).
soak: bench-bins wheel npm-tarball lib
	@bash scripts/soak.sh $(SOAK_LANGS)
# About 10 minutes; BENCH_PARTS="rust python node" (default all), writes BENCHMARKS.md.
bench: bench-bins wheel npm-tarball
	@bash scripts/bench.sh $(BENCH_PARTS)
# FUZZ_SECONDS per target (30), FUZZ_TARGETS (default every target of fuzz/Cargo.toml).
fuzz:
	@bash scripts/fuzz.sh $(FUZZ_TARGETS)
mutants:
	@test -f scripts/mutants.sh || { echo "scripts/mutants.sh is not there yet" >&2; exit 2; }
	bash scripts/mutants.sh
