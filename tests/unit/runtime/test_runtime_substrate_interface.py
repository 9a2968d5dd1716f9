"""A transfer signed by py-substrate-interface 1.8.1 (`create_signed_extrinsic`, offline, with OUR metadata)
is decoded, verified and applied by our executive, with the reference chain's events and fee (issue 3, item 7):
145 bytes, fee 270,233,145, Withdraw → Transfer → Deposit(0) → TransactionFeePaid → ExtrinsicSuccess
(ref_time 270,233,000, proof_size 3,593). The events are read back through substrate-interface's own
storage query and decoder, so they also prove our event registry is what it expects."""

from __future__ import annotations

from typing import Any

import pytest
from chain_fixture import MemoryChain
from offline_substrate import OfflineSubstrate
from substrateinterface import Keypair, KeypairType

from runtime.primitives.extrinsic import decode_extrinsic
from runtime.primitives.hashing import blake2_256
from runtime.validity import TransactionValidityError

ALICE = Keypair.create_from_uri("//Alice")
BOB = Keypair.create_from_uri("//Bob")
FEE = 270_233_145
AMOUNT = 10**12


@pytest.fixture
def substrate() -> OfflineSubstrate:
    """substrate-interface over a fresh dev chain."""
    return OfflineSubstrate(MemoryChain.dev())


def _transfer(s: OfflineSubstrate, signer: Keypair = ALICE, nonce: int = 0, era: Any = None) -> bytes:
    call = s.compose_call("Balances", "transfer_keep_alive", {"dest": BOB.ss58_address, "value": AMOUNT})
    xt = s.create_signed_extrinsic(call, signer, nonce=nonce, era=era)
    return bytes(xt.data.data)


def _events(s: OfflineSubstrate) -> list[tuple[Any, str, str, Any]]:
    return [(r["phase"], r["event"]["module_id"], r["event"]["event_id"], r["event"]["attributes"])
            for r in s.query("System", "Events").value]


def test_signed_transfer_is_applied_with_reference_events_and_fee(substrate: OfflineSubstrate) -> None:
    chain = substrate.memory_chain
    raw = _transfer(substrate)
    assert len(raw) == 145
    # substrate-interface only needed the node RPCs our node serves; nothing talked to a network
    assert {"state_getMetadata", "state_getRuntimeVersion", "chain_getBlockHash"} <= set(substrate.calls)

    xt = decode_extrinsic(raw)
    assert xt.signed
    assert xt.signer == ALICE.public_key
    assert (xt.nonce, xt.tip) == (0, 0)
    assert xt.hash == blake2_256(raw)
    assert xt.verify_signature(chain.assembly.version.spec_version, chain.assembly.version.transaction_version,
                               chain.genesis_hash)

    before = substrate.query("System", "Account", [ALICE.ss58_address]).value
    finished = chain.build([raw])
    assert finished.extrinsics[1] == raw
    alice = ALICE.ss58_address
    assert _events(substrate)[1:] == [
        ("ApplyExtrinsic", "Balances", "Withdraw", {"who": alice, "amount": FEE}),
        ("ApplyExtrinsic", "Balances", "Transfer", {"from": alice, "to": BOB.ss58_address, "amount": AMOUNT}),
        ("ApplyExtrinsic", "Balances", "Deposit", {"who": alice, "amount": 0}),
        ("ApplyExtrinsic", "TransactionPayment", "TransactionFeePaid", {"who": alice, "actual_fee": FEE, "tip": 0}),
        ("ApplyExtrinsic", "System", "ExtrinsicSuccess", {"dispatch_info": {
            "weight": {"ref_time": 270_233_000, "proof_size": 3593}, "class": "Normal", "pays_fee": "Yes"}}),
    ]
    after = substrate.query("System", "Account", [alice]).value
    assert after["nonce"] == before["nonce"] + 1
    assert after["data"]["free"] == before["data"]["free"] - AMOUNT - FEE


def test_payment_info_through_runtime_api(substrate: OfflineSubstrate) -> None:
    """substrate-interface's get_payment_info (TransactionPaymentApi_query_info over state_call) sees the same fee."""
    call = substrate.compose_call("Balances", "transfer_keep_alive", {"dest": BOB.ss58_address, "value": AMOUNT})
    info = substrate.get_payment_info(call, ALICE)
    assert info["partialFee"] == FEE
    assert info["weight"] == {"ref_time": 163_159_000, "proof_size": 3593}


def test_mortal_and_ed25519_transfers(substrate: OfflineSubstrate) -> None:
    """A mortal era (birth block 1, read from System.BlockHash) and an ed25519 signature are accepted too."""
    chain = substrate.memory_chain
    chain.build([])
    mortal = _transfer(substrate, era={"period": 64})
    assert decode_extrinsic(mortal).era is not None
    chain.build([mortal])
    assert _events(substrate)[-1][2] == "ExtrinsicSuccess"
    ed = Keypair.create_from_seed("0x" + "42" * 32, crypto_type=KeypairType.ED25519)
    fund = substrate.compose_call("Balances", "transfer_keep_alive", {"dest": ed.ss58_address, "value": 10**15})
    chain.build([bytes(substrate.create_signed_extrinsic(fund, ALICE, nonce=1).data.data)])
    chain.build([_transfer(substrate, signer=ed, nonce=0)])
    assert [e[2] for e in _events(substrate)][-1] == "ExtrinsicSuccess"
    assert substrate.query("System", "Account", [ed.ss58_address]).value["nonce"] == 1


class _OtherGenesis(OfflineSubstrate):
    """Serves another chain's genesis hash: what a client connected to a different chain would sign for."""

    def _result(self, method: str, params: list[Any]) -> Any:
        if method == "chain_getBlockHash" and params and params[0] == 0:
            return "0x" + "11" * 32
        return super()._result(method, params)


@pytest.mark.parametrize(("tamper", "expected"), [
    ("signature", "bad signature"), ("genesis", "bad signature"), ("nonce", "valid in the future")])
def test_tampered_extrinsic_is_refused(substrate: OfflineSubstrate, tamper: str, expected: str) -> None:
    chain = substrate.memory_chain
    if tamper == "signature":
        raw = bytearray(_transfer(substrate))
        raw[40] ^= 1  # inside the 64-byte sr25519 signature (after len, 0x84, 0x00 + 32-byte signer, 0x01)
    elif tamper == "genesis":
        raw = bytearray(_transfer(_OtherGenesis(chain)))
    else:
        raw = bytearray(_transfer(substrate, nonce=5))
    with pytest.raises(TransactionValidityError) as info:
        chain.build([bytes(raw)])
    assert expected in info.value.message
