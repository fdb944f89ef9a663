"""The one lookup behind the Error codes page and ``robloxassets error``.

``search(query, kb)`` takes whatever the player has: a number ("279", "Error Code: 279"), a
whole pasted dialog, part of a message in any case, a typo or a topic word ("firewall"). A code
written in the text wins; otherwise entries are ranked by how much of the query their texts
explain. Nothing matching gives suggestions (nearest codes, closest words, common codes).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from robloxassets.core.errorcodes.index import GENERIC_WORDS, TOP_WEIGHT, Posting, SearchIndex
from robloxassets.core.errorcodes.model import CATEGORY_LABELS, Entry
from robloxassets.core.errorcodes.text import (
    STOPWORDS,
    CodesInText,
    find_codes,
    looks_binary,
    raw_words,
    stem,
    strip_code_phrases,
)

if TYPE_CHECKING:
    from robloxassets.core.errorcodes.kb import KnowledgeBase

EXPLICIT_SCORE = 100.0
BARE_SCORE = 95.0
TEXT_SCORE_MAX = 90.0
#: A text match needs this share of the query explained, and this much evidence in total
#: (about one distinctive word in a message or topic word), to count as a match.
MIN_RELEVANCE = 0.2
MIN_EVIDENCE = 4.0
COMMON_BONUS = 1.04
#: Entries known only by their engine name are rarely what a player saw: rank them lower.
UNCONFIRMED_FACTOR = 0.85
_QUOTE_LEN = 80
#: Distinct words of a query that are scored. A dialog or a forum post has a few hundred;
#: a 1 MB paste has 100,000, and scoring each took over a minute (codes in the text are
#: still found anywhere in it).
MAX_QUERY_WORDS = 2000
#: Lone three-digit numbers ("got 277 again") count as codes only when a text has this few
#: of them: in a log or table full of numbers they are data, not the code the player saw.
MAX_BARE_NUMBERS = 5


@dataclass(frozen=True)
class Match:
    """One ranked result: the entry, a score (100 = code written in the query; text matches
    score up to 90) and the reasons it matched, in plain words."""

    entry: Entry
    score: float
    reasons: tuple[str, ...]

    def to_json(self) -> dict[str, Any]:
        data = self.entry.to_json()
        data["score"] = self.score
        data["reasons"] = list(self.reasons)
        return data


@dataclass(frozen=True)
class SearchResult:
    """What a lookup found. ``matches`` best first; ``suggestions`` only when nothing matched;
    ``unknown_codes`` are codes written in the query that the knowledge base lacks."""

    query: str
    matches: tuple[Match, ...]
    suggestions: tuple[Match, ...] = ()
    unknown_codes: tuple[int, ...] = ()

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    def note(self) -> str:
        """A sentence for the user about unknown codes or an empty result ("" if none)."""
        unknown = ", ".join(str(c) for c in self.unknown_codes)
        if self.unknown_codes and self.matches:
            return (f"Error {unknown} is not in the knowledge base; these match the rest of "
                    f"the text.")
        if self.unknown_codes:
            return f"Error {unknown} is not in the knowledge base."
        if not self.matches and self.query.strip():
            return f"No match for \u201c{_short(self.query.strip(), 60)}\u201d."
        return ""


@dataclass
class _Score:
    total: float = 0.0
    # Whether a distinctive word (not "game", "roblox"...) matched outside the steps.
    strong: bool = False
    # (amount, field, item, query word as typed, vocabulary word, factor)
    parts: list[tuple[float, str, int, str, str, float]] = field(default_factory=list)


def _short(text: str, length: int = _QUOTE_LEN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "\u2026"


def _prior(entry: Entry) -> float:
    """How likely an entry is before reading the query: common codes up, unconfirmed down."""
    return ((COMMON_BONUS if entry.common else 1.0)
            * (1.0 if entry.verified else UNCONFIRMED_FACTOR))


def _index_of(kb: KnowledgeBase | SearchIndex) -> SearchIndex:
    return kb if isinstance(kb, SearchIndex) else kb.index


def _score_text(index: SearchIndex, query: str, skip: set[str]) -> tuple[dict[int, _Score],
                                                                          float]:
    """Per-entry evidence for the words of ``query`` and the most any entry could have."""
    scores: dict[int, _Score] = defaultdict(_Score)
    ideal = 0.0
    seen: set[str] = set()
    # The best reading of each typed word, reused to build word pairs below.
    readings: list[tuple[str, str | None]] = []
    for raw in raw_words(query):
        if len(seen) >= MAX_QUERY_WORDS:
            break
        if raw in skip:
            readings.append((raw, None))
            continue
        word = stem(raw)
        if raw in STOPWORDS:
            readings.append((raw, word))
            continue
        candidates = index.expand(raw)
        readings.append((raw, candidates[0][0] if candidates else None))
        if word in seen:
            continue
        seen.add(word)
        if not candidates:
            # Unknown words count half: pasted text carries names and chatter we can't know.
            ideal += index.unknown_idf * TOP_WEIGHT / 2 if len(word) >= 3 else 0.0
            continue
        ideal += max(index.idf[c] * f for c, f in candidates) * TOP_WEIGHT
        best: dict[int, tuple[float, str, float, Posting]] = {}
        for candidate, factor in candidates:
            idf = index.idf[candidate]
            for number, posting in index.words[candidate].items():
                amount = idf * factor * posting.weight
                if number not in best or best[number][0] < amount:
                    best[number] = (amount, candidate, factor, posting)
        for number, (amount, candidate, factor, posting) in best.items():
            score = scores[number]
            score.total += amount
            if posting.weight >= 1.0 and candidate not in GENERIC_WORDS:
                score.strong = True
            score.parts.append((amount, posting.field, posting.item, raw, candidate, factor))
    pairs_seen: set[str] = set()
    for (raw_a, a), (raw_b, b) in pairwise(readings):
        if a is None or b is None or (raw_a in STOPWORDS and raw_b in STOPWORDS):
            continue
        pair = f"{a} {b}"
        postings = index.pairs.get(pair)
        if postings is None or pair in pairs_seen:
            continue
        pairs_seen.add(pair)
        # A pair with "is", "the" or "game" in it is a weaker phrase than "server full".
        weak = {raw_a, raw_b} & STOPWORDS or {a, b} & GENERIC_WORDS
        idf = index.pair_idf[pair] * (0.5 if weak else 1.0)
        ideal += idf * TOP_WEIGHT
        for number, posting in postings.items():
            amount = idf * posting.weight
            scores[number].total += amount
            if not weak and posting.weight >= 1.0:
                scores[number].strong = True
            scores[number].parts.append((amount, posting.field, posting.item,
                                         f"{raw_a} {raw_b}", pair, 1.0))
    return scores, ideal


def _describe(entry: Entry, score: _Score, index: SearchIndex) -> list[str]:
    """Plain reasons from the fields that gave most of an entry's score."""
    groups: dict[tuple[str, int], float] = defaultdict(float)
    typed: dict[tuple[str, int], list[str]] = defaultdict(list)
    typos: list[str] = []
    for amount, kind, item, raw, word, factor in score.parts:
        # All topic words of an entry make one reason: "topic words “firewall”, “dns”".
        key = ("keyword", 0) if kind in ("keyword", "phrase") else (kind, item)
        groups[key] += amount
        if kind in ("keyword", "phrase"):
            said = entry.keywords[item]
            if said not in typed[key]:
                typed[key].append(said)
        elif " " not in raw and raw not in typed[key]:
            typed[key].append(raw)
        if factor < 1.0:
            surface = index.surface.get(word, word)
            note = f"read \u201c{raw}\u201d as \u201c{surface}\u201d"
            if surface != raw and note not in typos:
                typos.append(note)
    reasons: list[str] = []
    ranked = sorted(groups.items(), key=lambda kv: -kv[1])
    for (kind, item), amount in ranked[:3]:
        if amount < 0.2 * score.total and reasons:
            break
        said = ", ".join(f"\u201c{w}\u201d" for w in typed[kind, item][:4])
        if kind == "message":
            reasons.append(f"matches the message \u201c{_short(entry.messages[item])}\u201d")
        elif kind == "keyword":
            reasons.append(f"topic words {said}")
        elif kind in ("topic", "title"):
            reasons.append(f"title \u201c{entry.title}\u201d")
        elif kind == "name":
            reasons.append(f"engine name {entry.name if item == 0 else entry.engine[item - 1]}")
        elif kind == "category":
            reasons.append(f"category {CATEGORY_LABELS[entry.category]}")
        else:
            where = {"summary": "the summary", "cause": "a cause", "step": "a step",
                     "platform": "a platform note"}[kind]
            reasons.append(f"{where} mentions {said}" if said else f"{where} matches")
    return list(dict.fromkeys(reasons)) + typos[:2]


def search(query: str, kb: KnowledgeBase | SearchIndex, limit: int = 10,
           category: str | None = None) -> SearchResult:
    """Rank the knowledge base for ``query``; see the module docstring for what it accepts.

    ``category`` keeps only entries of that category (see model.CATEGORIES).
    """
    index = _index_of(kb)
    if not query.strip() or looks_binary(query):
        return SearchResult(query, ())
    codes = find_codes(query)
    if len(codes.bare) > MAX_BARE_NUMBERS:
        codes = CodesInText(codes.explicit, ())
    ranked: dict[int, tuple[float, float, list[str]]] = {}  # number -> (score, order, reasons)
    unknown: list[int] = []
    named = index.by_name.get(" ".join(query.casefold().split()))
    if named is not None:
        # A topic's id or title typed (or clicked as a related link) in full.
        ranked[named] = (EXPLICIT_SCORE, 1.0, ["the topic's name"])
    for order, code in enumerate(codes.explicit):
        number = index.by_code.get(code)
        if number is None:
            unknown.append(code)
            continue
        written = query.strip().strip("#()[]. ") == str(code)
        ranked[number] = (EXPLICIT_SCORE, -order, [f"code {code}" if written
                                                   else f"error code {code} in the text"])
    for order, code in enumerate(codes.bare):
        number = index.by_code.get(code)
        if number is not None and number not in ranked:
            ranked[number] = (BARE_SCORE, -order, [f"the number {code} in the text"])

    skip = {str(c) for c in (*codes.explicit, *codes.bare)}
    # "Error Code: 279" says which code, not what went wrong: only the rest is text.
    scores, ideal = _score_text(index, strip_code_phrases(query), skip)
    candidates: list[tuple[float, int]] = []
    for number, score in scores.items():
        relevance = score.total / ideal if ideal else 0.0
        entry = index.entries[number]
        if number in ranked:
            # A code written in the text wins; matching words only add to why.
            # Only a matching message text is worth adding ("and the message matches").
            reasons = _describe(entry, score, index)
            if relevance >= 0.3 and reasons[0].startswith("matches the message"):
                ranked[number][2].append(reasons[0])
            continue
        if score.strong and relevance >= MIN_RELEVANCE and score.total >= MIN_EVIDENCE:
            candidates.append((relevance * _prior(entry), number))

    matches: list[Match] = []
    for number, (score_value, _order, reasons) in sorted(ranked.items(),
                                                         key=lambda kv: (-kv[1][0], -kv[1][1])):
        matches.append(Match(index.entries[number], score_value, tuple(reasons)))
    for relevance, number in sorted(candidates, key=lambda rn: (-rn[0], rn[1])):
        entry = index.entries[number]
        value = round(min(TEXT_SCORE_MAX, TEXT_SCORE_MAX * relevance), 1)
        matches.append(Match(entry, value, tuple(_describe(entry, scores[number], index))))
    if category:
        matches = [m for m in matches if m.entry.category == category]
    matches = matches[:limit]
    suggestions: tuple[Match, ...] = ()
    if not matches:
        suggestions = tuple(_suggest(index, codes, scores, category))
    return SearchResult(query, tuple(matches), suggestions, tuple(unknown))


def _suggest(index: SearchIndex, codes: CodesInText, scores: dict[int, _Score],
             category: str | None, count: int = 5) -> list[Match]:
    """Near misses: codes close to a number in the query, entries sharing some words, and
    the codes players look up most."""
    picked: dict[int, Match] = {}

    def offer(number: int, reason: str) -> None:
        entry = index.entries[number]
        if number not in picked and (not category or entry.category == category):
            picked[number] = Match(entry, 0.0, (reason,))

    numbers = [*codes.explicit, *codes.bare]
    for code in numbers:
        for near in index.nearest_codes(code):
            offer(index.by_code[near], f"a known code near {code}")
    for number, score in sorted(scores.items(), key=lambda kv: -kv[1].total)[:3]:
        words = ", ".join(dict.fromkeys(f"\u201c{p[3]}\u201d" for p in score.parts
                                        if " " not in p[3]))
        offer(number, f"shares the words {words}" if words else "shares some words")
    for number, entry in enumerate(index.entries):
        if len(picked) >= count:
            break
        if entry.common:
            offer(number, "often looked up")
    return list(picked.values())[:count]


def code_to_offer(text: str, kb: KnowledgeBase | SearchIndex,
                  max_length: int = 5000) -> Entry | None:
    """The known error code a copied text names, for "Look up error 279 from the clipboard?".

    Only codes written as codes count ("Error Code: 279", or the text being just "279"): a
    lone number inside other copied text is too often something else.
    """
    if not text or len(text) > max_length:
        return None
    index = _index_of(kb)
    for code in find_codes(text).explicit:
        number = index.by_code.get(code)
        if number is not None:
            return index.entries[number]
    return None
