"""`claimdesk match` and `claimdesk claims ID --with-matches`, as a user types them (both engines)."""

from __future__ import annotations

import json
from pathlib import Path

from test_cli import assert_one_line_error, claimdesk

OLD = "Border report\n\nRussia has deployed 3,000 troops to the border with Ukraine in the last month.\n"
NEW = "Interview\n\nHe said that Russia deployed 3000 troops to the Ukrainian border last month.\n"


def _checked_archive(tmp_path: Path, db: str) -> tuple[str, str]:
    """An earlier article with its troop claim rated false, and a new one repeating it."""
    (tmp_path / "old.txt").write_text(OLD, encoding="utf-8")
    (tmp_path / "new.txt").write_text(NEW, encoding="utf-8")
    old = claimdesk("import", str(tmp_path / "old.txt"), db=db).stdout.strip()
    new = claimdesk("import", str(tmp_path / "new.txt"), db=db).stdout.strip()
    claims = json.loads(claimdesk("claims", old, "--json", db=db).stdout)
    troops = next(c for c in claims if "3,000 troops" in c["quote"])
    claimdesk("--as", "ana", "review", str(troops["id"]), "--verdict", "false", "--summary", "About 800.", db=db)
    return old, new


def test_match_prints_the_earlier_check_and_json_for_scripts(tmp_path: Path, db_url: str) -> None:
    old, _ = _checked_archive(tmp_path, db_url)
    out = claimdesk("match", "Russia sent three thousand troops to the Ukraine border", db=db_url).stdout
    (line,) = out.strip().splitlines()
    assert line.strip().startswith(f"{old}#") and "False" in line and "3,000 troops" in line
    (hit,) = json.loads(claimdesk("match", "3000 Russian troops, Ukrainian border", "--json", "-k", "2",
                                  db=db_url).stdout)
    assert hit["claim"].startswith(f"{old}#") and hit["verdict"] == "False" and hit["summary"] == "About 800."
    assert hit["match"] in ("same claim", "similar") and 0 < hit["score"] <= 1
    assert claimdesk("match", "Bananas are berries", db=db_url).stdout.strip() == "No earlier check matches."
    assert_one_line_error(claimdesk("match", "troops", "-k", "0", db=db_url, check=False), "at least one")


def test_claims_with_matches_lists_earlier_checks_from_other_articles(tmp_path: Path, db_url: str) -> None:
    old, new = _checked_archive(tmp_path, db_url)
    out = claimdesk("claims", new, "--with-matches", db=db_url).stdout
    earlier = [line for line in out.splitlines() if line.strip().startswith("earlier")]
    assert earlier and all(f" {old}#" in line for line in earlier)
    rows = json.loads(claimdesk("claims", new, "--with-matches", "--json", db=db_url).stdout)
    troop_row = next(r for r in rows if "3000 troops" in r["quote"])
    assert [m["article_id"] for m in troop_row["matches"]] == [int(old)]
    # The earlier article's own claims are not earlier checks of themselves.
    assert all(r["matches"] == [] for r in json.loads(
        claimdesk("claims", old, "--with-matches", "--json", db=db_url).stdout))
