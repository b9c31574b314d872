"""Property tests (hypothesis) for ogpsite.translit."""

from __future__ import annotations

import html
from html.parser import HTMLParser

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from ogpsite import translit
from ogpsite.translit import Converter, cleanup, foreign, letters, numerals, protected, words
from ogpsite.translit.converter import _cyrillic_text_to_latin, _texts_to_latin

SERBIAN_CYRILLIC = "абвгдђежзијклљмнњопрстћуфхцчџш"
converter = Converter()


def is_exception_or_foreign(cyrillic_word: str) -> bool:
    """Words whose round trip is not the identity by design: digraph-split stems (нј, лј, дж and
    the stems that split a Latin nj/dž), Roman numerals, Х runs read as X, English-leaning words."""
    latin = translit.to_latin(cyrillic_word)
    lower = latin.lower()
    if any(pair in cyrillic_word.lower() for pair in ("нј", "лј", "дж")):  # read back as њ, љ, џ
        return True
    if any(stem in lower for stem in converter.split_stems) or lower.startswith(converter.split_names):
        return True
    if numerals.ROMAN_NUMERAL.fullmatch(latin) or set(cyrillic_word) == {"Х"}:
        return True
    return foreign.lexicon_class(latin) != words.SERBIAN


cyrillic_words = st.builds(
    lambda word, case: {"lower": word, "title": word.title(), "upper": word.upper()}[case],
    st.text(alphabet=SERBIAN_CYRILLIC, min_size=1, max_size=12),
    st.sampled_from(["lower", "title", "upper"]),
)
separators = st.sampled_from([" ", ", ", ". ", " – ", ": ", " (", ") ", "-", " „", "“ ", " 12 ", "\n"])


@settings(max_examples=400, deadline=None)
@given(cyrillic_words)
def test_serbian_word_round_trips(word: str) -> None:
    assume(not is_exception_or_foreign(word))
    assert translit.to_cyrillic(translit.to_latin(word)) == word


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(cyrillic_words, separators), min_size=1, max_size=12))
def test_serbian_text_round_trips(words_and_separators: list[tuple[str, str]]) -> None:
    assume(not any(is_exception_or_foreign(word) for word, _ in words_and_separators))
    text = "".join(word + separator for word, separator in words_and_separators)
    assert translit.to_cyrillic(translit.to_latin(text)) == text


montenegrin_words = st.builds(
    lambda letters, case: {"lower": "".join(letters), "upper": "".join(letters).upper()}[case],
    st.lists(st.sampled_from([*SERBIAN_CYRILLIC, "с\u0301", "з\u0301"]), min_size=1, max_size=12),
    st.sampled_from(["lower", "upper"]),
)


@settings(max_examples=300, deadline=None)
@given(montenegrin_words)
def test_montenegrin_word_round_trips(word: str) -> None:
    """с́ з́ (and capitals) become ś ź and come back; ś ź are Serbian letters, never foreign."""
    assume(not is_exception_or_foreign(word))
    latin = translit.to_latin(word)
    assert "\u0301" not in latin  # composed: ś ź
    assert translit.to_cyrillic(latin) == word


plain_text = st.text(
    alphabet=st.sampled_from(list(SERBIAN_CYRILLIC + SERBIAN_CYRILLIC.upper() + "abcčdđjlnzžqwxyIVX .,:;-–„“\"'()!?0123456789\n")),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(plain_text, st.sampled_from(["latin", "cyrillic"]))
def test_whole_text_and_line_by_line_agree(text: str, script: translit.Script) -> None:
    by_line = "".join(converter.convert(line, script) for line in text.splitlines(keepends=True))
    assert by_line == converter.convert(text, script)


@settings(max_examples=300, deadline=None)
@given(plain_text)
def test_to_latin_is_idempotent_and_leaves_no_serbian_cyrillic(text: str) -> None:
    latin = translit.to_latin(text)
    assert translit.to_latin(latin) == latin
    assert not set(latin) & set(SERBIAN_CYRILLIC + SERBIAN_CYRILLIC.upper())


mixed_text = st.text(
    alphabet=st.sampled_from(list("abšŠxZдђЉЖαΩ\u0301\u0308'’_1 .-\n")), max_size=40
)


@settings(max_examples=500, deadline=None)
@given(mixed_text)
def test_mixed_script_prefilter_never_misses_a_mixed_word(text: str) -> None:
    words = letters.WORD_RE.findall(text)
    if any(letters.HAS_LATIN.search(word) and letters.HAS_CYRILLIC.search(word) for word in words):
        assert cleanup._may_mix_scripts(text)


# Short runs that trigger each rule of to_latin: digraph capitals, Х in numerals, look-alike
# letters in mixed words (with a combining mark), ligatures, Ð, NFD input, a NUL of its own.
piece_text = st.lists(
    st.sampled_from(["Љ", "ЊЕ", "џ", "ХХ", "XIV", "aс\u0301", "с\u0301", "рC", "оP", "ǈ", "Ð", "đ", "c\u030C",
                     "и\u0306", "\x00", " ", "-", ".", "\n", "ab"]),
    max_size=6,
).map("".join)


@settings(max_examples=500, deadline=None)
@given(st.lists(piece_text, min_size=1, max_size=6))
def test_pieces_converted_together_as_each_alone(texts: list[str]) -> None:
    assert _texts_to_latin(texts) == [_cyrillic_text_to_latin(text) for text in texts]


# -- HTML ----------------------------------------------------------------------------------------

attribute_text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=20
)
ATTRIBUTE_NAMES = ["href", "class", "id", "src", "data-x", "alt", "title", "lang", "datetime"]
TAG_NAMES = ["p", "a", "em", "span", "img", "li", "h2", "abbr", "time", "div"]


@st.composite
def html_documents(draw: st.DrawFn) -> str:
    parts: list[str] = []
    for _ in range(draw(st.integers(1, 8))):
        choice = draw(st.sampled_from(["text", "tag", "code", "comment", "entity"]))
        if choice == "text":
            parts.append(html.escape(draw(attribute_text), quote=False))
        elif choice == "tag":
            name = draw(st.sampled_from(TAG_NAMES))
            names = draw(st.lists(st.sampled_from(ATTRIBUTE_NAMES), unique=True, max_size=4))
            attributes = "".join(f' {attribute}="{html.escape(draw(attribute_text))}"' for attribute in names)
            parts.append(f"<{name}{attributes}>{html.escape(draw(attribute_text), quote=False)}</{name}>")
        elif choice == "code":
            parts.append(f"<code>{html.escape(draw(attribute_text), quote=False)}</code>")
        elif choice == "comment":
            parts.append(f"<!-- {draw(attribute_text).replace('-', '')} -->")
        else:
            parts.append(draw(st.sampled_from(["&nbsp;", "&amp;", "&#269;", "&bdquo;"])))
    return "".join(parts)


class _Structure(HTMLParser):
    """Tags with the attributes the converter must keep, comments, and the text of <code>."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=False)
        self.items: list[object] = []
        self.in_code = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.items.append(("start", tag, [(name, value) for name, value in attrs if name not in ("alt", "title")]))
        self.in_code += tag == "code"

    def handle_endtag(self, tag: str) -> None:
        self.items.append(("end", tag))
        self.in_code -= tag == "code"

    def handle_data(self, data: str) -> None:
        if self.in_code:
            self.items.append(("code", data))

    def handle_comment(self, data: str) -> None:
        self.items.append(("comment", data))

    def handle_entityref(self, name: str) -> None:
        self.items.append(("entity", name))

    def handle_charref(self, name: str) -> None:
        self.items.append(("charref", name))


def structure(document: str) -> list[object]:
    parser = _Structure()
    parser.feed(document)
    parser.close()
    return parser.items


@settings(max_examples=300, deadline=None)
@given(html_documents(), st.sampled_from(["latin", "cyrillic"]))
def test_html_keeps_tags_kept_attributes_comments_entities_and_code(document: str, script: translit.Script) -> None:
    converted = converter.convert_html(document, script)
    assert structure(converted) == structure(document)


@settings(max_examples=200, deadline=None)
@given(html_documents())
def test_html_tags_are_byte_identical_apart_from_alt_and_title(document: str) -> None:
    strip = protected.ALT_TITLE_ATTRIBUTE.sub
    converted = converter.convert_html(document, "cyrillic")
    assert protected._TAG_NAME.findall(converted) == protected._TAG_NAME.findall(document)
    original_tags = [strip("", tag) for tag in _tags(document)]
    assert [strip("", tag) for tag in _tags(converted)] == original_tags


def _tags(document: str) -> list[str]:
    import re

    return re.findall(r"<[A-Za-z/][^<>]*>", document)
