# latchkey: the two commands are `make run` and `make test`; see README.md.
SHELL := /bin/bash
BUILD_DIR ?= build
ASAN_DIR ?= build-asan
BENCH_DIR ?= build-release
BUILD_TYPE ?= RelWithDebInfo
JOBS ?= $(shell nproc)
CMAKE_FLAGS ?=
# Line tables only: the same flags scripts/check.sh uses, so both share one build of build/.
RELWITHDEBINFO_FLAGS := -O2 -g1 -DNDEBUG
PROGRAMS := latchkey example_api example_webapp latchkey-loadgen

.PHONY: all deps configure build run test check asan bench format clean

all: build

deps:
	@scripts/install-deps

configure: deps
	@cmake -S . -B $(BUILD_DIR) -G Ninja -DCMAKE_BUILD_TYPE=$(BUILD_TYPE) -DLATCHKEY_WERROR=ON \
	  -DCMAKE_CXX_FLAGS_RELWITHDEBINFO="$(RELWITHDEBINFO_FLAGS)" $(CMAKE_FLAGS) >/dev/null

## build: build/latchkey and the programs `make run` starts (the tests build in `make test`)
build: configure
	@ninja -C $(BUILD_DIR) -j$(JOBS) $(PROGRAMS)

## run: latchkey on http://127.0.0.1:8080 with the demo application, API and user
run: build
	@scripts/run-demo

## test: format and pattern checks, the -Werror builds, every test against the sanitizer build
test: deps
	@scripts/check.sh

## asan: unit and integration tests under -fsanitize=address,undefined
asan: deps
	@cmake -S . -B $(ASAN_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Debug -DLATCHKEY_WERROR=ON -DLATCHKEY_SANITIZE=ON \
	  -DCMAKE_CXX_FLAGS_DEBUG="-O0 -g1" >/dev/null
	@ninja -C $(ASAN_DIR) -j$(JOBS)
	@cd $(ASAN_DIR) && ctest -L 'unit|integration' --output-on-failure -j$(JOBS)

## bench: Release build, then the benchmarks in bench/ and latchkey under load (PEER=1: against the peer too)
bench: deps
	@cmake -S . -B $(BENCH_DIR) -G Ninja -DCMAKE_BUILD_TYPE=Release -DLATCHKEY_BENCH=ON -DLATCHKEY_TESTS=OFF >/dev/null
	@ninja -C $(BENCH_DIR) -j$(JOBS)
	@scripts/run-bench $(BENCH_DIR)

format:
	@git ls-files '*.cpp' '*.hpp' | xargs clang-format -i

clean:
	rm -rf $(BUILD_DIR) $(ASAN_DIR) $(BENCH_DIR)
