# Tradeoff: `make demo` runs the demo against the bundled fake provider; `make test` runs the tests.
# Both install missing system packages first (apt-get).
SWIFT ?= swift

.PHONY: deps build demo test bench install clean

# The release build, as `make install` ships it and `make bench` measures it: Swift's runtime and
# Foundation linked in (one binary to copy onto a CI runner without Swift; start-up without
# loading a dozen shared libraries: `validate` of the demo 21 -> 12.5 ms of CPU), in its own
# folder so it never disturbs the debug build the tests use.
RELEASE = $(SWIFT) build -c release --static-swift-stdlib --scratch-path .build-release
PREFIX ?= /usr/local

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build

demo: build
	@scripts/demo

# The shared-history tests run against a throwaway PostgreSQL server (scripts/with-postgres).
# The local-models test runs two real llama.cpp servers: their venv is made first (once; cached
# in ~/.cache/tradeoff/local-models; building llama-cpp-python takes minutes).
test: deps
	examples/local-models/run.sh --setup-only
	$(SWIFT) build --build-tests
	scripts/with-postgres $(SWIFT) test --skip-build

# Numbers, not assertions: CPU per call next to the C floor (Benchmarks/floor.c), throughput,
# connections, efficiency under latency and under rate limits, memory, report time next to
# SQLite's own reading of the same columns (Benchmarks/scan-floor.c).
bench: deps
	@scripts/install-deps gcc
	$(RELEASE) --product tradeoff-bench
	$(RELEASE) --product tradeoff
	$(RELEASE) --product fake-provider
	$(CC) -O2 -Wall -o .build-release/release/tradeoff-floor Benchmarks/floor.c $$(pkg-config --cflags --libs libcurl sqlite3)
	$(CC) -O2 -Wall -o .build-release/release/tradeoff-scan-floor Benchmarks/scan-floor.c $$(pkg-config --cflags --libs sqlite3)
	.build-release/release/tradeoff-bench all $(BENCH_FLAGS)

# `tradeoff` and the price data it ships with (the resources folder must sit beside the binary).
install: deps
	$(RELEASE) --product tradeoff
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 755 .build-release/release/tradeoff $(DESTDIR)$(PREFIX)/bin/tradeoff
	rm -rf $(DESTDIR)$(PREFIX)/bin/Tradeoff_TradeoffKit.resources
	cp -R .build-release/release/Tradeoff_TradeoffKit.resources $(DESTDIR)$(PREFIX)/bin/

clean:
	rm -rf .build reports/*.md reports/*.csv results/*.sqlite*
