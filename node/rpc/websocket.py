"""The WebSocket side of the RPC port: RFC 6455 framing, the bounded outbox, keepalive, slow-client cut-off.

Frames are parsed and built here (no extension negotiated): wsproto's pure-Python parser measured 37 µs
per small frame on this machine, more than the rest of a null request together, so the codec is a tight
loop over a bytearray with big-int unmasking, and outgoing text frames wrap the orjson bytes directly.
Calls run in the connection's reader task (or their own task for `concurrent=True` methods). Writes go
straight to the socket when nothing is queued, otherwise through one bounded `Outbox` drained by one
writer task; a client that stops reading is cut off after `slow_client_timeout` while others carry on.
The HTTP upgrade handshake itself lives in `http.py`."""

from __future__ import annotations

import logging
import struct
from collections import deque
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

import trio

from node.rpc.http import handshake_response
from node.rpc.subscriptions import ConnectionSubscriptions

if TYPE_CHECKING:
    from node.rpc.http import UpgradeRequest
    from node.rpc.server import Dispatcher, PendingProducer, Session

log = logging.getLogger("node.rpc.websocket")

_RECEIVE_SIZE = 262144
_CLOSE_FLUSH_TIMEOUT = 2.0


def text_frame_header(length: int) -> bytes:
    """Return the header of one unmasked, final text frame carrying `length` payload bytes."""
    if length < 126:
        return bytes((0x81, length))
    if length < 65536:
        return struct.pack("!BBH", 0x81, 126, length)
    return struct.pack("!BBQ", 0x81, 127, length)


# Opcodes and close codes (RFC 6455 §5.2, §7.4.1).
OP_CONT, OP_TEXT, OP_BINARY, OP_CLOSE, OP_PING, OP_PONG = 0x0, 0x1, 0x2, 0x8, 0x9, 0xA
CLOSE_NORMAL = 1000
CLOSE_PROTOCOL_ERROR = 1002
CLOSE_UNSUPPORTED_DATA = 1003
CLOSE_MESSAGE_TOO_BIG = 1009


def control_frame(opcode: int, payload: bytes = b"") -> bytes:
    """Return an unmasked control frame (payload ≤ 125 bytes)."""
    return bytes((0x80 | opcode, len(payload))) + payload


def close_frame(code: int, reason: str = "") -> bytes:
    """Return a close frame carrying `code` and a reason truncated to fit a control frame."""
    return control_frame(OP_CLOSE, struct.pack("!H", code) + reason.encode()[:123])


def unmask(data: bytes | bytearray, mask: bytes | bytearray) -> bytes:
    """XOR `data` with the repeated 4-byte `mask` (one big-int operation, linear in C)."""
    n = len(data)
    if n == 0:
        return b""
    key = (bytes(mask) * ((n + 3) // 4))[:n]
    return (int.from_bytes(data, "little") ^ int.from_bytes(key, "little")).to_bytes(n, "little")


class ProtocolError(Exception):
    """The client broke RFC 6455 or a limit; `code` is the close code to send."""

    def __init__(self, code: int, reason: str) -> None:
        super().__init__(f"{code}: {reason}")
        self.code = code
        self.reason = reason


class FrameParser:
    """Incremental parser of client frames; `feed()` returns complete messages and control frames.

    Each item is `(opcode, payload)`: OP_TEXT/OP_BINARY with the reassembled message, or a control frame.
    Oversized messages are refused as soon as a frame header announces them (nothing is buffered).
    """

    def __init__(self, max_message: int) -> None:
        self._buf = bytearray()
        self._max = max_message
        self._frag_opcode = 0
        self._frags: list[bytes] = []
        self._frag_size = 0

    def feed(self, data: bytes) -> list[tuple[int, bytes]]:
        """Consume `data`; return the complete items; raise ProtocolError on a violation."""
        buf = self._buf
        buf += data
        out: list[tuple[int, bytes]] = []
        pos, end = 0, len(buf)
        while end - pos >= 2:
            b0, b1 = buf[pos], buf[pos + 1]
            if b0 & 0x70:
                raise ProtocolError(CLOSE_PROTOCOL_ERROR, "reserved bits set")
            if not b1 & 0x80:
                raise ProtocolError(CLOSE_PROTOCOL_ERROR, "client frame not masked")
            opcode, fin, length, head = b0 & 0x0F, b0 & 0x80, b1 & 0x7F, 2
            if length == 126:
                if end - pos < 4:
                    break
                length, head = (buf[pos + 2] << 8) | buf[pos + 3], 4
            elif length == 127:
                if end - pos < 10:
                    break
                length, head = int.from_bytes(buf[pos + 2:pos + 10], "big"), 10
            if opcode >= OP_CLOSE:
                if not fin or length > 125:
                    raise ProtocolError(CLOSE_PROTOCOL_ERROR, "bad control frame")
            elif self._frag_size + length > self._max:
                raise ProtocolError(CLOSE_MESSAGE_TOO_BIG, "message too big")
            frame_end = pos + head + 4 + length
            if end < frame_end:
                break
            payload = unmask(buf[pos + head + 4:frame_end], buf[pos + head:pos + head + 4])
            pos = frame_end
            self._frame(opcode, fin, payload, out)
        del buf[:pos]
        return out

    def _frame(self, opcode: int, fin: int, payload: bytes, out: list[tuple[int, bytes]]) -> None:
        if opcode >= OP_CLOSE:
            if opcode not in (OP_CLOSE, OP_PING, OP_PONG):
                raise ProtocolError(CLOSE_PROTOCOL_ERROR, f"unknown opcode {opcode:#x}")
            out.append((opcode, payload))
        elif opcode == OP_CONT:
            if not self._frag_opcode:
                raise ProtocolError(CLOSE_PROTOCOL_ERROR, "continuation without a message")
            self._frags.append(payload)
            self._frag_size += len(payload)
            if fin:
                out.append((self._frag_opcode, b"".join(self._frags)))
                self._frag_opcode, self._frags, self._frag_size = 0, [], 0
        elif opcode in (OP_TEXT, OP_BINARY):
            if self._frag_opcode:
                raise ProtocolError(CLOSE_PROTOCOL_ERROR, "new message inside a fragmented one")
            if fin:
                out.append((opcode, payload))
            else:
                self._frag_opcode, self._frags, self._frag_size = opcode, [payload], len(payload)
        else:
            raise ProtocolError(CLOSE_PROTOCOL_ERROR, f"unknown opcode {opcode:#x}")



class SlowClientError(Exception):
    """The connection's outbox stayed full for longer than the configured timeout."""


class Outbox:
    """A bounded queue of ready-to-send frames with a single consumer (the writer task).

    `put` waits while `capacity` messages are queued and raises SlowClientError after `timeout` seconds.
    After `close()`, puts are dropped and `take_all` returns what is left, then empty lists.
    """

    def __init__(self, capacity: int, timeout: float) -> None:
        self._items: deque[bytes] = deque()
        self._messages = 0
        self._capacity = capacity
        self._timeout = timeout
        self._not_empty = trio.lowlevel.ParkingLot()
        self._not_full = trio.lowlevel.ParkingLot()
        self.closed = False

    def __len__(self) -> int:
        """The number of queued messages."""
        return self._messages

    async def put(self, *frame: bytes) -> None:
        """Queue one message (given as one or more byte strings sent back to back)."""
        await trio.lowlevel.checkpoint_if_cancelled()
        if self._messages >= self._capacity and not self.closed:
            with trio.move_on_after(self._timeout):
                while self._messages >= self._capacity and not self.closed:
                    await self._not_full.park()
            if self._messages >= self._capacity and not self.closed:
                raise SlowClientError(f"outbox full ({self._capacity} messages) for {self._timeout} s")
        if self.closed:
            await trio.lowlevel.checkpoint()  # a producer looping on a closed outbox must not hog the loop
            return
        self.put_nowait(*frame)

    def put_nowait(self, *frame: bytes) -> None:
        """Queue a message without waiting (control frames; may exceed capacity by a little)."""
        if self.closed:
            return
        self._items.extend(frame)
        self._messages += 1
        self._not_empty.unpark()

    async def take_all(self) -> list[bytes]:
        """Wait until something is queued (or the outbox is closed) and take everything."""
        while not self._items:
            if self.closed:
                return []
            await self._not_empty.park()
        items = list(self._items)
        self._items.clear()
        self._messages = 0
        self._not_full.unpark_all()
        return items

    def close(self) -> None:
        """Refuse further messages; the writer flushes what is queued and stops."""
        self.closed = True
        self._not_empty.unpark_all()
        self._not_full.unpark_all()


class WebSocketConnection:
    """One upgraded connection: reader loop, writer task, in-flight calls and subscriptions."""

    def __init__(self, stream: trio.SocketStream, trailing: bytes, dispatcher: Dispatcher,
                 session: Session) -> None:
        config = dispatcher.config
        self.stream = stream
        self.trailing = trailing
        self.dispatcher = dispatcher
        self.session = session
        self.stats = dispatcher.registry.stats
        self.outbox = Outbox(config.outbox_capacity, config.slow_client_timeout)
        self.in_flight = trio.Semaphore(config.max_in_flight)
        self.parser = FrameParser(config.max_request_size)
        self.timeout = config.slow_client_timeout
        self.last_seen = trio.current_time()
        self.writer_done = trio.Event()
        self.send_lock = trio.StrictFIFOLock()
        self.cancel_scope: trio.CancelScope | None = None

    async def send_message(self, payload: bytes) -> None:
        """Send or queue one text message; cut the connection off when the client does not read (FrameWriter).

        Fast path: when nothing is queued and no send is in progress the message is written directly,
        saving a wake-up of the writer task; ordering is kept because queued messages and the writer's
        in-flight batch both make the fast path step aside.
        """
        if not self.outbox and not self.send_lock.locked() and not self.outbox.closed:
            self.send_lock.acquire_nowait()
            try:
                await self._send(text_frame_header(len(payload)) + payload)
            finally:
                self.send_lock.release()
            return
        try:
            await self.outbox.put(text_frame_header(len(payload)), payload)
        except SlowClientError:
            self._cut_slow()
            await trio.lowlevel.checkpoint()

    async def _send(self, data: bytes) -> None:
        """Write to the socket; a write blocked for `slow_client_timeout` cuts the connection off."""
        with trio.move_on_after(self.timeout) as scope:
            try:
                await self.stream.send_all(data)
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                self._broken()
        if scope.cancelled_caught:
            self._cut_slow()

    def _cut_slow(self) -> None:
        if self.outbox.closed:
            return
        log.warning("closing connection %d (%s): client is not reading",
                    self.session.connection_id, self.session.peer)
        self.stats.connections_cut_slow += 1
        self._broken()

    def close_with(self, code: int, reason: str) -> None:
        """Queue a close frame with `code` and stop accepting messages."""
        self.outbox.put_nowait(close_frame(code, reason))
        self.outbox.close()

    async def run(self) -> None:
        """Serve the connection until either side closes it; cancels its calls and subscriptions on exit."""
        subs = ConnectionSubscriptions(self.dispatcher.config.max_subscriptions_per_connection, self.stats)
        self.session.subs = subs
        self.session.writer = self
        self.session.spawn = self.spawn
        async with trio.open_nursery() as nursery:
            self.cancel_scope = nursery.cancel_scope
            self.session.nursery = nursery
            nursery.start_soon(self._writer)
            nursery.start_soon(self._keepalive)
            try:
                await self._reader(nursery)
            finally:
                subs.close_all()
                self.outbox.close()
            with trio.move_on_after(_CLOSE_FLUSH_TIMEOUT):
                await self.writer_done.wait()
                await self._linger()
            nursery.cancel_scope.cancel()

    async def _linger(self) -> None:
        """After our close frame, read and discard until the client closes (RFC 6455 §7.1.1).

        Closing a socket with unread input makes the kernel send RST, which can destroy the close frame
        (and the last responses) before the client reads them.
        """
        try:
            while await self.stream.receive_some(_RECEIVE_SIZE):
                pass
        except (trio.BrokenResourceError, trio.ClosedResourceError):
            pass

    async def _writer(self) -> None:
        try:
            while True:
                frames = await self.outbox.take_all()
                if not frames:
                    return
                async with self.send_lock:
                    await self._send(frames[0] if len(frames) == 1 else b"".join(frames))
        finally:
            self.writer_done.set()

    def _broken(self) -> None:
        """The socket failed: stop everything on this connection."""
        self.outbox.close()
        if self.cancel_scope is not None:
            self.cancel_scope.cancel()

    async def _keepalive(self) -> None:
        """Ping every `ping_interval`; close the connection when nothing arrived for `inactive_limit`."""
        config = self.dispatcher.config
        while not self.outbox.closed:
            await trio.sleep(config.ping_interval)
            if trio.current_time() - self.last_seen >= config.inactive_limit:
                log.info("closing connection %d (%s): inactive for %.0f s", self.session.connection_id,
                         self.session.peer, config.inactive_limit)
                self.close_with(CLOSE_NORMAL, "inactive")
                with trio.move_on_after(_CLOSE_FLUSH_TIMEOUT):
                    await self.writer_done.wait()
                if self.cancel_scope is not None:  # the reader is parked in receive_some
                    self.cancel_scope.cancel()
                return
            self.outbox.put_nowait(control_frame(OP_PING))

    async def _reader(self, nursery: trio.Nursery) -> None:
        data = self.trailing
        while not self.outbox.closed:
            try:
                items = self.parser.feed(data)
            except ProtocolError as exc:
                self.close_with(exc.code, exc.reason)
                return
            for opcode, payload in items:
                if opcode == OP_TEXT:
                    await self._handle(payload)
                elif opcode == OP_BINARY:
                    self.close_with(CLOSE_UNSUPPORTED_DATA, "binary frames are not supported")
                    return
                elif opcode == OP_PING:
                    self.outbox.put_nowait(control_frame(OP_PONG, payload))
                elif opcode == OP_CLOSE:
                    self.close_with(_close_code(payload), "")
                    return
            try:
                data = await self.stream.receive_some(_RECEIVE_SIZE)
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                return
            if not data:
                return
            self.last_seen = trio.current_time()

    async def _handle(self, payload: bytes) -> None:
        """Answer one message in the reader task (no task spawn: a scheduling round trip per call saved).

        Methods registered with `concurrent=True` come back through `spawn` and run in their own task.
        """
        pending: list[PendingProducer] = []
        response = await self.dispatcher.handle(payload, self.session, pending)
        if response is not None:
            await self.send_message(response)
        if pending:
            self.dispatcher.start_producers(self.session, pending)

    async def spawn(self, job: Callable[[], Awaitable[None]]) -> None:
        """Run `job` in its own task in the connection nursery, at most `max_in_flight` at a time."""
        if self.session.nursery is None:
            await job()
            return
        try:  # no scheduling round trip while below the limit
            self.in_flight.acquire_nowait()
        except trio.WouldBlock:
            await self.in_flight.acquire()
        self.session.nursery.start_soon(self._run_job, job)

    async def _run_job(self, job: Callable[[], Awaitable[None]]) -> None:
        try:
            await job()
        finally:
            self.in_flight.release()


def _close_code(payload: bytes) -> int:
    """The code to echo for a client's close frame (1000 when it carried none)."""
    if len(payload) < 2:
        return CLOSE_NORMAL
    code = int.from_bytes(payload[:2], "big")
    return code if 1000 <= code < 5000 and code not in (1004, 1005, 1006, 1015) else CLOSE_PROTOCOL_ERROR


async def serve_websocket(stream: trio.SocketStream, request: UpgradeRequest, dispatcher: Dispatcher,
                          session: Session) -> None:
    """Complete the handshake for `request` and serve the WebSocket connection until it closes."""
    response = handshake_response(request)
    if response is None:
        await stream.send_all(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
        return
    await stream.send_all(response)
    await WebSocketConnection(stream, request.trailing, dispatcher, session).run()
