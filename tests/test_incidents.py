"""Incidents: reports of one incident joined across a corpus by the people, ages, places
and title words they share, and not by a site's template or a place alone."""
import json
from datetime import date

import duckdb

from crosscount import Corpus, Settings, analyze
from crosscount.ingest import read_text
from crosscount.reconcile import ReportDescriptor, find_copies, find_incidents, link_reports

SHOOTING = ("Two killed outside Marlow diner",
            "Two people were killed outside a diner in Springfield on Friday night, police said. "
            "The victims were Daniel Okafor, 34, and Peter Lindqvist, 29. A third man was wounded.")
FOLLOW_UP = ("Man charged in Marlow diner killings",
             "A 41-year-old man was charged on Tuesday with murder in the deaths of Daniel Okafor and "
             "Peter Lindqvist, who were shot outside a diner in Springfield last month.")
OTHER = ("Woman wounded in Elmwood shooting",
         "A woman was wounded in a shooting in Shelbyville on Saturday, police said. Her name was "
         "not released.")
TEMPLATE = "\nMost read: Harriet Quimby Sworn In As Board Chair\n"


def descriptors_of(key: str, title: str, body: str) -> list[ReportDescriptor]:
    analysis = analyze(read_text(f"{title}\n\n{body}", key, find_thread=False))
    return [ReportDescriptor(key, d.kind, d.value, d.line) for d in analysis.descriptors]


def test_reports_naming_the_same_people_are_one_incident_weeks_apart():
    reports = {"a": SHOOTING, "b": FOLLOW_UP, "c": OTHER}
    published = {"a": date(2020, 3, 6), "b": date(2020, 4, 7), "c": date(2020, 3, 7)}
    descriptors = [d for key, (title, body) in reports.items() for d in descriptors_of(key, title, body)]
    incident = link_reports(descriptors, published)
    assert incident["a"] == incident["b"]
    assert incident["c"] != incident["a"]


def test_a_sites_template_line_joins_nothing():
    published = {f"r{n}": date(2020, 3, 6 + n * 10) for n in range(3)}
    descriptors = []
    for n in range(3):
        title, body = (f"Story number {n}", f"A report about something else entirely, number {n}.")
        descriptors += descriptors_of(f"r{n}", title, body + TEMPLATE)
    incident = link_reports(descriptors, published)
    assert len({incident["r0"], incident["r1"], incident["r2"]}) == 3


def test_a_corpus_run_stores_incidents_and_ties_events_to_them(tmp_path):
    corpus = tmp_path / "reports.jsonl"
    rows = [{"id": "a", "title": SHOOTING[0], "text": SHOOTING[1], "date": "2020-03-06"},
            {"id": "b", "title": "Diner shooting leaves two dead in Springfield",
             "text": "Two people were killed outside a diner in Springfield on Friday, police said. They "
                     "were named as Daniel Okafor and Peter Lindqvist.", "date": "2020-03-07"},
            {"id": "c", "title": OTHER[0], "text": OTHER[1], "date": "2020-03-07"}]
    corpus.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    db = tmp_path / "store.duckdb"
    Corpus(db, Settings()).run([corpus])
    with duckdb.connect(str(db), read_only=True) as connection:
        members = dict(connection.execute("SELECT document_key, incident_id FROM incident_members").fetchall())
        assert members["a"] == members["b"] != members["c"]
        tied = connection.execute("SELECT DISTINCT incident_id FROM events WHERE category = 'killed'").fetchall()
        assert tied == [(members["a"],)]


def test_an_event_across_two_incidents_names_the_same_one_on_every_run():
    from crosscount.reconcile import group_events

    from .test_corpus import place_row

    rows = [place_row(key, "Khan Shaykhun", "town", "Idlib Governorate") for key in ("b", "a")]
    texts = {"a": "one report", "b": "another report"}
    [event] = group_events(rows, lambda keys: {k: texts[k] for k in keys}, incident_of={"a": 7, "b": 3}).events
    assert event.incident_id == 3


def test_a_report_without_a_figure_joins_the_event_as_implicit_evidence(tmp_path):
    """"A man was shot and killed" gives no figure, yet tells of the same shooting: the
    report joins the event as evidence, and the event's values stay the figures'."""
    corpus = tmp_path / "reports.jsonl"
    rows = [{"id": "counted", "title": "Three killed in Springfield shooting", "date": "2020-03-06",
             "text": "Three people were killed in a shooting in Springfield on Friday night, police said."},
            {"id": "told", "title": "Springfield shooting leaves man dead", "date": "2020-03-06",
             "text": "A man was shot and killed in Springfield on Friday night. Police have made no arrests."},
            {"id": "elsewhere", "title": "Man killed in Shelbyville", "date": "2020-03-06",
             "text": "A man was shot and killed in Shelbyville on Friday night, police said."}]
    corpus.write_text("\n".join(json.dumps(r) for r in rows), encoding="utf-8")
    db = tmp_path / "store.duckdb"
    corpus_store = Corpus(db)
    corpus_store.run([corpus])
    [event] = corpus_store.events(category="killed")
    # The counted report's headline and body figures; the told report's implicit count.
    assert (event.n_documents, event.n_figures, event.minimum, event.maximum) == (2, 2, 3, 3)
    assert event.n_contradictions == 0
    evidence = {(f["document_key"], f["implicit"], f["low"]) for f in event.figures}
    assert evidence == {("counted", False, 3), ("told", True, 1)}
    with duckdb.connect(str(db), read_only=True) as connection:
        # Elsewhere's counts are stored, and join no event: no report of theirs has a figure.
        assert connection.execute("SELECT count(*) FROM implicit_counts WHERE document_key = 'elsewhere'"
                                  ).fetchone()[0] > 0


PAYWALL = ("You have read your free articles this month. Subscribe now for unlimited access to local "
           "news, sports, weather and more, and get our morning newsletter in your inbox every day. ")


def test_copies_are_one_report_and_a_shared_template_makes_no_copy():
    story = f"{SHOOTING[1]} Investigators asked anyone with information to call the police. " * 2
    texts = {"wire1": story, "wire2": story + " Copyright 2020.", "wire3": "Updated. " + story,
             "later": story,
             "pay1": PAYWALL * 3 + "A dog was rescued from a well.", "pay2": PAYWALL * 3 + "A bakery opened."}
    published = {k: date(2020, 3, 6) for k in texts} | {"later": date(2020, 5, 1), "pay2": date(2020, 3, 7)}
    titles = {"wire1": SHOOTING[0], "wire2": SHOOTING[0], "wire3": SHOOTING[0] + ", police say",
              "later": SHOOTING[0], "pay1": "Dog rescued from well", "pay2": "New bakery opens downtown"}
    copies = find_copies(texts, lambda keys: {k: texts[k] for k in keys}, published, titles)
    assert copies["wire1"] == copies["wire2"] == copies["wire3"]
    assert "later" not in copies    # the same words months later: a rerun, not a copy of that day
    assert "pay1" not in copies and "pay2" not in copies


def test_copies_on_three_sites_are_one_incident_though_every_line_repeats():
    """Lines on three pages look like a site's template; three copies of one story are one
    report, so their words still tell the incident."""
    keys = ["s1", "s2", "s3", "t1"]
    descriptors = [d for key in keys[:3] for d in descriptors_of(key, *SHOOTING)]
    descriptors += descriptors_of("t1", "Diner shooting victims named", SHOOTING[1].split(". ", 1)[1])
    published = {k: date(2020, 3, 6) for k in keys}
    copies = {"s1": "s1", "s2": "s1", "s3": "s1"}
    alone, _, _ = find_incidents([(d.report, d.kind, d.value, d.line) for d in descriptors], published, [])
    assert alone["t1"] != alone["s1"]
    incident, _, _ = find_incidents([(d.report, d.kind, d.value, d.line) for d in descriptors], published, [],
                                    copies=copies)
    assert incident["s1"] == incident["s2"] == incident["s3"] == incident["t1"]


def test_a_roundup_joins_the_incident_it_tells_most_of_and_never_chains_two():
    """A report whose figures lie in many places joins one incident at most: its strongest."""
    def named(report, names, line):
        return [ReportDescriptor(report, "name", n, line) for n in names]
    first = ["okafor", "lindqvist", "daniel", "peter", "marlow", "springfield"]
    second = ["quimby", "harriet", "marlowe", "elmwood", "shelby", "ventura"]
    descriptors = (named("a", first, 1) + named("b", second, 2)
                   + named("roundup", first, 3) + named("roundup", second[:5], 4))
    published = {k: date(2020, 3, 6) for k in ("a", "b", "roundup")}
    incident = link_reports(descriptors, published, roundups=frozenset({"roundup"}))
    assert incident["roundup"] == incident["a"]
    assert incident["b"] != incident["a"]
