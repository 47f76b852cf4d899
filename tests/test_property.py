"""Random and mutated inputs through ingest and analyze: nothing may escape."""
from hypothesis import HealthCheck, given, settings, strategies as st

from crosscount import analyze
from crosscount.ingest import UnreadableInput, read_bytes, read_string

from .conftest import EXAMPLE

SEED = EXAMPLE.read_text(encoding="utf-8")
FRAGMENTS = ["<p>", "</p>", "<script>alert(1)</script>", "<div class='comment'>", "&amp;", "“",
             "”", "\u202e", "\ufeff", "\x00", "9" * 400, "1,000,000,000,000,000", "at least ",
             "according to ", " said", "\n\n", "Comments\n\n", "ﷺ", "🇸🇾", "\u0301", "e\u0301",
             "dozens of", "killed", "-", "..."]


def mutate(data, text: str) -> str:
    for _ in range(data.draw(st.integers(0, 6))):
        at = data.draw(st.integers(0, len(text)))
        choice = data.draw(st.integers(0, 2))
        if choice == 0:
            text = text[:at] + data.draw(st.sampled_from(FRAGMENTS)) + text[at:]
        elif choice == 1:
            text = text[:at] + text[at + data.draw(st.integers(0, 200)):]
        else:
            text = text[:at] + data.draw(st.text(max_size=30)) + text[at:]
    return text


def _safely(make):
    try:
        document = make()
    except UnreadableInput:
        return
    analysis = analyze(document)
    for figure in analysis.figures:
        assert 0 <= figure.start < figure.end <= len(document.text)


@settings(max_examples=600, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.data())
def test_mutated_reports_never_raise(data):
    _safely(lambda: read_string(mutate(data, SEED), "m"))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.binary(max_size=3000))
def test_random_bytes_never_raise(data):
    _safely(lambda: read_bytes(data, "b"))


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(st.text(max_size=2000))
def test_random_text_never_raises(text):
    _safely(lambda: read_string(text, "t"))
