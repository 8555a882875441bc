# khoso — make test installs what the tests need, then runs every test.

GO ?= go
# Independent checkers of what khoso writes: pdfsig/pdfinfo (poppler-utils),
# qpdf, and certutil (libnss3-tools) to trust the development CA in pdfsig.
TOOLS := pdfsig:poppler-utils pdfinfo:poppler-utils qpdf:qpdf certutil:libnss3-tools

.PHONY: test deps check run

test: deps check
	$(GO) test -count=1 ./...

# deps installs the missing checkers with apt-get (as root, or through sudo).
deps:
	@missing=""; for t in $(TOOLS); do \
		command -v $${t%%:*} >/dev/null 2>&1 || missing="$$missing $${t#*:}"; \
	done; \
	if [ -n "$$missing" ]; then \
		echo "installing:$$missing"; \
		SUDO=""; [ "$$(id -u)" = 0 ] || SUDO=sudo; \
		$$SUDO apt-get update -qq && $$SUDO apt-get install -y -qq $$missing; \
	fi

# check is what every change must pass besides the tests.
check:
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt: files above are not formatted"; exit 1; }
	$(GO) vet ./...

run:
	$(GO) run ./cmd/khoso serve
