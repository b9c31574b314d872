"""The site dictionary (fixed renderings of phrases) and the editor markup `{=…=}`."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from .letters import Script


# Editor markup: {=pinned text=} is never converted; {=Ћирилица|Latinica=} gives both renderings
# (`\|` is accepted too, for Markdown table cells).
MARKUP_PATTERN = r"\{(?P<markup>=(?P<markup_body>[^\n]+?)=\})"
_MARKUP_SPLIT = re.compile(r"\\?\|")


def with_upper_variants(phrases: Mapping[str, str]) -> dict[str, str]:
    variants = dict(phrases)
    for source, target in phrases.items():
        variants.setdefault(source.upper(), target.upper())
    return variants


def phrase_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted(phrases, key=len, reverse=True)
    if not ordered:
        return None
    return re.compile(r"(?P<phrase>(?:" + "|".join(map(re.escape, ordered)) + r")(?!\w))")


def markup_rendering(body: str, script: Script) -> str:
    renderings = _MARKUP_SPLIT.split(body, maxsplit=1)
    if len(renderings) == 1:
        return body
    cyrillic, latin = renderings
    return cyrillic if script == "cyrillic" else latin


