"""Mock runtime for the Balances and TransactionPayment tests: System + Balances(4) + TransactionPayment(5).

`new_ext` endows accounts through the genesis builders and commits, so each test starts from a
genesis state like the reference chain's. It also works around `Pallet.__init__` reading `rt.ext`,
which RuntimeInstance does not define (framework gap, see the report).
"""

from __future__ import annotations

from typing import Any

from pallets.balances import Balances
from pallets.system import System
from pallets.transaction_payment import TransactionPayment
from runtime.support import Runtime
from runtime.support.origin import Signed
from runtime.support.testing import TestExt

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
BOB = bytes.fromhex("8eaf04151687736326c9fea17e25fc5287613693c912909cb226aa4794f26a48")
CHARLIE = bytes.fromhex("90b5ab205c6974c9ea841be688864633dc9ca8a357843eeacf2314649965fe22")
DAVE = bytes.fromhex("306721211d5404bd9da88e0204360a1a9ab8b87c66c1bc2fcdd37f3c2222cc20")
ED = 500
ENDOWMENT = 1 << 60
RUNTIME = Runtime("test_runtime", [(0, System), (4, Balances), (5, TransactionPayment)])


def _fix(ext: TestExt) -> TestExt:
    return ext


def new_ext(balances: dict[bytes, int] | None = None) -> TestExt:
    """A committed genesis with `balances` (default: Alice and Bob with 2^60 each)."""
    ext = _fix(TestExt(RUNTIME))
    endow = {ALICE: ENDOWMENT, BOB: ENDOWMENT} if balances is None else balances
    ext.rt.Balances.genesis_build({"balances": [[who, amount] for who, amount in endow.items()]})
    ext.rt.TransactionPayment.genesis_build({})
    commit(ext)
    return ext


def commit(ext: TestExt) -> None:
    """Fold pending changes into the backend (keeping the `ext` workaround)."""
    ext.commit()
    _fix(ext)
    ext.rt.set_phase_apply(0)


def signed(who: bytes) -> Signed:
    """A signed origin."""
    return Signed(who)


def addr(who: bytes) -> tuple[str, bytes]:
    """MultiAddress::Id(who)."""
    return ("Id", who)


def state(ext: TestExt) -> dict[bytes, bytes]:
    """Every key/value visible through the overlay."""
    return dict(ext.overlay.iter_prefix(b""))


def free(ext: TestExt, who: bytes) -> int:
    """Free balance of `who`."""
    return int(ext.rt.Balances.free_balance(who))


def issuance(ext: TestExt) -> int:
    """Balances.TotalIssuance."""
    return int(ext.rt.Balances.TotalIssuance.get())


def events(ext: TestExt) -> list[tuple[str, dict[str, Any]]]:
    """('Pallet.Event', fields) of the events so far."""
    return [(f"{e.pallet.spec.name}.{e.name}", e.fields) for e in ext.events()]
