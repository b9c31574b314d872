#!/usr/bin/env python3
"""Time `ogpsite import` of N plain-text items and of a WordPress export of N posts.

    .venv/bin/python bench/import_speed.py --count 1000

The items are made here from a few templates (our own words) with varied places, dates and
institutions of tests/importer/fixtures/registry.yml; the export repeats the posts of
tests/importer/fixtures/wxr/export.xml under new ids and slugs. Each import runs into a
fresh site in a temporary folder, through the command (`--no-fetch`: no network).
"""

from __future__ import annotations

import argparse
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))
from ogpsite.translit import to_cyrillic  # noqa: E402  (the bench runs from a checkout)

FIXTURES = REPO / "tests/importer/fixtures"
PLACES = [("Konjic", "Konjicu"), ("Tuzla", "Tuzli"), ("Banja Luka", "Banjoj Luci"), ("Novi Sad", "Novom Sadu"), ("Kotor", "Kotoru"),
          ("Sanski Most", "Sanskom Mostu"), ("Kragujevac", "Kragujevcu"), ("Trebinje", "Trebinju"), ("Herceg Novi", "Herceg Novom"),
          ("Zenica", "Zenici"), ("Niš", "Nišu"), ("Bijeljina", "Bijeljini"), ("Podgorica", "Podgorici"), ("Čačak", "Čačku")]
MONTHS = ["januara", "februara", "marta", "aprila", "maja", "juna", "jula", "avgusta", "septembra", "oktobra", "novembra", "decembra"]
INSTITUTIONS = ["Agencije za statistiku BiH", "Centra za istraživačko novinarstvo", "Stalne konferencije gradova i opština",
                "Saveza opština i gradova Republike Srpske", "Zajednice opština Crne Gore", "Instituta alternativa"]
KINDS = [("Radionica", "održana"), ("Sastanak", "održan"), ("Obuka", "održana"), ("Tribina", "održana"), ("Konferencija", "održana")]
TOPICS = ["otvorenim podacima", "pristupu informacijama", "lokalnom budžetu", "učešću građana", "javnim nabavkama"]
FILLER = ("Učesnici su razgovarali o tome kako institucije objavljuju podatke i kako građani mogu pratiti rad lokalne samouprave. "
          "Dogovoreno je da se iskustva objave u zajedničkom vodiču do kraja godine.")


def text_item(number: int, rng: random.Random) -> str:
    kind, verb = rng.choice(KINDS)
    topic = rng.choice(TOPICS)
    _, locative = rng.choice(PLACES)
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2012, 2024)
    headline = f"{kind} o {topic} u {locative} ({number})"
    body = (f"{kind} o {topic} {verb} je {day}. {MONTHS[month - 1]} {year}. godine u {locative}. "
            f"Učestvovali su predstavnici {rng.choice(INSTITUTIONS)} i {rng.choice(INSTITUTIONS)}.\n\n{FILLER}\n\n{FILLER}\n")
    if rng.random() < 0.5:
        headline, body = to_cyrillic(headline), to_cyrillic(body)
    return f"{headline}\n\nposted in: Arhiva | 0\n\n{body}"


def export(count: int) -> str:
    """The fixture export's published posts, repeated to `count` under new ids, slugs and permalinks."""
    xml = (FIXTURES / "wxr/export.xml").read_text(encoding="utf-8")
    items = re.findall(r"\t<item>.*?</item>", xml, re.DOTALL)
    posts = [item for item in items if "<![CDATA[post]]>" in item and "<![CDATA[publish]]>" in item]
    copies = []
    for number in range(count):
        post = re.sub(r"<wp:post_id>\d+</wp:post_id>", f"<wp:post_id>{1000 + number}</wp:post_id>", posts[number % len(posts)])
        post = re.sub(r"<wp:post_name><!\[CDATA\[(.*?)\]\]>", lambda match: f"<wp:post_name><![CDATA[{match[1]}-{number}]]>", post)
        copies.append(re.sub(r"<link>(.*?)/</link>", lambda match: f"<link>{match[1]}-{number}/</link>", post, count=1))
    return xml[: xml.index("\t<item>")] + "\n".join(copies) + "\n</channel>\n</rss>\n"


def site(root: Path) -> Path:
    (root / "content").mkdir(parents=True)
    (root / "ogpsite.yml").write_text("title: Bench\nbase_url: https://example.org/\n", encoding="utf-8")
    shutil.copyfile(FIXTURES / "registry.yml", root / "content/institutions.yml")
    return root


def timed(args: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run([str(REPO / ".venv/bin/ogpsite"), *args], check=True, stdout=subprocess.DEVNULL)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    with tempfile.TemporaryDirectory() as work:
        root = Path(work)
        texts = root / "texts"
        texts.mkdir()
        for number in range(options.count):
            (texts / f"{number:05d}.txt").write_text(text_item(number, rng), encoding="utf-8")
        (root / "export.xml").write_text(export(options.count), encoding="utf-8")
        text_site, wxr_site = site(root / "text-site"), site(root / "wxr-site")
        text_time = timed(["import", "--from", "text", str(texts), "--report", str(root / "t.csv"), "--site", str(text_site)])
        again = timed(["import", "--from", "text", str(texts), "--site", str(text_site)])
        wxr_time = timed(["import", str(root / "export.xml"), "--uploads", str(FIXTURES / "wxr/uploads"), "--no-fetch", "--site", str(wxr_site)])
        written = sum(1 for _ in (text_site / "content/reports").rglob("*.md"))
        posts = sum(1 for _ in (wxr_site / "content/reports").rglob("*.md"))
    print(f"{options.count} plain-text items: {text_time:.1f} s ({written} reports); the same again (nothing to do): {again:.1f} s")
    print(f"WordPress export of {options.count} posts: {wxr_time:.1f} s ({posts} reports)")


if __name__ == "__main__":
    main()
