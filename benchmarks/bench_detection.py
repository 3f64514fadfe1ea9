"""Detection speed (rules + model): MB/s on 1 MB of varied English news, a 20 kB article, the model's first load."""

from __future__ import annotations

import random
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from _util import median_ms  # noqa: E402

# News prose: sentences of news length (about 20 words), a quarter with a checkable figure.
FACTS = [
    "The defence ministry said on {day} that {n} soldiers had been moved to the eastern border"
    " region since the start of the month.",
    "Unemployment fell to {p}% in {month}, its lowest level in more than a decade, the national"
    " statistics office reported.",
    "Parliament adopted the law by {n} votes to {m} in {year}, after a debate that lasted well"
    " into the night.",
    "The company, which was founded in {year}, now employs {n} people in its factories across"
    " the country.",
    "Exports rose {p} percent last year to a record high, according to figures published by the"
    " customs authority.",
    "Under article {k} of the treaty, member states must consult each other before deploying"
    " troops abroad.",
    "{name} told lawmakers in {place} that the programme had cost ${p} billion so far and created"
    " about {n} jobs.",
    "Since {year}, the number of hospital beds in {place} has fallen by a third, to {n}.",
    "The governor signed a budget of ${p} billion, the largest in the state's history.",
    "Police in {place} arrested {m} people after the protest, {name} said on {day}.",
    "Turnout reached {p} percent, up from {m} percent at the previous election in {year}.",
    "Inflation in the euro area slowed to {p}% in {month}, Eurostat said.",
]
PROSE = [
    "Officials from both delegations gathered in the capital on a grey morning for a second round"
    " of talks that neither side expected to settle much.",
    "The mood among the delegates was described by several people present as tense but"
    " constructive, with long pauses between the speeches.",
    "Critics of the plan argue that it does little for the rural regions that were hit hardest by"
    " the crisis and the closures that followed it.",
    "What happens next depends largely on the smaller coalition partners, whose leaders have so"
    " far kept their views to themselves.",
    "Residents interviewed on the main shopping street on a busy afternoon were divided over"
    " whether the measures went far enough.",
    "We need a fairer system that works for everyone and not only for the people who already have"
    " the most, one protester told reporters.",
    "The debate in the chamber is expected to continue well into the evening as members queue up"
    " to speak on the amendments.",
    "Analysts say the outcome of the negotiations will shape the tone of the campaign in the"
    " months before the general election.",
    "The opposition leader called the proposal a distraction from the real problems facing"
    " families who struggle to pay their bills.",
    "Observers noted a change of tone in the government's statements over the past weeks, which"
    " have grown noticeably more cautious.",
    "{name} thanked the volunteers in {place} for their patience and their long hours.",
    "It was a day that nobody in {place} will forget, said {name}, looking out over the square.",
    "Ladies and gentlemen, thank you for coming out on such a cold night in {place}.",
    "The talks are set to resume next week, though no date has been agreed yet.",
    "Whether the coalition survives the summer is anyone's guess, {name} wrote in a column.",
]
NAMES = ("Maria Lopez", "the finance minister", "Senator Okafor", "a spokeswoman", "John Whitaker",
         "the mayor", "Dr. Ingrid Solberg", "Prime Minister Tanaka")
PLACES = ("Ohio", "Lagos", "the capital", "Manchester", "Queensland", "Ontario", "Nairobi",
          "the northern provinces", "Lyon", "Kerala")
MONTHS = (
    "January", "February", "March", "April", "June", "July",
    "August", "September", "October", "November", "December",
)  # fmt: skip
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")


def news(size: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    paragraphs, length = [], 0
    while length < size:
        sentences = []
        for _ in range(rng.randint(3, 6)):
            if rng.random() < 0.25:
                sentences.append(
                    rng.choice(FACTS).format(
                        n=f"{rng.randint(2, 99)},{rng.randint(100, 999)}",
                        m=rng.randint(10, 400),
                        p=f"{rng.randint(1, 30)}.{rng.randint(0, 9)}",
                        day=rng.choice(DAYS),
                        month=rng.choice(MONTHS),
                        year=rng.randint(1950, 2024),
                        k=rng.randint(1, 60),
                        name=rng.choice(NAMES),
                        place=rng.choice(PLACES),
                    )
                )
            else:
                sentences.append(rng.choice(PROSE).format(name=rng.choice(NAMES), place=rng.choice(PLACES)))
        paragraph = " ".join(sentences)
        paragraphs.append(paragraph)
        length += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:size]


def import_ms(code: str) -> float:
    """Median wall time of `code` in a fresh interpreter, less the interpreter's own start."""

    def run(snippet: str) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", snippet], cwd=ROOT, check=True)
        return (time.perf_counter() - t0) * 1000

    return statistics.median(run(code) - run("pass") for _ in range(7))


def split_articles(text: str, size: int) -> list[str]:
    """The text cut into articles of about `size` characters of whole paragraphs."""
    out, kept, count = [], [], 0
    for paragraph in text.split("\n\n"):
        kept.append(paragraph)
        count += len(paragraph) + 2
        if count >= size:
            out.append("\n\n".join(kept))
            kept, count = [], 0
    if kept:
        out.append("\n\n".join(kept))
    return out


def main() -> None:
    from app.detection import detect_claims
    from app.detection.signals import scan

    text = news(1_000_000)
    megabytes = len(text.encode()) / 1e6
    distinct = len(set(text.split(". ")))
    # The model loads on first use: measured in a fresh interpreter, less the rules-only call.
    load = import_ms(
        "import app.detection.model as m; m.model()"
    ) - import_ms("import app.detection.model")
    detect_claims("warm up: 3,000 troops left in 2002.")
    # Alternating with a bare reference (one scan of the text, the rules' cheapest pass), so the
    # machine's noise hits both alike.
    # As articles of 20 kB: one 1 MB text would stop at the detector's 2,000-suggestion cap
    # (about 60 % of the way through this news) and flatter the rate.
    articles = split_articles(text, 20_000)
    assert all(len(detect_claims(a)) < 2000 for a in articles[:3])

    def detect_all() -> None:
        for a in articles:
            detect_claims(a)

    def scan_all() -> None:
        for a in articles:
            scan(a)

    big, bare = [], []
    for _ in range(5):
        big.append(median_ms(detect_all, runs=1, warmup=0))
        bare.append(median_ms(scan_all, runs=1, warmup=0))
    big_ms, bare_ms = statistics.median(big), statistics.median(bare)
    article = articles[0]
    article_ms = median_ms(lambda: detect_claims(article), runs=21)
    imports = []
    for _ in range(7):
        out = subprocess.run(
            [sys.executable, "-X", "importtime", "-c", "import app.detection"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            check=True,
        ).stderr
        line = next(ln for ln in out.splitlines() if ln.rstrip().endswith("| app.detection"))
        imports.append(int(line.split("|")[1]) / 1000)
    rate = megabytes / (big_ms / 1000)
    print(f"Detection, rules + model (one core; {distinct} distinct sentences in the MB)")
    print(f"  1 MB of generated news, {len(articles)} articles: {big_ms:7.0f} ms  -> {rate:.1f} MB/s (target >= 3);"
          f" bare scan {bare_ms:.0f} ms ({big_ms / bare_ms:.1f}x)")
    print(f"  20 kB article:          {article_ms:7.1f} ms  (target < 100)")
    print(f"  import app.detection:   {statistics.median(imports):7.1f} ms  (target < 50)")
    print(f"  model's first load:     {load:7.1f} ms  (once per process)")


if __name__ == "__main__":
    main()
