"""A short chaos run (bench/chaos_bench.py) in the test suite: random edits under 10% faults
of every kind never journal "failed" for an edit the server applied, never crash and never
leak the token or a password (issue 9 §1). The full run is 1,000 actions x 3 seeds."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

BENCH = Path(__file__).resolve().parents[2] / "bench" / "chaos_bench.py"


def _bench():
    spec = importlib.util.spec_from_file_location("chaos_bench", BENCH)
    module = importlib.util.module_from_spec(spec)
    sys.modules.setdefault("chaos_bench", module)  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


async def test_short_chaos_run_journals_nothing_failed_that_applied(tmp_path):
    bench = _bench()
    result = await bench.Chaos(5, 120, 0.10, 0.05, tmp_path).run(150)
    assert result.actions == 150
    assert sum(result.faults.values()) > 20  # the faults did happen
    assert result.failed_but_applied == []
    assert result.crashes == []
    assert result.leaks == []
