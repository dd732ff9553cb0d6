# Tradeoff: `make demo` runs the demo against the bundled fake provider; `make test` runs the tests.
# Both install missing system packages first (apt-get).
SWIFT ?= swift

.PHONY: deps build demo test bench clean

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build

demo: build
	@scripts/demo

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

# Numbers, not assertions: CPU per call next to the C floor (Benchmarks/floor.c), throughput,
# connections, efficiency under latency and under rate limits, memory, report time.
# Release build in its own folder, so it never disturbs the debug build the tests use.
bench: deps
	@scripts/install-deps gcc
	$(SWIFT) build -c release --scratch-path .build-release --product tradeoff-bench
	$(SWIFT) build -c release --scratch-path .build-release --product tradeoff
	$(SWIFT) build -c release --scratch-path .build-release --product fake-provider
	$(CC) -O2 -Wall -o .build-release/release/tradeoff-floor Benchmarks/floor.c $$(pkg-config --cflags --libs libcurl sqlite3)
	.build-release/release/tradeoff-bench all $(BENCH_FLAGS)

clean:
	rm -rf .build reports/*.md reports/*.csv results/*.sqlite*
