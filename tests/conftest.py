from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "maarat-shelling.txt"
ALEPPO = SHARED / "examples" / "east-aleppo-2016.txt"
DEV_GOLD = SHARED / "eval" / "dev.jsonl"
READABILITY = SHARED / "corpora" / "html" / "readability"
FAKES = SHARED / "corpora" / "fa-kes.jsonl"


def needs_shared(path: Path):
    """The shared data sits beside the repository on every machine that runs the suite."""
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not beside the repository")


@pytest.fixture(scope="session")
def aleppo():
    from crosscount import analyze
    from crosscount.ingest import read_file

    return analyze(read_file(ALEPPO))


def figure_at(analysis, text: str, occurrence: int = 0):
    """The figure whose span starts at the n-th occurrence of `text` in the document."""
    start = -1
    for _ in range(occurrence + 1):
        start = analysis.document.text.index(text, start + 1)
    for figure in analysis.figures:
        if figure.start <= start < figure.end or start <= figure.start < start + len(text):
            return figure
    raise AssertionError(f"no figure at {text!r}; figures: {[f.text for f in analysis.figures]}")
