# socorg — two set-up commands: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
VENDOR := src/socorg/static/vendor
PORT ?= 8000
export DJANGO_SETTINGS_MODULE := socorg.settings

.PHONY: run test lint typecheck pytest pytest-sqlite pytest-postgres bench install assets clean messages

install: $(STAMP) $(VENDOR)/.installed

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

$(VENDOR)/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --silent
	mkdir -p $(VENDOR)
	cp node_modules/bootstrap/dist/css/bootstrap.min.css node_modules/bootstrap/dist/css/bootstrap.min.css.map $(VENDOR)/
	cp node_modules/bootstrap/dist/js/bootstrap.bundle.min.js node_modules/bootstrap/dist/js/bootstrap.bundle.min.js.map $(VENDOR)/
	mkdir -p $(VENDOR)/bootstrap-icons
	cp -r node_modules/bootstrap-icons/font/bootstrap-icons.min.css node_modules/bootstrap-icons/font/fonts $(VENDOR)/bootstrap-icons/
	cp node_modules/htmx.org/dist/htmx.min.js $(VENDOR)/
	cp node_modules/echarts/dist/echarts.min.js $(VENDOR)/
	touch $(VENDOR)/.installed

messages: install
	$(BIN)/socorg compilemessages --ignore=.venv >/dev/null

run: install messages
	$(BIN)/socorg migrate --noinput
	$(BIN)/socorg createcachetable
	$(BIN)/socorg demo load
	$(BIN)/socorg run --port $(PORT)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy src/socorg

pytest-sqlite: install messages
	env -u DATABASE_URL -u SOCORG_REQUIRE_POSTGRES $(BIN)/pytest -n 2 -p no:cacheprovider

pytest-postgres: install messages
	@if [ -n "$$DATABASE_URL" ]; then $(BIN)/pytest -n 2 -p no:cacheprovider; \
	elif [ "$$CI" = "true" ]; then echo "CI needs DATABASE_URL for the PostgreSQL run" >&2; exit 1; \
	else echo "DATABASE_URL is not set: PostgreSQL run skipped"; fi

test: lint typecheck pytest-sqlite pytest-postgres

bench: install messages
	$(BIN)/python benchmarks/run.py

clean:
	rm -rf $(VENV) node_modules $(VENDOR) var/*.sqlite3*
