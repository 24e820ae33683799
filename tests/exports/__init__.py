"""A run in which participants' names turn up everywhere a user can type, spelt every way a
person might spell them, and a search for any trace of them in an export's bytes."""

from __future__ import annotations

import html
import json
import re
import unicodedata
from typing import Any

from tests.support.client import Person, Run

# (team, display name, spellings that must never survive the Chatham House Rule)
PEOPLE = [
    ("nato", "Иван Петров", ["Иван", "Петров", "Ивану", "Петрова", "Иваном", "Ivan", "Petrov"]),
    ("nato", "Sean O'Brien", ["Sean", "O'Brien", "O’Brien", "OBrien", "Brien"]),
    ("nato", 'Dr. "Bob"', ["Bob"]),
    ("nato", "<b>Ann</b>", ["<b>Ann</b>", "Ann said"]),
    ("nato", "a.b*c+?", ["a.b*c+?", "a.b*c"]),
    ("russia", "Ed Fox", ["Ed Fox", "Ed's", "Ed will", "Fox"]),
    ("russia", "José Müller", ["José", "Jose", "Müller", "Muller", "Mueller"]),
    ("russia", "Jane Doe (RAND)", ["Jane", "Doe", "RAND"]),
    ("russia", "Ann Lee", ["Ann Lee", "Lee said"]),
    ("observers", "Olga Smirnova", ["Olga", "Smirnova", "Смирнова"]),
    ("white_cell", "Wanda Whitecell", ["Wanda", "Whitecell"]),
]
CONTACTS = ["jane.doe@rand.org", "+7 495 123-45-67"]
TEXTS = [
    "Иван Петров says hello; IVAN PETROV agrees, ivan too.",
    "Позвоните Ивану Петрову. Спросите Петрова. С Иваном Петровым.",
    "Sean O’Brien agrees; O'BRIEN; obrien; Sean said.",
    'Dr. "Bob" says; Bob says; BOB.',
    "<b>Ann</b> wrote. Ann said the Annex was planned annually.",
    "a.b*c+? proposes; abc and xy are fine.",
    "Ed will call. Ed's plan. ED FOX. Fox.",
    "José Müller said. Jose Muller said. Mueller. " + unicodedata.normalize("NFD", "José"),
    "Jane Doe (RAND) said. RAND analysts. jane.doe@rand.org, call +7 495 123-45-67.",
    "Ann Lee agrees. Lee said.",
    "Olga Smirnova observed. Смирнова тоже. Wanda Whitecell ruled.",
]
SURVIVORS = ["Annex", "planned", "annually", "abc and xy"]  # words that merely contain a name


def forms(text: str) -> set[str]:
    """A string as it may sit in an export's bytes: raw, decomposed, HTML-, JSON-, CSV-escaped."""
    return {
        text,
        unicodedata.normalize("NFD", text),
        html.escape(text),
        html.escape(text, quote=False),
        text.replace("'", "&#x27;").replace('"', "&quot;"),
        json.dumps(text, ensure_ascii=False)[1:-1],
        json.dumps(text)[1:-1],
        text.replace('"', '""'),
    }


NEEDLES = {
    form
    for _, name, spellings in PEOPLE
    for text in [name, *spellings, *CONTACTS]
    for form in forms(text)
}


def leaks(data: bytes | str, extra: list[str] = ()) -> list[str]:
    """Every name form found in `data`, case-insensitively, as a whole word where it ends in
    a letter ("Fox" is not found in "Firefox")."""
    text = data.decode("utf-8-sig") if isinstance(data, bytes) else data
    found = []
    for needle in NEEDLES | {f for e in extra for f in forms(e)}:
        before = r"(?<!\w)" if needle[:1].isalnum() else ""
        after = r"(?!\w)" if needle[-1:].isalnum() else ""
        if re.search(before + re.escape(needle) + after, text, re.IGNORECASE):
            found.append(needle)
    return sorted(found)


async def play(run: Run) -> dict[str, Person]:
    """Everyone joins; names then turn up in every kind of text the run keeps."""
    people = {name: await run.join(team, name) for team, name, _ in PEOPLE}
    nato, russia = people["Иван Петров"], people["Ed Fox"]
    f = run.facilitator
    await run.control("start")
    await run.fire("first-report")
    await f.ok("/injects", {"title": "Press: Иван Петров", "body": TEXTS[8], "audience": ["all"]})
    for i, text in enumerate(TEXTS):
        await (nato if i % 2 else russia).say(text)
        await (russia if i % 2 else nato).say(text, channel="plenary")
    await nato.say('=HYPERLINK("http://evil.example","x")')
    await nato.hotline("call")
    await russia.hotline("answer")
    await nato.say(TEXTS[0], channel="hotline")
    await russia.say(TEXTS[6], channel="hotline")
    await nato.hotline("hang_up")
    move = await nato.move("call", TEXTS[1])
    await f.ok(
        "/adjudications",
        {
            "move_seq": move["seq"],
            "decision": "accept",
            "outcome": TEXTS[2],
            "escalation_change": -1,
        },
    )
    await f.ok("/escalation", {"change": 1, "reason": TEXTS[3]})
    await f.ok("/notes", {"text": "SECRET NOTE " + TEXTS[4]})
    for i, text in enumerate(TEXTS[:4]):
        author = nato if i % 2 else russia
        rec = await author.ok(
            "/recommendations",
            {
                "client_id": f"r{i}",
                "title": f"Idea of {PEOPLE[i][1]}",
                "text": text,
                "category": "quality_of_dialogue",
                "tier": "basic",
            },
        )
        await (russia if i % 2 else nato).post(f"/recommendations/{rec['seq']}/endorse", {})
        await f.ok(f"/recommendations/{rec['seq']}", {"action": "accept"})
    await f.ok("/review/summary", {"text": f"{TEXTS[5]}\n\n{TEXTS[7]}"})
    await f.ok("/review/phases", {"phase": "incident", "why": TEXTS[9], "next_time": TEXTS[10]})
    await f.ok("/review/objectives", {"objective": "hotline", "rating": "S", "note": TEXTS[0]})
    await run.control("end")
    return people


async def fetch(person: Person, path: str = "/export", **params: Any) -> bytes:
    response = await person.get(path, **params)
    assert response.status_code == 200, (params, response.text)
    return response.content
