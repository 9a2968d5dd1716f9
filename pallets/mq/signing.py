"""Building and signing `SignedMessage` values: what an off-chain sender (pRuntime) does before egress.

Pure helpers shared by tests and the off-chain worker: the signature is sr25519 (signing context
`b"substrate"`, as sp_core) over `SCALE((message, sequence))` (phala-mq `MessageToBeSigned`, MqMessage
content unwrapped), so the chain's `check_message` accepts it under the key implied by the origin.
"""

from __future__ import annotations

from typing import Any

from runtime.primitives.crypto import Keypair
from runtime.primitives.hashing import blake2_256

from .types import SignedMessage, data_to_sign, make_message


def sign_message(keypair: Keypair, message_value: dict[str, Any], sequence: int) -> dict[str, Any]:
    """A SignedMessage value for `message_value` at `sequence`, signed by the sr25519 `keypair`."""
    if keypair.scheme != "sr25519":
        raise ValueError(f"sign_message: mq messages are signed with sr25519, not {keypair.scheme}")
    message = make_message(message_value["sender"], message_value["destination"], message_value["payload"])
    return {"message": message, "sequence": sequence, "signature": keypair.sign(data_to_sign(message, sequence))}


def build_signed_message(keypair: Keypair, sender: Any, destination: bytes, payload: bytes,
                         sequence: int) -> dict[str, Any]:
    """Build the Message from its parts and sign it (`SigningMessage::sign`)."""
    return sign_message(keypair, make_message(sender, destination, payload), sequence)


def encode_signed_message(signed: dict[str, Any]) -> bytes:
    """SCALE bytes of a SignedMessage value (the `sync_offchain_message` argument)."""
    return SignedMessage.encode(signed)


def message_hash(signed: dict[str, Any]) -> bytes:
    """blake2_256 of the encoded SignedMessage (a handy id for logs and de-duplication)."""
    return blake2_256(encode_signed_message(signed))
