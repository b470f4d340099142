"""``recovery-skill serve``: the web-service app (:mod:`skill_tools.web.app`) on waitress.

Waitress speaks plain HTTP; Alexa calls only HTTPS endpoints on port 443, so a
deployment puts a TLS-terminating proxy or load balancer in front.
"""
from __future__ import annotations

import contextlib
import logging
import os
import sys
import threading
import time
from collections.abc import Iterator

from flask import Flask
from waitress import wasyncore
from waitress.server import create_server

from skill_tools.web import shutdown
from skill_tools.web.app import create_app
from skill_tools.web.cert_chain import load_default_trust_roots
from skill_tools.web.verification import default_verifiers

log = logging.getLogger(__name__)

# Waitress refuses bodies over this before buffering them; the app refuses (and logs) smaller
# ones over its own limit.
_SERVER_BODY_LIMIT = 1 << 20


def serve(args) -> int:
    """Serve until SIGTERM or SIGINT, then stop without dropping a request (:mod:`skill_tools.web.shutdown`);
    ``args`` carries host, port, workers and no_verify."""
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
    channels: dict = {}
    try:
        server = make_server(app, args.host, args.port, threads=THREADS if args.workers is None else args.workers,
                             channels=channels)
    except (OSError, ValueError) as exc:
        log.error("cannot listen on %s:%s: %s", args.host, args.port, exc)
        return 1
    mode = "" if verify else " WITHOUT request verification"
    print(f"Serving the skill{mode} on {' and '.join(urls(server))} (POST / for Alexa, GET /health)", flush=True)
    why = shutdown.serve_until_stopped(server, channels, on_stop=[lambda: flush_storage(app)],
                                       on_stopping=stopping_notice)
    print(f"Stopped ({why}).", file=sys.stderr, flush=True)
    return 0


def stopping_notice(why: str) -> None:
    print(f"Stopping ({why}): no longer listening; finishing the requests in flight.", file=sys.stderr, flush=True)


def flush_storage(app: Flask) -> None:
    """At a stop: the skill's SQLite store folds its write-ahead log into the file and closes (DynamoDB: nothing)."""
    adapter = getattr(app.extensions.get("recovery_skill"), "persistence_adapter", None)
    close_all = getattr(adapter, "close_all", None)
    if close_all is not None:
        close_all()


#: Worker threads by default. waitress counts a worker busy until it is back waiting, a moment after its
#: answer went out, when a client may have sent its next request already; on a busy two-core machine that
#: moment can last several round trips. Four times as many threads as requests at once (four: the load of
#: an ordinary soak) leave room for twelve such workers before anything is counted as queued, so an
#: ordinary load logs nothing (twice as many did log, once in some fifty CI runs). A burst beyond that is
#: logged once a minute (QueueDepthSummary).
THREADS = 16
#: Open connections accepted at once, and the kernel's queue of those not yet accepted.
CONNECTION_LIMIT = 200
BACKLOG = 1024


def make_server(app: Flask, host: str, port: int, threads: int = THREADS, channels: dict | None = None):
    """A waitress server for ``app``, bound and ready to ``run()`` (port 0: any free port)."""
    _quiet_queue_warnings()
    return create_server(
        app,
        map=channels,
        host=host,
        port=port,
        threads=threads,
        connection_limit=max(CONNECTION_LIMIT, threads * 4),
        backlog=BACKLOG,
        max_request_body_size=max(_SERVER_BODY_LIMIT, app.config.get("MAX_CONTENT_LENGTH") or 0),
        ident="",
    )


class QueueDepthSummary(logging.Filter):
    """waitress logs "Task queue depth is N" for every request that waits for a worker thread: thousands of
    lines a minute under a burst. Let one through per ``interval`` seconds, saying how many were held back
    and the deepest queue since, so an overload still shows in the log without flooding it."""

    def __init__(self, interval: float = 60.0):
        super().__init__()
        self.interval = interval
        self._next = 0.0
        self._held = 0
        self._deepest = 0
        self._lock = threading.Lock()

    def filter(self, record: logging.LogRecord) -> bool:
        depth = record.args[0] if isinstance(record.args, tuple) and record.args else 0
        with self._lock:
            self._deepest = max(self._deepest, depth if isinstance(depth, int) else 0)
            now = time.monotonic()
            if now < self._next:
                self._held += 1
                return False
            if self._held:
                record.msg = "Task queue depth is %d (deepest %d; %d more such lines in the last %d s not logged)"
                record.args = (depth, self._deepest, self._held, int(self.interval))
            self._next, self._held, self._deepest = now + self.interval, 0, 0
            return True


_QUEUE_FILTER = QueueDepthSummary()


def _quiet_queue_warnings() -> None:
    queue_logger = logging.getLogger("waitress.queue")
    if _QUEUE_FILTER not in queue_logger.filters:
        queue_logger.addFilter(_QUEUE_FILTER)


def urls(server) -> list[str]:
    """Where ``server`` listens, as http:// URLs."""
    listen = getattr(server, "effective_listen", None) or [(server.effective_host, server.effective_port)]
    return [f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}" for host, port in listen]


@contextlib.contextmanager
def running(app: Flask, host: str = "127.0.0.1", port: int = 0, threads: int = THREADS) -> Iterator[str]:
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
