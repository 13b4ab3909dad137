"""Years computed in worker processes give exactly what one process gives."""

import os

import numpy as np
import pandas as pd
import pytest

from analysis import parallel
from analysis.metrics import Analysis, Options


class Recorder:
    def pid_and_square(self, x):
        return os.getpid(), x * x


def test_map_calls_keeps_order_and_uses_other_processes():
    calls = [(k,) for k in range(20)]
    out = parallel.map_calls(Recorder(), "pid_and_square", calls, jobs=2)
    assert [sq for _, sq in out] == [k * k for k in range(20)]
    assert os.getpid() not in {pid for pid, _ in out}
    seen = []
    parallel.map_calls(Recorder(), "pid_and_square", calls[:3], jobs=2, on_result=lambda i, r: seen.append(i))
    assert seen == [0, 1, 2]
    one = parallel.map_calls(Recorder(), "pid_and_square", calls[:1], jobs=2)
    assert one == [(os.getpid(), 0)]                 # one call: no process is started for it


def test_jobs_resolve_to_usable_cores():
    assert parallel.resolve_jobs(0) == parallel.resolve_jobs(None) == parallel.usable_cores() >= 1
    assert parallel.resolve_jobs(3) == 3 and parallel.resolve_jobs(-1) == 1


@pytest.fixture(scope="module")
def serial_and_parallel(bundled):
    years = range(1985, 2026)
    out = []
    for jobs in (1, 2):
        a = Analysis(bundled, Options(jobs=jobs))
        ticks = []
        out.append((a.metrics(years, progress=ticks.append), a.bloc_table(years), a.polarisation(years), ticks))
    return out


def test_metrics_identical_with_two_processes(serial_and_parallel):
    (m1, *_), (m2, *_) = serial_and_parallel
    pd.testing.assert_frame_equal(m1, m2)
    assert len(m1) > 10_000 and set(m1["year"]) == set(range(1985, 2026))


def test_blocs_and_polarisation_identical_with_two_processes(serial_and_parallel):
    (_, b1, p1, _), (_, b2, p2, _) = serial_and_parallel
    for x, y in zip(b1, b2):
        pd.testing.assert_frame_equal(x, y)
    pd.testing.assert_frame_equal(p1, p2)
    assert np.isfinite(p1["modularity"]).all()


def test_progress_reports_every_year_once(serial_and_parallel):
    for *_, ticks in serial_and_parallel:
        assert sorted(ticks) == list(range(1985, 2026))
