"""The verified-signature memo: a transaction is verified once; bad signatures are never remembered."""

from __future__ import annotations

import chain_fixture
import pytest

from runtime.primitives.extrinsic import sign_extrinsic
from runtime.primitives.keyring import dev_keypair
from runtime.signature_cache import VerifiedSignatures
from runtime.validity import InvalidKind, InvalidTransaction, TransactionSource


def _transfer(chain: chain_fixture.MemoryChain, nonce: int, genesis: bytes | None = None) -> bytes:
    rt = chain.assembly.runtime
    call = rt.encode_call(rt.make_call("Balances", "transfer_keep_alive", dest=("Id", dev_keypair("Bob").public),
                                       value=10**12))
    return sign_extrinsic(dev_keypair("Alice"), call, nonce=nonce, spec_version=chain.assembly.version.spec_version,
                          tx_version=chain.assembly.version.transaction_version,
                          genesis_hash=genesis or chain.genesis_hash)


def test_bounded_and_oldest_first() -> None:
    memo = VerifiedSignatures(capacity=2)
    for key in (b"a", b"b", b"c"):
        memo.add(key)
    assert len(memo) == 2
    assert b"a" not in memo
    assert b"b" in memo
    assert b"c" in memo


def test_validated_transaction_is_not_verified_again_in_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    chain = chain_fixture.MemoryChain.dev()
    executive = chain.assembly.executive
    executive.verified = VerifiedSignatures()
    xt = _transfer(chain, 0)
    best = chain.best
    executive.validate_transaction(chain.reader(), TransactionSource.External, xt, best.hash(), best.number)
    assert len(executive.verified) == 1
    calls = []
    monkeypatch.setattr("runtime.primitives.extrinsic.DecodedExtrinsic.verify_signature",
                        lambda *a, **k: calls.append(a) or True)
    chain.build([xt])
    assert calls == []  # the block reused the pool's verification


def test_bad_signature_is_never_remembered() -> None:
    chain = chain_fixture.MemoryChain.dev()
    executive = chain.assembly.executive
    executive.verified = VerifiedSignatures()
    bad = _transfer(chain, 0, genesis=bytes(32))  # signed for another chain
    best = chain.best
    for _ in range(2):
        with pytest.raises(InvalidTransaction) as err:
            executive.validate_transaction(chain.reader(), TransactionSource.External, bad, best.hash(), best.number)
        assert err.value.kind == InvalidKind.BadProof
    assert len(executive.verified) == 0
