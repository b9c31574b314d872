"""Serbian Cyrillic <-> Latin transliteration.

Pure: no I/O at call time, imports nothing from the rest of ogpsite. Every text the site shows
goes through a `Converter`; the module-level functions use one with no site dictionary.

How a text is converted:

1. It is cut into *plain text* and *protected pieces* (`protected`, `dictionary`): Markdown
   code fences and spans, link targets and reference definitions, HTML tags (only `alt`/`title`
   values are converted), raw-text elements (`<code>`, `<pre>`, `<script>`, `<style>`),
   comments, entities, URLs, domain names, e-mail addresses, the site dictionary and the editor
   markup `{=…=}`.
2. Plain text is cleaned (`cleanup`: NFC, `Ð`, ligature digraphs, mixed-script words) and
   converted word by word (`letters`). Cyrillic -> Latin is mechanical apart from the case of
   digraphs. Latin -> Cyrillic decides per word and per line (`words`): digraph splits from a
   stem list, Roman numerals by context (`numerals`), foreign words (letters Serbian lacks,
   mixed-case acronyms, English runs judged by wordfreq) kept Latin (`foreign`).

Context never crosses a line break, so a text gives the same result whole or line by line
(fenced code and other multi-line blocks aside: `Converter.convert_lines` handles those).
"""

from __future__ import annotations

from .cleanup import mixed_script_words
from .converter import Converter, Explanation
from .foreign import english_lexicon, EnglishLexicon, use_english_lexicon
from .letters import detect_script, Script

__all__ = [
    "Converter",
    "EnglishLexicon",
    "Explanation",
    "Script",
    "convert_html",
    "detect_script",
    "english_lexicon",
    "mixed_script_words",
    "to_cyrillic",
    "to_cyrillic_html",
    "to_latin",
    "to_latin_html",
    "use_english_lexicon",
]

_default = Converter()
to_latin = _default.to_latin
to_cyrillic = _default.to_cyrillic
to_latin_html = _default.to_latin_html
to_cyrillic_html = _default.to_cyrillic_html
convert_html = _default.convert_html
