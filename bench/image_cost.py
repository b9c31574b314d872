"""What report photographs cost a build, cold and warm (issue 21).

Makes two copies of one generated archive (`gen_archive.py`): one as it is, one whose first
reports became bundles with camera-sized photographs (JPEG, EXIF with a GPS position, as a
phone writes them), then times on each: a cold build (output and cache removed), a warm build
with nothing changed, and a warm build after one report's body was edited.

    .venv/bin/python bench/image_cost.py --reports 1000 --images 1000 --out /tmp/imgbench

Wall and CPU (user+sys of the build process and its workers) per build, to stdout as Markdown.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PER_REPORT = 4  # photographs in one report's bundle
SIZE = (2400, 1600)  # a phone camera's photo, scaled down a little


def photo(path: Path, rng: random.Random) -> None:
    """A photo-like JPEG: smooth colour fields with noise (compresses as photographs do)."""
    from PIL import Image, ImageFilter

    small = Image.effect_noise((SIZE[0] // 8, SIZE[1] // 8), rng.randint(40, 90)).convert("RGB")
    tint = Image.new("RGB", small.size, (rng.randrange(256), rng.randrange(256), rng.randrange(256)))
    image = Image.blend(small, tint, 0.5).resize(SIZE, Image.Resampling.BICUBIC).filter(ImageFilter.GaussianBlur(1))
    grain = Image.effect_noise(SIZE, 25).convert("RGB")
    image = Image.blend(image, grain, 0.15)
    exif = Image.Exif()
    exif[0x010F] = "Kamera"
    exif[0x8825] = {1: "N", 2: (44.0, 49.0, 12.0), 3: "E", 4: (20.0, 27.0, 40.0)}
    image.save(path, "JPEG", quality=88, exif=exif.tobytes())


def add_photographs(site: Path, count: int, seed: int) -> int:
    """Turn the first reports into bundles holding `count` photographs in all; returns the number written."""
    rng = random.Random(seed)
    reports = sorted((site / "content" / "reports").rglob("*.md"))
    made = 0
    for report in reports:
        if made >= count:
            break
        bundle = report.with_suffix("")
        bundle.mkdir()
        text = report.read_text(encoding="utf-8")
        lines = []
        for number in range(min(PER_REPORT, count - made)):
            name = f"foto-{number + 1}.jpg"
            photo(bundle / name, rng)
            lines.append(f"![Fotografija {number + 1} sa skupa]({name})")
            made += 1
        (bundle / "index.md").write_text(text.rstrip("\n") + "\n\n" + "\n".join(lines) + "\n", encoding="utf-8")
        report.unlink()
    return made


def timed(command: list[str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one command (its workers included)."""
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - start
    if os.waitstatus_to_exitcode(status) != 0:
        sys.exit(f"{' '.join(command)} failed in {cwd}")
    return wall, usage.ru_utime + usage.ru_stime


def edit_one(site: Path) -> None:
    report = sorted((site / "content" / "reports").rglob("*.md"))[-1]
    report.write_text(report.read_text(encoding="utf-8") + "\nJoš jedna rečenica.\n", encoding="utf-8")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reports", type=int, default=1000)
    parser.add_argument("--images", type=int, default=1000)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--ogpsite", default=str(Path(sys.executable).with_name("ogpsite")))
    args = parser.parse_args()
    plain, photos = args.out / "plain", args.out / "photos"
    shutil.rmtree(args.out, ignore_errors=True)
    subprocess.run([sys.executable, str(HERE / "gen_archive.py"), "--count", str(args.reports), "--out", str(plain)], check=True, stdout=subprocess.DEVNULL)
    shutil.copytree(plain, photos)
    written = add_photographs(photos, args.images, seed=1)
    build = [args.ogpsite, "build", "--no-search", "--quiet"]
    print(f"{args.reports} reports; {written} photographs of {SIZE[0]}×{SIZE[1]} in the second site\n")
    print("| site | cold wall | cold CPU | no change | one-report edit |\n|---|---|---|---|---|")
    for name, site in (("no images", plain), (f"{written} images", photos)):
        for leftover in ("output", ".ogpsite-cache"):
            shutil.rmtree(site / leftover, ignore_errors=True)
        cold = timed(build, site)
        unchanged = timed(build, site)
        edit_one(site)
        edited = timed(build, site)
        print(f"| {name} | {cold[0]:.1f} s | {cold[1]:.1f} s | {unchanged[0]:.2f} s | {edited[0]:.2f} s |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
