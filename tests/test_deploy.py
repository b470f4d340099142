"""What `ask deploy` reads, as a fresh clone has it: the paths resolve, the stack template lints clean."""
from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from skill_tools.validate.package import check_resources
from skill_tools.validate.project import Report

ROOT = Path(__file__).resolve().parents[1]
RESOURCES = json.loads((ROOT / "ask-resources.json").read_text())
PROFILE = RESOURCES["profiles"]["default"]
CONFIG = PROFILE["skillInfrastructure"]["userConfig"]


@pytest.fixture(scope="module")
def fresh_clone(tmp_path_factory):
    """The files git tracks (the index: what a commit of it holds), checked out anew."""
    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    out = tmp_path_factory.mktemp("clone")
    subprocess.run(["git", "checkout-index", "--all", f"--prefix={out}/"], cwd=ROOT, check=True)
    return out


def test_every_path_of_ask_resources_resolves_in_a_fresh_clone(fresh_clone):
    package = fresh_clone / PROFILE["skillMetadata"]["src"]
    assert json.loads((package / "skill.json").read_text())["manifest"]
    assert json.loads((package / "interactionModels" / "custom" / "en-US.json").read_text())["interactionModel"]
    code = fresh_clone / PROFILE["code"]["default"]["src"]
    module = CONFIG["handler"].rpartition(".")[0]
    assert (code / f"{module}.py").is_file()
    assert (fresh_clone / CONFIG["templatePath"]).is_file()
    # The rest of what ask deploy needs: the build hook, executable; no links inside the package; the
    # stack's parameters and output.
    report = Report()
    check_resources(fresh_clone, json.loads((fresh_clone / "ask-resources.json").read_text()), report)
    assert report.problems == []


def test_the_top_level_manifest_and_model_are_the_package_files(fresh_clone):
    """One copy: skill.json and interaction_model/ lead to the files the ASK CLI uploads."""
    package = fresh_clone / PROFILE["skillMetadata"]["src"]
    assert (fresh_clone / "skill.json").samefile(package / "skill.json")
    assert (fresh_clone / "interaction_model" / "en-US.json").samefile(package / "interactionModels/custom/en-US.json")


def test_the_zip_is_built_for_the_runtime_lambda_runs():
    version = re.search(r"^LAMBDA_PYTHON_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    assert CONFIG["runtime"] == f"python{version}"


def test_the_stack_template_passes_cfn_lint():
    cfn_lint = Path(sys.executable).parent / "cfn-lint"
    result = subprocess.run([str(cfn_lint), str(ROOT / CONFIG["templatePath"])], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


# ------------------------------------------------------------------ the ASK CLI, from the clone

PACKAGE = json.loads((ROOT / "package.json").read_text())
LOCK = json.loads((ROOT / "package-lock.json").read_text())


def test_the_ask_cli_is_a_pinned_dev_dependency_with_the_antlr4ts_that_starts():
    """`npm install -g ask-cli` gives a CLI that crashes on start (antlr4ts 0.5.0-dev): the clone pins its own."""
    version = PACKAGE["devDependencies"]["ask-cli"]
    assert re.fullmatch(r"\d+\.\d+\.\d+", version), "an exact version, so npm ci and DEPLOY.md mean one CLI"
    assert PACKAGE["overrides"]["antlr4ts"] == "0.5.0-alpha.4"
    packages = LOCK["packages"]
    assert packages[""]["devDependencies"]["ask-cli"] == version, "package-lock.json was made from package.json"
    assert packages["node_modules/ask-cli"]["version"] == version
    antlr = [p["version"] for path, p in packages.items() if path.endswith("node_modules/antlr4ts")]
    assert antlr and set(antlr) == {"0.5.0-alpha.4"}


def test_deploy_md_runs_the_clones_ask_cli():
    text = (ROOT / "DEPLOY.md").read_text()
    commands = [line.split("#")[0].strip() for line in text.splitlines()
                if re.match(r"^(npx )?ask (deploy|configure|smapi|dialog)\b", line)]
    assert commands, "DEPLOY.md shows the ask commands"
    assert all(command.startswith("npx ask ") for command in commands), commands
    assert not [line for line in text.splitlines() if line.startswith("npm install -g")], "no global CLI to install"
    assert "npx ask" in (ROOT / "scripts" / "install-node-deps.sh").read_text()


def test_the_installed_ask_cli_starts():
    ask = ROOT / "node_modules" / ".bin" / "ask"
    if not ask.exists() or shutil.which("node") is None:
        pytest.skip("ask-cli not installed here (make setup installs it)")
    out = subprocess.run([str(ask), "--version"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == PACKAGE["devDependencies"]["ask-cli"]
