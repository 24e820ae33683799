"""Pages that work with no internet: the API explorer, join-link QR codes, and a page for a
mistyped address."""

from __future__ import annotations

import re

import httpx

HTML = {"Accept": "text/html,application/xhtml+xml"}


async def test_the_api_explorer_is_served_from_this_server(http: httpx.AsyncClient):
    page = await http.get("/docs")
    assert page.status_code == 200
    sources = re.findall(r'(?:src|href)="([^"]+)"', page.text)
    assert sources and all(s.startswith("/") for s in sources), sources  # nothing from a CDN
    assert "<script>" not in page.text  # the CSP forbids inline script; init is a file
    for source in sources:
        assert (await http.get(source)).status_code == 200, source
    assert (await http.get("/redoc", headers=HTML)).status_code == 404
    assert (await http.get("/openapi.json")).json()["info"]["title"] == "ttx"


async def test_a_join_link_as_a_qr_code(http: httpx.AsyncClient):
    answer = await http.get("/qr.svg", params={"text": "http://10.0.0.5:8000/join?code=KYPGFUAX"})
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "image/svg+xml"
    assert answer.text.startswith("<svg") and "<script" not in answer.text
    assert (await http.get("/qr.svg", params={"text": "x" * 501})).status_code == 422


async def test_a_mistyped_address_gets_a_page_and_the_api_its_json(http: httpx.AsyncClient):
    page = await http.get("/runs/x/consol", headers=HTML)
    assert page.status_code == 404 and "text/html" in page.headers["content-type"]
    assert "There is no page at this address" in page.text and 'href="/"' in page.text
    russian = await http.get("/nowhere?lang=ru", headers=HTML)
    assert "Страница не найдена" in russian.text
    for path, headers in (("/api/nowhere", HTML), ("/nowhere", {"Accept": "application/json"})):
        answer = await http.get(path, headers=headers)
        assert answer.status_code == 404
        assert answer.json()["error"]["code"] == "not_found"
