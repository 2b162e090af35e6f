# Two commands do everything on a fresh Debian machine:
#   make examples   build every example from data/ into out/ (PDF, DOCX, 公众号 HTML, long image)
#   make test       run the tests
# Both install what they need first (Debian packages, then a virtualenv in .venv).

PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
OUT    ?= out

.PHONY: examples test install previews bench clean studio
.DEFAULT_GOAL := examples

examples: install
	$(BIN)/reportgen build --allow-outside examples/all.yaml

test: install
	$(BIN)/python -m pytest

# the studio on data/ (a web page in Chinese; Ctrl+C stops it)
studio: install
	$(BIN)/reportgen serve data --templates templates

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml scripts/install-system-deps
	./scripts/install-system-deps
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

# speed and size figures against Typst and LibreOffice (prints, asserts nothing)
bench: install
	$(BIN)/python -m pip install -q -e ".[bench]"
	$(BIN)/python benchmarks/bench.py

# PNG previews of the first pages, for the README (DOCX through LibreOffice, if installed)
previews: examples
	for f in $(OUT)/*.pdf; do n=$$(basename $$f .pdf); pdftoppm -r 45 -png -f 1 -l 1 -singlefile $$f docs/pdf-$$n; done
	pdftoppm -r 45 -png -f 1 -l 1 -singlefile $(OUT)/formal/cq-kx-2020.pdf docs/pdf-formal
	pdftoppm -r 45 -png -f 1 -l 1 -singlefile $(OUT)/custom/example-2021.pdf docs/pdf-custom
	pdftoppm -r 45 -png -f 2 -l 2 -singlefile $(OUT)/cq-kx-2021-ballot.pdf docs/pdf-cq-kx-2021-ballot-p2
	$(BIN)/python scripts/channel_previews.py $(OUT)
	$(BIN)/python scripts/cover_previews.py data
	# DOCX as LibreOffice shows it on a machine with no Chinese fonts (one file per LibreOffice run:
	# a session keeps the first embedded subset of a face name)
	if command -v libreoffice >/dev/null; then \
	  tmp=$$(mktemp -d); printf '<?xml version="1.0"?><!DOCTYPE fontconfig SYSTEM "fonts.dtd"><fontconfig><dir>/usr/share/fonts/truetype/dejavu</dir><cachedir>%s/cache</cachedir></fontconfig>' $$tmp > $$tmp/fonts.conf; \
	  for f in $(OUT)/*.docx; do FONTCONFIG_FILE=$$tmp/fonts.conf HOME=$$tmp libreoffice --headless --convert-to pdf --outdir $(OUT)/docx-pdf $$f >/dev/null; done; \
	  for f in $(OUT)/docx-pdf/*.pdf; do n=$$(basename $$f .pdf); pdftoppm -r 45 -png -f 1 -l 1 -singlefile $$f docs/docx-$$n; done; rm -rf $$tmp; fi
