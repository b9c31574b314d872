"""Time and peak memory of `ogpsite translit` on a large file (the command streams).

Writes MEGABYTES of the speed bench's mixed text (bench/translit_speed.py) to a temporary file,
then runs `python -m ogpsite translit --to SCRIPT FILE` on it for each direction, output to a
temporary file, and prints the wall time and the command's peak resident memory (ru_maxrss).
Usage: python bench/translit_stream.py [MEGABYTES]   (default 100)
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def run(source: Path, script: str, site: Path, output: Path) -> tuple[float, float]:
    """Seconds and peak MB of one run of the command."""
    command = [sys.executable, "-m", "ogpsite", "translit", "--to", script, "--site", str(site), str(source)]
    started = time.perf_counter()
    with output.open("w") as out:
        process = subprocess.Popen(command, stdout=out)
        _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"translit --to {script} failed")
    return seconds, usage.ru_maxrss / 1024  # kilobytes on Linux


def main(megabytes: float) -> None:
    with tempfile.TemporaryDirectory() as folder:
        source, output, site = Path(folder) / "input.md", Path(folder) / "output.md", Path(folder) / "site"
        # Made in a child: a child's peak memory counts its parent's from before exec.
        write = f"from translit_speed import mixed_text; open({str(source)!r}, 'w', encoding='utf-8').write(mixed_text({megabytes}))"
        subprocess.run([sys.executable, "-c", write], check=True, cwd=Path(__file__).parent)
        site.mkdir()
        size = source.stat().st_size / 1_000_000
        for script in ("latin", "cyrillic"):
            seconds, peak = run(source, script, site, output)
            print(f"translit --to {script:8} {size:7.1f} MB in {seconds:6.1f} s = {size / seconds:5.2f} MB/s, peak {peak:6.1f} MB")


if __name__ == "__main__":
    main(float(sys.argv[1]) if len(sys.argv) > 1 else 100.0)
