"""Genesis presets (the template's genesis_config_presets.rs): JSON patches keyed by camelCase pallet name.

`development` (chain spec `dev`): Alice authors and finalizes alone. `local_testnet` (`local`): Alice and
Bob. Both endow the twelve dev accounts (//Alice … //Ferdie and each //stash) with 2^60 planck, as the
reference chain does, fund PhalaComputation's subsidy account (computing rewards are paid from it), make
Alice the sudo key and accept workers registered without attestation.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pallets.computation import SUBSIDY_ACCOUNT
from runtime.primitives.account import ss58_encode
from runtime.primitives.keyring import dev_keypair

DEV_NAMES = ("Alice", "Bob", "Charlie", "Dave", "Eve", "Ferdie")
ENDOWMENT = 1 << 60


def dev_account(name: str) -> str:
    """SS58 (prefix 42) of a dev account such as "Alice" or "Alice//stash"."""
    return ss58_encode(dev_keypair(name).public)


def endowed_accounts() -> list[str]:
    """The twelve endowed dev accounts, in the template's order."""
    return [dev_account(n) for n in DEV_NAMES] + [dev_account(f"{n}//stash") for n in DEV_NAMES]


def testnet_genesis(authorities: list[str], root: str, endowed: list[str]) -> dict[str, Any]:
    """A genesis patch: Aura/Grandpa authorities from dev names, balances, sudo key."""
    return {
        "balances": {"balances": [[acc, ENDOWMENT] for acc in endowed] + [[ss58_encode(SUBSIDY_ACCOUNT), ENDOWMENT]]},
        "aura": {"authorities": [dev_account(a) for a in authorities]},
        "grandpa": {"authorities": [[ss58_encode(dev_keypair(a, "ed25519").public), 1] for a in authorities]},
        "sudo": {"key": dev_account(root)},
        "phalaRegistry": {"noneAttestationEnabled": True},
    }


def development() -> dict[str, Any]:
    """The `dev` preset: Alice is the only authority."""
    return testnet_genesis(["Alice"], "Alice", endowed_accounts())


def local_testnet() -> dict[str, Any]:
    """The `local` preset: Alice and Bob author."""
    return testnet_genesis(["Alice", "Bob"], "Alice", endowed_accounts())


PRESETS: dict[str, Callable[[], dict[str, Any]]] = {"development": development, "local_testnet": local_testnet}
