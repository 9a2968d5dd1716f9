"""Block notifications: imported and finalized blocks fanned out to subscribers over bounded channels.

Publishing never blocks the importer: a subscriber whose channel is full is dropped (its channel is
closed, so its reader sees the end of the stream and can resubscribe), as Substrate's notification
sinks do with lagging receivers.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import trio

from runtime.primitives.header import Header

log = logging.getLogger("client")


@dataclass(frozen=True)
class BlockEvent:
    """A block became known (`kind` "imported") or final (`kind` "finalized")."""

    kind: str
    hash: bytes
    header: Header
    is_new_best: bool = False


class Notifier:
    """Fan-out of BlockEvents to any number of bounded subscriber channels."""

    def __init__(self, buffer: int = 256) -> None:
        self.buffer = buffer
        self._subscribers: list[trio.MemorySendChannel[BlockEvent]] = []

    def subscribe(self) -> trio.MemoryReceiveChannel[BlockEvent]:
        """A new channel that receives every later event."""
        send, receive = trio.open_memory_channel[BlockEvent](self.buffer)
        self._subscribers.append(send)
        return receive

    def publish(self, event: BlockEvent) -> None:
        """Deliver `event` to every subscriber without blocking; drop the ones that lag or left."""
        alive = []
        for send in self._subscribers:
            try:
                send.send_nowait(event)
            except trio.WouldBlock:
                log.warning("dropping a block-notification subscriber that fell %d events behind", self.buffer)
                send.close()
                continue
            except (trio.BrokenResourceError, trio.ClosedResourceError):
                continue
            alive.append(send)
        self._subscribers = alive

    def __len__(self) -> int:
        return len(self._subscribers)
