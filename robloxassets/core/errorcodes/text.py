"""Text helpers for the error-code search: tokens, a light stemmer, codes and names in text.

Both the index and the queries go through ``raw_words()``, so a query matches the entries
however the player typed or pasted it: case, accents ("conexión" = "conexion"), punctuation,
"kicked"/"kick", "can't"/"cant", in any script (Cyrillic and Turkish words stay whole).

Every helper here is linear in the length of its input; a search reads at most
``WORD_WINDOW`` characters for words but looks for codes in the whole text.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

#: Words are read from this many characters of a paste; codes from all of it.
WORD_WINDOW = 20_000
#: At most this many distinct codes are taken from one text (a 1 MB log has thousands of
#: numbers; the first ones are what the player is asking about).
MAX_CODES = 20

# Letters and digits are separate words: "4096x4096" reads as "4096", "x", "4096".
_WORD_RE = re.compile(r"[^\W\d_]+|\d+")
_APOSTROPHES = re.compile(r"[\u2019'`´]")
_PLACEHOLDER = re.compile(r"<[^<>]{1,20}>")
_CAMEL = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|_")
# Letters NFKD does not take apart (Turkish dotless i, German sharp s, Nordic letters).
_LETTERS = str.maketrans({"ı": "i", "ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "ł": "l",
                          "đ": "d", "ð": "d", "þ": "th"})

# Words that say "the number after me is an error code", in the languages players paste:
# "Error Code: 279", "err277", "code:279", "código de error: 267", "erro 277", "ошибка 279",
# "kode kesalahan 279", "hata kodu 279", "Fehlercode 279", "code d'erreur 279", "HTTP 429",
# log lines ("Disconnect reason received: 262", "Sending disconnect with reason: 285") and
# URL slugs ("error-code-277", "errorCode=279").
_CODE_WORDS = (
    r"error[\s_-]*code|c[oó]digo[\s_-]+de[\s_-]+err(?:or|o)|code[\s_-]+d[\s_'’-]*erreur|"
    r"kode[\s_-]+(?:kesalahan|galat|error)|hata[\s_-]+kodu|fehler[\s_-]*code|"
    r"ошибк[аиуеой]*(?:[\s_-]+код)?|код[\s_-]+ошибки|errors?|erro|err|erreur|fehler|"
    r"c[oó]digo|code|kode|kod|http(?:[\s_-]*status)?|status[\s_-]*code|"
    r"(?:disconnect[\s_-]+)?reason(?:[\s_-]+received)?"
)
_EXPLICIT_CODE = re.compile(
    rf"(?<![^\W\d_])(?P<word>{_CODE_WORDS})[\s_:#=()\[\]-]{{0,4}}(?P<code>\d{{1,3}})(?![\dx])",
    re.IGNORECASE)
# Where a code word can start, in lower case: a fast scan for these finds the few places the
# full pattern above has to be tried ("disconnect reason" is found at "reason").
_CODE_WORD_STARTS = re.compile(r"err|cod|c\u00f3dig|kod|http|status|reason|fehler|hata|"
                               r"\u043e\u0448\u0438\u0431\u043a|\u043a\u043e\u0434")
# Runs of exactly three ASCII digits (the check of their neighbours is done in Python).
_THREE_DIGITS = re.compile(r"(?<![0-9])[0-9]{3}(?![0-9])")
_THREE_DIGITS_B = re.compile(rb"(?<![0-9])[0-9]{3}(?![0-9])")
# A lone three-digit number counts unless it is part of 1024, 17.5, 12:30, an IP address, a
# path ("/issues/286"), an issue ("#206" after a word) or a word ("x279", "279th").
_NOT_BEFORE_BARE = frozenset(".,:/#-_")
_NOT_AFTER_BARE = frozenset("_")
# Three single digits with single spaces between them, as players type codes: "2 7 9".
_SPACED = re.compile(r"(?<![\d.,:])(?<!\d )\b(\d) (\d) (\d)\b(?! \d)(?![.,:]\d)")
_WHOLE = re.compile(r"^[\s#()\[\].:-]*(\d{1,3})[\s()\[\].:-]*$")
# Engine names as scripts print them: "Enum.ConnectionError.DisconnectLuaKick", a bare
# CamelCase name, or an Open Cloud code ("PERMISSION_DENIED").
_NAME_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z][A-Za-z0-9_]*)*")

_STOPWORD_TEXT = """
a an the is are was were be been being am to of in on at for from by with and or but if
it its this that these those i me my mine you your yours we our us he she they them their
has have had do does did doing done so as than then there here just also very too
please how what why when where which who whom whose can could should would will shall may
might must get gets got getting keep keeps kept help fix fixed fixing im ive dont
doesnt didnt isnt wasnt any some all mean means meaning says said saying say shows showed
showing popped pop pops up happen happens happened happening anyone someone thing
thanks thank hi hey guys pls plz idk like really still everytime every while
lol lmao same ok okay yes yeah
"""
# Function words of the other languages players paste dialogs in. Only words that never
# name what went wrong: "no", "sem", "sin" (without) stay, they are part of messages.
_STOPWORDS_OTHER = """
de la el los las un una unos unas y u al del en por para con se te tu tus mi mis me lo le
les que es son fue ser estar esta este esto eso ese esa muy mas pero como cuando donde ya
hay su sus nos
da do das dos o os uma uns umas e ou em na nas pelo pela ao aos seu sua seus suas meu
minha isso esse essa muito mas voce eu foi sao
du des et dans pour avec ce cette ces son sa ses mon ma mes qui est sont ete etre avez
vous votre vos nous il elle ne pas
der die das dem den des ein eine einer eines einem und oder zu zum zur im am an auf fur
mit ist sind war wurde wurdest dein deine ich mich wir sie es vom von bei
dan atau di ke dari yang untuk dengan ini itu kamu anda saya
ve veya bir bu su icin ile mi ben sen siz
"""
STOPWORDS = frozenset(_STOPWORD_TEXT.split()) | frozenset(_STOPWORDS_OTHER.split())


def fold(text: str) -> str:
    """Lower-case text without accents or apostrophes ("Conexión" -> "conexion",
    "can't" -> "cant"), other scripts kept."""
    text = text.lower()
    if not text.isascii():  # most texts are: they need no decomposing
        text = unicodedata.normalize("NFKD", text.translate(_LETTERS))
        if not text.isascii():
            text = "".join(ch for ch in text if not unicodedata.combining(ch))
    if "'" in text or "\u2019" in text or "`" in text or "\u00b4" in text:
        text = _APOSTROPHES.sub("", text)
    return text


@lru_cache(maxsize=65536)
def stem(word: str) -> str:
    """A small suffix stripper: "kicked", "kicks", "kicking" all become "kick".

    Not linguistics, just consistency: the index and the query go through the same rules,
    in every language.
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
    if "<" in text:
        text = _PLACEHOLDER.sub(" ", text)
    return _WORD_RE.findall(fold(text))


def words(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Stemmed words of ``text`` in order (stopwords dropped unless asked to keep them)."""
    return [stem(w) for w in raw_words(text) if keep_stopwords or w not in STOPWORDS]


def split_name(name: str) -> str:
    """An engine name as words: "TeleportGameFull" -> "Teleport Game Full"."""
    return _CAMEL.sub(" ", name)


def compact_name(name: str) -> str:
    """The form engine names are looked up by: "DisconnectLuaKick" -> "disconnectluakick"."""
    return name.lower()


@dataclass(frozen=True)
class CodesInText:
    """Codes found in a text, each list in order of first appearance.

    ``explicit``: written as codes ("Error Code: 279", "err277", "#529", the whole text "279",
    a log line's "reason: 262"). ``bare``: lone three-digit numbers elsewhere, which only
    count if they are known codes. ``http``: the explicit codes written as "HTTP 429".
    ``order``: every code, explicit or bare, in the order the text names them.
    """

    explicit: tuple[int, ...]
    bare: tuple[int, ...]
    http: frozenset[int] = frozenset()
    order: tuple[int, ...] = ()
    #: Where each phrase that only names a code starts and ends, to read the text without it.
    spans: tuple[tuple[int, int], ...] = ()


#: Lone three-digit numbers ("got 277 again") count as codes only when a text has this few
#: different ones.
MAX_BARE_NUMBERS = 5


def join_spaced_digits(text: str) -> str:
    """``text`` with codes typed as spaced digits joined: "error 2 7 9" -> "error 279".
    Only the first ``WORD_WINDOW`` characters are looked at: players type codes, logs don't
    space them."""
    head = _SPACED.sub(lambda m: m.group(1) + m.group(2) + m.group(3), text[:WORD_WINDOW])
    return head + text[WORD_WINDOW:]


def _explicit_matches(text: str) -> list[re.Match[str]]:
    """Every "code word + number" phrase, in order. The full pattern is only tried where a
    code word starts, which a plain scan of the lower-cased text finds fast."""
    lower = text.lower()
    if len(lower) != len(text):  # a letter whose lower case is longer: scan the slow way
        return list(_EXPLICIT_CODE.finditer(text))
    found: list[re.Match[str]] = []
    last_end = -1
    for start in _CODE_WORD_STARTS.finditer(lower):
        if start.start() < last_end:
            continue
        match = _EXPLICIT_CODE.match(text, start.start())
        if match is not None:
            found.append(match)
            last_end = match.end()
            if len(found) > 4 * MAX_CODES:
                break
    return found


def _bare_numbers(text: str, limit: int) -> list[tuple[int, int]]:
    """(position, number) of lone three-digit numbers, at most ``limit`` of them."""
    found: list[tuple[int, int]] = []
    # ASCII text is scanned as bytes, which is several times faster and keeps positions.
    runs = (_THREE_DIGITS_B.finditer(text.encode("ascii")) if text.isascii()
            else _THREE_DIGITS.finditer(text))
    for run in runs:
        start, end = run.span()
        before = text[start - 1] if start else " "
        after = text[end] if end < len(text) else " "
        if before in _NOT_BEFORE_BARE or before.isalnum() or after.isalnum() or \
                after in _NOT_AFTER_BARE:
            continue
        if after in ".,:" and end + 1 < len(text) and text[end + 1].isdigit():
            continue
        found.append((start, int(text[start:end])))
        if len(found) >= limit:
            break
    return found


def find_codes(text: str, *, bare: bool = True) -> CodesInText:
    """Codes written as codes, and (with ``bare``) lone three-digit numbers.

    One- and two-digit numbers only count when they are written as codes ("error code 5"):
    anywhere else they are counts, times and ids. Linear in the length of ``text``.
    """
    text = join_spaced_digits(text)
    found: list[tuple[int, int, bool]] = []  # (position, code, explicit)
    http: set[int] = set()
    spans: list[tuple[int, int]] = []
    for match in _explicit_matches(text):
        digits = match.group("code")
        word = match.group("word").lower()
        if len(digits) < 3 and word.startswith(("http", "status")):
            continue  # "HTTP 2" is no status code
        code = int(digits)
        found.append((match.start(), code, True))
        spans.append((match.start(), match.end()))
        if word.startswith("http"):
            http.add(code)
    position = text.find("#")
    while position != -1 and len(spans) <= 8 * MAX_CODES:
        # "#529", but not an issue number glued to a word ("bloxstrap#206").
        digits = text[position + 1:position + 5].lstrip(" ")[:4]
        before = text[position - 1] if position else " "
        if len(digits) >= 3 and digits[:3].isdigit() and not digits[3:4].isdigit() \
                and not (before.isalnum() or before in "&_"):
            found.append((position, int(digits[:3]), True))
            spans.append((position, position + 1 + len(text[position + 1:]) -
                           len(text[position + 1:].lstrip(" ")) + 3))
        position = text.find("#", position + 1)
    whole = _WHOLE.match(text) if len(text) < 40 else None
    if whole:
        found.append((whole.start(1), int(whole.group(1)), True))
    if bare:
        numbers = list(_bare_numbers(text, 4 * MAX_CODES))
        # In a text full of numbers (a log, a table) lone numbers are data, not the code the
        # player saw: they count only when there are a few of them.
        if len({code for _position, code in numbers}) <= MAX_BARE_NUMBERS:
            found.extend((position, code, False) for position, code in numbers)
    found.sort()
    explicit: dict[int, None] = {}
    loose: dict[int, None] = {}
    order: dict[int, None] = {}
    for _pos, code, is_explicit in found:
        (explicit if is_explicit else loose).setdefault(code)
        order.setdefault(code)
        if len(order) >= MAX_CODES:
            break
    explicit_codes = tuple(explicit)
    return CodesInText(explicit_codes, tuple(c for c in loose if c not in explicit),
                       frozenset(http & set(explicit_codes)), tuple(order), tuple(spans))


def strip_code_phrases(text: str, codes: CodesInText | None = None) -> str:
    """``text`` without the phrases that only name a code ("(Error Code: 279)")."""
    text = join_spaced_digits(text)
    spans = codes.spans if codes is not None else tuple(
        (m.start(), m.end()) for m in _explicit_matches(text))
    if not spans:
        return text
    pieces: list[str] = []
    pos = 0
    for start, end in sorted(spans):
        if start >= pos:
            pieces.append(text[pos:start])
            pos = end
    pieces.append(text[pos:])
    return " ".join(pieces)


def name_tokens(text: str) -> list[tuple[str, bool, bool]]:
    """Candidate engine and Open Cloud names in ``text``: (lower-case name, written with an
    enum prefix such as "ConnectionError.", written in capitals like PERMISSION_DENIED)."""
    found: list[tuple[str, bool, bool]] = []
    for match in _NAME_TOKEN.finditer(text):
        token = match.group(0)
        # Names are CamelCase ("DisconnectLuaKick"), CAPITALS_WITH_UNDERSCORES or written
        # with their enum ("ConnectionError.OK"); plain words are skipped cheaply.
        if "." not in token and "_" not in token and token.islower():
            continue
        parts = token.split(".")
        last = parts[-1]
        if len(last) < 2:
            continue
        prefixed = len(parts) > 1 and parts[-2].lower() in ("connectionerror", "teleportresult")
        found.append((compact_name(last), prefixed, last.isupper()))
    return found


# Characters people don't write: controls (but tab and line breaks), the replacement
# character, undecodable bytes kept as surrogates, and private-use characters.
_ODD_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ufffd\ud800-\udfff"
                             "\ue000-\uf8ff]")


def looks_binary(text: str, sample: int = 4096) -> bool:
    """Whether ``text`` is binary data rather than something a person wrote: a NUL anywhere,
    or many control characters, replacement characters or undecodable bytes in its first
    ``sample`` characters."""
    if "\x00" in text:  # no dialog, log or forum post holds a NUL
        return True
    head = text[:sample]
    if not head:
        return False
    return len(_ODD_CHARACTERS.findall(head)) > 0.05 * len(head)


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count as one), or limit+1 if larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    if a == b:
        return 0
    prev2: list[int] = []
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i] * (len(b) + 1)
        row_min = i
        for j, cb in enumerate(b, 1):
            # Plain comparisons: min() of three is the slow part of this loop.
            best = prev[j - 1] if ca == cb else prev[j - 1] + 1
            if prev[j] + 1 < best:
                best = prev[j] + 1
            if cur[j - 1] + 1 < best:
                best = cur[j - 1] + 1
            if i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb and prev2[j - 2] + 1 < best:
                best = prev2[j - 2] + 1
            cur[j] = best
            if best < row_min:
                row_min = best
        if row_min > limit:
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
