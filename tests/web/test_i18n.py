"""The interface in English and Russian from one maintained catalogue."""

from __future__ import annotations

import httpx

from app.web import catalog, i18n
from tests.support.client import Run


def test_the_russian_catalogue_is_complete_and_current():
    assert catalog.check() == [], "run `ttx i18n` and translate what it lists"


def test_translations_and_placeholders():
    ru = i18n.translations("ru")
    assert ru.gettext("Incoming") == "Входящие"
    assert i18n.translations("en").gettext("Incoming") == "Incoming"
    for msgid, text in i18n.script_catalog("ru").items():
        placeholders = {part.split("}")[0] for part in msgid.split("{")[1:]}
        assert placeholders == {part.split("}")[0] for part in text.split("{")[1:]}, msgid


async def test_pages_speak_the_chosen_language(http: httpx.AsyncClient):
    english = await http.get("/")
    assert english.status_code == 200 and "Scenario library" in english.text
    russian = await http.get("/?lang=ru")
    assert "Библиотека сценариев" in russian.text and russian.cookies.get("ttx_lang") == "ru"
    assert "Библиотека сценариев" in (await http.get("/")).text  # the cookie remembers the choice
    http.cookies.clear()
    browser = await http.get("/", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.8"})
    assert '<html lang="ru">' in browser.text
    scripts = (await http.get("/i18n/ru.json")).json()
    assert scripts["Hang up"] == "Положить трубку"
    assert (await http.get("/i18n/fr.json")).status_code == 404


async def test_pages_have_no_inline_script(http: httpx.AsyncClient, run: Run):
    pages = ["/", "/join", "/runs/x/room"]  # the last: the page for an unknown run
    pages += [f"/runs/{run.id}/{page}" for page in ("console", "room", "review")]
    for path in pages:
        response = await http.get(path)
        assert response.status_code == (404 if "/x/" in path else 200), path
        html = response.text
        assert "<script>" not in html and "onclick=" not in html and "style=" not in html, path
