# Earshot: the quick start is `make run` and `make test`; both install what they need.
SWIFT        ?= swift
PREFIX       ?= /usr/local
DESTDIR      ?=
BENCH_COUNT  ?= 1000000
DEMO_ARGS    ?=
# Debian packages the build and the tests need (tmux drives the real binary in tests).
DEPS         := libncurses-dev pkg-config sqlite3 libsqlite3-dev tmux
RELEASE_BIN   = $(shell $(SWIFT) build -c release --show-bin-path)

.PHONY: all build run test bench install deps clean

all: build

deps:
	@command -v $(SWIFT) >/dev/null 2>&1 || { \
	  echo "make deps: the Swift toolchain ($(SWIFT)) is not on PATH; install Swift 6.1 or newer from swift.org"; exit 1; }
	@missing=""; \
	for package in $(DEPS); do \
	  dpkg-query -W -f='$${Status}' $$package 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$package"; \
	done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then \
	    echo "make deps: installing$$missing"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq$$missing; \
	  else \
	    echo "make deps: missing Debian packages:$$missing"; \
	    echo "run:  sudo apt-get install -y$$missing"; \
	    exit 1; \
	  fi; \
	fi

build: deps
	$(SWIFT) build

# The live demo (docs/demo.md): simulated customers and teammates around you on a
# temporary database. DEMO_ARGS passes options, e.g. make run DEMO_ARGS="--speed 60".
run: deps
	$(SWIFT) build -c release --product earshot
	$(RELEASE_BIN)/earshot demo $(DEMO_ARGS)

test: deps
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build

bench: deps
	$(SWIFT) build -c release --product earshot-bench
	$(RELEASE_BIN)/earshot-bench store --count $(BENCH_COUNT)
	$(RELEASE_BIN)/earshot-bench ingest --count $(BENCH_COUNT)
	$(RELEASE_BIN)/earshot-bench stats --count $(BENCH_COUNT)
	$(RELEASE_BIN)/earshot-bench queue --count $(BENCH_COUNT)
	$(RELEASE_BIN)/earshot-bench daemon --clients 50 --rate 200 --seconds 10
	$(RELEASE_BIN)/earshot-bench tui --count $(BENCH_COUNT)

install: deps
	$(SWIFT) build -c release --product earshot
	install -d $(DESTDIR)$(PREFIX)/bin
	install -m 0755 $(RELEASE_BIN)/earshot $(DESTDIR)$(PREFIX)/bin/earshot

clean:
	rm -rf .build
