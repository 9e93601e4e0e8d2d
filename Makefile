# pressroom: `make` builds build/pressroom; `make run` serves the demo site;
# `make check` builds with warnings as errors and runs every test.
BUILD      ?= build
CHECKBUILD ?= build-check
ASANBUILD  ?= build-asan
JOBS       ?= $(shell nproc)
LISTEN     ?= 127.0.0.1:8080

.PHONY: all deps test-deps run demo demo-reset check check-style format bench \
	bench-serve bench-import bench-search clean

all:
	@cmake -S . -B $(BUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo >/dev/null
	@cmake --build $(BUILD) -j$(JOBS)

deps:
	@scripts/deps.sh build

test-deps:
	@scripts/deps.sh test

demo: deps all
	@scripts/demo.sh $(BUILD)/pressroom demo-data

run: demo
	$(BUILD)/pressroom --data demo-data serve --listen $(LISTEN)

# Builds ./demo-data again from scratch (make run keeps an existing one).
demo-reset: deps all
	rm -rf demo-data demo-data.tmp
	@scripts/demo.sh $(BUILD)/pressroom demo-data

check: test-deps
	@scripts/check-style.sh
	cmake -S . -B $(CHECKBUILD) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DPR_WERROR=ON >/dev/null
	cmake --build $(CHECKBUILD) -j$(JOBS)
	cmake -S . -B $(ASANBUILD) -DCMAKE_BUILD_TYPE=Debug -DPR_WERROR=ON -DPR_SANITIZE=ON >/dev/null
	cmake --build $(ASANBUILD) -j$(JOBS)
	cd $(CHECKBUILD) && ctest --output-on-failure -j$(JOBS)
	cd $(ASANBUILD) && ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 \
	  UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	  ctest --output-on-failure -j$(JOBS) -LE client

check-style:
	@scripts/check-style.sh

format:
	clang-format -i src/*/*.c src/*/*.h tests/unit/*.c tests/unit/*.h

# Benchmarks (never part of check): see bench/README.md.
bench: deps all
	@scripts/deps.sh bench
	@bench/serve.sh $(BUILD)/pressroom
	@bench/import.sh $(BUILD)/pressroom
	@bench/search.sh $(BUILD)/pressroom

bench-serve: deps all
	@scripts/deps.sh bench
	@bench/serve.sh $(BUILD)/pressroom

bench-import: deps all
	@scripts/deps.sh bench
	@bench/import.sh $(BUILD)/pressroom

bench-search: deps all
	@scripts/deps.sh bench
	@bench/search.sh $(BUILD)/pressroom

clean:
	rm -rf $(BUILD) $(CHECKBUILD) $(ASANBUILD)
