#!/usr/bin/env python3
"""Generate a deterministic, realistic ogpsite archive for benchmarks.

    python bench/gen_archive.py --count 20000 --seed 1 --out bench/work/site-20000

Writes a complete site: ``ogpsite.yml``, ``content/institutions.yml`` and
``content/reports/YYYY/<slug>.md``. The same ``--count``/``--seed`` give the same bytes:
every random choice comes from ``random.Random`` seeded per report, nothing reads the
clock, and everything is iterated in a fixed order.

The prose is our own: a small grammar of Latin sentence templates and word pools about
workshops, trainings, open data, public consultations, local self-government and access
to information, in ekavian (Serbian) and ijekavian (Bosnian / Serbian from Republika
Srpska) variants. Cyrillic reports are made by transliterating the Latin text with a
small table in this file (URLs, e-mail addresses, code spans and a few foreign words
stay as they are). The module stands alone: it imports nothing from ogpsite.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import random
import re
import sys
from pathlib import Path

# ---------------------------------------------------------------------------
# Transliteration (small local table; ogpsite has its own, much better one)
# ---------------------------------------------------------------------------

_LAT_DIGRAPHS = (
    ("DŽ", "Џ"), ("Dž", "Џ"), ("dž", "џ"),
    ("LJ", "Љ"), ("Lj", "Љ"), ("lj", "љ"),
    ("NJ", "Њ"), ("Nj", "Њ"), ("nj", "њ"),
)
_LAT_SINGLE = dict(zip(
    "abcčćdđefghijklmnoprsštuvzžABCČĆDĐEFGHIJKLMNOPRSŠTUVZŽ",
    "абцчћдђефгхијклмнопрсштувзжАБЦЧЋДЂЕФГХИЈКЛМНОПРСШТУВЗЖ",
))
_LAT_TABLE = str.maketrans(_LAT_SINGLE)
_CYR_TABLE = str.maketrans({c: l for l, c in _LAT_SINGLE.items()} | {
    "џ": "dž", "Џ": "Dž", "љ": "lj", "Љ": "Lj", "њ": "nj", "Њ": "Nj",
})

# Foreign words and acronyms that stay Latin in the Cyrillic edition.
KEEP_LATIN = ("OGP", "ReLOaD", "hCa", "ECDL", "CSV", "JSON", "XML", "API", "PDF", "PPT", "CC BY")
_PROTECT = re.compile(
    r"(`[^`]*`"                                  # code spans
    r"|<[^>\s]+>"                                # autolinks <https://...>, <a@b.c>
    r"|\]\([^)]*\)"                              # link targets
    r"|https?://[^\s)>\]]+"                      # bare URLs
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"             # e-mail addresses
    r"|\b(?:" + "|".join(re.escape(w) for w in KEEP_LATIN) + r")\b"
    r"|\b\w*[qwxyQWXY]\w*\b)"                    # words with letters Serbian Latin lacks
)


def _lat2cyr_plain(text: str) -> str:
    for lat, cyr in _LAT_DIGRAPHS:
        if lat in text:
            text = text.replace(lat, cyr)
    return text.translate(_LAT_TABLE)


def to_cyrillic(text: str) -> str:
    """Latin -> Cyrillic, leaving URLs, e-mails, code spans and foreign words alone."""
    parts = _PROTECT.split(text)
    for i in range(0, len(parts), 2):
        parts[i] = _lat2cyr_plain(parts[i])
    return "".join(parts)


def to_latin(text: str) -> str:
    """Cyrillic -> Latin (mechanical)."""
    return text.translate(_CYR_TABLE)


# ---------------------------------------------------------------------------
# Pools
# ---------------------------------------------------------------------------

# (slug, latin name, cyrillic override or None, acronym latin, acronym cyrillic, aliases, description, registered)
INSTITUTIONS = [
    ("mduls", "Ministarstvo državne uprave i lokalne samouprave", None, "MDULS", "МДУЛС",
     ["Ministarstvo za državnu upravu i lokalnu samoupravu"],
     "Ministarstvo nadležno za javnu upravu i lokalnu samoupravu u Srbiji.", True),
    ("kancelarija-civilno-drustvo", "Kancelarija za saradnju sa civilnim društvom", None, None, None, [],
     "Vladina služba koja podržava saradnju organa uprave i organizacija civilnog društva.", True),
    ("ite", "Kancelarija za informacione tehnologije i elektronsku upravu", None, "ITE", "ИТЕ", [],
     "Služba koja razvija portal eUprava i portal otvorenih podataka.", True),
    ("poverenik", "Poverenik za informacije od javnog značaja i zaštitu podataka o ličnosti", None, None, None,
     ["Povjerenik za informacije od javnog značaja"],
     "Nezavisni organ koji štiti pravo na pristup informacijama.", True),
    ("skgo", "Stalna konferencija gradova i opština", None, "SKGO", "СКГО", [],
     "Savez lokalnih vlasti u Srbiji.", True),
    ("rzs", "Republički zavod za statistiku", None, "RZS", "РЗС", [],
     "Zvanična statistika Republike Srbije.", True),
    ("acas", "Agencija za sprečavanje korupcije", None, None, None, [],
     "Nezavisni organ za sprečavanje korupcije.", True),
    ("dri", "Državna revizorska institucija", None, "DRI", "ДРИ", [],
     "Najviši organ revizije javnih sredstava u Srbiji.", True),
    ("skupstina-srbije", "Narodna skupština Republike Srbije", None, None, None, ["Narodna skupština"],
     "Predstavničko telo građana Srbije.", True),
    ("rsjp", "Republički sekretarijat za javne politike", None, "RSJP", "РСЈП", [],
     "Služba za planiranje i analizu javnih politika.", True),
    ("ministarstvo-finansija", "Ministarstvo finansija Republike Srbije", None, None, None, ["Ministarstvo finansija"],
     "Ministarstvo nadležno za budžet i javne finansije.", True),
    ("grad-nis", "Grad Niš", None, None, None, [], "Jedinica lokalne samouprave na jugu Srbije.", True),
    ("bos", "Beogradska otvorena škola", None, "BOŠ", "БОШ", [],
     "Organizacija civilnog društva posvećena obrazovanju i razvoju.", True),
    ("crta", "Centar za istraživanje, transparentnost i odgovornost", None, "CRTA", "ЦРТА", [],
     "Organizacija koja prati rad institucija i izbore.", True),
    ("transparentnost-srbija", "Transparentnost Srbija", None, None, None, [],
     "Organizacija koja se bavi borbom protiv korupcije.", True),
    ("nkd", "Nacionalna koalicija za decentralizaciju", None, "NKD", "НКД", [],
     "Mreža organizacija koje zagovaraju decentralizaciju.", True),
    ("giz", "Njemačko društvo za međunarodnu saradnju", None, "GIZ", "ГИЗ",
     ["Deutsche Gesellschaft für Internationale Zusammenarbeit"],
     "Njemačka razvojna agencija, nosilac Programa jačanja javnih institucija u BiH.", True),
    ("parco", "Ured koordinatora za reformu javne uprave BiH", None, "PARCO", "ПАРЦО",
     ["Kancelarija koordinatora za reformu javne uprave BiH"],
     "Koordinira provođenje Strategije reforme javne uprave u BiH.", True),
    ("ads-bih", "Agencija za državnu službu BiH", None, "ADS BiH", "АДС БиХ", [],
     "Agencija zadužena za zapošljavanje i obuku državnih službenika.", True),
    ("bhas", "Agencija za statistiku BiH", None, "BHAS", "БХАС", [],
     "Statistička agencija na nivou Bosne i Hercegovine.", True),
    ("hea", "Agencija za razvoj visokog obrazovanja i osiguranje kvaliteta BiH", None, "HEA", "ХЕА", [],
     "Agencija za akreditaciju i kvalitet visokog obrazovanja.", True),
    ("dei", "Direkcija za evropske integracije", None, "DEI", "ДЕИ", [],
     "Stručna služba Vijeća ministara za evropske integracije.", True),
    ("aposo", "Agencija za predškolsko, osnovno i srednje obrazovanje BiH", None, "APOSO", "АПОСО", [],
     "Agencija za standarde i ocjenjivanje u obrazovanju.", True),
    ("zasto-ne", "Zašto ne", None, None, None, ["Udruženje Zašto ne"],
     "Organizacija civilnog društva koja prati rad vlasti.", True),
    ("ti-bih", "Transparency International BiH", "Транспаренси Интернешнал БиХ", "TI BiH", "ТИ БиХ", [],
     "Ogranak međunarodne organizacije za borbu protiv korupcije.", True),
    ("mediacentar", "Mediacentar Sarajevo", None, None, None, ["Mediacentar"],
     "Centar za medije, istraživanje i obuke novinara.", True),
    ("sogrs", "Savez opština i gradova Republike Srpske", None, None, None, [],
     "Udruženje jedinica lokalne samouprave u Republici Srpskoj.", True),
    ("sogfbih", "Savez općina i gradova Federacije BiH", None, None, None, [],
     "Udruženje jedinica lokalne samouprave u Federaciji BiH.", True),
    ("hca", "Helsinški parlament građana Banja Luka", None, "hCa", "hCa", [],
     "Organizacija civilnog društva iz Banje Luke.", True),
    ("cpcd", "Centar za promociju civilnog društva", None, "CPCD", "ЦПЦД", [],
     "Resursni centar za organizacije civilnog društva u BiH.", True),
    ("mp-bih", "Ministarstvo pravde BiH", None, None, None, [],
     "Ministarstvo nadležno za saradnju sa civilnim društvom na državnom nivou.", True),
    ("mljpi", "Ministarstvo za ljudska prava i izbjeglice BiH", None, "MLJPI", "МЉПИ", [],
     "Ministarstvo za ljudska prava, izbjeglice i dijasporu.", True),
    ("mulsrs", "Ministarstvo uprave i lokalne samouprave Republike Srpske", None, None, None, [],
     "Ministarstvo Vlade Republike Srpske za upravu i lokalnu samoupravu.", True),
    ("undp", "Razvojni program Ujedinjenih nacija", None, "UNDP", "УНДП", [],
     "Razvojna agencija Ujedinjenih nacija.", True),
    ("reload", "Regionalni program lokalne demokratije na Zapadnom Balkanu", None, "ReLOaD", "ReLOaD", [],
     "Program koji jača saradnju lokalnih vlasti i civilnog društva.", True),
    ("cci", "Centri civilnih inicijativa", None, "CCI", "ЦЦИ", [],
     "Organizacija koja prati rad vlasti i jača učešće građana.", True),
    # Not in the registry: still merged by name across scripts.
    ("opcina-kljuc", "Općina Ključ", None, None, None, [], "", False),
    ("grad-bijeljina", "Grad Bijeljina", None, None, None, [], "", False),
    ("grad-trebinje", "Grad Trebinje", None, None, None, [], "", False),
    ("opstina-teslic", "Opština Teslić", None, None, None, [], "", False),
]

# (nominative, locative)
PLACES = [
    ("Beograd", "Beogradu"), ("Novi Sad", "Novom Sadu"), ("Niš", "Nišu"), ("Kragujevac", "Kragujevcu"),
    ("Subotica", "Subotici"), ("Čačak", "Čačku"), ("Užice", "Užicu"), ("Kraljevo", "Kraljevu"),
    ("Vranje", "Vranju"), ("Zrenjanin", "Zrenjaninu"), ("Pančevo", "Pančevu"), ("Šabac", "Šapcu"),
    ("Sarajevo", "Sarajevu"), ("Banja Luka", "Banjoj Luci"), ("Tuzla", "Tuzli"), ("Mostar", "Mostaru"),
    ("Zenica", "Zenici"), ("Konjic", "Konjicu"), ("Ključ", "Ključu"), ("Bijeljina", "Bijeljini"),
    ("Trebinje", "Trebinju"), ("Teslić", "Tesliću"), ("Brčko", "Brčkom"), ("Bihać", "Bihaću"),
    ("Prijedor", "Prijedoru"), ("Doboj", "Doboju"), ("Sanski Most", "Sanskom Mostu"), ("Jajce", "Jajcu"),
]

# Tags: plain Latin; Cyrillic through the table ("OGP" stays Latin).
TAGS = [
    "OGP", "radionica", "obuka", "trening", "konferencija", "otvoreni podaci", "javne konsultacije",
    "lokalna samouprava", "pristup informacijama", "transparentnost", "e-uprava", "civilno društvo",
    "akcioni plan", "budžet", "antikorupcija", "radna grupa", "komunikacije",
]

# (male?, name)
PEOPLE = [
    (True, "Aleksandar Živanović"), (False, "Dragana Dardić"), (False, "Milica Jovanović"),
    (False, "Amra Hodžić"), (True, "Emir Kovačević"), (False, "Jelena Petrović"), (True, "Nenad Đorđević"),
    (False, "Lejla Begović"), (True, "Dževad Mujić"), (False, "Ljiljana Nikolić"), (True, "Njegoš Radović"),
    (True, "Stefan Marković"), (False, "Selma Alić"), (True, "Goran Tomić"), (False, "Vesna Stojanović"),
    (True, "Haris Delić"), (False, "Sanja Lukić"), (True, "Bojan Šarić"), (False, "Ana Ćosić"),
]
ROLES_M = ["koordinator projekta", "savetnik za komunikacije", "pomoćnik ministra", "direktor organizacije",
           "načelnik opštine", "stručni saradnik", "predsednik radne grupe"]
ROLES_F = ["koordinatorka projekta", "savetnica za komunikacije", "pomoćnica ministra", "direktorka organizacije",
           "načelnica odeljenja", "stručna saradnica", "predsednica radne grupe"]

# Topics, locative after "o" (about).
TOPICS_LOC = [
    "otvorenim podacima", "slobodnom pristupu informacijama", "javnim konsultacijama",
    "Partnerstvu za otvorenu upravu", "elektronskoj upravi", "transparentnosti lokalnih budžeta",
    "učešću građana u donošenju odluka", "proaktivnoj transparentnosti", "saradnji sa civilnim društvom",
    "akcionom planu za otvorenu upravu", "upravljanju znanjem", "institucionalnoj komunikaciji",
    "{mesnim|mjesnim} zajednicama", "{proceni|procjeni} uticaja propisa", "javnim nabavkama",
]
# Topic titles (nominative, for quotes).
TOPIC_TITLES = [
    "Otvoreni podaci u lokalnoj samoupravi", "Pravo na pristup informacijama u praksi",
    "Korištenje informacionih tehnologija za podršku učešću građana",
    "Saradnja jedinica lokalne samouprave i organizacija civilnog društva",
    "Otvorenost u službi povjerenja", "Transparentan budžet za građane",
    "Javne konsultacije u {pripremi|pripremi} propisa", "Komunikacija institucija sa javnošću",
    "Otvorena uprava na lokalnom nivou", "Elektronske usluge za građane i privredu",
]
# (name, feminine?)
EVENTS = [("Radionica", True), ("Obuka", True), ("Trening", False), ("Konferencija", True),
          ("Okrugli sto", False), ("Sastanak radne grupe", False), ("Javna rasprava", True),
          ("Info dan", False), ("Forum", False), ("Seminar", False)]
ORDINALS = ["Prvi", "Drugi", "Treći", "Četvrti", "Peti", "Šesti", "Sedmi", "Osmi", "Deveti", "Deseti"]
MONTHS_GEN = ["januara", "februara", "marta", "aprila", "maja", "juna", "jula", "avgusta",
              "septembra", "oktobra", "novembra", "decembra"]
DOMAINS = ["data.gov.rs", "otvorenauprava.gov.rs", "ogp.parco.gov.ba", "javnekonsultacije.ba",
           "euprava.gov.rs", "pristupinformacijama.ba", "skgo.org", "sogfbih.ba", "lokalnademokratija.ba"]
MAILBOXES = ["info", "kontakt", "ogp", "otvoreni.podaci", "konsultacije", "press", "obuke"]
FILES = ["budzet-2016.csv", "spisak-ucesnika.xlsx", "akcioni-plan.pdf", "skupovi-podataka.json",
         "zapisnik-sastanka.docx", "nacrt-zakona.pdf", "prijave.csv"]
CODES = ["GET /api/1/datasets/", "CC BY 4.0", "#OGPweek", "UTF-8", "?format=json", "ISO 8601", "v2.1"]

TITLE_TEMPLATES = [
    "<Event> o <topic_loc> u <place_loc>",
    "<Event> na temu „<topic_title>“ u <place_loc>",
    "<Ordinal> sastanak radne grupe za <wg>",
    "<Event> za službenike lokalne samouprave u <place_loc>",
    "Poziv na konferenciju: <topic_title>",
    "Javne konsultacije o nacrtu <draft_gen>",
    "Predstavljen novi skup otvorenih podataka: <dataset>",
    "<Inst>: <event_lc> o <topic_loc>",
    "{Nedelja|Sedmica} otvorene uprave u <place_loc>",
    "Završen ciklus obuka o <topic_loc>",
]
WG = ["komunikacije i upravljanje znanjem", "otvorene podatke", "javne konsultacije",
      "izradu akcionog plana", "pristup informacijama", "saradnju sa civilnim društvom"]
DRAFTS_GEN = ["zakona o slobodnom pristupu informacijama", "akcionog plana za sprovođenje inicijative OGP",
              "strategije reforme javne uprave", "odluke o budžetu za narednu godinu",
              "zakona o lokalnoj samoupravi", "pravilnika o objavljivanju otvorenih podataka"]
DATASETS = ["registar udruženja", "lokalni budžeti", "javne nabavke po opštinama", "kvalitet vazduha",
            "saobraćajne nezgode", "upisi u srednje škole", "cene goriva", "red vožnje gradskog prevoza"]

SENTENCES_LEAD = [
    "<Event> o <topic_loc> <odrzan> je <date_text> u <place_loc>.",
    "U <place_loc> je <date_text> {održan|održan} skup pod nazivom „<topic_title>“.",
    "U organizaciji institucije <inst>, <date_text> u <place_loc> <odrzan> je <event_lc> o <topic_loc>.",
    "Predstavnici institucija i organizacija civilnog društva okupili su se <date_text> u <place_loc> kako bi razgovarali o <topic_loc>.",
    "<Ordinal_lc> sastanak radne grupe za <wg> {održan|održan} je <date_text> u <place_loc>.",
]
SENTENCES = [
    "Učešće su uzeli predstavnici institucija <inst> i <inst2>, kao i {nevladinih|nevladinih} organizacija iz {celog regiona|cijelog regiona}.",
    "Cilj skupa bio je da se učesnici upoznaju sa principima <topic_gen> i sa obavezama koje iz njih proizlaze.",
    "Skupu je prisustvovalo <num> učesnika iz <num_small> {opština|općina} i gradova.",
    "Kako je <rekao> <person>, <role>, otvorenost uprave nije {jednokratan|jednokratan} zadatak, već {svakodnevni posao|svakodnevni posao} svih službi.",
    "<Person> je <istakao> da građani {očekuju|očekuju} jasne i {razumljive|razumljive} informacije o radu institucija.",
    "Poseban akcenat stavljen je na {primenu|primjenu} Zakona o slobodnom pristupu informacijama.",
    "Učesnici su kroz praktične {vežbe|vježbe} {napravili|napravili} nacrt plana objavljivanja otvorenih podataka.",
    "Podaci su objavljeni u {mašinski čitljivom|mašinski čitljivom} formatu `<file>`, pod licencom `CC BY 4.0`.",
    "Prezentacije sa skupa dostupne su na adresi <url>.",
    "Sve dodatne informacije mogu se dobiti putem {elektronske pošte|elektronske pošte} <email>.",
    "Detaljan izveštaj {biće|bit će} objavljen na [zvaničnoj stranici projekta](<url_raw>).",
    "{Tokom|Tokom} rasprave otvoreno je pitanje kako {uključiti|uključiti} {mesne|mjesne} zajednice u planiranje budžeta.",
    "Predstavljeni su rezultati {ankete|ankete} u kojoj je učestvovalo <num_big> građana.",
    "Prema tim rezultatima, više od polovine ispitanika nije znalo da {može|može} zatražiti informacije od javnog značaja.",
    "{Takođe|Također}, dogovoreno je da se {naredni|naredni} sastanak održi za {dve|dvije} {nedelje|sedmice}.",
    "Radna grupa je usaglasila {predlog|prijedlog} radnog paketa za naredne tri godine.",
    "{Sprovođenje|Provođenje} aktivnosti zasniva se na Strategiji reforme javne uprave i na akcionom planu inicijative OGP.",
    "U drugom delu {dana|dana} učesnici su radili u {grupama|grupama} na konkretnim {primerima|primjerima} iz svojih {opština|općina}.",
    "Organizatori su najavili da će {slične|slične} obuke biti {održane|održane} i u drugim {sredinama|sredinama}.",
    "Službenici koji rade na poslovima odnosa sa javnošću razmenili su {iskustva|iskustva} o komunikaciji putem društvenih mreža.",
    "Skup je {podržan|podržan} u okviru projekta „<topic_title>“.",
    "Portal otvorenih podataka trenutno sadrži <num_big> skupova podataka, a njihov broj stalno raste.",
    "Za pristup podacima koristi se programski interfejs `GET /api/1/datasets/`, a odgovori su u formatu JSON.",
    "Predstavnici civilnog društva {ocenili|ocijenili} su da je {ovo|ovo} važan korak ka većoj {odgovornosti|odgovornosti} vlasti.",
    "{Uprkos|Uprkos} napretku, {primena|primjena} propisa na lokalnom nivou {još uvek|još uvijek} nije ujednačena.",
    "Na kraju {dvodnevne|dvodnevne} obuke učesnici su dobili {sertifikate|certifikate}.",
    "<Inst> je pripremio vodič za učesnike i materijale za trening.",
    "Javne konsultacije trajaće do <date_text>, a komentari se {šalju|šalju} na adresu <email>.",
    "Građani mogu da prate rad radne grupe i na mreži, uz oznaku `#OGPweek`.",
    "Opšti cilj je bio da se {identifikuju|identifikuju} rešenja pogodna za saradnju {uprave|uprave} i građana.",
    "Iskustvo stečeno u <place_loc_other> pokazalo je da se {uz|uz} malo sredstava može mnogo postići.",
    "{Savet|Vijeće} za reformu uprave {usvojio|usvojio} je zaključke sa skupa.",
    "Objavljeni skupovi podataka obuhvataju period od {deset|deset} godina, sa podacima {po|po} {mesecima|mjesecima}.",
    "Prema {rečima|riječima} učesnika, ovakvi susreti su {korisni|korisni} jer omogućavaju {neposrednu|neposrednu} {razmenu|razmjenu} {iskustava|iskustava}.",
    "Format podataka je dokumentovan u datoteci `<file>`, sa kodnom stranom `UTF-8`.",
    "Na skupu je predstavljen i nacrt <draft_gen>, o kojem će se javnost izjasniti kroz javne konsultacije.",
    "Jedinice lokalne samouprave u kojima su održane obuke su <place_a>, <place_b> i <place_c>.",
    "Obuka je {namenjena|namijenjena} službenicima koji rade na poslovima sa organizacijama civilnog društva.",
    "Program je dizajniran kao kombinacija teorijskog dela i praktičnog rada u malim grupama.",
    "Skup je <otvorio> <person>, <podsetio> na obaveze preuzete akcionim planom.",
    "<Inst> je {najavio|najavio} objavljivanje novih skupova podataka o <topic_loc>.",
    "Na pitanja novinara odgovarali su predstavnici institucije <inst2>.",
    "U {periodu|periodu} od <num_small> meseci {primljeno je|zaprimljeno je} <num_big> zahteva za pristup informacijama.".replace("meseci", "{meseci|mjeseci}").replace("zahteva", "{zahteva|zahtjeva}"),
    "{Većina|Većina} zahteva odnosila se na budžet, javne nabavke i zapošljavanje.".replace("zahteva", "{zahteva|zahtjeva}"),
    "Učesnici su upoznati sa radom portala <url> i sa načinom preuzimanja podataka.",
    "Posebno je {naglašena|naglašena} uloga medija u praćenju rada institucija.",
    "Nakon prezentacija usledila je diskusija u kojoj su učestvovali svi prisutni.".replace("usledila", "{usledila|uslijedila}"),
    "Za narednu godinu {planirano je|planirano je} uvođenje {elektronskih|elektronskih} javnih konsultacija.",
    "Organizatori su se zahvalili domaćinima u <place_loc> na {gostoprimstvu|gostoprimstvu}.",
    "Materijali za učesnike pripremljeni su u formatima `PDF` i `PPT`.",
    "{Opština|Općina} je {prošle godine|prošle godine} objavila budžet za građane u {jednostavnom|jednostavnom} obliku.",
    "Pitanja u vezi sa prijavom mogu se poslati na <email> najkasnije {sedam|sedam} dana pre početka obuke.".replace("pre početka", "{pre|prije} početka"),
    "Radna grupa se sastaje {jednom|jednom} u tri meseca, a zapisnici se objavljuju na <url>.".replace("meseca", "{meseca|mjeseca}"),
    "Inicijativa Partnerstvo za otvorenu upravu okuplja više od {sedamdeset|sedamdeset} država.",
    "{Dalji|Dalji} koraci uključuju {obuku|obuku} službenika, izradu registra informacija i {redovno|redovno} objavljivanje izveštaja.",
]
SENTENCES_EXTRA = [
    "Dodatni tekst unesen je naknadno radi provere izmena.",
]
HEADINGS = [
    "Ciljevi {skupa|skupa}", "Zaključci", "Učesnici", "Program rada", "{Sledeći|Sljedeći} koraci", "Kontekst",
    "Otvoreni podaci", "Rezultati", "Kako {učestvovati|učestvovati}", "{Pozadina|Pozadina}",
]
BULLETS = [
    "usvojiti osnovne informacije o uključenosti građana u definisanje javnih politika",
    "usvojiti neophodna znanja i {veštine|vještine} za javno komuniciranje",
    "praktično {primeniti|primijeniti} usvojena znanja u svojim institucijama",
    "pripremiti spisak informacija koje se objavljuju proaktivno",
    "objaviti najmanje tri nova skupa otvorenih podataka",
    "izraditi plan javnih konsultacija za narednu godinu",
    "{uspostaviti|uspostaviti} kontakt osobe za saradnju sa civilnim društvom",
    "unaprediti internet stranice institucija i {opština|općina}",
    "{ocenu|ocjenu} napretka objaviti do kraja godine",
    "podaci u formatu `CSV` i `JSON`, uz opis polja",
]

_SLOT = re.compile(r"<([A-Za-z_0-9]+)>")
_ALT = re.compile(r"\{([^{}|]*)\|([^{}|]*)\}")


def _compile(template: str) -> tuple[tuple, tuple]:
    """Template -> (ekavian parts, ijekavian parts); parts alternate literal, slot, literal..."""
    out = []
    for variant in (1, 2):
        text = _ALT.sub(lambda m: m.group(variant), template)
        out.append(tuple(_SLOT.split(text)))
    return tuple(out)


_C_LEAD = [_compile(t) for t in SENTENCES_LEAD]
_C_SENT = [_compile(t) for t in SENTENCES]
_C_TITLE = [_compile(t) for t in TITLE_TEMPLATES]
_C_HEAD = [_compile(t) for t in HEADINGS]
_C_BULLET = [_compile(t) for t in BULLETS]
_C_TOPIC_LOC = [_compile(t) for t in TOPICS_LOC]
_C_TOPIC_TITLE = [_compile(t) for t in TOPIC_TITLES]
_SENT_WORDS = None  # filled lazily


def _cap(s: str) -> str:
    return s[:1].upper() + s[1:]


def _slugify(text: str) -> str:
    text = to_latin(text).lower()
    text = text.replace("đ", "dj").translate(str.maketrans("čćšž", "ccsz"))
    words = re.findall(r"[a-z0-9]+", text)
    slug = ""
    for w in words:
        if len(slug) + len(w) + 1 > 60:
            break
        slug = f"{slug}-{w}" if slug else w
    return slug or "izvestaj"


def _yaml_str(s: str) -> str:
    if (not s or s[0] in "-?:,[]{}#&*!|>'\"%@`" or ": " in s or " #" in s or s.endswith(":")
            or any(c in s for c in '"[]{},') or s.strip() != s):
        return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'
    return s


class _Report:
    """Builds one report's Latin text from its own RNG."""

    def __init__(self, rng: random.Random, index: int, start: _dt.date, days: int):
        self.rng = rng
        self.date = start + _dt.timedelta(days=rng.randrange(days))
        self.cyrillic = rng.random() < 0.5
        self.ijekavian = rng.random() < (0.4 if self.cyrillic else 0.55)
        # Bosnian only in Latin ijekavian reports, not all of them.
        self.language = "bs" if (not self.cyrillic and self.ijekavian and rng.random() < 0.7) else None
        k = rng.choice((1, 1, 2, 2, 2, 3))
        self.insts = rng.sample(range(len(INSTITUTIONS)), k)
        self.place = rng.choice(PLACES)
        self.person = rng.choice(PEOPLE)
        self.event = rng.choice(EVENTS)
        self.variant = 1 if self.ijekavian else 0
        self._deck: list[int] = []

    def inst_name(self, idx: int, front: bool = False) -> str:
        slug, lat, cyr, acr, acr_c, aliases, _d, _r = INSTITUTIONS[idx]
        r = self.rng.random()
        if front and acr and r < 0.08:
            name = acr
        elif front and aliases and r > 0.93:
            name = aliases[0]
        else:
            name = lat
        if self.cyrillic:
            if name == lat and cyr:
                return cyr
            if name == acr:
                return acr_c
        return name  # Latin; transliterated with the rest of the report

    def date_text(self, d: _dt.date | None = None) -> str:
        d = d or self.date
        return f"{d.day}. {MONTHS_GEN[d.month - 1]} {d.year}. godine"

    def slot(self, name: str) -> str:
        rng = self.rng
        v = self.variant
        if name == "inst":
            return self.inst_name(self.insts[0])
        if name == "Inst":
            return _cap(self.inst_name(self.insts[0]))
        if name == "inst2":
            idx = self.insts[1] if len(self.insts) > 1 else rng.randrange(len(INSTITUTIONS))
            return self.inst_name(idx)
        if name == "place_loc":
            return self.place[1]
        if name in ("place_a", "place_b", "place_c"):
            return rng.choice(PLACES)[0]
        if name == "place_loc_other":
            return rng.choice(PLACES)[1]
        if name == "date_text":
            return self.date_text()
        if name == "topic_loc":
            return "".join(self.render(rng.choice(_C_TOPIC_LOC)))
        if name == "topic_gen":
            return rng.choice(("otvorene uprave", "otvorenih podataka", "proaktivne transparentnosti",
                               "javnih konsultacija", "dobre uprave"))
        if name == "topic_title":
            return "".join(self.render(rng.choice(_C_TOPIC_TITLE)))
        if name == "Event":
            return self.event[0]
        if name == "event_lc":
            return self.event[0].lower()
        if name == "odrzan":
            return "održana" if self.event[1] else "održan"
        if name == "otvorio":
            return "otvorio" if self.person[0] else "otvorila"
        if name == "podsetio":
            if self.person[0]:
                return "koji je podsjetio" if v else "koji je podsetio"
            return "koja je podsjetila" if v else "koja je podsetila"
        if name == "Ordinal":
            return rng.choice(ORDINALS)
        if name == "Ordinal_lc":
            return rng.choice(ORDINALS)
        if name == "wg":
            return rng.choice(WG)
        if name == "draft_gen":
            return rng.choice(DRAFTS_GEN)
        if name == "dataset":
            return rng.choice(DATASETS)
        if name == "num":
            return str(rng.randrange(12, 80))
        if name == "num_small":
            return str(rng.randrange(3, 12))
        if name == "num_big":
            return str(rng.randrange(150, 4000))
        if name in ("person", "Person"):
            return self.person[1]
        if name == "role":
            return rng.choice(ROLES_M if self.person[0] else ROLES_F)
        if name == "rekao":
            return "rekao" if self.person[0] else "rekla"
        if name == "istakao":
            return "istakao" if self.person[0] else "istakla"
        if name == "file":
            return rng.choice(FILES)
        if name == "url_raw":
            return self.url()
        if name == "url":
            u = self.url()
            return f"<{u}>" if rng.random() < 0.5 else u
        if name == "email":
            e = f"{rng.choice(MAILBOXES)}@{rng.choice(DOMAINS)}"
            return f"<{e}>" if rng.random() < 0.5 else e
        raise KeyError(name)

    def url(self) -> str:
        rng = self.rng
        return (f"https://{rng.choice(DOMAINS)}/{self.date.year}/"
                f"{rng.choice(('vijesti', 'vesti', 'dokumenti', 'skupovi-podataka', 'konsultacije'))}/"
                f"{rng.randrange(100, 9999)}")

    def render(self, compiled) -> list[str]:
        parts = compiled[self.variant]
        out = [parts[0]]
        for i in range(1, len(parts), 2):
            out.append(self.slot(parts[i]))
            out.append(parts[i + 1])
        return out

    def sentence(self, pool) -> str:
        return "".join(self.render(self.rng.choice(pool)))

    def body_sentence(self) -> str:
        """Draws body sentences from a shuffled deck, so a report repeats itself only when it runs out."""
        deck = self._deck
        if not deck:
            deck.extend(range(len(_C_SENT)))
            self.rng.shuffle(deck)
        return "".join(self.render(_C_SENT[deck.pop()]))


def _body(rep: _Report, target_words: int) -> tuple[str, str]:
    """Returns (markdown body, first sentence)."""
    rng = rep.rng
    blocks: list[str] = []
    words = 0
    lead = [rep.sentence(_C_LEAD)] + [rep.body_sentence() for _ in range(rng.randrange(2, 4))]
    first = lead[0]
    blocks.append(" ".join(lead))
    words += sum(len(s.split()) for s in lead)
    heads = list(range(len(HEADINGS)))
    rng.shuffle(heads)
    want_list = rng.random() < 0.8
    want_table = rng.random() < 0.3
    section = 0
    while words < target_words:
        if section < len(heads) and (section == 0 or rng.random() < 0.45):
            blocks.append("## " + "".join(rep.render(_C_HEAD[heads[section]])))
            section += 1
        n = rng.randrange(3, 7)
        para = [rep.body_sentence() for _ in range(n)]
        words += sum(len(s.split()) for s in para)
        blocks.append(" ".join(para))
        if want_list and section >= 1:
            want_list = False
            items = rng.sample(range(len(BULLETS)), rng.randrange(3, 7))
            lines = ["- " + "".join(rep.render(_C_BULLET[i])) for i in items]
            blocks.append(rng.choice(("Učesnici su se složili da je potrebno:",
                                      "Zaključeno je da institucije treba da:" if not rep.variant
                                      else "Zaključeno je da institucije trebaju:")))
            blocks.append("\n".join(lines))
            words += 5 + sum(len(x.split()) for x in lines)
        elif want_table and section >= 1:
            want_table = False
            rows = [("| Mjesto" if rep.variant else "| Mesto") + " | Broj učesnika | Trajanje |", "|---|---:|---|"]
            for _ in range(rng.randrange(3, 6)):
                rows.append(f"| {rng.choice(PLACES)[0]} | {rng.randrange(8, 60)} | "
                            f"{rng.choice(('jedan dan', 'dva dana', 'tri dana'))} |")
            blocks.append("\n".join(rows))
            words += 4 * len(rows)
    if rng.random() < 0.5:
        blocks.append("## Kontakt")
        blocks.append(f"Više informacija: <https://{rng.choice(DOMAINS)}/kontakt> ili "
                      f"`{rng.choice(MAILBOXES)}@{rng.choice(DOMAINS)}`.")
    return "\n\n".join(blocks) + "\n", first


def _title(rep: _Report) -> str:
    return _cap(rep.sentence(_C_TITLE))


def generate(count: int, seed: int, out: Path) -> dict:
    """Write the site; return a small summary."""
    out = Path(out)
    (out / "content" / "reports").mkdir(parents=True, exist_ok=True)
    (out / "ogpsite.yml").write_text(
        "title: Arhiva izveštaja o otvorenoj upravi\nbase_url: http://127.0.0.1:8000/\n", encoding="utf-8")
    (out / "content" / "institutions.yml").write_text(registry_yaml(), encoding="utf-8")

    start = _dt.date(2010, 1, 1)
    days = (_dt.date(2026, 11, 1) - start).days + 1
    used: dict[str, int] = {}
    made_dirs: set[str] = set()
    n_cyr = 0
    for i in range(count):
        rng = random.Random(f"ogpsite-bench:{seed}:{i}")
        rep = _Report(rng, i, start, days)
        title = _title(rep)
        base = _slugify(title)
        n = used.get(base, 0) + 1
        used[base] = n
        slug = base if n == 1 else f"{base}-{n}"
        while slug in used and n > 1:  # a suffixed slug could equal another title's slug
            n += 1
            used[base] = n
            slug = f"{base}-{n}"
        used.setdefault(slug, 1)
        body, first = _body(rep, rng.randrange(290, 760))
        tags = [TAGS[t] for t in sorted(rng.sample(range(len(TAGS)), rng.randrange(1, 5)))]
        insts = [rep.inst_name(x, front=True) for x in rep.insts]
        summary = rep.body_sentence() if rng.random() < 0.5 else None
        place = rep.place[0]
        if rep.cyrillic:
            n_cyr += 1
            conv = to_cyrillic
            title, body, place, summary = conv(title), conv(body), conv(place), summary and conv(summary)
            insts = [x if any("\u0400" <= c <= "\u04ff" for c in x) else conv(x) for x in insts]
            tags = [conv(t) for t in tags]
        fm = ["---", f"title: {_yaml_str(title)}", f"date: {rep.date.isoformat()}", "institutions:"]
        fm += [f"  - {_yaml_str(x)}" for x in insts]
        fm.append(f"place: {_yaml_str(place)}")
        fm.append("tags: [" + ", ".join(_yaml_str(t) for t in tags) + "]")
        if summary:
            fm.append(f"summary: {_yaml_str(summary)}")
        if rep.language:
            fm.append(f"language: {rep.language}")
        fm.append("---")
        year = str(rep.date.year)
        d = out / "content" / "reports" / year
        if year not in made_dirs:
            d.mkdir(parents=True, exist_ok=True)
            made_dirs.add(year)
        with open(d / f"{slug}.md", "w", encoding="utf-8", newline="\n") as f:
            f.write("\n".join(fm) + "\n\n" + body)
    return {"count": count, "seed": seed, "cyrillic": n_cyr, "latin": count - n_cyr, "out": str(out)}


def registry_yaml() -> str:
    lines = []
    for slug, lat, cyr, acr, acr_c, aliases, desc, registered in INSTITUTIONS:
        if not registered:
            continue
        cyr = cyr or to_cyrillic(lat)
        lines.append(f"- slug: {slug}")
        lines.append(f"  name: {{cyrillic: {_yaml_str(cyr)}, latin: {_yaml_str(lat)}}}")
        if acr:
            lines.append(f"  acronym: {{cyrillic: {_yaml_str(acr_c)}, latin: {_yaml_str(acr)}}}")
        if aliases:
            lines.append("  aliases: [" + ", ".join(_yaml_str(a) for a in aliases) + "]")
        lines.append(f"  description: {_yaml_str(desc)}")
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, required=True, help="number of reports")
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--out", type=Path, required=True, help="site directory to create")
    ap.add_argument("--force", action="store_true", help="replace an existing content/reports")
    args = ap.parse_args(argv)
    reports = args.out / "content" / "reports"
    if reports.exists() and any(reports.iterdir()):
        if not args.force:
            print(f"{reports} is not empty (use --force to replace it)", file=sys.stderr)
            return 2
        import shutil
        shutil.rmtree(reports)
    info = generate(args.count, args.seed, args.out)
    print(f"wrote {info['count']} reports ({info['cyrillic']} Cyrillic, {info['latin']} Latin) to {info['out']}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
