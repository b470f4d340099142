"""``recovery-skill serve``: the web-service app (:mod:`skill.web.app`) on waitress.

Waitress speaks plain HTTP; Alexa calls only HTTPS endpoints on port 443, so a
deployment puts a TLS-terminating proxy or load balancer in front.
"""
from __future__ import annotations

import contextlib
import logging
import os
import threading
from collections.abc import Iterator

from flask import Flask
from waitress import wasyncore
from waitress.server import create_server

from skill.web.app import create_app
from skill.web.verification import default_verifiers, load_default_trust_roots

log = logging.getLogger(__name__)

# Waitress refuses bodies over this before buffering them; the app refuses (and logs) smaller
# ones over its own limit.
_SERVER_BODY_LIMIT = 1 << 20


def serve(args) -> int:
    """Serve until interrupted; ``args`` carries host, port, workers and no_verify."""
    verify = not args.no_verify
    if verify:
        skill_id = os.environ.get("RECOVERY_SKILL_ID") or None
        if not skill_id:
            # Certification checks that requests for other skills are refused: that needs our skill ID.
            log.error("set RECOVERY_SKILL_ID to the skill's ID (or use --no-verify for local testing)")
            return 2
        try:  # load the trust store now, so a machine without one fails at start, not per request
            verifiers = default_verifiers(skill_id, trust_store=load_default_trust_roots())
        except RuntimeError as exc:
            log.error("cannot verify Alexa requests: %s", exc)
            return 1
        app = create_app(skill_id=skill_id, verifiers=verifiers)
    else:
        log.warning(
            "--no-verify: Alexa request signatures and timestamps are NOT checked. "
            "For local testing only: never expose this server."
        )
        app = create_app(verify=False)
    try:
        server = make_server(app, args.host, args.port, threads=args.workers)
    except (OSError, ValueError) as exc:
        log.error("cannot listen on %s:%s: %s", args.host, args.port, exc)
        return 1
    mode = "" if verify else " WITHOUT request verification"
    print(f"Serving the skill{mode} on {' and '.join(urls(server))} (POST / for Alexa, GET /health)", flush=True)
    server.run()  # returns on Ctrl-C
    return 0


def make_server(app: Flask, host: str, port: int, threads: int = 4, channels: dict | None = None):
    """A waitress server for ``app``, bound and ready to ``run()`` (port 0: any free port)."""
    return create_server(
        app,
        map=channels,
        host=host,
        port=port,
        threads=threads,
        max_request_body_size=max(_SERVER_BODY_LIMIT, app.config.get("MAX_CONTENT_LENGTH") or 0),
        ident="",
    )


def urls(server) -> list[str]:
    """Where ``server`` listens, as http:// URLs."""
    listen = getattr(server, "effective_listen", None) or [(server.effective_host, server.effective_port)]
    return [f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}" for host, port in listen]


@contextlib.contextmanager
def running(app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = 4) -> Iterator[str]:
    """Serve ``app`` from a background thread (tests, benchmarks); yields its base URL."""
    channels: dict = {}
    server = make_server(app, host, port, threads, channels)
    thread = threading.Thread(target=server.run, name=f"waitress-{port}", daemon=True)
    thread.start()
    try:
        yield urls(server)[0]
    finally:
        # Closing every socket from the server's own loop ends run(); then stop the workers.
        server.trigger.pull_trigger(lambda: wasyncore.close_all(channels))
        thread.join(timeout=5)
        server.task_dispatcher.shutdown()
