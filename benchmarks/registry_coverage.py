"""How many documents of the shared corpora each registry and lexicon entry matches.

An entry that matches one document or none is either written for that document (and
should go) or names a general pattern or a generally known entity (and should say so).
Counted per corpus: FA-KES (Syrian war news), GVA (US gun-violence news), the world
dev texts (news and agency reports from 20 other countries), and all together.

usage: python benchmarks/registry_coverage.py [--at-most N] [--kind sources|places|rules]
       [--all]   (every entry, not only those matching at most N documents)
"""
from __future__ import annotations

import argparse
import json
import re
import tomllib
from collections import defaultdict
from pathlib import Path

from crosscount import Settings
from crosscount.registry import PhraseIndex, Words, read_jsonl, shipped
from crosscount.registry.language import SECTIONS

SHARED = Path(__file__).resolve().parents[2] / "shared"


def corpora() -> dict[str, list[str]]:
    texts: dict[str, list[str]] = {"fakes": [], "gva": [], "world": []}
    for name, path in (("fakes", SHARED / "corpora" / "fa-kes.jsonl"),
                       ("gva", SHARED / "corpora" / "gva" / "articles.jsonl")):
        with open(path, encoding="utf-8") as handle:
            for line in handle:
                row = json.loads(line)
                texts[name].append(f"{row.get('title') or ''}\n{row.get('text') or ''}")
    texts["world"] = [p.read_text(encoding="utf-8") for p in sorted((SHARED / "eval" / "docs-world").glob("*.txt"))]
    return texts


def count_names(phrases: dict[str, list[str]], texts: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """For each entry, the documents of each corpus that name it (any of its phrases), as
    crosscount matches names: word by word, short acronyms only as written."""
    owners: dict[str, set[str]] = defaultdict(set)
    for entry, items in phrases.items():
        for phrase in items:
            owners[phrase].add(entry)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    # One phrase at a time, so that a phrase inside a longer one still counts.
    for phrase, entries in owners.items():
        index = PhraseIndex([(phrase, phrase)])
        for corpus, documents in texts.items():
            found = sum(1 for words in documents if index.find(words))
            for entry in entries:
                counts[entry][corpus] = max(counts[entry][corpus], found)
    return counts


def count_words(phrases: dict[str, list[str]], texts: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    """For each rules entry, the documents of each corpus holding it as whole words."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    folded = {corpus: [(text.lower(), set(re.findall(r"[\w'’.-]+|[^\w\s]", text.lower()))) for text in documents]
              for corpus, documents in texts.items()}
    for entry, items in phrases.items():
        for phrase in items:
            word = phrase.lower().strip()
            if " " in word:
                pattern = re.compile(r"(?<![\w-])" + re.escape(word).replace(r"\ ", r"\s+") + r"(?![\w-])")
                test = lambda pair: bool(pattern.search(pair[0]))  # noqa: E731
            else:
                test = lambda pair: word in pair[1] or word.rstrip(".") in pair[1]  # noqa: E731
            for corpus, documents in folded.items():
                counts[entry][corpus] = max(counts[entry][corpus], sum(1 for pair in documents if test(pair)))
    return counts


def rules_entries(folder: Path) -> dict[str, list[str]]:
    """Every word of every word list of the language's rules files (patterns are counted
    as loaded, by compiled_patterns)."""
    words: dict[str, list[str]] = {}
    for section in SECTIONS:
        data = tomllib.loads((folder / f"{section.name}.toml").read_text(encoding="utf-8"))

        def walk(value, where: str) -> None:
            if isinstance(value, dict):
                for key, item in value.items():
                    walk(item if not isinstance(item, (int, float)) else None, f"{where}.{key}")
                    if isinstance(item, (int, float)) and not isinstance(item, bool):
                        words[f"{where}: {key}"] = [key]
            elif isinstance(value, list):
                for item in value:
                    if isinstance(item, str) and not _is_pattern(item):
                        words[f"{where}: {item}"] = [item.strip()]

        for key, value in data.items():
            if not key.startswith("_"):
                walk(value, f"{section.name}.{key}")
    return words


def _is_pattern(text: str) -> bool:
    return bool(re.search(r"[\\()\[\]|?*+^$]", text))


def compiled_patterns(settings) -> dict[str, re.Pattern]:
    """Every pattern rule as the language loads it (templates filled in, its own flags),
    named by file and key; patterns derived from word lists are counted as those words."""
    import dataclasses

    from crosscount.registry import language

    lang = language(settings)
    derived = {"phrase_patterns", "denial", "disease_mention", "leading_noise_pattern", "conjunction_pattern",
               "type_word"}
    found: dict[str, re.Pattern] = {}
    for section in SECTIONS:
        rules = getattr(lang, section.name)
        for field in dataclasses.fields(rules):
            if field.name in derived:
                continue
            value = getattr(rules, field.name)
            if isinstance(value, re.Pattern):
                found[f"{section.name}.{field.name}"] = value
            elif isinstance(value, (tuple, list)) and value and all(isinstance(v, re.Pattern) for v in value):
                for item in value:
                    found[f"{section.name}.{field.name}: {item.pattern[:100]}"] = item
    return found


def _anywhere(pattern: re.Pattern) -> re.Pattern:
    """Patterns the rules run on a window that ends where a figure starts ("bringing the
    toll to$") or on one line ("^comments$") are counted wherever they would match."""
    text, flags = pattern.pattern, pattern.flags
    if text.endswith("$") and not text.endswith("\\$"):
        text = re.sub(r"(?:\\s\*)?\$$", "", text)
    if text.startswith("^"):
        flags |= re.MULTILINE
    return re.compile(text, flags)


def count_patterns(patterns: dict[str, re.Pattern], texts: dict[str, list[str]]) -> dict[str, dict[str, int]]:
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for name, pattern in patterns.items():
        compiled = _anywhere(pattern)
        for corpus, documents in texts.items():
            counts[name][corpus] = sum(1 for text in documents if compiled.search(text))
    return counts


def report(title: str, counts: dict[str, dict[str, int]], entries, at_most: int, show_all: bool) -> None:
    rows = []
    for entry in entries:
        per = counts.get(entry, {})
        total = sum(per.values())
        if show_all or total <= at_most:
            rows.append((total, entry, per))
    print(f"\n## {title}: {len(rows)} of {len(entries)} entries" +
          ("" if show_all else f" match {at_most} document(s) or fewer"))
    print(f"{'all':>5} {'fakes':>6} {'gva':>5} {'world':>6}  entry")
    for total, entry, per in sorted(rows, key=lambda r: (r[0], r[1])):
        print(f"{total:>5} {per.get('fakes', 0):>6} {per.get('gva', 0):>5} {per.get('world', 0):>6}  {entry}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--at-most", type=int, default=1)
    parser.add_argument("--kind", choices=("sources", "places", "rules"), action="append")
    parser.add_argument("--all", action="store_true")
    args = parser.parse_args()
    kinds = args.kind or ["sources", "places", "rules"]
    texts = corpora()
    words_of = {corpus: [Words.of(text) for text in documents] for corpus, documents in texts.items()}
    print(f"documents: FA-KES {len(texts['fakes'])}, GVA {len(texts['gva'])}, world {len(texts['world'])}")
    if "sources" in kinds:
        phrases = {row["name"]: [row["name"], *row.get("aliases", ())] for row in read_jsonl(shipped("sources.jsonl"))}
        report("sources (name or any alias)", count_names(phrases, words_of), list(phrases), args.at_most, args.all)
        descriptors = {f"{row['name']}: {d}": [d] for row in read_jsonl(shipped("sources.jsonl"))
                       for d in row.get("descriptors", ())}
        report("source descriptors", count_words(descriptors, texts), list(descriptors), args.at_most, args.all)
    if "places" in kinds:
        phrases = {}
        for row in read_jsonl(shipped("places.jsonl")):
            name = row.get("name") or f"more names for {row['alias_of']}"
            phrases[name] = [*([row["name"]] if "name" in row else []), *row.get("aliases", ())]
        report("places (name or any alias)", count_names(phrases, words_of), list(phrases), args.at_most, args.all)
    if "rules" in kinds:
        words = rules_entries(shipped("en"))
        report("rules: words and phrases", count_words(words, texts), list(words), args.at_most, args.all)
        patterns = compiled_patterns(Settings())
        report("rules: patterns", count_patterns(patterns, texts), list(patterns), args.at_most, args.all)


if __name__ == "__main__":
    main()
