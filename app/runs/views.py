"""The run API. Routes are thin: parse, authorise, hand a command to the store, answer."""

from __future__ import annotations

import asyncio
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, status
from fastapi.responses import JSONResponse
from pydantic import Field, ValidationError
from sqlalchemy import select

from app.auth.deps import FacilitatorKey, RunFacilitator, RunId, RunViewer
from app.auth.viewer import Viewer
from app.channels.commands import HotlineAction, SendMessage
from app.errors import Invalid, NotFound, Problem, field_path
from app.events.visibility import can_see
from app.events.writer import Appended
from app.fields import MAX_SEQ, Id
from app.injects.commands import AdhocInject, FireInject
from app.moves.commands import Adjudicate, SubmitMove
from app.realtime.presence import connected_participants
from app.runs import service
from app.runs.commands import AckComcheck, AddNote, Body, Control, SendComcheck, SetEscalation
from app.runs.context import Command
from app.runs.models import Participant
from app.runs.present import run_view, scenario_view
from app.runs.state import RunState
from app.scenarios.models import Channel, ObserverAccess, Text
from app.scenarios.references import suggest
from app.services import Services, ServicesDep

router = APIRouter(prefix="/api/runs", tags=["runs"])
join_router = APIRouter()
Event = dict[str, Any]


def written(appended: Appended, viewer: Viewer) -> JSONResponse:
    """201 with the (first) event; 200 with the original one when the write was a retry. The
    other events the write made are listed only as far as the writer may see them (a held
    hotline message's companion is for the white cell); the stream brings the rest."""
    first, *rest = appended.events
    body = first.public()
    shown = [record.public() for record in rest if can_see(record, viewer, ObserverAccess.public)]
    if shown:
        body["also"] = shown
    return JSONResponse(
        body, status_code=status.HTTP_200_OK if appended.replayed else status.HTTP_201_CREATED
    )


async def execute(
    services: Services, run_id: str, command: Command, viewer: Viewer
) -> JSONResponse:
    return written(await services.store.execute(run_id, command, viewer), viewer)


async def limited(services: Services, viewer: Viewer, command: Command) -> JSONResponse:
    """A participant's write under the rate limit. A retry of a committed write is never
    limited and never counted: it appends nothing and gets its first answer again."""
    who = viewer.participant_id
    if not who or viewer.is_white_cell:
        return await execute(services, viewer.run_id, command, viewer)
    if not await services.limiter.allows(who):
        key = command.idem_key(viewer, RunState())
        if key is None or await services.store.keyed(viewer.run_id, key) is None:
            await services.limiter.refuse(who)
    try:
        appended = await services.store.execute(viewer.run_id, command, viewer)
    except Problem:
        await services.limiter.count(who)
        raise
    if not appended.replayed:
        await services.limiter.count(who)
    return written(appended, viewer)


@router.post("", status_code=201, summary="Create a run of a scenario (facilitator key)")
async def create_run(
    body: service.RunCreate, services: ServicesDep, _key: FacilitatorKey
) -> dict[str, Any]:
    scenario = services.library.get(body.scenario)
    if scenario is None:
        known = list(services.library.scenarios)
        raise NotFound(
            f"no scenario '{body.scenario}'{suggest(body.scenario, known)}", field="scenario"
        )
    created = await service.create_run(
        services.store, scenario, body, services.settings.auto_advance_phases
    )
    return {
        "id": created.id,
        "facilitator_token": created.facilitator_token,
        "join_codes": created.join_codes,
    }


@router.get("", summary="List runs (facilitator key)")
async def list_runs(services: ServicesDep, _key: FacilitatorKey) -> dict[str, Any]:
    return {"runs": await service.list_runs(services.store)}


async def _join(
    run_id: str, body: service.JoinIn, request: Request, services: Services
) -> JSONResponse:
    address = request.client.host if request.client else "unknown"
    await services.limiter.check_joins(address)
    try:
        joined: service.Joined = await services.store.submit(service.JoinJob(run_id, body))
    except NotFound:
        await services.limiter.wrong_code(address)
        raise
    payload = {
        "run_id": joined.run_id,
        "participant_id": joined.participant_id,
        "token": joined.token,
        "team": joined.team,
        "role": joined.role.value,
        "name": joined.name,
        "rejoined": joined.rejoined,
    }
    return JSONResponse(payload, status_code=200 if joined.rejoined else 201)


@join_router.post(
    "/api/join", status_code=201, tags=["runs"], summary="Join whichever run a join code belongs to"
)
async def join_by_code(
    body: service.JoinIn, request: Request, services: ServicesDep
) -> JSONResponse:
    return await _join("", body, request, services)


@router.post("/{run_id}/join", status_code=201, summary="Join a run with a join code")
async def join(
    run_id: RunId, body: service.JoinIn, request: Request, services: ServicesDep
) -> JSONResponse:
    return await _join(run_id, body, request, services)


@router.get("/{run_id}", summary="The run's state as the caller may see it")
async def get_run(viewer: RunViewer, services: ServicesDep) -> dict[str, Any]:
    return run_view(await services.store.snapshot(viewer.run_id), viewer)


@router.get("/{run_id}/scenario", summary="The scenario as the caller may read it")
async def get_scenario(viewer: RunViewer, services: ServicesDep) -> dict[str, Any]:
    return scenario_view(await services.store.scenario_of(viewer.run_id), viewer)


@router.get("/{run_id}/events", summary="Events after a seq, as the caller may see them")
async def events(
    viewer: RunViewer,
    services: ServicesDep,
    after: Annotated[
        int, Query(ge=0, le=MAX_SEQ, description="Return events with seq > after.")
    ] = 0,
    limit: Annotated[int, Query(ge=1, le=1000)] = 1000,
) -> dict[str, Any]:
    scenario = await services.store.scenario_of(viewer.run_id)
    access = scenario.rules.observers
    visible: list[Event] = []
    cursor = after
    while len(visible) < limit:  # read past what the caller may not see, up to `limit` visible
        page = await services.store.events_after(viewer.run_id, cursor, 1000)
        if not page:
            break
        for record in page:
            cursor = record.seq
            if can_see(record, viewer, access):
                visible.append(record.public())
                if len(visible) == limit:
                    break
    return {"events": visible, "next_after": cursor, "more": len(visible) == limit}


@router.get(
    "/{run_id}/participants",
    summary="Who is in the run (and, for the white cell, who is connected)",
)
async def participants(viewer: RunViewer, services: ServicesDep) -> dict[str, Any]:
    table = Participant.__table__  # type: ignore[attr-defined]

    def _read() -> list[dict[str, Any]]:
        query = select(table).where(table.c.run_id == viewer.run_id).order_by(table.c.created_at)
        with services.reader.connect() as conn:
            return [dict(row._mapping) for row in conn.execute(query)]

    rows = await asyncio.to_thread(_read)
    online = (
        await connected_participants(services, viewer.run_id) if viewer.is_white_cell else set()
    )
    people = []
    for row in rows:
        person = {
            "id": row["id"],
            "name": row["display_name"],
            "team": row["team"],
            "role": row["role"],
        }
        if viewer.is_white_cell:
            person |= {"language": row["language"], "connected": row["id"] in online}
        people.append(person)
    return {"participants": people}


@router.post("/{run_id}/control", summary="start | pause | resume | end | next_phase (facilitator)")
async def control(body: Control, viewer: RunFacilitator, services: ServicesDep) -> dict[str, Any]:
    await services.store.execute(viewer.run_id, body, viewer)
    return run_view(await services.store.snapshot(viewer.run_id), viewer)


class InjectIn(Body):
    """Either `{"inject": id}` to fire a scripted inject now, or an ad-hoc inject written live:
    `title`, `body`, `audience` ("all" or team ids), `channel`, `from`."""

    inject: Id | None = Field(None, description="A scripted inject of the scenario, fired now.")
    title: Text | None = None
    body: Text | None = None
    audience: list[Id] | Id | None = Field(None, description="'all' or a list of team ids.")
    channel: Channel | None = None
    from_: Text | None = Field(None, alias="from")

    def command(self) -> Command:
        adhoc = {name for name in self.model_fields_set if name != "inject"}
        if self.inject is not None:
            if adhoc:
                fields = ", ".join(sorted("from" if n == "from_" else n for n in adhoc))
                raise Invalid(
                    f"give either 'inject' (a scripted inject) or an ad-hoc inject, not both ({fields})",
                    field="inject",
                )
            return FireInject(inject=self.inject)
        for name in ("title", "body", "audience"):
            if getattr(self, name) is None:
                raise Invalid(f"'{name}' is required for an ad-hoc inject", field=name)
        try:
            return AdhocInject.model_validate(self.model_dump(by_alias=True, exclude_none=True))
        except ValidationError as exc:
            error = exc.errors()[0]
            raise Invalid(error["msg"], field=field_path(("body", *error["loc"]))) from None


@router.post(
    "/{run_id}/injects",
    status_code=201,
    summary="Fire a scripted inject or send an ad-hoc one (facilitator)",
)
async def inject(body: InjectIn, viewer: RunFacilitator, services: ServicesDep) -> JSONResponse:
    return await execute(services, viewer.run_id, body.command(), viewer)


@router.post("/{run_id}/moves", status_code=201, summary="Submit a team's move")
async def move(body: SubmitMove, viewer: RunViewer, services: ServicesDep) -> JSONResponse:
    return await limited(services, viewer, body)


@router.post(
    "/{run_id}/messages", status_code=201, summary="Post to the team channel, plenary or hotline"
)
async def message(body: SendMessage, viewer: RunViewer, services: ServicesDep) -> JSONResponse:
    return await limited(services, viewer, body)


@router.post("/{run_id}/adjudications", status_code=201, summary="Rule on a move (facilitator)")
async def adjudicate(
    body: Adjudicate, viewer: RunFacilitator, services: ServicesDep
) -> JSONResponse:
    return await execute(services, viewer.run_id, body, viewer)


@router.post(
    "/{run_id}/escalation", status_code=201, summary="Set the escalation level (facilitator)"
)
async def escalation(
    body: SetEscalation, viewer: RunFacilitator, services: ServicesDep
) -> JSONResponse:
    return await execute(services, viewer.run_id, body, viewer)


@router.post(
    "/{run_id}/hotline",
    status_code=201,
    summary="call | answer | hang_up; cut | restore | delay (facilitator)",
)
async def hotline(body: HotlineAction, viewer: RunViewer, services: ServicesDep) -> JSONResponse:
    return await limited(services, viewer, body)


@router.post("/{run_id}/notes", status_code=201, summary="Add a facilitator note (white cell only)")
async def note(body: AddNote, viewer: RunFacilitator, services: ServicesDep) -> JSONResponse:
    return await execute(services, viewer.run_id, body, viewer)


@router.post(
    "/{run_id}/comcheck", status_code=201, summary="Send a communications check (facilitator)"
)
async def comcheck(
    body: SendComcheck, viewer: RunFacilitator, services: ServicesDep
) -> JSONResponse:
    return await execute(services, viewer.run_id, body, viewer)


@router.post("/{run_id}/comcheck/ack", status_code=201, summary="Acknowledge the comcheck")
async def comcheck_ack(
    viewer: RunViewer, services: ServicesDep, body: AckComcheck | None = None
) -> JSONResponse:
    """No body acknowledges the latest comcheck."""
    return await execute(services, viewer.run_id, body or AckComcheck(), viewer)
