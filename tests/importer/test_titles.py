"""Headlines made from a first sentence: subject and place, or subject, verb and object."""

from __future__ import annotations

import pytest

from ogpsite.importer.places import gazetteer
from ogpsite.importer.titles import headline


def place_in(sentence: str):
    found = [mention for mention in gazetteer().find(sentence) if mention.before in ("u", "у")]
    return found[0] if found else None


@pytest.mark.parametrize(
    ("sentence", "title"),
    [
        ("Радионица о \"Партнерству за отворену власт\" за представнике Међуинституционалне радне групе одржана је 5. марта 2014. године у Коњицу.",
         "Радионица о \"Партнерству за отворену власт\" у Коњицу"),
        ("Sedmi sastanak radne grupe za komunikacije održan je u utorak, 4. marta 2014. godine u Konjicu, a u organizaciji GIZ-a.",
         "Sedmi sastanak radne grupe u Konjicu"),
        ("Savez opština i gradova Republike Srpske u okviru projekta „Jačanje učešća za sve“ u periodu maj-jun održao je 4 obuke, u jedinicama lokalne samouprave.",
         "Savez opština i gradova Republike Srpske održao 4 obuke"),
        ("Konferencija o otvorenim podacima biće održana 28. maja 2015. u Novom Beogradu.", "Konferencija o otvorenim podacima u Novom Beogradu"),
        ("Tribina je održana u Tuzli.", "Tribina u Tuzli"),
        ("Održana je tribina u Tuzli.", None),  # the predicate first: no subject before it
        ("Objavljen je godišnji izvještaj o radu mreže.", None),  # no predicate to cut at
    ],
)
def test_a_headline_from_the_first_sentence(sentence: str, title: str | None) -> None:
    assert headline(sentence, place_in(sentence)) == title
