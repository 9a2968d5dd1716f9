"""The WebSocket side of the RPC port: handshake, framing, the bounded outbox and its single writer.

Incoming frames are parsed by wsproto (unmasking, fragmentation, UTF-8 checks, control frames). Outgoing
text frames are framed here directly from the orjson bytes (server frames are unmasked, no extension is
negotiated), which saves a decode/encode round trip per message. All writes go through one `Outbox` per
connection drained by one writer task, so producers and handlers never touch the socket and a client that
stops reading is cut off after `slow_client_timeout` without affecting anyone else.
"""

from __future__ import annotations

import base64
import hashlib
import logging
import struct
from collections import deque
from typing import TYPE_CHECKING

import trio
from wsproto.connection import Connection, ConnectionState, ConnectionType
from wsproto.events import BytesMessage, CloseConnection, Ping, TextMessage
from wsproto.frame_protocol import CloseReason

from node.rpc.subscriptions import ConnectionSubscriptions

if TYPE_CHECKING:
    from node.rpc.http import UpgradeRequest
    from node.rpc.server import Dispatcher, PendingProducer, Session

log = logging.getLogger("node.rpc.websocket")

_GUID = b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11"
_RECEIVE_SIZE = 262144
_CLOSE_FLUSH_TIMEOUT = 2.0


def accept_key(key: bytes) -> bytes:
    """Return Sec-WebSocket-Accept for a client's Sec-WebSocket-Key (RFC 6455 §4.2.2)."""
    return base64.b64encode(hashlib.sha1(key.strip() + _GUID).digest())


def text_frame_header(length: int) -> bytes:
    """Return the header of one unmasked, final text frame carrying `length` payload bytes."""
    if length < 126:
        return bytes((0x81, length))
    if length < 65536:
        return struct.pack("!BBH", 0x81, 126, length)
    return struct.pack("!BBQ", 0x81, 127, length)


class SlowClientError(Exception):
    """The connection's outbox stayed full for longer than the configured timeout."""


class Outbox:
    """A bounded queue of ready-to-send frames with a single consumer (the writer task).

    `put` waits while `capacity` messages are queued and raises SlowClientError after `timeout` seconds.
    After `close()`, puts are dropped and `take_all` returns what is left, then empty lists.
    """

    def __init__(self, capacity: int, timeout: float) -> None:
        self._items: deque[bytes] = deque()
        self._capacity = capacity
        self._timeout = timeout
        self._not_empty = trio.lowlevel.ParkingLot()
        self._not_full = trio.lowlevel.ParkingLot()
        self.closed = False

    def __len__(self) -> int:
        return len(self._items)

    async def put(self, *frame: bytes) -> None:
        """Queue one message (given as one or more byte strings sent back to back)."""
        await trio.lowlevel.checkpoint_if_cancelled()
        if len(self._items) >= self._capacity and not self.closed:
            with trio.move_on_after(self._timeout):
                while len(self._items) >= self._capacity and not self.closed:
                    await self._not_full.park()
            if len(self._items) >= self._capacity and not self.closed:
                raise SlowClientError(f"outbox full ({self._capacity} messages) for {self._timeout} s")
        self.put_nowait(*frame)

    def put_nowait(self, *frame: bytes) -> None:
        """Queue a message without waiting (control frames; may exceed capacity by a little)."""
        if self.closed:
            return
        self._items.extend(frame)
        self._not_empty.unpark()

    async def take_all(self) -> list[bytes]:
        """Wait until something is queued (or the outbox is closed) and take everything."""
        while not self._items:
            if self.closed:
                return []
            await self._not_empty.park()
        items = list(self._items)
        self._items.clear()
        self._not_full.unpark_all()
        return items

    def close(self) -> None:
        """Refuse further messages; the writer flushes what is queued and stops."""
        self.closed = True
        self._not_empty.unpark_all()
        self._not_full.unpark_all()


class WebSocketConnection:
    """One upgraded connection: reader loop, writer task, in-flight calls and subscriptions."""

    def __init__(self, stream: trio.SocketStream, ws: Connection, dispatcher: Dispatcher,
                 session: Session) -> None:
        config = dispatcher.config
        self.stream = stream
        self.ws = ws
        self.dispatcher = dispatcher
        self.session = session
        self.stats = dispatcher.registry.stats
        self.outbox = Outbox(config.outbox_capacity, config.slow_client_timeout)
        self.in_flight = trio.Semaphore(config.max_in_flight)
        self.max_message = config.max_request_size
        self.writer_done = trio.Event()
        self.cancel_scope: trio.CancelScope | None = None

    async def send_message(self, payload: bytes) -> None:
        """Queue one text message; cut the connection off when the client does not read (FrameWriter)."""
        try:
            await self.outbox.put(text_frame_header(len(payload)), payload)
        except SlowClientError:
            log.warning("closing connection %d (%s): client is not reading",
                        self.session.connection_id, self.session.peer)
            self.stats.connections_cut_slow += 1
            self.outbox.close()
            if self.cancel_scope is not None:
                self.cancel_scope.cancel()
            await trio.lowlevel.checkpoint()

    def close_with(self, code: int, reason: str) -> None:
        """Queue a close frame with `code` and stop accepting messages."""
        if self.ws.state is ConnectionState.OPEN:
            self.outbox.put_nowait(self.ws.send(CloseConnection(code=code, reason=reason)))
        self.outbox.close()

    async def run(self) -> None:
        """Serve the connection until either side closes it; cancels its calls and subscriptions on exit."""
        subs = ConnectionSubscriptions(self.dispatcher.config.max_subscriptions_per_connection, self.stats)
        self.session.subs = subs
        self.session.writer = self
        async with trio.open_nursery() as nursery:
            self.cancel_scope = nursery.cancel_scope
            self.session.nursery = nursery
            nursery.start_soon(self._writer)
            try:
                await self._reader(nursery)
            finally:
                subs.close_all()
                self.outbox.close()
            with trio.move_on_after(_CLOSE_FLUSH_TIMEOUT):
                await self.writer_done.wait()
            nursery.cancel_scope.cancel()

    async def _writer(self) -> None:
        try:
            while True:
                frames = await self.outbox.take_all()
                if not frames:
                    return
                await self.stream.send_all(frames[0] if len(frames) == 1 else b"".join(frames))
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            self.outbox.close()
            if self.cancel_scope is not None:
                self.cancel_scope.cancel()
        finally:
            self.writer_done.set()

    async def _reader(self, nursery: trio.Nursery) -> None:
        chunks: list[str] = []
        size = 0
        while not self.outbox.closed:
            try:
                data = await self.stream.receive_some(_RECEIVE_SIZE)
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                return
            if not data:
                return
            self.ws.receive_data(data)
            for event in self.ws.events():
                if type(event) is TextMessage:
                    size += len(event.data)
                    if size > self.max_message:
                        self.close_with(CloseReason.MESSAGE_TOO_BIG, "message too big")
                        return
                    if not event.message_finished:
                        chunks.append(event.data)
                        continue
                    text = "".join(chunks) + event.data if chunks else event.data
                    chunks, size = [], 0
                    await self.in_flight.acquire()
                    nursery.start_soon(self._handle, text)
                elif isinstance(event, BytesMessage):
                    self.close_with(CloseReason.UNSUPPORTED_DATA, "binary frames are not supported")
                    return
                elif isinstance(event, Ping):
                    self.outbox.put_nowait(self.ws.send(event.response()))
                elif isinstance(event, CloseConnection):
                    # REMOTE_CLOSING: the client closed, echo its code. OPEN: wsproto reports a protocol
                    # violation (ParseFailed) as a close event with the code we must send.
                    if self.ws.state is ConnectionState.REMOTE_CLOSING:
                        self.outbox.put_nowait(self.ws.send(event.response()))
                    elif self.ws.state is ConnectionState.OPEN:
                        self.close_with(event.code, event.reason or "")
                    self.outbox.close()
                    return

    async def _handle(self, text: str) -> None:
        try:
            pending: list[PendingProducer] = []
            response = await self.dispatcher.handle(text, self.session, pending)
            if response is not None:
                await self.send_message(response)
            if pending:
                self.dispatcher.start_producers(self.session, pending)
        finally:
            self.in_flight.release()


def handshake_response(request: UpgradeRequest) -> bytes | None:
    """Return the 101 response for a valid RFC 6455 upgrade request, or None when it is invalid."""
    key = request.headers.get(b"sec-websocket-key")
    if key is None or request.headers.get(b"sec-websocket-version", b"").strip() != b"13":
        return None
    return (b"HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            b"Sec-WebSocket-Accept: " + accept_key(key) + b"\r\n\r\n")


async def serve_websocket(stream: trio.SocketStream, request: UpgradeRequest, dispatcher: Dispatcher,
                          session: Session) -> None:
    """Complete the handshake for `request` and serve the WebSocket connection until it closes."""
    response = handshake_response(request)
    if response is None:
        await stream.send_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        return
    await stream.send_all(response)
    ws = Connection(ConnectionType.SERVER, extensions=[], trailing_data=request.trailing)
    await WebSocketConnection(stream, ws, dispatcher, session).run()
