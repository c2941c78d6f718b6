"""The benchmark of the worst files the limits accept measures files `check` accepts."""

from __future__ import annotations

import sys

import pytest

from statuspage.sources.limits import MAX_FILE_BYTES
from tests.conftest import REPO, MakeSite

sys.path.insert(0, str(REPO / "benchmarks"))
import bench_hostile  # a script beside the package, not in it


@pytest.mark.parametrize("shape", list(bench_hostile.SHAPES))
def test_each_case_is_a_valid_file_as_large_as_the_limit(make_site: MakeSite, shape: str) -> None:
    site = make_site(config=bench_hostile.CONFIG)
    text = bench_hostile.incident(bench_hostile.SHAPES[shape], 1.0)
    assert MAX_FILE_BYTES - 1000 < len(text.encode()) <= MAX_FILE_BYTES
    site.incident("tangled", text)
    assert site.problems() == []
