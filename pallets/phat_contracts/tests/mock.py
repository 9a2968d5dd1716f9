"""Mock runtime for the PhalaPhatContracts and PhalaPhatTokenomic tests.

System, Timestamp, Balances, TransactionPayment, PhalaMq(8), PhalaRegistry(9), PhalaPhatContracts(12),
PhalaPhatTokenomic(13). `new_ext` endows Alice/Bob/Charlie, registers three workers through the
registry's genesis, installs system code and endows the tokenomic escrow, then commits. Helpers sign
off-chain messages with the real PhalaMq signing path so handlers run exactly as behind
`sync_offchain_message`.
"""

from __future__ import annotations

from typing import Any

import pytest

from pallets.balances import Balances
from pallets.mq import PhalaMq
from pallets.mq.signing import build_signed_message
from pallets.phat_contracts import PhalaPhatContracts
from pallets.phat_tokenomic import PhalaPhatTokenomic
from pallets.registry import PhalaRegistry
from pallets.system import System
from pallets.timestamp import Timestamp
from pallets.transaction_payment import TransactionPayment
from runtime.primitives.crypto import Keypair
from runtime.support import ROOT, DispatchError, Runtime, Signed
from runtime.support.testing import TestExt

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
CHARLIE = bytes.fromhex("90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22")
ENDOWMENT = 10**18
ED = 500
PHA = 10**12
SYSTEM_CODE = b"\x00asm-python-system-contract"
NOW_MS = 1_700_000_000_000

PALLETS = [(0, System), (1, Timestamp), (4, Balances), (5, TransactionPayment), (8, PhalaMq), (9, PhalaRegistry),
           (12, PhalaPhatContracts), (13, PhalaPhatTokenomic)]
RUNTIME = Runtime("test_runtime", PALLETS)


def key(i: int) -> Keypair:
    """A deterministic sr25519 key (workers, master, cluster and contract keys)."""
    return Keypair.from_seed(bytes([i + 1]) * 32)


WORKERS = [key(i).public for i in range(3)]
MASTER = key(10)


def new_ext(system_code: bool = True, balances: dict[bytes, int] | None = None) -> TestExt:
    """A committed genesis: endowments, three registered workers, system code, escrow endowed."""
    ext = TestExt(RUNTIME)
    endow = balances if balances is not None else {ALICE: ENDOWMENT, BOB: ENDOWMENT, CHARLIE: ENDOWMENT}
    ext.rt.Balances.genesis_build({"balances": [[w, a] for w, a in endow.items()]})
    ext.rt.TransactionPayment.genesis_build({})
    ext.rt.PhalaRegistry.genesis_build({"noneAttestationEnabled": True,
                                        "workers": [[w, w, None] for w in WORKERS]})
    ext.rt.PhalaPhatContracts.genesis_build({"pinkSystemCode": "0x" + SYSTEM_CODE.hex()} if system_code else {})
    ext.rt.PhalaPhatTokenomic.genesis_build({})
    ext.rt.Timestamp.Now.put(NOW_MS)
    ext.rt.PhalaRegistry.GatekeeperMasterPubkey.put(MASTER.public)
    return commit(ext)


def commit(ext: TestExt) -> TestExt:
    """Fold pending changes into the backend, forget events and this block's outbound messages."""
    ext.rt.PhalaMq.OutboundMessages.kill()
    ext.commit()
    ext.clear_events()
    ext.rt.set_phase_apply(0)
    return ext


def state(ext: TestExt) -> dict[bytes, bytes]:
    """Every key/value visible through the overlay."""
    return dict(ext.overlay.iter_prefix(b""))


def events(ext: TestExt, pallet: str | None = None) -> list[tuple[str, dict[str, Any]]]:
    """(name, fields) of the events so far, optionally only `pallet`'s."""
    return [(e.name, e.fields) for e in ext.events() if pallet is None or e.pallet.spec.name == pallet]


def outbound(ext: TestExt) -> list[dict[str, Any]]:
    """This block's PhalaMq.OutboundMessages."""
    return list(ext.rt.PhalaMq.OutboundMessages.get())


def free(ext: TestExt, who: bytes) -> int:
    """Free balance of `who`."""
    return int(ext.rt.Balances.free_balance(who))


def call(ext: TestExt, origin: Any, pallet: str, name: str, **args: Any) -> Any:
    """Dispatch a call (origin: account bytes → Signed, or an Origin)."""
    return ext.call(Signed(origin) if isinstance(origin, bytes) else origin, pallet, name, **args)


def fails(ext: TestExt, error: type[DispatchError], origin: Any, pallet: str, name: str, **args: Any) -> None:
    """The call must raise `error` and change neither storage nor events."""
    before, n_events = state(ext), len(ext.events())
    with pytest.raises(error):
        call(ext, origin, pallet, name, **args)
    assert state(ext) == before
    assert len(ext.events()) == n_events


def add_cluster(ext: TestExt, owner: bytes = ALICE, workers: tuple[bytes, ...] = (WORKERS[0],),
                permission: Any = "Public", deposit: int = 0) -> bytes:
    """Create a cluster from root; returns its id."""
    call(ext, ROOT, "PhalaPhatContracts", "add_cluster", owner=owner, permission=permission,
         deploy_workers=workers, deposit=deposit, gas_price=1, deposit_per_item=2, deposit_per_byte=3,
         treasury_account=BOB)
    counter = ext.rt.PhalaPhatContracts.ClusterCounter.get()
    return int(counter).to_bytes(32, "big")


def sync(ext: TestExt, signer: Keypair, sender: Any, topic: bytes, payload: bytes, relayer: bytes = BOB) -> None:
    """Submit a signed off-chain message through PhalaMq.sync_offchain_message at the next sequence."""
    seq = ext.rt.PhalaMq.offchain_ingress(sender)
    signed = build_signed_message(signer, sender, topic, payload, seq)
    call(ext, relayer, "PhalaMq", "sync_offchain_message", signed_message=signed)
