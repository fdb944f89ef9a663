"""Text helpers for the error-code search: tokens, a light stemmer, codes found in pasted text.

Both the index and the queries go through ``words()``, so a query matches the entries however
the player typed or pasted it (case, punctuation, "kicked"/"kick", "can't"/"cant").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

_WORD_RE = re.compile(r"[a-z0-9]+")
_APOSTROPHES = re.compile(r"[\u2019'`]")
_PLACEHOLDER = re.compile(r"<[^<>]{1,20}>")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])|_")

# An explicit code: "Error Code: 279", "(Error Code: 279)", "error 279", "code279", "HTTP 429".
_EXPLICIT_CODE = re.compile(
    r"\b(?:error[\s_-]*code|error|err|code|http(?:\s*status)?|status\s*code)\s*[:#=-]?\s*"
    r"\(?(\d{3})(?!\d)", re.IGNORECASE)
# A lone three-digit number ("279", "got 277 again") but not part of 1024, 17.5 or 12:30.
_BARE_NUMBER = re.compile(r"(?<![\d.,:/])\b(\d{3})\b(?![\d]|[.,:]\d)")

#: Words that say nothing about which error it is; dropped from queries and the index.
_STOPWORD_TEXT = """
a an the is are was were be been being am to of in on at for from by with and or but if
it its this that these those i me my mine you your yours we our us he she they them their
has have had do does did doing done so as than then there here just also very too
please how what why when where which who whom whose can could should would will shall may
might must get gets got getting keep keeps kept help fix fixed fixing im ive dont
doesnt didnt isnt wasnt any some all mean means meaning says said saying say shows showed
showing popped pop pops up happen happens happened happening anyone someone thing
thanks thank hi hey guys pls plz idk like really still everytime every while
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def fold(text: str) -> str:
    """Lower-case ASCII-ish text: accents removed, apostrophes dropped ("can't" -> "cant")."""
    if text.isascii():  # nothing to decompose: skips a loop over every character of a paste
        return _APOSTROPHES.sub("", text.lower())
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return _APOSTROPHES.sub("", text.lower())


def stem(word: str) -> str:
    """A small suffix stripper: "kicked", "kicks", "kicking" all become "kick".

    Not linguistics, just consistency: the index and the query go through the same rules.
    """
    if len(word) <= 3 or word.isdigit():
        return word
    for suffix in ("ing", "ed"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            word = word[: -len(suffix)]
            if word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "banned" -> "ban", "stopped" -> "stop"
            break
    else:
        if word.endswith("ies") and len(word) > 4:
            word = word[:-3] + "y"
        elif word.endswith(("shes", "ches", "xes", "sses")):
            word = word[:-2]
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")) and len(word) > 3:
            word = word[:-1]
    # A final e is dropped so "leave"/"leaving" and "update"/"updated" meet.
    if len(word) > 3 and word.endswith("e"):
        word = word[:-1]
    return word


def raw_words(text: str) -> list[str]:
    """Folded words of ``text`` in order, placeholders like ``<reason>`` left out."""
    return _WORD_RE.findall(fold(_PLACEHOLDER.sub(" ", text)))


def words(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Stemmed words of ``text`` in order (stopwords dropped unless asked to keep them)."""
    return [stem(w) for w in raw_words(text) if keep_stopwords or w not in STOPWORDS]


# Control characters other than tab and line breaks, and U+FFFD (what undecodable bytes
# become): text a player pastes has almost none of them; a binary file has plenty.
_NOT_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffd\udc80-\udcff]")
#: Share of such characters above which the input is taken for binary data, not text.
BINARY_SHARE = 0.02


def looks_binary(text: str) -> bool:
    """True for input that is not text (a NUL, or many control or undecodable characters):
    a number found in it is no error code anyone saw."""
    if "\x00" in text:
        return True
    sample = text[:65536]
    return bool(sample) and len(_NOT_TEXT.findall(sample)) > BINARY_SHARE * len(sample)


def split_name(name: str) -> str:
    """An engine name as words: "TeleportGameFull" -> "Teleport Game Full"."""
    return _CAMEL.sub(" ", name)


@dataclass(frozen=True)
class CodesInText:
    """Three-digit codes found in a text, each list in order of first appearance."""

    explicit: tuple[int, ...]
    bare: tuple[int, ...]


def find_codes(text: str) -> CodesInText:
    """Codes written as codes ("Error Code: 279", or the whole text being "279") and lone
    three-digit numbers elsewhere, which only count if they are known codes."""
    explicit = [int(m.group(1)) for m in _EXPLICIT_CODE.finditer(text)]
    stripped = text.strip().strip("#()[]. ")
    if stripped.isdigit() and len(stripped) == 3:
        explicit.append(int(stripped))
    bare = [int(m.group(1)) for m in _BARE_NUMBER.finditer(text)]
    explicit_unique = tuple(dict.fromkeys(explicit))
    return CodesInText(explicit_unique,
                       tuple(c for c in dict.fromkeys(bare) if c not in explicit_unique))


def strip_code_phrases(text: str) -> str:
    """``text`` without the phrases that only name a code ("(Error Code: 279)")."""
    return _EXPLICIT_CODE.sub(" ", text)


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count as one), or limit+1 if larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                cur[j] = min(cur[j], prev2[j - 2] + 1)
        if min(cur) > limit:
            return limit + 1
        prev2, prev = prev, cur
    return min(prev[-1], limit + 1)


def deletes(word: str, depth: int) -> set[str]:
    """Every string made by deleting up to ``depth`` letters of ``word`` (SymSpell keys)."""
    found = {word}
    frontier = {word}
    for _ in range(depth):
        frontier = {w[:i] + w[i + 1:] for w in frontier for i in range(len(w)) if len(w) > 2}
        found |= frontier
    return found
