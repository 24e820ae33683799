"""Fan-out of committed events to this process's websocket clients.

A frame goes straight into each socket that can take it; a socket that cannot gets a bounded
backlog and its own sender task, so a slow client never holds back the others. Each event is
encoded once and the same frame goes to every client allowed to see it.
A client tracks the last seq it has handled; a notification that skips ahead (another process
published out of order, or the bus lost one) makes it re-read the log from that seq instead.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections import defaultdict, deque
from collections.abc import Callable, Coroutine, Generator, Iterator
from typing import Any

import structlog
from starlette.websockets import WebSocket, WebSocketState

from app.auth.viewer import Viewer
from app.events.record import EventRecord, dumps
from app.events.store import Store
from app.events.visibility import can_see, team_sees
from app.realtime.bus import Bus, MemoryBus
from app.scenarios.models import WHITE_CELL, ObserverAccess

log = structlog.get_logger(__name__)

_RESYNC, _OVERFLOW = object(), object()


class _Status(str):
    """A heartbeat or pong: its `last_seq` is read when it is sent, after every event queued
    before it, so it never reports less than the client has received."""


_HEARTBEAT, _PONG = _Status("heartbeat"), _Status("pong")
REPLAY_PAGE = 500
OVERFLOW_CLOSE = 4008  # the client fell behind: reconnect with your last seq


def event_frame(record: EventRecord) -> str:
    return dumps({"type": "event", "event": record.public()})


class _Unfinished:
    """A send that began outside the pump and had to wait for the socket: awaiting this in the
    pump finishes that very coroutine (what Python 3.12 calls eager task execution)."""

    def __init__(self, coroutine: Coroutine[Any, Any, Any], waiting_on: Any) -> None:
        self.coroutine, self.waiting_on = coroutine, waiting_on

    def __await__(self) -> Generator[Any, Any, None]:
        waiting_on = self.waiting_on
        while True:
            try:
                sent = yield waiting_on
            except BaseException as exc:  # the pump was cancelled, or the future failed
                try:
                    waiting_on = self.coroutine.throw(exc)
                except StopIteration:
                    return
            else:
                try:
                    waiting_on = self.coroutine.send(sent)
                except StopIteration:
                    return


class Client:
    """One websocket. Frames go out at once when the socket can take them, straight from the
    fan-out (no task switch per client, as in a broadcast loop); when it cannot, or while the
    log is being replayed, they wait in a bounded backlog that the client's pump, its only
    other writer, sends in order."""

    def __init__(
        self,
        websocket: WebSocket,
        viewer: Viewer,
        observers: ObserverAccess,
        store: Store,
        after_seq: int,
        queue_size: int,
        resync_grace: float,
    ) -> None:
        self.websocket = websocket
        self.viewer = viewer
        self.observers = observers
        self.store = store
        self.size = queue_size
        self.resync_grace = resync_grace  # seconds an overflowed client gets for its resync
        self.backlog: deque[Any] = deque()
        self.idle: asyncio.Future[None] | None = None  # set while the pump waits for work
        self.failed: BaseException | None = None  # a send that failed outside the pump
        self.cursor = after_seq  # last seq handled: sent, or skipped as not visible
        self.highest = after_seq  # highest seq announced while re-reading the log
        self.syncing = True  # the sender is reading the log; live events only raise `highest`
        self.overflowed = False
        self.pump_task: asyncio.Task[None] | None = None

    @property
    def run_id(self) -> str:
        return self.viewer.run_id

    def offer(self, seq: int, frame: str) -> None:
        """A committed event this client may see, in order (on the event loop; never blocks)."""
        if self.overflowed or seq <= self.cursor:
            return
        if self.syncing:
            self.highest = max(self.highest, seq)
            return
        self.cursor = seq
        self._put(frame)

    def send(self, frame: str) -> None:
        """A frame that is not an event (presence, pong, errors)."""
        self._put(frame)

    def heal(self) -> None:
        """The bus may have lost notifications: re-read the log from the cursor."""
        if not self.syncing and not self.overflowed:
            self.syncing = True
            self._put(_RESYNC)

    def heartbeat(self) -> None:
        if len(self.backlog) < self.size:
            self._put(_HEARTBEAT)

    def pong(self) -> None:
        self._put(_PONG)

    def _status(self, kind: _Status) -> str:
        return dumps({"type": str(kind), "last_seq": self.cursor})

    def _put(self, item: Any) -> None:
        if self.overflowed:
            return
        if self.idle is not None and isinstance(item, str):
            self._send_now(self._status(item) if isinstance(item, _Status) else item)
            return
        if len(self.backlog) >= self.size:
            self._overflow()
            return
        self.backlog.append(item)
        self._wake()

    def _send_now(self, frame: str) -> None:
        """Send outside the pump while it is idle. Almost always the socket takes the frame at
        once; if it must wait (its buffer is full), the pump finishes the send before anything
        else, so frames still go out in order."""
        coroutine = self.websocket.send_text(frame)
        try:
            waiting_on = coroutine.send(None)
        except StopIteration:
            return
        except Exception as exc:  # the socket is gone: the pump reports it and ends
            self.failed = exc
        else:
            self.backlog.appendleft(_Unfinished(coroutine, waiting_on))
        self._wake()

    def _wake(self) -> None:
        if self.idle is not None:
            if not self.idle.done():
                self.idle.set_result(None)
            self.idle = None

    def _overflow(self) -> None:
        log.info(
            "websocket client fell behind; telling it to resync",
            run_id=self.run_id,
            team=self.viewer.team,
        )
        self.overflowed = True
        unfinished = [item for item in self.backlog if isinstance(item, _Unfinished)]
        self.backlog = deque([*unfinished, _OVERFLOW])
        self._wake()
        # A client that reads nothing at all never lets the resync frame out: cut it loose.
        asyncio.get_running_loop().call_later(self.resync_grace, self._abandon)

    def _abandon(self) -> None:
        if self.pump_task is not None and not self.pump_task.done():
            self.pump_task.cancel()

    async def pump(self) -> None:
        """Replays the log, then sends what the socket could not take at once."""
        send = self.websocket.send_text
        await self._sync(send)
        loop = asyncio.get_running_loop()
        while True:
            if self.failed is not None:
                raise self.failed
            if not self.backlog:
                self.idle = loop.create_future()
                await self.idle
                continue
            item = self.backlog.popleft()
            if isinstance(item, _Unfinished):
                await item
            elif item is _RESYNC:
                await self._sync(send)
            elif isinstance(item, _Status):
                await send(self._status(item))
            elif item is _OVERFLOW:
                reason = "you fell behind; reconnect with your last seq"
                await send(dumps({"type": "resync", "reason": reason}))
                await self.websocket.close(OVERFLOW_CLOSE, "resync")
                return
            else:
                await send(item)

    async def _sync(self, send: Callable[[str], Any]) -> None:
        while True:
            events = await self.store.events_after(self.run_id, self.cursor, REPLAY_PAGE)
            for record in events:
                self.cursor = record.seq
                if can_see(record, self.viewer, self.observers):
                    await send(event_frame(record))
            if len(events) == REPLAY_PAGE or self.highest > self.cursor:
                continue
            self.syncing = False  # no await between the check and this: nothing slips through
            return


class Room:
    """The clients of one run in this process, by team. Events must arrive in seq order; one
    that skips ahead (another process published out of order, or the bus lost one) sends every
    client back to the log from its own cursor, so nothing is lost or sent twice."""

    def __init__(self, observers: ObserverAccess) -> None:
        self.observers = observers
        self.teams: dict[str, set[Client]] = defaultdict(set)
        self.last: int | None = None  # the last seq passed on, in order

    def __len__(self) -> int:
        return sum(len(clients) for clients in self.teams.values())

    def clients(self) -> Iterator[Client]:
        for clients in self.teams.values():
            yield from clients

    def publish(self, record: EventRecord, frame: str) -> None:
        if self.last is not None and record.seq <= self.last:
            return  # seen already (our own echo, or a replayed notification)
        if self.last is not None and record.seq > self.last + 1:
            self.last = record.seq
            for client in self.clients():
                client.heal()
            return
        self.last = record.seq
        for team, clients in self.teams.items():
            if clients and team_sees(record, team, self.observers):  # decided once per team
                for client in clients:
                    client.offer(record.seq, frame)


class Hub:
    def __init__(self, bus_factory: Callable[..., Bus], worker: str) -> None:
        self.worker = worker
        self.rooms: dict[str, Room] = {}
        self.bus = bus_factory(self._on_message, self.heal_all)
        self.shared = not isinstance(self.bus, MemoryBus)  # other processes to tell
        self._publisher: asyncio.Task[None] | None = None
        self._outbox: asyncio.Queue[tuple[str, str]] = asyncio.Queue()
        self._heartbeat: asyncio.Task[None] | None = None
        self.delivered = 0

    async def start(self, heartbeat_seconds: float = 25.0) -> None:
        await self.bus.connect()
        self._publisher = asyncio.create_task(self._publish_loop(), name="ttx-bus-publisher")
        self._heartbeat = asyncio.create_task(
            self._heartbeats(heartbeat_seconds), name="ttx-heartbeat"
        )

    async def stop(self) -> None:
        for task in (self._publisher, self._heartbeat):
            if task:
                task.cancel()
                with contextlib.suppress(asyncio.CancelledError):
                    await task
        for room in list(self.rooms.values()):
            for client in list(room.clients()):
                with contextlib.suppress(Exception):
                    if client.websocket.application_state is WebSocketState.CONNECTED:
                        await client.websocket.close(1001, "server shutting down")
        await self.bus.disconnect()

    async def join(self, client: Client) -> None:
        room = self.rooms.get(client.run_id)
        if room is None:
            room = self.rooms[client.run_id] = Room(client.observers)
        room.teams[client.viewer.team].add(client)
        if len(room) == 1:
            await self.bus.subscribe(_channel(client.run_id))

    async def leave(self, client: Client) -> None:
        room = self.rooms.get(client.run_id)
        if room is None:
            return
        room.teams[client.viewer.team].discard(client)
        if not len(room):
            del self.rooms[client.run_id]
            await self.bus.unsubscribe(_channel(client.run_id))

    # -- committed events -------------------------------------------------------------------

    def committed(self, records: list[EventRecord]) -> None:
        """The writer's hook: deliver locally now, and tell the other processes."""
        for record in records:
            frame = event_frame(record)
            self._deliver(record, frame)
            if self.shared:
                message = dumps(
                    {"o": self.worker, "t": "event", "r": record.run_id, "e": record.public()}
                )
                self._outbox.put_nowait((_channel(record.run_id), message))

    def presence(self, run_id: str, payload: dict[str, Any]) -> None:
        self._deliver_presence(run_id, payload)
        if self.shared:
            message = dumps({"o": self.worker, "t": "presence", "r": run_id, "p": payload})
            self._outbox.put_nowait((_channel(run_id), message))

    def _deliver(self, record: EventRecord, frame: str) -> None:
        room = self.rooms.get(record.run_id)
        if room is not None:
            room.publish(record, frame)
        self.delivered += 1

    def _deliver_presence(self, run_id: str, payload: dict[str, Any]) -> None:
        room = self.rooms.get(run_id)
        if room is None:
            return
        frame = dumps({"type": "presence", **payload})
        for client in room.teams.get(WHITE_CELL, ()):
            client.send(frame)

    def _on_message(self, channel: str, message: str) -> None:
        try:
            data = json.loads(message)
            if data.get("o") == self.worker:
                return  # our own, already delivered
            if data["t"] == "event":
                record = EventRecord.from_public(data["r"], data["e"])
                self._deliver(record, dumps({"type": "event", "event": data["e"]}))
            elif data["t"] == "presence":
                self._deliver_presence(data["r"], data["p"])
        except Exception:
            log.exception("bad bus message", channel=channel)

    def heal_all(self) -> None:
        for room in self.rooms.values():
            for client in room.clients():
                client.heal()

    async def _publish_loop(self) -> None:
        while True:
            channel, message = await self._outbox.get()
            await self.bus.publish(channel, message)

    async def _heartbeats(self, seconds: float) -> None:
        while True:
            await asyncio.sleep(seconds)
            for room in self.rooms.values():
                for client in room.clients():
                    client.heartbeat()


def _channel(run_id: str) -> str:
    return f"ttx:run:{run_id}"
