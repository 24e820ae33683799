"""Talking: the team's private channel, the plenary, and the hotline between the two sides."""

from __future__ import annotations

from typing import Annotated, ClassVar, Literal

from pydantic import Field, StringConstraints

from app.auth.viewer import Viewer
from app.errors import Conflict, Forbidden, Invalid
from app.events.record import ALL, WHITE_CELL_ONLY, Draft, EventRecord
from app.fields import Clean, Id
from app.runs.commands import Body, ClientId, held_lost
from app.runs.context import (
    ClientIdempotency,
    Context,
    not_ended,
    player,
    require_status,
    white_cell,
)
from app.runs.state import RunState, RunStatus
from app.scenarios.references import suggest


def _hotline_end(viewer: Viewer, ctx: Context) -> tuple[str, str]:
    """(this end, the other end) for a member of one of the hotline's two teams."""
    first, second = ctx.scenario.hotline_teams
    if viewer.team not in (first, second):
        raise Forbidden(
            f"the hotline joins '{first}' and '{second}'; team '{viewer.team}' is not on it"
        )
    return (first, second) if viewer.team == first else (second, first)


class SendMessage(ClientIdempotency, Body):
    kinds: ClassVar[frozenset[str]] = frozenset({"message.sent"})
    echoed: ClassVar[tuple[str, ...]] = ("channel", "text")

    client_id: ClientId
    channel: Literal["team", "plenary", "hotline"]
    text: Annotated[str, StringConstraints(min_length=1, max_length=4000), Clean]
    team: Id | None = Field(None, description="White cell only: the team channel to write into.")

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        viewer = ctx.viewer
        if viewer is None:
            raise Forbidden("messages need a sender")
        not_ended(state, "send a message")
        if viewer.is_white_cell:
            return [self._from_white_cell(viewer, ctx)]
        player(ctx, "send messages")
        if self.team is not None and self.team != viewer.team:
            raise Forbidden("you can only write in your own team's channel", field="team")
        payload: dict[str, object] = {"channel": self.channel, "text": self.text}
        if self.channel == "team":
            audience: tuple[str, ...] = (viewer.team,)
        elif self.channel == "plenary":
            audience = (ALL,)
        else:
            here, there = _hotline_end(viewer, ctx)
            if state.hotline.status == "cut":
                raise Conflict("the hotline is cut", field="channel", code="hotline_cut")
            if state.hotline.status != "connected":
                raise Conflict(
                    f"the hotline is not connected (it is {state.hotline.status}); call first",
                    field="channel",
                    code="hotline_not_connected",
                )
            payload["to"] = there
            if state.hotline.delay_seconds:
                # The sender must not learn of the delay: the message is theirs alone for now,
                # and only the white cell sees that (and until when) it is held back.
                held = {"to": there, "text": self.text}
                held["deliver_at"] = round(ctx.now + state.hotline.delay_seconds, 3)
                return [
                    Draft("message.sent", (here,), payload, team=viewer.team, actor=viewer.actor),
                    Draft(
                        "hotline.held", WHITE_CELL_ONLY, held, team=viewer.team, actor=viewer.actor
                    ),
                ]
            audience = (here, there)
        return [Draft("message.sent", audience, payload, team=viewer.team, actor=viewer.actor)]

    def _from_white_cell(self, viewer: Viewer, ctx: Context) -> Draft:
        payload: dict[str, object] = {"channel": self.channel, "text": self.text}
        if self.channel == "hotline":
            raise Forbidden("the white cell does not speak on the hotline", field="channel")
        if self.channel == "plenary":
            return Draft("message.sent", (ALL,), payload, team=viewer.team, actor=viewer.actor)
        teams = ctx.scenario.team_ids
        if self.team not in teams:
            raise Invalid(
                f"say which team's channel to write into: one of {', '.join(teams)}"
                + (suggest(self.team, teams) if self.team else ""),
                field="team",
            )
        payload["to"] = self.team
        return Draft("message.sent", (self.team,), payload, team=viewer.team, actor=viewer.actor)


HotlineVerb = Literal["call", "answer", "hang_up", "cut", "restore", "delay"]
HOTLINE_KINDS = {
    "call": "hotline.call_placed",
    "answer": "hotline.answered",
    "hang_up": "hotline.hung_up",
    "cut": "hotline.cut",
    "restore": "hotline.restored",
    "delay": "hotline.delay_set",
}


class HotlineAction(ClientIdempotency, Body):
    """Call, answer, hang up (teams); cut, restore, delay (white cell, to degrade the line)."""

    action: HotlineVerb
    client_id: ClientId | None = None  # type: ignore[assignment]
    seconds: int | None = Field(None, ge=0, le=600, strict=True, description="For 'delay'.")

    def idem_key(self, viewer: Viewer | None, state: RunState) -> str | None:
        return super().idem_key(viewer, state) if self.client_id else None

    def replays(self, first: EventRecord) -> bool:
        return first.kind == HOTLINE_KINDS[self.action]

    def decide(self, state: RunState, ctx: Context) -> list[Draft]:
        if self.action in ("cut", "restore", "delay"):
            return self._white_cell(state, ctx)
        viewer = player(ctx, "use the hotline")
        here, there = _hotline_end(viewer, ctx)
        line = state.hotline
        both = tuple(sorted((here, there)))
        actor = {"team": viewer.team, "actor": viewer.actor}
        if self.action == "call":
            require_status(state, {RunStatus.running}, "place a hotline call")
            if line.status == "cut":
                raise Conflict("cannot call: the line is cut", code="hotline_cut")
            if line.status != "idle":
                raise Conflict(f"cannot call: the line is {line.status}", code="hotline_busy")
            return [Draft("hotline.call_placed", both, {"from": here, "to": there}, **actor)]
        if self.action == "answer":
            require_status(state, {RunStatus.running}, "answer the hotline")
            if line.status != "ringing" or line.caller == here:
                raise Conflict("there is no incoming call to answer", code="no_call")
            waited = round(ctx.now - (line.since or ctx.now), 3)
            return [
                Draft(
                    "hotline.answered",
                    both,
                    {"call_seq": line.call_seq, "ring_seconds": waited},
                    **actor,
                )
            ]
        if line.status not in ("ringing", "connected"):
            raise Conflict(
                f"there is no call to hang up (the line is {line.status})", code="no_call"
            )
        payload = {"call_seq": line.call_seq, "was": line.status}
        if line.status == "connected":
            payload["talk_seconds"] = round(ctx.now - (line.since or ctx.now), 3)
        return [Draft("hotline.hung_up", both, payload, **actor)]

    def _white_cell(self, state: RunState, ctx: Context) -> list[Draft]:
        viewer = white_cell(ctx)
        not_ended(state, "change the hotline")
        both = tuple(sorted(ctx.scenario.hotline_teams))
        actor = viewer and viewer.actor
        line = state.hotline
        if self.action == "delay":
            if self.seconds is None:
                raise Invalid("'seconds' is required for a delay (0 removes it)", field="seconds")
            return [
                Draft("hotline.delay_set", WHITE_CELL_ONLY, {"seconds": self.seconds}, actor=actor)
            ]
        if self.action == "cut":
            if line.status == "cut":
                raise Conflict("the line is already cut", code="hotline_cut")
            payload = {"was": line.status, "call_seq": line.call_seq}
            if line.status == "connected":
                payload["talk_seconds"] = round(ctx.now - (line.since or ctx.now), 3)
            return [Draft("hotline.cut", both, payload, actor=actor), *held_lost(state, "cut")]
        if line.status != "cut":
            raise Conflict("the line is not cut", code="hotline_not_cut")
        cut_seconds = round(ctx.now - (line.since or ctx.now), 3)
        return [Draft("hotline.restored", both, {"cut_seconds": cut_seconds}, actor=actor)]
