from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
EXAMPLE = ROOT / "examples" / "maarat-shelling.txt"
DEV_GOLD = SHARED / "eval" / "dev.jsonl"
READABILITY = SHARED / "corpora" / "html" / "readability"
FAKES = SHARED / "corpora" / "fa-kes.jsonl"


def needs_shared(path: Path):
    """The shared data sits beside the repository on every machine that runs the suite."""
    return pytest.mark.skipif(not path.exists(), reason=f"{path} is not beside the repository")


# A page written for the tests: a stated total and its parts, a monitor's attribution, and
# a comment thread without a marker whose claims dispute and repeat the article's.
FLIGHT_PAGE = """Over 5,000 Civilians Flee Besieged Eastern District

Thousands of civilians have fled the eastern district amid the advance of government forces.

About 2,000 civilians fled to the western neighbourhoods over the past 24 hours and about 3,200 to the northern suburbs, according to the Syrian Observatory for Human Rights.

State television showed buses waiting at the crossing.

This is nonsense, I saw the crossing myself. More like 50000 civilians fleeing, not 5,000.

My brother says the Observatory claim of 5000 civilians fleeing is about right.

Dana Fields

I don't trust any of these numbers.
"""


@pytest.fixture(scope="session")
def flight_page():
    from crosscount import analyze
    from crosscount.ingest import read_text

    return analyze(read_text(FLIGHT_PAGE, "flight"))


def figure_at(analysis, text: str, occurrence: int = 0):
    """The figure whose span starts at the n-th occurrence of `text` in the document."""
    start = -1
    for _ in range(occurrence + 1):
        start = analysis.document.text.index(text, start + 1)
    for figure in analysis.figures:
        if figure.start <= start < figure.end or start <= figure.start < start + len(text):
            return figure
    raise AssertionError(f"no figure at {text!r}; figures: {[f.text for f in analysis.figures]}")
