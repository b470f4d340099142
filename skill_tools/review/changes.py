"""What the signature covers (the content's hash) and what changed since a signed git revision.

Items are compared by the YAML they come from (each item names its YAML paths), so the
comparison still works when the YAML's layout changed in between.
"""
from __future__ import annotations

import hashlib
import subprocess
from pathlib import Path

import yaml

from skill import content as recovery_content
from skill_tools.review.shape import Report

SOURCE_FILES = (*recovery_content.SOURCES, "source-article.txt")


def content_version() -> tuple[str, list[tuple[str, str]]]:
    """One hash over the content files (what a signature covers), and each file's own."""
    files = [(name, hashlib.sha256((recovery_content.CONTENT_DIR / name).read_bytes()).hexdigest())
             for name in SOURCE_FILES]
    whole = hashlib.sha256("".join(f"{name}:{digest}\n" for name, digest in files).encode()).hexdigest()
    return whole[:16], files


def _git(*args: str) -> str:
    done = subprocess.run(["git", *args], cwd=recovery_content.CONTENT_DIR, capture_output=True, text=True,
                          timeout=30)
    if done.returncode != 0:
        raise ReviewError(done.stderr.strip() or f"git {' '.join(args)} failed")
    return done.stdout


class ReviewError(Exception):
    """Something the person asked for cannot be done (unknown revision, no git)."""


def git_revision() -> tuple[str, bool]:
    try:
        revision = _git("rev-parse", "--short=12", "HEAD").strip()
        dirty = bool(_git("status", "--porcelain", "--", ".").strip())
    except (ReviewError, OSError, subprocess.TimeoutExpired):
        return "", False
    return revision, dirty


def raw_yaml() -> dict:
    return {name: recovery_content.parse_yaml((recovery_content.CONTENT_DIR / name).read_text(encoding="utf-8")) or {}
            for name in recovery_content.SOURCES}


def raw_yaml_at(revision: str) -> dict:
    """The content YAML as it was at a git revision (a file missing then is empty)."""
    try:
        top = Path(_git("rev-parse", "--show-toplevel").strip())
        _git("rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}")
    except (ReviewError, OSError) as exc:
        raise ReviewError(f"cannot read revision {revision!r}: {exc}") from exc
    folder = recovery_content.CONTENT_DIR.resolve().relative_to(top.resolve()).as_posix()
    old = {}
    for name in recovery_content.SOURCES:
        try:
            old[name] = recovery_content.parse_yaml(_git("show", f"{revision}:{folder}/{name}")) or {}
        except ReviewError:
            old[name] = {}
    return old


def _flatten(data, path=()) -> dict[tuple, object]:
    if isinstance(data, dict):
        out = {}
        for key, value in data.items():
            out.update(_flatten(value, (*path, str(key))))
        return out or {path: {}}
    return {path: data}


def _under(path: tuple, prefix: tuple) -> bool:
    return path[: len(prefix)] == prefix


def keep_changes(report: Report, now: dict, then: dict, since: str) -> None:
    """Keep the items whose YAML changed since ``then``; list what was removed."""
    new_leaves = {(name, *p): v for name, data in now.items() for p, v in _flatten(data).items()}
    old_leaves = {(name, *p): v for name, data in then.items() for p, v in _flatten(data).items()}
    for section in report.sections:
        kept = []
        for item in section.items:
            mine = [p for p in new_leaves if any(_under(p, q) for q in item.paths)]
            before = [p for p in old_leaves if any(_under(p, q) for q in item.paths)]
            if not before and mine:
                item.change = "new"
            elif any(new_leaves.get(p) != old_leaves.get(p) for p in set(mine) | set(before)):
                item.change = "changed"
            else:
                continue
            kept.append(item)
        section.items = kept
        if not kept:
            section.note = f"Nothing here changed since {since}."
    report.removed = [(" / ".join(p), _short(v)) for p, v in sorted(old_leaves.items()) if p not in new_leaves]
    report.since = since


def _short(value) -> str:
    text = value if isinstance(value, str) else yaml.safe_dump(value, default_flow_style=True).strip()
    return text if len(text) <= 300 else text[:297] + "..."
