"""Bytes to str: BOMs, UTF-16, UTF-8, then the legacy code pages people still save in."""

from __future__ import annotations

import codecs
import re

from app.ingest.model import IngestError

# Tried in this order when the bytes are not UTF-8; ties go to the earlier one. Windows code
# pages first because that is what old Word and Notepad write; KOI8-R and CP866 still turn up
# in Russian archives. Anything else (Greek, Arabic, CJK…) is left to charset-normalizer.
_LEGACY = ("cp1252", "cp1251", "latin-1", "koi8_r", "cp866", "mac_cyrillic", "iso8859_5", "cp1250")
_SAMPLE = 64 * 1024  # enough to judge an encoding; scoring a 20 MB file would take seconds
_WORD = re.compile(r"[^\W\d_]+")
# UTF-32 first: its little-endian BOM (FF FE 00 00) begins with UTF-16's (FF FE).
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


def decode(data: bytes, name: str) -> str:
    """BOM first, then UTF-16 by its zero bytes, strict UTF-8, then a legacy code page."""
    if not data.strip():
        raise IngestError(f"{name} is empty.")
    for bom, encoding in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                label = encoding.upper()
                raise IngestError(f"{name} says it is {label} but is not valid {label}.") from None
    if (utf16 := _bomless_utf16(data)) is not None:
        return utf16
    if b"\x00" in data[:8192]:
        raise IngestError(f"{name} looks like a binary file, not text.")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    if (mixed := _mixed(data, name)) is not None:
        return mixed
    if (legacy := _legacy(data)) is not None:
        return legacy
    from charset_normalizer import from_bytes  # imported late: only exotic files need it

    unknown = f"{name} is not valid UTF-8 and its encoding could not be recognised."
    best = from_bytes(data[:1_000_000]).best()
    if best is None or best.chaos > 0.2:
        raise IngestError(unknown)
    try:
        return data.decode(best.encoding, errors="strict")
    except UnicodeDecodeError:  # judged on the first megabyte; the rest may disagree
        raise IngestError(unknown) from None


def _bomless_utf16(data: bytes) -> str | None:
    """UTF-16 without a BOM: its high bytes are zero (ASCII) or one block (0x04: Cyrillic)."""
    head = data[:8192]
    if len(head) < 16 or len(data) % 2:
        return None
    even, odd = head[0::2], head[1::2]
    for encoding, high, low in (("utf-16-le", odd, even), ("utf-16-be", even, odd)):
        # Spaces and punctuation put zeros in the high bytes of any real text, never in the low.
        if high.count(0) < 0.1 * len(high) or low.count(0) > 0.02 * len(low):
            continue
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            return None
        sample = text[:4096]
        printable = sum(c.isprintable() or c in "\n\r\t" for c in sample)
        if printable > 0.95 * len(sample) and _implausibility(sample) <= 0.05:
            return text
    return None


def _mixed(data: bytes, name: str) -> str | None:
    """UTF-8 with lines in another encoding (a text pasted together from two sources), repaired
    line by line: the lines that are not UTF-8 are judged together, as one legacy text.

    None when no line holds UTF-8 beyond ASCII: then the whole file is in one legacy encoding.
    Legacy text is almost never valid UTF-8 by chance (a Cyrillic or accented letter followed by
    another letter is not a UTF-8 sequence), so a line that decodes as UTF-8 is UTF-8.
    """
    lines = data.split(b"\n")
    foreign: list[int] = []
    utf8 = False
    for i, line in enumerate(lines):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            foreign.append(i)
    if not utf8 or not foreign:
        return None
    rest = b"\n".join(lines[i] for i in foreign)
    encoding = _legacy_encoding(rest[:_SAMPLE])
    if encoding is None:
        from charset_normalizer import from_bytes

        best = from_bytes(rest[:1_000_000]).best()
        encoding = best.encoding if best is not None and best.chaos <= 0.2 else None
    if encoding is None:
        raise IngestError(
            f"{name} mixes UTF-8 with another encoding that could not be recognised; "
            "save it as UTF-8 and import it again."
        )
    strangers = set(foreign)
    out: list[str] = []
    for i, line in enumerate(lines):
        try:
            out.append(line.decode(encoding if i in strangers else "utf-8"))
        except UnicodeDecodeError:
            raise IngestError(
                f"{name} mixes UTF-8 with another encoding, and line {i + 1} is in neither; "
                "save it as UTF-8 and import it again."
            ) from None
    return "\n".join(out)


def _legacy(data: bytes) -> str | None:
    """The legacy code page whose reading of the bytes looks most like real words.

    charset-normalizer alone reads a short Russian cp1251 note as cp1125, mac_cyrillic or even
    Shift-JIS, and short French Latin-1 as cp1250 ("à" becomes "ŕ"); judging whole words is
    more robust on short texts: a wrong code page mixes scripts inside a word ("prйsident"),
    puts capitals inside words ("пРИВЕТ" from KOI8-R), or yields symbols and control characters.
    """
    encoding = _legacy_encoding(data[:_SAMPLE])
    if encoding is None:
        return None
    try:
        return data.decode(encoding)
    except UnicodeDecodeError:  # the sample ended inside a character or the rest disagrees
        return None


def _legacy_encoding(sample: bytes) -> str | None:
    best: tuple[float, str] | None = None
    for encoding in _LEGACY:
        try:
            text = sample.decode(encoding)
        except UnicodeDecodeError:
            continue
        score = _implausibility(text)
        if score <= 0.05 and (best is None or score < best[0]):
            best = (score, encoding)
            if score == 0:
                break
    return None if best is None else best[1]


def _implausibility(text: str) -> float:
    """Share of words and non-ASCII characters that real text in this script would not have."""
    odd = sum(1 for c in text if ord(c) > 127 and not (c.isalpha() or c in _PUNCTUATION))
    odd += sum(1 for c in text if ord(c) < 32 and c not in "\n\r\t")
    non_ascii = sum(1 for c in text if ord(c) > 127) or 1
    words = _WORD.findall(text)
    bad = sum(1 for w in words if not _plausible_word(w))
    return max(odd / non_ascii, bad / (len(words) or 1))


# Non-letters that real text holds outside ASCII: typographic quotes, dashes, spaces, signs.
_PUNCTUATION = frozenset("«»‹›‚„“”‘’–—…•·°§¶©®™€£¥¢№±×÷¼½¾¹²³µ¿¡\u00a0\u202f\u2009\u00ad")


def _plausible_word(word: str) -> bool:
    if word.isascii():
        return True
    word = "".join(filter(str.isalpha, word))  # \w also takes "³" and other number signs
    if not word:
        return True
    cyrillic = sum(1 for c in word if "\u0400" <= c <= "\u04ff")
    if cyrillic and cyrillic != len(word):
        return False  # "prйsident": a Latin word with a Cyrillic letter in it
    if not cyrillic and not all(_latin(c) for c in word):
        return False  # Greek, Arabic, box drawing: other readers' business
    if any(a.islower() and b.isupper() for a, b in zip(word, word[1:], strict=False)):
        return False
    if cyrillic:
        return True
    # "Ïðèâåò" and "äà" are Russian read as cp1252: Latin words are mostly ASCII letters.
    accented = sum(1 for c in word if not c.isascii())
    if len(word) < 2:
        return True
    return accented < len(word) and (len(word) < 4 or accented <= 0.6 * len(word))


def _latin(c: str) -> bool:
    return c.isascii() or "\u00c0" <= c <= "\u024f" or c in "ªºµ"
