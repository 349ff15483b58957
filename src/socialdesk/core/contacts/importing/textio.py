"""Turn the bytes of a contacts file into text.

Order of evidence: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16 without a BOM
(recognised by its pattern of zero bytes); strict UTF-8; a charset the file declares;
and only then a guess among the legacy encodings that address books really write
(Windows-1252/1250/1251/…, Shift_JIS, EUC-JP, GBK, Big5, EUC-KR).

The guess is ours rather than charset-normalizer's: on the short texts contact files
hold (a name or two with one accented letter) charset-normalizer picks code pages such
as cp775 or cp949 that no address book writes. Each candidate that decodes the
non-ASCII lines without error is scored by how implausible the result looks (symbols
or control characters where letters should be, scripts mixed inside one word, rare
letters, an "ñ" before a consonant or an "ń" before a vowel, …); the lowest score
wins and ties go to the more common encoding, the system's own legacy code page first
(so a Korean Windows prefers EUC-KR where Korean and Chinese bytes decode equally well).
"""

from __future__ import annotations

import codecs
import locale
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from socialdesk.core.contacts.importing.errors import ContactImportError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)

# Legacy encodings worth guessing, most common first (ties go to the earlier one).
CANDIDATES = (
    "cp1252", "cp1250", "cp932", "gb18030", "big5", "cp949", "euc_jp",
    "cp1251", "koi8_r", "cp1253", "cp1254", "cp1257", "mac_roman",
)

# Names files declare (vCard CHARSET=…) mapped to the codec that really wrote them.
_ALIASES = {
    "shift_jis": "cp932", "shift-jis": "cp932", "sjis": "cp932", "x-sjis": "cp932",
    "ms_kanji": "cp932", "iso-8859-1": "cp1252", "iso8859-1": "cp1252", "latin1": "cp1252",
    "latin-1": "cp1252", "us-ascii": "cp1252", "ascii": "cp1252", "gb2312": "gb18030",
    "gbk": "gb18030", "euc-kr": "cp949", "ks_c_5601-1987": "cp949", "utf8": "utf-8",
}

_COMMON_PUNCT = frozenset("\u00a0–—‘’‚“”„…€£¥¢°§©®™«»·×÷¿¡²³¹½¼¾\u200b\u2022\u00b4")
_COMMON_LATIN = frozenset(
    "àáâãäåæçèéêëìíîïñòóôõöøùúûüýÿßœ"  # Western Europe
    "ąćęłńśźżčďěňřšťůžőűăâîșşțţğıİ"  # Central Europe, Romania, Turkey
    "ėįųūļķņģāēīõ"  # Baltic
)
_VOWELS = frozenset("aeiouáéíóúü")
_WORD = re.compile(r"[^\W\d_]+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")


@dataclass(frozen=True, slots=True)
class Decoded:
    """The text of a file and the encoding it was read with."""

    text: str
    encoding: str


def unicode_encoding(data: bytes) -> tuple[str, int] | None:
    """The UTF-8/16/32 encoding a BOM or the zero-byte pattern shows, and the BOM's length."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name, len(bom)
    sample = data[:4096]
    pairs = len(sample) // 2
    if pairs >= 2:
        even = sample[0 : 2 * pairs : 2].count(0)
        odd = sample[1 : 2 * pairs : 2].count(0)
        if odd > 0.25 * pairs and even < 0.02 * pairs:
            return "utf-16-le", 0
        if even > 0.25 * pairs and odd < 0.02 * pairs:
            return "utf-16-be", 0
    return None


def codec_for(charset: str) -> str | None:
    """The Python codec for a declared charset name, or None if it is unknown."""
    name = charset.strip().strip('"').lower()
    name = _ALIASES.get(name, name)
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def line_of(data: bytes, offset: int) -> int:
    """The 1-based line number of byte ``offset`` in ``data``."""
    head = data[:offset]
    return head.count(b"\n") + (head.count(b"\r") - head.count(b"\r\n")) + 1


def decode_file(data: bytes, path: Path | str) -> Decoded:
    """Decode a whole text file; raise :class:`ContactImportError` if it is not text."""
    if not data.strip(b" \t\r\n\x00"):
        raise ContactImportError(path, 1, "the file is empty.")
    found = unicode_encoding(data)
    if found:
        name, skip = found
        try:
            text = data[skip:].decode(name)
        except UnicodeDecodeError as error:
            good = data[skip : skip + error.start].decode(name, errors="ignore")
            raise ContactImportError(
                path, good.count("\n") + 1, f"the file looks like {name.upper()} text but "
                "is damaged here (bytes that are not valid in that encoding)."
            ) from error
        encoding = "utf-8-sig" if name == "utf-8" and skip else name
    else:
        if b"\x00" in data:
            raise not_text(path, line_of(data, data.index(b"\x00")))
        try:
            text, encoding = data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            encoding = guess_legacy(data)
            text = data.decode(encoding, errors="replace")
    check_text(text, path)
    return Decoded(text, encoding)


def not_text(path: Path | str, line: int) -> ContactImportError:
    """The error for binary data (a picture, an archive) given as a contacts file."""
    return ContactImportError(
        path, line, "this is not a text file (it holds binary data, such as a picture or "
        "an archive). Choose a vCard (.vcf) or CSV export of your contacts."
    )


def check_text(text: str, path: Path | str) -> None:
    """Refuse decoded text that is really binary data (NULs or many control characters)."""
    pattern = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
    for controls, match in enumerate(pattern.finditer(text), start=1):
        if match.group() == "\x00" or controls > 8 + len(text) // 200:
            raise not_text(path, text.count("\n", 0, match.start()) + 1)


def decode_value(raw: bytes, codec: str | None, fallback: str) -> str:
    """Decode one value: with its declared codec, else UTF-8, else the file's guess."""
    if codec:
        try:
            return raw.decode(codec)
        except (UnicodeDecodeError, LookupError):
            pass
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode(fallback, errors="replace")


def guess_legacy(data: bytes) -> str:
    """Guess the legacy (non-UTF) encoding of ``data`` from its non-ASCII lines."""
    lines: list[bytes] = []
    size = 0
    for line in data.splitlines():
        if not line.isascii():
            lines.append(line)
            size += len(line)
            if size > 1 << 16:
                break
    sample = b"\n".join(lines)
    scored: list[tuple[float, int, str]] = []
    for order, name in enumerate(_candidates()):
        try:
            text = sample.decode(name)
        except UnicodeDecodeError:
            continue
        scored.append((implausibility(text) + _cjk_rarity(text, name), order, name))
    for _, _, name in sorted(scored):
        try:
            data.decode(name)
        except UnicodeDecodeError:
            continue
        return name
    return "cp1252"


@lru_cache(maxsize=1)
def _candidates() -> tuple[str, ...]:
    """The candidate encodings, the system's legacy code page (if one of them) first."""
    try:
        system = codecs.lookup(locale.getencoding()).name
    except (LookupError, AttributeError):
        return CANDIDATES
    names = {codecs.lookup(name).name: name for name in CANDIDATES}
    if system not in names:
        return CANDIDATES
    first = names[system]
    return (first, *(name for name in CANDIDATES if name != first))


# Per double-byte codec: (lead-byte range, penalty) for its common and rarer blocks; lead
# bytes outside every range (vendor extensions, GBK/UHC additions) cost 2.
_DOUBLE_BYTE_BLOCKS: dict[str, tuple[tuple[int, int, float], ...]] = {
    "gb18030": ((0xB0, 0xD7, 0), (0xA1, 0xA9, 0.5), (0xD8, 0xF7, 1)),
    "big5": ((0xA4, 0xC6, 0), (0xA1, 0xA3, 0.5), (0xC9, 0xF9, 1)),
    "cp949": ((0xB0, 0xC8, 0), (0xA1, 0xAF, 0.5), (0xCA, 0xFD, 1)),
    "cp932": ((0x82, 0x83, 0), (0x88, 0x98, 0), (0x81, 0x84, 0.5), (0x99, 0xEA, 1)),
    "euc_jp": ((0xA4, 0xA5, 0), (0xB0, 0xCF, 0), (0xA1, 0xA8, 0.5), (0xD0, 0xF4, 1)),
}


def _cjk_rarity(text: str, codec: str) -> float:
    """Penalty for the rare characters a double-byte decoding produced."""
    blocks = _DOUBLE_BYTE_BLOCKS.get(codec)
    if not blocks:
        return 0.0
    score = 0.0
    for match in _NON_ASCII.finditer(text):
        encoded = match.group().encode(codec, errors="replace")
        if len(encoded) < 2:
            continue
        lead = encoded[0]
        score += next((cost for low, high, cost in blocks if low <= lead <= high), 2.0)
    return score


@lru_cache(maxsize=4096)
def _script(char: str) -> str:
    if char < "\x80":
        return "LATIN"
    name = unicodedata.name(char, "")
    first = name.split(" ", 1)[0]
    if first in ("CJK", "HIRAGANA", "KATAKANA", "IDEOGRAPHIC"):
        return "CJK"
    if first == "HALFWIDTH" and "KATAKANA" in name:
        return "CJK"
    return first or "UNKNOWN"


def implausibility(text: str) -> float:
    """How unlikely ``text`` is to be what a person typed (0 = perfectly plausible)."""
    score = 0.0
    for match in _NON_ASCII.finditer(text):
        char = match.group()
        if char.isalpha() or char in _COMMON_PUNCT:
            continue
        category = unicodedata.category(char)
        score += 4 if category[0] == "C" else 2
    for match in _WORD.finditer(text):
        word = match.group()
        if word.isascii():
            continue
        score += _word_penalty(word)
    return score


def _word_penalty(word: str) -> float:
    scripts = {_script(c) for c in word}
    score = 3.0 * (len(scripts) - 1)
    high = [c for c in word if c >= "\x80"]
    if scripts == {"LATIN"}:
        score += sum(1 for c in high if c.lower() not in _COMMON_LATIN)
        if len(word) >= 4 and len(high) > 0.6 * len(word):
            score += 2
        for index, char in enumerate(word):
            after = word[index + 1 : index + 2].lower()
            if (char == "ñ" and after not in _VOWELS) or (char == "ń" and after in _VOWELS):
                score += 1.5
    score += 0.5 * sum(1 for c in high if "HALFWIDTH" in unicodedata.name(c, ""))
    for index in range(1, len(word)):
        char = word[index]
        if char >= "\x80" and char.isupper() and word[index - 1].islower():
            score += 1
    return score
