"""The one lookup behind the Error codes page and ``robloxassets error``.

``search(query, kb)`` takes whatever the player has: a number ("279", "Error Code: 279",
"2 7 9", "err277", "#529"), a whole pasted dialog in any of the languages players use, a log
line ("Disconnect reason received: 262"), an engine name ("DisconnectLuaKick"), part of a
message in any case, a typo or a topic word ("firewall", "expulsado"). A code written in the
text wins; when the text names several, each is listed, the first one written first.
Otherwise entries are ranked by how much of the query their texts explain. A text that
several codes share says so, with the most common code first. Nothing matching gives
suggestions and advice, including the Roblox status check.

The lookup is linear in the length of the text: words are read from the first
``WORD_WINDOW`` characters, codes from all of it; binary data is recognised and not read.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from itertools import pairwise
from typing import TYPE_CHECKING, Any

from robloxassets.core.errorcodes.index import (
    GENERIC_WORDS,
    PREFIX_FACTOR,
    TOP_WEIGHT,
    Posting,
    SearchIndex,
)
from robloxassets.core.errorcodes.model import CATEGORY_LABELS, LANGUAGE_LABELS, Entry
from robloxassets.core.errorcodes.text import (
    STOPWORDS,
    WORD_WINDOW,
    CodesInText,
    find_codes,
    fold,
    join_spaced_digits,
    looks_binary,
    name_tokens,
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
FUZZY_RELEVANCE = 0.4
#: A wording found whole in the text adds this share of what the text could explain.
WHOLE_WORDING_SHARE = 0.5
#: Entries known only by their engine name are rarely what a player saw: rank them lower.
UNCONFIRMED_FACTOR = 0.85
#: Each step of ``frequency`` (1-5) moves an entry up this much before the text decides.
FREQUENCY_STEP = 0.015
#: Two text matches this close are a tie: the result says the text is ambiguous.
TIE_RATIO = 0.97
#: Unknown words get typo and prefix look-ups only for the first this many of them (fewer
#: in a long paste, whose words were copied, not typed); later ones are looked up as written.
MAX_FUZZY_WORDS = 8
MAX_FUZZY_WORDS_PASTE = 3
PASTE_WORDS = 40
#: Engine names are looked for among the first this many name-like tokens of the text.
MAX_NAME_TOKENS = 400
_QUOTE_LEN = 80
_STATUS_STEP = "check roblox status"


@dataclass(frozen=True)
class Match:
    """One ranked result: the entry, a score (100 = code or engine name written in the query;
    text matches score up to 90) and the reasons it matched, in plain words."""

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
    """What a lookup found.

    ``matches`` best first; ``suggestions`` only when nothing matched; ``unknown_codes`` are
    codes written in the query that the knowledge base lacks; ``codes`` every known code the
    text names, in the order it names them; ``ambiguous`` the ids of entries the text cannot
    tell apart (a shared wording, or one code with two meanings), most common first;
    ``binary`` the text was binary data; ``truncated`` only its first ``WORD_WINDOW``
    characters were read for words.
    """

    query: str
    matches: tuple[Match, ...]
    suggestions: tuple[Match, ...] = ()
    unknown_codes: tuple[int, ...] = ()
    codes: tuple[int, ...] = ()
    ambiguous: tuple[str, ...] = ()
    binary: bool = False
    truncated: bool = False
    #: How ``ambiguous`` is ordered: "common" (most common first) or "named" (the entry whose
    #: id was typed, e.g. a related link to "403", first).
    ambiguous_order: str = "common"

    @property
    def best(self) -> Match | None:
        return self.matches[0] if self.matches else None

    @property
    def status_hint(self) -> bool:
        """Whether the Roblox status check is worth offering: nothing matched, or the best
        match's fix starts with Roblox's own state."""
        if not self.matches:
            return bool(self.query.strip()) and not self.binary
        return any(_STATUS_STEP in step.lower() for step in self.matches[0].entry.steps)

    def note(self) -> str:
        """Sentences for the user about the result ("" if there is nothing to say): unknown
        codes, several codes, an ambiguous text, binary data, a long paste, no match."""
        return " ".join(self.note_parts().values())

    def note_parts(self) -> dict[str, str]:
        """The sentences of ``note()`` by what they are about, in ``note()``'s order:
        "no-match", "binary", "unknown", "codes", "ambiguous", "truncated" (only those that
        apply). The window shows some of them in its own way (several codes, ambiguity)."""
        notes: dict[str, str] = {}
        if not self.matches and self.query.strip() and not self.unknown_codes \
                and not self.binary:
            notes["no-match"] = f"No match for \u201c{_short(self.query.strip(), 60)}\u201d."
        if self.binary:
            notes["binary"] = ("This looks like binary data, not text: paste the dialog's text "
                               "or type its code.")
        unknown = ", ".join(str(c) for c in self.unknown_codes)
        if self.unknown_codes and self.matches:
            notes["unknown"] = (f"Error {unknown} is not in the knowledge base; these match "
                                f"the rest of the text.")
        elif self.unknown_codes:
            notes["unknown"] = f"Error {unknown} is not in the knowledge base."
        if len(self.codes) > 1:
            later = _and([str(c) for c in self.codes[1:]])
            notes["codes"] = (f"The text names {len(self.codes)} codes: {self.codes[0]} first, "
                              f"then {later}.")
        if self.ambiguous:
            labels = {m.entry.id: m.entry.label for m in self.matches}
            names = _and([labels.get(i, i) for i in self.ambiguous])
            order = ("the one you named first" if self.ambiguous_order == "named"
                     else "the most common first")
            notes["ambiguous"] = f"This fits several errors equally: {names}, {order}."
        if self.truncated:
            notes["truncated"] = (f"Only the first {WORD_WINDOW:,} characters were read for "
                                  "words; codes were looked for in all of it.")
        return notes

    def advice(self) -> tuple[str, ...]:
        """What to try when nothing matched, in plain sentences (empty when something did)."""
        if self.matches:
            return ()
        tips = ["Type the code alone, as the dialog shows it (for example 279).",
                "Or paste the whole dialog, or a few of its words; any language works.",
                "Names from scripts and logs work too (DisconnectLuaKick, PERMISSION_DENIED)."]
        if self.status_hint:
            tips.append("If many players get errors at once, Roblox itself may be down: "
                        "check the Roblox status.")
        return tuple(tips)


@dataclass
class _Score:
    total: float = 0.0
    # Whether a distinctive word (not "game", "roblox"...) matched outside the steps.
    strong: bool = False
    # Whether such a word matched as typed (not only as a typo or prefix of one).
    exact: bool = False
    # (amount, field, item, query word as typed, vocabulary word, factor)
    parts: list[tuple[float, str, int, str, str, float]] = field(default_factory=list)


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def _short(text: str, length: int = _QUOTE_LEN) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[: length - 1].rstrip() + "\u2026"


def _prior(entry: Entry) -> float:
    """How likely an entry is before reading the query: common codes up, unconfirmed down."""
    return ((1.0 + FREQUENCY_STEP * (entry.frequency - 1))
            * (1.0 if entry.verified else UNCONFIRMED_FACTOR))


def _index_of(kb: KnowledgeBase | SearchIndex) -> SearchIndex:
    return kb if isinstance(kb, SearchIndex) else kb.index


def _score_text(index: SearchIndex, query: str, skip: set[str]) -> tuple[dict[int, _Score],
                                                                          float]:
    """Per-entry evidence for the words of ``query`` and the most any entry could have."""
    scores: dict[int, _Score] = defaultdict(_Score)
    ideal = 0.0
    seen: dict[str, str | None] = {}  # stem -> how it was read
    tokens = raw_words(query)
    fuzzy_left = MAX_FUZZY_WORDS if len(tokens) <= PASTE_WORDS else MAX_FUZZY_WORDS_PASTE
    # The best reading of each typed word, reused to build word pairs below.
    readings: list[tuple[str, str | None]] = []
    for raw in tokens:
        if raw in skip:
            readings.append((raw, None))
            continue
        word = stem(raw)
        if raw in STOPWORDS or (raw.isdigit() and len(raw) < 3):
            readings.append((raw, word))
            continue
        if word in seen:
            readings.append((raw, seen[word]))
            continue
        candidates = index.expand(raw, fuzzy=fuzzy_left > 0)
        if not candidates or candidates[0][1] < 1.0:
            fuzzy_left -= 1
        seen[word] = candidates[0][0] if candidates else None
        readings.append((raw, seen[word]))
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
                # Typo readings are the ones that can be coincidence ("best" as "test");
                # a half-typed or longer form of a word ("inaktivitat") is not.
                score.exact = score.exact or factor in (1.0, PREFIX_FACTOR)
            score.parts.append((amount, posting.field, posting.item, raw, candidate, factor))
    # A whole wording pasted word for word is the strongest sign there is: it adds half of
    # everything else the text could explain, once per entry (its longest wording counts).
    whole: dict[int, tuple[int, int]] = {}
    for number, item, length in index.whole_wordings([raw for raw, _reading in readings]):
        if length > whole.get(number, (0, 0))[1]:
            whole[number] = (item, length)
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
                scores[number].strong = scores[number].exact = True
            scores[number].parts.append((amount, posting.field, posting.item,
                                         f"{raw_a} {raw_b}", pair, 1.0))
    if whole:
        bonus = WHOLE_WORDING_SHARE * ideal
        ideal += bonus
        for number, (item, _length) in whole.items():
            entry = index.entries[number]
            amount = bonus * (1.0 if entry.wordings[item].verified else 0.9)
            score = scores[number]
            score.total += amount
            score.strong = score.exact = True
            score.parts.append((amount, "whole", item, entry.wordings[item].text, "", 1.0))
    return scores, ideal


def _describe(entry: Entry, score: _Score, index: SearchIndex) -> list[str]:
    """Plain reasons from the fields that gave most of an entry's score."""
    groups: dict[tuple[str, int], float] = defaultdict(float)
    typed: dict[tuple[str, int], list[str]] = defaultdict(list)
    typos: list[str] = []
    keywords = entry.all_keywords()
    for amount, kind, item, raw, word, factor in score.parts:
        if kind == "whole":
            kind = "message" if entry.wordings[item].verified else "translation"
        # All topic words of an entry make one reason: "topic words “firewall”, “dns”".
        key = ("keyword", 0) if kind in ("keyword", "phrase") else (kind, item)
        groups[key] += amount
        if kind in ("keyword", "phrase"):
            said = keywords[item]
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
            reasons.append(f"matches the message \u201c{_short(entry.wordings[item].text)}"
                           f"\u201d")
        elif kind == "translation":
            wording = entry.wordings[item]
            language = LANGUAGE_LABELS.get(wording.lang, wording.lang)
            reasons.append(f"matches the {language} wording \u201c{_short(wording.text)}"
                           f"\u201d (a translation no source confirms)")
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


def _best_wording(entry: Entry, score: _Score | None) -> str | None:
    """The folded wording that gave an entry most of its message evidence, if any."""
    if score is None:
        return None
    whole = [part for part in score.parts if part[1] == "whole"]
    if whole:  # a wording found word for word in the text is the one
        return " ".join(raw_words(entry.wordings[whole[0][2]].text))
    per_item: dict[int, float] = defaultdict(float)
    for amount, kind, item, *_rest in score.parts:
        if kind in ("message", "translation"):
            per_item[item] += amount
    if not per_item or max(per_item.values()) < 0.5 * score.total:
        return None
    item = max(per_item, key=lambda i: per_item[i])
    return " ".join(raw_words(entry.wordings[item].text))


def search(query: str, kb: KnowledgeBase | SearchIndex, limit: int = 10,
           category: str | None = None) -> SearchResult:
    """Rank the knowledge base for ``query``; see the module docstring for what it accepts.

    ``category`` keeps only entries of that category (see model.CATEGORIES).
    """
    index = _index_of(kb)
    if not query.strip():
        return SearchResult(query, ())
    binary = looks_binary(query)
    window = query[:WORD_WINDOW]
    # Binary data has digits and letters at random: only a code phrase near the start counts.
    codes = find_codes(window if binary else query, bare=not binary)
    # number -> (score, order, preference, reasons); order: the code's place in the text.
    ranked: dict[int, tuple[float, int, float, list[str]]] = {}
    variant: int | None = None
    unknown: list[int] = []
    known_order: list[int] = []
    if len(window) <= 200:
        typed = " ".join(fold(window).split())
        named = index.by_name.get(typed)
        if named is not None:
            # A topic's id or title typed (or clicked as a related link) in full.
            ranked[named] = (EXPLICIT_SCORE, -1, 0.0, ["the topic's name"])
        variant = index.by_variant_id.get(typed)
        if variant is not None:
            # "403" or "403-sign-in" in full: that entry first, the other meaning after it.
            ranked[variant] = (EXPLICIT_SCORE, -1, 0.0, [f"the id {index.entries[variant].id}"])
    whole = join_spaced_digits(window).strip().strip("#()[]. ")
    for code in codes.order:
        numbers = index.by_code.get(code)
        is_explicit = code in codes.explicit
        if not numbers:
            # "code 12" in other text is no error code; only three-digit ones are reported.
            if is_explicit and code >= 100:
                unknown.append(code)
            continue
        known_order.append(code)
        order = len(known_order) - 1
        for number in numbers:
            if number in ranked:
                continue
            entry = index.entries[number]
            if is_explicit:
                reason = f"code {code}" if whole == str(code) else f"error code {code} in the text"
                preference = 1.0 if code in codes.http and entry.category == "web/HTTP" else 0.0
                ranked[number] = (EXPLICIT_SCORE, order, preference, [reason])
            else:
                ranked[number] = (BARE_SCORE, order, 0.0, [f"the number {code} in the text"])
    if not binary:
        for position, (name, prefixed, capitals) in enumerate(name_tokens(window)):
            if position >= MAX_NAME_TOKENS:
                break
            for number in index.named(name, prefixed, capitals):
                if number not in ranked:
                    entry = index.entries[number]
                    shown = next((n.rsplit(".", 1)[-1] for n in (entry.name, *entry.engine)
                                  if n and n.rsplit(".", 1)[-1].lower() == name), name)
                    ranked[number] = (EXPLICIT_SCORE, len(known_order), 0.0,
                                      [f"engine name {shown} in the text"])

    scores: dict[int, _Score] = {}
    ideal = 0.0
    if not binary:
        skip = {str(c) for c in codes.order}
        # "Error Code: 279" says which code, not what went wrong: only the rest is text.
        scores, ideal = _score_text(index, strip_code_phrases(window), skip)
    relevance = {n: (s.total / ideal if ideal else 0.0) for n, s in scores.items()}
    candidates: list[tuple[float, int]] = []
    for number, score in scores.items():
        entry = index.entries[number]
        if number in ranked:
            # A code written in the text wins; matching words only add to why.
            # Only a matching message text is worth adding ("and the message matches").
            reasons = _describe(entry, score, index)
            if relevance[number] >= 0.3 and reasons[0].startswith("matches the"):
                ranked[number][3].append(reasons[0])
            continue
        # Evidence made only of typo readings ("best" read as "test") must explain more.
        needed = MIN_RELEVANCE if score.exact else FUZZY_RELEVANCE
        if score.strong and relevance[number] >= needed and score.total >= MIN_EVIDENCE:
            candidates.append((relevance[number] * _prior(entry), number))

    code_matches, code_ambiguous = _rank_codes(index, ranked, relevance)
    if variant is not None and not code_ambiguous:
        # The id picks which meaning comes first; the note still says there are two.
        variant_code = index.entries[variant].code
        code_ambiguous = tuple(m.entry.id for m in code_matches if m.entry.code == variant_code)
    text_matches, text_ambiguous = _rank_text(index, candidates, scores)
    matches = code_matches + text_matches
    ambiguous = code_ambiguous or (text_ambiguous if not code_matches else ())
    if category:
        matches = [m for m in matches if m.entry.category == category]
    matches = matches[:limit]
    listed = {m.entry.id for m in matches}
    ambiguous = tuple(i for i in ambiguous if i in listed)
    suggestions: tuple[Match, ...] = ()
    if not matches:
        suggestions = tuple(_suggest(index, codes, scores, category))
    return SearchResult(query, tuple(matches), suggestions, tuple(unknown),
                        tuple(known_order), ambiguous if len(ambiguous) > 1 else (),
                        binary, len(query) > WORD_WINDOW,
                        "named" if variant is not None else "common")


def _rank_codes(index: SearchIndex, ranked: dict[int, tuple[float, int, float, list[str]]],
                relevance: dict[int, float]) -> tuple[list[Match], tuple[str, ...]]:
    """Entries named by a code or an engine name: the first code written first; entries of
    one code (403) by what the text says, then by how common they are."""
    def key(number: int) -> tuple[float, int, float, float, int, int]:
        score, order, preference, _reasons = ranked[number]
        entry = index.entries[number]
        return (-score, order, -round(relevance.get(number, 0.0), 1), -preference,
                -entry.frequency, number)

    order = sorted(ranked, key=key)
    matches = [Match(index.entries[n], ranked[n][0], tuple(ranked[n][3])) for n in order]
    ambiguous: tuple[str, ...] = ()
    if len(order) > 1:
        first, second = key(order[0]), key(order[1])
        code = index.entries[order[0]].code
        if first[:4] == second[:4] and code is not None \
                and index.entries[order[1]].code == code:
            ambiguous = tuple(index.entries[n].id for n in order
                              if index.entries[n].code == code and key(n)[:4] == first[:4])
    return matches, ambiguous


def _rank_text(index: SearchIndex, candidates: list[tuple[float, int]],
               scores: dict[int, _Score]) -> tuple[list[Match], tuple[str, ...]]:
    """Text matches best first. When the best ones tie, or show the very same wording, they
    are one ambiguous group, ordered by how common they are."""
    candidates = sorted(candidates, key=lambda rn: (-rn[0], rn[1]))
    group: list[int] = []
    if candidates:
        top_value, top = candidates[0]
        wording = _best_wording(index.entries[top], scores.get(top))
        owners = set(index.wording_owners.get(wording, ())) if wording else set()
        for value, number in candidates:
            # Entries showing the very same wording can't be told apart by it, however
            # differently their other texts scored.
            same_text = number in owners and len(owners) > 1
            if number == top or same_text or value >= TIE_RATIO * top_value:
                group.append(number)
        if len(group) > 1:
            values = dict((n, v) for v, n in candidates)
            group.sort(key=lambda n: (-index.entries[n].frequency, -values[n], n))
            rest = [(v, n) for v, n in candidates if n not in group]
            candidates = [(values[n], n) for n in group] + rest
    matches: list[Match] = []
    for relevance_value, number in candidates:
        entry = index.entries[number]
        value = round(min(TEXT_SCORE_MAX, TEXT_SCORE_MAX * relevance_value), 1)
        matches.append(Match(entry, value, tuple(_describe(entry, scores[number], index))))
    if len(group) > 1:
        # The group is listed together at the top; their scores say they tie.
        top_value = max(m.score for m in matches[:len(group)])
        matches[:len(group)] = [Match(m.entry, top_value, m.reasons) for m in matches[:len(group)]]
    ambiguous = tuple(index.entries[n].id for n in group) if len(group) > 1 else ()
    return matches, ambiguous


def _suggest(index: SearchIndex, codes: CodesInText, scores: dict[int, _Score],
             category: str | None, count: int = 5) -> list[Match]:
    """Near misses: codes close to a number in the query, entries sharing some words, and
    the codes players look up most."""
    picked: dict[int, Match] = {}

    def offer(number: int, reason: str) -> None:
        entry = index.entries[number]
        if number not in picked and (not category or entry.category == category):
            picked[number] = Match(entry, 0.0, (reason,))

    for code in codes.order[:3]:
        if code < 100:
            continue
        for near in index.nearest_codes(code):
            offer(index.by_code[near][0], f"a known code near {code}")
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
    lone number inside other copied text is too often something else. One- and two-digit
    codes are never offered: the client does not show them.
    """
    if not text or len(text) > max_length or looks_binary(text):
        return None
    index = _index_of(kb)
    for code in find_codes(text, bare=False).explicit:
        numbers = index.by_code.get(code)
        if numbers and code >= 100:
            return index.entries[numbers[0]]
    return None
