"""Russian case forms of a name part, for the Chatham House scrubber: the stems a folded
Cyrillic word is declined from and the endings each takes (folded as text is: й → и, ё → е).

- nouns ("Иван", "Петров", "Смирнова", "Шевченко", "Игорь"): the word without its final
  vowel, й or ь, with noun endings or the letter it dropped ("Ивану", "Петровым", "Смирновой",
  "Шевченко");
- adjective-type names ending -ий, -ый, -ой, -ая, -яя ("Вишневский", "Толстой",
  "Лавровская"): also the stem without those two letters, with adjective endings
  ("Вишневского", "Вишневскому", "Толстого", "Лавровскую");
- a fleeting vowel before the last consonant ("Павел": Павла, "Лев": Льва, "Орёл": Орла,
  "Муромец": Муромца): also the stem without it, with noun endings.
"""

from __future__ import annotations

from dataclasses import dataclass

NOUN = (  # longest first, so a regular expression tries them in that order
    *("ами", "ями", "ыми", "ими", "ом", "ем", "ам", "ям", "ах", "ях", "ою", "ею", "ои", "еи"),
    *("ых", "их", "ым", "им", "а", "я", "у", "ю", "е", "и", "ы", "о"),
)
ADJECTIVE = (
    *("ого", "его", "ому", "ему", "ыми", "ими", "ии", "ыи", "ои", "еи", "ая", "яя", "ую"),
    *("юю", "ою", "ею", "ым", "им", "ом", "ем", "ых", "их", "ые", "ие", "ое", "ее"),
)
FINAL = set("аеиоуыэюяь")  # dropped from a word to find its noun stem (й folds to и)
ADJECTIVE_FINALS = ("ии", "ыи", "ои", "ая", "яя")  # -ий -ый -ой -ая -яя, folded
FLEETING = set("ео")  # ё folds to е
FLEETING_BEFORE = set("лцквнрм")  # the consonants a fleeting vowel stands before in names
VOWELS = set("аеиоуыэюяь")


GENDERED = (  # a surname's feminine and masculine forms, folded (й as и)
    ("ова", "ов"), ("ева", "ев"), ("ина", "ин"), ("ская", "скии"), ("цкая", "цкии"),
    ("ova", "ov"), ("eva", "ev"), ("ina", "in"), ("skaya", "sky"), ("skaya", "skiy"),
    ("skaya", "ski"),
)  # fmt: skip


def counterparts(word: str) -> list[str]:
    """A surname's form for the other gender ("кузнецов": кузнецова, "smirnova": smirnov), in
    either script, folded: a text in Latin letters does not decline it ("Kuznetsova")."""
    found = []
    for feminine, masculine in GENDERED:
        if word.endswith(feminine) and len(word) > len(feminine) + 1:
            found.append(word[: -len(feminine)] + masculine)
        elif word.endswith(masculine) and len(word) > len(masculine) + 1:
            found.append(word[: -len(masculine)] + feminine)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class Stem:
    stem: str
    endings: tuple[str, ...]


def stems(word: str) -> list[Stem]:
    """The stems a folded Cyrillic word is declined from, each with the endings it takes."""
    found = []
    if word[-1] in FINAL:
        found.append(Stem(word[:-1], (*NOUN, word[-1])))
    else:
        found.append(Stem(word, NOUN))
    if len(word) > 4 and word.endswith(ADJECTIVE_FINALS):
        found.append(Stem(word[:-2], ADJECTIVE))
    fleeting = _without_fleeting_vowel(word)
    if fleeting:
        found.append(Stem(fleeting, NOUN))
    return found


def _without_fleeting_vowel(word: str) -> str | None:
    """'павел' → 'павл', 'лев' → 'льв', 'орел' → 'орл', 'муромец' → 'муромц'; else None."""
    if len(word) < 3 or word[-1] not in FLEETING_BEFORE or word[-2] not in FLEETING:
        return None
    before = word[-3]
    if before in VOWELS or (len(word) > 3 and word.endswith(("ов", "ев"))):
        return None  # "Петров", "Андреев": no fleeting vowel
    soft = "ь" if before == "л" and word[-2] == "е" and len(word) == 3 else ""  # лев → льв
    return word[:-2] + soft + word[-1]
