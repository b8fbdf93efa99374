# candidate_nurture: every target sets up what it needs (venv, PostgreSQL) first.
#   make run    demo database + Odoo on http://127.0.0.1:8069 (admin / admin), threaded
#   make run WORKERS=4  the same in prefork mode, as production runs it: 4 HTTP workers,
#               CRON_THREADS (2) cron workers, longpolling (gevent) on LONGPOLLING_PORT (8072),
#               queue_job's runner with QUEUE_CHANNELS (root:2); all on 127.0.0.1
#   make test   the addon's tests on a fresh database, then end-to-end tests
#   make shell  Odoo shell on the demo database (reads Python from stdin)
#   make lint   ruff, vermin (Python 3.5), pylint-odoo, XML well-formedness
#   make pot    regenerate the translation template from the demo database
#   make dist   build the addon's wheel into dist/ (setuptools-odoo, as the OCA does)
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
PY ?= python3.11
VENV ?= $(CURDIR)/.venv
DB ?= nurture_demo
PORT ?= 8069
# prefork (production) mode of make run: WORKERS > 0
WORKERS ?= 0
CRON_THREADS ?= 2
LONGPOLLING_PORT ?= 8072
QUEUE_CHANNELS ?= root:2
ADDON := candidate_nurture
export VENV PY

.PHONY: run test shell lint venv pg demo-db pot dist clean help
help:
	@sed -n '2,10p' Makefile

venv:
	@runtime/bootstrap.sh

pg:
	@runtime/pg.sh >/dev/null

demo-db: venv pg
	@runtime/demo_db.sh "$(DB)"

# both modes load queue_job server-wide: its job runner (a thread of the main
# process) hands the addon's background jobs to the HTTP workers
run: demo-db
	@echo "[run] Odoo on http://127.0.0.1:$(PORT)/web/login  (database $(DB), login admin / password admin)"
	@if [ "$(WORKERS)" -gt 0 ]; then \
	    echo "[run] prefork: $(WORKERS) HTTP workers, $(CRON_THREADS) cron workers, longpolling on 127.0.0.1:$(LONGPOLLING_PORT), queue_job channels $(QUEUE_CHANNELS)"; \
	    ODOO_QUEUE_JOB_CHANNELS="$(QUEUE_CHANNELS)" exec runtime/odoo -d "$(DB)" --db-filter='^$(DB)$$' \
	        --http-port=$(PORT) --longpolling-port=$(LONGPOLLING_PORT) --workers=$(WORKERS) \
	        --max-cron-threads=$(CRON_THREADS) --load=web,queue_job \
	        --limit-time-real-cron=300; \
	else \
	    ODOO_QUEUE_JOB_CHANNELS="$(QUEUE_CHANNELS)" exec runtime/odoo -d "$(DB)" --db-filter='^$(DB)$$' \
	        --http-port=$(PORT) --workers=0 --max-cron-threads=$(CRON_THREADS) --load=web,queue_job; \
	fi

test: venv pg
	@runtime/browser.sh
	@$(VENV)/bin/python runtime/run_tests.py

shell: demo-db
	@runtime/odoo shell -d "$(DB)" --log-level=warn

lint: venv
	@echo "[lint] ruff"; $(VENV)/bin/ruff check $(ADDON) runtime tests benchmarks
	@echo "[lint] vermin --target=3.5-"; $(VENV)/bin/vermin -q --no-tips --target=3.5- --violations --eval-annotations $(ADDON)
	@echo "[lint] pylint-odoo (mandatory checks)"; $(VENV)/bin/pylint --rcfile=.pylintrc $(ADDON)
	@echo "[lint] XML well-formedness"; $(VENV)/bin/python runtime/check_xml.py $(ADDON)

pot: demo-db
	@mkdir -p $(ADDON)/i18n
	@# Odoo 11 exports the template (no language) only under a .po name
	@runtime/odoo -d "$(DB)" --i18n-export=$(CURDIR)/.odoo-data/$(ADDON).po --modules=$(ADDON) \
		--stop-after-init --no-http --log-level=warn
	@mv -f .odoo-data/$(ADDON).po $(ADDON)/i18n/$(ADDON).pot
	@echo "[pot] $(ADDON)/i18n/$(ADDON).pot regenerated"

dist: venv
	@runtime/dist.sh "$(CURDIR)/dist"

clean:
	rm -rf .logs .odoo-data
