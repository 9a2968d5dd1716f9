"""Operations of one `chainHead_v1_follow` subscription: body, call and storage, with their limits.

A `FollowSubscription` ties a `FollowState` to the subscription's sink and to a nursery owned by the
follow producer, so stopping the follow cancels every operation. Each operation reserves units (one
for a body or call, one per storage item, at most `MAX_OPERATION_UNITS` per subscription, Substrate's
`MAX_ONGOING_OPERATIONS`) and runs as its own task, which the method handler starts before returning:
trio runs it only after the handler's response has been queued, so the client always sees
`{"result": "started", "operationId": …}` before any `operation*` event. Storage descendant queries pause
with `operationWaitingForContinue` every `STORAGE_PAGE_ITEMS` items until `chainHead_v1_continue`.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any, Final

import trio

from node.client.client import Client
from node.db import ChainDBError
from runtime.apis import ApiError
from runtime.scale.errors import ScaleError

from .chainhead_follow import FollowState
from .chainhead_storage import DESCENDANT_TYPES, StorageQuery, TrieWalkError, descendants_page, single_item
from .errors import RpcError
from .params import to_hex
from .subscriptions import SubscriptionSink

log = logging.getLogger("node.rpc.chainhead")

MAX_OPERATION_UNITS: Final = 16
STORAGE_PAGE_ITEMS: Final = 16
INVALID_CONTINUE: Final = -32803


class InvalidContinue(RpcError):
    """-32803: `chainHead_v1_continue` for an operation that is not waiting for it."""

    def __init__(self) -> None:
        super().__init__(INVALID_CONTINUE, "Wait for continue event was not generated for the subscription")


@dataclass(slots=True)
class Operation:
    """One running operation: its id, reserved units, cancel scope and continue handshake."""

    id: str
    units: int
    scope: trio.CancelScope = field(default_factory=trio.CancelScope)
    resume: trio.Event | None = None
    """Set while the operation waits for `chainHead_v1_continue`; the call sets the event."""


OperationBody = Callable[[Operation], Awaitable[None]]


class FollowSubscription:
    """A live follow: its state machine, sink, operation nursery and running operations."""

    def __init__(self, client: Client, state: FollowState, sink: SubscriptionSink, nursery: trio.Nursery,
                 max_units: int = MAX_OPERATION_UNITS, page_items: int = STORAGE_PAGE_ITEMS) -> None:
        self.client = client
        self.state = state
        self.sink = sink
        self.nursery = nursery
        self.max_units = max_units
        self.page_items = page_items
        self.operations: dict[str, Operation] = {}
        self.units_in_use = 0
        self._next_id = 0

    def reserve(self, wanted: int) -> Operation | None:
        """An operation holding min(wanted, free units) units; None when no unit is free."""
        units = min(wanted, self.max_units - self.units_in_use)
        if units <= 0:
            return None
        self._next_id += 1
        op = Operation(str(self._next_id), units)
        self.operations[op.id] = op
        self.units_in_use += units
        return op

    def start(self, op: Operation, body: OperationBody) -> None:
        """Run `body(op)` in the follow's nursery (it starts after the current task yields)."""
        self.nursery.start_soon(self._run, op, body)

    async def _run(self, op: Operation, body: OperationBody) -> None:
        try:
            with op.scope:
                await body(op)
        except Exception as exc:  # an operation must end with an event, never take the follow down
            log.exception("chainHead operation %s failed", op.id)
            await self.emit({"event": "operationError", "operationId": op.id, "error": f"internal error: {exc}"})
        finally:
            self.release(op)

    def release(self, op: Operation) -> None:
        """Forget `op` and free its units (idempotent)."""
        if self.operations.pop(op.id, None) is not None:
            self.units_in_use -= op.units

    def stop_operation(self, op_id: str) -> None:
        """Cancel a running operation (no effect when it is unknown or finished)."""
        op = self.operations.get(op_id)
        if op is not None:
            op.scope.cancel()
            self.release(op)

    def continue_operation(self, op_id: str) -> None:
        """Resume a paused storage operation; InvalidContinue when it is not paused; unknown ids are ignored."""
        op = self.operations.get(op_id)
        if op is None:
            return
        if op.resume is None or op.resume.is_set():
            raise InvalidContinue()
        op.resume.set()

    async def emit(self, event: dict[str, Any]) -> None:
        """Send one follow event on the subscription."""
        await self.sink.send(event)

    # -- operation bodies ---------------------------------------------------------------------------

    def body_op(self, block: bytes) -> OperationBody:
        """The body operation: `operationBodyDone` with the block's extrinsics as stored."""
        async def run(op: Operation) -> None:
            body = self.client.body(block)
            if body is None:
                await self.emit({"event": "operationInaccessible", "operationId": op.id})
                return
            await self.emit({"event": "operationBodyDone", "operationId": op.id, "value": [to_hex(x) for x in body]})
        return run

    def call_op(self, block: bytes, function: str, args: bytes) -> OperationBody:
        """The call operation: `operationCallDone` with the SCALE output, or `operationError`."""
        async def run(op: Operation) -> None:
            try:
                output = self.client.call(function, args, block)
            except (ApiError, ChainDBError, ScaleError) as exc:
                await self.emit({"event": "operationError", "operationId": op.id, "error": str(exc)})
                return
            await self.emit({"event": "operationCallDone", "operationId": op.id, "output": to_hex(output)})
        return run

    def storage_op(self, block: bytes, queries: list[StorageQuery], child_trie: bytes | None) -> OperationBody:
        """The storage operation: items, pauses for `continue` on long descendant scans, then done."""
        async def run(op: Operation) -> None:
            try:
                if child_trie is None:  # this chain has no child tries: nothing lives in one
                    await self._storage(op, block, queries)
            except (ChainDBError, TrieWalkError) as exc:
                await self.emit({"event": "operationError", "operationId": op.id, "error": str(exc)})
                return
            await self.emit({"event": "operationStorageDone", "operationId": op.id})
        return run

    async def _storage(self, op: Operation, block: bytes, queries: list[StorageQuery]) -> None:
        found = [single_item(self.client, block, q) for q in queries if q.type not in DESCENDANT_TYPES]
        items = [item for item in found if item is not None]
        if items:
            await self.emit({"event": "operationStorageItems", "operationId": op.id, "items": items})
        for query in queries:
            if query.type not in DESCENDANT_TYPES:
                continue
            after: bytes | None = None
            while True:
                page, after = descendants_page(self.client, block, query, after, self.page_items)
                if page:
                    await self.emit({"event": "operationStorageItems", "operationId": op.id, "items": page})
                if after is None:
                    break
                op.resume = trio.Event()
                await self.emit({"event": "operationWaitingForContinue", "operationId": op.id})
                await op.resume.wait()
                op.resume = None
