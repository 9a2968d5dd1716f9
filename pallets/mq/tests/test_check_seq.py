"""CheckMqSequence: tag encoding, validate / pre_dispatch rules, and the tags through Executive.validate_transaction
and apply_extrinsic on an assembled runtime; plus the pha_getMqNextSequence helper."""

from __future__ import annotations

from functools import cache
from typing import Any

import pytest

from pallets.aura import Aura
from pallets.balances import Balances
from pallets.grandpa import Grandpa
from pallets.mq import PhalaMq, check_seq
from pallets.mq.rpc_support import next_sequence, sender_from_hex
from pallets.mq.types import MessageOrigin
from pallets.registry import PhalaRegistry
from pallets.sudo import Sudo
from pallets.system import System
from pallets.timestamp import Timestamp
from pallets.transaction_payment import TransactionPayment
from pallets.utility import Utility
from runtime.assembly import Assembly
from runtime.extensions import nonce_tag
from runtime.genesis import build_genesis_storage
from runtime.presets import development
from runtime.primitives.extrinsic import encode_unsigned, sign_extrinsic
from runtime.primitives.header import aura_pre_digest
from runtime.primitives.keyring import dev_keypair
from runtime.support.overlay import DictReader
from runtime.validity import InvalidKind, InvalidTransaction, TransactionSource

from .mock import new_ext, signed_msg, worker_key

W0 = worker_key(0)
W0_ORIGIN = ("Worker", W0.public)
GENESIS = b"\x42" * 32


def test_tag_is_phala_encoding() -> None:
    expected = b"\x5c" + b"PhalaMqOffchainMessages" + b"\x05" + (3).to_bytes(8, "little")
    assert check_seq.tag("Gatekeeper", 3) == expected
    assert check_seq.tag(W0_ORIGIN, 0) == b"\x5cPhalaMqOffchainMessages" + MessageOrigin.encode(W0_ORIGIN) + bytes(8)


def _call(ext: Any, seq: int, key: Any = W0, origin: Any = W0_ORIGIN) -> Any:
    return ext.runtime.make_call("PhalaMq", "sync_offchain_message", signed_message=signed_msg(key, origin, seq))


def test_validate_and_pre_dispatch_rules() -> None:
    """Mirrors Phala's test_check_mq_seq_works."""
    ext = new_ext()
    w1 = worker_key(1)
    o1 = ("Worker", w1.public)
    ext.rt.PhalaMq.OffchainIngress.insert(W0_ORIGIN, 1)
    ext.rt.PhalaMq.OffchainIngress.insert(o1, 2)
    rt = ext.rt
    for fn in (check_seq.validate, check_seq.pre_dispatch):
        with pytest.raises(InvalidTransaction) as err:
            fn(rt, _call(ext, 0))
        assert err.value.kind == InvalidKind.Stale
    assert check_seq.validate(rt, _call(ext, 1)) == ((), (check_seq.tag(W0_ORIGIN, 1),))
    check_seq.pre_dispatch(rt, _call(ext, 1))
    assert check_seq.validate(rt, _call(ext, 2)) == ((check_seq.tag(W0_ORIGIN, 1),), (check_seq.tag(W0_ORIGIN, 2),))
    with pytest.raises(InvalidTransaction) as err:
        check_seq.pre_dispatch(rt, _call(ext, 2))
    assert err.value.kind == InvalidKind.Future
    assert check_seq.validate(rt, _call(ext, 2, w1, o1)) == ((), (check_seq.tag(o1, 2),))  # no cross dependency
    check_seq.pre_dispatch(rt, _call(ext, 2, w1, o1))


def test_other_calls_are_ignored() -> None:
    ext = new_ext()
    call = ext.runtime.make_call("PhalaMq", "push_message", destination=b"x", payload=b"")
    assert check_seq.validate(ext.rt, call) == ((), ())
    check_seq.pre_dispatch(ext.rt, call)


def test_next_sequence_counts_consecutive_ready_tags() -> None:
    tags = {check_seq.tag(W0_ORIGIN, s) for s in (3, 4, 6)} | {check_seq.tag("Gatekeeper", 5)}
    assert next_sequence(3, W0_ORIGIN, tags) == 5
    assert next_sequence(5, W0_ORIGIN, tags) == 5
    assert next_sequence(6, W0_ORIGIN, tags) == 7
    assert next_sequence(5, "Gatekeeper", tags) == 6
    assert sender_from_hex("0x05") == ("Gatekeeper", None)
    assert sender_from_hex("02" + W0.public.hex()) == W0_ORIGIN
    with pytest.raises(ValueError, match="MessageOrigin"):
        sender_from_hex("0x09")


# -- through the executive ---------------------------------------------------------------------------


@cache
def _assembly() -> Assembly:
    return Assembly([(0, System), (1, Timestamp), (2, Aura), (3, Grandpa), (4, Balances), (5, TransactionPayment),
                     (6, Sudo), (7, Utility), (8, PhalaMq), (9, PhalaRegistry)])


def _genesis() -> dict[bytes, bytes]:
    patch = development()
    patch["phalaRegistry"] = {"noneAttestationEnabled": True}
    return build_genesis_storage(_assembly(), patch)


def _xt(seq: int, nonce: int, key: Any = W0, origin: Any = W0_ORIGIN) -> bytes:
    a = _assembly()
    call = a.runtime.encode_call(a.runtime.make_call(
        "PhalaMq", "sync_offchain_message", signed_message=signed_msg(key, origin, seq)))
    return sign_extrinsic(dev_keypair("Alice"), call, nonce=nonce, spec_version=a.version.spec_version,
                          tx_version=a.version.transaction_version, genesis_hash=GENESIS)


def test_executive_validate_transaction_merges_tags() -> None:
    a = _assembly()
    base = DictReader(_genesis())
    alice = dev_keypair("Alice").public
    valid = a.executive.validate_transaction(base, TransactionSource.External, _xt(0, 0), GENESIS, 0)
    assert valid.provides == (nonce_tag(alice, 0), check_seq.tag(W0_ORIGIN, 0))
    assert valid.requires == ()
    ahead = a.executive.validate_transaction(base, TransactionSource.External, _xt(2, 1), GENESIS, 0)
    assert ahead.requires == (nonce_tag(alice, 0), check_seq.tag(W0_ORIGIN, 1))
    assert ahead.provides == (nonce_tag(alice, 1), check_seq.tag(W0_ORIGIN, 2))


def test_executive_refuses_stale_and_future_in_block() -> None:
    a = _assembly()
    ex = a.executive
    now = 1_700_000_000_000
    block = ex.initialize_block(DictReader(_genesis()), 1, GENESIS, (aura_pre_digest(now // 6000),))
    rt = a.runtime
    ex.apply_extrinsic(block, encode_unsigned(rt.encode_call(rt.make_call("Timestamp", "set", now=now))))
    with pytest.raises(InvalidTransaction) as err:
        ex.apply_extrinsic(block, _xt(1, 0))
    assert err.value.kind == InvalidKind.Future
    outcome = ex.apply_extrinsic(block, _xt(0, 0))
    assert outcome.error is None
    with pytest.raises(InvalidTransaction) as err:
        ex.apply_extrinsic(block, _xt(0, 1))
    assert err.value.kind == InvalidKind.Stale
    assert block.rt.PhalaMq.offchain_ingress(W0_ORIGIN) == 1
    assert block.rt.System.account(dev_keypair("Alice").public).nonce == 1  # refused ones left no trace
    finished = ex.finalize_block(block)
    base = DictReader({k: v for k, v in {**_genesis(), **finished.changes}.items() if v is not None})
    with pytest.raises(InvalidTransaction) as err:
        ex.validate_transaction(base, TransactionSource.External, _xt(0, 1), GENESIS, 1)
    assert err.value.kind == InvalidKind.Stale
    assert err.value.encode() == b"\x00\x03"
