# khoso — make test installs what the tests need, then runs every test.

GO ?= go
# Independent checkers of what khoso writes: pdfsig/pdfinfo (poppler-utils),
# qpdf, certutil (libnss3-tools) to trust the development CA in pdfsig,
# s3cmd to read the buckets, Chromium to drive the public pages, SoftHSM2
# for the PKCS#11 signing path, pdftoppm to render pages, Tesseract to read
# back a stamped page's words and zbarimg to read a copy's QR code.
TOOLS := pdfsig:poppler-utils pdfinfo:poppler-utils qpdf:qpdf certutil:libnss3-tools s3cmd:s3cmd chromium:chromium softhsm2-util:softhsm2 djpeg:libjpeg-turbo-progs pdftoppm:poppler-utils tesseract:tesseract-ocr zbarimg:zbar-tools

# Real servers the tests start on loopback, built once into .bin/.
BIN := $(CURDIR)/.bin
MINIO_VERSION := v0.0.0-20260212201848-7aac2a2c5b7c
VERSITYGW_VERSION := v1.8.0

.PHONY: test test-turbojpeg deps servers postgres check run fuzz bench-ingest bench-search bench-search-page axe screens

# HEADERS are C libraries the cgo build variants link, as header:package.
HEADERS := /usr/include/turbojpeg.h:libturbojpeg0-dev
# DATA are data files the tests read, as path:package; the path may be a
# glob (Tesseract's folder names its version).
DATA := /usr/share/tesseract-ocr/*/tessdata/vie.traineddata:tesseract-ocr-vie

test: deps servers postgres check axe
	KHOSO_TEST_BIN=$(BIN) $(GO) test -count=1 -timeout 30m ./...
	$(MAKE) test-turbojpeg fuzz

# test-turbojpeg runs the page tests again with libjpeg-turbo as the JPEG
# codec (the build production ingest workers should use).
test-turbojpeg:
	$(GO) test -count=1 -tags turbojpeg ./ingest/scan/... ./ingest/assemble/...

# fuzz runs each decoder's fuzz target, and the signature verifier's, for a short,
# fixed time. FuzzVerify's inputs are whole signed PDFs: minimising each new
# interesting one at the default 60s would take all of FUZZTIME, so it is bounded.
FUZZTIME ?= 10s
fuzz:
	for f in FuzzJPEG FuzzPNG FuzzTIFF FuzzPDF; do \
		$(GO) test ./ingest/scan -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) || exit 1; \
	done
	$(GO) test ./signing -run '^$$' -fuzz '^FuzzVerify$$' -fuzztime $(FUZZTIME) -fuzzminimizetime 100x

# bench-ingest: khoso's normalise+assemble against ImageMagick + img2pdf
# (ingest/scan/BENCHMARKS.md); add -tags turbojpeg with libturbojpeg0-dev.
bench-ingest:
	KHOSO_BENCH=1 $(GO) test ./ingest/scan/scanbench -run TestBenchIngest -v -timeout 90m

# bench-search: khoso search against PostgreSQL FTS (search/BENCHMARKS.md).
bench-search:
	SEARCHBENCH_N=$${SEARCHBENCH_N:-100000} $(GO) test ./search/searchbench -run '^$$' -bench Report -benchtime 1x -timeout 2h

# screens refreshes the screenshots README.md shows: the browser test
# writes every screen at 1280 and 360 px into docs/screens-new, and the four
# README.md shows are copied, made small with pngquant (apt-get install
# pngquant), into docs/screens.
SHOTS := $(CURDIR)/docs/screens-new
screens: axe
	@command -v pngquant >/dev/null || { echo "screens: pngquant is needed (apt-get install pngquant)"; exit 1; }
	rm -rf $(SHOTS)
	KHOSO_SCREENSHOTS=$(SHOTS) KHOSO_TEST_BIN=$(BIN) $(GO) test -count=1 -run '^TestAppInBrowser$$' ./cmd/khoso
	for s in search-1280 record-1280 me-360:my-documents-360 audit-1280; do \
		pngquant --quality 40-85 --speed 1 --strip --force --output docs/screens/$${s#*:}.png $(SHOTS)/[0-9][0-9]-$${s%%:*}.png || exit 1; \
	done

# bench-search-page: the search screen against the JSON search, through the
# real web.Server, catalog and index, at 100,000 records (web/BENCHMARKS.md).
bench-search-page:
	KHOSO_BENCH_RECORDS=$${KHOSO_BENCH_RECORDS:-100000} $(GO) test ./web -run '^$$' -bench SearchPage -benchtime 1x -timeout 30m

# deps installs the missing checkers with apt-get (as root, or through sudo).
deps:
	@missing=""; for t in $(TOOLS); do \
		command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $${t#*:}"; \
	done; \
	for h in $(HEADERS) $(DATA); do \
		ls $${h%%:*} >/dev/null 2>&1 || missing="$$missing $${h#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

# axe installs axe-core, which the browser test injects into every page to
# check its accessibility, from the committed lock file.
AXE := web/testdata/axe
axe:
	@test -d $(AXE)/node_modules/axe-core || (cd $(AXE) && npm ci --no-audit --no-fund)

servers: $(BIN)/minio $(BIN)/versitygw

$(BIN)/minio:
	GOBIN=$(BIN) $(GO) install github.com/minio/minio@$(MINIO_VERSION)

$(BIN)/versitygw:
	GOBIN=$(BIN) $(GO) install github.com/versity/versitygw/cmd/versitygw@$(VERSITYGW_VERSION)

# postgres starts the local PostgreSQL when it is installed but stopped.
postgres:
	@pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null || { \
		echo "starting PostgreSQL"; \
		pg_ctlcluster --skip-systemctl-redirect $$(ls /etc/postgresql) main start; \
		for i in 1 2 3 4 5 6 7 8 9 10; do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done; }

# check is what every change must pass besides the tests.
check:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above are not formatted"; exit 1; }
	$(GO) vet ./...

run:
	$(GO) run ./cmd/khoso serve
