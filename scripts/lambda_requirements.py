#!/usr/bin/env python3
"""The Lambda zip's requirements, derived from pyproject.toml (the one list of runtime dependencies).

Prints, one a line for ``pip install -r``: ``[project].dependencies``, and the ``dynamodb`` extra
without what Lambda's Python runtime already ships (boto3, botocore): a copy in the zip would only
shadow the runtime's and add megabytes.
"""
from __future__ import annotations

import re
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
LAMBDA_RUNTIME_SHIPS = frozenset({"boto3", "botocore"})


def name_of(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def requirements() -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    extra = project["optional-dependencies"]["dynamodb"]
    return list(project["dependencies"]) + [r for r in extra if name_of(r) not in LAMBDA_RUNTIME_SHIPS]


if __name__ == "__main__":
    print("\n".join(requirements()))
