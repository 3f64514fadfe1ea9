"""The evidence that a clause states a checkable fact, by kind, in English, French and Russian."""

# Signals are read from tokens with one dict look-up each, not from one regular expression per
# kind: measured on 1 MB of news, a dozen case-insensitive alternations cost over a second.

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from itertools import compress, repeat
from typing import Final

from app.domain import Kind

# Tokens: white space and punctuation become one space each, so a token's offset is the length of
# what precedes it, and str.split cuts the text in C (a regular expression took 40 ms a MB). The
# marks that can sit inside a token stay: 3,200 · 13.5 · u.n · d’euros · second-largest · 75%;
# a figure grouped with spaces (3 000, 1 900) is two tokens, both counts, neither a year.
_INSIDE = "’'.,-_%"
_EDGE = "’'.,-_"  # stripped from both ends: "said." → "said", "u.n." → "u.n"
_SEPARATORS = str.maketrans(
    {
        code: " "
        for first, last in (
            (0x0000, 0x024F),  # ASCII and Latin: punctuation, symbols, spaces
            (0x2000, 0x206F),  # typographic spaces, dashes, quotes, ellipsis
            (0x20A0, 0x20CF),  # currency signs
            (0x2100, 0x214F),  # №, ℃ …
            (0x2190, 0x2212),  # arrows, and the minus sign
            (0x3000, 0x303F),  # CJK spaces and punctuation
            (0x060C, 0x061F),  # Arabic comma, semicolon, question mark
            (0xFF01, 0xFF0F),  # full-width punctuation
        )
        for code in range(first, last + 1)
        if not (chr(code).isalnum() or chr(code) in _INSIDE)
    }
)
# French and Italian elision: "l’article", "d’accord" are looked up as "article", "accord".
_ELIDED = frozenset("ldjnmtsc")


def words(text: str) -> frozenset[str]:
    return frozenset(text.split())


NUMBER_WORDS = words(
    """two three four five six seven eight nine ten eleven twelve fifteen twenty thirty forty
    fifty sixty seventy eighty ninety hundred hundreds thousand thousands million millions
    billion billions dozen dozens deux trois quatre cinq sept huit neuf dix douze quinze
    vingt trente quarante cinquante cent cents mille milliard milliards два две двух три
    трёх трех четыре четырёх пять шесть семь восемь девять десять сто тысяча тысячи тысяч
    миллион миллиона миллионов миллиард миллиарда миллиардов"""
) | frozenset(
    f"{t}-{u}"
    for t in words("twenty thirty forty fifty sixty seventy eighty ninety")
    for u in words("one two three four five six seven eight nine")
)
MONTHS = words(
    """january february march april june july august september october november december janvier
    février fevrier mars avril mai juin juillet août aout septembre octobre novembre
    décembre январь января январе февраль февраля феврале март марта марте апрель апреля
    апреле май мая мае июнь июня июне июль июля июле август августа августе сентябрь
    сентября сентябре октябрь октября октябре ноябрь ноября ноябре декабрь декабря декабре"""
) | words(
    # Spanish, Italian, Portuguese, German, Dutch: a month only places a claim in time, so a
    # rare clash with another word costs little.
    """enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
    diciembre gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre janeiro
    fevereiro março maio junho julho outubro novembro dezembro januar februar märz juni juli
    oktober dezember januari februari maart mei augustus"""
)
WEEKDAYS = words(
    """monday tuesday wednesday thursday friday saturday sunday lundi mardi mercredi jeudi
    vendredi samedi dimanche понедельник вторник среда среду четверг пятница пятницу
    суббота субботу воскресенье"""
)
FOUNDING_WORDS = words(
    "founded established created fondé fondée fondés fondées créé créée créés créées"
)
PERCENT_WORDS = words("percent pour-cent процента процентов процент prozent procent porcentaje")
# "per cent", "pour cent", "por ciento", "per cento": a figure followed by these two words.
PERCENT_PAIRS = frozenset(
    {(a, b) for a in words("per pour por") for b in words("cent ciento cento")}
)
RESOLUTION = words(
    "resolution resolutions résolution résolutions резолюция резолюции резолюцию резолюций"
)
UN_MARKERS = words("un u.n onu оон security council general assembly conseil sécurité совбез")
ARTICLE = words("article articles art статья статьи статье")
TREATY = words(
    """treaty treaties convention conventions agreement agreements accord accords protocol
    charter pact traité договор договора договоре конвенция конвенции соглашение
    соглашения"""
)
ORGANISATION = words("organization organisation organisation")
ATTRIBUTION = words(
    """said says stated states told ask asks asked request requests requested announced announces
    declared claimed claims denied confirmed reported selon заявил заявила заявили сообщил
    сообщила сообщили обратилась обратился обратились"""
)
ATTRIBUTION_PAIRS = frozenset(
    {
        ("according", "to"),
        ("a", "déclaré"),
        ("a", "dit"),
        ("a", "affirmé"),
        ("a", "annoncé"),
        ("a", "demandé"),
        ("по", "словам"),
    }
)
MEMBERSHIP_PAIRS = frozenset(
    {
        ("members", "of"),
        ("member", "of"),
        ("member", "countries"),
        ("member", "states"),
        ("part", "of"),
        ("membre", "de"),
        ("membres", "de"),
        ("membres", "du"),
        ("membre", "du"),
        ("membres", "des"),
    }
)
# Superlatives that measure ("the nation's lowest unemployment rate", "fifth-largest economy"),
# not those that praise ("the greatest state"): a ranking is checkable.
SUPERLATIVES = (
    "largest",
    "biggest",
    "highest",
    "lowest",
    "smallest",
    "fastest",
    "slowest",
    "richest",
    "poorest",
    "deadliest",
    "cheapest",
    "oldest",
    "youngest",
    "longest",
    "shortest",
    "fewest",
    "busiest",
    "wealthiest",
)
COMPARISON = frozenset(SUPERLATIVES) | words(
    # A trend is a comparison with the past: "crime rose", "exports have doubled".
    """twice double half deux-fois вдвое больше меньше rose risen fell fallen grew grown
    increased decreased doubled tripled quadrupled halved dropped declined soared plunged surged
    jumped climbed slumped tumbled shrank augmenté diminué baissé progressé reculé chuté doublé
    triplé вырос выросла выросло выросли снизился снизилась снизилось снизились упал упала
    упало упали увеличился увеличилась увеличилось увеличились сократился сократилась
    сократилось сократились"""
)
COMPARISON_PAIRS = frozenset(
    {(w, "than") for w in words("more less fewer higher lower larger smaller bigger greater")}
    | {
        ("copy", "of"),
        ("same", "as"),
        ("plus", "de"),
        ("plus", "que"),
        ("moins", "de"),
        ("moins", "que"),
    }
    | {(verb, way) for verb in words("is are was were went gone") for way in words("up down")}
    | {("record", w) for w in words("high highs low lows level levels number numbers")}
    # "the largest" needs no pair: SUPERLATIVES signal on their own.
    | {("the", w) for w in words("first second third fourth fifth")}
)
GEOGRAPHY = words(
    """border borders bordering frontière frontières frontalier frontalière frontaliers граница
    границы границе граничит граничат граничащий situé située situés"""
)
GEOGRAPHY_PAIRS = frozenset(
    {("located", w) for w in words("in on to at near")}
    | {(w, "of") for w in words("north south east west")}
)
EVENT = words(
    """sent sends send sold sells sell met voted cut cuts won lost began begun
    positioned outsourced launch launches launched sign signs signed deploy deploys
    deployed attack attacks attacked bomb bombs bombed kill kills killed call calls called
    visit visits visited adopt adopts adopted approve approves approved elect elects
    elected appoint appoints appointed resign resigns resigned invade invades invaded
    annex annexes annexed arrest arrests arrested halt halts halted ban bans banned raise
    raises raised open opens opened close closes closed start starts started end ends
    ended stop stops stopped resume resumes resumed divert diverts diverted diverting
    strike strikes struck protest protests protested fire fires fired destroy destroys
    destroyed capture captures captured seize seizes seized release releases released pass
    passes passed withdraw withdraws withdrew withdrawn possède possèdent lancé signé
    envoyé отправило отправил отправила отправили подписал подписала подписали начал
    начала начали провел провела провели заключено заключен заключена"""
)
EVENT_PAIRS = frozenset({("took", "place"), ("walked", "out"), ("called", "up"), ("eu", "lieu")})
HEDGE_ONLY = frozenset({Kind.EVENT, Kind.GEOGRAPHY, Kind.COMPARISON, Kind.OTHER})

# Not claims: opinions and calls to action, forecasts, aims.
_SUBJECTS = words("we i you it they he she one")
_MODALS = words("must should ought need")
_MUST = words("have has need needs")  # "we have to …", followed by "to"
OPINION_PAIRS = frozenset(
    {
        ("in", "my"),
        ("i", "think"),
        ("i", "believe"),
        ("i", "feel"),
        ("we", "think"),
        ("we", "believe"),
        ("je", "pense"),
        ("je", "crois"),
        ("il", "faut"),
        ("nous", "devons"),
        ("я", "думаю"),
        ("я", "считаю"),
    }
    # A personal anecdote is the speaker's story, not a public fact: "I remember when my father
    # lost his job in 1982", "quand mon père …", "мой отец …".
    | {("i", w) for w in words("remember recall grew")}
    | {
        ("my", w)
        for w in words(
            """father mother dad mom mum grandfather grandmother grandpa grandma parents brother
            sister wife husband son daughter uncle aunt family"""
        )
    }
    | {("je", "me"), ("me", "souviens"), ("mon", "père"), ("ma", "mère"), ("mes", "parents")}
    | {("я", "помню"), ("мой", "отец"), ("моя", "мать"), ("моя", "мама"), ("мои", "родители")}
)
OPINION_OPENERS = words("нужно надо let's let’s")
PREDICTION = (
    words(
        """will won't won’t shall could might would wouldn't wouldn’t gonna expects expect
        expected forecast forecasts projected vais vas allons allez vont pourrait pourraient
        devrait devraient sera seront serait seraient будет будут буду будем будешь будете"""
    )
    # "I'll send in the Guard", "we'd cut taxes": a promise or a hypothetical, like "I will".
    | frozenset(
        f"{who}{mark}{end}"
        for who in words("i you he she it we they that there who")
        for mark in "'’"
        for end in ("ll", "d")
    )
)
PREDICTION_PAIRS = frozenset({("going", "to"), ("likely", "to")})
# "we'd already spent", "I'd been there": 'd is "had" before a participle, and the clause past.
_PARTICIPLES = words(
    """been already had gone seen done lost spent won got gotten made taken given left told sent
    sold met become grown known written run begun fallen risen"""
)
# "va" and the endings of _FUTURE_ENDINGS are French only in French: "VA" is Veterans Affairs,
# "Va." Virginia, "primavera" and "cholera" are nouns and "Herrera" a name.
FRENCH_FUTURE = words("va")
INTENTION = words(
    """wants want seeks seek strives strive hopes hope intends intend plans aims aim tries try
    veut хочет"""
)

# Ceremony. Thanks and blessings are never a claim, whatever else the clause holds; "thanks to
# the new law" is a cause, not thanks: evidence() reads the next word.
THANKS = words("thank thanks bless merci спасибо благодарю")
# Greetings and forms of address ("Lieutenant Governor …, distinguished guests, my fellow
# Alabamians!") are none either, unless the clause goes on to a figure: "Mesdames et messieurs,
# le chômage a baissé de 2 %" states something after the address.
GREETINGS = words("mesdames messieurs bonsoir bonjour здравствуйте")
GREETING_PAIRS = frozenset(
    {("good", w) for w in words("morning afternoon evening night")}
    | {(w, "fellow") for w in words("my our")}
    | {("distinguished", w) for w in words("guests members colleagues delegates")}
    | {("welcome", "to"), ("welcome", "back"), ("ladies", "and")}
    | {(a, b) for a in words("mes chers chères") for b in words("chers chères compatriotes amis")}
    | {
        (a, b)
        for a in words("дорогие уважаемые")
        for b in words("друзья коллеги соотечественники товарищи граждане депутаты гости")
    }
    | {("добрый", "вечер"), ("добрый", "день"), ("доброе", "утро")}
)
# Praise and blame: a clause holding one and nothing harder than a verb or a count in words is a
# value judgement ("we had a tremendous year and passed historic reforms"). A figure keeps it.
VALUE_WORDS = words(
    """great wonderful terrible amazing incredible tremendous fantastic beautiful horrible awful
    magnificent disgrace disgraceful shameful proud blessed honored honoured privileged formidable
    magnifique merveilleux honte fier fière fiers прекрасный прекрасная замечательный
    замечательная великолепный горжусь гордимся ужасный"""
)
# "every single penny has gone to road projects": a universal claim about where money went.
MONEY_UNITS = words(
    """penny cent dollar dollars euro euros pound ruble rouble centime копейка рубль"""
)
UNIVERSAL_PAIRS = frozenset(
    (every, what)
    for every in words("every chaque каждый каждая каждую")
    for what in MONEY_UNITS | {"single"}
)
# Figures of speech that carry a number or a signal word and state nothing: "my two cents",
# "a million times", "at the end of the day", "a hundred percent sure". Each idiom is found at
# its signalling word (the first word that signals on its own, or a figure); the words before it
# must stand before it in the text and the two words after it must follow.
IDIOMS = """my two cents | your two cents | his two cents | her two cents | their two cents |
    our two cents | fifty ways | a hundred ways | a thousand ways | a million ways |
    a million times | a thousand times | a hundred times | a dozen times | million times over |
    in a million years | in a hundred years | one in a million | thanks a million |
    a thousand words | a tale of two cities | two sides of the same coin | in two minds |
    of two minds | two wrongs | kill two birds | takes two to tango | nine times out of ten |
    at the end of the day | a dime a dozen | think twice | a hundred percent sure |
    one hundred percent sure | a hundred percent certain | a hundred percent behind |
    a hundred and ten percent | 100 percent sure | 100 percent certain | 100 percent behind |
    100 percent committed | 100% sure | 100% certain | 100% behind | 100% committed |
    110 percent | 110% | 24/7 | seven days a week | come to a halt | ground to a halt |
    just begun | highest honor | highest honour | highest priority | highest priorities |
    highest standards | highest regard | highest order | biggest fan | biggest fans |
    the two of us | the three of us | the four of us | the five of us | the two of them |
    the three of them | the two of you | all three of you |
    mille fois | cent fois | cent pour cent | en deux mots | deux poids deux mesures |
    trente-six chandelles | se mettre en quatre | en quatre vitesses |
    сто раз | в двух словах | на все сто | два слова"""
# "two things matter", "three reasons", "deux choses": the parts of a speech, counted in words.
DISCOURSE_NOUNS = words(
    """things reasons points questions words ways lessons ideas examples choices options
    choses raisons points questions mots leçons вещи причины вопроса вопросов слова урока"""
)

PRIORITY = [
    Kind.UN_RESOLUTION,
    Kind.TREATY,
    Kind.PERCENTAGE,
    Kind.QUANTITY,
    Kind.DATE,
    Kind.ATTRIBUTION,
    Kind.MEMBERSHIP,
    Kind.COMPARISON,
    Kind.GEOGRAPHY,
    Kind.EVENT,
    Kind.OTHER,
]
STRENGTH = {
    Kind.UN_RESOLUTION: 0.95,
    Kind.TREATY: 0.8,
    Kind.PERCENTAGE: 0.95,
    Kind.QUANTITY: 0.85,
    Kind.DATE: 0.7,
    Kind.ATTRIBUTION: 0.65,
    Kind.MEMBERSHIP: 0.65,
    Kind.COMPARISON: 0.6,
    Kind.GEOGRAPHY: 0.55,
    Kind.EVENT: 0.5,
    Kind.OTHER: 0.6,
}
_TIME_UNITS = words(
    "day days week weeks month months year years decade decades дня дней недели недель месяца "
    "месяцев года лет"
)
_AGO = frozenset(("ago", "назад"))
_YEAR = re.compile(r"^(?:1[6-9]\d\d|20\d\d)$")
_LIST = re.compile(
    r"\b[A-ZА-Я][\w-]+(?:,\s+(?:le |la |les )?[A-ZА-Я][\w-]+){2,},?\s+(?:and|et|и)\s+[A-ZА-Я]"
)


# Tags: what a word can signal, as bits, so each token costs one dict look-up.
(
    NUMWORD,
    MONTH,
    WEEKDAY,
    FOUNDING,
    PERCENTW,
    RESOLUTIONW,
    UNMARK,
    ARTICLEW,
    TREATYW,
    ATTRIB,
    COMPARE,
    GEO,
    EVENTW,
    PAIR,
    SUBJECT,
    PREDICT,
    INTENT,
    OPENER,
    DIGITS,
    MEMBERW,
    FRFUT,
    GREET,
    VALUE,
    THANK,
) = (1 << n for n in range(24))

_ALL_PAIRS = (
    ATTRIBUTION_PAIRS
    | MEMBERSHIP_PAIRS
    | COMPARISON_PAIRS
    | GEOGRAPHY_PAIRS
    | EVENT_PAIRS
    | OPINION_PAIRS
    | PREDICTION_PAIRS
    | GREETING_PAIRS
    | UNIVERSAL_PAIRS
)
_TAGS: dict[str, int] = {}
for _bit, _set in (
    (NUMWORD, NUMBER_WORDS),
    (MONTH, MONTHS),
    (WEEKDAY, WEEKDAYS),
    (FOUNDING, FOUNDING_WORDS),
    (PERCENTW, PERCENT_WORDS),
    (RESOLUTIONW, RESOLUTION),
    (UNMARK, UN_MARKERS),
    (ARTICLEW, ARTICLE),
    (TREATYW, TREATY),
    (ATTRIB, ATTRIBUTION),
    (COMPARE, COMPARISON),
    (GEO, GEOGRAPHY),
    (EVENTW, EVENT),
    (SUBJECT, _SUBJECTS),
    (PREDICT, PREDICTION),
    (INTENT, INTENTION),
    (OPENER, OPINION_OPENERS),
    (FRFUT, FRENCH_FUTURE),
    (GREET, GREETINGS),
    (THANK, THANKS),
    (VALUE, VALUE_WORDS),
    (PAIR, {a for a, _ in _ALL_PAIRS}),
):
    for _w in _set:
        _TAGS[_w] = _TAGS.get(_w, 0) | _bit
_FUTURE_ENDINGS = ("era", "eront", "erait", "eraient", "ira", "iront")
# "the", "a", "in" open a pair ("the largest", "in my view") far more often than they signal: a
# token tagged only as a pair's first word or a subject becomes a hit only if its next word
# completes it.
_ON_ITS_OWN = ~(PAIR | SUBJECT)
_STATES = ~(SUBJECT | PREDICT | INTENT | OPENER | FRFUT | GREET | VALUE | THANK)
_TREND_VERBS = words("is are was were went gone")
_SECOND_WORDS = frozenset(second for _, second in _ALL_PAIRS) | _MODALS | _MUST
_ORDINAL = ("st", "nd", "rd", "th")
_ANCHORS = _STATES & _ON_ITS_OWN


def _tokens(text: str) -> list[str]:
    """The tokens of a short text, cut as scan() cuts them."""
    return [t for t in (w.strip(_EDGE) for w in text.lower().translate(_SEPARATORS).split()) if t]


Idiom = tuple[str, str, str]  # the text before the signalling word, the next word, the one after


def _idiom_table(idioms: str) -> dict[str, tuple[Idiom, ...]]:
    """Each signalling word of each idiom, with the words around it there."""
    table: dict[str, list[Idiom]] = {}
    for idiom in idioms.split("|"):
        toks = _tokens(idiom)
        for n, tok in enumerate(toks):
            # Only the words that can make a kind on their own are looked up as hits.
            if _TAGS.get(tok, 0) & _ANCHORS or tok[:1].isdigit():
                after = [*toks[n + 1 : n + 3], "", ""]
                before = " ".join(toks[:n]) + " " if n else ""
                table.setdefault(tok, []).append((before, after[0], after[1]))
    return {tok: tuple(ways) for tok, ways in table.items()}


_IDIOM_AT = _idiom_table(IDIOMS)


def _in_idiom(ways: tuple[Idiom, ...], lowered: str, at: int, nxt: str, nxt2: str) -> bool:
    return any(
        (not then or then == nxt)
        and (not then2 or then2 == nxt2)
        # Punctuation between the words counts as a space: "24/7".
        and (not before or lowered[at - len(before) : at].translate(_SEPARATORS) == before)
        for before, then, then2 in ways
    )


# A token that signals something: (its number in the scan, lower case, offset, tag, next token,
# the one after). Plain tuples: a NamedTuple costs three times as much to make, and there are many.
Hit = tuple[int, str, int, int, str, str]
HIT_START: Final = 2
HIT_TAG: Final = 3


@dataclass(slots=True)
class Scan:
    """The signalling tokens of a stretch of text, in order, and a guess at its language."""

    hits: list[Hit]
    starts: list[int]  # hits' character offsets, for bisect
    states: list[bool]  # whether each hit can make a claim, not only unmake one ("will", "wants")
    lowered: str


_DIGIT_START = frozenset("0123456789")


_PIECE = 2048


def _separated(lowered: str) -> str:
    """lowered.translate(_SEPARATORS), a piece at a time. str.translate has a fast path only for
    a string that is all ASCII: one curly quote in a MB of English sent all of it down the slow
    one (150 ms instead of 20). Each character is translated alone, so the pieces join the same."""
    if len(lowered) <= _PIECE or lowered.isascii():
        return lowered.translate(_SEPARATORS)
    return "".join([lowered[at : at + _PIECE].translate(_SEPARATORS) for at in range(0, len(lowered), _PIECE)])


def scan(text: str) -> Scan:
    """The signalling tokens of the whole text, read once: every paragraph bisects into them."""
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters grow when lowered ("İ"): offsets must hold
        lowered = text.replace("İ", "i").lower()  # the one such letter in everyday text
        if len(lowered) != len(text):
            lowered = "".join(ch.lower()[0] for ch in text)
    raw = _separated(lowered).split(" ")  # "" between two separators
    tokens = list(map(str.strip, raw, repeat(_EDGE)))
    # Figures and rare word shapes are found among the distinct words (a set, in C), then looked
    # up with the rest: one pass over the tokens instead of one per shape.
    distinct = set(tokens)
    extra = {w: DIGITS for w in distinct if w[:1].isdigit()}
    for w in distinct:
        if len(w) > 6 and w.endswith(_FUTURE_ENDINGS) and not w.endswith("eira"):
            extra[w] = _TAGS.get(w, 0) | FRFUT  # French future ("augmentera"), not "Oliveira"
        elif w.startswith("anticip"):
            extra[w] = _TAGS.get(w, 0) | PREDICT  # "nous anticipons"
        elif "-" in w and w.endswith(SUPERLATIVES):
            extra[w] = _TAGS.get(w, 0) | COMPARE  # "fifth-largest", "second-lowest"
        elif w.startswith("член"):
            extra[w] = _TAGS.get(w, 0) | MEMBERW  # "член" in all its cases
        elif len(w) > 2 and w[1] in "’'" and w[0] in _ELIDED and w[2:] in _TAGS:
            extra[w] = _TAGS[w[2:]]
    lookup = {**_TAGS, **extra} if extra else _TAGS
    tags = list(map(lookup.get, tokens, repeat(0)))  # 0, not None: an untagged word
    tokens.extend(("", ""))  # so every hit has two tokens after it
    signalling = [
        k
        for k in compress(range(len(tags)), tags)
        if tags[k] & _ON_ITS_OWN
        or (
            tokens[k + 1] in _SECOND_WORDS
            and (
                (tokens[k], tokens[k + 1]) in _ALL_PAIRS
                or tokens[k + 1] in _MODALS
                or (tokens[k + 1] in _MUST and tokens[k + 2] == "to")
            )
        )
    ]
    # Offsets only for the tokens that signal: every raw token is followed by one separator, so
    # the text between two hits is measured by joining the raw tokens between them, in C.
    starts: list[int] = []
    at = done = 0  # the offset of raw[done]
    for k in signalling:
        if k > done:
            at += len(" ".join(raw[done:k])) + 1
            done = k
        starts.append(at + len(raw[k]) - len(raw[k].lstrip(_EDGE)))
    hits = [
        (k, tokens[k], at, tags[k], tokens[k + 1], tokens[k + 2])
        for k, at in zip(signalling, starts, strict=True)
    ]
    return Scan(hits, starts, [bool(tags[k] & _STATES) for k in signalling], lowered)


_CYRILLIC = re.compile("[\u0400-\u04ff]")
_UKRAINIAN = re.compile("[іїєґ]")
# A space, then the word and a space: the look-ahead lets "of the" count both words.
_FRENCH_WORD = re.compile(" (?=(?:le|la|les|des|est|une|du|qui) )")
_ENGLISH_WORD = re.compile(" (?=(?:the|of|and|is|are|was|to|that) )")


def guess_language(lowered: str) -> str | None:
    """A cheap guess; the importer's language of each paragraph is the better one."""
    if _CYRILLIC.search(lowered, 0, 400):
        return "uk" if _UKRAINIAN.search(lowered) else "ru"
    padded = f" {lowered} "  # so the clause's first and last words count too
    french = len(_FRENCH_WORD.findall(padded))
    english = len(_ENGLISH_WORD.findall(padded))
    if french > english:
        return "fr"
    return "en" if english else None


@dataclass(slots=True)
class Evidence:
    """What one clause holds: kinds with their counts, and the markers that make it no claim."""

    kinds: dict[Kind, int]
    digits: bool = False  # a count written in figures, not only in words
    strong_treaty: bool = False  # "article 4", "Convention on …", not just the word "treaty"
    strong_date: bool = False  # a year or a founding, not just a month or weekday
    opinion: bool = False
    forecast_at: int = -1  # token index of the first forecast word
    figure_at: int = -1  # token index of the first count or share in figures (not a year)
    thanks: bool = False  # never a claim
    greeting: bool = False  # a greeting or a form of address: a claim only with a figure
    value: bool = False  # praise or blame ("a tremendous year")
    reported_at: int = -1  # token index of the first "said"-like word
    aim_at: int = -1  # character offset of the first "wants to"-like word


def evidence(sc: Scan, text: str, start: int, end: int, lo: int = -1, hi: int = -1) -> Evidence:
    """The evidence in text[start:end], from the scan of the text; lo and hi, when known, bound
    the clause's hits."""
    ev = Evidence({})
    kinds = ev.kinds
    hits = sc.hits
    if lo < 0:
        lo, hi = bisect_left(sc.starts, start), bisect_left(sc.starts, end)
    for h in range(lo, hi):
        i, low, at, tag, nxt, nxt2 = hits[h]
        idiom = _IDIOM_AT.get(low)
        if idiom is not None and _in_idiom(idiom, sc.lowered, at, nxt, nxt2):
            continue  # "my two cents", "at the end of the day": a figure of speech
        kind: Kind | None = None
        if tag & DIGITS:
            if (
                nxt == "%"
                or low.endswith("%")
                or nxt in PERCENT_WORDS
                or (nxt, nxt2) in PERCENT_PAIRS
            ):
                kind = Kind.PERCENTAGE
                if ev.figure_at < 0:
                    ev.figure_at = i
            elif low.endswith(SUPERLATIVES):
                kind = Kind.COMPARISON  # "5th-largest"
            elif low.endswith(_ORDINAL) and low[:-2].isdigit():
                kind = Kind.DATE  # "the 21st century", "June 5th": a rank or a day, no count
            elif _YEAR.match(low):
                kind = Kind.DATE
                ev.strong_date = True
            elif nxt in _TIME_UNITS and nxt2 in _AGO:
                kind = Kind.DATE  # "four years ago" dates what follows; it counts nothing
            elif len(low) <= 3 and len(nxt) == 3 and low.isdigit() and nxt.isdigit():
                pass  # "3" of "3 000": the figure is counted once, at its last group
            elif nxt not in MONTHS:
                kind = Kind.QUANTITY
                ev.digits = True
                if ev.figure_at < 0:
                    ev.figure_at = i
        elif tag & NUMWORD and nxt and nxt[0] not in _DIGIT_START:
            if nxt in _TIME_UNITS and nxt2 in _AGO:
                kind = Kind.DATE
            elif nxt not in DISCOURSE_NOUNS:  # "two things matter" counts a speech's parts
                kind = Kind.QUANTITY
        elif tag & (MONTH | WEEKDAY):
            if low != "may" or text[at] == "M":  # "may" the verb is no month
                kind = Kind.DATE
        elif tag & FOUNDING:
            kind = Kind.DATE
            ev.strong_date = True
        elif tag & RESOLUTIONW:
            near = hits[max(lo, h - 8) : min(hi, h + 7)]
            if any(x[HIT_TAG] & (UNMARK | DIGITS) and abs(x[0] - i) <= 8 for x in near):
                kind = Kind.UN_RESOLUTION
        elif tag & ARTICLEW and nxt[:1] in _DIGIT_START and nxt:
            kind = Kind.TREATY
            ev.strong_treaty = True
        elif tag & TREATYW and nxt not in ORGANISATION:
            kind = Kind.TREATY
            if low.startswith("convention") and nxt in ("on", "sur", "de", "du", "des", "for"):
                ev.strong_treaty = True
        elif tag & ATTRIB:
            kind = Kind.ATTRIBUTION
            if ev.reported_at < 0:
                ev.reported_at = i
        elif tag & COMPARE:
            kind = Kind.COMPARISON
        elif tag & PAIR and low in _TREND_VERBS and sc.lowered.endswith("time ", 0, at):
            continue  # "time is up" ends a turn; it reports no trend
        elif tag & GEO:
            kind = Kind.GEOGRAPHY
        elif tag & EVENTW:
            kind = Kind.EVENT
        elif tag & MEMBERW:
            kind = Kind.MEMBERSHIP
        if kind is not None:
            kinds[kind] = kinds.get(kind, 0) + 1
        if tag & PAIR:
            pair = (low, nxt)
            kind = None
            if pair in ATTRIBUTION_PAIRS:
                kind = Kind.ATTRIBUTION
                if ev.reported_at < 0:
                    ev.reported_at = i
            elif pair in MEMBERSHIP_PAIRS:
                kind = Kind.MEMBERSHIP
            elif pair in COMPARISON_PAIRS:
                kind = Kind.COMPARISON
            elif pair in GEOGRAPHY_PAIRS:
                kind = Kind.GEOGRAPHY
            elif pair in EVENT_PAIRS:
                kind = Kind.EVENT
            elif pair in OPINION_PAIRS:
                ev.opinion = True
            elif pair in PREDICTION_PAIRS and ev.forecast_at < 0:
                ev.forecast_at = i
            elif pair in GREETING_PAIRS:
                ev.greeting = True
            elif pair in UNIVERSAL_PAIRS and (nxt != "single" or nxt2 in MONEY_UNITS):
                kind = Kind.OTHER  # "every single penny has gone to …"
            if kind is not None:
                kinds[kind] = kinds.get(kind, 0) + 1
        if tag & SUBJECT and (nxt in _MODALS or (nxt in _MUST and nxt2 == "to")):
            ev.opinion = True  # "we must …", "we have to …": a call to act, not a fact
        if (
            tag & PREDICT
            and ev.forecast_at < 0
            and nxt not in _SAYING
            and not (low[-2:] in _HAD and (nxt in _PARTICIPLES or _past_participle(nxt)))
        ):
            ev.forecast_at = i
        if tag & FRFUT and ev.forecast_at < 0 and _french_verb(text, sc.lowered, at, start, end):
            ev.forecast_at = i
        if tag & THANK and (low != "thanks" or nxt not in ("to", "in")):
            ev.thanks = True  # "thanks to the new law" gives a cause, not thanks
        if tag & GREET:
            ev.greeting = True
        if tag & VALUE and text[at].islower():  # "Great Britain", "the Great Lakes"
            ev.value = True
        if tag & INTENT and ev.aim_at < 0 and (nxt in ("to", "à") or low[0] in "vх"):
            ev.aim_at = at
        if tag & OPENER and at == start:
            ev.opinion = True
    if text.count(",", start, end) >= 2 and _LIST.search(text, start, end):
        kinds[Kind.MEMBERSHIP] = (
            kinds.get(Kind.MEMBERSHIP, 0) + 1
        )  # "Russia, Armenia, … and Tajikistan"
    if Kind.TREATY in kinds and not ev.strong_treaty and len(kinds) == 1:
        del kinds[Kind.TREATY]  # a treaty named, and nothing said of it
    return ev


_HAD = ("'d", "’d")
# "I'll tell you what: we created 212,000 jobs": a turn of speech before a claim, not a promise.
_SAYING = words("tell say add argue remind note point mention repeat admit")


def _past_participle(word: str) -> bool:
    """Whether `word` after 'd makes it "had" ("we'd spent"), not "would" ("I'd need")."""
    return len(word) > 4 and word.endswith("ed") and not word.endswith("eed")


def _french_verb(text: str, lowered: str, at: int, start: int, end: int) -> bool:
    """Whether "va" or a word ending like a French future ("primavera", "augmentera") is one:
    a capital makes it a name or an acronym unless the clause is French ("VA", "Va.",
    "Herrera"); in lower case, it is one unless the clause is English ("the cholera outbreak")."""
    lang = guess_language(lowered[start:end])
    return lang == "fr" if text[at].isupper() else lang != "en"


def ceremony(ev: Evidence) -> bool:
    """Thanks, or a greeting or form of address in a clause with no count or share in figures."""
    return ev.thanks or (ev.greeting and ev.figure_at < 0)


def judgement(ev: Evidence) -> bool:
    """Praise or blame with nothing harder than a verb, a ranking or a count in words beside it:
    "we had a tremendous year and passed historic reforms"."""
    return ev.value and not ev.digits and not ev.strong_date and set(ev.kinds) <= _SOFT


_SOFT = HEDGE_ONLY | {Kind.QUANTITY, Kind.DATE, Kind.ATTRIBUTION}


def kind_of(ev: Evidence) -> Kind:
    order = list(PRIORITY)
    if Kind.QUANTITY in ev.kinds and not ev.digits:
        # Counted in words only ("two republics"): a date, a speaker or a membership names the
        # kind before it; a mere verb or border does not ("possède trois bases").
        order.remove(Kind.QUANTITY)
        order.insert(order.index(Kind.COMPARISON), Kind.QUANTITY)
    if Kind.DATE in ev.kinds and not ev.strong_date:
        # A month, a weekday or "four years ago" only places what the clause says in time:
        # "four years ago … the highest unemployment rate" is a comparison.
        order.remove(Kind.DATE)
        order.insert(order.index(Kind.GEOGRAPHY) + 1, Kind.DATE)
    if Kind.TREATY in ev.kinds and not ev.strong_treaty:
        # "after talks on a new agreement broke down": the figures are the claim, not the agreement.
        order.remove(Kind.TREATY)
        order.insert(order.index(Kind.ATTRIBUTION), Kind.TREATY)
    return next(k for k in order if k in ev.kinds)


def weak(ev: Evidence) -> bool:
    """Only a month or weekday ("The choice in November is simple"), or only that someone spoke
    ("my opponent says crime is out of control"): nothing in the clause to check."""
    rest = [
        k for k in ev.kinds if k is not Kind.ATTRIBUTION and (k is not Kind.DATE or ev.strong_date)
    ]
    return not rest
