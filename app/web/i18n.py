"""The interface in English and Russian: one gettext catalogue (Babel), used by the templates
and, as JSON, by the page scripts. English is the source language; `ru` is maintained in
app/web/locales/ru/LC_MESSAGES/messages.po (see docs/translating.md)."""

from __future__ import annotations

import gettext
import io
from functools import lru_cache
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from starlette.requests import Request

LOCALES = Path(__file__).parent / "locales"
LANGUAGES = ("en", "ru")
DEFAULT = "en"
COOKIE = "ttx_lang"


@lru_cache
def translations(lang: str) -> gettext.NullTranslations:
    """Compiled in memory from the .po file: the catalogue needs no build step."""
    po = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT or not po.exists():
        return gettext.NullTranslations()
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    buffer.seek(0)
    return gettext.GNUTranslations(buffer)


@lru_cache
def script_catalog(lang: str) -> dict[str, str]:
    """msgid -> translation, for the page scripts' `_()`."""
    po = LOCALES / lang / "LC_MESSAGES" / "messages.po"
    if lang == DEFAULT or not po.exists():
        return {}
    with po.open("rb") as handle:
        catalog = read_po(handle, locale=lang)
    return {str(m.id): str(m.string) for m in catalog if m.id and m.string and not m.fuzzy}


def pick_language(request: Request) -> str:
    """?lang=, else the cookie, else the browser's Accept-Language, else English."""
    asked = request.query_params.get("lang") or request.cookies.get(COOKIE)
    if asked in LANGUAGES:
        return asked
    for part in request.headers.get("accept-language", "").split(","):
        code = part.split(";")[0].strip().lower()[:2]
        if code in LANGUAGES:
            return code
    return DEFAULT
