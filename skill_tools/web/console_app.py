"""The browser console's web layer: the page, its JSON routes, and who may call them.

The Console (:mod:`skill_tools.web.console`) holds the devices and what they heard; this module only
serves it. Local only: it listens on loopback by default and answers only requests addressed to a
loopback name from the page itself (JSON bodies, same origin), so a web site open in another tab
cannot talk to it, forget the person's date, or rebind a name to it.
"""
from __future__ import annotations

import ipaddress
import logging
import os
import re
import sys
import tempfile
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from ask_sdk_core.exceptions import PersistenceException
from flask import Flask, Response, abort, jsonify, render_template, request

from skill_tools.simulator import envelopes
from skill_tools.simulator.device import DEFAULT_ZONE, country_zone
from skill_tools.web.console import SCREEN_NAME, Console

log = logging.getLogger(__name__)

MAX_UTTERANCE = 500          # characters: far more than anyone says in one turn
_DEVICE = re.compile(r"^[A-Za-z0-9-]{8,64}$")
_LOOPBACK_NAMES = {"localhost", "127.0.0.1", "::1"}


def create_console_app(console: Console, *, loopback_only: bool = True) -> Flask:
    """The page and its small JSON API for ``console``.

    loopback_only: answer only requests addressed to a loopback name (refuses DNS rebinding).
    """
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = 16 * 1024

    @app.before_request
    def local_and_same_origin():
        host = _hostname(request.host)
        if loopback_only and not _is_loopback(host):
            log.warning("console: refused a request addressed to %r", host[:60])
            abort(403)
        origin = request.headers.get("Origin")
        if request.method == "POST":
            if origin and urlsplit(origin).netloc != request.host:
                log.warning("console: refused a request from another origin")
                abort(403)
            if not request.is_json:
                abort(415)

    @app.get("/")
    def page() -> str:
        replay = {
            "say": [s[:MAX_UTTERANCE] for s in request.args.getlist("say") if s.strip()][:50],
            "today": request.args.get("today", "")[:10],
            "surgery": request.args.get("surgery", "")[:10],
            "screen": request.args.get("screen") == "1",
        }
        return render_template("console.html", replay=replay, zone=console.zone, screen_name=SCREEN_NAME)

    @app.get("/favicon.ico")
    def favicon() -> Response:
        return Response(status=204)

    @app.post("/api/say")
    def say() -> Response:
        data = _body()
        text = " ".join(str(data.get("text") or "").split())
        if not text:
            return _problem(400, "Type what you would say first.")
        if len(text) > MAX_UTTERANCE:
            return _problem(400, f"That is longer than {MAX_UTTERANCE} characters: please say less at a time.")
        return jsonify(console.say(_device(data), text))

    @app.post("/api/new-session")
    def new_session() -> Response:
        return jsonify(state=console.new_session(_device(_body())))

    @app.post("/api/forget")
    def forget() -> Response:
        try:
            return jsonify(state=console.forget(_device(_body())))
        except PersistenceException:
            return _problem(503, "The store is not answering: nothing was forgotten. Try again.")

    @app.post("/api/settings")
    def settings() -> Response:
        data = _body()
        try:
            screen = data.get("screen")
            state = console.settings(_device(data), today=_opt(data, "today"), surgery_date=_opt(data, "surgery_date"),
                                     screen=screen if isinstance(screen, bool) else None)
        except ValueError as exc:
            return _problem(400, str(exc))
        except PersistenceException:
            return _problem(503, "The store is not answering: the surgery date was not changed.")
        return jsonify(state=state)

    @app.post("/api/state")
    def state() -> Response:
        return jsonify(state=console.state(_device(_body())))

    @app.errorhandler(Exception)
    def failed(exc) -> Response:
        from werkzeug.exceptions import HTTPException

        if isinstance(exc, HTTPException):
            return _problem(exc.code or 500, exc.description or exc.name)
        log.exception("console: %s", type(exc).__name__)
        return _problem(500, f"The console failed on that ({type(exc).__name__}); see its log.")

    return app


def _body() -> dict:
    data = request.get_json(silent=True)
    if not isinstance(data, dict):
        abort(400, "The request body should be a JSON object.")
    return data


def _device(data: dict) -> str:
    device = str(data.get("device") or "")
    if not _DEVICE.match(device):
        abort(400, "Missing or malformed device id: reload the page.")
    return device


def _opt(data: dict, key: str) -> str | None:
    return None if data.get(key) is None else str(data[key])


def _problem(status: int, message: str) -> Response:
    response = jsonify(error=message)
    response.status_code = status
    return response


def _hostname(host: str) -> str:
    """Host header without its port ("[::1]:8000" -> "::1")."""
    return urlsplit("//" + host).hostname or ""


def _is_loopback(host: str) -> bool:
    if host in _LOOPBACK_NAMES:
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


# ---------------------------------------------------------------- the command


def run_console(args) -> int:
    """Serve the console until interrupted."""
    from skill.storage.sqlite import SQLiteAdapter
    from skill_tools.web import shutdown
    from skill_tools.web.server import make_server, stopping_notice, urls

    country = (getattr(args, "country", None) or "").upper() or None
    try:
        zone = (args.timezone or (country and country_zone(country)) or os.environ.get("RECOVERY_SKILL_TIMEZONE")
                or DEFAULT_ZONE)
        ZoneInfo(zone)
    except (ValueError, KeyError) as exc:
        log.error("unknown time zone or country: %s", exc)
        return 2
    loopback = _is_loopback(args.host)
    if not loopback:
        log.warning("console on %s: anyone who can reach this address can talk as this person and "
                    "forget their data. Use it only on a network you trust.", args.host)
    with tempfile.TemporaryDirectory(prefix="recovery-console-") as scratch:
        db = args.db or f"{scratch}/console.db"
        store = SQLiteAdapter(db)
        console = Console(store, zone=zone, user_id=args.user or envelopes.DEFAULT_USER,
                          locale=getattr(args, "locale", "en-US"), country=country)
        app = create_console_app(console, loopback_only=loopback)
        channels: dict = {}
        try:
            server = make_server(app, args.host, args.port, threads=4, channels=channels)
        except (OSError, ValueError) as exc:
            log.error("cannot listen on %s:%s: %s", args.host, args.port, exc)
            return 1
        where = " and ".join(urls(server))
        print(f"Console on {where} (storage: {'scratch, forgotten at exit' if not args.db else db}). "
              f"Ctrl-C to stop.", flush=True)
        # SIGTERM or Ctrl-C: what the page asked for is answered, the store closed, the scratch file removed.
        why = shutdown.serve_until_stopped(server, channels, on_stop=[store.close_all], on_stopping=stopping_notice)
        print(f"Console stopped ({why}).", file=sys.stderr, flush=True)
    return 0
