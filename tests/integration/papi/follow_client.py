"""A raw chainHead_v1 client for the protocol tests: follow events, operations and their event streams.

Built on the live-node tests' synchronous `Rpc` (one WebSocket, notifications buffered in arrival
order), so a test can assert exact event order, the response-before-event rule and error objects.
"""

from __future__ import annotations

from typing import Any

from live_node import Rpc

FOLLOW_EVENT = "chainHead_v1_followEvent"
OPERATION_END = frozenset({"operationBodyDone", "operationCallDone", "operationStorageDone", "operationError",
                           "operationInaccessible"})


class Follow:
    """One `chainHead_v1_follow` subscription on `rpc`."""

    def __init__(self, rpc: Rpc, with_runtime: bool = True) -> None:
        self.rpc = rpc
        self.sub: str = rpc.call("chainHead_v1_follow", [with_runtime])

    def event(self) -> dict[str, Any]:
        """The next follow event of this subscription (operation events included)."""
        result: dict[str, Any] = self.rpc.next_notification(FOLLOW_EVENT, self.sub)
        return result

    def block_event(self) -> dict[str, Any]:
        """The next event that is not about an operation."""
        while True:
            event = self.event()
            if not event["event"].startswith("operation"):
                return event

    def initial(self) -> tuple[dict[str, Any], list[dict[str, Any]], dict[str, Any]]:
        """(initialized, newBlock events, bestBlockChanged) as sent right after following."""
        init = self.event()
        assert init["event"] == "initialized", init
        blocks: list[dict[str, Any]] = []
        while True:
            event = self.event()
            if event["event"] == "bestBlockChanged":
                return init, blocks, event
            assert event["event"] == "newBlock", event
            blocks.append(event)

    def call(self, method: str, *params: Any) -> Any:
        """Call a chainHead method with this subscription as first parameter."""
        return self.rpc.call(method, [self.sub, *params])

    def error(self, method: str, *params: Any) -> dict[str, Any]:
        """Call a chainHead method expecting a JSON-RPC error; return the error object."""
        return self.rpc.error(method, [self.sub, *params])

    def operation(self, op_id: str, auto_continue: bool = True) -> list[dict[str, Any]]:
        """Every event of operation `op_id` up to its final one (continuing paused storage scans)."""
        events = []
        while True:
            event = self.event()
            if event.get("operationId") != op_id:
                continue
            events.append(event)
            if event["event"] == "operationWaitingForContinue":
                if not auto_continue:
                    return events
                assert self.call("chainHead_v1_continue", op_id) is None
            if event["event"] in OPERATION_END:
                return events

    def run(self, method: str, *params: Any) -> list[dict[str, Any]]:
        """Start an operation, check it started, and return its events."""
        started = self.call(method, *params)
        assert started["result"] == "started", started
        return self.operation(started["operationId"])

    def storage(self, block: str, items: list[dict[str, str]]) -> list[dict[str, Any]]:
        """All items a storage operation yields (it must end with operationStorageDone)."""
        events = self.run("chainHead_v1_storage", block, items, None)
        assert events[-1]["event"] == "operationStorageDone", events[-1]
        return [item for e in events if e["event"] == "operationStorageItems" for item in e["items"]]
