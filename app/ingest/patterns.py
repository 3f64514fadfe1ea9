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
_PHRASE = r"[^.!?]{1,40}"  # a few words that do not end a sentence: widgets have no full stop
_SORT = r"(?:newest|oldest|most\s+voted|most\s+popular|most\s+liked|latest|best|top|popular)"

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
    rf"{_SORT}(?:\s+{_SORT})+",  # "Newest Most Voted": a sort switch
    r"sort\s+by\b.*",
    r"(?:you\s+must\s+be\s+)?log(?:ged)?\s*in\s+to\s+(?:post\s+a\s+)?comment.*",
    r"(?:\d+\s+)?commentaires?(?:\s*\(\d+\))?",
    r"(?:laisser|ajouter|écrire|poster|rédiger)\s+(?:un|votre)\s+commentaire",
    r"réagir(?:\s+à\s+cet\s+article)?",
    r"vos\s+(?:réactions|commentaires)",
    r"(?:\d+\s+)?комментари(?:и|ев|й|я)(?:\s*\(\d+\))?",
    r"(?:оставить|добавить|написать|оставьте)\s+(?:свой\s+)?комментарий",
    r"(?:\d+\s+)?коментар(?:і|ів|ях)(?:\s*\(\d+\))?",
    r"(?:залишити|додати|написати)\s+коментар",
    r"(?:\d+\s+)?(?:leser)?kommentare?(?:\s*\(\d+\))?",
    r"(?:einen\s+)?kommentar\s+(?:schreiben|hinterlassen|verfassen|abgeben)",
    r"diskutieren\s+sie\s+mit",
    r"(?:\d+\s+)?comentarios?(?:\s*\(\d+\))?",
    r"(?:deja|dejar|escribe|añade|añadir)\s+(?:un|tu)\s+comentario",
    r"(?:\d+\s+)?commenti(?:\s*\(\d+\))?",
    r"(?:lascia|scrivi|aggiungi)\s+un\s+commento",
    r"(?:\d+\s+)?comentários?(?:\s*\(\d+\))?",
    r"(?:deixe|deixar|escreva)\s+(?:um|seu|o\s+seu)\s+comentário",
    r"(?:\d+\s+)?yorum(?:lar)?(?:\s*\(\d+\))?",
    r"yorum\s+(?:yap|yaz|bırak)",
    r"(?:\d+\s+)?التعليقات|\d+\s+تعليقا?ت?|(?:أضف|اترك|اكتب)\s+تعليق(?:ا|ك)?",
)

_SHARE_TARGETS = (
    r"(?:facebook|twitter|x|linkedin|whatsapp|telegram|email|e-mail|vk|reddit|pinterest|messenger)"
)

# Lines that are page or widget furniture wherever they appear.
FURNITURE = _any(
    # comment widgets
    r"inline\s+feedbacks?|view\s+all\s+comments",
    r"load\s+more(?:\s+comments)?|(?:show|hide)\s+(?:more\s+)?replies",
    _SORT,
    r"sort",
    rf"reply(?:\s+to\s+{_PHRASE})?|cancel\s+reply|(?:\d+\s+)?(?:replies|reply)",
    r"report(?:\s+(?:comment|abuse))?|flag",
    r"(?:\d+\s+)?(?:likes?|upvotes?|downvotes?|votes?)|upvote|downvote",
    r"quote|permalink|edit|delete",
    r"guest\s+comment|anonymous\s+comment",
    r"be\s+the\s+first\s+to\s+comment.*|no\s+comments?\s+yet.*",
    r"your\s+email\s+address\s+will\s+not\s+be\s+published.*",
    r"required\s+fields\s+are\s+marked.*",
    r"(?:name|e-?mail|website|comment|message)\s*\*?",
    r"save\s+my\s+name.*|post\s+comment|submit(?:\s+comment)?|send|cancel",
    r"this\s+site\s+uses\s+akismet.*",
    r"password(?:\s+generation)?|a\s+password\s+has\s+not\s+been\s+entered",
    r"(?:show|hide|generate)\s+password|password\s+strength.*",
    r".*\bplease\s+comment\W*x?|would\s+love\s+your\s+thoughts.*",  # x: the close button
    r"répondre|signaler|ответить|пожаловаться|antworten|melden|responder|rispondi|yanıtla|رد",
    # share and account prompts
    r"share(?:\s+(?:this|the)(?:\s+(?:article|post|story|page|video))?)?"
    rf"(?:\s+(?:on|via)\s+{_SHARE_TARGETS})?",
    rf"{_SHARE_TARGETS}|tweet|print|copy\s+link|link\s+copied",
    r"(?:log\s*in|sign\s*in|sign\s*up|register|subscribe|log\s*out)"
    rf"(?:\s+(?:now|here|to\s+{_PHRASE}))?",
    r"partager|partagez|поделиться|teilen|compartir|condividi|compartilhar|paylaş|شارك",
    r"(?:se\s+)?connecter|connexion|s'abonner|войти|вход|регистрация|подписаться",
    r"anmelden|registrieren|abonnieren|iniciar\s+sesión|suscribirse|accedi|iscriviti",
    r"entrar|assinar|giriş\s+yap|abone\s+ol",
    # page templates
    r"advertisement|advert|sponsored(?:\s+content)?|publicité|реклама|anzeige|werbung",
    r"publicidad|pubblicità|publicidade|reklam|إعلان",
    r"(?:read|see)\s+(?:more|also)(?:\s*:.*)?",
    r"related(?:\s+(?:articles|stories|posts|news|content|topics))?\s*:?",
    r"(?:à\s+)?lire\s+aussi.*|voir\s+aussi.*|(?:читайте|смотрите)\s+также.*",
    r"(?:lesen\s+sie\s+auch|mehr\s+zum\s+thema).*",
    r"(?:lee|ver)\s+también.*|(?:leggi|vedi)\s+anche.*|(?:leia|veja)\s+(?:também|mais).*",
    r"tags?\s*:.*|(?:categories|category|filed\s+under|topics)\s*:.*",
    r"mots-clés\s*:.*|(?:теги|метки)\s*:.*",
    r"follow\s+us.*|suivez-nous.*|подписывайтесь.*|folgen\s+sie\s+uns.*",
    r"síguenos.*|seguici.*|siga-nos.*",
    r"(?:sign\s+up|subscribe)\s+(?:for|to)\s+(?:our|the)\s+.{0,30}newsletter.*",
    r"newsletter|inscrivez-vous.*",
    r"©.*|\(c\)\s*\d{4}.*|copyright\s+(?:©|\(c\)|\d{4}).*|all\s+rights\s+reserved.*",
    r"tous\s+droits\s+réservés.*|все\s+права\s+защищены.*|alle\s+rechte\s+vorbehalten.*",
    r"todos\s+los\s+derechos\s+reservados.*",
    r"(?:accept|reject|manage|allow)(?:\s+all)?\s+cookies",
    r"we\s+use\s+cookies.*|cookie\s+(?:policy|settings).*",
    r"privacy(?:\s+policy)?|terms(?:\s+of\s+(?:use|service))?|about\s+us|contact(?:\s+us)?",
    r"imprint|impressum|mentions\s+légales",
    r"skip\s+to\s+(?:main\s+)?content|(?:main\s+)?menu|home|search|back\s+to\s+top",
    r"(?:previous|next)(?:\s+(?:article|post|story|page))?|précédent|suivant",
    r"(?:click|tap)\s+(?:here|to\s+\w+).*",
    rf"(?:also\s+on|more\s+from)\s+{_PHRASE}|recommended(?:\s+for\s+you)?|trending(?:\s+now)?",
    # page numbers and running heads a PDF paste brings along: "2", "Page 3 of 12", "– 4 –"
    r"(?:page|p\.|стр\.|seite)?\s*\d{1,4}(?:\s*(?:/|of|sur|из|von)\s*\d{1,4})?",
    # wire-copy and caption credits
    r"\(?(?:reporting|writing|editing|additional\s+reporting|compiled|translated)\s+by\s+"
    r"[^.!?]*\)?",
    r"(?:photo|image|picture|video|source|credit|illustration|фото|видео|источник|quelle|fuente)s?"
    r"\s*:.{0,80}",
)

# Relative dates as comment widgets print them, and the words that introduce a date.
_AGO_EN = (
    rf"(?:{_NUMBER}|a\s+few|several|\d+\s*[smhdwy])\s*"
    r"(?:(?:sec(?:ond)?|min(?:ute)?|h(?:ou)?r|hour|day|week|wk|month|mo|year|yr)s?\s+)?ago"
)
_RELATIVE = _any(
    _AGO_EN,
    r"just\s+now|yesterday|today|moments?\s+ago",
    r"\d{1,2}\s?(?:s|m|min|h|hr|d|w|wk|mo|y|yr)",  # Facebook and X: "3y", "5d", "2h"
    r"il\s+y\s+a\s+(?:\d+|une?|quelques)\s+"
    r"(?:secondes?|minutes?|heures?|jours?|semaines?|mois|ans?|années?)",
    r"hier|aujourd'hui|avant-hier|à\s+l'instant",
    r"(?:\d+\s+|пол)?(?:секунд[уы]?|минут[уы]?|час(?:а|ов)?|день|дня|дней|недел[юиь]|недель"
    r"|месяц(?:а|ев)?|год(?:а)?|лет)\s+назад",
    r"вчера|сегодня|позавчера|только\s+что",
    r"(?:\d+\s+)?(?:секунд\w*|хвилин\w*|годин\w*|день|дні|днів|тижн\w*|місяц\w*|рік|роки|років)"
    r"\s+тому",
    r"вчора|сьогодні",
    r"vor\s+(?:\d+|einer?|einem|zwei|drei|wenigen)\s+"
    r"(?:sekunden?|minuten?|stunden?|tag(?:en)?|wochen?|monat(?:en)?|jahr(?:en)?)",
    r"gestern|heute",
    r"hace\s+(?:\d+|una?|unos|unas)\s+"
    r"(?:segundos?|minutos?|horas?|días?|semanas?|mes(?:es)?|años?)",
    r"ayer|hoy",
    r"(?:\d+|una?|un)\s+"
    r"(?:second[oi]|minut[oi]|or[ae]|giorn[oi]|settiman[ae]|mes[ei]|ann[oi])\s+fa",
    r"ieri|oggi",
    r"há\s+(?:\d+|uma?)\s+(?:segundos?|minutos?|horas?|dias?|semanas?|m[eê]s(?:es)?|anos?)",
    r"ontem|hoje",
    r"(?:\d+|bir)\s+(?:saniye|dakika|saat|gün|hafta|ay|yıl)\s+önce|dün|bugün",
    r"منذ\s+(?:\d+\s+)?(?:ثانية|ثوان|دقيقة|دقائق|ساعة|ساعات|يوم|أيام|أسبوع|أسابيع|شهر|أشهر"
    r"|سنة|سنوات|عام|أعوام)",
)
_MONTH = (
    r"jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?"
    r"|sep(?:t(?:ember)?)?"
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
    # 12 March 2024, March 12, 2024, 12 марта 2024 г., 2024-03-12, 12.03.2024 … and a time
    rf"(?:\w+,?\s+)?\d{{1,2}}(?:st|nd|rd|th|er|e|\.)?\s+(?:{_MONTH})\.?,?\s+\d{{4}}"
    r"(?:\s*(?:г\.?|года))?",
    rf"(?:\w+,?\s+)?(?:{_MONTH})\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}}",
    r"\d{4}-\d{2}-\d{2}(?:[t\s]\d{2}:\d{2}(?::\d{2})?(?:z|[+-]\d{2}:?\d{2})?)?",
    r"\d{1,2}[./]\d{1,2}[./]\d{2,4}",
)
_AT = r"(?:,?\s*(?:at|à|um|в|alle|a\s+las|às|saat|,|-|–)?\s*" + _TIME + r")?"
_INTRO = (
    r"(?:(?:posted|published|updated|edited|last\s+updated|publié|mis\s+à\s+jour|modifié"
    r"|опубликовано|обновлено|veröffentlicht|aktualisiert|publicado|actualizado|pubblicato"
    r"|aggiornato|atualizado"
    r"|yayınlandı|güncellendi)(?:\s+(?:on|le|am|el|il|em))?\s*:?\s*)?"
)
DATE = re.compile(
    rf"\(?{_INTRO}(?:{_ABSOLUTE.pattern}|{_RELATIVE.pattern}){_AT}"
    r"\s*(?:\(edited\)|\(modifié\))?\)?",
    _I,
)
# A date ending a comment header: "Marta K. • 2 years ago", "jdoe on March 4, 2024 at 9:12".
DATE_TAIL = re.compile(
    rf"(?P<head>.+?)\s*(?:[•·|—–-]|\s(?:on|le|am|el|il)|)\s+(?P<date>{DATE.pattern})",
    _I,
)
# "Marta Kowalski says:", "Jean a écrit :", "Иван пишет:".
SAYS = re.compile(
    r"(?P<name>.{1,60}?)\s+(?:says|said|wrote|replied|commented|dit|a\s+dit|a\s+écrit|écrit"
    r"|répond|пишет|написал[а]?|ответил[а]?|schreibt|schrieb|sagt|antwortete|dice|escribió"
    r"|respondió|scrive"
    r"|ha\s+scritto|disse|escreveu|yazdı|diyor|كتب)\s*:?",
    _I,
)
BYLINE = re.compile(
    r"(?:by|par|von|por|di|door|przez|автор|авторы|от|від|yazan|بقلم)\s*:?\s+"
    r"(?P<name>[^,|·•–—(]{2,60}?)"
    r"\s*(?:[,|·•–—(].*)?",
    _I,
)

# Prefix words that look like a name before a colon but label something else ("Update: …").
LABELS = frozenset(
    ["note", "notes", "update", "updated", "source", "sources", "photo", "photos", "video", "image", "images", "credit", "credits", "editor", "editors", "correction", "disclaimer", "warning", "read", "see", "also", "related", "tags", "tag", "share", "summary", "conclusion", "background", "context", "example", "firstly", "secondly", "thirdly", "finally", "first", "second", "third", "however", "breaking", "news", "exclusive", "analysis", "opinion", "watch", "listen", "live", "edit", "ps", "nb", "q", "a", "question", "answer", "subject", "from", "to", "date", "time", "location", "place", "where", "when", "why", "how", "what", "who", "key", "points", "interview", "entretien", "интервью", "interviu", "röportaj", "entrevista", "intervista", "lire", "aussi", "mise", "à", "jour", "voir", "nb", "résumé", "читайте", "также", "источник", "фото", "видео", "примечание", "итог", "hinweis", "quelle", "anmerkung", "fuente", "nota", "resumen", "fonte", "riassunto", "kaynak", "not", "özet"]
)
PARTICLES = frozenset(
    ["de", "du", "des", "da", "di", "do", "dos", "das", "del", "della", "van", "von", "der", "den", "ter", "ten", "la", "le", "al", "el", "bin", "ibn", "ben", "y", "e", "zu", "af"]
)
HONORIFICS = frozenset(
    ["mr.", "mrs.", "ms.", "dr.", "prof.", "m.", "mme", "mlle", "sr.", "jr.", "st.", "sir", "lord", "lady", "г-н", "г-жа"]
)
