"""The desk overview as a page that can be published: claims checked per week, a scorecard per
speaker and per outlet, and the work waiting. Self-contained HTML (no scripts, no external
loads); every piece of user text is escaped."""

from __future__ import annotations

import json

from markupsafe import Markup, escape

from app.domain.overview import Overview, Scorecard
from app.export.report import human_date, human_datetime, safe_colour

_CSS = """
body { font: 15px/1.45 "Noto Sans", "DejaVu Sans", Arial, sans-serif; color: #1b1b1b; margin: 2rem auto; max-width: 60rem; padding: 0 1rem; }
h1 { font-family: "Noto Serif", "DejaVu Serif", Georgia, serif; margin-bottom: .2rem; }
h2 { font-size: .8rem; letter-spacing: .08em; text-transform: uppercase; border-top: 3px solid #1b1b1b; padding-top: .6rem; margin-top: 2.2rem; }
.meta { color: #5c5f66; font-size: .85rem; }
.weeks { display: flex; align-items: flex-end; gap: 4px; height: 140px; border-bottom: 1px solid #d6d6d3; }
.week { flex: 1; background: #2f6fde; min-height: 1px; position: relative; }
.week span { position: absolute; top: -1.3em; width: 100%; text-align: center; font-size: .75rem; }
.week-labels { display: flex; gap: 4px; font-size: .7rem; color: #5c5f66; }
.week-labels div { flex: 1; text-align: center; }
.card { margin: .9rem 0; }
.card-name { font-weight: 600; }
.card-total { color: #5c5f66; font-size: .85rem; }
.bar { display: flex; height: 1.4rem; border-radius: 3px; overflow: hidden; margin: .25rem 0; }
.bar div { min-width: 2px; }
.legend { font-size: .8rem; color: #33363b; }
.legend i { display: inline-block; width: .8em; height: .8em; margin: 0 .3em 0 .8em; vertical-align: -.05em; }
table { border-collapse: collapse; width: 100%; font-size: .9rem; }
td, th { text-align: left; padding: .35rem .4rem; border-bottom: 1px solid #eee; vertical-align: top; }
"""


def render_overview_json(overview: Overview) -> str:
    return json.dumps(overview.as_json(), ensure_ascii=False, indent=2) + "\n"


def render_overview_html(overview: Overview, *, organisation: str = "") -> str:
    """The overview page: a scorecard per speaker and per outlet, with the numbers written out."""
    out: list[str] = [
        "<!DOCTYPE html>", '<html lang="en">', "<head>", '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{escape(organisation or 'Fact-check desk')}: overview</title>",
        f"<style>{_CSS}</style>", "</head>", "<body>",
        f"<h1>{escape(organisation or 'The fact-check desk')}</h1>",
        f'<p class="meta">Overview generated {escape(human_datetime(overview.generated_at))}:'
        f" {overview.checked} claims checked in the last {len(overview.weeks)} weeks,"
        f" {overview.in_review} waiting for review.</p>",
        "<h2>Claims checked per week</h2>",
    ]
    top = max((w.count for w in overview.weeks), default=0) or 1
    out.append('<div class="weeks" role="img" aria-label="Claims checked per week">')
    for w in overview.weeks:
        height = round(100 * w.count / top, 1)
        out.append(f'<div class="week" style="height:{height}%" title="Week of {escape(human_date(w.week))}:'
                   f' {w.count}"><span>{w.count or ""}</span></div>')
    out.append("</div>")
    out.append('<div class="week-labels">' + "".join(f"<div>{escape(w.label)}</div>" for w in overview.weeks) + "</div>")
    for title, cards in (("Scorecards by speaker", overview.by_speaker), ("Verdicts by outlet", overview.by_outlet)):
        out.append(f"<h2>{title}</h2>")
        if not cards:
            out.append('<p class="meta">No checked claim names one yet.</p>')
        out.extend(_card(card) for card in cards)
    out.append("<h2>Waiting for review</h2>")
    counts = " · ".join(f"{state.label}: {n}" for state, n in overview.by_state)
    out.append(f'<p class="meta">{escape(counts)}</p>')
    if overview.oldest:
        out.append("<table><tr><th>Claim</th><th>State</th><th>Since</th><th>Article</th></tr>")
        for w in overview.oldest:
            since = human_date(w.since.date()) if w.since else ""
            out.append(f"<tr><td><b>{escape(w.ref)}</b> {escape(w.quote)}</td><td>{escape(w.state.label)}</td>"
                       f"<td>{escape(since)}</td><td>{escape(w.article_title)}</td></tr>")
        out.append("</table>")
    out += ["</body>", "</html>", ""]
    return "\n".join(out)


def _card(card: Scorecard) -> str:
    total = card.total
    parts = "".join(
        f'<div style="flex:{v.count};background:{safe_colour(v.colour)}" title="{escape(v.name)}: {v.count}'
        f' of {total}"></div>'
        for v in card.verdicts
    )
    legend = "".join(
        f'<i style="background:{safe_colour(v.colour)}"></i>{escape(v.name)} {v.count}'
        f" ({round(100 * v.count / total)}%)" for v in card.verdicts
    )
    return str(Markup(
        '<div class="card"><span class="card-name">{}</span> <span class="card-total">{} checked</span>'
        '<div class="bar">{}</div><div class="legend">{}</div></div>'
    ).format(card.name, total, Markup(parts), Markup(legend)))
