# Earshot: the quick start is `make run` and `make test`; both install what they need.
SWIFT        ?= swift
PREFIX       ?= /usr/local
DESTDIR      ?=
BENCH_COUNT  ?= 1000000
DEMO_ARGS    ?=
# Debian packages the build and the tests need (tmux drives the real binary in tests).
DEPS         := libncurses-dev pkg-config sqlite3 libsqlite3-dev tmux
RELEASE_BIN   = $(shell $(SWIFT) build -c release --show-bin-path)
# The binary install-files copies and asks for completion scripts (install builds it first).
EARSHOT_BIN  ?= $(RELEASE_BIN)/earshot
# The man page's date: the last change to the commands it documents, so it only changes with them.
MAN_DATE     ?= $(shell git log -1 --format=%cs -- Sources/earshot 2>/dev/null | grep . || date +%F)
MAN_OUTPUT    = .build/plugins/GenerateManual/outputs/earshot/earshot.1

.PHONY: all build run test fuzz bench install install-files man deps clean

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

# The suite runs beside a throwaway PostgreSQL cluster (scripts/with-postgres.sh installs and
# starts it, as a non-root user, and removes it after); then the service's suite runs a second
# time with PostgreSQL as its store. EARSHOT_NO_POSTGRES=1 skips what needs PostgreSQL.
# The tests run in UTC from the start: the TUI tests draw UTC times, and a process that sets
# TZ itself races its other threads reading the environment (Tests/EarshotTUITests/AppFixture.swift).
test: deps
	$(SWIFT) build --build-tests
	TZ=UTC scripts/with-postgres.sh sh -c '$(SWIFT) test --skip-build && \
	  if [ "$${EARSHOT_NO_POSTGRES:-}" != 1 ]; then \
	    echo "make test: the service suite again, on PostgreSQL"; \
	    EARSHOT_TEST_STORE=postgres $(SWIFT) test --skip-build --filter EarshotServiceTests; fi'

# The fuzz targets (mutated real inputs through every ingest adapter and the daemon's protocol)
# run a few seconds each in `make test`; here FUZZ_SECONDS each. A failure prints its seed:
# `make fuzz FUZZ_SEED=N` replays it.
FUZZ_SECONDS ?= 300
FUZZ_SEED    ?=
fuzz: deps
	$(SWIFT) build --build-tests
	EARSHOT_FUZZ_SECONDS=$(FUZZ_SECONDS) $(if $(FUZZ_SEED),EARSHOT_FUZZ_SEED=$(FUZZ_SEED)) $(SWIFT) test --skip-build --filter 'IngestFuzzTests|ProtocolFuzzTests'

bench: deps
	$(SWIFT) build -c release --product earshot-bench
	$(RELEASE_BIN)/earshot-bench store --count $(BENCH_COUNT)
	$(RELEASE_BIN)/earshot-bench ingest --count $(BENCH_COUNT)
	$(RELEASE_BIN)/earshot-bench stats --count $(BENCH_COUNT)
	$(RELEASE_BIN)/earshot-bench forecast --count $(BENCH_COUNT)
	$(RELEASE_BIN)/earshot-bench waves --count $(BENCH_COUNT)
	$(RELEASE_BIN)/earshot-bench queue --count $(BENCH_COUNT)
	$(RELEASE_BIN)/earshot-bench daemon --clients 50 --rate 200 --seconds 10
	$(RELEASE_BIN)/earshot-bench accounts --mentions 40
	scripts/with-postgres.sh $(RELEASE_BIN)/earshot-bench scale-out --clients 50 --seconds 10 --count $(BENCH_COUNT)
	$(RELEASE_BIN)/earshot-bench tui --count $(BENCH_COUNT)

# The binary, the man page (docs/earshot.1, kept current by `make man`) and completion
# scripts for bash, zsh and fish, generated from the binary's own argument parser.
install: deps
	$(SWIFT) build -c release --product earshot
	$(MAKE) install-files EARSHOT_BIN=$(RELEASE_BIN)/earshot

# Installs an already built EARSHOT_BIN; `make install` builds it first.
install-files:
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/man/man1 \
	  $(DESTDIR)$(PREFIX)/share/bash-completion/completions $(DESTDIR)$(PREFIX)/share/zsh/site-functions \
	  $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d
	install -m 0755 $(EARSHOT_BIN) $(DESTDIR)$(PREFIX)/bin/earshot
	install -m 0644 docs/earshot.1 $(DESTDIR)$(PREFIX)/share/man/man1/earshot.1
	$(EARSHOT_BIN) --generate-completion-script bash > $(DESTDIR)$(PREFIX)/share/bash-completion/completions/earshot
	$(EARSHOT_BIN) --generate-completion-script zsh > $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_earshot
	$(EARSHOT_BIN) --generate-completion-script fish > $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/earshot.fish
	chmod 0644 $(DESTDIR)$(PREFIX)/share/bash-completion/completions/earshot \
	  $(DESTDIR)$(PREFIX)/share/zsh/site-functions/_earshot $(DESTDIR)$(PREFIX)/share/fish/vendor_completions.d/earshot.fish

# Regenerates docs/earshot.1 with swift-argument-parser's generate-manual plugin (it ships
# with the dependency, so this works offline); scripts/finish-manpage.awk turns blank lines
# into paragraph breaks and adds ENVIRONMENT, FILES and SEE ALSO from
# scripts/earshot-man-sections.mdoc, which the parser cannot know.
man: deps
	$(SWIFT) package plugin generate-manual --configuration debug --date $(MAN_DATE)
	awk -v extra=scripts/earshot-man-sections.mdoc -f scripts/finish-manpage.awk $(MAN_OUTPUT) > docs/earshot.1

clean:
	rm -rf .build
