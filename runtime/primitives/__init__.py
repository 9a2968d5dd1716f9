"""Wire primitives shared by the runtime and the node: keys and signatures, accounts, eras, headers, extrinsics.

Re-exports the public API of `crypto`, `account`, `era`, `header` and `extrinsic`. The dev keyring
(`runtime.primitives.keyring`) is imported explicitly by the code that needs it.
"""

from __future__ import annotations

from .account import (
    DEFAULT_SS58_PREFIX,
    AddressError,
    CannotLookup,
    MultiAddress,
    MultiAddressDecodeError,
    account_id,
    ss58_decode,
    ss58_decode_with_prefix,
    ss58_encode,
)
from .crypto import (
    CryptoError,
    Keypair,
    MultiSignature,
    MultiSignatureDecodeError,
    Scheme,
    UnsupportedSignature,
)
from .era import IMMORTAL, Era, EraDecodeError
from .extrinsic import (
    DecodedExtrinsic,
    ExtrinsicDecodeError,
    decode_extrinsic,
    encode_extra,
    encode_signed,
    encode_unsigned,
    sign_extrinsic,
    signing_payload,
)
from .header import DigestItem, Header, HeaderDecodeError, aura_pre_digest, aura_seal, aura_slot

__all__ = [
    "DEFAULT_SS58_PREFIX",
    "IMMORTAL",
    "AddressError",
    "CannotLookup",
    "CryptoError",
    "DecodedExtrinsic",
    "DigestItem",
    "Era",
    "EraDecodeError",
    "ExtrinsicDecodeError",
    "Header",
    "HeaderDecodeError",
    "Keypair",
    "MultiAddress",
    "MultiAddressDecodeError",
    "MultiSignature",
    "MultiSignatureDecodeError",
    "Scheme",
    "UnsupportedSignature",
    "account_id",
    "aura_pre_digest",
    "aura_seal",
    "aura_slot",
    "decode_extrinsic",
    "encode_extra",
    "encode_signed",
    "encode_unsigned",
    "sign_extrinsic",
    "signing_payload",
    "ss58_decode",
    "ss58_decode_with_prefix",
    "ss58_encode",
]
