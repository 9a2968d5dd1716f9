"""Per-connection subscription bookkeeping: ids, limits, producer tasks and the sink they write to.

A subscription lives inside its connection: the producer runs in the connection's nursery under its own
cancel scope, so unsubscribe cancels exactly that producer and closing the connection cancels all of
them. Producers never write to the socket; they queue notifications on the connection's bounded outbox,
whose single writer task does the I/O.
"""

from __future__ import annotations

import logging
import secrets
from typing import Any, Protocol

import orjson
import trio

from node.rpc.errors import RpcError, TooManySubscriptions
from node.rpc.registry import CallContext, Params, RpcStats, SubscriptionEntry

log = logging.getLogger("node.rpc.subscriptions")

_ID_ALPHABET = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
SUBSCRIPTION_ID_LEN = 16


def new_subscription_id() -> str:
    """Return 16 random base58-alphabet characters (Substrate uses 16 random alphanumerics)."""
    return "".join(secrets.choice(_ID_ALPHABET) for _ in range(SUBSCRIPTION_ID_LEN))


class FrameWriter(Protocol):
    """Where serialised messages go: the connection's outbox (blocks while it is full)."""

    async def send_message(self, payload: bytes) -> None:
        """Queue one serialised JSON-RPC message for the client."""


class SubscriptionSink:
    """Handed to a producer: `await sink.send(result)` emits one notification for this subscription."""

    __slots__ = ("subscription_id", "notification", "ctx", "prepared", "_writer", "_max_size", "_prefix")

    def __init__(self, subscription_id: str, notification: str, ctx: CallContext,
                 writer: FrameWriter, max_size: int, prepared: Any = None) -> None:
        self.subscription_id = subscription_id
        self.notification = notification
        self.ctx = ctx
        self.prepared = prepared  # what the subscription's validator returned
        self._writer = writer
        self._max_size = max_size

    async def send(self, result: Any) -> bool:
        """Queue `{"jsonrpc":"2.0","method":<notification>,"params":{"subscription":id,"result":result}}`.

        Waits while the connection's outbox is full. Returns False (and drops the notification, logging
        a warning) when the serialised message exceeds the maximum response size.
        """
        payload = orjson.dumps({"jsonrpc": "2.0", "method": self.notification,
                                "params": {"subscription": self.subscription_id, "result": result}})
        if len(payload) > self._max_size:
            log.warning("dropping %s notification of %d bytes: over the %d byte limit",
                        self.notification, len(payload), self._max_size)
            return False
        await self._writer.send_message(payload)
        return True


class ConnectionSubscriptions:
    """The active subscriptions of one connection: id → cancel scope, bounded by `limit`."""

    def __init__(self, limit: int, stats: RpcStats) -> None:
        self._limit = limit
        self._stats = stats
        self._active: dict[str, tuple[str, trio.CancelScope]] = {}

    def __len__(self) -> int:
        return len(self._active)

    def open(self, kind: str) -> tuple[str, trio.CancelScope]:
        """Allocate an id and a cancel scope for a new subscription of `kind` (its subscribe name).

        Raises TooManySubscriptions when the connection is at its limit.
        """
        if len(self._active) >= self._limit:
            raise TooManySubscriptions(self._limit)
        sub_id = new_subscription_id()
        while sub_id in self._active:
            sub_id = new_subscription_id()
        scope = trio.CancelScope()
        self._active[sub_id] = (kind, scope)
        self._stats.subscriptions_open += 1
        return sub_id, scope

    def close(self, sub_id: str, kind: str | None = None) -> bool:
        """Cancel and forget subscription `sub_id`; False when no such subscription (of `kind`) is active."""
        found = self._active.get(sub_id)
        if found is None or (kind is not None and found[0] != kind):
            return False
        del self._active[sub_id]
        self._stats.subscriptions_open -= 1
        found[1].cancel()
        return True

    def close_all(self) -> None:
        """Cancel every subscription of the connection (it is going away)."""
        for sub_id in list(self._active):
            self.close(sub_id)


async def run_producer(entry: SubscriptionEntry, params: Params, sink: SubscriptionSink,
                       scope: trio.CancelScope, subs: ConnectionSubscriptions) -> None:
    """Run one producer under its cancel scope; whatever way it ends, the subscription is removed.

    Errors are logged, never propagated: a failing producer must not take its connection down.
    """
    try:
        with scope:
            await entry.producer(params, sink)
    except RpcError as exc:
        log.info("subscription %s (%s) ended with %r", sink.subscription_id, entry.subscribe, exc)
    except Exception:
        log.exception("subscription producer %s failed", entry.subscribe)
    finally:
        subs.close(sink.subscription_id)
