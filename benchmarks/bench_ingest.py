"""Time the import layer: lingua's one-off build, language per paragraph, structure, whole imports."""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import median_ms, row  # noqa: E402

from app.ingest import analyse, read_file  # noqa: E402
from app.ingest import language  # noqa: E402

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
    per_paragraph = median_ms(lambda: [language.detect(p) for p in paragraphs], runs=21) / len(paragraphs)
    print(row(f"per paragraph (median over {len(paragraphs)} of the sample)", per_paragraph))

    print("structure and language")
    print(row("analyse(sample, lang=False)", median_ms(lambda: analyse(text, lang=False), runs=51)))
    print(row("analyse(sample) with languages", median_ms(lambda: analyse(text), runs=21)))
    big = "\n\n".join([text] * 50)
    print(row(f"analyse, {len(big) // 1024} KB article, lang=False", median_ms(lambda: analyse(big, lang=False))))
    print(row(f"analyse, {len(big) // 1024} KB article, with languages", median_ms(lambda: analyse(big), runs=3)))

    print("whole imports (warm)")
    print(row("read_file(sample .txt)", median_ms(lambda: read_file(SAMPLE))))
    print(row("read_file(news page .html)", median_ms(lambda: read_file(PAGE))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
