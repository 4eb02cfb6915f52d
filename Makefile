# Grensverkeer — the README's two commands are `make dashboard` and `make test`.
SHELL := /bin/bash
SWIFT ?= swift
BIN := .build/release/grensverkeer
SHARED ?= ../shared
# Real DUO files: make dashboard DUO=../shared/duo-real/po-postcode-leerling-2024-2025
DUO ?=
DUO_ARGS := $(foreach d,$(DUO),--duo "$(d)")

.PHONY: all build dashboard test test-swift test-browser bench accuracy clean

all: dashboard

build:
	$(SWIFT) build -c release --product grensverkeer

# Main job: ingest -> analysis -> dashboard (out/dashboard/index.html). Without DUO: the synthetic sample
# (data/voorbeeld.sqlite, out/voorbeeld/index.html).
dashboard: build
	$(BIN) run $(DUO_ARGS)

test: test-swift test-browser

test-swift:
	$(SWIFT) test

# Renders the real 2024 data and the synthetic sample and checks every page in headless Chromium.
test-browser: build
	bash Tests/browser/selftest.sh
	rm -rf .build/browser && mkdir -p .build/browser
	$(BIN) run --db .build/browser/voorbeeld.sqlite --uit .build/browser/voorbeeld > /dev/null
	$(BIN) run --duo $(SHARED)/duo-real/po-postcode-leerling-2024-2025 --duo $(SHARED)/duo-real/po-postcode-leerling-2017-2018-unmasked \
		--db .build/browser/echt.sqlite --uit .build/browser/echt > /dev/null
	python3 Tests/browser/check_pages.py .build/browser/voorbeeld .build/browser/screenshots/voorbeeld
	python3 Tests/browser/check_pages.py .build/browser/echt .build/browser/screenshots/echt

# Paired runs of grensverkeer and DuckDB (pip install duckdb; also polars where installed) on the national 2024 PO files; prints the ratios,
# the stage split of `grensverkeer bench` and `run` on 2024 + 2017 (fresh store, then nothing changed); then a
# store filled year by year from a synthetic 10-year history (Tests/bench/growth.py).
bench: build
	python3 Tests/bench/peer.py $(BIN) $(SHARED)/duo-real/po-postcode-leerling-2024-2025 3 $(SHARED)/duo-real/po-postcode-leerling-2017-2018-unmasked
	python3 Tests/bench/growth.py $(BIN) $(SHARED)/duo-real/po-postcode-leerling-2024-2025

accuracy: build
	rm -f .build/accuracy.sqlite*
	$(BIN) ingest $(SHARED)/duo-real/po-postcode-leerling-2017-2018-unmasked --db .build/accuracy.sqlite > /dev/null
	$(BIN) nauwkeurigheid --peildatum 2017-10-01 --db .build/accuracy.sqlite

clean:
	rm -rf .build out data/*.sqlite data/*.sqlite-*
