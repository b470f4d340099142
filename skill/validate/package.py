"""The skill package the ASK CLI deploys: ask-resources.json, and assembling skillMetadata.src."""
from __future__ import annotations

import ast
import json
import shutil
from pathlib import Path

from skill.validate.manifest import ICON_SIZES, LAMBDA_ARN
from skill.validate.project import (
    ASK_STATES_FILE,
    LAMBDA_DIR,
    LOCALE,
    MANIFEST_FILE,
    MODEL_FILE,
    RESOURCES_FILE,
    Report,
    get,
    load_json,
)

LAMBDA_RUNTIMES = frozenset({"python3.12", "python3.13"})
PLACEHOLDER_ACCOUNT = "000000000000"


def check_resources(root: Path, report: Report) -> None:
    resources = load_json(root, RESOURCES_FILE, report)
    if not isinstance(resources, dict):
        return

    def add(path, message):
        report.add(RESOURCES_FILE, path, message)

    if resources.get("askcliResourcesVersion") != "2020-03-31":
        add("askcliResourcesVersion", 'ASK CLI v2 reads "2020-03-31"')
    profile = get(resources, "profiles", "default")
    if not isinstance(profile, dict):
        add("profiles.default", "no default profile")
        return
    if not get(profile, "skillMetadata", "src"):
        add("profiles.default.skillMetadata.src", "where the skill package is")
    if not get(profile, "code", "default", "src"):
        add("profiles.default.code.default.src", "where the Lambda code is")
    infra = profile.get("skillInfrastructure") or {}
    config = infra.get("userConfig") or {}
    where = "profiles.default.skillInfrastructure.userConfig"
    if infra.get("type") == "@ask-cli/lambda-deployer":
        if config.get("runtime") not in LAMBDA_RUNTIMES:
            add(f"{where}.runtime", f"{config.get('runtime')!r}: one of {', '.join(sorted(LAMBDA_RUNTIMES))}")
        module, _, function = (config.get("handler") or "").rpartition(".")
        source = root / LAMBDA_DIR / f"{module}.py"
        if not module or not source.is_file():
            add(f"{where}.handler", f"{config.get('handler')!r}: no {LAMBDA_DIR}/{module}.py")
        elif function not in _assigned_names(source):
            add(f"{where}.handler", f"{LAMBDA_DIR}/{module}.py defines no {function}")
        variables = get(config, "lambda", "environmentVariables") or {}
        if "AWS_REGION" in variables:
            add(f"{where}.lambda.environmentVariables.AWS_REGION", "reserved by Lambda, which sets it itself")


def _assigned_names(source: Path) -> set[str]:
    try:
        tree = ast.parse(source.read_text(encoding="utf-8"))
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names |= {t.id for t in node.targets if isinstance(t, ast.Name)}
    return names


def deployed_lambda_arn(root: Path) -> str | None:
    """The Lambda ARN the ASK CLI recorded after a deploy (.ask/ask-states.json), if any."""
    path = root / ASK_STATES_FILE
    if not path.is_file():
        return None
    try:
        states = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None
    infra = get(states, "profiles", "default", "skillInfrastructure") or {}
    for kind in ("@ask-cli/lambda-deployer", *infra):
        arn = get(infra, kind, "deployState", "default", "lambda", "arn")
        if isinstance(arn, str) and LAMBDA_ARN.match(arn):
            return arn
    return None


def build_skill_package(root: Path, out: Path) -> list[str]:
    """Assemble the skill package the ASK CLI deploys (``skillMetadata.src``) into ``out``.

    out/skill.json                              from skill.json
    out/interactionModels/custom/en-US.json     from interaction_model/en-US.json
    out/assets/images/...                       the icons skill.json names as file://assets/images/...

    A Lambda endpoint with the placeholder account (000000000000) becomes the deployed
    function's ARN when .ask/ask-states.json knows it. Before the first deploy it is left
    out, so SMAPI does not refuse a function that does not exist: the ASK CLI's
    lambda-deployer fills ``apis.custom.endpoint`` itself, and the ``events`` block comes
    back (with the real ARN) on the next ``make skill-package && ask deploy``. Icons that
    are not there yet are left out too (fine for development, not for certification).
    Returns notes on what was changed, for the person running it.
    """
    root, out = Path(root), Path(out)
    manifest = json.loads((root / MANIFEST_FILE).read_text(encoding="utf-8"))
    m = manifest["manifest"]
    notes = []
    arn = deployed_lambda_arn(root)
    for where, holder in (("apis.custom", get(m, "apis", "custom")), ("events", m.get("events"))):
        uri = get(holder, "endpoint", "uri")
        if not (isinstance(uri, str) and uri.startswith("arn:") and f":{PLACEHOLDER_ACCOUNT}:" in uri):
            continue
        if arn:
            holder["endpoint"]["uri"] = arn
            notes.append(f"{where}.endpoint: {arn} (from {ASK_STATES_FILE})")
        elif where == "events":
            del m["events"]
            notes.append("events: left out until the first deploy has made the Lambda function")
        else:
            del holder["endpoint"]
            notes.append(f"{where}.endpoint: left for ask deploy to fill in (no Lambda function yet)")
    if out.exists():
        shutil.rmtree(out)
    (out / "interactionModels" / "custom").mkdir(parents=True)
    shutil.copyfile(root / MODEL_FILE, out / "interactionModels" / "custom" / f"{LOCALE}.json")
    for locale, info in (get(m, "publishingInformation", "locales") or {}).items():
        for key in ICON_SIZES:
            uri = (info or {}).get(key)
            if not (isinstance(uri, str) and uri.startswith("file://")):
                continue
            relative = uri[len("file://") :]
            source = root / relative
            if source.is_file():
                (out / relative).parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(source, out / relative)
            else:
                del info[key]
                notes.append(f"{locale}.{key}: {relative} is not there yet, so the package has no such icon")
    (out / MANIFEST_FILE).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
    return notes
