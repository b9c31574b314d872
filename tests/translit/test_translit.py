"""Unit tests, one or more per rule of ogpsite.translit."""

from __future__ import annotations

import random
import re
import unicodedata
from pathlib import Path

import pytest

from ogpsite import translit
from ogpsite.translit import Converter, detect_script, foreign, letters, mixed_script_words, to_cyrillic, to_cyrillic_html, to_latin

# -- digraphs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cyrillic", "latin"),
    [
        ("Љубљана", "Ljubljana"),
        ("ЉУБЉАНА", "LJUBLJANA"),
        ("ЊЕГОШ", "NJEGOŠ"),
        ("РАЖАЊ", "RAŽANJ"),  # word-final in an all-caps word
        ("ЦИЉ:", "CILJ:"),
        ("Љ. Петровић", "Lj. Petrović"),  # an initial is title case
        ("Џ. Хасановић", "Dž. Hasanović"),
        ("БУЏЕТ и Џеп", "BUDŽET i Džep"),
    ],
)
def test_digraph_case_both_ways(cyrillic: str, latin: str) -> None:
    assert to_latin(cyrillic) == latin
    assert to_cyrillic(latin) == cyrillic


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("injekcija", "инјекција"),
        ("INJEKCIJE", "ИНЈЕКЦИЈЕ"),
        ("konjunkturi", "конјунктури"),
        ("konjugacija", "конјугација"),
        ("Tanjugov", "Танјугов"),
        ("podžupan", "поджупан"),
        ("PODŽUPANICA", "ПОДЖУПАНИЦА"),
        ("nadživjeti", "надживјети"),
        ("predžetveni", "преджетвени"),
        ("odžaliti", "оджалити"),
    ],
)
def test_digraph_splits_from_the_stem_list(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic
    assert to_latin(cyrillic) == latin


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("Odžak", "Оџак"),
        ("Odžaci", "Оџаци"),
        ("vanjski", "вањски"),
        ("Vanjština", "Вањштина"),
        ("Konjuh", "Коњух"),
        ("udžbenik", "уџбеник"),
        ("Tanja", "Тања"),
        ("nadžak", "наџак"),
    ],
)
def test_no_over_split(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_site_split_stems_extend_the_builtin_list() -> None:
    assert to_cyrillic("Sinjugov") == "Сињугов"
    assert Converter(split_stems=["sinjug"]).to_cyrillic("Sinjugov") == "Синјугов"
    assert Converter(split_stems=["синјуг"]).to_cyrillic("SINJUGOV") == "СИНЈУГОВ"


def test_dz_is_never_a_digraph_and_dj_is_d_j() -> None:
    assert to_cyrillic("Odziv nadzemni") == "Одзив надземни"
    assert to_cyrillic("Djevojke podjednako, Đurđevdan") == "Дјевојке подједнако, Ђурђевдан"


# -- protected text ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "https://data.gov.rs/sr/datasets/",
        "http://www.podgorica.me/prijava?jezik=lat&tip=komunalno",
        "https://sr.wikipedia.org/wiki/Општина_Љубиње",
        "http://управа.срб/",
        "www.banjaluka.rs.ba",
        "data.gov.ba",
        "konkurs@nvo-prozor.org",
        "javna.rasprava@opstinaodzaci.rs",
        "https://www.gov.me/dokumenta/Odluka-o-budzetu#clan-12",
        "https://en.wikipedia.org/wiki/Foo_(bar)",
    ],
)
def test_urls_and_emails_never_change(address: str) -> None:
    for sentence in (f"Vidi {address}, zatim ({address}) i {address}.", f"Види {address}, затим ({address}) и {address}."):
        assert address in to_cyrillic(sentence)
        assert address in to_latin(sentence)
    assert to_cyrillic(f"Vidi {address}.").startswith("Види ")


def test_trailing_punctuation_is_not_part_of_a_url() -> None:
    assert to_cyrillic("Pogledaj https://x.org/a. Dalje") == "Погледај https://x.org/a. Даље"
    assert to_cyrillic("(https://x.org/a) i d.o.o. i 2.000 KM") == "(https://x.org/a) и д.о.о. и 2.000 КМ"


def test_addresses_before_tags_are_kept() -> None:
    html = "<p>Vidi http://x.org/a@</p><p>Sajt: www.primer.rs.</p><p>Piši na info@x.org</p>"
    assert to_cyrillic_html(html) == "<p>Види http://x.org/a@</p><p>Сајт: www.primer.rs.</p><p>Пиши на info@x.org</p>"


def test_markdown_targets_code_and_autolinks_are_kept() -> None:
    assert to_cyrillic("[mapa česama](https://example.org/mapa-cesama)") == "[мапа чесама](https://example.org/mapa-cesama)"
    assert to_cyrillic("![Sjednica](slike/sjednica.jpg)") == "![Сједница](slike/sjednica.jpg)"
    assert to_cyrillic("Polje `script: cyrillic` i ``a ` b``") == "Поље `script: cyrillic` и ``a ` b``"
    assert to_cyrillic("Vidi [izvještaj][zavrsni].\n\n[zavrsni]: slike/izvjestaj.pdf") == (
        "Види [извјештај][zavrsni].\n\n[zavrsni]: slike/izvjestaj.pdf"
    )
    assert to_latin("Портал: <https://data.gov.me/>") == "Portal: <https://data.gov.me/>"


def test_fenced_code_is_kept_whole_and_line_by_line() -> None:
    source = "Primjer:\n\n```yaml\ntitle: Javna rasprava\n```\nKraj\n~~~\nkod\n"
    expected = "Примјер:\n\n```yaml\ntitle: Javna rasprava\n```\nКрај\n~~~\nkod\n"
    converter = Converter()
    assert converter.convert(source, "cyrillic") == expected
    assert "".join(converter.convert_lines(source.splitlines(keepends=True), "cyrillic")) == expected


def test_html_comments_entities_and_raw_elements_are_kept() -> None:
    assert to_cyrillic("<!-- Napomena -->Tekst&nbsp;KM &bdquo;ovako&ldquo; &#269;") == (
        "<!-- Napomena -->Текст&nbsp;КМ &bdquo;овако&ldquo; &#269;"
    )
    assert to_latin("<code>ogpsite new</code> и <pre>Љ\nЉ</pre> <script>var љ;</script>") == (
        "<code>ogpsite new</code> i <pre>Љ\nЉ</pre> <script>var љ;</script>"
    )


def test_html_only_alt_and_title_are_converted() -> None:
    html = '<img src="ljubinje.png" alt="Grb opštine" title=\'Opština\' data-x="Ljubinje"><a href="/lat/ljubinje/">Ljubinje</a>'
    assert translit.to_cyrillic_html(html) == (
        '<img src="ljubinje.png" alt="Грб општине" title=\'Општина\' data-x="Ljubinje"><a href="/lat/ljubinje/">Љубиње</a>'
    )
    assert translit.to_latin_html('<abbr title="Организације цивилног друштва">ОЦД</abbr>') == (
        '<abbr title="Organizacije civilnog društva">OCD</abbr>'
    )


def test_convert_html_keeps_markdown_looking_text_converted() -> None:
    """Rendered HTML has no Markdown left: backticks and brackets there are plain text."""
    assert Converter().convert_html("<p>Riječ `kod` i [1]</p>", "cyrillic") == "<p>Ријеч `код` и [1]</p>"


# -- Roman numerals ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [
        ("XIV vijek", "XIV вијек"),
        ("krajem XIX veka", "крајем XIX века"),
        ("na VII sjednici", "на VII сједници"),
        ("za II kvartal", "за II квартал"),
        ("kralja Petra I u centru", "краља Петра I у центру"),
        ("panela: I – transparentnost", "панела: I – транспарентност"),
        ("VIII KONFERENCIJA", "VIII КОНФЕРЕНЦИЈА"),
        ("na VI sjednici", "на VI сједници"),
        ("MI I VI ZAJEDNO", "МИ И ВИ ЗАЈЕДНО"),
        ("VI ODLUČUJETE", "ВИ ОДЛУЧУЈЕТЕ"),
        ("DA LI JE", "ДА ЛИ ЈЕ"),
        ("DIM IZ DEPONIJE", "ДИМ ИЗ ДЕПОНИЈЕ"),
        ("I mladi i stari", "И млади и стари"),
        ("vitamin C i vitamin D", "витамин Ц и витамин Д"),
        ("potpisao V. Petrović", "потписао В. Петровић"),
        ("iz DI vijeka", "из DI вијека"),
    ],
)
def test_roman_numerals_by_context(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic


def test_cyrillic_x_typed_in_a_numeral() -> None:
    assert to_latin("Фреске из ХVI века") == "Freske iz XVI veka"
    assert to_cyrillic("Звоник из ХIХ вијека") == "Звоник из XIX вијека"
    assert to_latin("ХХ вијек, Х. Хасановић") == "XX vijek, H. Hasanović"


# -- foreign words -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "sentence",
    [
        "Grupa na aplikaciji WhatsApp i QR kod u formatu XML.",
        "Organizacija Freedom House i licenca Creative Commons.",
        "Program EaSI, organizacija ReSPA i mySociety, iPhone i München.",
        "Panel „Open by default“ i dugme „Share“.",
        "Read the full report in English.",
        "Moto je bio „See you next year in Podgorica“.",
    ],
)
def test_foreign_material_stays_latin(sentence: str) -> None:
    converted = to_cyrillic(sentence)
    for word in ("WhatsApp", "XML", "Freedom House", "Creative Commons", "EaSI", "ReSPA", "mySociety",
                 "iPhone", "München", "Open by default", "Share", "Read the full report in English",
                 "See you next year in Podgorica"):
        if word in sentence:
            assert word in converted
    assert converted != sentence or sentence.startswith("Read")


def test_vitamin_c_and_english_words_alone_are_serbian() -> None:
    """Single English-looking words outside quotations are read as Serbian (most, more, start)."""
    assert to_cyrillic("Most na Drini i more, start trke") == "Мост на Дрини и море, старт трке"


def test_the_english_lexicon_gives_wordfreqs_own_frequencies() -> None:
    """Every entry as `zipf_frequency` gives it, and every word left out is below Zipf 3 in
    English: the lexicon answers each lookup as wordfreq would."""
    wordfreq = pytest.importorskip("wordfreq")  # a declared dependency: present in every install
    lexicon = translit.english_lexicon()
    assert len(lexicon) > 20_000
    for word, frequencies in lexicon.items():
        assert frequencies == (wordfreq.zipf_frequency(word, "en"), wordfreq.zipf_frequency(word, "sh")), word
    left_out = [word for word in wordfreq.get_frequency_dict("sh") if word not in lexicon and foreign._is_lexicon_key(word)]
    assert len(left_out) > 10_000
    assert [word for word in left_out if wordfreq.zipf_frequency(word, "en") >= 3.0] == []


def test_the_shipped_english_lexicon_is_the_installed_wordfreqs() -> None:
    """The table the package ships was made from the installed wordfreq release (else
    `make lexicon` writes it anew), and holds what wordfreq's own tables give."""
    release = foreign.wordfreq_release()
    assert release is not None
    shipped = foreign._shipped_lexicon()
    assert shipped is not None and shipped[0] == release, "run `make lexicon`: the shipped English lexicon is another wordfreq release's"
    assert shipped[1] == foreign.lexicon_from_wordfreq()
    assert translit.english_lexicon() == shipped[1]


def test_another_wordfreq_release_makes_the_lexicon_from_wordfreq(monkeypatch: pytest.MonkeyPatch) -> None:
    made = {"word": (3.5, 1.0)}
    monkeypatch.setattr(foreign, "wordfreq_release", lambda: "0.0.1")
    monkeypatch.setattr(foreign, "lexicon_from_wordfreq", lambda: made)
    assert translit.english_lexicon() is made
    monkeypatch.setattr(foreign, "wordfreq_release", lambda: None)  # no wordfreq: no English words
    assert translit.english_lexicon() == {}


@pytest.mark.parametrize("damage", [b"not gzip", b"\x1f\x8b\x08\x00", b""])
def test_a_damaged_shipped_lexicon_is_made_from_wordfreq(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes) -> None:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / foreign.LEXICON_FILE).write_bytes(damage)
    monkeypatch.setattr(foreign.resources, "files", lambda package: tmp_path)
    made = {"word": (3.5, 1.0)}
    monkeypatch.setattr(foreign, "lexicon_from_wordfreq", lambda: made)
    assert translit.english_lexicon() is made


def test_an_installed_english_lexicon_is_loaded_once_and_only_for_latin() -> None:
    loads: list[str] = []

    def no_english() -> dict[str, tuple[float, float]]:
        loads.append("loaded")
        return {}

    translit.use_english_lexicon(no_english)
    try:
        assert Converter().to_latin("Прочитајте извештај.") == "Pročitajte izveštaj."
        assert loads == []
        assert Converter().to_cyrillic("Read the full report in English.") == "Реад тхе фулл репорт ин Енглисх."
        assert Converter().to_cyrillic("Share the plan.") == "Схаре тхе план."
        assert loads == ["loaded"]
    finally:
        translit.use_english_lexicon(translit.english_lexicon)
    assert Converter().to_cyrillic("Read the full report in English.") == "Read the full report in English."


@pytest.mark.parametrize(
    ("latin", "cyrillic"),
    [("SKGO", "СКГО"), ("CIK BiH", "ЦИК БиХ"), ("PDV-a", "ПДВ-а"), ("FBiH", "ФБиХ"), ("eUprava", "еУправа"), ("KiM", "КиМ")],
)
def test_domestic_acronyms_are_converted_with_mixed_case(latin: str, cyrillic: str) -> None:
    assert to_cyrillic(latin) == cyrillic
    assert to_latin(cyrillic) == latin


def test_foreign_mixed_case_acronyms_stay_latin() -> None:
    assert to_cyrillic("ReLOaD i eTwinning") == "ReLOaD и eTwinning"


# -- Unicode clean-up ----------------------------------------------------------------------------


def test_nfd_input_gives_nfc_output() -> None:
    decomposed = unicodedata.normalize("NFD", "Udžbenici za đake iz Čačka")
    assert to_cyrillic(decomposed) == "Уџбеници за ђаке из Чачка"
    assert to_latin(unicodedata.normalize("NFD", "Ђурђевдан Чачак")) == "Đurđevdan Čačak"
    assert unicodedata.is_normalized("NFC", to_latin("Црна Гора и с\u0301ела"))


def test_eth_lookalike_is_dj() -> None:
    assert to_cyrillic("Ðurđica") == "Ђурђица"
    assert to_latin("Ðurđica i Ђурђица") == "Đurđica i Đurđica"


def test_ligature_digraphs() -> None:
    assert to_cyrillic("ǉubav ǈubav Ǉ ǌegoš ǋ Ǌ ǆep ǅ Ǆ") == "љубав Љубав Љ његош Њ Њ џеп Џ Џ"
    assert to_latin("ǉubav ǌegoš ǆep Ǉ") == "ljubav njegoš džep LJ"


@pytest.mark.parametrize(
    ("text", "latin", "cyrillic"),
    [
        ("Cрбије", "Srbije", "Србије"),  # Latin C in a Cyrillic word
        ("yправе", "uprave", "управе"),  # Latin y
        ("Рodgorica", "Podgorica", "Подгорица"),  # Cyrillic Р in a Latin word
        ("ОGP", "OGP", "ОГП"),  # Cyrillic О
        ("Gradskа", "Gradska", "Градска"),  # Cyrillic а at the end
    ],
)
def test_homoglyph_words_are_read_as_the_word_they_spell(text: str, latin: str, cyrillic: str) -> None:
    assert to_latin(text) == latin
    assert to_cyrillic(text) == cyrillic


def test_mixed_script_words_reports_offsets_outside_code_and_urls() -> None:
    text = "Текст ОGP и Cрбије,\n`yпр` https://x.org/ОGP и Рodgorica"
    assert mixed_script_words(text) == [(6, "ОGP"), (12, "Cрбије"), (len(text) - 9, "Рodgorica")]
    assert mixed_script_words("Čisto latinički i чисто ћирилички") == []


@pytest.mark.parametrize(
    "word",
    ["Sαб", "бαS", "d'Артањан", "д’Artanjan", "ŝ́ш", "ш́s", "ŝ́̂ш", "ИxИ"],
)
def test_mixed_script_words_finds_scripts_apart_inside_a_word(word: str) -> None:
    """Words whose Latin and Cyrillic letters are not next to each other (a Greek letter, an
    apostrophe or combining marks between them) still count as mixed."""
    assert mixed_script_words(f"Reč {word}, i текст") == [(4, word)]


@pytest.mark.parametrize(
    ("html", "expected"),
    [
        ("report <b>ово</b> said <b>ово ово</b> it <b>ово</b>", "репорт <b>ово</b> саид <b>ово ово</b> ит <b>ово</b>"),  # 3 of 7 words English
        ("report <b>ово</b> said <b>ово</b> it", "report <b>ово</b> said <b>ово</b> it"),  # 3 of 5
    ],
)
def test_cyrillic_words_count_in_the_english_line_decision(html: str, expected: str) -> None:
    """Words between tags, already Cyrillic, are neighbours of the Latin words of their line."""
    assert to_cyrillic_html(html) == expected


def _characters_that_stay_latin() -> list[str]:
    return [chr(code) for code in range(0x3000) if not letters.CHANGES_IN_LATIN.match(chr(code))]


def test_every_text_of_characters_that_stay_latin_is_nfc() -> None:
    """The to_latin shortcut for such texts relies on every piece of them being NFC already.
    Each character is a starter, NFC alone, decomposing to a starter first, and no two compose:
    then canonical reordering never crosses two characters and no composition happens."""
    characters = _characters_that_stay_latin()
    for character in characters:
        decomposed = unicodedata.normalize("NFD", character)
        assert unicodedata.combining(character) == 0 and unicodedata.combining(decomposed[0]) == 0
        assert unicodedata.is_normalized("NFC", character)
    for first in characters:
        assert all(unicodedata.is_normalized("NFC", first + second) for second in characters)


def test_texts_of_characters_that_stay_cyrillic_are_what_the_full_conversion_gives(monkeypatch: pytest.MonkeyPatch) -> None:
    """to_cyrillic returns a text of such characters as it is; the full conversion, forced by a
    shortcut that never applies, gives the same for random texts of them (every pair, NFC too)."""
    characters = [chr(code) for code in range(0x3000) if not letters.CHANGES_IN_CYRILLIC.match(chr(code))]
    rng = random.Random(7)
    texts = [first + second for first in characters for second in characters]
    texts += ["".join(rng.choice(characters) for _ in range(rng.randrange(1, 60))) for _ in range(3000)]
    texts += ["Скупштина општине „Коњиц“ – 12. март 2014: (други део)!", "Ђорђе's \"ријеч\" 5% / 7 + 8 = 15…", "ХХ век", "ХІХ", "Херцеговина"]
    shortcut = [Converter().convert(text, "cyrillic") for text in texts] + [Converter().convert_html(text, "cyrillic") for text in texts]
    monkeypatch.setattr(translit.converter, "CHANGES_IN_CYRILLIC", re.compile(r"[\s\S]"))
    full = [Converter().convert(text, "cyrillic") for text in texts] + [Converter().convert_html(text, "cyrillic") for text in texts]
    assert full == shortcut


@pytest.mark.parametrize(
    ("html", "latin"),
    [
        ('<p>Đorđe <b title="Čačak">čita</b> „vijesti“ – 5 €</p>', '<p>Đorđe <b title="Čačak">čita</b> „vijesti“ – 5 €</p>'),
        ("<p>c\u030Citanje</p>", "<p>čitanje</p>"),  # a combining mark: NFC
        ("<p>Ðorđe</p>", "<p>Đorđe</p>"),  # Eth for Đ
        ("Ulica {=Kneza Miloša|Kneza Miloša=}", "Ulica Kneza Miloša"),
    ],
)
def test_to_latin_changes_latin_text_only_where_it_must(html: str, latin: str) -> None:
    assert Converter().convert_html(html, "latin") == latin


def test_detect_script() -> None:
    assert detect_script("Ово је text") == "cyrillic"
    assert detect_script("Ovo je tekst i текст") == "latin"
    assert detect_script("2024. — 15") is None


# -- site dictionary and editor markup -----------------------------------------------------------

DICTIONARY = {"Транспаренси Интернешнал": "Transparency International", "ReLOaD": "ReLOaD", "Тачка": "Tačka"}


def test_dictionary_both_ways() -> None:
    converter = Converter(DICTIONARY)
    assert converter.to_latin("Извјештај Транспаренси Интернешнал") == "Izvještaj Transparency International"
    assert converter.to_cyrillic("Izvještaj Transparency International") == "Izvještaj Транспаренси Интернешнал".replace(
        "Izvještaj", "Извјештај"
    )
    assert converter.to_cyrillic("TRANSPARENCY INTERNATIONAL") == "ТРАНСПАРЕНСИ ИНТЕРНЕШНАЛ"
    assert converter.to_cyrillic("Projekat ReLOaD") == "Пројекат ReLOaD"
    assert converter.to_latin("Пројекат ReLOaD") == "Projekat ReLOaD"


def test_dictionary_matches_whole_words_only() -> None:
    converter = Converter(DICTIONARY)
    assert converter.to_cyrillic("Tačkasti i Tačka") == "Тачкасти и Тачка"
    assert converter.to_latin("Тачкасти") == "Tačkasti"


def test_dictionary_applies_in_html_text_and_attributes() -> None:
    converter = Converter(DICTIONARY)
    assert converter.to_cyrillic_html('<p title="Transparency International">Transparency International</p>') == (
        '<p title="Транспаренси Интернешнал">Транспаренси Интернешнал</p>'
    )


def test_markup_pins_a_phrase() -> None:
    assert to_cyrillic("Projekat {=Ljubljana Open=} danas") == "Пројекат Ljubljana Open данас"
    assert to_latin("Пројекат {=Љубљана=} данас") == "Projekat Љубљана danas"


def test_markup_gives_both_renderings() -> None:
    text = "Grad {=Њујорк|New York=} i {=Ћ\\|L=}"
    assert to_cyrillic(text) == "Град Њујорк и Ћ"
    assert to_latin(text) == "Grad New York i L"


def test_markup_survives_rendered_html() -> None:
    html = '<p>Grad {=Њујорк|New York=} i <em>{=ReLOaD=}</em></p><img alt="{=ReLOaD=} logo">'
    assert translit.to_cyrillic_html(html) == '<p>Град Њујорк и <em>ReLOaD</em></p><img alt="ReLOaD лого">'


def test_markup_inside_code_is_shown_as_typed() -> None:
    assert to_cyrillic("Piši `{=ReLOaD=}`") == "Пиши `{=ReLOaD=}`"


def test_text_already_in_the_target_script_is_unchanged() -> None:
    latin = "Džemila i Ljubomir, OGP, XIV vijek, https://x.org/Љ."
    cyrillic = "Пројекат подржава Open Knowledge Foundation, XIV вијек, https://x.org/lj."
    assert to_latin(latin) == latin
    assert to_cyrillic(cyrillic) == cyrillic


def test_command_converts_a_fence_as_a_whole_when_reading_line_by_line() -> None:
    import subprocess
    import sys

    source = "Naslov\n```\ntitle: Javna rasprava\n```\nKraj\n"
    result = subprocess.run([sys.executable, "-m", "ogpsite", "translit", "--to", "cyrillic"], input=source, capture_output=True, text=True, check=True)
    assert result.stdout == "Наслов\n```\ntitle: Javna rasprava\n```\nКрај\n"
