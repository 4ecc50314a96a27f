"""Shared test helpers: where the shared corpus lives, and how live-database tests find their servers."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CORPUS = ROOT.parent / "shared" / "corpus"


@pytest.fixture
def corpus() -> Path:
    if not CORPUS.is_dir():
        pytest.skip(f"needs the shared corpus at {CORPUS} (check out shared/ beside the repository)")
    return CORPUS
