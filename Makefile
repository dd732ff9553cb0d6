# Tradeoff: `make demo` runs the demo against the bundled fake provider; `make test` runs the tests.
# Both install missing system packages first (apt-get).
SWIFT ?= swift

.PHONY: deps build demo test clean

deps:
	@scripts/install-deps

build: deps
	$(SWIFT) build

demo: build
	@scripts/demo

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

clean:
	rm -rf .build reports/*.md reports/*.csv results/*.sqlite*
