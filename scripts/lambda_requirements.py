#!/usr/bin/env python3
"""The Lambda zip's requirements, derived from pyproject.toml (the one list of runtime dependencies).

    lambda_requirements.py resolve   [project].dependencies: pip installs them with their own dependencies
    lambda_requirements.py no-deps   the dynamodb extra minus what Lambda's Python runtime already
                                     ships (boto3 and botocore): pip installs these alone

One requirement a line, for ``pip install -r``.
"""
from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parents[1] / "pyproject.toml"
# Lambda's Python runtimes ship these; a copy in the zip would only shadow them and add megabytes.
LAMBDA_RUNTIME_SHIPS = frozenset({"boto3", "botocore"})


def name_of(requirement: str) -> str:
    return re.split(r"[\s<>=!~;\[]", requirement, maxsplit=1)[0].lower().replace("_", "-")


def requirements(kind: str) -> list[str]:
    project = tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]
    if kind == "resolve":
        return list(project["dependencies"])
    if kind == "no-deps":
        return [r for r in project["optional-dependencies"]["dynamodb"] if name_of(r) not in LAMBDA_RUNTIME_SHIPS]
    raise ValueError(kind)


if __name__ == "__main__":
    if len(sys.argv) != 2 or sys.argv[1] not in ("resolve", "no-deps"):
        sys.exit(__doc__)
    print("\n".join(requirements(sys.argv[1])))
