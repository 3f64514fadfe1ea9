"""Words of page furniture, comment widgets, bylines and dates, in the languages Claimdesk reads.

Each pattern matches a whole line (case-insensitive), so "Share" alone is furniture but a
sentence about shares is not. They come from the comment systems and CMS templates a saved
page carries (WordPress, wpDiscuz, Disqus, Facebook comments, news-site templates), not from
any one article.
"""

from __future__ import annotations

import re

_I = re.IGNORECASE | re.UNICODE


def _any(*alternatives: str) -> re.Pattern[str]:
    return re.compile(r"(?:" + "|".join(alternatives) + r")", _I)


_COUNT = r"(?:\d+|no|one|two|three|four|five|six|seven|eight|nine|ten)"
_NUMBER = rf"(?:{_COUNT}|a|an)"
_QUOTE = r"[“\"«„'‘]"

# Lines that open the reader-comment section (and are furniture themselves).
OPENER = _any(
    r"notify of",
    rf"{_COUNT}\s+(?:comments?|replies)(?:\s+(?:on|to)\s+.*)?",
    # WordPress: 3 thoughts on “Title”, 12 Responses to “Title” (the quote keeps headings out)
    rf"{_COUNT}\s+(?:thoughts?|responses?)\s+(?:on|to)\s+{_QUOTE}.*",
    r"(?:reader|readers'?|user|visitor)?\s*comments?(?:\s*\(\d+\)|\s*:?\s*\d+)?",
    r"(?:show|view|see|load|read|open)\s+(?:all\s+)?(?:\d+\s+)?comments?",
    r"leave\s+a\s+(?:reply|comment|response)(?:\s+cancel\s+reply)?",
    r"(?:post|add|write|submit)\s+(?:a\s+|your\s+|new\s+)?comment",
    r"join\s+the\s+(?:discussion|conversation|debate)",
    r"(?:newest|oldest|most\s+voted|most\s+popular|most\s+liked|latest|best|top|popular)"
    r"(?:\s+(?:newest|oldest|most\s+voted|most\s+popular|most\s+liked|latest|best|top|popular))+",
    r"sort\s+by\b.*",
    r"(?:you\s+must\s+be\s+)?log(?:ged)?\s*in\s+to\s+(?:post\s+a\s+)?comment.*",
    r"(?:\d+\s+)?commentaires?(?:\s*\(\d+\))?",
    r"(?:laisser|ajouter|écrire|poster|rédiger)\s+(?:un|votre)\s+commentaire",
    r"réagir(?:\s+à\s+cet\s+article)?|vos\s+(?:réactions|commentaires)",
    r"(?:\d+\s+)?комментари(?:и|ев|й|я)(?:\s*\(\d+\))?",
    r"(?:оставить|добавить|написать|оставьте)\s+(?:свой\s+)?комментарий",
    r"(?:\d+\s+)?коментар(?:і|ів|ях)(?:\s*\(\d+\))?|(?:залишити|додати|написати)\s+коментар",
    r"(?:\d+\s+)?(?:leser)?kommentare?(?:\s*\(\d+\))?",
    r"(?:einen\s+)?kommentar\s+(?:schreiben|hinterlassen|verfassen|abgeben)|diskutieren\s+sie\s+mit",
    r"(?:\d+\s+)?comentarios?(?:\s*\(\d+\))?|(?:deja|dejar|escribe|añade|añadir)\s+(?:un|tu)\s+comentario",
    r"(?:\d+\s+)?commenti(?:\s*\(\d+\))?|(?:lascia|scrivi|aggiungi)\s+un\s+commento",
    r"(?:\d+\s+)?comentários?(?:\s*\(\d+\))?|(?:deixe|deixar|escreva)\s+(?:um|seu|o\s+seu)\s+comentário",
    r"(?:\d+\s+)?yorum(?:lar)?(?:\s*\(\d+\))?|yorum\s+(?:yap|yaz|bırak)",
    r"(?:\d+\s+)?التعليقات|\d+\s+تعليقا?ت?|(?:أضف|اترك|اكتب)\s+تعليق(?:ا|ك)?",
)

_SHARE_TARGETS = r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|email|e-mail|vk|reddit|pinterest|messenger)"

# Lines that are page or widget furniture wherever they appear.
FURNITURE = _any(
    # comment widgets
    r"inline\s+feedbacks?|view\s+all\s+comments|load\s+more(?:\s+comments)?|(?:show|hide)\s+(?:more\s+)?replies",
    r"newest|oldest|most\s+voted|most\s+popular|latest|sort",
    r"reply(?:\s+to\s+\S.*)?|cancel\s+reply|(?:\d+\s+)?(?:replies|reply)|report(?:\s+(?:comment|abuse))?|flag",
    r"(?:\d+\s+)?(?:likes?|upvotes?|downvotes?|votes?)|upvote|downvote|quote|permalink|edit|delete",
    r"guest\s+comment|anonymous\s+comment|be\s+the\s+first\s+to\s+comment.*|no\s+comments?\s+yet.*",
    r"your\s+email\s+address\s+will\s+not\s+be\s+published.*|required\s+fields\s+are\s+marked.*",
    r"(?:name|e-?mail|website|comment|message)\s*\*?",
    r"save\s+my\s+name.*|post\s+comment|submit(?:\s+comment)?|send|cancel|this\s+site\s+uses\s+akismet.*",
    r"password(?:\s+generation)?|a\s+password\s+has\s+not\s+been\s+entered|(?:show|hide|generate)\s+password",
    r"password\s+strength.*|.*\bplease\s+comment\b.*|would\s+love\s+your\s+thoughts.*",
    r"répondre|signaler|ответить|пожаловаться|antworten|melden|responder|rispondi|responder|yanıtla|رد",
    # share and account prompts
    rf"share(?:\s+(?:this|the)(?:\s+(?:article|post|story|page|video))?)?(?:\s+(?:on|via)\s+{_SHARE_TARGETS})?",
    rf"{_SHARE_TARGETS}|tweet|print|copy\s+link|link\s+copied",
    r"(?:log\s*in|sign\s*in|sign\s*up|register|subscribe|log\s*out)(?:\s+(?:now|here|to\s+.{0,40}))?",
    r"partager|partagez|поделиться|teilen|compartir|condividi|compartilhar|paylaş|شارك",
    r"(?:se\s+)?connecter|connexion|s'abonner|войти|вход|регистрация|подписаться|anmelden|registrieren",
    r"abonnieren|iniciar\s+sesión|suscribirse|accedi|iscriviti|entrar|assinar|giriş\s+yap|abone\s+ol",
    # page templates
    r"advertisement|advert|sponsored(?:\s+content)?|publicité|реклама|anzeige|werbung|publicidad|pubblicità",
    r"publicidade|reklam|إعلان",
    r"(?:read|see)\s+(?:more|also)(?:\s*:.*)?|related(?:\s+(?:articles|stories|posts|news|content|topics))?\s*:?",
    r"(?:à\s+)?lire\s+aussi.*|voir\s+aussi.*|(?:читайте|смотрите)\s+также.*|(?:lesen\s+sie\s+auch|mehr\s+zum\s+thema).*",
    r"(?:lee|ver)\s+también.*|(?:leggi|vedi)\s+anche.*|(?:leia|veja)\s+(?:também|mais).*",
    r"tags?\s*:.*|(?:categories|category|filed\s+under|topics)\s*:.*|mots-clés\s*:.*|(?:теги|метки)\s*:.*",
    r"follow\s+us.*|suivez-nous.*|подписывайтесь.*|folgen\s+sie\s+uns.*|síguenos.*|seguici.*|siga-nos.*",
    r"(?:sign\s+up|subscribe)\s+(?:for|to)\s+(?:our|the)\s+.{0,30}newsletter.*|newsletter|inscrivez-vous.*",
    r"©.*|\(c\)\s*\d{4}.*|copyright\s+.*|all\s+rights\s+reserved.*|tous\s+droits\s+réservés.*",
    r"все\s+права\s+защищены.*|alle\s+rechte\s+vorbehalten.*|todos\s+los\s+derechos\s+reservados.*",
    r"(?:accept|reject|manage|allow)(?:\s+all)?\s+cookies|we\s+use\s+cookies.*|cookie\s+(?:policy|settings).*",
    r"privacy(?:\s+policy)?|terms(?:\s+of\s+(?:use|service))?|about\s+us|contact(?:\s+us)?|imprint|impressum",
    r"mentions\s+légales|skip\s+to\s+(?:main\s+)?content|(?:main\s+)?menu|home|search|back\s+to\s+top",
    r"(?:previous|next)(?:\s+(?:article|post|story|page))?|précédent|suivant|(?:click|tap)\s+(?:here|to\s+\w+).*",
    # page numbers and running heads a PDF paste brings along: "2", "Page 3 of 12", "– 4 –"
    r"(?:page|p\.|стр\.|seite)?\s*\d{1,4}(?:\s*(?:/|of|sur|из|von)\s*\d{1,4})?",
    # wire-copy and caption credits
    r"\(?(?:reporting|writing|editing|additional\s+reporting|compiled|translated)\s+by\b.*",
    r"(?:photo|image|picture|video|source|credit|illustration|фото|видео|источник|quelle|fuente)s?\s*:.{0,80}",
)

# Relative dates as comment widgets print them, and the words that introduce a date.
_AGO_EN = (
    rf"(?:{_NUMBER}|a\s+few|several|\d+\s*[smhdwy])\s*"
    r"(?:(?:sec(?:ond)?|min(?:ute)?|h(?:ou)?r|hour|day|week|wk|month|mo|year|yr)s?\s+)?ago"
)
_RELATIVE = _any(
    _AGO_EN,
    r"just\s+now|yesterday|today|moments?\s+ago",
    r"il\s+y\s+a\s+(?:\d+|une?|quelques)\s+(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?|années?)",
    r"hier|aujourd'hui|avant-hier|à\s+l'instant",
    r"(?:\d+\s+|пол)?(?:секунд[уы]?|минут[уы]?|час(?:а|ов)?|день|дня|дней|недел[юиь]|недель|месяц(?:а|ев)?"
    r"|год(?:а)?|лет)\s+назад|вчера|сегодня|позавчера|только\s+что",
    r"(?:\d+\s+)?(?:секунд\w*|хвилин\w*|годин\w*|день|дні|днів|тижн\w*|місяц\w*|рік|роки|років)\s+тому|вчора|сьогодні",
    r"vor\s+(?:\d+|einer?|einem|zwei|drei|wenigen)\s+(?:sekunden?|minuten?|stunden?|tag(?:en)?|wochen?|monat(?:en)?|jahr(?:en)?)",
    r"gestern|heute",
    r"hace\s+(?:\d+|una?|unos|unas)\s+(?:segundos?|minutos?|horas?|días?|semanas?|mes(?:es)?|años?)|ayer|hoy",
    r"(?:\d+|una?|un)\s+(?:second[oi]|minut[oi]|or[ae]|giorn[oi]|settiman[ae]|mes[ei]|ann[oi])\s+fa|ieri|oggi",
    r"há\s+(?:\d+|uma?)\s+(?:segundos?|minutos?|horas?|dias?|semanas?|m[eê]s(?:es)?|anos?)|ontem|hoje",
    r"(?:\d+|bir)\s+(?:saniye|dakika|saat|gün|hafta|ay|yıl)\s+önce|dün|bugün",
    r"منذ\s+(?:\d+\s+)?(?:ثانية|ثوان|دقيقة|دقائق|ساعة|ساعات|يوم|أيام|أسبوع|أسابيع|شهر|أشهر|سنة|سنوات|عام|أعوام)",
)
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?"
    r"|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?"
    r"|janvier|février|mars|avril|mai|juin|juillet|août|septembre|octobre|novembre|décembre"
    r"|января|февраля|марта|апреля|мая|июня|июля|августа|сентября|октября|ноября|декабря"
    r"|січня|лютого|березня|квітня|травня|червня|липня|серпня|вересня|жовтня|листопада|грудня"
    r"|januar|februar|märz|juni|juli|oktober|dezember"
    r"|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|diciembre"
    r"|gennaio|febbraio|aprile|maggio|giugno|luglio|settembre|ottobre|dicembre"
    r"|janeiro|fevereiro|março|maio|junho|julho|setembro|outubro|dezembro"
    r"|ocak|şubat|mart|nisan|mayıs|haziran|temmuz|ağustos|eylül|ekim|kasım|aralık"
)
_TIME = r"\d{1,2}(?:\s?[:h.]\s?\d{2})?(?:\s*(?:[ap]\.?m\.?|uhr|h))?"
_ABSOLUTE = _any(
    # 12 March 2024, March 12, 2024, 12 марта 2024 г., 2024-03-12, 12.03.2024, 12/03/24 … with a time
    rf"(?:\w+,?\s+)?\d{{1,2}}(?:st|nd|rd|th|er|e|\.)?\s+(?:{_MONTH})\.?,?\s+\d{{4}}(?:\s*(?:г\.?|года))?",
    rf"(?:\w+,?\s+)?(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}",
    r"\d{4}-\d{2}-\d{2}(?:[t\s]\d{2}:\d{2}(?::\d{2})?(?:z|[+-]\d{2}:?\d{2})?)?",
    r"\d{1,2}[./]\d{1,2}[./]\d{2,4}",
)
_AT = r"(?:,?\s*(?:at|à|um|в|alle|a\s+las|às|saat|,|-|–)?\s*" + _TIME + r")?"
_INTRO = (
    r"(?:(?:posted|published|updated|edited|last\s+updated|publié|mis\s+à\s+jour|modifié|опубликовано"
    r"|обновлено|veröffentlicht|aktualisiert|publicado|actualizado|pubblicato|aggiornato|atualizado"
    r"|yayınlandı|güncellendi)(?:\s+(?:on|le|am|el|il|em))?\s*:?\s*)?"
)
DATE = re.compile(
    rf"\(?{_INTRO}(?:{_ABSOLUTE.pattern}|{_RELATIVE.pattern}){_AT}\s*(?:\(edited\)|\(modifié\))?\)?",
    _I,
)
# A date at the end of a comment header: "Marta K. • 2 years ago", "jdoe on March 4, 2024 at 9:12".
DATE_TAIL = re.compile(
    rf"(?P<head>.+?)\s*(?:[•·|—–-]|\s(?:on|le|am|el|il)|)\s+(?P<date>{DATE.pattern})",
    _I,
)
# "Marta Kowalski says:", "Jean a écrit :", "Иван пишет:".
SAYS = re.compile(
    r"(?P<name>.{1,60}?)\s+(?:says|said|wrote|replied|commented|dit|a\s+dit|a\s+écrit|écrit|répond"
    r"|пишет|написал[а]?|ответил[а]?|schreibt|schrieb|sagt|antwortete|dice|escribió|respondió|scrive"
    r"|ha\s+scritto|disse|escreveu|yazdı|diyor|كتب)\s*:?",
    _I,
)
BYLINE = re.compile(
    r"(?:by|par|von|por|di|door|przez|автор|авторы|от|від|yazan|بقلم)\s*:?\s+(?P<name>[^,|·•–—(]{2,60}?)"
    r"\s*(?:[,|·•–—(].*)?",
    _I,
)

# Prefix words that look like a name before a colon but label something else ("Update: …").
LABELS = frozenset(
    """note notes update updated source sources photo photos video image images credit credits
    editor editors correction disclaimer warning read see also related tags tag share summary
    conclusion background context example firstly secondly thirdly finally first second third
    however breaking news exclusive analysis opinion watch listen live edit ps nb q a question
    answer subject from to date time location place where when why how what who key points
    interview entretien интервью interviu röportaj entrevista intervista
    lire aussi mise à jour voir nb résumé читайте также источник фото видео примечание итог
    hinweis quelle anmerkung fuente nota resumen fonte riassunto kaynak not özet""".split()
)
PARTICLES = frozenset(
    "de du des da di do dos das del della van von der den ter ten la le al el bin ibn ben y e zu af".split()
)
HONORIFICS = frozenset("mr. mrs. ms. dr. prof. m. mme mlle sr. jr. st. sir lord lady г-н г-жа".split())


def full(pattern: re.Pattern[str], line: str) -> re.Match[str] | None:
    return pattern.fullmatch(line)
