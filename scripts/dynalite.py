#!/usr/bin/env python3
"""Run dynalite, a DynamoDB-protocol server, on a free port of 127.0.0.1 (tests and benchmark).

dynalite is the npm package in this repository's package.json, installed into
./node_modules by ``scripts/install-node-deps.sh`` (``npm ci``). Its data lives in
memory and goes with the process.

As a program, it runs in the foreground and prints the environment that points
the skill at it::

    python scripts/dynalite.py [--port 8000]

As a module (tests/conftest_dynalite.py, bench/storage_bench.py)::

    with Dynalite() as server:
        server.endpoint   # "http://127.0.0.1:PORT"

``RECOVERY_SKILL_NODE`` names the node binary to use (default: ``node`` on PATH).
Standard library only: no pytest, no boto3.
"""
from __future__ import annotations

import argparse
import http.client
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
CLI = REPO / "node_modules" / "dynalite" / "cli.js"
HOST = "127.0.0.1"
INSTALL_HINT = "run scripts/install-node-deps.sh (installs node and npm if missing, then `npm ci`) in the repository root"

# Dummy credentials for a local server: boto3 signs every request, dynalite checks nothing.
DUMMY_AWS_ENV = {
    "AWS_ACCESS_KEY_ID": "local-test-key",
    "AWS_SECRET_ACCESS_KEY": "local-test-secret",
    "AWS_REGION": "us-east-1",
    "AWS_DEFAULT_REGION": "us-east-1",
    "AWS_EC2_METADATA_DISABLED": "true",
    "AWS_CONFIG_FILE": os.devnull,
    "AWS_SHARED_CREDENTIALS_FILE": os.devnull,
}
# Unset so they cannot point boto3 at real credentials.
AWS_ENV_TO_CLEAR = ("AWS_SESSION_TOKEN", "AWS_SECURITY_TOKEN", "AWS_PROFILE", "AWS_DEFAULT_PROFILE",
                    "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_DYNAMODB", "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                    "AWS_CONTAINER_CREDENTIALS_FULL_URI", "AWS_WEB_IDENTITY_TOKEN_FILE", "AWS_ROLE_ARN")


class DynaliteMissing(RuntimeError):
    """node or the dynalite package is not installed."""


class DynaliteFailed(RuntimeError):
    """dynalite was found but did not start."""


def command() -> list[str]:
    """How to run dynalite here, or DynaliteMissing saying what to install."""
    node = os.environ.get("RECOVERY_SKILL_NODE") or shutil.which("node") or shutil.which("nodejs")
    if not node:
        raise DynaliteMissing(f"`node` is not on PATH: {INSTALL_HINT}")
    if not os.access(node, os.X_OK):
        raise DynaliteMissing(f"RECOVERY_SKILL_NODE={node} is not an executable: {INSTALL_HINT}")
    if not CLI.is_file():
        raise DynaliteMissing(f"dynalite is not installed in {CLI.parents[1]}: {INSTALL_HINT}")
    return [node, str(CLI)]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind((HOST, 0))
        return s.getsockname()[1]


def answers(port: int, timeout: float = 0.5) -> bool:
    """True when a DynamoDB-protocol server answers on the port (any HTTP answer counts)."""
    try:
        conn = http.client.HTTPConnection(HOST, port, timeout=timeout)
        conn.request("POST", "/", body=b"{}", headers={
            "X-Amz-Target": "DynamoDB_20120810.ListTables",
            "Content-Type": "application/x-amz-json-1.0",
        })
        conn.getresponse().read()
        conn.close()
        return True
    except OSError:
        return False


def _die_with_parent() -> None:
    """Linux: dynalite gets SIGTERM if the test run or benchmark dies without stopping it."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except Exception:
        pass


class Dynalite:
    """One dynalite process on 127.0.0.1; ``start()`` returns once it answers."""

    def __init__(self, port: int | None = None, startup_timeout: float = 20.0, path: str | None = None):
        """``path``: keep the tables in a LevelDB folder there, so a restart on the same port and path finds
        them again (default: in memory, gone with the process)."""
        self.path = path
        self.requested_port = port
        self.port: int | None = None
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None
        self._log = None

    @property
    def endpoint(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> "Dynalite":
        base = command()
        attempts = 1 if self.requested_port else 3
        last_error = None
        for _ in range(attempts):
            self.port = self.requested_port or free_port()
            try:
                self._launch(base)
                return self
            except DynaliteFailed as exc:  # most likely the port was taken meanwhile: try another
                last_error = exc
                self.stop()
        raise last_error

    def _launch(self, base: list[str]) -> None:
        self._log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(
            base + ["--host", HOST, "--port", str(self.port),
                    "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"]
            + (["--path", self.path] if self.path else []),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: stop() ends it and nothing else
            preexec_fn=_die_with_parent,
        )
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise DynaliteFailed(f"dynalite exited with code {self.process.returncode}: {self.output()}")
            if answers(self.port):
                return
            time.sleep(0.05)
        raise DynaliteFailed(f"dynalite did not answer on port {self.port} within {self.startup_timeout:.0f} s: "
                             f"{self.output()}")

    def output(self) -> str:
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace").strip()[-2000:]

    def stop(self) -> None:
        process, self.process = self.process, None
        if process is not None and process.poll() is None:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                process.wait(timeout=5)
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> "Dynalite":
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description="Run dynalite on 127.0.0.1 until interrupted.")
    p.add_argument("--port", type=int, default=None, help="default: a free port")
    args = p.parse_args(argv)
    try:
        server = Dynalite(args.port).start()
    except (DynaliteMissing, DynaliteFailed) as exc:
        print(f"dynalite: {exc}", file=sys.stderr)
        return 1
    print(f"dynalite listening at {server.endpoint} (Ctrl-C stops it). Point the skill at it with:")
    print("  export RECOVERY_SKILL_DYNAMODB_TABLE=recovery-skill")
    print(f"  export RECOVERY_SKILL_DYNAMODB_ENDPOINT={server.endpoint}")
    for name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_REGION"):
        print(f"  export {name}={DUMMY_AWS_ENV[name]}")
    sys.stdout.flush()
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))  # stop dynalite too (the finally below)
    try:
        while server.process is not None and server.process.poll() is None:
            time.sleep(0.5)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
