"""The search index over the knowledge base, built once when it loads.

Every entry's texts are cut into stemmed words and word pairs; each word remembers, per entry,
the strongest field it appears in (a message text or topic word counts more than a step). Word
rarity (IDF) weighs them at query time. Typos are caught with a SymSpell-style table of
one-letter deletions; half-typed words by a sorted vocabulary for prefix look-ups. Engine and
Open Cloud names ("DisconnectLuaKick", "PERMISSION_DENIED") are looked up whole.
"""

from __future__ import annotations

import math
import re
from bisect import bisect_left
from collections.abc import Iterator, Sequence
from itertools import pairwise
from typing import Any, NamedTuple

from robloxassets.core.errorcodes.model import Entry
from robloxassets.core.errorcodes.text import (
    STOPWORDS,
    compact_name,
    deletes,
    edit_distance,
    fold,
    raw_words,
    split_name,
    stem,
)

# How much a word counts by where it appears; the highest field of an entry wins.
# A one-word topic word ("firewall") is a deliberate pointer and outranks a message; the
# words of a topic phrase ("temporary ban") count less alone, fully as the phrase. A wording
# no source gives (a translation written for the app) counts a little less than a real one.
FIELD_WEIGHTS: dict[str, float] = {
    "keyword": 3.3, "message": 3.0, "translation": 2.8, "phrase": 2.0, "topic": 3.0,
    "name": 2.5, "title": 1.5, "summary": 1.5, "category": 1.0, "cause": 1.0, "step": 0.5,
    "platform": 0.5,
}
PAIR_WEIGHTS: dict[str, float] = {"phrase": 3.3}
TOP_WEIGHT = 3.3
# Fields whose word pairs count as phrases ("server is full").
PHRASE_FIELDS = frozenset({"message", "translation", "keyword", "phrase", "topic", "name",
                           "title", "summary"})
# Words in nearly every Roblox text, in the languages players paste: they count a third, so
# "how to make a game" is no match.
GENERIC_WORDS = frozenset(stem(fold(w)) for w in (
    "roblox", "game", "experience", "play", "player", "make", "error", "code", "work",
    "problem", "issue", "erro", "error", "juego", "jogo", "experiencia", "experiência",
    "codigo", "código", "fehler", "erreur", "jeu", "spiel", "erlebnis", "oyun", "hata",
    "permainan", "pengalaman", "deneyim", "ошибка", "игра"))
GENERIC_FACTOR = 0.33
TYPO_FACTOR = {0: 1.0, 1: 0.85, 2: 0.7}
# One letter off in a four-letter word is often another word ("best" / "test").
SHORT_TYPO_FACTOR = 0.6
PREFIX_FACTOR = 0.75
MAX_PREFIX = 12
# A bare engine name must look like one to be taken as a name ("TeleportFlooded", not "OK"):
# shorter or one-word names only count with their enum prefix ("ConnectionError.OK").
MIN_BARE_NAME = 8
_CLOUD_CODE = re.compile(r"^[A-Z]+(?:_[A-Z]+)+$")


#: Word -> (its stem, whether it is evidence), shared by every index built in this process:
#: the same few thousand words recur. Stopwords are no evidence, and neither is "7 and 9" in
#: a summary: numbers count from three digits on ("1024"); codes are looked up by number.
_WORD_INFO: dict[str, tuple[str, bool]] = {}


def _word_info(raw: str) -> tuple[str, bool]:
    found = _WORD_INFO[raw] = (stem(raw), not (raw in STOPWORDS or (
        len(raw) < 3 and raw.isdigit())))
    return found


class Posting(NamedTuple):
    """Where a word sits in one entry: its weight, field kind and item number in that field.
    (A named tuple: thousands are made at every load, and tuples are the cheapest.)"""

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
        #: Code -> entry numbers (403 has two entries: Open Cloud and sign-in).
        self.by_code: dict[int, list[int]] = {}
        #: Topic ids and titles, folded ("decal-blurry", "decal looks blurry") -> entry number.
        self.by_name: dict[str, int] = {}
        #: Ids of codes that share their number with another entry ("403", "403-sign-in"):
        #: typed (or clicked as a related link) in full they name that entry.
        self.by_variant_id: dict[str, int] = {}
        #: Engine and Open Cloud names, lower-case -> (entry numbers, counts without prefix).
        self.by_engine_name: dict[str, tuple[list[int], bool]] = {}
        #: Folded wording text -> numbers of the entries that show it (shared texts).
        self.wording_owners: dict[str, list[int]] = {}
        #: First two words of every wording of three or more words -> (entry number, wording
        #: number, all its words), to find a whole wording inside a pasted text.
        self.wording_starts: dict[tuple[str, str], list[tuple[int, int, tuple[str, ...]]]] = {}
        for number, entry in enumerate(self.entries):
            if entry.code is not None:
                self.by_code.setdefault(entry.code, []).append(number)
            else:
                self.by_name[entry.id] = number
                self.by_name[" ".join(fold(entry.title).split())] = number
            # Open Cloud codes among the topic words ("INSUFFICIENT_SCOPE") are names too.
            cloud = (k for k in entry.keywords if _CLOUD_CODE.match(k))
            for name in (entry.name, *(e.rsplit(".", 1)[-1] for e in entry.engine), *cloud):
                if name:
                    self._add_name(number, name)
            for item, wording in enumerate(entry.wordings):
                tokens = tuple(raw_words(wording.text))
                owners = self.wording_owners.setdefault(" ".join(tokens), [])
                if number not in owners:
                    owners.append(number)
                if len(tokens) >= 3:
                    self.wording_starts.setdefault((tokens[0], tokens[1]), []).append(
                        (number, item, tokens))
            best: dict[str, Posting] = {}
            for kind, item, text in self._fields(entry):
                self._add(number, kind, item, text, best)
            words = self.words
            for word, posting in best.items():
                known = words.get(word)
                if known is None:
                    words[word] = {number: posting}
                else:
                    known[number] = posting
        for numbers in self.by_code.values():
            if len(numbers) > 1:
                for number in numbers:
                    self.by_variant_id[self.entries[number].id] = number
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
        # The typo table is built on the first typo look-up, not at load: most look-ups
        # (a code, a pasted dialog) never need it.
        self._deletes_table: dict[str, list[str]] | None = None

    #: What ``state()`` leaves out: the entries (the knowledge base has them) and the typo
    #: table (built on the first typo look-up).
    _NOT_STATE = frozenset({"entries", "_deletes_table"})

    def state(self) -> dict[str, Any]:
        """Everything built from the entries, as plain data (see index_cache)."""
        return {k: v for k, v in self.__dict__.items() if k not in self._NOT_STATE}

    @classmethod
    def from_state(cls, entries: Sequence[Entry], state: dict[str, Any]) -> SearchIndex:
        """The index ``state()`` gave, for the same ``entries``."""
        expected = set(SearchIndex(()).__dict__) - cls._NOT_STATE
        if not isinstance(state, dict) or set(state) != expected:
            raise ValueError("not the state of this version's index")
        index = cls.__new__(cls)
        index.__dict__.update(state)
        index.entries = tuple(entries)
        index._deletes_table = None
        return index

    @property
    def _deletes(self) -> dict[str, list[str]]:
        if self._deletes_table is None:
            table: dict[str, list[str]] = {}
            for form in self.forms:
                if len(form) >= 4 and not form.isdigit():
                    for key in deletes(form, 1):
                        table.setdefault(key, []).append(form)
            self._deletes_table = table
        return self._deletes_table

    def _add_name(self, number: int, name: str) -> None:
        key = compact_name(name)
        capitals = sum(1 for ch in name if ch.isupper())
        # "DisconnectLuaKick" and "PERMISSION_DENIED" stand on their own; "OK", "Failure" or
        # "UNAVAILABLE" only count with their enum prefix or written in capitals.
        bare_ok = len(name) >= MIN_BARE_NAME and (("_" in name) or (
            not name.isupper() and capitals >= 2))
        numbers, old_ok = self.by_engine_name.get(key, ([], False))
        if number not in numbers:
            numbers.append(number)
        self.by_engine_name[key] = (numbers, old_ok or bare_ok)

    @staticmethod
    def _fields(entry: Entry) -> Iterator[tuple[str, int, str]]:
        for i, wording in enumerate(entry.wordings):
            yield ("message" if wording.verified else "translation"), i, wording.text
        for i, keyword in enumerate(entry.all_keywords()):
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

    def _add(self, number: int, kind: str, item: int, text: str,
             best: dict[str, Posting]) -> None:
        """Index one field of entry ``number``: its words into ``best`` (the strongest field
        per word of this entry), its word pairs straight into the pair table."""
        weight = FIELD_WEIGHTS[kind]
        posting = Posting(weight, kind, item)
        tokens = raw_words(text)
        # Every token's stem, once: the word and pair loops below share them.
        infos = [_WORD_INFO.get(raw) or _word_info(raw) for raw in tokens]
        forms, surface = self.forms, self.surface
        for raw, (word, evidence) in dict(zip(tokens, infos, strict=True)).items():
            if not evidence:
                continue
            if raw not in forms:
                forms[raw] = word
                surface.setdefault(word, raw)
            old = best.get(word)
            if old is None or old[0] < weight:
                best[word] = posting
        if kind not in PHRASE_FIELDS or len(tokens) < 2:
            return
        pair_weight = PAIR_WEIGHTS.get(kind, weight)
        pair_posting = Posting(pair_weight, kind, item)
        pairs = self.pairs
        for (previous, (first, _e1)), (raw, (second, _e2)) in pairwise(
                zip(tokens, infos, strict=True)):
            if previous in STOPWORDS and raw in STOPWORDS:
                continue
            pair = f"{first} {second}"
            known_pairs = pairs.get(pair)
            if known_pairs is None:
                pairs[pair] = {number: pair_posting}
            else:
                old = known_pairs.get(number)
                if old is None or old[0] < pair_weight:
                    known_pairs[number] = pair_posting

    # --- look-ups used by search -----------------------------------------------------------
    def expand(self, raw: str, fuzzy: bool = True) -> list[tuple[str, float]]:
        """Vocabulary stems standing for a typed word, with a factor: 1.0 exact, less for a
        typo or a prefix ("teleprot" -> teleport 0.85, "telep" -> teleport 0.75).
        ``fuzzy`` False looks up the exact word only (a long paste's later words)."""
        word = stem(raw)
        if word in self.words:
            return [(word, 1.0)]
        known = self.forms.get(raw)
        if known is not None and known in self.words:
            return [(known, 1.0)]
        if not fuzzy or raw.isdigit() or len(raw) < 3 or len(raw) > 30:
            return []
        found: dict[str, float] = {}
        # Typos are looked up as typed and as stemmed: "kiked" is one letter from "kicked".
        table = self._deletes
        for typed in dict.fromkeys((raw, word)):
            if len(typed) < 4:
                continue
            depth = 2 if len(typed) >= 7 else 1
            # Many deletion keys lead to the same form: measure each form once.
            near = {form for key in deletes(typed, depth) for form in table.get(key, ())
                    if abs(len(form) - len(typed)) <= depth}
            for form in near:
                distance = edit_distance(typed, form, depth)
                if distance <= depth:
                    target = self.forms[form]
                    if target in self.words:
                        factor = TYPO_FACTOR[distance]
                        if distance and len(typed) <= 4:
                            factor = SHORT_TYPO_FACTOR
                        found[target] = max(found.get(target, 0.0), factor)
        start = bisect_left(self.vocabulary, word)
        for candidate in self.vocabulary[start:start + MAX_PREFIX]:
            if not candidate.startswith(word):
                break
            found[candidate] = max(found.get(candidate, 0.0), PREFIX_FACTOR)
        # A longer form of a known word ("inaktivitat" for "inaktiv", "desconectado" for
        # "desconect"): the longest known beginning of five letters or more.
        if not found and len(word) >= 7:
            for end in range(len(word) - 1, 4, -1):
                if word[:end] in self.words:
                    found[word[:end]] = PREFIX_FACTOR
                    break
        return sorted(found.items(), key=lambda kv: (-kv[1], -len(self.words[kv[0]]), kv[0]))

    def whole_wordings(self, tokens: Sequence[str]) -> list[tuple[int, int, int]]:
        """Wordings that appear whole, word for word, in ``tokens`` (a pasted dialog):
        (entry number, wording number, its length in words)."""
        found: list[tuple[int, int, int]] = []
        for i in range(len(tokens) - 2):
            for number, item, words in self.wording_starts.get((tokens[i], tokens[i + 1]), ()):
                if tuple(tokens[i:i + len(words)]) == words:
                    found.append((number, item, len(words)))
        return found

    def named(self, name: str, prefixed: bool, capitals: bool) -> list[int]:
        """Entries with this engine or Open Cloud name, if the way it is written counts."""
        numbers, bare_ok = self.by_engine_name.get(name, ([], False))
        if numbers and (prefixed or bare_ok or (capitals and len(name) >= 5)):
            return numbers
        return []

    def nearest_codes(self, number: int, count: int = 3) -> list[int]:
        """Known codes closest to ``number``, same hundred first ("283" -> 282, 284, ...)."""
        return sorted(self.codes, key=lambda c: (c // 100 != number // 100,
                                                 abs(c - number), c))[:count]
