"""A local stand-in for Alexa's Reminders API, so the whole reminder flow can be tried and tested here.

:class:`FakeReminders` answers create, list, get and delete as the real API
does (JSON shapes of the Alexa Reminders REST API reference), with a switch
for each failure the skill must survive: no permission (401), the service
down (503) and the service too slow. The simulator answers the skill's API
calls with it in-process (see :class:`skill_tools.simulator.session.LocalSettingsApi`);
the tests also serve it over HTTPS on loopback with :func:`serve`, so the
skill's real ApiClient and Lambda entry point talk to it through a socket.
"""
from __future__ import annotations

import json
import re
import threading
import time
import uuid
from contextlib import contextmanager
from datetime import datetime, timezone

REMINDERS = re.compile(r"^/v1/alerts/reminders/?(?P<token>[^/?]*)$")
ZONE = re.compile(r"^/v2/devices/(?P<device>[^/]+)/settings/System\.timeZone$")
_LOCAL_TIME = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d(:\d\d(\.\d+)?)?$")  # no zone, as the API wants


class FakeReminders:
    """The reminders of one person, and how the service behaves.

    granted: whether the person allowed the skill's reminders (else 401, as the real API).
    mode: "ok", "down" (every call answers 503) or "slow" (answers after ``slow_seconds``).
    """

    def __init__(self, granted: bool = True, mode: str = "ok", slow_seconds: float = 3.0):
        self.granted = granted
        self.mode = mode
        self.slow_seconds = slow_seconds
        self.reminders: dict[str, dict] = {}
        self.calls: list[tuple[str, str]] = []
        self.bodies: list[dict] = []  # what create was sent
        self._lock = threading.Lock()

    @property
    def active(self) -> list[dict]:
        return [r for r in self.reminders.values() if r["status"] == "ON"]

    def answer(self, method: str, path: str, body: str | bytes | None = None) -> tuple[int, dict | None]:
        """(HTTP status, JSON body) for one call; ``path`` without the host."""
        path = path.split("?", 1)[0]
        with self._lock:
            self.calls.append((method, path))
        if self.mode == "slow":
            time.sleep(self.slow_seconds)
        if self.mode == "down":
            return 503, {"code": "SERVICE_UNAVAILABLE", "message": "The service is unavailable"}
        match = REMINDERS.match(path)
        if not match:
            return 404, {"code": "NOT_FOUND", "message": "no such resource"}
        if not self.granted:
            return 401, {"code": "UNAUTHORIZED", "message": "the user has not granted the reminders permission"}
        token = match["token"]
        with self._lock:
            if method == "POST" and not token:
                return self._create(body)
            if method == "GET" and not token:
                alerts = list(self.reminders.values())
                return 200, {"totalCount": str(len(alerts)), "alerts": alerts, "links": None}
            if token not in self.reminders:
                return 404, {"code": "NOT_FOUND", "message": "no such reminder"}
            if method == "GET":
                return 200, self.reminders[token]
            if method == "DELETE":
                del self.reminders[token]
                return 200, None
        return 405, {"code": "METHOD_NOT_ALLOWED", "message": method}

    def _create(self, body) -> tuple[int, dict]:
        try:
            data = json.loads(body or "{}")
            trigger = data["trigger"]
            content = data["alertInfo"]["spokenInfo"]["content"]
            valid = (
                trigger.get("type") == "SCHEDULED_ABSOLUTE"
                and _LOCAL_TIME.match(str(trigger.get("scheduledTime", "")))
                and isinstance(content, list) and content and all(c.get("text") or c.get("ssml") for c in content)
            )
        except (ValueError, KeyError, TypeError, AttributeError):
            valid = False
        if not valid:
            return 400, {"code": "INVALID_REQUEST", "message": "not a reminder this fake understands"}
        self.bodies.append(data)
        token = str(uuid.uuid4())
        stamp = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z")
        self.reminders[token] = {
            "alertToken": token,
            "createdTime": stamp,
            "updatedTime": stamp,
            "status": "ON",
            "trigger": trigger,
            "alertInfo": data["alertInfo"],
            "pushNotification": data.get("pushNotification") or {"status": "ENABLED"},
            "version": "1",
        }
        return 200, {k: self.reminders[token][k] for k in ("alertToken", "createdTime", "updatedTime", "status",
                                                           "version")} | {"href": f"/v1/alerts/reminders/{token}"}


@contextmanager
def serve(fake: FakeReminders, certfile: str, keyfile: str, zone: str = "America/New_York",
          token: str = "local-token"):
    """Serve ``fake`` (and the settings API's time zone) over HTTPS on 127.0.0.1; yields the apiEndpoint.

    Requests without ``Authorization: Bearer <token>`` get 401, as Alexa's do.
    """
    import ssl
    from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

    class Handler(BaseHTTPRequestHandler):
        def _reply(self):
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else None
            if self.headers.get("Authorization") != f"Bearer {token}":
                status, data = 401, {"code": "UNAUTHORIZED", "message": "no or wrong access token"}
            elif ZONE.match(self.path) and self.command == "GET":
                status, data = 200, zone
            else:
                status, data = fake.answer(self.command, self.path, body)
            out = b"" if data is None else json.dumps(data).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(out)))
            self.end_headers()
            self.wfile.write(out)

        do_GET = do_POST = do_PUT = do_DELETE = _reply

        def log_message(self, *_):  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(certfile, keyfile)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        yield f"https://localhost:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
