"""pytest plugin: a real DynamoDB-protocol server (dynalite) on 127.0.0.1 for the storage tests.

Registered from tests/conftest.py with ``pytest_plugins = ["conftest_dynalite"]``.

Fixtures:

``dynalite_server`` (session)
    one dynalite process on a free loopback port, started on first use, stopped
    at the end of the session. When node or dynalite is missing it FAILS under
    CI (``CI=true``) and skips, with the reason, elsewhere.
``dynamodb_env``
    the environment a DynamoDB deployment would have, pointed at that server:
    ``RECOVERY_SKILL_DYNAMODB_TABLE`` (a fresh table per test), ``..._ENDPOINT``,
    ``AWS_REGION`` and dummy credentials (never real ones). Returns the settings.
``dynamodb_store``
    ``skill.storage.adapter_from_env()`` under ``dynamodb_env``.

dynalite is installed by ``scripts/install-node-deps.sh`` (``make node-deps``);
``RECOVERY_SKILL_NODE`` may name the node binary (default: ``node`` on PATH).
"""
from __future__ import annotations

import importlib.util
import itertools
import os
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

_SCRIPT = Path(__file__).resolve().parents[1] / "scripts" / "dynalite.py"
_MODULE_NAME = "recovery_skill_dynalite"


def load_dynalite_module():
    """scripts/dynalite.py, the one place that knows how to run dynalite (shared with the benchmark)."""
    module = sys.modules.get(_MODULE_NAME)
    if module is None:
        spec = importlib.util.spec_from_file_location(_MODULE_NAME, _SCRIPT)
        module = importlib.util.module_from_spec(spec)
        sys.modules[_MODULE_NAME] = module
        spec.loader.exec_module(module)
    return module


def in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in ("1", "true", "yes")


@pytest.fixture(scope="session")
def dynalite_server():
    dynalite = load_dynalite_module()
    try:
        server = dynalite.Dynalite().start()
    except dynalite.DynaliteMissing as exc:
        message = f"DynamoDB tests need dynalite: {exc}"
        if in_ci():
            pytest.fail(message + " (CI=true: these tests may not be skipped)", pytrace=False)
        pytest.skip(message)
    except dynalite.DynaliteFailed as exc:
        pytest.fail(f"dynalite is installed but did not start: {exc}", pytrace=False)
    try:
        yield server
    finally:
        server.stop()


@dataclass(frozen=True)
class DynamoDbSettings:
    endpoint: str
    table: str
    region: str


_tables = itertools.count(1)


@pytest.fixture
def dynamodb_env(dynalite_server, monkeypatch) -> DynamoDbSettings:
    dynalite = load_dynalite_module()
    for name in dynalite.AWS_ENV_TO_CLEAR:
        monkeypatch.delenv(name, raising=False)
    for name, value in dynalite.DUMMY_AWS_ENV.items():
        monkeypatch.setenv(name, value)
    settings = DynamoDbSettings(
        endpoint=dynalite_server.endpoint,
        table=f"recovery-test-{os.getpid()}-{next(_tables)}",
        region=dynalite.DUMMY_AWS_ENV["AWS_REGION"],
    )
    monkeypatch.setenv("RECOVERY_SKILL_DYNAMODB_TABLE", settings.table)
    monkeypatch.setenv("RECOVERY_SKILL_DYNAMODB_ENDPOINT", settings.endpoint)
    return settings


@pytest.fixture
def dynamodb_store(dynamodb_env):
    from skill.storage import adapter_from_env

    return adapter_from_env()
