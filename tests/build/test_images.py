"""Report photographs: published in a few widths without metadata, as figures and galleries, made once."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest
from PIL import Image

from ogpsite.build import images, render
from ogpsite.build.incremental import Builder
from ogpsite.build.pipeline import load
from ogpsite.core.errors import Severity

TODAY = date(2024, 1, 1)
REPORT = "2019/05/radionica-trebinje/"
GPS = 0x8825
ORIENTATION = 0x0112

BODY = """Radionica o otvorenim podacima u Trebinju.

![Učesnici radionice](grupa.jpg)

*Trebinje, 28.maj 2019.*

![Prva sesija](sesija.jpg "Prva sesija radionice")
![Druga sesija](tabla.png)
"""


def _photo(path: Path, size: tuple[int, int], colour: tuple[int, int, int], gps: bool = False, turned: bool = False) -> None:
    image = Image.new("RGB", size, colour)
    for x in range(0, size[0], 40):  # something to resize
        image.paste((255, 255, 255), (x, 0, x + 10, size[1]))
    exif = Image.Exif()
    exif[0x010F] = "Kamera d.o.o."  # Make
    if turned:
        exif[ORIENTATION] = 6  # the camera was held upright: turn 90° clockwise
    if gps:
        exif[GPS] = {1: "N", 2: (42.0, 42.0, 30.0), 3: "E", 4: (18.0, 20.0, 40.0)}
    image.save(path, "PNG" if path.suffix == ".png" else "JPEG", exif=exif.tobytes())


@pytest.fixture
def photo_site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    bundle = site / "content" / "reports" / "2019" / "radionica-trebinje"
    bundle.mkdir(parents=True)
    (site / "ogpsite.yml").write_text("title: Архива\nbase_url: https://example.org/\nsearch: false\n", encoding="utf-8")
    front = "---\ntitle: Radionica u Trebinju\ndate: 2019-05-28\ninstitutions: [CRTA]\ntags: [otvoreni podaci]\n---\n"
    (bundle / "index.md").write_text(front + BODY, encoding="utf-8")
    _photo(bundle / "grupa.jpg", (2000, 1200), (120, 60, 30), gps=True, turned=True)
    _photo(bundle / "sesija.jpg", (1000, 700), (30, 90, 160))
    _photo(bundle / "tabla.png", (400, 300), (20, 120, 40), gps=True)
    for photo in bundle.glob("*.*"):  # written a while ago: a stat the image store may trust
        os.utime(photo, ns=(photo.stat().st_atime_ns, photo.stat().st_mtime_ns - 10_000_000_000))
    return site


def test_photographs_are_published_in_widths_without_metadata_as_figure_and_gallery(photo_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    Builder(photo_site, output).build(TODAY)
    folder = output / "lat" / REPORT
    published = sorted(path.name for path in folder.iterdir() if path.name != "index.html")
    # 2000×1200 turned upright is 1200×2000: made 480 and 960 wide, not 1600 (never upscaled).
    assert published == [
        "grupa-480.jpg", "grupa-480.webp", "grupa-960.jpg", "grupa-960.webp", "grupa.jpg",
        "sesija-480.jpg", "sesija-480.webp", "sesija-960.jpg", "sesija-960.webp", "sesija.jpg",
        "tabla.png",
    ]
    for path in folder.iterdir():
        if path.suffix in (".jpg", ".png", ".webp"):
            with Image.open(path) as image:
                assert not dict(image.getexif()), f"{path.name} keeps EXIF"
                assert "exif" not in image.info and b"GPS" not in path.read_bytes()
    with Image.open(folder / "grupa.jpg") as upright:
        assert upright.size == (1200, 2000)  # orientation applied, then dropped
    with Image.open(folder / "grupa-480.webp") as small:
        assert small.size == (480, 800) and small.format == "WEBP"

    page = (folder / "index.html").read_text(encoding="utf-8")
    body = page[page.index('<div class="body">') : page.index("</article>")]
    figures = re.findall(r"<figure>.*?</figure>", body, re.S)
    assert len(figures) == 3
    assert "<figcaption>Trebinje, 28.maj 2019.</figcaption>" in figures[0]
    assert "<figcaption>Prva sesija radionice</figcaption>" in figures[1]
    gallery = body[body.index('<div class="gallery">') :]
    assert gallery.count("<figure>") == 2
    tags = re.findall(r"<img [^>]*>", body)
    assert len(tags) == 3
    first, second, third = tags
    assert 'loading="eager"' in first and 'loading="lazy"' in second and 'loading="lazy"' in third
    assert 'width="1200" height="2000"' in first and 'decoding="async"' in first
    assert f'srcset="/lat/{REPORT}grupa-480.jpg 480w, /lat/{REPORT}grupa-960.jpg 960w, /lat/{REPORT}grupa.jpg 1200w"' in first
    assert f'<source type="image/webp" srcset="/lat/{REPORT}grupa-480.webp 480w, /lat/{REPORT}grupa-960.webp 960w"' in body
    assert 'width="400" height="300"' in third and "srcset" in third  # a small image: its one size
    cyrillic = (output / "cyr" / REPORT / "index.html").read_text(encoding="utf-8")
    assert "<figcaption>Требиње, 28.мај 2019.</figcaption>" in cyrillic and 'alt="Учесници радионице"' in cyrillic
    # The first image is the link preview's, at its full 1200 px.
    assert f'<meta property="og:image" content="https://example.org/lat/{REPORT}grupa.jpg">' in page
    assert '<meta property="og:image:alt" content="Učesnici radionice">' in page
    assert '<meta name="twitter:card" content="summary_large_image">' in page


def test_a_warm_build_does_no_image_work(photo_site: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    output = tmp_path / "out"
    cold = Builder(photo_site, output)
    cold.build(TODAY)
    assert cold.images_made == 3
    before = {path: path.read_bytes() for path in (output / "lat" / REPORT).iterdir()}

    def no_image_work(*args: object) -> None:
        raise AssertionError("a warm build decoded an image")

    monkeypatch.setattr(images, "_process", no_image_work)
    warm = Builder(photo_site, output)  # a new process's Builder: only the cache folder is shared
    warm.build(TODAY)
    assert warm.images_made == 0
    assert warm.images_digested == 0  # the store's index vouches for the unchanged files: not even read
    assert {path: path.read_bytes() for path in (output / "lat" / REPORT).iterdir()} == before
    # A changed photograph is made again, alone; its old files leave the cache.
    monkeypatch.undo()
    store = photo_site / ".ogpsite-cache" / "images"
    folders = {path.name for path in store.iterdir() if path.is_dir()}
    _photo(photo_site / "content" / "reports" / "2019" / "radionica-trebinje" / "tabla.png", (500, 300), (0, 0, 0))
    again = Builder(photo_site, output)
    again.build(TODAY)
    assert again.images_made == 1 and again.images_digested == 1
    assert 'width="500" height="300"' in (output / "lat" / REPORT / "index.html").read_text(encoding="utf-8")
    now = {path.name for path in store.iterdir() if path.is_dir()}
    assert len(now) == 3 and len(now - folders) == 1


def test_a_fresh_clone_with_the_cache_restored_digests_the_images_but_makes_none(photo_site: Path, tmp_path: Path) -> None:
    Builder(photo_site, tmp_path / "out").build(TODAY)
    for photo in (photo_site / "content" / "reports" / "2019" / "radionica-trebinje").glob("*.*"):
        photo.write_bytes(photo.read_bytes())  # new stats, the same bytes (a checkout)
    clone = Builder(photo_site, tmp_path / "out")
    clone.build(TODAY)
    assert clone.images_digested == 3 and clone.images_made == 0


def test_originals_are_kept_byte_for_byte_only_when_the_site_says_so(photo_site: Path, tmp_path: Path) -> None:
    output = tmp_path / "out"
    Builder(photo_site, output, overrides={"images": {"keep_originals": True}}, cache=False).build(TODAY)
    source = photo_site / "content" / "reports" / "2019" / "radionica-trebinje" / "sesija.jpg"
    assert (output / "lat" / REPORT / "sesija.jpg").read_bytes() == source.read_bytes()
    with Image.open(output / "lat" / REPORT / "sesija-480.jpg") as small:
        assert not dict(small.getexif())


def test_check_warns_about_images_without_alt_text_and_over_the_sites_size(photo_site: Path) -> None:
    bundle = photo_site / "content" / "reports" / "2019" / "radionica-trebinje"
    (bundle / "index.md").write_text((bundle / "index.md").read_text(encoding="utf-8") + "\n![](tabla.png)\n", encoding="utf-8")
    (photo_site / "ogpsite.yml").write_text("title: Архива\nbase_url: https://example.org/\nsearch: false\nimages:\n  max_kb: 20\n", encoding="utf-8")
    loaded = load(photo_site, today=TODAY)
    warnings = [str(problem) for problem in loaded.problems if problem.severity is Severity.WARNING]
    source = "content/reports/2019/radionica-trebinje/index.md"
    assert f"{source}:16: warning: image `tabla.png` has no alt text: say what it shows, as in ![Učesnici radionice u Konjicu](tabla.png)" in warnings
    oversized = [warning for warning in warnings if "images.max_kb" in warning]
    sizes = {name: (bundle / name).stat().st_size for name in ("grupa.jpg", "sesija.jpg", "tabla.png")}
    assert len(oversized) == sum(size > 20 * 1024 for size in sizes.values()) >= 1
    lines = {"grupa.jpg": 9, "sesija.jpg": 13, "tabla.png": 14}  # where the body first shows each
    assert sorted(oversized) == sorted(f"{source}:{lines[name]}: warning: image `{name}` is {size // 1024} KB, over the site's 20 KB (images.max_kb): make it smaller before publishing"
                                       for name, size in sizes.items() if size > 20 * 1024)


def test_widest_gives_the_link_preview_a_file_of_at_least_1200_px_when_there_is_one() -> None:
    def variant(width: int, image_format: str) -> images.Variant:
        return images.Variant(f"a-{width}.{image_format.lower()}", width, width // 2, image_format, "")

    image = images.PublishedImage("k", "a.jpg", 3000, 1500, variant(3000, "JPEG"),
                                  (variant(480, "JPEG"), variant(480, "WEBP"), variant(1600, "JPEG"), variant(1600, "WEBP")))
    assert image.widest(1200).width == 1600 and image.widest(1200).format == "JPEG"
    assert image.widest(2000).width == 3000


@pytest.mark.parametrize("tag", [
    '<img alt="Učesnici &amp; gosti" src="/lat/r/grupa.jpg" width="10">',
    '<img src="/lat/r/grupa.jpg" width="10" alt="Učesnici &amp; gosti">',
    '<img\nsrc="/lat/r/grupa.jpg"\nalt="Učesnici &amp; gosti">',
])
def test_the_link_preview_alt_is_found_whatever_the_attribute_order(tag: str) -> None:
    body = f'<p><img src="/lat/r/other.jpg" alt="Druga"></p><figure>{tag}</figure>'
    assert render._alt_of(body, "grupa.jpg") == "Učesnici & gosti"
    assert render._alt_of(body, "missing.jpg") == ""
