# Talentbrug: the two commands a newcomer needs are `make run` and `make test`.
PY := .venv/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: setup run test faults quality worker worker-webhooks beat seed clean schema

setup:
	@bash scripts/bootstrap.sh

## Run the app with demo data on the embedded default (SQLite, tasks in-process) unless
## DATABASE_URL / REDIS_URL say otherwise.
run: setup
	$(PY) manage.py migrate --no-input
	$(PY) manage.py seed_demo
	$(PY) manage.py seed_demo_api_client
	$(PY) manage.py runserver --insecure $(HOST)

## The whole test suite. Service-backed tests run when DATABASE_URL and REDIS_URL are set.
test: setup
	$(PY) -m pytest

## The fault scenarios of quality.md section 2 (tests/faults): real worker and beat processes, a private
## Redis per scenario, on the PostgreSQL database DATABASE_URL names (its test_ copy). About 10 minutes.
faults: setup
	@case "$$DATABASE_URL" in postgres://*|postgresql://*) ;; \
	  *) echo "make faults needs DATABASE_URL pointing to PostgreSQL" >&2; exit 2;; esac
	REQUIRE_SERVICES=1 $(PY) -m pytest -m faults tests/faults -p no:cacheprovider

quality: setup
	$(PY) -m ruff format --check .
	$(PY) -m ruff check .
	$(PY) -m mypy .
	.venv/bin/lint-imports
	$(PY) manage.py makemigrations --check --dry-run
	.venv/bin/djlint templates --lint

## Regenerate the committed OpenAPI contract of the partner API (tests/api/test_schema.py fails when stale).
schema: setup
	$(PY) manage.py spectacular --lang en --fail-on-warn --file docs/openapi.yaml

## With REDIS_URL set: a Celery worker (recomputes and everything else), the webhook worker (partner
## deliveries have a queue of their own: a slow endpoint cannot hold the recomputes) and beat.
worker: setup
	.venv/bin/celery -A config worker -Q celery,matches --loglevel INFO

worker-webhooks: setup
	.venv/bin/celery -A config worker -Q webhooks -n webhooks@%h --concurrency 4 --loglevel INFO

beat: setup
	.venv/bin/celery -A config beat --loglevel INFO

seed: setup
	$(PY) manage.py seed_demo

clean:
	rm -rf .venv db.sqlite3 db.sqlite3-wal db.sqlite3-shm staticfiles .pytest_cache .mypy_cache .ruff_cache
