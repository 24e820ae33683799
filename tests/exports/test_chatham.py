"""Role aliases in place of names, also inside free text, whatever the name looks like and
however the text spells it; participant ids as alias keys."""

from __future__ import annotations

import unicodedata

import pytest

from app.exports.chatham import Aliases, Person
from tests.runs.machine import scenario

PEOPLE = [
    Person("p1", "nato", "player", "Anna Ivanova"),
    Person("p2", "russia", "team_lead", "Борис Петров"),
    Person("p3", "nato", "player", "Ann"),
    Person("p4", "russia", "player", "O'Brien (x+y)*"),
    Person("p5", "observers", "observer", "<b>Bo</b>"),
    Person("p6", "white_cell", "facilitator", 'Jean "JJ" Dupont'),
]


@pytest.fixture
def aliases() -> Aliases:
    return Aliases(PEOPLE, scenario())


def test_aliases_are_stable_role_names_with_keys_for_ids(aliases):
    assert [aliases.name_of(p.id) for p in PEOPLE] == [
        "NATO participant 1",
        "Russia participant 1",
        "NATO participant 2",
        "Russia participant 2",
        "Observer 1",
        "Facilitator 1",
    ]
    assert [aliases.key_of(p.id) for p in PEOPLE] == [
        "nato-1",
        "russia-1",
        "nato-2",
        "russia-2",
        "observers-1",
        "white_cell-1",
    ]
    russian = Aliases(PEOPLE, scenario(), "ru")
    assert russian.name_of("p2") == "Участник (Россия) 1"
    assert Aliases(PEOPLE, scenario()).alias == aliases.alias  # stable


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("anna ivanova agreed with Anna", "NATO participant 1 agreed with NATO participant 1"),
        (
            "Борис сказал, что Петров прав; БОРИС ПЕТРОВ согласен",
            "Russia participant 1 сказал, что Russia participant 1 прав; Russia participant 1 "
            "согласен",
        ),
        (
            "The annual report by Ann. Annotated, planned, Annex.",
            "The annual report by NATO participant 2. Annotated, planned, Annex.",
        ),
        ("Ask O'Brien (x+y)* now", "Ask Russia participant 2 now"),
        ("x<b>Bo</b>y, and Bob", "xObserver 1y, and Bob"),
        ('Jean "JJ" Dupont and Dupont', "Facilitator 1 and Facilitator 1"),
        ("Anna\n  Ivanova", "NATO participant 1"),
        ("ask p1 or p4", "ask nato-1 or russia-2"),  # an id pasted into a text
    ],
)
def test_names_are_found_in_free_text_and_nothing_else(aliases, text, expected):
    assert aliases.scrub(text) == expected


IVAN = [Person("i", "nato", "player", "Ivan Petrov")]


@pytest.mark.parametrize(
    ("people", "text", "expected"),
    [
        # every letter case, of the whole name and of each part
        (IVAN, "IVAN PETROV, ivan, PETROV's plan", "X, X, X's plan"),
        # Russian case endings
        (
            [Person("i", "nato", "player", "Иван Петров")],
            "Ивану Петрову, Петрова, Иваном Петровым, Петровых",
            "X, X, X, X",
        ),
        (
            [Person("i", "nato", "player", "Ольга Смирнова")],
            "с Ольгой Смирновой; Ольге; Смирновой",
            "с X; X; X",
        ),
        # a Cyrillic name in the Latin spellings an English text gives it
        ([Person("i", "nato", "player", "Сергей Петров")], "Sergey Petrov, Sergei", "X, X"),
        # decomposed Unicode, accents and their absence, umlauts written as digraphs
        (
            [Person("j", "nato", "player", unicodedata.normalize("NFD", "José Müller"))],
            "José Müller; Jose Muller; MUELLER; jose",
            "X; X; X; X",
        ),
        (
            [Person("j", "nato", "player", "José Müller")],
            unicodedata.normalize("NFD", "José Müller said"),
            "X said",
        ),
        # apostrophe variants and none
        (
            [Person("o", "nato", "player", "Sean O'Brien")],
            "O’Brien, O'BRIEN, obrien, Sean",
            "X, X, X, X",
        ),
        # punctuation around parts, titles left as they are
        ([Person("b", "nato", "player", 'Dr. "Bob"')], 'Bob says; "Bob"; BOB', 'X says; "X"; X'),
        # two-letter parts, also before a possessive
        (
            [Person("e", "nato", "player", "Ed Fox")],
            "Ed will call. Ed's plan. Fox.",
            "X will call. X's plan. X.",
        ),
        # affiliations and e-mail local parts
        (
            [Person("d", "nato", "player", "Jane Doe (RAND)")],
            "RAND analysts; Jane Doe; jane.doe@rand.org",
            "X analysts; X; [e-mail]",
        ),
        (
            [Person("m", "nato", "player", "j.doe@example.org")],
            "J.Doe@Example.org and Doe",
            "X and X",
        ),
        # characters that mean something in a regular expression or in HTML
        (
            [Person("r", "nato", "player", "a.b*c+?")],
            "a.b*c+? proposes; abc is fine",
            "X proposes; abc is fine",
        ),
        (
            [Person("r", "nato", "player", "(x)|[y]")],
            "(x)|[y] objects; xy is fine",
            "X objects; xy is fine",
        ),
        # zero-width characters cannot hide a name
        (IVAN, "Iv\u200ban", "X"),
        # phone numbers with a leading + and e-mails, whoever they belong to
        (
            IVAN,
            "call +7 (495) 123-45-67, not 12345; write to a.b@c.org",
            "call [phone], not 12345; write to [e-mail]",
        ),
    ],
)
def test_every_spelling_of_a_name_is_replaced(people, text, expected):
    aliases = Aliases(people, scenario())
    alias = aliases.name_of(people[0].id)
    assert aliases.scrub(text) == expected.replace("X", alias)


def test_a_part_people_share_is_neutral_and_full_names_stay_distinct():
    people = [
        Person("a", "nato", "player", "Ann Lee"),
        Person("b", "russia", "player", "Ann"),
        Person("c", "nato", "player", "Ivan Petrov"),
        Person("d", "russia", "player", "Ivan Smirnov"),
    ]
    aliases = Aliases(people, scenario())
    assert aliases.scrub("Ann Lee, Ann, Lee; Ivan Petrov, Ivan Smirnov, ivan") == (
        "NATO participant 1, a participant, NATO participant 1; "
        "NATO participant 2, Russia participant 2, a participant"
    )
    assert Aliases(people, scenario(), "ru").scrub("Ann") == "участник"


def test_ids_are_found_however_they_fold():
    """An id is looked for folded like the text: "p0ae" must not escape as "p0a"."""
    aliases = Aliases([Person("p0ae", "nato", "player", "Ann")], scenario())
    assert aliases.scrub_value({"participant_id": "p0ae", "text": "see P0AE"}) == {
        "participant_id": "nato-1",
        "text": "see nato-1",
    }


def test_nested_values(aliases):
    value = {"text": "Anna said", "list": ["Ann", 3, None], "deep": {"x": "Петров"}}
    assert aliases.scrub_value(value) == {
        "text": "NATO participant 1 said",
        "list": ["NATO participant 2", 3, None],
        "deep": {"x": "Russia participant 1"},
    }


def _person(name: str, team: str = "nato") -> Person:
    return Person("p7f3k2", team, "player", name)


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        # Cyrillic names ending in -о, in the nominative and declined
        ("Тарас Шевченко", "Шевченко предложил; Шевченко и Shevchenko", "X предложил; X и X"),
        ("Иван Франко", "Франко сказал", "X сказал"),
        ("Бруно", "Бруно, Бруно.", "X, X."),
        ("Игорь", "Игорь и Игоря", "X и X"),
        # a Latin name in Cyrillic, transliterated the same way both ways
        ("Nato", "НАТО и Nato", "X и X"),
        # adjective-type names in every case, and fleeting vowels
        (
            "Павел Вишневский",
            "Павлу Вишневскому; Павла Вишневского; с Павлом Вишневским; Вишневский",
            "X; X; с X; X",
        ),
        (
            "Анна Лавровская",
            "Лавровской позвонили; Лавровскую пригласили",
            "X позвонили; X пригласили",
        ),
        ("Лев Толстой", "Льву Толстому, Толстого, Львом", "X, X, X"),
        ("Орёл", "у Орла, Орлу", "у X, X"),
        ("Илья Муромец", "Муромца, Муромцу", "X, X"),
        # names without letters, as written
        ("🦊", "the 🦊 said hi", "the X said hi"),
        ("★★★", "ask ★★★ now", "ask X now"),
        ("🇷🇺", "flag 🇷🇺 here", "flag X here"),
        # run-together spellings, handles and initials
        ("Ольга Смирнова", "OlgaSmirnova, olga_smirnova, smirnova.olga", "X, X, X"),
        ("Сергей Кузнецов", "sergeykuznetsov and SKuznetsov and s.kuznetsov", "X and X and X"),
        ("J. R. Smith", "J.R. Smith; J. R. Smith; J. Smith; Smith", "X; X; X; X"),
        ("John Ronald Smith", "J. R. Smith said; JRSmith", "X said; X"),
        ("Сергей Иванович Кузнецов", "С. И. Кузнецову; С.И. Кузнецов", "X; X"),
        # a surname's other gender, in Latin letters too (they do not decline it)
        ("Сергей Кузнецов", "Kuznetsova, Kuznetsov, Кузнецова", "X, X, X"),
        ("Olga Smirnova", "Smirnov", "X"),
        ("Anne-Marie Dupont-Leroy", "AnneMarie wrote", "X wrote"),
    ],
)
def test_names_in_every_form(name, text, expected):
    aliases = Aliases([_person(name)], scenario())
    assert aliases.scrub(text) == expected.replace("X", "NATO participant 1")


def test_links_are_replaced_whoever_they_name():
    aliases = Aliases([_person("Olga Smirnova")], scenario())
    text = (
        "See https://t.me/olga_smirnova, x.com/SKuznetsov and "
        "https://ru.wikipedia.org/wiki/%D0%A8%D0%B5%D0%B2 (www.example.org/a)."
    )
    assert aliases.scrub(text) == "See [link], [link] and [link] ([link])."
    assert Aliases([], scenario(), "ru").scrub("t.me/x") == "[ссылка]"
    shevchenko = Aliases([_person("Шевченко")], scenario())
    assert shevchenko.scrub("id %D0%A8%D0%B5%D0%B2%D1%87%D0%B5%D0%BD%D0%BA%D0%BE") == (
        "id NATO participant 1"
    )


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("A", "A deal is a good idea."),
        ("I", "I think I will."),
        ("The", "The plan and the map."),
        ("van der", "van der Waals"),
        ("Mark", "Он собирал марки."),
        ("Frank", "Цена в франках, франки."),
    ],
)
def test_common_words_and_other_scripts_are_left_alone(name, text):
    assert Aliases([_person(name)], scenario()).scrub(text) == text


def test_the_facilitator_is_told_what_is_looked_for():
    people = [_person("Pieter van der Berg"), Person("a", "russia", "player", "A")]
    hunted = Aliases(people, scenario()).hunted()
    assert hunted == {"words": ["Berg", "Pieter"], "skipped": ["A", "der", "van"]}
    aliases = Aliases(people, scenario())
    assert aliases.scrub("Van Der Berg; Berg; van der Waals") == (
        "NATO participant 1; NATO participant 1; van der Waals"
    )


@pytest.mark.parametrize("name", ["x" * 5000, "ab" * 3000, "sh" * 2000 + " " + "ч" * 3000])
def test_no_name_can_exhaust_the_scrubber(name):
    aliases = Aliases([_person(name)], scenario())
    assert aliases.scrub(f"before {name} after") == "before NATO participant 1 after"
