"""The project files validate reads, and the problems it finds in them."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from skill.content import parse_yaml
from skill_tools.model_locales import SOURCE_LOCALE, locales

LOCALE = SOURCE_LOCALE   # the hand-edited model's locale; the content and the code are checked against it
LOCALES = locales()      # every locale with a model, LOCALE first (skill_tools/model_locales.yaml)


def model_file(locale: str) -> str:
    """A locale's interaction model, as validate names it: a link into the skill package
    (see skill_tools.validate.package)."""
    return f"interaction_model/{locale}.json"


MODEL_FILE = model_file(LOCALE)
MANIFEST_FILE = "skill.json"  # likewise
RESOURCES_FILE = "ask-resources.json"
RECOVERY_FILE = "skill/content/recovery.yaml"
TRIAGE_FILE = "skill/content/triage.yaml"
ARTICLE_FILE = "skill/content/source-article.txt"
HANDLERS_FILE = "skill/handlers"  # the handlers package: where a problem of the running skill is reported
# The code whose intent names must be the model's: the handlers, and what they read the request with.
HANDLER_CODE = tuple(f"{HANDLERS_FILE}/{name}.py" for name in (
    "__init__", "replies", "timing", "symptoms", "topics", "surgery_date", "reminders", "system")) + (
    "skill/interceptors.py", "skill/dialog.py", "skill/slots.py")
BUILD_HOOK = "hooks/build.sh"
ASSETS_DIR = "assets/images"  # inside the skill package

# What problems() reads (plus the icons skill.json points at under assets/images/). The links
# (skill.json, interaction_model) are links in a copy too.
INPUT_FILES = (
    "skill-package/skill.json",
    *(f"skill-package/interactionModels/custom/{locale}.json" for locale in LOCALES),
    MANIFEST_FILE,
    "interaction_model",
    RESOURCES_FILE,
    RECOVERY_FILE,
    TRIAGE_FILE,
    ARTICLE_FILE,
    *HANDLER_CODE,
    "lambda/lambda_function.py",
    BUILD_HOOK,
    "infrastructure/cfn-deployer/skill-stack.yaml",
)

LM = "interactionModel.languageModel"
SLOT = re.compile(r"\{([A-Za-z][A-Za-z_]*)\}")   # a slot in a sample: "{date}"

# ------------------------------------------------------------------ problems


@dataclass(frozen=True, order=True)
class Problem:
    """One thing certification (or the skill's own contract) would refuse."""

    file: str  # relative to the project root, e.g. "interaction_model/en-US.json"
    path: str  # where inside it, e.g. "interactionModel.languageModel.intents[3].samples[7]"
    message: str
    severity: str = "error"  # "error", or "submission": only blocks submitting to certification

    def __str__(self) -> str:
        mark = "[before submission] " if self.severity == "submission" else ""
        return f"{self.file}: {self.path}: {mark}{self.message}"


@dataclass
class Report:
    problems: list[Problem] = field(default_factory=list)
    stats: dict = field(default_factory=dict)

    def add(self, file: str, path: str, message: str, severity: str = "error") -> None:
        problem = Problem(file, path, message, severity)
        if problem not in self.problems:
            self.problems.append(problem)


# ------------------------------------------------------------------ loading


def load_json(root: Path, name: str, report: Report):
    path = root / name
    if not path.is_file():
        report.add(name, "", "file is missing")
        return None
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as exc:
        report.add(name, "", f"not valid JSON: {exc}")
        return None


def load_yaml(root: Path, name: str, report: Report):
    path = root / name
    if not path.is_file():
        report.add(name, "", "file is missing")
        return None
    try:
        return parse_yaml(path.read_text(encoding="utf-8"))
    except (yaml.YAMLError, UnicodeDecodeError) as exc:
        report.add(name, "", f"not valid YAML: {exc}")
        return None


def get(data, *keys):
    """data[k1][k2]..., or None where a level is missing or not a mapping."""
    for key in keys:
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data
