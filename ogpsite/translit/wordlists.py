"""The word lists shipped in ogpsite/translit/data/, one entry a line.

Each file starts with a header of `#` lines saying what belongs in it; `#` also starts a
comment after an entry, and blank lines are skipped. A site adds entries of its own in
`ogpsite.yml` (`translit.split_stems`, `translit.split_names`); they are read the same way.
"""

from __future__ import annotations

from importlib import resources


def read_word_list(name: str) -> tuple[str, ...]:
    """The entries of data/`name`, lowercase, comments and blank lines left out."""
    text = resources.files(__package__).joinpath("data", name).read_text("utf-8")
    stripped = (line.split("#", 1)[0].strip().lower() for line in text.splitlines())
    return tuple(line for line in stripped if line)
