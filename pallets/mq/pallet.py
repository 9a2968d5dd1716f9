"""PhalaMq (phala_pallets::mq): the message bus between the chain and off-chain workers.

Owns the per-sender ingress sequence (`OffchainIngress`), this block's outbound messages
(`OutboundMessages`, killed in `on_initialize`), genesis-queued messages (`QueuedOutboundMessage`), the
three calls of Phala's `mq.rs`, and the router: a message goes to every pallet whose `MESSAGE_TOPICS`
contains its destination exactly (runtime index order, as Phala's `msg_routing.rs` lists them), and, when
the topic is off-chain (no `^`), is also appended to `OutboundMessages` for the workers.

Handlers are `on_message(self, message: dict) -> None`; a handler's DispatchError or payload decode error
is swallowed (Phala: "We can't stop dispatching message in any situation") and its partial writes are
rolled back (see the README's Simplifications).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from runtime.scale import U64, ScaleError, Vec
from runtime.support import (
    DispatchClass,
    DispatchError,
    DispatchInfo,
    Pallet,
    Pays,
    StorageMap,
    StorageValue,
    Twox64Concat,
    Weight,
    call,
    ensure_root,
    ensure_signed,
)
from runtime.support import Errors as _Errors
from runtime.support.origin import Origin
from runtime.support.params import BytesParam

from . import weights
from .types import (
    Message,
    MessageOrigin,
    SignedMessage,
    account_origin,
    is_offchain,
    make_message,
    normalize_origin,
    pallet_origin,
    topic_is_offchain,
    topic_is_valid,
)

SignedMessageParam = Annotated[dict[str, Any], SignedMessage, "SignedMessage"]


@lru_cache(maxsize=16)
def _topic_table(pallets: tuple[tuple[int, type[Pallet]], ...]) -> dict[bytes, tuple[type[Pallet], ...]]:
    table: dict[bytes, list[type[Pallet]]] = {}
    for _, pallet in pallets:
        for topic in getattr(pallet, "MESSAGE_TOPICS", ()):
            table.setdefault(bytes(topic), []).append(pallet)
    return {topic: tuple(handlers) for topic, handlers in table.items()}


class PhalaMq(Pallet, name="PhalaMq", rust_module="phala_pallets::mq", storage_version=7):
    """The message queue to connect components in the network."""

    OffchainIngress = StorageMap(Twox64Concat, MessageOrigin, U64, doc=(
        "The next expected sequence of a ingress message coming from a certain sender (origin)"))
    QueuedOutboundMessage = StorageValue(Vec(Message))
    OutboundMessages = StorageValue(Vec(Message), default=(), doc=(
        "Outbound messages at the current block.\n\nIt will be cleared at the beginning of every block."))

    class Error(_Errors):
        BadSender: Any = ""
        BadSequence: Any = ""
        BadDestination: Any = ""

    # -- calls ----------------------------------------------------------------------------------------

    @call(index=0, weight=weights.SYNC_OFFCHAIN_MESSAGE)
    def sync_offchain_message(self, origin: Origin, signed_message: SignedMessageParam) -> DispatchInfo:
        """Syncs an unverified offchain message to the message queue"""
        ensure_signed(origin)
        message = signed_message["message"]
        sender = message["sender"]
        if not is_offchain(sender):
            raise self.Error.BadSender("sender is not an off-chain origin")
        if not topic_is_valid(message["destination"]):
            raise self.Error.BadDestination("destination topic is not valid")
        expected = self.offchain_ingress(sender)
        if signed_message["sequence"] != expected:
            raise self.Error.BadSequence(f"sequence {signed_message['sequence']} != expected {expected}")
        self.rt.PhalaRegistry.check_message(signed_message)
        self.OffchainIngress.insert(sender, expected + 1)
        self.dispatch_message(message)
        pays = Pays.No if normalize_origin(sender)[0] == "Gatekeeper" else Pays.Yes
        return DispatchInfo(weights.SYNC_OFFCHAIN_MESSAGE, DispatchClass.Normal, pays)

    @call(index=1, weight=weights.PUSH_MESSAGE)
    def push_message(self, origin: Origin, destination: BytesParam, payload: BytesParam) -> None:
        """Messaging API for end user: sends `payload` to `destination` as `MessageOrigin::AccountId(who)`."""
        who = ensure_signed(origin)
        self.dispatch_message(make_message(account_origin(who), destination, payload))

    @call(index=2, weight=weights.FORCE_PUSH_PALLET_MESSAGE)
    def force_push_pallet_message(self, origin: Origin, destination: BytesParam, payload: BytesParam) -> None:
        """Force push a from-pallet message (sender `Pallet(b"ForcePushed")`)."""
        ensure_root(origin)
        self.dispatch_message(make_message(("Pallet", b"ForcePushed"), destination, payload))

    # -- hooks ----------------------------------------------------------------------------------------

    def on_initialize(self, n: int) -> Weight:
        """Clear the previous block's outbound messages, then dispatch the genesis-queued ones."""
        self.OutboundMessages.kill()
        queued = self.QueuedOutboundMessage.take()
        for message in queued or ():
            self.dispatch_message(message)
        return Weight(0, 0)

    # -- API for other pallets ------------------------------------------------------------------------

    def offchain_ingress(self, sender: Any) -> int:
        """The next expected sequence of `sender` (0 when it never sent)."""
        value = self.OffchainIngress.get(sender)
        return 0 if value is None else int(value)

    def dispatch_message(self, message: dict[str, Any]) -> None:
        """Route a validated message to its handlers, then publish it to workers if the topic is off-chain."""
        destination = bytes(message["destination"])
        for pallet in _topic_table(self.rt.runtime.pallets).get(destination, ()):
            if not self._run_handler(pallet, message):
                break  # Phala's router stops at the first failing handler (`try_dispatch(..)?`)
        if topic_is_offchain(destination):
            self.OutboundMessages.put(tuple(self.OutboundMessages.get()) + (message,))

    def _run_handler(self, pallet: type[Pallet], message: dict[str, Any]) -> bool:
        storage = self.rt.storage
        storage.begin()
        try:
            self.rt.pallet(pallet).on_message(message)
        except (DispatchError, ScaleError):
            storage.rollback()
            return False
        except BaseException:
            storage.rollback()
            raise
        storage.commit()
        return True

    def push_bound_message(self, sender: Any, topic: bytes, payload: bytes) -> None:
        """Phala's `push_message_to(topic, sender, payload)`: dispatch now (handlers + OutboundMessages)."""
        self.dispatch_message(make_message(sender, topic, payload))

    def push_pallet_message(self, pallet_name: str, topic: bytes, payload: bytes) -> None:
        """MessageOriginInfo::push_message: send from `Pallet(pallet_name)`."""
        self.push_bound_message(pallet_origin(pallet_name), topic, payload)

    def queue_bound_message(self, sender: Any, topic: bytes, payload: bytes) -> None:
        """Phala's `queue_bound_message`: dispatched at the start of the next block (genesis messages)."""
        queued = self.QueuedOutboundMessage.get() or ()
        self.QueuedOutboundMessage.put(tuple(queued) + (make_message(sender, topic, payload),))

    def messages(self) -> tuple[dict[str, Any], ...]:
        """The getter `messages()`: this block's OutboundMessages."""
        return tuple(self.OutboundMessages.get())


__all__ = ["PhalaMq", "SignedMessageParam"]
