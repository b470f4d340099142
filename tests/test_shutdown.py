"""``serve`` and ``console`` stop without dropping anyone: SIGTERM or SIGINT with requests in flight.

Each test runs the real command in a subprocess whose store is slow (every read takes a while, as
a slow disk or DynamoDB would): it announces each request that reached the store, so the signal
is sent only once those requests are in flight. One more request is half sent (headers and part of
its body) when the signal comes. Every one of them must get its 200 and its answer, the command
must exit 0, and the store must be folded and closed (no -wal left).
"""
from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import requests

from skill_tools.simulator import envelopes

ROOT = Path(__file__).resolve().parents[1]
SLOW_SECONDS = 1.5
IN_FLIGHT = 6

# The real command, with SQLiteAdapter.load slowed down and announcing itself on stdout.
SLOW_STORE = f"""
import os, sys, time
from skill.storage.sqlite import SQLiteAdapter
load = SQLiteAdapter.load
def slow_load(self, *args, **kwargs):
    os.write(1, b"store read\\n")  # one write: lines from several threads do not interleave
    time.sleep({SLOW_SECONDS})
    return load(self, *args, **kwargs)
SQLiteAdapter.load = slow_load
from skill_tools.cli import main
sys.exit(main(sys.argv[1:]))
"""


class Command:
    def __init__(self, tmp_path: Path, *args: str):
        self.db = tmp_path / "store" / "recovery.db"
        env = {**os.environ, "PYTHONPATH": str(ROOT), "RECOVERY_SKILL_DB": str(self.db)}
        env.pop("RECOVERY_SKILL_DYNAMODB_TABLE", None)
        self.proc = subprocess.Popen([sys.executable, "-c", SLOW_STORE, *args], cwd=ROOT, env=env,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        line = self.proc.stdout.readline()
        assert " on http://" in line, line + self.proc.stderr.read()
        self.url = line.split(" on ", 1)[1].split()[0].rstrip(".")
        self.reads = threading.Semaphore(0)
        threading.Thread(target=self._count_reads, daemon=True).start()

    def _count_reads(self):
        for line in self.proc.stdout:
            if line.strip() == "store read":
                self.reads.release()

    def wait_for_reads(self, count: int) -> None:
        for _ in range(count):
            assert self.reads.acquire(timeout=60), "the requests did not reach the store"

    def stop(self, signum) -> tuple[int, str]:
        self.proc.send_signal(signum)
        stderr_lines = []
        for line in self.proc.stderr:
            stderr_lines.append(line)
            if line.startswith("Stopping ("):
                break
        self.stopping_seen = "".join(stderr_lines)
        return self.proc

    def finish(self) -> tuple[int, str]:
        rest = self.proc.stderr.read()
        self.proc.wait(timeout=60)
        return self.proc.returncode, self.stopping_seen + rest

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait()


def half_sent(url: str, path: str, body: bytes, headers: dict) -> tuple[socket.socket, bytes]:
    """A request whose headers and first half of the body are sent; returns the socket and the rest."""
    parts = urlsplit(url)
    sock = socket.create_connection((parts.hostname, parts.port), timeout=30)
    head = "".join(f"{k}: {v}\r\n" for k, v in {**headers, "Content-Length": str(len(body)),
                                                 "Host": f"{parts.hostname}:{parts.port}"}.items())
    sock.sendall(f"POST {path} HTTP/1.1\r\n{head}\r\n".encode() + body[: len(body) // 2])
    return sock, body[len(body) // 2:]


def finish_sending(sock: socket.socket, rest: bytes) -> tuple[int, bytes]:
    sock.sendall(rest)
    data = b""
    while chunk := sock.recv(65536):
        data += chunk
    sock.close()
    head, _, body = data.partition(b"\r\n\r\n")
    return int(head.split()[1]), body


def launch_event(n: int) -> dict:
    event = envelopes.launch(user_id=f"amzn1.ask.account.SHUTDOWN-{n}")
    del event["context"]["System"]["apiAccessToken"]  # no settings-API call over the network
    return event


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_serve_answers_every_request_in_flight_then_exits_0(tmp_path, signum):
    command = Command(tmp_path, "serve", "--no-verify", "--port", "0")
    try:
        with ThreadPoolExecutor(IN_FLIGHT) as pool:
            answers = [pool.submit(requests.post, command.url, json=launch_event(n), timeout=60)
                       for n in range(IN_FLIGHT)]
            command.wait_for_reads(IN_FLIGHT)
            sock, rest = half_sent(command.url, "/", json.dumps(launch_event(99)).encode(),
                                   {"Content-Type": "application/json"})
            command.stop(signum)
            with pytest.raises(requests.ConnectionError):  # no longer listening
                requests.post(command.url, json=launch_event(100), timeout=10)
            status, body = finish_sending(sock, rest)
            responses = [future.result() for future in answers]
        code, err = command.finish()
    finally:
        command.kill()

    assert [r.status_code for r in responses] == [200] * IN_FLIGHT
    assert all("spine recovery helper" in r.json()["response"]["outputSpeech"]["ssml"] for r in responses)
    assert r"Connection: close" in "".join(f"{k}: {v}" for k, v in responses[0].headers.items())
    assert status == 200 and b"spine recovery helper" in body
    assert code == 0, err
    assert f"Stopped ({signal.Signals(signum).name})" in err
    assert "Traceback" not in err and "Canceling" not in err
    assert command.db.exists() and not command.db.with_name("recovery.db-wal").exists(), "the store was closed"


def test_console_answers_what_the_page_asked_then_exits_0(tmp_path):
    command = Command(tmp_path, "console", "--port", "0", "--db", str(tmp_path / "store" / "console.db"))
    command.db = tmp_path / "store" / "console.db"
    say = command.url + "/api/say"
    try:
        with ThreadPoolExecutor(3) as pool:
            answers = [pool.submit(requests.post, say, json={"device": f"shutdown-tab-{n}", "text": "when can I drive"},
                                   timeout=60) for n in range(3)]
            command.wait_for_reads(1)  # the console answers one tab at a time: the others wait in flight
            command.stop(signal.SIGTERM)
            responses = [future.result() for future in answers]
        code, err = command.finish()
    finally:
        command.kill()
    assert [r.status_code for r in responses] == [200] * 3
    assert all(r.json()["speech"] for r in responses)
    assert code == 0, err
    assert "Console stopped (SIGTERM)" in err
    assert not command.db.with_name("console.db-wal").exists()
