"""Production settings: `check --deploy` is clean, a missing secret is refused, and so is
running background tasks inside the web process without saying so."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


PRODUCTION = {
    "DJANGO_DEBUG": "false",
    "DJANGO_SECRET_KEY": "k3y-" + "abcdefghijklmnopqrstuvwxyz0123456789" * 2,
    "DJANGO_ALLOWED_HOSTS": "shop.example.com",
}
# Nothing needs to answer here: neither `check` nor loading the web process connects.
REDIS = {"REDIS_URL": "redis://redis.internal:6379/0"}


def run_python(*args, **env):
    """The project's settings (not the tests'), with only the environment given here."""
    clean = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "S3_", "SHOP_ALLOW")) and k != "REDIS_URL"
    }
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def run_manage(*args, **env):
    return run_python("manage.py", *args, **env)


def test_check_deploy_prints_no_warning_with_debug_off():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION, **REDIS)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "WARNINGS" not in result.stderr + result.stdout


def test_it_refuses_to_start_without_a_secret_key_in_production():
    result = run_manage("check", DJANGO_DEBUG="false")
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_check_deploy_refuses_tasks_in_the_web_process_without_redis():
    result = run_manage("check", "--deploy", **PRODUCTION)
    assert result.returncode != 0
    assert "shop.E001" in result.stderr
    assert "REDIS_URL is not set" in result.stderr
    assert "SHOP_ALLOW_IN_PROCESS_TASKS" in result.stderr


def test_plain_check_and_migrate_refuse_it_too():
    assert "shop.E001" in run_manage("check", **PRODUCTION).stderr
    migrate = run_manage("migrate", "--plan", **PRODUCTION)
    assert migrate.returncode != 0
    assert "shop.E001" in migrate.stderr


def test_the_web_process_refuses_to_start_without_redis():
    result = run_python("-c", "import config.wsgi", **PRODUCTION)
    assert result.returncode != 0
    assert "The shop refuses to start" in result.stderr
    assert "REDIS_URL is not set" in result.stderr


def test_the_web_process_starts_with_redis():
    result = run_python("-c", "import config.wsgi", **PRODUCTION, **REDIS)
    assert result.returncode == 0, result.stderr


def test_in_process_tasks_start_when_explicitly_allowed():
    allowed = {**PRODUCTION, "SHOP_ALLOW_IN_PROCESS_TASKS": "true"}
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", **allowed)
    assert result.returncode == 0, result.stdout + result.stderr
    assert run_python("-c", "import config.wsgi", **allowed).returncode == 0


def test_debug_runs_tasks_in_process_without_asking():
    # `make run` on a laptop: debug on, no Redis, no refusal.
    result = run_manage("check", DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_worker_refuses_to_start_without_redis():
    # Without a broker it would wait on an in-memory queue nothing ever writes to.
    result = run_python(
        "-m", "celery", "-A", "config", "worker", "--pool=solo", "--loglevel=warning", **PRODUCTION
    )
    assert result.returncode == 1
    assert "The shop refuses to start" in result.stderr
    assert "shop.E001" in result.stderr
