"""Score figures against a gold file, by the matching rules of the shared scorer.

Gold: one document a line, {"id", "text" (the text, or a path relative to the gold
file), "published", "outlet", "figures": [...]}. A predicted figure matches a gold one
when their spans overlap and their values agree (within 1 %, open bounds equal) or the
gold value is vague; pairs are chosen greedily by overlap, one to one. Reported:
detection precision/recall/F1, attribute accuracies over matched pairs, and strict F1
(category and source right too).
"""
from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .ingest import read_text
from .ingest.corpus import parse_date_field
from .model import Analysis, Figure
from .pipeline import analyze
from .settings import DEFAULT, Settings


def load_gold(path: str | Path) -> list[dict[str, Any]]:
    path = Path(path)
    documents = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            if line.strip():
                documents.append(json.loads(line))
    return documents


def gold_text(document: dict[str, Any], gold_path: Path) -> str:
    """A gold document's text: inline, or a file named relative to the gold file."""
    text = document["text"]
    candidate = gold_path.parent / text
    if len(text) < 500 and "\n" not in text and candidate.is_file():
        return candidate.read_text(encoding="utf-8")
    return text


def analyze_gold(gold_path: str | Path, settings: Settings = DEFAULT) -> Iterator[Analysis]:
    gold_path = Path(gold_path)
    for document in load_gold(gold_path):
        text = gold_text(document, gold_path)
        doc = read_text(text, str(document["id"]), published=parse_date_field(document.get("published")),
                        outlet=document.get("outlet"), settings=settings)
        yield analyze(doc, settings)


def prediction_record(figure: Figure) -> dict[str, Any]:
    """A figure as the scorer reads it (the JSON output, flattened)."""
    return {
        "start": figure.start, "end": figure.end, "text": figure.text,
        "low": figure.low, "high": figure.high, "vague": figure.vague,
        "category": figure.category, "who": figure.who,
        "source": figure.source.name if figure.source else None,
        "certainty": figure.certainty, "section": figure.section,
        "place": figure.place.name if figure.place else None,
    }


# ---------------------------------------------------------------- matching rules
def _close(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(a - b) <= 0.01 * max(abs(a), abs(b), 1)


def _value_ok(pred: dict, gold: dict) -> bool:
    return bool(gold.get("vague")) or (_close(pred.get("low"), gold.get("low"))
                                       and _close(pred.get("high"), gold.get("high")))


def _norm(name: str | None) -> str:
    name = (name or "").strip().lower()
    return name[4:] if name.startswith("the ") else name


def _source_name(source: Any) -> str | None:
    return source.get("name") if isinstance(source, dict) else source


def source_ok(pred: dict, gold: dict) -> bool:
    wanted = gold.get("source")
    got = _norm(_source_name(pred.get("source")))
    if not wanted:
        return not got
    return got in {_norm(wanted["name"]), *map(_norm, wanted.get("aliases", []))}


def _overlap(pred: dict, gold: dict) -> int:
    return min(pred["end"], gold["end"]) - max(pred["start"], gold["start"])


def match(preds: list[dict], golds: list[dict]) -> list[tuple[dict, dict]]:
    candidates = sorted(((_overlap(p, g), i, j) for i, p in enumerate(preds)
                         for j, g in enumerate(golds) if _overlap(p, g) > 0 and _value_ok(p, g)),
                        reverse=True)
    used_pred, used_gold, pairs = set(), set(), []
    for _, i, j in candidates:
        if i not in used_pred and j not in used_gold:
            used_pred.add(i)
            used_gold.add(j)
            pairs.append((preds[i], golds[j]))
    return pairs


def _prf(hits: int, predicted: int, wanted: int) -> tuple[float, float, float]:
    precision = hits / predicted if predicted else 0.0
    recall = hits / wanted if wanted else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


@dataclass(frozen=True)
class Score:
    documents: int
    gold: int
    predicted: int
    matched: int
    precision: float
    recall: float
    f1: float
    category_acc: float
    source_acc: float
    who_acc: float
    certainty_acc: float
    strict_f1: float
    # Not in the shared scorer: the guidelines annotate the place "as written", and the
    # events across documents are grouped by it.
    place_acc: float

    def as_dict(self) -> dict[str, float | int]:
        return dict(self.__dict__)


def score(gold: Iterable[dict], predictions: dict[str, list[dict]]) -> Score:
    gold = list(gold)
    n_gold = n_pred = 0
    pairs: list[tuple[dict, dict]] = []
    for document in gold:
        preds = predictions.get(str(document["id"]), [])
        n_gold += len(document["figures"])
        n_pred += len(preds)
        pairs += match(preds, document["figures"])
    hits = len(pairs)
    precision, recall, f1 = _prf(hits, n_pred, n_gold)

    def accuracy(ok) -> float:
        return sum(ok(p, g) for p, g in pairs) / hits if hits else 0.0

    strict = sum(p.get("category") == g.get("category") and source_ok(p, g) for p, g in pairs)
    return Score(
        documents=len(gold), gold=n_gold, predicted=n_pred, matched=hits,
        precision=precision, recall=recall, f1=f1,
        category_acc=accuracy(lambda p, g: p.get("category") == g.get("category")),
        source_acc=accuracy(source_ok),
        who_acc=accuracy(lambda p, g: _norm(p.get("who")) == _norm(g.get("who"))),
        certainty_acc=accuracy(lambda p, g: p.get("certainty") == g.get("certainty")),
        strict_f1=_prf(strict, n_pred, n_gold)[2],
        place_acc=accuracy(lambda p, g: _norm(p.get("place")) == _norm(g.get("place"))),
    )


def evaluate(gold_path: str | Path, settings: Settings = DEFAULT,
             predictions_path: str | Path | None = None) -> Score:
    """Analyse every gold document, score, and optionally write the predictions file."""
    gold = load_gold(gold_path)
    predictions = {a.document.id: [prediction_record(f) for f in a.figures]
                   for a in analyze_gold(gold_path, settings)}
    if predictions_path:
        with open(predictions_path, "w", encoding="utf-8") as handle:
            for document in gold:
                doc_id = str(document["id"])
                handle.write(json.dumps({"id": doc_id, "figures": predictions.get(doc_id, [])}) + "\n")
    return score(gold, predictions)
