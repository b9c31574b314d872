"""Throughput of ogpsite.translit on a deterministic 10 MB mixed text, one core.

The text mixes Cyrillic and Latin paragraphs built from the dev-set sentences, with new words
made of Serbian syllables (so the word cache sees a realistic stream of unseen words), URLs,
acronyms, Roman numerals, English names and Markdown. It is converted whole to Latin and to
Cyrillic; then the same text rendered to HTML by Python-Markdown goes through convert_html.
Usage: python bench/translit_speed.py [MEGABYTES]
"""

from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from pathlib import Path

from ogpsite.translit import Converter

DEV_SET = Path(__file__).resolve().parent.parent / "tests" / "data" / "translit_dev.tsv"
SYLLABLES = "ba ve gra do đe ži za ki lju ma nje o pa ri sto tu ći fe ho ce če dža še ra na li mo".split()
EXTRAS = [
    "Detalji na https://www.opstina-primjer.rs/vijesti/{n} i na www.portal{n}.ba.",
    "Pišite na info{n}@udruzenje.org do kraja XIV vijeka.",
    "Projekat podržava Open Society Foundations, a prati ga SKGO i CIK BiH.",
    "Polje `script: latin` i [prilog {n}](slike/prilog-{n}.jpg) u VII sjednici.",
    "## Izvještaj {n}: PODŽUPANICA I NJENI SARADNICI U LJUBINJU",
]


def sentence_pool() -> list[str]:
    rows = [line.split("\t") for line in DEV_SET.read_text(encoding="utf-8").splitlines()[1:]]
    return [source for _direction, source, _expected, _case in rows if "\\n" not in source]


def new_word(rng: random.Random) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4)))


def paragraph(rng: random.Random, pool: list[str], number: int) -> str:
    parts = []
    for _ in range(rng.randint(3, 6)):
        words = rng.choice(pool).split(" ")
        if rng.random() < 0.5:  # one unseen word in half the sentences
            words.insert(rng.randrange(len(words)), new_word(rng))
        parts.append(" ".join(words))
    if rng.random() < 0.4:
        parts.append(rng.choice(EXTRAS).format(n=number))
    return " ".join(parts)


def mixed_text(megabytes: float, seed: int = 2024) -> str:
    rng = random.Random(seed)
    pool = sentence_pool()
    target = int(megabytes * 1_000_000)
    paragraphs: list[str] = []
    size = 0
    while size < target:
        text = paragraph(rng, pool, len(paragraphs))
        paragraphs.append(text)
        size += len(text.encode("utf-8")) + 2
    return "\n\n".join(paragraphs)


def throughput(label: str, function: Callable[[str], str], text: str) -> float:
    megabytes = len(text.encode("utf-8")) / 1_000_000
    started = time.perf_counter()
    function(text)
    seconds = time.perf_counter() - started
    print(f"{label:34} {megabytes:6.2f} MB in {seconds:6.2f} s = {megabytes / seconds:6.2f} MB/s")
    return megabytes / seconds


def main(megabytes: float) -> None:
    import markdown

    text = mixed_text(megabytes)
    print(f"text: {len(text.encode('utf-8')) / 1e6:.2f} MB, {len(text) / 1e6:.2f} M characters")
    converter = Converter()
    throughput("Cyrillic -> Latin, convert", lambda t: converter.convert(t, "latin"), text)
    throughput("Latin -> Cyrillic, convert", lambda t: converter.convert(t, "cyrillic"), text)
    throughput("Latin -> Cyrillic, warm word cache", lambda t: converter.convert(t, "cyrillic"), text)
    html = markdown.markdown(text[: len(text) // 5], extensions=["tables", "fenced_code"])
    throughput("HTML -> Latin, convert_html", lambda h: converter.convert_html(h, "latin"), html)
    throughput("HTML -> Cyrillic, convert_html", lambda h: converter.convert_html(h, "cyrillic"), html)


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 10.0)
