"""Tokens are long random secrets, handed out once and stored only as hashes."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from app.auth import tokens
from tests.support.client import Run


def test_tokens_and_codes():
    assert len(tokens.new_token()) >= 43  # 256 bits, URL-safe
    assert tokens.new_token() != tokens.new_token()
    assert tokens.hash_token("x") == tokens.hash_token("x") != "x"
    code = tokens.new_join_code()
    assert len(code) == 8 and set(code) <= set(tokens.CODE_ALPHABET)
    assert tokens.normalise_code(f" {code[:4].lower()}-{code[4:]} ") == code


async def test_the_database_never_holds_a_token(run: Run, database_url: str):
    alice = await run.join("nato", "Alice")
    engine = create_engine(database_url)
    with engine.connect() as conn:
        dump = "\n".join(
            str(row)
            for table in ("run", "participant", "participant_token", "event")
            for row in conn.execute(text(f"SELECT * FROM {table}"))
        )
    engine.dispose()
    assert alice.token not in dump and run.facilitator_token not in dump
    assert (
        tokens.hash_token(alice.token) in dump and tokens.hash_token(run.facilitator_token) in dump
    )
