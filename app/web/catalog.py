"""Keeping the translation catalogue in step with the code (`ttx i18n`; see docs/translating.md).

`extract` rewrites messages.pot from templates, scripts and Python; `update` merges it into
each language's .po (new messages appear untranslated, removed ones become obsolete)."""

from __future__ import annotations

from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

from app.web.i18n import DEFAULT, LANGUAGES, LOCALES

ROOT = Path(__file__).resolve().parent.parent.parent
METHODS = [
    ("app/**.py", "python"),
    ("frontend/templates/**.html", "jinja2"),
    ("frontend/static/js/**.js", "javascript"),
]


def extract() -> Catalog:
    """Every `_()` message in the interface, as a template catalogue."""
    catalog = Catalog(project="ttx", charset="utf-8")
    for filename, lineno, message, comments, context in extract_from_dir(
        str(ROOT), METHODS, keywords={"_": None}, comment_tags=("Translators:",)
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def po_path(lang: str) -> Path:
    return LOCALES / lang / "LC_MESSAGES" / "messages.po"


def update() -> dict[str, int]:
    """Merge the extracted messages into every translation; returns untranslated counts."""
    template = extract()
    missing = {}
    for lang in LANGUAGES:
        if lang == DEFAULT:
            continue
        path = po_path(lang)
        with path.open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        catalog.update(template, no_fuzzy_matching=True)
        with path.open("wb") as handle:
            write_po(
                handle,
                catalog,
                width=100,
                omit_header=False,
                sort_output=True,
                include_lineno=False,
                ignore_obsolete=True,
            )
        missing[lang] = sum(1 for m in catalog if m.id and not m.string)
    return missing


def check() -> list[str]:
    """What is out of step: messages missing from, untranslated in, or obsolete in a .po."""
    wanted = {m.id for m in extract() if m.id}
    problems = []
    for lang in LANGUAGES:
        if lang == DEFAULT:
            continue
        with po_path(lang).open("rb") as handle:
            catalog = read_po(handle, locale=lang)
        have = {m.id: m for m in catalog if m.id}
        problems += [f"{lang}: missing {msgid!r}" for msgid in sorted(wanted - set(have))]
        problems += [f"{lang}: obsolete {msgid!r}" for msgid in sorted(set(have) - wanted)]
        problems += [
            f"{lang}: untranslated {m.id!r}" for m in have.values() if not m.string or m.fuzzy
        ]
    return problems
