"""The evidence that a clause states a checkable fact, by kind, in English, French and Russian."""

from __future__ import annotations

import re

from app.domain import Kind

_I = re.IGNORECASE

# Numbers as written in news: 3,200 · 13.5 · 3 000 (space, thin space or no-break space) · 1 900.
NUMBER = r"\d{1,3}(?:[ \u00a0\u202f\u2009]\d{3})+(?![\d])|\d+(?:[.,]\d+)*"
_NUMBER_WORDS = (
    r"(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)-(?:one|two|three|four|five|six|seven|eight|nine)|"
    r"two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|"
    r"hundreds?|thousands?|millions?|billions?|dozens?|"
    r"deux|trois|quatre|cinq|sept|huit|neuf|dix|douze|quinze|vingt|trente|cent|mille|millions?|milliards?|"
    r"два|две|двух|три|трёх|трех|четыре|четырёх|пять|шесть|семь|восемь|девять|десять|сто|тысяч[аи]?|"
    r"миллион(?:а|ов)?|миллиард(?:а|ов)?"
)
_YEAR = r"(?:1[6-9]\d\d|20\d\d)"
_MONTHS = (
    r"january|february|march|april|june|july|august|september|october|november|december|"
    r"janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|"
    r"январ[ьяе]|феврал[ьяе]|март[ае]?|апрел[ьяе]|ма[йяе]|июн[ьяе]|июл[ьяе]|август[ае]?|сентябр[ьяе]|"
    r"октябр[ьяе]|ноябр[ьяе]|декабр[ьяе]"
)
_WEEKDAYS = (
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|lundi|mardi|mercredi|jeudi|vendredi|samedi|"
    r"dimanche|понедельник|вторник|сред[ау]|четверг|пятниц[ау]|суббот[ау]|воскресенье"
)

PATTERNS: dict[Kind, re.Pattern[str]] = {
    Kind.UN_RESOLUTION: re.compile(
        r"\bresolutions?\b(?=[^.]{0,60}\b(?:UN|U\.N\.|Security Council|General Assembly|\d{3,4}))"
        r"|\b(?:UN|U\.N\.|Security Council|General Assembly|ONU|Conseil de sécurité)\b[^.]{0,60}\bresolutions?\b"
        r"|\brésolutions?\s+\d+|\bрезолюци[яиюей]\b",
        _I,
    ),
    Kind.TREATY: re.compile(
        r"\b(?:article|art\.|статья|стать[ие])\s*\d+|\bconvention\s+(?:on|sur|de|du|des|for)\b"
        r"|\b(?:treaty|convention|agreement|accord|protocol|charter|pact|договор|конвенци\w*|соглашени\w*)\b"
        r"(?!\s+organi[sz]ation)",
        _I,
    ),
    Kind.PERCENTAGE: re.compile(rf"(?:{NUMBER})\s?%|\b(?:{NUMBER})\s?(?:per ?cent|pour ?cent|процент\w*)", _I),
    Kind.QUANTITY: re.compile(
        rf"(?<![\w.,])(?:{NUMBER})(?![\w%]|\s?%|[.,]\d)(?!\s+(?:{_MONTHS})\b)"
        rf"|\b(?:{_NUMBER_WORDS})\b(?=\s+\w)",
        _I,
    ),
    Kind.DATE: re.compile(
        rf"\b(?:in|since|from|until|of|by|en|depuis|de|в|с|до)\s+{_YEAR}\b|\b{_YEAR}\b"
        rf"|\b(?:{_MONTHS})\b|(?-i:\bMay\b)|\b(?:{_WEEKDAYS})\b|\b(?:founded|established|created|fondée?s?|créée?s?|основан\w*|создан\w*)\b",
        _I,
    ),
    Kind.ATTRIBUTION: re.compile(
        r"\b(?:said|says|stated|states|told|asks?|asked|requested|requests|announced|announces|declared|"
        r"claimed|claims|denied|confirmed|reported|according to|a déclaré|a dit|a affirmé|a annoncé|"
        r"a demandé|selon|заявил[аи]?|сообщил[аи]?|по словам|обратил(?:ся|ась|ись))\b",
        _I,
    ),
    Kind.MEMBERSHIP: re.compile(
        r"\bmembers?\s+(?:of|countries|states)\b|\bmember (?:countries|states)\b|\bare part of\b|"
        r"\bmembres?\s+(?:de|du|des)\b|\bчлен\w*\b"
        r"|\b[A-ZА-Я][\w-]+(?:,\s+(?:le |la |les )?[A-ZА-Я][\w-]+){2,},?\s+(?:and|et|и)\s+[A-ZА-Я][\w-]+",
    ),
    Kind.COMPARISON: re.compile(
        r"\b(?:more|less|fewer|higher|lower|larger|smaller|bigger)\s+than\b|\b(?:copy|same)\s+(?:of|as)\b|"
        r"\b(?:twice|double|half)\b|\bthe\s+(?:largest|biggest|highest|lowest|smallest|first|second|third|"
        r"fourth|fifth|second-largest|third-largest)\b|\brecord\b|"
        r"\bplus\s+(?:de|que)\b|\bmoins\s+(?:de|que)\b|\bбольше\b|\bменьше\b",
        _I,
    ),
    Kind.GEOGRAPHY: re.compile(
        r"\bborders?\b|\bfrontières?\b|\bгранил?ц\w*|\blocated\s+(?:in|on|to|at|near)\b|\bsitué\w*\b"
        r"|\b(?:north|south|east|west)\s+of\b",
        _I,
    ),
    Kind.EVENT: re.compile(
        r"\b(?:took place|happened|occurred|sent|sends?|sold|sells?|called up|met|voted|fell|rose|grew|cut|cuts|"
        r"won|lost|began|begun|positioned|outsourced|walked out|"
        r"(?:launch|sign|deploy|attack|bomb|kill|call|visit|adopt|approv|elect|appoint|resign|invad|annex|arrest|"
        r"halt|ban|rais|open|clos|start|end|stopp|resum|divert|strik|protest|fir|destroy|captur|seiz|releas|"
        r"withdr[ae]w|pass)(?:e|es|s|ed|d|ing)?|"
        r"a eu lieu|ont eu lieu|a lancé|a signé|a envoyé|ont envoyé|possède|"
        r"отправил[аои]?|подписал[аои]?|начал[аои]?|провел[аои]?|заключен[оа]?)\b",
        _I,
    ),
}

# When a clause has several signals, the most specific names its kind. Digits outrank words:
# "3 000 Russians" is a count, "two republics" only colours a statement of another kind.
PRIORITY = [
    Kind.UN_RESOLUTION, Kind.TREATY, Kind.PERCENTAGE, Kind.QUANTITY, Kind.DATE, Kind.ATTRIBUTION,
    Kind.MEMBERSHIP, Kind.COMPARISON, Kind.GEOGRAPHY, Kind.EVENT,
]
STRENGTH = {
    Kind.UN_RESOLUTION: 0.95, Kind.TREATY: 0.8, Kind.PERCENTAGE: 0.95, Kind.QUANTITY: 0.85, Kind.DATE: 0.7,
    Kind.ATTRIBUTION: 0.65, Kind.MEMBERSHIP: 0.65, Kind.COMPARISON: 0.6, Kind.GEOGRAPHY: 0.55, Kind.EVENT: 0.5,
}

DIGIT = re.compile(r"\d")
YEAR_ONLY = re.compile(rf"^{_YEAR}$")
NUMBER_WORD = re.compile(rf"^(?:{_NUMBER_WORDS})$", _I)
# A treaty named without an article, a date or a verb of fact is background, not a claim.
TREATY_STRONG = re.compile(r"\b(?:article|art\.|статья|стать[ие])\s*\d+|\bconvention\s+(?:on|sur|de|du|des|for)\b", _I)

# Not claims: opinions and calls to action, predictions, intentions.
OPINION = re.compile(
    r"^(?:\w+,\s+)?(?:we|i|you)\s+(?:need|must|should|have to|ought to)\b"
    r"|\b(?:we|i|you|it|they|he|she)\s+(?:must|should|ought to)\b"
    r"|\bin my (?:opinion|view)\b|\bi (?:think|believe|feel)\b|\bwe (?:think|believe)\b"
    r"|^(?:il faut|nous devons|je pense|je crois)\b|^(?:нужно|надо|нам нужно|я думаю|я считаю)\b",
    _I,
)
PREDICTION = re.compile(
    r"\b(?:will|won't|shall|going to|is likely to|are likely to|could|might|may well|expects?|expected to|"
    r"forecasts?|projected to)\b"
    r"|\b(?:va|vont|pourrait|pourraient|devrait|devraient)\s+\w+|\b\w+(?:era|eront|erait|eraient)\b"
    r"|\banticip\w+|\bprévoi\w+|\bбудет\b|\bбудут\b|\bожида\w+",
    _I,
)
REPORTED = re.compile(r"\b(?:said|says|stated|told|announced|declared|a déclaré|a dit|заявил\w*)\b(?:\s+that)?", _I)


def reported_prediction(clause: str, prediction: re.Match[str]) -> bool:
    """"X said that he will …" can be checked (X said it); a quoted forecast with "said X" after it
    cannot, beyond the quote."""
    said = REPORTED.search(clause)
    return said is not None and said.start() < prediction.start()
INTENTION = re.compile(
    r"\b(?:wants?|seeks?|strives?|hopes?|intends?|plans?|tries|try|aims?)\s+to\b|\bveut\b|\bcherche à\b|\bхочет\b",
    _I,
)
HEDGE_ONLY = frozenset({Kind.EVENT, Kind.GEOGRAPHY, Kind.COMPARISON})


def signals(clause: str) -> dict[Kind, int]:
    """Each kind with evidence in the clause, and how many times it shows."""
    found: dict[Kind, int] = {}
    for kind, pattern in PATTERNS.items():
        hits = [m.group() for m in pattern.finditer(clause)]
        if kind is Kind.QUANTITY:
            # A bare year is a date, not a count; a lone small number word needs digits or a noun.
            hits = [h for h in hits if not YEAR_ONLY.match(h.strip())]
        if hits:
            found[kind] = len(hits)
    if Kind.TREATY in found and not TREATY_STRONG.search(clause) and len(found) == 1:
        del found[Kind.TREATY]
    return found


WEAK_DATE = re.compile(rf"{_YEAR}|founded|established|created|fond|créé|основан|создан", _I)


def kind_of(found: dict[Kind, int], clause: str) -> Kind:
    order = list(PRIORITY)
    if Kind.QUANTITY in found and not DIGIT.search(clause):
        # Counted in words only ("two republics"): another signal names the kind if there is one.
        order.remove(Kind.QUANTITY)
        order.append(Kind.QUANTITY)
    if Kind.TREATY in found and not TREATY_STRONG.search(clause):
        # "after talks on a new agreement broke down": the figures are the claim, not the agreement.
        order.remove(Kind.TREATY)
        order.insert(order.index(Kind.ATTRIBUTION), Kind.TREATY)
    return next(k for k in order if k in found)


def weak(found: dict[Kind, int], clause: str) -> bool:
    """A month or weekday alone ("The choice in November is simple") states nothing to check."""
    return set(found) == {Kind.DATE} and not WEAK_DATE.search(clause)
