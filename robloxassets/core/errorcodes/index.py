"""The search index over the knowledge base, built once when it loads.

Every entry's texts are cut into stemmed words and word pairs; each word remembers, per entry,
the strongest field it appears in (a message text or topic word counts more than a step). Word
rarity (IDF) weighs them at query time. Typos are caught with a SymSpell-style table of
one-letter deletions; half-typed words by a sorted vocabulary for prefix look-ups.
"""

from __future__ import annotations

import math
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from dataclasses import dataclass

from robloxassets.core.errorcodes.model import Entry
from robloxassets.core.errorcodes.text import (
    STOPWORDS,
    deletes,
    edit_distance,
    raw_words,
    split_name,
    stem,
)

# How much a word counts by where it appears; the highest field of an entry wins.
# A one-word topic word ("firewall") is a deliberate pointer and outranks a message; the
# words of a topic phrase ("temporary ban") count less alone, fully as the phrase.
FIELD_WEIGHTS: dict[str, float] = {
    "keyword": 3.3, "message": 3.0, "phrase": 2.0, "topic": 3.0, "name": 2.5, "title": 1.5,
    "summary": 1.5, "category": 1.0, "cause": 1.0, "step": 0.5, "platform": 0.5,
}
PAIR_WEIGHTS: dict[str, float] = {"phrase": 3.3}
TOP_WEIGHT = 3.3
# Fields whose word pairs count as phrases ("server is full").
PHRASE_FIELDS = frozenset({"message", "keyword", "phrase", "topic", "name", "title",
                           "summary"})
# Words in nearly every Roblox text; they count a third, so "how to make a game" is no match.
GENERIC_WORDS = frozenset(stem(w) for w in ("roblox", "game", "experience", "play", "player",
                                              "make", "error", "code", "work", "problem",
                                              "issue"))
GENERIC_FACTOR = 0.33
# 0: a spelling the index knows whose stem differs from the typed word's ("kicked" typed
# as "kickedé" folds to "kickede", stemmed "kicked", one of whose spellings is known).
TYPO_FACTOR = {0: 1.0, 1: 0.85, 2: 0.7}
PREFIX_FACTOR = 0.75
MAX_PREFIX = 12
MAX_TYPO_LENGTH = 32


@dataclass(frozen=True)
class Posting:
    """Where a word sits in one entry: its weight, field kind and item number in that field."""

    weight: float
    field: str
    item: int


class SearchIndex:
    """Inverted index of word -> {entry number: Posting} plus word pairs, IDF and typo tables.

    Owns no entries of its own: ``entries`` is the knowledge base's tuple, numbered as given.
    """

    def __init__(self, entries: Sequence[Entry]) -> None:
        self.entries: tuple[Entry, ...] = tuple(entries)
        self.words: dict[str, dict[int, Posting]] = {}
        self.pairs: dict[str, dict[int, Posting]] = {}
        #: A readable spelling of each stem, for reasons like 'read "teleprot" as "teleport"'.
        self.surface: dict[str, str] = {}
        #: Every spelling seen (and every stem) -> its stem; typos are matched against these.
        self.forms: dict[str, str] = {}
        self.by_code: dict[int, int] = {}
        #: Topic ids and titles, folded ("decal-blurry", "decal looks blurry") -> entry number.
        self.by_name: dict[str, int] = {}
        for number, entry in enumerate(self.entries):
            if entry.code is not None:
                self.by_code[entry.code] = number
            else:
                self.by_name[entry.id] = number
                self.by_name[" ".join(entry.title.casefold().split())] = number
            for kind, item, text in self._fields(entry):
                self._add(number, kind, item, text)
        total = max(len(self.entries), 1)
        self.idf = {w: math.log(1 + total / len(p)) * (GENERIC_FACTOR if w in GENERIC_WORDS
                                                        else 1.0)
                    for w, p in self.words.items()}
        self.pair_idf = {w: math.log(1 + total / len(p)) for w, p in self.pairs.items()}
        self.unknown_idf = math.log(1 + total)
        self.vocabulary = sorted(self.words)
        self.codes = sorted(self.by_code)
        for word in self.vocabulary:
            self.forms.setdefault(word, word)
        self._deletes: dict[str, list[str]] = {}
        for form in self.forms:
            if len(form) >= 4 and not form.isdigit():
                for key in deletes(form, 1):
                    self._deletes.setdefault(key, []).append(form)

    @staticmethod
    def _fields(entry: Entry) -> Iterator[tuple[str, int, str]]:
        for i, message in enumerate(entry.messages):
            yield "message", i, message
        for i, keyword in enumerate(entry.keywords):
            yield ("phrase" if " " in keyword.strip() else "keyword"), i, keyword
        if entry.name:
            yield "name", 0, split_name(entry.name)
        for i, full in enumerate(entry.engine, 1):
            yield "name", i, split_name(full.rsplit(".", 1)[-1])
        if entry.title:
            yield ("title" if entry.is_code else "topic"), 0, entry.title
        yield "summary", 0, entry.summary
        yield "category", 0, entry.category.replace("/", " ")
        for i, cause in enumerate(entry.causes):
            yield "cause", i, cause
        for i, step in enumerate(entry.steps):
            yield "step", i, step
        for i, (_platform, note) in enumerate(entry.platforms):
            yield "platform", i, note

    def _add(self, number: int, kind: str, item: int, text: str) -> None:
        weight = FIELD_WEIGHTS[kind]
        posting = Posting(weight, kind, item)
        pair_weight = PAIR_WEIGHTS.get(kind, weight)
        pair_posting = Posting(pair_weight, kind, item)
        previous: str | None = None
        for raw in raw_words(text):
            stop = raw in STOPWORDS
            word = stem(raw)
            if not stop:
                self.surface.setdefault(word, raw)
                self.forms.setdefault(raw, word)
                known = self.words.setdefault(word, {})
                old = known.get(number)
                if old is None or old.weight < weight:
                    known[number] = posting
            if kind in PHRASE_FIELDS and previous is not None and not (
                    stop and previous in STOPWORDS):
                pair = f"{stem(previous)} {word}"
                known_pairs = self.pairs.setdefault(pair, {})
                old = known_pairs.get(number)
                if old is None or old.weight < pair_weight:
                    known_pairs[number] = pair_posting
            previous = raw

    # --- look-ups used by search -----------------------------------------------------------
    def expand(self, raw: str) -> list[tuple[str, float]]:
        """Vocabulary stems standing for a typed word, with a factor: 1.0 exact, less for a
        typo or a prefix ("teleprot" -> teleport 0.85, "telep" -> teleport 0.75)."""
        word = stem(raw)
        if word in self.words:
            return [(word, 1.0)]
        # Typo keys grow with the square of a word's length: a 1 MB "word" pasted would take
        # hours, and no word of the knowledge base is longer than this anyway.
        if raw.isdigit() or len(raw) < 3 or len(raw) > MAX_TYPO_LENGTH:
            return []
        found: dict[str, float] = {}
        # Typos are looked up as typed and as stemmed: "kiked" is one letter from "kicked".
        for typed in dict.fromkeys((raw, word)):
            if len(typed) < 4:
                continue
            depth = 2 if len(typed) >= 7 else 1
            for key in deletes(typed, depth):
                for form in self._deletes.get(key, ()):
                    distance = edit_distance(typed, form, depth)
                    if distance <= depth:
                        target = self.forms[form]
                        found[target] = max(found.get(target, 0.0), TYPO_FACTOR[distance])
        start = bisect_left(self.vocabulary, word)
        for candidate in self.vocabulary[start:start + MAX_PREFIX]:
            if not candidate.startswith(word):
                break
            found[candidate] = max(found.get(candidate, 0.0), PREFIX_FACTOR)
        return sorted(found.items(), key=lambda kv: (-kv[1], -len(self.words[kv[0]]), kv[0]))

    def nearest_codes(self, number: int, count: int = 3) -> list[int]:
        """Known codes closest to ``number``, same hundred first ("283" -> 282, 284, ...)."""
        return sorted(self.codes, key=lambda c: (c // 100 != number // 100,
                                                 abs(c - number), c))[:count]
