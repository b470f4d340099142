"""``recovery-skill validate``: the checks Alexa certification makes, before we submit.

Reads the project as files (the interaction model of every locale, ``skill.json``, ``ask-resources.json``,
the content YAML and the source article), then RUNS the real skill (the same
``skill_builder`` Lambda uses, with an in-memory store and a fake settings API)
on a request for every intent of the model, and checks every answer.

:func:`problems` is pure (a list of :class:`Problem`, nothing printed); :func:`run`
prints them as ``FILE: PATH: message`` and returns the exit code.

Two kinds of problem:

* ``error``: the model, manifest, content or code is wrong. Exit code 1.
* ``submission``: fine for development, but certification will refuse it: a placeholder
  privacy-policy URL, icons that are not there yet. Printed every time, marked
  ``[before submission]``; they fail the run only with ``RECOVERY_SKILL_SUBMISSION=1``
  (what DEPLOY.md asks for right before submitting).

One module per thing checked: :mod:`.model` (interaction model), :mod:`.manifest`
(skill.json), :mod:`.content` (the YAML and the article), :mod:`.running` (the skill's
code, loaded and run), :mod:`.package` (what ``ask deploy`` reads: ask-resources.json,
the skill package, the build hook, the stack template).
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from skill_tools.validate.content import check_content
from skill_tools.validate.manifest import check_manifest
from skill_tools.validate.model import check_model, check_same_intents, language_model
from skill_tools.validate.package import check_remember, check_resources, endpoint_from_cli, events_from_cli, package_dir
from skill_tools.validate.project import (
    HANDLER_CODE,
    HANDLERS_FILE,
    INPUT_FILES,
    LM,
    LOCALE,
    LOCALES,
    MANIFEST_FILE,
    MODEL_FILE,
    RECOVERY_FILE,
    RESOURCES_FILE,
    TRIAGE_FILE,
    Problem,
    Report,
    load_json,
    load_yaml,
    model_file,
)
from skill_tools.validate.running import check_handler_code, run_skill

__all__ = [
    "HANDLER_CODE",
    "HANDLERS_FILE",
    "INPUT_FILES",
    "LM",
    "LOCALES",
    "MANIFEST_FILE",
    "MODEL_FILE",
    "RECOVERY_FILE",
    "Problem",
    "blocking",
    "model_file",
    "check",
    "problems",
    "project_root",
    "run",
]


def problems(root: Path) -> list[Problem]:
    """Every problem of the project at ``root`` (a checkout, or a copy with the files of INPUT_FILES)."""
    return check(Path(root)).problems


def blocking(found: list[Problem], submission: bool = False) -> list[Problem]:
    """The problems that fail the run: errors, plus submission items when ``submission``."""
    return [p for p in found if p.severity == "error" or submission]


def project_root() -> Path:
    """The checkout to validate: the current directory when it is one, else the one this module is in."""
    here = Path.cwd()
    if (here / MODEL_FILE).is_file():
        return here
    return Path(__file__).resolve().parents[2]


def run(args=None) -> int:
    """Print every problem as ``FILE: PATH: message`` and a summary; 1 if any blocks, else 0."""
    root = project_root()
    report = check(root)
    submission = os.environ.get("RECOVERY_SKILL_SUBMISSION", "") not in ("", "0")
    for problem in sorted(report.problems, key=lambda p: (p.severity != "error", p.file, _natural(p.path))):
        print(problem)
    errors = [p for p in report.problems if p.severity == "error"]
    todo = [p for p in report.problems if p.severity == "submission"]
    s = report.stats
    checked = (
        f"{len(LOCALES)} locales, {s.get('intents', 0)} intents, {s.get('samples', 0)} samples, {s.get('topics', 0)} topics, "
        f"{s.get('requests', 0)} requests run through the skill"
    )
    kept = {"persistent": "kept across sessions in the store", "session": "kept in the session only, never stored"}
    remember = "; ".join(f"{where}: {mode}, {kept[mode]}" for where, mode in s.get("remember", {}).items())
    print(f"validate: surgery dates: {remember}")
    failed = bool(blocking(report.problems, submission))
    if errors:
        found = f"{len(errors)} problem(s) in {len({p.file for p in errors})} file(s); {len(todo)} to do before submission"
    elif failed:
        found = f"{len(todo)} to do before submission, which fail the run as RECOVERY_SKILL_SUBMISSION is set"
    else:
        found = f"no problems; {len(todo)} to do before submission"
    print(f"validate: {'FAILED' if failed else 'passed'}: {found} ({checked})")
    return 1 if failed else 0


def _natural(path: str):
    return [int(t) if t.isdigit() else t for t in re.split(r"(\d+)", path)]


def check(root: Path) -> Report:
    """Every check, in order; the report holds the problems and what was counted."""
    report = Report()
    models = {}   # locale -> (its file, the model, its language model)
    for locale in LOCALES:
        file = model_file(locale)
        model = load_json(root, file, report)
        lm = language_model(model, report, file)
        if lm is not None:
            check_model(model, lm, report, file)
        models[locale] = (file, model, lm)
    _, model, lm = models[LOCALE]
    for file, _, other in list(models.values())[1:]:
        if lm is not None and other is not None:
            check_same_intents(lm, other, report, file)
    manifest = load_json(root, MANIFEST_FILE, report)
    recovery = load_yaml(root, RECOVERY_FILE, report)
    triage = load_yaml(root, TRIAGE_FILE, report)
    resources = load_json(root, RESOURCES_FILE, report)
    if manifest is not None:
        filled = {"endpoint"} if endpoint_from_cli(resources) else set()
        filled |= {"events"} if events_from_cli(resources) is not None else set()
        check_manifest(root, manifest, {locale: m[2] for locale, m in models.items()}, report,
                       package=package_dir(root, resources), filled_by_cli=filled)
    check_resources(root, resources, report)
    check_remember(resources, os.environ, report)
    check_content(root, recovery, triage, lm, report)
    check_handler_code(root, lm, report)
    for locale, (file, model, lm) in models.items():
        if lm is not None:
            run_skill(lm, model, report, locale, file)
    return report
