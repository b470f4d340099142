"""Stopping ``serve`` and ``console`` without dropping anyone: SIGTERM (systemd, Docker, Kubernetes) or SIGINT.

On either signal the server:

1. takes the connections the kernel has already accepted for it, then stops listening;
2. finishes what is in flight: requests being read, run or written, each answered with
   ``Connection: close``; a kept-alive connection that stays idle (between two requests) for
   ``IDLE_SECONDS`` is closed, and a request that comes on it before that is answered too;
3. waits for that at most ``grace`` seconds (a few: Alexa itself waits 8), then closes what is left;
4. stops its worker threads, runs the ``on_stop`` callbacks (storage: fold the SQLite write-ahead log
   into the file, close every connection), and returns, so the command exits 0.

waitress's own ``run()`` does none of this: SIGTERM kills the process (status 143), and SIGINT
cancels the queued requests and resets their connections.
"""
from __future__ import annotations

import logging
import select
import signal
import threading
import time
from collections.abc import Callable, Iterable

from waitress import wasyncore
from waitress.channel import HTTPChannel
from waitress.server import BaseWSGIServer
from waitress.task import WSGITask

log = logging.getLogger(__name__)

#: How long requests in flight may take to finish once a stop is asked for.
GRACE_SECONDS = 5.0
STOP_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _ClosingTask(WSGITask):
    """A request answered while the server stops: the answer says ``Connection: close``."""

    def build_response_header(self):
        if getattr(self.channel.server, "stopping", False):
            self.set_close_on_finish()
        return super().build_response_header()


class _Channel(HTTPChannel):
    task_class = _ClosingTask


def prepare(server) -> None:
    """Make ``server`` (from :func:`skill_tools.web.server.make_server`) answer with ``Connection: close`` once stopping."""
    for listener in _listeners(server):
        listener.channel_class = _Channel
        listener.stopping = False


def serve_until_stopped(server, channels: dict, *, grace: float = GRACE_SECONDS,
                        on_stop: Iterable[Callable[[], None]] = (), stop: threading.Event | None = None,
                        on_stopping: Callable[[str], None] | None = None) -> str:
    """Run ``server`` until SIGTERM or SIGINT (or ``stop`` is set), then stop as the module says.

    ``channels`` is the socket map the server was made with. ``on_stopping(why)`` is called once the
    server no longer listens, ``on_stop`` callbacks once everything is answered. Returns what stopped
    it ("SIGTERM", "SIGINT", "stop"). Signal handlers are installed only from the main thread
    (elsewhere only ``stop`` stops it).
    """
    stop = stop or threading.Event()
    received: list[str] = []

    def on_signal(signum, _frame):
        received.append(signal.Signals(signum).name)
        stop.set()  # the loop below notices within one poll timeout

    previous = {}
    if threading.current_thread() is threading.main_thread():
        previous = {signum: signal.signal(signum, on_signal) for signum in STOP_SIGNALS}
    prepare(server)
    timeout = 0.2
    try:
        while not stop.is_set() and channels:
            wasyncore.loop(timeout=timeout, map=channels, count=1)
        why = received[0] if received else "stop"
        finished = _drain(server, channels, grace, timeout, lambda: on_stopping(why) if on_stopping else None)
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
    for callback in on_stop:
        try:
            callback()
        except Exception as exc:  # one failing flush must not keep the others from running
            log.error("at stop: %s in %s", type(exc).__name__, getattr(callback, "__qualname__", callback))
    log.info("stopped on %s: %d request(s) in flight finished", why, finished)
    return why


def _listeners(server) -> list[BaseWSGIServer]:
    if isinstance(server, BaseWSGIServer):
        return [server]
    return [d for d in server.map.values() if isinstance(d, BaseWSGIServer)]


#: A connection accepted this recently whose request has not arrived yet is waited for, this long.
FIRST_BYTES_SECONDS = 1.0
#: A kept-alive connection is closed once it has been quiet this long since the stop began: a client in
#: the middle of a conversation sends its next request on it within that (answered, with Connection: close),
#: instead of finding it closed under the request it just sent.
IDLE_SECONDS = 0.5


def _busy(channel: HTTPChannel) -> bool:
    """A request being read, queued, run, or its answer still being written; or a new connection's on its way."""
    if channel.requests or channel.request is not None or channel.total_outbufs_len or channel.close_when_flushed:
        return True
    silent = channel.last_activity == channel.creation_time
    return silent and time.time() - channel.creation_time < FIRST_BYTES_SECONDS


def _drain(server, channels: dict, grace: float, timeout: float, not_listening: Callable[[], None]) -> int:
    listeners = _listeners(server)
    for listener in listeners:
        listener.stopping = True
        # What the kernel has accepted already is in flight: take it before closing the socket.
        while listener.socket is not None and select.select([listener.socket], [], [], 0)[0]:
            before = len(channels)
            listener.handle_accept()
            if len(channels) == before:
                break
        listener.accepting = False
        wasyncore.dispatcher.close(listener)  # stop listening; the trigger stays for the workers
    not_listening()
    wasyncore.loop(timeout=0, map=channels, count=1)  # read what the clients have sent already
    in_flight = {id(c) for c in channels.values() if isinstance(c, HTTPChannel) and _busy(c)}
    deadline = time.monotonic() + grace
    stopped_at = time.time()
    while True:
        open_channels = [c for c in list(channels.values()) if isinstance(c, HTTPChannel)]
        for channel in open_channels:
            if not _busy(channel) and time.time() - max(channel.last_activity, stopped_at) >= IDLE_SECONDS:
                channel.handle_close()  # idle: nothing to finish
        if not any(isinstance(c, HTTPChannel) for c in channels.values()):
            break
        if time.monotonic() >= deadline:
            left = sum(1 for c in channels.values() if isinstance(c, HTTPChannel))
            log.warning("stop: %d connection(s) still busy after %.0f s: closing them", left, grace)
            break
        wasyncore.loop(timeout=timeout, map=channels, count=1)
    server.task_dispatcher.shutdown(cancel_pending=True, timeout=max(0.5, deadline - time.monotonic()))
    wasyncore.close_all(channels)
    return len(in_flight)
