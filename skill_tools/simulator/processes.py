"""Large sets shared among the cores: the simulated conversations of a corpus run and the engine-alone check
each split their sentences the same way, one spawned process a part."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import ProcessPoolExecutor


def cores() -> int:
    """The cores this process may use (a container's share, not the machine's), at most eight."""
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(usable, 8))


def shared(work, items: list, workers: int) -> list:
    """``work`` on each of ``workers`` consecutive parts of ``items``, in processes: the parts' results, in order.
    Spawned, not forked: a test process may hold threads (servers, loggers) whose locks a fork would copy."""
    parts = [items[i * len(items) // workers:(i + 1) * len(items) // workers] for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("spawn")) as pool:
        return list(pool.map(work, parts))


class Ahead:
    """Jobs (a function and its arguments each) started in one background process while the caller does
    something else, as a test session runs its other tests; what the process has not begun when the results
    are asked for is done in the caller's own process, from the last job back, so both cores work to the end."""

    def __init__(self, jobs: list[tuple]):
        self.jobs = jobs
        self.pool = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"))
        self.futures = [self.pool.submit(work, *args) for work, *args in jobs]

    def results(self) -> list:
        """Each job's result, in the jobs' order."""
        done = {}
        for i in reversed(range(len(self.jobs))):
            if self.futures[i].cancel():
                work, *args = self.jobs[i]
                done[i] = work(*args)
        out = [done[i] if i in done else future.result() for i, future in enumerate(self.futures)]
        self.pool.shutdown()
        return out

    def cancel(self) -> None:
        """Stop what has not begun (results never asked for: the process ends with the job it is on)."""
        self.pool.shutdown(wait=False, cancel_futures=True)
