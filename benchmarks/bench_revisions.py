"""Carrying claims to a new revision: the diff of two long texts, then placing 2,000 claims."""

from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import report, times_ms  # noqa: E402

from app.revisions.anchor import Carrier, Selector  # noqa: E402
from app.revisions.scenarios import BUDGET, INTERVIEW  # noqa: E402


def main() -> None:
    # 300 paragraphs of two texts, so most quotes have look-alikes: the hard case for verification.
    old = "\n\n".join(f"Paragraph {i}: " + (BUDGET if i % 2 else INTERVIEW).replace("\n\n", f" {i}. ")
                      for i in range(300))
    new = old.replace("Paragraph 150:", "Paragraph 150 (corrected):").replace("412 million", "413 million")
    spans = [(m.start(), m.end()) for m in re.finditer(r"\d[\d,.]*%? [a-z]+", old)][:2000]
    selectors = [Selector.of(old, s, e) for s, e in spans]
    carrier = Carrier(old, new)
    report(f"revisions: diff of two {len(old) // 1000} kB texts (diff-match-patch)", times_ms(lambda: Carrier(old, new), 3))
    report(f"revisions: place {len(selectors)} claims (map, search, verify)",
           times_ms(lambda: [carrier.place(s) for s in selectors], 3))
    report("revisions: the 403 scenarios, end to end", times_ms(_scenarios, 3))


def _scenarios() -> None:
    from app.revisions.scenarios import run

    run()


if __name__ == "__main__":
    main()
