# Talentbrug: the two commands a newcomer needs are `make run` and `make test`.
PY := .venv/bin/python
HOST ?= 127.0.0.1:8000

.PHONY: setup run test quality worker beat seed clean schema

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

## With REDIS_URL set: a Celery worker and the beat scheduler.
worker: setup
	.venv/bin/celery -A config worker --loglevel INFO

beat: setup
	.venv/bin/celery -A config beat --loglevel INFO

seed: setup
	$(PY) manage.py seed_demo

clean:
	rm -rf .venv db.sqlite3 staticfiles .pytest_cache .mypy_cache .ruff_cache
