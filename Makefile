# The two commands: `make run` and `make test`. See README.md.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/shop_bench
# The outbox scenario runs a real Celery worker; its own Redis database number.
BENCH_REDIS_URL ?= redis://127.0.0.1:6379/1

# Exact versions and hashes of everything installed, dependencies of dependencies
# included: `make lock` writes them from pyproject.toml.
LOCK := requirements-dev.lock
UV_VERSION := 0.13.9
COMPILE := $(BIN)/uv pip compile pyproject.toml --universal --python-version 3.11 \
	--generate-hashes --custom-compile-command "make lock" --quiet

.PHONY: run test lint bench install lock worker clean-venv

$(BIN)/python:
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "Python 3.11 is needed ($(PYTHON) not found)"; exit 1; }
	$(PYTHON) -m venv $(VENV)

# The project runs from its folder (it is not installed): only the locked packages are.
$(STAMP): $(LOCK) | $(BIN)/python
	$(BIN)/python -m pip install --quiet --require-hashes -r $(LOCK)
	@touch $(STAMP)

install: $(STAMP)

# After a change to pyproject.toml's dependencies: new lock files, then `make install`.
# Versions already locked stay; `make lock LOCK_ARGS=--upgrade` moves the unpinned ones
# (dependencies of dependencies) to their newest releases.
lock: | $(BIN)/python
	@test -x $(BIN)/uv || $(BIN)/python -m pip install --quiet uv==$(UV_VERSION)
	$(COMPILE) $(LOCK_ARGS) -o requirements.lock
	$(COMPILE) $(LOCK_ARGS) --extra dev -o requirements-dev.lock

# Serves the demo shop at http://127.0.0.1:8000. With REDIS_URL set, a Celery
# worker with beat runs beside the server and stops with it.
run: $(STAMP)
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py migrate --no-input
	DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py seed_demo
	@if [ -n "$$REDIS_URL" ]; then \
		DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/celery -A config worker -B --loglevel=info & \
		trap "kill $$! 2>/dev/null" EXIT INT TERM; \
		DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py runserver 127.0.0.1:8000; \
	else \
		DJANGO_DEBUG=$${DJANGO_DEBUG:-true} $(BIN)/python manage.py runserver 127.0.0.1:8000; \
	fi

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# lint-imports: which app may import which, the contracts in pyproject.toml (ARCHITECTURE.md).
test: lint
	$(BIN)/lint-imports
	DJANGO_SETTINGS_MODULE=config.test_settings $(BIN)/python manage.py check
	DJANGO_SETTINGS_MODULE=config.test_settings $(BIN)/python manage.py makemigrations --check --dry-run
	$(BIN)/pytest $(PYTEST_ARGS)

# Benchmarks on PostgreSQL with a shop of realistic size; rows in bench/results.json.
bench: $(STAMP)
	$(BIN)/python bench/prepare_db.py "$(BENCH_DATABASE_URL)"
	DATABASE_URL="$(BENCH_DATABASE_URL)" DJANGO_SETTINGS_MODULE=bench.settings $(BIN)/python manage.py migrate --no-input -v0
	DATABASE_URL="$(BENCH_DATABASE_URL)" DJANGO_SETTINGS_MODULE=bench.settings $(BIN)/python manage.py seed_bench
	DATABASE_URL="$(BENCH_DATABASE_URL)" REDIS_URL="$(BENCH_REDIS_URL)" DJANGO_SETTINGS_MODULE=bench.settings $(BIN)/python -m bench $(BENCH_ARGS)

worker: $(STAMP)
	$(BIN)/celery -A config worker -B --loglevel=info
