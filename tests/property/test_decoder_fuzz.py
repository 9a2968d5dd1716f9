"""Random and mutated bytes into every decoder a node feeds untrusted input to: extrinsics, headers,
AccountInfo, System.Events (EventRecords of the RuntimeEvent), RuntimeCall, metadata-level sp types, digest
items and trie nodes. Each either decodes or raises the codec's own error (ScaleDecodeError, or TrieError for
trie nodes) — never IndexError, struct.error, ValueError, TypeError or an assert."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from pallets.system.types import AccountInfo, AccountInfoCodec
from runtime.assembly import build_assembly
from runtime.primitives import types as sp
from runtime.primitives.extrinsic import decode_extrinsic
from runtime.primitives.header import DigestItem, Header, aura_pre_digest, aura_seal
from runtime.primitives.keyring import dev_keypair
from runtime.primitives.trie.codec import child_ref, decode_node, encode_branch, encode_leaf
from runtime.primitives.trie.errors import TrieError
from runtime.scale import ScaleDecodeError

ASSEMBLY = build_assembly()
RUNTIME = ASSEMBLY.runtime
EVENTS = next(s for s in RUNTIME.by_name["System"].spec.storage if s.name == "Events").value_type


def _transfer_call() -> bytes:
    return RUNTIME.encode_call(RUNTIME.make_call("Balances", "transfer_keep_alive",
                                                 dest=("Id", bytes(32)), value=10**12))


def _signed_transfer() -> bytes:
    from runtime.primitives.era import IMMORTAL
    from runtime.primitives.extrinsic import sign_extrinsic

    v = ASSEMBLY.version
    return sign_extrinsic(dev_keypair("Alice"), _transfer_call(), era=IMMORTAL, nonce=0, tip=0, spec_version=v.spec_version,
                          tx_version=v.transaction_version, genesis_hash=bytes(32))


def _samples() -> dict[str, bytes]:
    header = Header(bytes(32), 7, b"\x11" * 32, b"\x22" * 32, (aura_pre_digest(5), aura_seal(bytes(64))))
    leaf = encode_leaf("0a1", b"value" * 10, hashed=False)
    children: list[Any] = [None] * 16
    children[3] = child_ref(encode_leaf("b", b"x" * 40, hashed=False), None)
    children[9] = child_ref(encode_leaf("c", b"y", hashed=False), None)
    branch = encode_branch("1f", b"v" * 8, False, children)
    return {
        "header": header.encode(),
        "account_info": AccountInfoCodec.encode(AccountInfo(1, 0, 1, 0, 10**12, 0, 0, 1 << 127)),
        "trie_leaf": leaf,
        "trie_node": branch,
        "digest_item": aura_pre_digest(9).encode(),
        "multi_address": sp.MultiAddress.encode(("Id", bytes(32))),
        "dispatch_error": sp.DispatchError.encode(("Module", {"index": 4, "error": b"\x02\x00\x00\x00"})),
        "era": sp.Era.encode(("Mortal37", 0x01)),
    }


DECODERS: dict[str, tuple[Callable[[bytes], Any], tuple[type[Exception], ...]]] = {
    "extrinsic": (decode_extrinsic, (ScaleDecodeError,)),
    "call": (RUNTIME.decode_call_exact, (ScaleDecodeError,)),
    "header": (Header.decode, (ScaleDecodeError,)),
    "digest_item": (lambda b: DigestItem.decode(b, 0), (ScaleDecodeError,)),
    "account_info": (AccountInfoCodec.decode, (ScaleDecodeError,)),
    "events": (EVENTS.decode, (ScaleDecodeError,)),
    "multi_address": (sp.MultiAddress.decode, (ScaleDecodeError,)),
    "multi_signature": (sp.MultiSignature.decode, (ScaleDecodeError,)),
    "dispatch_error": (sp.DispatchError.decode, (ScaleDecodeError,)),
    "era": (sp.Era.decode, (ScaleDecodeError,)),
    "digest": (sp.Digest.decode, (ScaleDecodeError,)),
    "runtime_version": (sp.RuntimeVersionType.decode, (ScaleDecodeError,)),
    "header_type": (sp.HeaderType.decode, (ScaleDecodeError,)),
    "trie_node": (decode_node, (TrieError, ScaleDecodeError)),
}

FUZZ = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _run(name: str, data: bytes) -> None:
    fn, allowed = DECODERS[name]
    try:
        fn(data)
    except allowed:
        pass


@pytest.mark.parametrize("name", sorted(DECODERS))
@FUZZ
@given(data=st.binary(max_size=200))
def test_random_bytes(name: str, data: bytes) -> None:
    _run(name, data)


def _seed(name: str) -> bytes:
    samples = _samples()
    if name in ("extrinsic",):
        return _signed_transfer()
    if name == "call":
        return _transfer_call()
    if name == "events":
        transfer = {"phase": ("ApplyExtrinsic", 1), "event": ("Balances", ("Transfer", {
            "from": bytes(32), "to": b"\x01" * 32, "amount": 5})), "topics": (b"\x02" * 32,)}
        failed = {"phase": ("Finalization", None), "event": ("System", ("ExtrinsicFailed", {
            "dispatch_error": ("Module", {"index": 4, "error": b"\x02\x00\x00\x00"}),
            "dispatch_info": {"weight": {"ref_time": 1, "proof_size": 2}, "class": ("Normal", None),
                              "pays_fee": ("Yes", None)}})), "topics": ()}
        return EVENTS.encode((transfer, failed))
    return samples.get(name, samples["header"] if name == "header_type" else b"")


@pytest.mark.parametrize("name", sorted(DECODERS))
@FUZZ
@given(data=st.data())
def test_mutated_valid_encodings(name: str, data: st.DataObject) -> None:
    """Flip, cut, insert or delete bytes in a valid encoding: reaches the decoders' deep paths."""
    raw = bytearray(_seed(name))
    for _ in range(data.draw(st.integers(1, 4))):
        op = data.draw(st.sampled_from(["flip", "cut", "insert", "delete"]))
        pos = data.draw(st.integers(0, max(len(raw) - 1, 0)))
        if op == "flip" and raw:
            raw[pos] ^= 1 << data.draw(st.integers(0, 7))
        elif op == "cut":
            del raw[pos:]
        elif op == "insert":
            raw[pos:pos] = data.draw(st.binary(min_size=1, max_size=4))
        elif raw:
            del raw[pos]
    _run(name, bytes(raw))


def test_seeds_decode() -> None:
    """The fuzz seeds are valid, so mutations start from the decoders' happy paths."""
    for name in DECODERS:
        fn, _ = DECODERS[name]
        seed = _seed(name)
        if seed:
            fn(seed)
