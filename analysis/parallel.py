"""Spreading independent per-year work over the machine's cores.

Each year's measures and blocs depend on that year's network alone, and every seeded computation seeds
itself, so the years can run in any order in any process with the same results. Worker processes are
*forked*: they start with the parent's loaded dataset, projections and caches instead of importing and
rebuilding them (a fresh interpreter would spend longer importing numpy, scipy and igraph than the work
takes). Where fork is not available (Windows), or there is too little work to pay for the processes, the
calls run in this process.
"""

from __future__ import annotations

import os
import warnings
from typing import Any, Callable, Sequence

#: fewer calls than this run in this process (forking costs ~20 ms per worker; one call gains nothing)
MIN_CALLS = 2

_target: Any = None


def usable_cores() -> int:
    """Cores this process may run on (its CPU affinity where the platform has one)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                    # pragma: no cover - macOS, Windows
        return os.cpu_count() or 1


def resolve_jobs(jobs: int | None) -> int:
    """``jobs`` as a number of processes: 0 or None means every usable core."""
    return usable_cores() if not jobs else max(1, int(jobs))


def _call(args):
    method, call_args = args
    return getattr(_target, method)(*call_args)


def map_calls(obj, method: str, calls: Sequence[tuple], jobs: int | None = None,
              on_result: Callable[[int, Any], None] | None = None) -> list:
    """``[obj.method(*args) for args in calls]``, computed in up to ``jobs`` forked processes.

    Results come back in the order of ``calls``; ``on_result(i, result)`` is called in this process as each
    one arrives (for progress bars). ``obj`` reaches the workers by fork, not by pickling, so it may hold
    anything; the arguments and results are pickled.

    >>> class Square:
    ...     def of(self, x):
    ...         return x * x
    >>> map_calls(Square(), "of", [(k,) for k in range(10)], jobs=2)
    [0, 1, 4, 9, 16, 25, 36, 49, 64, 81]
    """
    import multiprocessing as mp

    global _target
    n = resolve_jobs(jobs)
    results: list = [None] * len(calls)
    if n <= 1 or len(calls) < MIN_CALLS or "fork" not in mp.get_all_start_methods():
        for i, args in enumerate(calls):
            results[i] = getattr(obj, method)(*args)
            if on_result:
                on_result(i, results[i])
        return results
    _target = obj
    try:
        with warnings.catch_warnings():
            # Python 3.12+ warns about forking a process with threads (BLAS pools): the workers use none of
            # the parent's threads, and pin BLAS to one thread themselves
            warnings.filterwarnings("ignore", category=DeprecationWarning, message=".*fork.*")
            with mp.get_context("fork").Pool(min(n, len(calls))) as pool:
                for i, res in enumerate(pool.imap(_call, [(method, args) for args in calls])):
                    results[i] = res
                    if on_result:
                        on_result(i, res)
    finally:
        _target = None
    return results
