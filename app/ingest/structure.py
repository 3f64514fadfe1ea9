"""Which parts of an article's text are title, body, interview turns, comments or page furniture."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from app.domain.segments import Segment, SegmentKind
from app.ingest import budget
from app.ingest import patterns as p

FURNITURE_WORDS = 15  # a longer line is prose, whatever widget words it contains
TITLE_CHARS = 200
TITLE_WORDS = 30
QUESTION_CHARS = 600  # an interviewer's question is short; an answer may end on a rhetorical one
WRAPPED_SHARE = 0.75  # a hard-wrapped line is at least this share of the block's widest
BODY_BEFORE_COMMENTS = 30  # words of article before a "Comments" line can open the comment section
# Lines are told apart (furniture, dates, comment openers) in this much of a text; past it, a
# book-length file is read as plain paragraphs: the patterns cost seconds per 10 MB, and
# detection reads no further either (app.detection.detector.MAX_CHARS).
STRUCTURE_CHARS = 2_000_000
TAGGED_LINES = 20_000  # and in this many short lines (each costs three pattern matches or more)
PLAIN_RUN_CHARS = 20_000  # past those, paragraphs are stored in runs of up to this many characters

_TERMINAL = ".!?…:;\"'”»)]"
# Decoration around widget words: "— Advertisement —", "## Comments", "△ ▽ Reply", "Share ›".
_EDGE = " \t\u00a0•·|»«›‹><–—-:*#△▽▲▼↑↓←→✓✔✕✖×+❤♥☆★"
_SEPARATOR = re.compile(r"\s*[•·|▪]\s*")  # "Like · Reply · 3y"
# "Name :" or "Name:" (French puts a space before the colon), maybe in Markdown bold: "**Name:**".
_PREFIX = re.compile(r"([^:：\n]{1,50}?)[ \t\u00a0\u202f]*[:：][*_]*(?=\s|$)")
_TWO_SENTENCES = re.compile(r"[^\W\d_]{3}[.!?]\s+[^\W\d_]")
_INITIAL = re.compile(r"(?:[^\W\d_]{1,2}\.-?){1,3}")
_HANDLE = re.compile(r"@?[\w.\-]{2,40}")


@dataclass(slots=True)
class _Unit:
    """A paragraph: one line, or hard-wrapped lines joined, trimmed of surrounding whitespace."""

    start: int
    end: int
    text: str
    block: int
    tag: str  # "opener", "furniture", "date", or "" for prose
    words: int
    plain: bool = False  # past the structure budget: a paragraph, not told apart from others


def analyse(text: str, *, title: str | None = None, lang: bool = True) -> tuple[Segment, ...]:
    """Segments covering every non-blank character of text, in order.

    `title` is the title the importer already knows (HTML <title>, .docx properties): a first
    paragraph equal to it is the title whatever its shape. With lang=False no language is
    detected: pure structure, under a millisecond for a page-long article.
    """
    units = _units(text)
    segments = _Classifier(units, title).segments()
    if lang:
        from app.ingest.language import tag  # lingua is heavy; structure alone does not need it

        return tag(text, segments)
    return segments


def _units(text: str) -> list[_Unit]:
    lines: list[_Unit] = []
    block, blank, pos, tagged = 0, False, 0, 0
    for n, raw in enumerate(text.split("\n")):
        if not n % 16384:
            budget.check("reading its paragraphs")
        stripped = raw.strip()
        if stripped:
            if blank and lines:
                block += 1
            blank = False
            start = pos + len(raw) - len(raw.lstrip())
            words = len(stripped.split())
            plain = start >= STRUCTURE_CHARS or tagged >= TAGGED_LINES
            tag = ""
            if not plain and words <= FURNITURE_WORDS:
                tagged += 1
                tag = _tag(stripped, words)
            lines.append(_Unit(start, start + len(stripped), stripped, block, tag, words, plain))
        else:
            blank = True
        pos += len(raw) + 1
    return _join_wrapped(text, lines)


def _tag(line: str, words: int) -> str:
    if words > FURNITURE_WORDS:
        return ""
    core = line.strip(_EDGE)
    if not core:
        return "furniture"  # a rule of dashes or bullets
    if tag := _tag_words(core):
        return tag
    parts = [part.strip(_EDGE) for part in _SEPARATOR.split(core)]
    tags = [_tag_words(part) for part in parts if part]
    if len(tags) < 2 or not all(tags):
        return ""
    if "opener" in tags:
        return "opener"  # "12 Comments · Sort by Best"
    return "date" if set(tags) == {"date"} else "furniture"  # "Like · Reply · 3y"


def _tag_words(core: str) -> str:
    if p.OPENER.fullmatch(core):
        return "opener"
    if p.DATE.fullmatch(core):
        return "date"
    if p.FURNITURE.fullmatch(core):
        return "furniture"
    return ""


def _join_wrapped(text: str, lines: list[_Unit]) -> list[_Unit]:
    """Join the lines of a paragraph hard-wrapped by a PDF or an e-mail back into one unit."""
    widths = _wrap_widths(lines)
    units: list[_Unit] = []
    last_line = 0  # length of the last line of units[-1]
    for line in lines:
        prev = units[-1] if units else None
        if (
            prev is not None
            and prev.block == line.block
            and not prev.tag
            and not line.tag
            and not prev.text.endswith(tuple(_TERMINAL))
            and (
                line.text[0].islower()
                or prev.text[-1] in ",-("
                or last_line >= WRAPPED_SHARE * widths.get(line.block, 10**9)
            )
        ):
            prev.end = line.end
            prev.text = text[prev.start : prev.end]
            prev.words += line.words
        else:
            units.append(line)
        last_line = len(line.text)
    return units


def _wrap_widths(lines: list[_Unit]) -> dict[int, int]:
    """Width of each block that is text wrapped at a fixed width: most lines nearly as wide as the
    widest and ending mid-sentence. Paragraphs one per line (trafilatura's output) end in a stop."""
    by_block: dict[int, list[_Unit]] = {}
    for line in lines:
        by_block.setdefault(line.block, []).append(line)
    widths = {}
    for block, members in by_block.items():
        body = members[:-1]  # a paragraph's last line is short
        if len(body) < 2:
            continue
        widest = max(len(m.text) for m in body)
        full = sum(1 for m in body if len(m.text) >= WRAPPED_SHARE * widest)
        open_ended = sum(1 for m in body if not m.text.endswith(tuple(_TERMINAL)))
        if widest >= 40 and full >= 0.7 * len(body) and open_ended >= 0.5 * len(body):
            widths[block] = widest
    return widths


def name_like(s: str, max_tokens: int = 5) -> bool:
    """A person's or outlet's name: capitals, initials, particles ("Emmanuel Dupuy", "Быков Р.")."""
    tokens = s.split()
    if not 1 <= len(tokens) <= max_tokens or len(s) > 50:
        return False
    named = 0
    for i, token in enumerate(tokens):
        if (i and token in p.PARTICLES) or token.lower() in p.HONORIFICS:
            continue
        if _INITIAL.fullmatch(token) and not token[0].islower():
            named += 1
            continue
        # Georgian and Arabic have no capitals: any letter that is not lower case will do.
        if not token[0].isalpha() or token[0].islower():
            return False
        if not all(c.isalpha() or c in "-'’" for c in token):
            return False
        named += 1
    return named > 0


def _handle(s: str) -> bool:
    return bool(_HANDLE.fullmatch(s)) and any(c.isalpha() for c in s) and not s.endswith(".")


def _speaker(unit: _Unit) -> str | None:
    """The name before " :" opening a paragraph, if it looks like a name and not a label."""
    m = _PREFIX.match(unit.text)
    if m is None:
        return None
    name = m.group(1).strip().strip("*_").strip()
    if not name_like(name) or any(token.lower().strip(".") in p.LABELS for token in name.split()):
        return None
    return name


def speaker_label(line: str, *, known: bool = False) -> tuple[str, int] | None:
    """(name, length of the label) for a line opened by a speaker's label ("Donald Trump: …").

    A one-word name counts only when the text is known to be a transcript (known=True):
    "Gaza: what we know" is a headline, "Donald Trump: Thank you" a transcript.
    """
    m = _PREFIX.match(line)
    if m is None:
        return None
    name = m.group(1).strip().strip("*_").strip()
    if not name_like(name) or any(token.lower().strip(".") in p.LABELS for token in name.split()):
        return None
    if not known and len(name.split()) < 2:
        return None
    return name, m.end()


def _is_question(text: str) -> bool:
    return len(text) <= QUESTION_CHARS and text.rstrip(" \"'”»)]").endswith(("?", "？", "؟"))


def _same_title(line: str, title: str) -> bool:
    a = " ".join(line.strip(_EDGE).casefold().split())
    b = " ".join(title.strip(_EDGE).casefold().split())
    return bool(a) and (a == b or (len(b) >= 10 and a.startswith(b)))


class _Classifier:
    """One pass over the paragraphs, keeping what a reader keeps: who spoke last, whose comment."""

    def __init__(self, units: list[_Unit], title: str | None) -> None:
        self.units = units
        self.title = title
        self.comments_from = self._comment_section()
        self.speakers = self._speakers()
        self.interviewer = self._interviewer()
        self.out: list[Segment] = []
        self.plain_run = False  # the last segment is a run of plain paragraphs, open to more

    def _comment_section(self) -> int:
        """Index of the line that opens the reader comments (len(units) if there are none)."""
        words = 0
        for i, unit in enumerate(self.units):
            if unit.tag == "opener" and words >= BODY_BEFORE_COMMENTS:
                return i
            if not unit.tag:
                words += unit.words
        return len(self.units)

    def _speakers(self) -> dict[int, str]:
        """Paragraphs opened by a speaker's name, kept only if the text reads as an interview.

        One "Firstly: …" is a figure of speech, and "Inflation: …", "Employment: …" are a
        report's run-in headings; a name that speaks twice, or two names of which one asks a
        question, make a transcript.
        """
        found = {i: name for i in range(self.comments_from) if (name := _speaker(self.units[i]))}
        counts = Counter(found.values())
        if any(n >= 2 for n in counts.values()):
            return found
        if len(counts) >= 2 and any(_is_question(self.units[i].text) for i in found):
            return found
        return {}

    def _interviewer(self) -> str | None:
        """The speaker whose own turns are mostly questions."""
        asked: Counter[str] = Counter()
        spoke: Counter[str] = Counter(self.speakers.values())
        for i, name in self.speakers.items():
            asked[name] += _is_question(self.units[i].text)
        if len(spoke) < 2:
            return None
        ratios = sorted(((asked[n] / spoke[n], n) for n in spoke), reverse=True)
        if ratios[0][0] >= 0.5 and ratios[0][0] > ratios[1][0]:
            return ratios[0][1]
        return None

    def emit(
        self, unit: _Unit, kind: SegmentKind, speaker: str | None = None, author: str | None = None,
        date: str | None = None,
    ) -> None:
        self.out.append(Segment(unit.start, unit.end, kind, speaker, author, date))
        self.plain_run = False

    def emit_plain(
        self, unit: _Unit, kind: SegmentKind, speaker: str | None = None, author: str | None = None,
        date: str | None = None,
    ) -> None:
        """Past the structure budget, consecutive paragraphs of one kind make one segment of up to
        PLAIN_RUN_CHARS: nothing tells them apart any more (no language, no detection), and
        100,000 one-line segments cost seconds to store and to lay out."""
        last = self.out[-1] if self.out else None
        if (
            self.plain_run
            and last is not None
            and (last.kind, last.speaker, last.author, last.date) == (kind, speaker, author, date)
            and unit.end - last.start <= PLAIN_RUN_CHARS
        ):
            self.out[-1] = Segment(last.start, unit.end, kind, speaker, author, date)
        else:
            self.out.append(Segment(unit.start, unit.end, kind, speaker, author, date))
        self.plain_run = True

    def segments(self) -> tuple[Segment, ...]:
        units = self.units
        titled = body = interview = in_comment = False
        last_speaker: str | None = None
        answerer: str | None = None
        author: str | None = None
        date: str | None = None
        for i, unit in enumerate(units):
            if not i % 16384:
                budget.check("telling its paragraphs apart")
            comments = i >= self.comments_from
            if unit.plain:  # past the budget: plain paragraphs, cheaply, in runs
                if comments:
                    self.emit_plain(unit, SegmentKind.COMMENT, author=author, date=date)
                else:
                    self.emit_plain(unit, SegmentKind.TURN if interview else SegmentKind.BODY,
                                    speaker=last_speaker if interview else None)
                continue
            if unit.tag in ("opener", "furniture"):
                self.emit(unit, SegmentKind.FURNITURE)
                continue
            if unit.tag == "date":
                if comments:
                    if in_comment:  # a date after a comment heads the next one
                        author, in_comment = None, False
                    date = unit.text
                self.emit(unit, SegmentKind.FURNITURE, date=unit.text)
                continue
            if comments:
                header = self._comment_header(i)
                if header is not None:
                    if in_comment:
                        author = date = None
                        in_comment = False
                    author = header[0] or author
                    date = header[1] or date
                    self.emit(unit, SegmentKind.FURNITURE, author=header[0], date=header[1])
                    continue
                self.emit(unit, SegmentKind.COMMENT, author=author, date=date)
                in_comment = True
                continue
            if (byline := self._byline(unit)) is not None:
                self.emit(unit, SegmentKind.FURNITURE, author=byline)
                continue
            if not titled and not body and self._is_title(i):
                titled = True
                self.emit(unit, SegmentKind.TITLE)
                continue
            titled = body = True  # the title is the first thing, or there is none
            if (name := self.speakers.get(i)) is not None:
                interview = True
                last_speaker = name
                if name != self.interviewer:
                    answerer = name
                self.emit(unit, SegmentKind.TURN, speaker=name)
                continue
            if interview:
                # No prefix: the interviewer asks, otherwise whoever was answering goes on.
                speaker: str | None
                if self.interviewer and _is_question(unit.text):
                    speaker = self.interviewer
                elif self.interviewer and last_speaker == self.interviewer:
                    speaker = answerer
                else:
                    speaker = last_speaker
                last_speaker = speaker
                self.emit(unit, SegmentKind.TURN, speaker=speaker)
                continue
            self.emit(unit, SegmentKind.BODY)
        return tuple(self.out)

    @staticmethod
    def _byline(unit: _Unit) -> str | None:
        if unit.words > FURNITURE_WORDS or not (m := p.BYLINE.fullmatch(unit.text)):
            return None
        return m["name"].strip() if name_like(m["name"]) else None

    def _is_title(self, i: int) -> bool:
        unit = self.units[i]
        if self.title and _same_title(unit.text, self.title):
            return True
        if i in self.speakers or not any(not u.tag for u in self.units[i + 1 :]):
            return False
        text = unit.text
        return (
            "\n" not in text
            and len(text) <= TITLE_CHARS
            and unit.words <= TITLE_WORDS
            and not text.endswith((".", ",", ";", ":"))
            and not _TWO_SENTENCES.search(text)
        )

    def _comment_header(self, i: int) -> tuple[str | None, str | None] | None:
        """(author, date) if this line heads a comment: "Name says:", "Name • 2 days ago", or a
        name followed by a date line or by itself again (avatar text and name)."""
        unit = self.units[i]
        text = unit.text
        if "\n" in text or len(text) > 80:
            return None
        if (m := p.SAYS.fullmatch(text)) and (name_like(m["name"], 4) or _handle(m["name"])):
            return m["name"], None
        if (m := p.DATE_TAIL.fullmatch(text)) and (name_like(m["head"], 4) or _handle(m["head"])):
            return m["head"], m["date"]
        if not (name_like(text, 4) or _handle(text)):
            return None
        after = self.units[i + 1] if i + 1 < len(self.units) else None
        if after is None:
            return None
        if after.tag == "date" or after.text == text or self._comment_header_shape(after.text):
            return text, None
        # "Jane Roe" then a comment: only a full name, before a real paragraph, counts.
        if len(text.split()) >= 2 and name_like(text, 4) and not after.tag and after.words >= 8:
            return text, None
        return None

    @staticmethod
    def _comment_header_shape(text: str) -> bool:
        return bool(p.SAYS.fullmatch(text) or p.DATE_TAIL.fullmatch(text))
