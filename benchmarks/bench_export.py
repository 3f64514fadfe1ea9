"""Time report export for a generated article with 1,000 claims; prints the median of each step.

Targets: build + HTML under 1 s, build + PDF (A4, every page drawn) under 3 s.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from _util import report as bench_row  # noqa: E402

from app.domain import Article, Claim, Kind, Rating, RatingScale, Source, State  # noqa: E402
from app.export import TEXT_FORMATS, build_report, export_report  # noqa: E402

CLAIMS = 1_000
RUNS = 7
PDF_RUNS = 5
TARGET_SECONDS = 1.0
PDF_TARGET_SECONDS = 3.0
SETTINGS = {"report_url": "https://checks.example.org/report", "organisation": "Example Checks"}

# The seeded default scale (migration 0007) and a written-conclusion one, as Workbench.scales() gives.
DEFAULT = RatingScale("default", "Claimdesk default", tuple(
    Rating(i, "default", key, name, colour, value, True, name)
    for i, (key, name, colour, value) in enumerate([
        ("verified", "Verified", "#bfe8c3", 5), ("mostly_true", "Mostly true", "#dcefc0", 4),
        ("misleading", "Misleading", "#e9cdf5", 3), ("disputed", "Disputed", "#ffd2a1", 2),
        ("false", "False", "#f7b0b0", 1), ("unverifiable", "Unverifiable", "#d9d9d9", None),
    ], 1)
))
SCALES = (DEFAULT, RatingScale("conclusion", "Written conclusion", free_text=True))


def generate(claims: int) -> tuple[Article, list[Claim]]:
    """An article of short paragraphs, one claim per sentence pair, every kind: most claims
    approved, a third in review, every label, some written conclusions, some without a verdict."""
    kinds = list(Kind)
    labels = DEFAULT.labels
    parts: list[str] = []
    made: list[Claim] = []
    offset = 0
    for i in range(claims):
        lead = f"Paragraph {i} opens with some context about the budget. "
        quote = f"Spending rose by {i % 97}.{i % 10}% in {1990 + i % 35}, to {i * 3} million euros."
        tail = " Officials declined to comment <on> the figures & the \"method\".\n\n"
        start = offset + len(lead)
        verdict = labels[i % len(labels)] if i % 7 else None
        conclusion = f"Close, but claim {i} rounds the figure up." if verdict is None and i % 2 else ""
        if verdict is None and not conclusion:
            state = State.NOT_STARTED if i % 4 else State.IN_PROGRESS
        else:
            state = State.IN_REVIEW if i % 3 == 0 else State.APPROVED
        signed = state is State.APPROVED
        made.append(
            Claim(
                id=i + 1,
                article_id=1,
                start=start,
                end=start + len(quote),
                quote=quote,
                kind=kinds[i % len(kinds)],
                state=state,
                verdict=verdict,
                conclusion=conclusion,
                verdict_by="Ana Checker" if verdict or conclusion else "",
                approved_by="Ben Editor" if signed else "",
                approved_at=datetime(2024, 5, 13, 16, 5) if signed else None,
                summary=f"Verdict for claim {i}: the figure is close but rounded.\nSee sources.",
                speaker="Finance Minister Jo Example" if i % 4 else "",
                notes=f"Reviewer note {i}." if i % 3 else "",
                sources=tuple(
                    Source(
                        id=i * 10 + j,
                        claim_id=i + 1,
                        url=f"https://stats.example.org/table/{i}/{j}",
                        title=f"Table {i}.{j}",
                        publisher="Statistics office",
                        accessed=date(2024, 5, 1),
                    )
                    for j in range(i % 3)
                ),
            )
        )
        chunk = lead + quote + tail
        parts.append(chunk)
        offset += len(chunk)
    text = "".join(parts)
    article = Article(id=1, title="Generated budget article", text=text, text_hash="x")
    return article, made


def median_seconds(work: Callable[[], object], runs: int = RUNS) -> float:
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        work()
        times.append(time.perf_counter() - began)
    return statistics.median(times)


def main() -> None:
    article, claims = generate(CLAIMS)
    when = datetime(2024, 5, 14, tzinfo=UTC)
    report = build_report(article, claims, generated_at=when, scales=SCALES)
    export_report(report, "html")  # first call loads and compiles the template

    print(f"{CLAIMS} claims, {len(article.text):,} characters of text, median of {RUNS} runs")
    build = median_seconds(lambda: build_report(article, claims, generated_at=when, scales=SCALES))
    print(f"  build_report        {build * 1000:8.1f} ms")
    for fmt in TEXT_FORMATS:
        seconds = median_seconds(lambda fmt=fmt: export_report(report, fmt, **SETTINGS))
        print(f"  render {fmt:<12} {seconds * 1000:8.1f} ms")
    end_to_end = median_seconds(
        lambda: export_report(build_report(article, claims, generated_at=when, scales=SCALES), "html")
    )
    size = len(export_report(report, "html").encode())
    verdict = "ok" if end_to_end < TARGET_SECONDS else "SLOWER THAN TARGET"
    print(f"  build + HTML        {end_to_end * 1000:8.1f} ms  ({size / 1e6:.2f} MB; target < "
          f"{TARGET_SECONDS:.0f} s: {verdict})")
    bench_row(f"HTML report, {CLAIMS:,} claims (build + render)", end_to_end * 1000, goal_ms=TARGET_SECONDS * 1000)
    # 1,000 and 5,000 claims taking turns, so that the machine's load hits both alike.
    big_article, big_claims = generate(5 * CLAIMS)
    ones, fives = [], []
    for _ in range(3):
        ones.append(pdf(article, claims, when, runs=1) * 1000)
        fives.append(pdf(big_article, big_claims, when, runs=1) * 1000)
    bench_row(f"PDF report, {CLAIMS:,} claims", ones, goal_ms=PDF_TARGET_SECONDS * 1000)
    bench_row(f"PDF report, {5 * CLAIMS:,} claims: linear?", fives, [5 * v for v in ones],
              reference_label=f"5 × the {CLAIMS:,}-claim PDF", goal_ratio=1.25)


def pdf(article: Article, claims: list[Claim], when: datetime, runs: int = PDF_RUNS) -> float:
    """The PDF needs Qt; it is drawn the way `claimdesk export --format pdf` draws it."""
    from app.ui.pdf import ensure_gui_app, write_pdf

    ensure_gui_app()
    with tempfile.TemporaryDirectory() as folder:
        target = Path(folder) / "report.pdf"
        pages = write_pdf(build_report(article, claims, generated_at=when, scales=SCALES), target)  # warm fonts
        seconds = median_seconds(
            lambda: write_pdf(build_report(article, claims, generated_at=when, scales=SCALES), target),
            runs=runs,
        )
        size = target.stat().st_size
    verdict = "ok" if seconds < PDF_TARGET_SECONDS else "SLOWER THAN TARGET"
    print(f"  build + PDF         {seconds * 1000:8.1f} ms  ({pages} A4 pages, {size / 1e6:.2f} MB, "
          f"median of {runs}; target < {PDF_TARGET_SECONDS:.0f} s: {verdict})", file=sys.stderr)
    return seconds


if __name__ == "__main__":
    main()
