"""Detection speed (rules + model) on realistic text: 1 MB of the shared CheckThat! training sentences
(debates, speeches, interviews) as fifty 20 kB articles, a 20 kB article, the model's first load."""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import corpus  # noqa: E402
from _util import gui_env, median_ms, report  # noqa: E402


def import_ms(code: str) -> float:
    """Median wall time of `code` in a fresh interpreter, less the interpreter's own start."""

    def run(snippet: str) -> float:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, "-c", snippet], cwd=ROOT, check=True)
        return (time.perf_counter() - t0) * 1000

    return statistics.median(run(code) - run("pass") for _ in range(7))


def _import_time(env: dict[str, str]) -> float:
    """`import app.detection` in a fresh interpreter, as -X importtime counts it (ms)."""
    out = subprocess.run([sys.executable, "-X", "importtime", "-c", "import app.detection"], capture_output=True,
                         text=True, cwd=ROOT, check=True, env=env).stderr
    line = next(ln for ln in out.splitlines() if ln.rstrip().endswith("| app.detection"))
    return int(line.split("|")[1]) / 1000


def main() -> None:
    from app.detection import detect_claims
    from app.detection.signals import scan

    articles = corpus.articles(1_000_000, 20_000)
    text = "\n\n".join(articles)
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
    # and flatter the rate.
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
    # As an installed copy imports it: from its cached bytecode (gui_env, as start-up is measured;
    # an installed package ships or writes its .pyc). The old measure, in this process's own
    # environment, is kept as its own row: with PYTHONDONTWRITEBYTECODE set, as on the
    # development machines, it compiles app/domain and app/detection from source every time.
    cached = gui_env(tempfile.gettempdir())
    subprocess.run([sys.executable, "-c", "import app.detection"], env=cached, cwd=ROOT, check=True)
    imports = [_import_time(cached) for _ in range(7)]
    uncached = [_import_time(dict(os.environ)) for _ in range(7)]
    rate = megabytes / (big_ms / 1000)
    print(f"Detection, rules + model (one core; {distinct} distinct sentences in the MB)", file=sys.stderr)
    report(f"detection, 1 MB of real sentences as {len(articles)} articles ({rate:.1f} MB/s)", big, bare,
           reference_label="one bare scan of the same text")
    report("detection, one 20 kB article", article_ms, goal_ms=100)
    report("import app.detection", imports, goal_ms=50)
    compiled = "compiled from source" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "this environment"
    report(f"import app.detection, {compiled} (the old measure)", uncached)
    report("the model's first load (once per process)", load)
    print(f"  1 MB of real sentences, {len(articles)} articles: {big_ms:7.0f} ms  -> {rate:.1f} MB/s (target >= 3);"
          f" bare scan {bare_ms:.0f} ms ({big_ms / bare_ms:.1f}x)", file=sys.stderr)
    print(f"  20 kB article:          {article_ms:7.1f} ms  (target < 100)", file=sys.stderr)
    print(f"  import app.detection:   {statistics.median(imports):7.1f} ms  (target < 50)", file=sys.stderr)
    print(f"  model's first load:     {load:7.1f} ms  (once per process)", file=sys.stderr)


if __name__ == "__main__":
    main()
