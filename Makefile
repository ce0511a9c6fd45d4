# KeyDesk build. `make run` and `make test` are the whole set-up on a fresh
# Debian 12 machine with Go: both install the system packages they miss.

SHELL     := /bin/bash
GO        ?= go
PKGS      ?= ./...
FUZZTIME  ?= 10s
BENCHTIME ?= 1s
BENCHCOUNT ?= 3
BENCHOUT  ?= /tmp/keydesk-bench.out
BENCHTABLE ?= /tmp/keydesk-bench.md
TESTFLAGS ?= -race -timeout 25m
STATICCHECK_VERSION ?= v0.8.2
GOBIN     := $(shell $(GO) env GOPATH)/bin

# Debian packages needed to build (cgo: libfido2, GLFW/X11/GL) and to test
# (fido2-tools as an independent libfido2 client, Xvfb for real windows,
# poppler-utils to render and read the printed pass letter).
DEB_PKGS := libfido2-dev fido2-tools pkg-config gcc libc6-dev libgl1-mesa-dev \
	libx11-dev libxcursor-dev libxrandr-dev libxinerama-dev libxi-dev libxxf86vm-dev \
	libxkbcommon-dev xvfb xauth x11-utils imagemagick poppler-utils

SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build run test vet lint purecheck staticcheck bench fuzz screenshots codes clean

all: build

deps:
	@missing=""; for p in $(DEB_PKGS); do \
		dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		$(SUDO) apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq $$missing; \
	fi
	@[ -x $(GOBIN)/staticcheck ] || $(GO) install honnef.co/go/tools/cmd/staticcheck@$(STATICCHECK_VERSION)

build: deps
	$(GO) build -o keydesk .

# Demo mode (emulator + virtual key) when no instance is configured.
run: build
	./keydesk

vet:
	$(GO) vet $(PKGS)

staticcheck: deps
	$(GOBIN)/staticcheck $(PKGS)

lint: deps purecheck
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt:"; echo "$$out"; exit 1; fi
	$(GO) vet $(PKGS)
	$(GOBIN)/staticcheck $(PKGS)

# The packages that need no cgo build without it, also for other systems,
# and vet there with their tests (the virtual key's tests need Linux and
# libfido2). ctap/internal/hidbridge is the Linux bridge's pure stub there.
PURE_VET  := ./app/passletter ./ctap/protocol ./ctap/internal/hidbridge ./client/cloud ./client/config ./client/webauthn/options \
	./client/result ./client/safetext ./client/emulator ./client/internal/... ./client/pass ./assets/...
PURE_PKGS := $(PURE_VET) ./ctap/virtualkey
purecheck:
	CGO_ENABLED=0 $(GO) build $(PURE_PKGS)
	@for os in windows darwin; do echo "GOOS=$$os CGO_ENABLED=0"; \
		CGO_ENABLED=0 GOOS=$$os $(GO) build $(PURE_PKGS) && \
		CGO_ENABLED=0 GOOS=$$os $(GO) vet $(PURE_VET) || exit 1; done

# Every test, under a virtual X server so that real-window tests run too.
test: deps lint
	.ci/with-display $(GO) test $(TESTFLAGS) $(PKGS)

bench: deps
	set -o pipefail; .ci/with-display $(GO) test -run '^$$' -bench . -benchmem -benchtime $(BENCHTIME) -count $(BENCHCOUNT) $(PKGS) | tee $(BENCHOUT)
	.ci/benchratio -o $(BENCHTABLE) -w README.md $(BENCHOUT)

# Runs every fuzz target found in the tree for FUZZTIME each, then prints a
# table of what ran clean. Minimising a new input runs it once only: some
# targets drive the virtual key, whose inputs may wait on timers.
fuzz: deps
	@summary=""; for f in $$(git ls-files '*_test.go'); do \
		for t in $$(grep -oE '^func (Fuzz[A-Za-z0-9_]+)' $$f | cut -d' ' -f2); do \
			echo "== $$t ($$(dirname $$f))"; \
			$(GO) test -run '^$$' -fuzz "^$$t$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 1x ./$$(dirname $$f) || exit 1; \
			summary="$$summary| $$t | $$(dirname $$f) | $(FUZZTIME) | clean |\n"; \
		done; done; \
	printf '\n| target | package | ran | result |\n|---|---|---|---|\n'"$$summary"

screenshots: build
	.ci/with-display $(GO) test -run TestScreenshots -count=1 ./app/window ./app/kiosk ./app/passletter -args -screenshots=$(CURDIR)/assets/screenshots

clean:
	rm -f keydesk $(BENCHOUT) $(BENCHTABLE)
