"""PhalaMq: message-queue types, the pallet, the CheckMqSequence extension and signing helpers."""

from .pallet import PhalaMq as PhalaMq
from .types import Message as Message
from .types import MessageOrigin as MessageOrigin
from .types import SignedMessage as SignedMessage
