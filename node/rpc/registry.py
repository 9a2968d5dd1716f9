"""The method registry: wire names → async handlers and subscription producers, plus call statistics.

The registry knows nothing about the chain or the transport. Chain modules register handlers under their
wire names (with aliases); the server looks names up here. `rpc_methods` is built in and lists every
registered name, alias, subscribe and unsubscribe name, as Substrate does.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

if TYPE_CHECKING:
    from node.rpc.subscriptions import SubscriptionSink

Params: TypeAlias = "list[Any] | dict[str, Any]"
"""JSON-RPC params as received: a list (positional) or dict (named); absent or null becomes `[]`."""

Transport: TypeAlias = Literal["ws", "http"]


@dataclass(frozen=True, slots=True)
class CallContext:
    """What a handler may know about the call: who called and how.

    `connection_id` is unique per server run; `method` is the wire name the client used (may be an alias);
    `deny_unsafe` is True when the server runs with rpc_methods="safe" (for handlers that are partly unsafe).
    """

    connection_id: int
    transport: Transport
    peer: str
    method: str
    deny_unsafe: bool


MethodHandler: TypeAlias = "Callable[[Params, CallContext], Awaitable[Any]]"
Producer: TypeAlias = "Callable[[Params, SubscriptionSink], Awaitable[None]]"
Validator: TypeAlias = "Callable[[Params], Any]"


class RegistryError(ValueError):
    """A registration is inconsistent (for example a wire name registered twice)."""


@dataclass(frozen=True, slots=True)
class MethodEntry:
    """A plain method: one response per call."""

    name: str
    handler: MethodHandler
    unsafe: bool
    concurrent: bool = False


@dataclass(frozen=True, slots=True)
class SubscriptionEntry:
    """A pub-sub pair: the subscribe call starts `producer`, whose results go out as `notification`."""

    subscribe: str
    notification: str
    unsubscribe: str
    producer: Producer
    validate: Validator | None
    unsafe: bool


@dataclass(frozen=True, slots=True)
class UnsubscribeEntry:
    """The unsubscribe side of a `SubscriptionEntry`."""

    subscription: SubscriptionEntry


Entry: TypeAlias = "MethodEntry | SubscriptionEntry | UnsubscribeEntry"


@dataclass(slots=True)
class MethodStat:
    """Counters for one wire name: calls, failed calls and cumulative handler time in seconds."""

    calls: int = 0
    errors: int = 0
    seconds: float = 0.0


@dataclass(slots=True)
class RpcStats:
    """Per-method call counts and latency plus connection/subscription gauges (rendered by metrics code)."""

    methods: dict[str, MethodStat] = field(default_factory=dict)
    connections_opened: int = 0
    connections_open: int = 0
    connections_refused: int = 0
    connections_cut_slow: int = 0
    subscriptions_open: int = 0
    observer: Callable[[str, float], None] | None = None
    """Called with (method, seconds) for every finished call (the Prometheus latency histogram)."""

    def record(self, method: str, seconds: float, ok: bool) -> None:
        """Account one finished call of `method` that took `seconds`."""
        if self.observer is not None:
            self.observer(method, seconds)
        stat = self.methods.get(method)
        if stat is None:
            stat = self.methods[method] = MethodStat()
        stat.calls += 1
        stat.seconds += seconds
        if not ok:
            stat.errors += 1

    def snapshot(self) -> dict[str, MethodStat]:
        """Return a copy of the per-method counters."""
        return {k: MethodStat(v.calls, v.errors, v.seconds) for k, v in self.methods.items()}


class Registry:
    """Maps wire names to handlers. Build one per node; pass it to `serve()`.

    Usage::

        @registry.method("chain_getHeader", aliases=("chain_getHead",))
        async def get_header(params: Params, ctx: CallContext) -> Any: ...

        @registry.subscription(subscribe="chain_subscribeNewHeads", notification="chain_newHead",
                               unsubscribe="chain_unsubscribeNewHeads")
        async def new_heads(params: Params, sink: SubscriptionSink) -> None: ...
    """

    def __init__(self) -> None:
        self._entries: dict[str, Entry] = {}
        self.stats = RpcStats()
        self._add("rpc_methods", MethodEntry("rpc_methods", self._rpc_methods, unsafe=False))

    def _add(self, name: str, entry: Entry) -> None:
        if not name or not isinstance(name, str):
            raise RegistryError(f"wire name must be a non-empty string, got {name!r}")
        if name in self._entries:
            raise RegistryError(f"wire name {name!r} is already registered")
        self._entries[name] = entry

    def method(self, name: str, *, aliases: Iterable[str] = (), unsafe: bool = False,
               concurrent: bool = False) -> Callable[[MethodHandler], MethodHandler]:
        """Return a decorator registering `async fn(params, ctx) -> JSON value` under `name` and `aliases`.

        `unsafe=True` methods are refused with Substrate's `UnsafeRpcError` when the server denies unsafe
        calls. By default a WebSocket connection runs its calls one after another in its reader task
        (cheapest for handlers that compute without waiting); `concurrent=True` runs each call in its own
        task, for handlers that await something slow (transaction-pool validation, a worker thread) and
        must not hold up the connection's other calls.
        """

        def register(handler: MethodHandler) -> MethodHandler:
            self.add_method(name, handler, aliases=aliases, unsafe=unsafe, concurrent=concurrent)
            return handler

        return register

    def add_method(self, name: str, handler: MethodHandler, *, aliases: Iterable[str] = (),
                   unsafe: bool = False, concurrent: bool = False) -> None:
        """Register `handler` under `name` and every alias (non-decorator form of `method`)."""
        names = [name, *aliases]
        self._check_free(names)
        for wire in names:
            self._add(wire, MethodEntry(name, handler, unsafe, concurrent))

    def subscription(self, *, subscribe: str, notification: str, unsubscribe: str,
                     aliases: Iterable[str] = (), unsubscribe_aliases: Iterable[str] = (),
                     validate: Validator | None = None,
                     unsafe: bool = False) -> Callable[[Producer], Producer]:
        """Return a decorator registering a producer `async fn(params, sink) -> None` for a subscription.

        `validate(params)` (sync, optional) runs before the subscription id is allocated; it raises
        `RpcError` (typically `InvalidParams`) to refuse the subscribe call, and whatever it returns is
        handed to the producer as `sink.prepared` (work that must succeed or fail with the subscribe call
        itself, e.g. submitting the watched transaction). The producer starts only
        after the subscribe response has been queued, and calls `await sink.send(result)` per notification.
        """

        def register(producer: Producer) -> Producer:
            sub_names = [subscribe, *aliases]
            unsub_names = [unsubscribe, *unsubscribe_aliases]
            self._check_free([*sub_names, *unsub_names])
            entry = SubscriptionEntry(subscribe, notification, unsubscribe, producer, validate, unsafe)
            for wire in sub_names:
                self._add(wire, entry)
            unsub = UnsubscribeEntry(entry)
            for wire in unsub_names:
                self._add(wire, unsub)
            return producer

        return register

    def _check_free(self, names: list[str]) -> None:
        if len(set(names)) != len(names):
            raise RegistryError(f"duplicate wire names in one registration: {names}")
        for wire in names:
            if wire in self._entries:
                raise RegistryError(f"wire name {wire!r} is already registered")

    def lookup(self, name: str) -> Entry | None:
        """Return the entry for wire name `name`, or None when it is not registered."""
        return self._entries.get(name)

    def names(self) -> list[str]:
        """Return every registered wire name, sorted (what `rpc_methods` lists)."""
        return sorted(self._entries)

    async def _rpc_methods(self, params: Params, ctx: CallContext) -> Any:
        return {"version": 1, "methods": self.names()}

    def timer(self) -> float:
        """Return a monotonic timestamp for latency accounting (perf_counter)."""
        return time.perf_counter()
