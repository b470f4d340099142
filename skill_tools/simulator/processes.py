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
