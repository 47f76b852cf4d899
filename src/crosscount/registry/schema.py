"""The one place registry files are read, checked and merged.

A language's rules live in TOML files (`registry/<language>/*.toml`), one file per stage;
a frozen dataclass per file is its schema. Each field says what kind of value it holds,
and the loader turns the file's raw value into the field's working form:

  words      a list of lower-case words or phrases        -> frozenset[str]
  ordered    a list whose order matters                   -> tuple[str, ...]
  word_map   a table of lists ({key: [word, ...]})        -> {word: key}
  groups     a table of lists                             -> {key: tuple[str, ...]}
  numbers    a table of numbers                           -> {word: number}
  fragment   a piece of a regular expression              -> str (templates expanded)
  pattern    a regular expression                         -> re.Pattern
  patterns   a table of regular expressions               -> {name: re.Pattern}
  pattern_union  a list of regular expressions, any of which -> one re.Pattern
  ranges     a table of regular expression -> [low, high] -> ((re.Pattern, low, high), ...)
  records    a table of tables of declared keys           -> {name: {key: value}}
  pairs      a list of [a, b] pairs of strings             -> ((a, b), ...)
  integer, text

Templates: a fragment or pattern may name a list or a fragment in braces, `{name}`
(`{name.key}` for one key of a table, `{a|b}` for several lists, `{section/name}` for
another file's field); a list becomes an alternation, longest first, with its words
escaped and spaces matching any white space. Checks: unknown, missing and mistyped keys,
a word listed twice in one list, a word under two keys of one table, patterns that do
not compile. Users extend the shipped files with files of the same shape
(`Settings.extra_lexicons`): their lists are added, their tables merged, their patterns
replace the shipped ones; a user's word listed under another key of a table moves there.
"""
from __future__ import annotations

import json
import re
import tomllib
from dataclasses import MISSING, dataclass, field, fields
from pathlib import Path
from typing import Any

KINDS = ("words", "ordered", "word_map", "groups", "numbers", "fragment", "pattern", "patterns",
         "pattern_union", "ranges", "records", "pairs", "integer", "text")


class RegistryError(ValueError):
    """A registry or lexicon file that does not fit its schema; says which file and key."""


def rule(kind: str, *, flags: int = re.IGNORECASE, lower: bool = True, default: Any = MISSING,
         record: dict[str, str] | None = None):
    """A schema field: `kind` as above; `flags` for patterns; `lower` for word lists (words
    are matched on folded text, so they must be written in lower case); `record` for
    records: each key's kind ("text", "ordered", ...; a "?" suffix makes it optional)."""
    assert kind in KINDS, kind
    metadata = {"kind": kind, "flags": flags, "lower": lower, "record": record or {}}
    if default is MISSING:
        return field(metadata=metadata)
    return field(metadata=metadata, default=default)


def read_file(path: Path) -> dict[str, Any]:
    """A TOML or JSON file as a table; a clear error for anything else."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise RegistryError(f"{path}: cannot read: {error.strerror or error}") from error
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(raw)
        else:
            data = tomllib.loads(raw.decode("utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise RegistryError(f"{path}: not valid {path.suffix.lstrip('.').upper() or 'TOML'}: {error}") from error
    if not isinstance(data, dict):
        raise RegistryError(f"{path}: the file must hold a table of keys")
    return data


# ---------------------------------------------------------------- checks
def _is_list_of_strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) and item.strip() for item in value)


def check_section(schema: type, data: dict[str, Any], where: str, partial: bool = False) -> None:
    """Raise RegistryError if `data` does not fit `schema` (a dataclass of rule fields).
    `partial`: a user file, which may leave keys out."""
    known = {f.name: f for f in fields(schema) if f.init}
    for key in data:
        if key.startswith("_"):
            continue    # comments kept as data ("_about")
        if key not in known:
            raise RegistryError(f"{where}: unknown key {key!r} (known: {', '.join(sorted(known))})")
    for name, spec in known.items():
        if name not in data:
            if not partial and spec.default is MISSING:
                raise RegistryError(f"{where}: missing key {name!r}")
            continue
        _check_value(spec.metadata["kind"], spec.metadata["lower"], data[name], f"{where}: {name}",
                     spec.metadata["record"], partial)


def _check_value(kind: str, lower: bool, value: Any, where: str, record: dict[str, str],
                 partial: bool = False) -> None:
    if kind in ("words", "ordered"):
        if not _is_list_of_strings(value):
            raise RegistryError(f"{where}: must be a list of non-empty strings")
        _check_unique(value, where)
        if lower and kind == "words":
            capitalised = [w for w in value if w != w.lower()]
            if capitalised:
                raise RegistryError(f"{where}: words are matched in lower case: {capitalised[:3]}")
    elif kind in ("word_map", "groups"):
        if not isinstance(value, dict) or not all(_is_list_of_strings(v) for v in value.values()):
            raise RegistryError(f"{where}: must be a table of lists of strings")
        owner: dict[str, str] = {}
        for key, words in value.items():
            _check_unique(words, f"{where}.{key}")
            for word in words:
                if lower and word != word.lower():
                    raise RegistryError(f"{where}.{key}: words are matched in lower case: {word!r}")
                if kind == "word_map" and word in owner:
                    raise RegistryError(f"{where}: {word!r} is listed under both {owner[word]!r} and {key!r}")
                owner[word] = key
    elif kind == "numbers":
        if not isinstance(value, dict) or not all(
                isinstance(v, (int, float)) and not isinstance(v, bool) for v in value.values()):
            raise RegistryError(f"{where}: must be a table of numbers")
    elif kind in ("fragment", "pattern", "text"):
        if not isinstance(value, str) or not value.strip():
            raise RegistryError(f"{where}: must be a non-empty string")
    elif kind == "patterns":
        if not isinstance(value, dict) or not all(isinstance(v, str) and v.strip() for v in value.values()):
            raise RegistryError(f"{where}: must be a table of strings")
    elif kind == "pattern_union":
        if not _is_list_of_strings(value):
            raise RegistryError(f"{where}: must be a list of regular expressions")
        _check_unique(value, where)
    elif kind == "ranges":
        if not isinstance(value, dict) or not all(
                isinstance(v, list) and len(v) == 2 and all(isinstance(n, (int, float)) for n in v) and v[0] <= v[1]
                for v in value.values()):
            raise RegistryError(f"{where}: must be a table of [low, high] number pairs")
    elif kind == "records":
        if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
            raise RegistryError(f"{where}: must be a table of tables")
        for name, item in value.items():
            for key in item:
                if key not in record:
                    raise RegistryError(f"{where}.{name}: unknown key {key!r} (known: {', '.join(record)})")
            for key, item_kind in record.items():
                if key not in item:
                    if not item_kind.endswith("?") and not partial:
                        raise RegistryError(f"{where}.{name}: missing key {key!r}")
                    continue
                _check_value(item_kind.rstrip("?"), lower, item[key], f"{where}.{name}.{key}", {})
    elif kind == "pairs":
        if not isinstance(value, list) or not all(
                isinstance(v, list) and len(v) == 2 and all(isinstance(x, str) for x in v) for v in value):
            raise RegistryError(f"{where}: must be a list of [a, b] pairs of strings")
    elif kind == "integer":
        if not isinstance(value, int) or isinstance(value, bool):
            raise RegistryError(f"{where}: must be an integer")


def _check_unique(words: list[str], where: str) -> None:
    seen: set[str] = set()
    for word in words:
        if word in seen:
            raise RegistryError(f"{where}: {word!r} is listed twice")
        seen.add(word)


# ---------------------------------------------------------------- merging user files
def merge_section(schema: type, shipped: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """The shipped section extended by a user's: lists added, tables merged, strings replaced."""
    kinds = {f.name: f.metadata["kind"] for f in fields(schema) if f.init}
    merged = dict(shipped)
    for name, value in extra.items():
        kind = kinds.get(name)
        if kind is None:
            continue
        if kind in ("words", "ordered"):
            merged[name] = list(dict.fromkeys([*merged.get(name, []), *value]))
        elif kind == "pairs":
            merged[name] = [*value, *merged.get(name, [])]    # the user's first: more specific
        elif kind in ("word_map", "groups"):
            table = {k: list(v) for k, v in merged.get(name, {}).items()}
            for key, words in value.items():
                if kind == "word_map":    # a word belongs to one key: the user's
                    for other in table.values():
                        other[:] = [w for w in other if w not in words]
                table[key] = list(dict.fromkeys([*table.get(key, []), *words]))
            merged[name] = table
        elif kind == "pattern_union":
            merged[name] = list(dict.fromkeys([*merged.get(name, []), *value]))
        elif kind in ("numbers", "patterns", "ranges"):
            merged[name] = {**merged.get(name, {}), **value}
        elif kind == "records":
            table = {k: dict(v) for k, v in merged.get(name, {}).items()}
            for key, item in value.items():
                current = table.setdefault(key, {})
                for field_name, field_value in item.items():
                    if isinstance(field_value, list):
                        current[field_name] = list(dict.fromkeys([*current.get(field_name, []), *field_value]))
                    else:
                        current[field_name] = field_value
            merged[name] = table
        else:
            merged[name] = value
    return merged


# ---------------------------------------------------------------- building
_REFERENCE = re.compile(r"\{([A-Za-z_][\w./|]*)\}")


def alternation(words) -> str:
    """Words or phrases as one regular-expression alternation, longest first (so that
    "more than" wins over "more"), spaces matching any run of white space."""
    ordered = sorted(dict.fromkeys(words), key=len, reverse=True)
    return "|".join(re.escape(w).replace(r"\ ", r"\s+") for w in ordered)


class _Expander:
    """Expands `{name}` references in fragments and patterns against raw section data."""

    def __init__(self, root: dict[str, dict[str, Any]], kinds: dict[str, dict[str, str]]) -> None:
        self.root = root
        self.kinds = kinds

    def expand(self, template: str, section: str, where: str, depth: int = 0) -> str:
        if depth > 10:
            raise RegistryError(f"{where}: templates refer to each other in a loop")
        return _REFERENCE.sub(lambda m: self._resolve(m.group(1), section, where, depth), template)

    def _resolve(self, reference: str, section: str, where: str, depth: int) -> str:
        parts = []
        for name in reference.split("|"):
            target_section, _, path = name.rpartition("/")
            target_section = target_section or section
            head, _, key = path.partition(".")
            data = self.root.get(target_section, {})
            if head not in data:
                raise RegistryError(f"{where}: {{{name}}} names no key of {target_section!r}")
            kind = self.kinds[target_section][head]
            value = data[head]
            if kind == "fragment":
                parts.append(f"(?:{self.expand(value, target_section, where, depth + 1)})")
                continue
            if key:
                if not isinstance(value, dict) or key not in value:
                    raise RegistryError(f"{where}: {{{name}}}: no {key!r} in {head!r}")
                value = value[key]
            if isinstance(value, dict):
                value = [w for item in value.values() for w in (item if isinstance(item, list) else [])] \
                    or list(value)
            if not isinstance(value, list):
                raise RegistryError(f"{where}: {{{name}}} is not a list or fragment")
            parts.extend(value)
        # Fragments are kept whole; lists of words become one alternation.
        fragments = [p for p in parts if p.startswith("(?:")]
        words = [p for p in parts if not p.startswith("(?:")]
        pieces = fragments + ([alternation(words)] if words else [])
        return "(?:" + "|".join(pieces) + ")"


def build_section(schema: type, data: dict[str, Any], section: str, expander: _Expander, where: str,
                  origins: dict[str, str] | None = None):
    """The schema's dataclass from checked raw data, lists turned into their working form.
    `origins`: the user file each key was last given by, to name it in a fault."""
    values = {}
    for spec in fields(schema):
        if not spec.init or spec.name not in data:
            continue    # the dataclass default applies
        kind, value = spec.metadata["kind"], data[spec.name]
        key_where = f"{(origins or {}).get(spec.name, where)}: {spec.name}"
        if kind == "words":
            values[spec.name] = frozenset(value)
        elif kind == "ordered":
            values[spec.name] = tuple(value)
        elif kind == "word_map":
            values[spec.name] = {w: key for key, words in value.items() for w in words}
        elif kind == "groups":
            values[spec.name] = {key: tuple(words) for key, words in value.items()}
        elif kind == "numbers":
            values[spec.name] = dict(value)
        elif kind == "fragment":
            values[spec.name] = expander.expand(value, section, key_where)
        elif kind == "pattern":
            values[spec.name] = _compile(expander.expand(value, section, key_where), spec.metadata["flags"],
                                         key_where)
        elif kind == "patterns":
            values[spec.name] = {name: _compile(expander.expand(text, section, f"{key_where}.{name}"),
                                                spec.metadata["flags"], f"{key_where}.{name}")
                                 for name, text in value.items()}
        elif kind == "pattern_union":
            values[spec.name] = _compile("|".join(expander.expand(text, section, key_where) for text in value),
                                         spec.metadata["flags"], key_where)
        elif kind == "ranges":
            values[spec.name] = tuple((_compile(expander.expand(text, section, key_where), spec.metadata["flags"],
                                                f"{key_where}.{text}"), float(low), float(high))
                                      for text, (low, high) in value.items())
        elif kind == "records":
            values[spec.name] = {name: {key: tuple(v) if isinstance(v, list) else v for key, v in item.items()}
                                 for name, item in value.items()}
        elif kind == "pairs":
            values[spec.name] = tuple((a, b) for a, b in value)
        else:
            values[spec.name] = value
    return schema(**values)


def _compile(text: str, flags: int, where: str) -> re.Pattern:
    try:
        return re.compile(text, flags)
    except re.error as error:
        raise RegistryError(f"{where}: not a regular expression: {error}") from error


@dataclass(frozen=True)
class SectionFile:
    """One section's file and its schema."""
    name: str
    schema: type


def load_sections(folder: Path, sections: list[SectionFile], extra_files: tuple[Path, ...] = ()
                  ) -> dict[str, Any]:
    """Every section of one language: read, checked, merged with the user's files, built."""
    root: dict[str, dict[str, Any]] = {}
    origins: dict[str, dict[str, str]] = {s.name: {} for s in sections}
    for section in sections:
        path = folder / f"{section.name}.toml"
        data = read_file(path)
        check_section(section.schema, data, str(path))
        root[section.name] = data
    by_name = {s.name: s for s in sections}
    for path in map(Path, extra_files):
        extra = read_file(path)
        for name, table in extra.items():
            if name.startswith("_"):
                continue
            if name not in by_name:
                raise RegistryError(f"{path}: unknown section {name!r} (sections: {', '.join(by_name)})")
            if not isinstance(table, dict):
                raise RegistryError(f"{path}: {name} must be a table")
            check_section(by_name[name].schema, table, f"{path}: {name}", partial=True)
            root[name] = merge_section(by_name[name].schema, root[name], table)
            check_section(by_name[name].schema, root[name], f"{path}: {name} (merged)")
            origins[name].update({key: f"{path}: [{name}]" for key in table})
    kinds = {s.name: {f.name: f.metadata["kind"] for f in fields(s.schema) if f.init} for s in sections}
    expander = _Expander(root, kinds)
    return {s.name: build_section(s.schema, root[s.name], s.name, expander, f"{folder / s.name}.toml",
                                  origins[s.name])
            for s in sections}
