"""Creating runs, joining them, and telling who holds a token."""

from __future__ import annotations

import asyncio
import unicodedata
from collections import OrderedDict
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Literal

from pydantic import AfterValidator, StrictBool, StringConstraints
from sqlalchemy import func, insert, select

from app.auth import tokens
from app.auth.viewer import Role, Viewer
from app.errors import Conflict, Forbidden, Invalid, NotFound, Unauthorized
from app.events.record import ALL, Draft, utc_text
from app.events.store import Store
from app.events.writer import Tx
from app.fields import Clean, Id, visible
from app.runs.commands import Body
from app.runs.models import JoinCode, Participant, ParticipantToken, Run
from app.runs.state import RunState, RunStatus
from app.scenarios.models import OBSERVERS, WHITE_CELL, Scenario

participant_table = Participant.__table__  # type: ignore[attr-defined]
token_table = ParticipantToken.__table__  # type: ignore[attr-defined]
run_table = Run.__table__  # type: ignore[attr-defined]
code_table = JoinCode.__table__  # type: ignore[attr-defined]


def _clean_name(value: str) -> str:
    if any(unicodedata.category(ch).startswith("C") for ch in value):
        raise ValueError("a name cannot contain control characters")
    if not visible(value):
        raise ValueError("a name must contain something visible")
    return " ".join(value.split())


DisplayName = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=80),
    AfterValidator(_clean_name),
]


class RunCreate(Body):
    scenario: Id
    title: Annotated[str, StringConstraints(max_length=300), Clean] | None = None
    auto_advance: StrictBool | None = None


class JoinIn(Body):
    code: Annotated[str, StringConstraints(min_length=4, max_length=32)]
    name: DisplayName
    language: Literal["en", "ru"] = "en"
    role: Literal["player", "team_lead"] | None = None


@dataclass(frozen=True)
class Created:
    id: str
    facilitator_token: str
    join_codes: dict[str, str]


@dataclass(frozen=True)
class Joined:
    run_id: str
    participant_id: str
    token: str
    team: str
    role: Role
    name: str
    rejoined: bool


def _now() -> datetime:
    return datetime.now(UTC)


@dataclass
class CreateRunJob:
    run_id: str
    scenario: Scenario
    title: str
    token_hash: str
    join_codes: dict[str, str]
    auto_advance: bool

    def execute(self, tx: Tx) -> None:
        start = self.scenario.level_index(self.scenario.escalation.start)
        tx.conn.execute(
            insert(run_table).values(
                id=self.run_id,
                scenario_id=self.scenario.id,
                scenario_version=self.scenario.metadata.version,
                title=self.title,
                scenario=self.scenario.model_dump_json(by_alias=True),
                facilitator_token_hash=self.token_hash,
                status=RunStatus.lobby.value,
                last_seq=0,
                state=RunState().model_dump_json(),
                created_at=_now(),
            )
        )
        tx.conn.execute(
            insert(code_table),
            [
                {"code": code, "run_id": self.run_id, "team": team}
                for team, code in self.join_codes.items()
            ],
        )
        tx.adopt(self.run_id, RunState(), self.scenario)
        payload = {
            "scenario_id": self.scenario.id,
            "scenario_version": self.scenario.metadata.version,
            "title": self.title,
            "escalation": start,
            "auto_advance": self.auto_advance,
        }
        tx.append(self.run_id, [Draft("run.created", (ALL,), payload)], _now().timestamp())


async def create_run(
    store: Store, scenario: Scenario, body: RunCreate, default_auto_advance: bool
) -> Created:
    token = tokens.new_token()
    codes: dict[str, str] = {}
    for team in [*scenario.team_ids, OBSERVERS, WHITE_CELL]:
        code = tokens.new_join_code()
        while code in codes.values():
            code = tokens.new_join_code()
        codes[team] = code
    run_id = tokens.new_id(length=10)
    auto = default_auto_advance if body.auto_advance is None else body.auto_advance
    title = body.title or scenario.metadata.title.en
    # codes are unique across runs (a primary key); a clash with another run's is one in 10^11
    await store.submit(CreateRunJob(run_id, scenario, title, tokens.hash_token(token), codes, auto))
    return Created(run_id, token, codes)


def name_key(name: str) -> str:
    return " ".join(name.casefold().split())


@dataclass
class JoinJob:
    """Join by code. With `run_id` set (POST /api/runs/{id}/join) the code must belong to that
    run; with `run_id=""` (POST /api/join) the code alone finds the run."""

    run_id: str
    body: JoinIn

    def execute(self, tx: Tx) -> Joined:
        given = tokens.normalise_code(self.body.code)
        row = tx.conn.execute(select(code_table).where(code_table.c.code == given)).first()
        if row is None or (self.run_id and row.run_id != self.run_id):
            where = "this run" if self.run_id else "any run on this server"
            raise NotFound(
                f"this join code does not belong to {where}; check it with your facilitator",
                field="code",
            )
        run_id, team = row.run_id, row.team
        locked = tx.run(run_id)
        if locked.state.status is RunStatus.ended:
            raise Conflict(
                "the run has ended; ask the facilitator for the after-action review",
                code="wrong_state",
                status=RunStatus.ended.value,
            )
        role = {WHITE_CELL: Role.facilitator, OBSERVERS: Role.observer}.get(team) or Role(
            self.body.role or "player"
        )
        if self.body.role and team in (WHITE_CELL, OBSERVERS):
            raise Invalid(f"the {team} code does not take a role", field="role")
        token = tokens.new_token()
        now = _now()
        rows = tx.conn.execute(
            select(
                participant_table.c.id, participant_table.c.display_name, participant_table.c.role
            ).where(participant_table.c.run_id == run_id, participant_table.c.team == team)
        ).all()
        same = next(
            (row for row in rows if name_key(row.display_name) == name_key(self.body.name)), None
        )
        if same is not None:  # the same person on another device, or after closing the tab
            tx.conn.execute(
                insert(token_table).values(
                    token_hash=tokens.hash_token(token), participant_id=same.id, created_at=now
                )
            )
            return Joined(
                run_id, same.id, token, team, Role(same.role), same.display_name, rejoined=True
            )
        participant_id = tokens.new_id("p", 10)
        tx.conn.execute(
            insert(participant_table).values(
                id=participant_id,
                run_id=run_id,
                team=team,
                role=role.value,
                display_name=self.body.name,
                language=self.body.language,
                created_at=now,
            )
        )
        tx.conn.execute(
            insert(token_table).values(
                token_hash=tokens.hash_token(token), participant_id=participant_id, created_at=now
            )
        )
        payload = {
            "participant_id": participant_id,
            "name": self.body.name,
            "role": role.value,
            "language": self.body.language,
        }
        tx.append(
            run_id,
            [Draft("participant.joined", (ALL,), payload, team=team, actor=participant_id)],
            now.timestamp(),
        )
        return Joined(run_id, participant_id, token, team, role, self.body.name, rejoined=False)


class TokenResolver:
    """Bearer token -> Viewer, with a bounded cache (tokens never change once issued)."""

    def __init__(self, store: Store, size: int = 20_000) -> None:
        self.store = store
        self.size = size
        self._cache: OrderedDict[str, Viewer] = OrderedDict()

    async def viewer(self, run_id: str, token: str | None) -> Viewer:
        if not token:
            raise Unauthorized("this needs a token: 'Authorization: Bearer <token>'")
        digest = tokens.hash_token(token)
        viewer = self._cache.get(digest)
        if viewer is None:
            viewer = await self.store_lookup(digest)
            if viewer is None:
                raise Unauthorized("unknown token; join the run again to get a new one")
            self._cache[digest] = viewer
            if len(self._cache) > self.size:
                self._cache.popitem(last=False)
        if viewer.run_id != run_id:
            raise Forbidden("this token belongs to another run")
        return viewer

    async def store_lookup(self, digest: str) -> Viewer | None:
        return await asyncio.to_thread(self._lookup, digest)

    def _lookup(self, digest: str) -> Viewer | None:
        with self.store.reader.connect() as conn:
            run_id = conn.execute(
                select(run_table.c.id).where(run_table.c.facilitator_token_hash == digest)
            ).scalar()
            if run_id is not None:
                return Viewer(run_id=run_id, team=WHITE_CELL, role=Role.facilitator)
            row = conn.execute(
                select(participant_table)
                .join(token_table, token_table.c.participant_id == participant_table.c.id)
                .where(token_table.c.token_hash == digest)
            ).first()
        if row is None:
            return None
        return Viewer(
            run_id=row.run_id,
            team=row.team,
            role=Role(row.role),
            participant_id=row.id,
            name=row.display_name,
        )


async def list_runs(store: Store) -> list[dict[str, object]]:
    def _list() -> list[dict[str, object]]:
        query = (
            select(
                run_table.c.id,
                run_table.c.title,
                run_table.c.scenario_id,
                run_table.c.status,
                run_table.c.last_seq,
                run_table.c.created_at,
                select(func.count())
                .where(participant_table.c.run_id == run_table.c.id)
                .scalar_subquery()
                .label("participants"),
            )
            .order_by(run_table.c.created_at.desc())
            .limit(500)
        )
        with store.reader.connect() as conn:
            rows = [dict(row._mapping) for row in conn.execute(query)]
        for row in rows:
            row["created_at"] = utc_text(row["created_at"])
        return rows

    return await asyncio.to_thread(_list)
