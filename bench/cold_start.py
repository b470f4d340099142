"""Cold start: a fresh Python process that imports the Lambda module and answers one LaunchRequest.

Next to it, the floor: a fresh process that imports only ask_sdk_core and answers
the same request with bench/floor_skill.py's one-handler skill.  Runs alternate
between the two (which one goes first alternates too), so noise from other work
on the machine falls on both alike.  For each: the median wall time of the whole
process (what a Lambda cold start pays for the Python part: interpreter start,
imports, one answer), the time spent inside it on imports and on the answer, and
the peak memory (max RSS, from resource.getrusage in the child).  Each child first imports
what Lambda's runtime imports before the handler (logging, json, traceback ...), as on Lambda.

Two settings of the bytecode cache:

- cached: every module's .pyc is there (children write them under a private
  PYTHONPYCACHEPREFIX during an untimed first run), as when a package ships them;
- no .pyc for the package: the standard library's are there, but the skill's and
  its dependencies' are not and cannot be written (PYTHONDONTWRITEBYTECODE), as on
  Lambda with a zip that carries no __pycache__ (/var/task is read-only).

And, when build/lambda.zip exists and a Python 3.12 (Lambda's runtime, the one
the zip's wheels are built for) can be found (--zip-python, $LAMBDA_PYTHON,
python3.12 on PATH, pyenv's 3.12), the zip itself: unpacked, run with ``-S`` (no
site-packages: only what the zip holds) and PYTHONDONTWRITEBYTECODE (read-only
like /var/task), the floor beside it on the zip's ask_sdk_core; once as built,
once with .pyc compiled by that Python into the unpacked tree.

Storage is SQLite in a temporary file (RECOVERY_SKILL_DB), created before the
timed runs; the request carries no apiAccessToken.  Prints a table; asserts nothing.
Last, a note: the same cold start when the first request is a sentence, which pays for
the triage engine that a LaunchRequest leaves for later (no floor beside it).

    python bench/cold_start.py [--runs 20] [--json FILE] [--root DIR] [--no-uncached]
                               [--zip FILE] [--zip-python PYTHON | --no-zip]
"""
from __future__ import annotations

import argparse
import glob
import json
import os
import shutil
import statistics
import subprocess
import sys
import sysconfig
import tempfile
import time
import zipfile
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BENCH = Path(__file__).resolve().parent
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)

# What the child runs: as little as possible besides the import and the answer. First what Lambda's Python
# runtime has imported before it loads any handler (awslambdaric's bootstrap.py: importlib, json, logging, os,
# sys, time, traceback), in the floor and the skill alike: every Python function pays these, not the skill.
CHILD = r"""
import importlib, json, logging, os, time, traceback
t0 = time.perf_counter()
import sys
module, event_file, *paths = sys.argv[1:]
sys.path[:0] = paths
m = __import__(module)
t1 = time.perf_counter()
import json
with open(event_file, encoding="utf-8") as f:
    event = json.load(f)
out = m.lambda_handler(event, None)
t2 = time.perf_counter()
import resource
ssml = ((out.get("response") or {}).get("outputSpeech") or {}).get("ssml", "")
heavy = [m for m in ("yaml", "requests", "urllib3", "flask", "boto3", "botocore", "pyttsx3", "urllib.request",
                     "ssl", "http.client", "email", "zoneinfo", "ask_sdk_model.dialog") if m in sys.modules]
print(json.dumps({"import_ms": (t1 - t0) * 1000, "answer_ms": (t2 - t1) * 1000,
                  "maxrss_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
                  "modules": len(sys.modules), "ssml": ssml[:60], "heavy": heavy}))
"""


def launch_event(root: Path, said: str | None = None) -> dict:
    """A LaunchRequest; with ``said``, a one-shot sentence (DescribeIntent) instead."""
    sys.path.insert(0, str(root))
    from skill_tools.simulator import envelopes

    event = envelopes.launch(NOW) if said is None else envelopes.intent("DescribeIntent", {"description": said}, now=NOW)
    event["context"]["System"]["apiAccessToken"] = None
    return event


# The first request of a container may be a sentence ("ask spine recovery helper, my husband collapsed"): it pays
# for what a LaunchRequest leaves for later, the triage engine and the compiling of its rules. No floor: the
# floor's one handler answers only a launch. Printed beside the launch figures, not held to the launch's goal.
FIRST_SENTENCE = "my husband collapsed and he won't wake up"


def run_child(variant: tuple[str, list[str]], event_file: str, env: dict, python: tuple[str, ...] = ()) -> dict:
    module, paths = variant
    started = time.perf_counter()
    done = subprocess.run([*(python or (sys.executable,)), "-c", CHILD, module, event_file, *paths], env=env,
                          capture_output=True, text=True, timeout=120)
    wall_ms = (time.perf_counter() - started) * 1000
    if done.returncode != 0:
        raise RuntimeError(f"{module} child failed:\n{done.stderr[-2000:]}")
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    figures["wall_ms"] = wall_ms
    return figures


def summarise(runs: list[dict]) -> dict:
    med = lambda key: statistics.median(r[key] for r in runs)  # noqa: E731
    walls = sorted(r["wall_ms"] for r in runs)
    return {
        "runs": len(runs),
        "wall_ms": med("wall_ms"),
        "wall_min_ms": walls[0],
        "wall_max_ms": walls[-1],
        "import_ms": med("import_ms"),
        "answer_ms": med("answer_ms"),
        "maxrss_kb": med("maxrss_kb"),
        "modules": med("modules"),
        "ssml": runs[-1]["ssml"],
        "heavy": runs[-1].get("heavy", []),
    }


def measure(runs: int, root: Path, uncached: bool = True, zip_path: Path | None = None,
            zip_python: str | None = None) -> dict:
    work = Path(tempfile.mkdtemp(prefix="cold-start-"))
    try:
        event_file = work / "launch.json"
        event_file.write_text(json.dumps(launch_event(root)), encoding="utf-8")
        env = {k: v for k, v in os.environ.items()
               if not k.startswith(("RECOVERY_SKILL_", "PYTHON", "AWS_"))}
        env["RECOVERY_SKILL_DB"] = str(work / "recovery.db")
        variants = {
            "lambda_function": ("lambda_function", [str(root / "lambda"), str(root)]),
            "floor (ask_sdk_core, one handler)": ("floor_skill", [str(BENCH)]),
        }
        settings = {"cached": dict(env, PYTHONPYCACHEPREFIX=str(work / "pyc"))}
        results = {}
        for setting, setting_env in settings.items():
            for variant in variants.values():  # untimed: writes the caches, creates the database
                run_child(variant, str(event_file), setting_env)
            results[setting] = _timed(variants, runs, str(event_file), setting_env)
        if uncached:
            # The standard library's caches stay; the project's and the site-packages' go.
            stripped = work / "pyc-stdlib-only"
            shutil.copytree(work / "pyc", stripped)
            for tree in {str(root), sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}:
                shutil.rmtree(str(stripped) + os.path.abspath(tree), ignore_errors=True)
            setting_env = dict(env, PYTHONPYCACHEPREFIX=str(stripped), PYTHONDONTWRITEBYTECODE="1")
            results["no .pyc for the package"] = _timed(variants, max(10, runs // 2), str(event_file), setting_env)
        sentence_file = work / "sentence.json"
        sentence_file.write_text(json.dumps(launch_event(root, FIRST_SENTENCE)), encoding="utf-8")
        first = [run_child(variants["lambda_function"], str(sentence_file), settings["cached"])
                 for _ in range(max(5, runs // 4))]
        firsts = summarise(first)
        notes = [f"first request a sentence (\"{FIRST_SENTENCE}\"), cached: wall {firsts['wall_ms']:.0f} ms, "
                 f"of it the answer {firsts['answer_ms']:.0f} ms (the triage engine loaded, its rules compiled); "
                 f"it answered: {first[-1]['ssml']}..."]
        if zip_path is not None and zip_python is not None:
            results.update(_zip_settings(work, zip_path, zip_python, max(10, runs // 2), str(event_file), env))
            notes.append(f"zip runs: {zip_path} with {zip_python} -S")
        return {"root": str(root), "python": sys.version.split()[0], "settings": results, "notes": notes}
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _zip_settings(work: Path, zip_path: Path, python: str, runs: int, event_file: str, env: dict) -> dict:
    """The deployment zip, as built and with .pyc, under Lambda's Python with nothing else on the path."""
    as_built, with_pyc, floor_dir = work / "zip-as-built", work / "zip-with-pyc", work / "floor"
    with zipfile.ZipFile(zip_path) as z:
        z.extractall(as_built)
    shutil.copytree(as_built, with_pyc)
    subprocess.run([python, "-m", "compileall", "-q", "-j", "0", "--invalidation-mode", "unchecked-hash",
                    str(with_pyc)], capture_output=True, timeout=600)
    floor_dir.mkdir()
    shutil.copy(BENCH / "floor_skill.py", floor_dir)
    zip_env = dict(env, PYTHONDONTWRITEBYTECODE="1")
    version = subprocess.run([python, "-c", "import sys; print(sys.version.split()[0])"], capture_output=True,
                             text=True).stdout.strip()
    results = {}
    for label, tree in ((f"zip as built, Python {version}", as_built), (f"zip + .pyc, Python {version}", with_pyc)):
        variants = {
            "lambda_function": ("lambda_function", [str(tree)]),
            "floor (ask_sdk_core, one handler)": ("floor_skill", [str(floor_dir), str(tree)]),
        }
        for variant in variants.values():  # untimed: the database, the file cache
            run_child(variant, event_file, zip_env, (python, "-S"))
        results[label] = _timed(variants, runs, event_file, zip_env, (python, "-S"))
    return results


def find_lambda_python(explicit: str | None = None) -> str | None:
    """A Python 3.12 interpreter (Lambda's runtime), or None."""
    candidates = [explicit] if explicit else [
        os.environ.get("LAMBDA_PYTHON"),
        shutil.which("python3.12"),
        *sorted(glob.glob(os.path.expanduser("~/.pyenv/versions/3.12*/bin/python3.12")), reverse=True),
        "/usr/bin/python3.12",
        "/usr/local/bin/python3.12",
    ]
    for candidate in candidates:
        if not candidate:
            continue
        try:
            ok = subprocess.run([candidate, "-S", "-c", "import sys; sys.exit(sys.version_info[:2] != (3, 12))"],
                                capture_output=True, timeout=30).returncode == 0
        except (OSError, subprocess.SubprocessError):
            ok = False
        if ok:
            return candidate
    return None


def _timed(variants: dict, runs: int, event_file: str, env: dict, python: tuple[str, ...] = ()) -> dict:
    names = list(variants)
    collected: dict[str, list[dict]] = {name: [] for name in names}
    for i in range(runs):
        for name in (names if i % 2 == 0 else names[::-1]):
            collected[name].append(run_child(variants[name], event_file, env, python))
    summary = {name: summarise(values) for name, values in collected.items()}
    handler, floor = summary[names[0]], summary[names[1]]
    summary["ratio"] = {
        "wall": handler["wall_ms"] / floor["wall_ms"],
        "import_plus_answer": (handler["import_ms"] + handler["answer_ms"]) / (floor["import_ms"] + floor["answer_ms"]),
        "maxrss": handler["maxrss_kb"] / floor["maxrss_kb"],
    }
    return summary


def report(figures: dict) -> str:
    lines = [f"Cold start: fresh process, import + one LaunchRequest (Python {figures['python']}, {figures['root']})",
             f"  {'setting / process':44s} {'runs':>4s} {'wall':>8s} {'(min-max)':>15s} {'import':>8s} {'answer':>7s}"
             f" {'max RSS':>9s} {'modules':>7s}"]
    for setting, summary in figures["settings"].items():
        for name, s in summary.items():
            if name == "ratio":
                continue
            lines.append(f"  {setting + ': ' + name:44s} {s['runs']:4d} {s['wall_ms']:6.1f}ms "
                         f"({s['wall_min_ms']:5.0f}-{s['wall_max_ms']:5.0f}) {s['import_ms']:6.1f}ms {s['answer_ms']:5.1f}ms"
                         f" {s['maxrss_kb'] / 1024:7.1f}MB {s['modules']:7.0f}")
        r = summary["ratio"]
        lines.append(f"  {setting + ': ratio to the floor':44s} wall {r['wall']:.2f}x, import+answer "
                     f"{r['import_plus_answer']:.2f}x, max RSS {r['maxrss']:.2f}x")
    lines.append("  (medians; wall = the whole process, interpreter start-up included; import/answer = inside it)")
    first = next(iter(figures["settings"].values()), {}).get("lambda_function")
    if first is not None:
        lines.append("  lambda_function loaded, of yaml, requests, urllib3, flask, boto3, botocore, pyttsx3, urllib.request,"
                     " ssl, http.client, email, zoneinfo, ask_sdk_model.dialog: " + (", ".join(first["heavy"]) or "none"))
        lines.append(f"  it answered: {first['ssml']}...")
    lines += [f"  {note}" for note in figures.get("notes", [])]
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=20, help="timed runs of each process (at least 10 for the table)")
    ap.add_argument("--json", help="also write the figures to this file")
    ap.add_argument("--root", default=str(ROOT), help="project checkout to measure (default: this one)")
    ap.add_argument("--no-uncached", action="store_true", help="skip the runs without the package's .pyc")
    ap.add_argument("--zip", default=str(ROOT / "build" / "lambda.zip"), help="the deployment zip to run")
    ap.add_argument("--zip-python", help="Python 3.12 to run the zip with (default: looked for)")
    ap.add_argument("--no-zip", action="store_true", help="skip the runs of the deployment zip")
    args = ap.parse_args(argv)
    zip_path, zip_python = None, None
    if not args.no_zip:
        zip_path = Path(args.zip)
        zip_python = find_lambda_python(args.zip_python)
        if not zip_path.exists():
            print(f"(no runs of the zip: {zip_path} not found; make lambda-zip builds it)")
        elif zip_python is None:
            print("(no runs of the zip: no Python 3.12 found; give one with --zip-python or LAMBDA_PYTHON)")
        if not zip_path.exists() or zip_python is None:
            zip_path = zip_python = None
    figures = measure(max(args.runs, 1), Path(args.root).resolve(), uncached=not args.no_uncached,
                      zip_path=zip_path, zip_python=zip_python)
    print(report(figures))
    if args.json:
        Path(args.json).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
