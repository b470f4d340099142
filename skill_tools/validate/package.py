"""What ``ask deploy`` reads: ask-resources.json, the skill package, the build hook, the stack template.

The ASK CLI v2 zips ``skillMetadata.src`` as it is on disk, symbolic links as links
(archiver, no ``follow``), so the skill package holds the real files and the
top-level ``skill.json`` and ``interaction_model/`` are the links into it: one copy,
read by everything. ``code.default.src`` is built by ``hooks/build.sh`` (the CLI's
custom build flow, which wins over its own pip flow), and the CloudFormation stack
of ``@ask-cli/cfn-deployer`` gets the parameters the CLI passes.
"""
from __future__ import annotations

import ast
import os
from pathlib import Path

import yaml

from skill_tools.validate.manifest import REQUIRED_EVENTS, SKILL_EVENTS
from skill_tools.validate.project import (
    BUILD_HOOK,
    LOCALES,
    MANIFEST_FILE,
    RESOURCES_FILE,
    Report,
    get,
    model_file,
)

LAMBDA_RUNTIMES = frozenset({"python3.12", "python3.13"})
CFN_DEPLOYER = "@ask-cli/cfn-deployer"
# Parameters the cfn-deployer passes to every stack, and the output it reads the endpoint from.
CFN_PARAMETERS = ("SkillId", "LambdaRuntime", "LambdaHandler", "CodeBucket", "CodeKey", "CodeVersion")
CFN_ENDPOINT_OUTPUT = "SkillEndpoint"
PROFILE = "profiles.default"
CONFIG = f"{PROFILE}.skillInfrastructure.userConfig"


def package_dir(root: Path, resources) -> Path:
    """The skill package directory (``skillMetadata.src``); icons' file:// URIs are relative to it."""
    src = get(resources, "profiles", "default", "skillMetadata", "src")
    return root / (src if isinstance(src, str) and src else "skill-package")


def endpoint_from_cli(resources) -> bool:
    """True when ``ask deploy`` makes the Lambda function and writes its ARN into skill.json itself."""
    profile = get(resources, "profiles", "default") or {}
    return bool(get(profile, "skillInfrastructure", "type")) and bool(get(profile, "code", "default", "src"))


def events_from_cli(resources) -> list | None:
    """The skill events ``ask deploy`` subscribes the function to (``userConfig.skillEvents``), if any."""
    events = get(resources, "profiles", "default", "skillInfrastructure", "userConfig", "skillEvents", "subscriptions")
    return events if endpoint_from_cli(resources) and isinstance(events, list) else None


def check_resources(root: Path, resources, report: Report) -> None:
    if not isinstance(resources, dict):
        return

    def add(path, message):
        report.add(RESOURCES_FILE, path, message)

    if resources.get("askcliResourcesVersion") != "2020-03-31":
        add("askcliResourcesVersion", 'ASK CLI v2 reads "2020-03-31"')
    profile = get(resources, "profiles", "default")
    if not isinstance(profile, dict):
        add(PROFILE, "no default profile")
        return
    _check_skill_package(root, get(profile, "skillMetadata", "src"), add)
    code = get(profile, "code", "default", "src")
    infra = profile.get("skillInfrastructure") or {}
    config = infra.get("userConfig") or {}
    if code is not None:
        _check_code(root, code, config, add)
    if not infra:
        return
    if infra.get("type") != CFN_DEPLOYER:
        add(f"{PROFILE}.skillInfrastructure.type", f"{infra.get('type')!r}: {CFN_DEPLOYER} (skill-stack.yaml)")
        return
    if config.get("runtime") not in LAMBDA_RUNTIMES:
        add(f"{CONFIG}.runtime", f"{config.get('runtime')!r}: one of {', '.join(sorted(LAMBDA_RUNTIMES))}")
    events = get(config, "skillEvents", "subscriptions")
    for k, name in enumerate(events or []):
        if name not in SKILL_EVENTS:
            add(f"{CONFIG}.skillEvents.subscriptions[{k}]", f"{name!r} is not a skill event")
    for name in REQUIRED_EVENTS if events is not None else ():
        if name not in events:
            add(f"{CONFIG}.skillEvents.subscriptions", f"{name} is not subscribed: the skill deletes a person's data when they disable it")
    _check_template(root, config, add)


def _check_skill_package(root: Path, src, add) -> None:
    where = f"{PROFILE}.skillMetadata.src"
    if not isinstance(src, str) or not src:
        add(where, "where the skill package is")
        return
    package = root / src
    if not package.is_dir():
        add(where, f"{src}: no such directory")
        return
    models = [(f"interactionModels/custom/{locale}.json", model_file(locale)) for locale in LOCALES]
    for inside, top in (("skill.json", MANIFEST_FILE), *models):
        path = package / inside
        if not path.is_file():
            add(where, f"{src}/{inside} is missing")
        elif (root / top).exists() and not path.samefile(root / top):
            add(where, f"{src}/{inside} is a copy of {top}, not the same file: they will drift (link {top} to it)")
    listed = {inside for inside, _ in models}
    for extra in sorted((package / "interactionModels" / "custom").glob("*")):
        inside = extra.relative_to(package).as_posix()
        if inside not in listed:
            add(where, f"{src}/{inside} is no locale's model (skill_tools/model_locales.yaml lists them): "
                "ask deploy would upload it")
    for folder, dirs, files in os.walk(package):
        for name in dirs + files:
            if os.path.islink(os.path.join(folder, name)):
                link = os.path.relpath(os.path.join(folder, name), root)
                add(where, f"{link} is a symbolic link: the ASK CLI zips it as a link, not as the file it points to")


def _check_code(root: Path, src, config: dict, add) -> None:
    where = f"{PROFILE}.code.default.src"
    code = root / src
    if not code.is_dir():
        add(where, f"{src}: no such directory")
        return
    hook = root / BUILD_HOOK
    if not hook.is_file() or not os.access(hook, os.X_OK):
        add(where, f"no executable {BUILD_HOOK}: ask deploy would upload {src} alone, without skill/ or its dependencies")
    if not config:
        return
    module, _, function = (config.get("handler") or "").rpartition(".")
    source = code / f"{module}.py"
    if not module or not source.is_file():
        add(f"{CONFIG}.handler", f"{config.get('handler')!r}: no {src}/{module}.py")
    elif function not in _assigned_names(source):
        add(f"{CONFIG}.handler", f"{src}/{module}.py defines no {function}")


class _CloudFormationLoader(yaml.SafeLoader):
    """Reads a template's YAML; the short-form functions (!Ref, !GetAtt, ...) are kept as None."""


_CloudFormationLoader.add_multi_constructor("!", lambda loader, suffix, node: None)


def _check_template(root: Path, config: dict, add) -> None:
    where = f"{CONFIG}.templatePath"
    path = config.get("templatePath")
    if not isinstance(path, str) or not (root / path).is_file():
        add(where, f"{path!r}: the CloudFormation template is not there")
        return
    try:
        template = yaml.load((root / path).read_text(encoding="utf-8"), Loader=_CloudFormationLoader)
    except yaml.YAMLError as exc:
        add(where, f"{path}: not valid YAML: {exc}")
        return
    parameters = (template or {}).get("Parameters") or {}
    for name in CFN_PARAMETERS:
        if name not in parameters:
            add(where, f"{path} has no parameter {name}, which the ASK CLI passes")
    for name in get(config, "cfn", "parameters") or {}:
        if name not in parameters:
            add(f"{CONFIG}.cfn.parameters.{name}", f"{path} has no parameter {name}")
    if CFN_ENDPOINT_OUTPUT not in ((template or {}).get("Outputs") or {}):
        add(where, f"{path} has no output {CFN_ENDPOINT_OUTPUT}: the ASK CLI reads the skill's endpoint from it")


def check_remember(resources, env, report: Report) -> None:
    """Which RECOVERY_SKILL_REMEMBER mode Lambda (the stack's RememberMode) and this environment use.

    Recorded in ``report.stats["remember"]`` for the summary; a value that is no mode is an error.
    """
    from skill.storage.remember import PERSISTENT, REMEMBER_MODES, remember_mode

    modes = {}
    if get(resources, "profiles", "default", "skillInfrastructure", "type") == CFN_DEPLOYER:
        where = f"{CONFIG}.cfn.parameters.RememberMode"
        value = get(resources, "profiles", "default", "skillInfrastructure", "userConfig", "cfn", "parameters",
                    "RememberMode") or PERSISTENT
        if value not in REMEMBER_MODES:
            report.add(RESOURCES_FILE, where, f"{value!r}: one of {', '.join(REMEMBER_MODES)}")
        modes["Lambda (ask-resources.json RememberMode)"] = value
    raw = env.get("RECOVERY_SKILL_REMEMBER")
    if raw and raw.strip().lower() not in REMEMBER_MODES:
        report.add("(environment)", "RECOVERY_SKILL_REMEMBER", f"{raw!r}: one of {', '.join(REMEMBER_MODES)}; "
                   "the skill treats it as session")
    modes["here (RECOVERY_SKILL_REMEMBER" + ("" if raw else ", unset") + ")"] = remember_mode(env)
    report.stats["remember"] = modes


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
