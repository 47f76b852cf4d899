"""The public API is the one door: the faces (CLI, HTTP API, engines) import only the
names `crosscount` exports, so that reading, analysing, checking and storing a document
is wired in one place."""
import ast
from pathlib import Path

import pytest

import crosscount
from crosscount import Event

PACKAGE = Path(crosscount.__file__).parent
# Each face, and the modules of its own package it may import besides the public API.
FACES = {
    "cli.py": {"web.app"},
    "web/app.py": set(),
    "engines/local.py": {"workers"},
    "engines/workers.py": set(),
    "engines/spark.py": {"workers"},
    "engines/spark_submit.py": {"spark"},
}


def _internal_imports(path: Path) -> list[str]:
    """The crosscount modules a file imports, relative imports spelled out."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level:
            found.append("." * node.level + (node.module or ""))
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("crosscount."):
            found.append(node.module)
        elif isinstance(node, ast.Import):
            found += [alias.name for alias in node.names if alias.name.startswith("crosscount.")]
    return found


@pytest.mark.parametrize("face", sorted(FACES))
def test_faces_call_only_the_public_api(face):
    path = PACKAGE / face
    depth = face.count("/") + 1     # "from ." in cli.py, "from .." in web/app.py
    public = "." * depth
    siblings = {"." + name for name in FACES[face]}
    strays = [name for name in _internal_imports(path) if name != public and name not in siblings]
    assert strays == [], f"{face} reaches past the public API: {strays}"


def test_the_rule_catches_a_face_that_reaches_inside(tmp_path):
    face = tmp_path / "face.py"
    face.write_text("from .. import analyze\nfrom ..pipeline import prepare\n", encoding="utf-8")
    assert _internal_imports(face) == ["..", "..pipeline"]


def test_every_public_name_is_there():
    missing = [name for name in crosscount.__all__ if not hasattr(crosscount, name)]
    assert missing == []


def test_an_event_is_its_columns_plus_the_evidence_read_with_it():
    columns = {name: None for name in Event.__dataclass_fields__ if name not in Event.EVIDENCE}
    columns.update(event_id=3, category="killed", summary="killed in Testville")
    plain = Event.from_row(columns)
    assert plain.row() == columns and plain.figures == ()
    detailed = Event.from_row(columns, claims=[{"claim_no": 1}])
    assert detailed.claims == ({"claim_no": 1},) and detailed.row() == columns


def test_a_stream_analysed_with_batched_parses_gives_what_each_analysis_gives(monkeypatch):
    import crosscount.pipeline as pipeline

    texts = [f"{n + 2} people were killed in Homs on Monday, the governor told reporters who "
             f"asked him." for n in range(9)] + ["Nothing was counted here."]
    documents = [crosscount.read_string(text, doc_id=f"d{n}") for n, text in enumerate(texts)]
    batched = list(crosscount.analyze_all(documents, batch=4))
    assert [document.id for document, _ in batched] == [d.id for d in documents]
    assert all(analysis.figures == crosscount.analyze(document).figures for document, analysis in batched)
    assert sum(bool(crosscount.prepare(d).to_parse) for d in documents) > 4   # batches hold parses

    real_finish = pipeline.finish

    def fails_on_d3(prepared, speakers, settings):
        if prepared.document.id == "d3":
            raise KeyError("d3's own trouble")
        return real_finish(prepared, speakers, settings)
    monkeypatch.setattr(pipeline, "finish", fails_on_d3)
    outcomes = dict(crosscount.analyze_all(documents, batch=4))
    assert isinstance(outcomes[documents[3]], KeyError)
    assert all(isinstance(o, crosscount.Analysis) for d, o in outcomes.items() if d.id != "d3")


def test_a_failed_batch_of_parses_leaves_each_request_its_own_outcome(monkeypatch):
    import crosscount.pipeline as pipeline

    real_parse_many = pipeline.parse_many

    def fragile(requests, settings=crosscount.DEFAULT, budget=None):
        if any("unparseable" in text for request in requests for _, text in request):
            raise ValueError("the parser choked")
        return real_parse_many(requests, settings, budget)
    monkeypatch.setattr(pipeline, "parse_many", fragile)
    requests = [[(0, "Officials said 12 people were killed.")], [(0, "An unparseable sentence.")], []]
    good, bad, empty = crosscount.parse_each(requests)
    assert 0 in good and isinstance(bad, ValueError) and empty == {}
