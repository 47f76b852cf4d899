"""An event's figures as claims, revisions and contradictions, on hand-made rows."""
from datetime import date

from crosscount.reconcile import group_events

from .test_corpus import place_row


def rows_of(*figures):
    """(key, value, source, day[, extra fields]) as figure rows in one town."""
    rows = []
    for key, value, source, day, *extra in figures:
        row = place_row(key, "Khan Shaykhun", "town", "Idlib Governorate", low=value, published=day)
        row.update(source_name=source, outlet=f"outlet {key}", text=str(value), **(extra[0] if extra else {}))
        rows.append(row)
    return rows


def group(rows):
    texts = {r["document_key"]: f"a report numbered {r['document_key']}" for r in rows}
    return group_events(rows, lambda keys: {k: texts[k] for k in keys})


def test_a_sources_rising_toll_is_a_revision_not_a_contradiction():
    rows = rows_of(("a", 58, "Observatory", date(2017, 4, 4)), ("b", 72, "Observatory", date(2017, 4, 4)),
                   ("c", 86, "Observatory", date(2017, 4, 6)))
    result = group(rows)
    [revision] = [r for r in result.revisions if r["source"] == "Observatory"]
    assert revision["sequence"].startswith("58") and revision["sequence"].endswith("86 (2017-04-06)")
    assert result.contradictions == []


def test_two_sources_that_cannot_both_hold_contradict_once_per_pair_of_claims():
    day = date(2017, 4, 4)
    rows = rows_of(("a", 20, "Ministry", day), ("b", 20, "Ministry", day),
                   ("c", 80, "Monitor", day), ("d", 81, "Monitor", day))
    result = group(rows)
    assert len([c for c in result.claims if c["event_id"] == 1]) == 2
    [contradiction] = result.contradictions
    assert {contradiction["first_source"], contradiction["second_source"]} == {"Ministry", "Monitor"}


def test_a_comments_figure_is_a_claim_of_its_own_that_contradicts_nothing():
    day = date(2017, 4, 4)
    rows = rows_of(("a", 40, "Monitor", day), ("b", 41, "Agency", day),
                   ("b", 40000, None, day, {"figure_no": 1, "section": "comment"}))
    result = group(rows)
    sections = sorted(tuple(c["sections"]) for c in result.claims)
    assert sections == [("body",), ("comment",)]
    assert result.contradictions == []


def test_the_parts_of_a_count_are_one_statement():
    day = date(2016, 11, 27)
    rows = rows_of(("a", 1700, "Observatory", day), ("a", 2500, "Observatory", day,
                                                       {"figure_no": 1, "relation": "sibling", "related": 0}),
                   ("b", 4200, "Agency", day))
    # The parts are siblings of one count: their sum, 4,200, is the claim they make.
    result = group([{**r, "relation": r.get("relation")} for r in rows])
    claims = [c for c in result.claims if "Observatory" in c["sources"]]
    assert claims and claims[0]["value"] == 4200 and "Agency" in claims[0]["sources"]


def test_one_reports_claims_keep_a_comment_apart_from_the_article(flight_page):
    from crosscount.reconcile import document_claims

    claims = [c for c in document_claims(flight_page) if c["category"] == "displaced"]
    article = [c for c in claims if "headline" in c["sections"]]
    assert len(article) == 1 and "'About 2,000' + 'about 3,200'" in article[0]["statements"]
    apart = [c for c in claims if c["sections"] == ["comment"]]
    assert [c["value"] for c in apart] == [50000]


def test_any_overlap_agrees_with_every_pair():
    import random

    from crosscount.reconcile.intervals import any_overlap, overlap

    rng = random.Random(3)
    for _ in range(500):
        sides = [[tuple(sorted((rng.uniform(0, 100), rng.uniform(0, 100)))) for _ in range(rng.randint(0, 6))]
                 for _ in range(2)]
        assert any_overlap(*sides) == any(overlap(a, b) for a in sides[0] for b in sides[1])
