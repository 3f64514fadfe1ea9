"""Time the import layer: lingua's one-off build, language per paragraph, structure, imports."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from _util import median_ms, row

from app.ingest import analyse, language, read_file

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "seeds" / "000_dfc4ea22a266b7c5.txt"
PAGE = ROOT / "tests" / "data" / "ingest" / "news_page.html"


def main() -> int:
    text = SAMPLE.read_text("utf-8")
    paragraphs = [p for p in text.split("\n") if len(p.strip()) > 40]

    t0 = time.perf_counter()
    language.detector()  # import lingua, build, preload the 14 languages' models
    build_ms = (time.perf_counter() - t0) * 1000
    t0 = time.perf_counter()
    language.detect(paragraphs[0])
    first_ms = (time.perf_counter() - t0) * 1000
    print("lingua (low accuracy, 14 languages)")
    print(row("import + build + preload, once per process", build_ms))
    print(row("first detection after that", first_ms))
    all_paragraphs = median_ms(lambda: [language.detect(p) for p in paragraphs], runs=21)
    per_paragraph = all_paragraphs / len(paragraphs)
    print(row(f"per paragraph (median over {len(paragraphs)} of the sample)", per_paragraph))

    print("structure and language")
    print(row("analyse(sample, lang=False)", median_ms(lambda: analyse(text, lang=False), runs=51)))
    print(row("analyse(sample) with languages", median_ms(lambda: analyse(text), runs=21)))
    big = "\n\n".join([text] * 50)
    size = f"{len(big) // 1024} KB article"
    print(row(f"analyse, {size}, lang=False", median_ms(lambda: analyse(big, lang=False))))
    print(row(f"analyse, {size}, with languages", median_ms(lambda: analyse(big), runs=3)))

    print("whole imports (warm)")
    print(row("read_file(sample .txt)", median_ms(lambda: read_file(SAMPLE))))
    print(row("read_file(news page .html)", median_ms(lambda: read_file(PAGE))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
