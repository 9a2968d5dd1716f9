"""The signed extensions, in the solochain template's order, and what each one checks.

CheckNonZeroSender, CheckSpecVersion, CheckTxVersion, CheckGenesis, CheckMortality, CheckNonce,
CheckWeight, ChargeTransactionPayment. The metadata table (`SIGNED_EXTENSIONS`) fixes their
identifiers and types; clients build the signing payload from it, so the order must never change.
The checks are FRAME's: `validate` (pool) and `pre_dispatch` / `post_dispatch` (block).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pallets.system.types import AccountInfo
from runtime.metadata.ir import SignedExtensionIR
from runtime.primitives.era import Era as EraValue
from runtime.primitives.types import H256, Era
from runtime.scale import U32, U128, Compact, Field, Struct, Tuple, Unit
from runtime.support.runtime import RuntimeInstance
from runtime.support.weights import DispatchClass, DispatchInfo, Weight
from runtime.validity import InvalidKind, InvalidTransaction


def _ext(module: str, name: str, fields: tuple[Field, ...] = (), path: tuple[str, ...] | None = None) -> Struct:
    full = path or ("frame_system", "extensions", module, name)
    return Struct(full, fields, params=(("T", None),))


SIGNED_EXTENSIONS: tuple[SignedExtensionIR, ...] = (
    SignedExtensionIR("CheckNonZeroSender", _ext("check_non_zero_sender", "CheckNonZeroSender"), Unit),
    SignedExtensionIR("CheckSpecVersion", _ext("check_spec_version", "CheckSpecVersion"), U32),
    SignedExtensionIR("CheckTxVersion", _ext("check_tx_version", "CheckTxVersion"), U32),
    SignedExtensionIR("CheckGenesis", _ext("check_genesis", "CheckGenesis"), H256),
    SignedExtensionIR("CheckMortality", _ext("check_mortality", "CheckMortality", (Field(None, Era, "Era"),)), H256),
    SignedExtensionIR("CheckNonce", _ext("check_nonce", "CheckNonce", (Field(None, Compact(U32), "T::Nonce"),)), Unit),
    SignedExtensionIR("CheckWeight", _ext("check_weight", "CheckWeight"), Unit),
    SignedExtensionIR("ChargeTransactionPayment",
                      _ext("", "", (Field(None, Compact(U128), "BalanceOf<T>"),),
                           path=("pallet_transaction_payment", "ChargeTransactionPayment")), Unit),
    # --- PhalaMq (pallets/mq/check_seq.py): appended last; Phala orders it before ChargeTransactionPayment.
    SignedExtensionIR("CheckMqSequence", _ext("", "", path=("phala_pallets", "mq", "check_seq", "CheckMqSequence")),
                      Unit),
)

EXTRA_TYPE = Tuple(tuple(e.ty for e in SIGNED_EXTENSIONS))


def nonce_tag(who: bytes, nonce: int) -> bytes:
    """The pool tag `(AccountId, Nonce).encode()` that CheckNonce provides and requires."""
    return who + nonce.to_bytes(4, "little")


@dataclass
class PreDispatch:
    """What pre_dispatch hands to post_dispatch: the signer, the fee withdrawn and the tip."""

    who: bytes
    fee: int
    tip: int


def check_birth(rt: RuntimeInstance, era: EraValue, current: int, genesis_hash: bytes) -> bytes:
    """CheckMortality's implicit data: the birth block's hash (AncientBirthBlock when it is unknown)."""
    if era.is_immortal:
        return genesis_hash
    birth = era.birth(current)
    if not rt.System.BlockHash.contains(birth):
        raise InvalidTransaction(InvalidKind.AncientBirthBlock)
    return rt.System.BlockHash.get(birth)  # type: ignore[no-any-return]


def check_nonce(info: AccountInfo, nonce: int, *, for_block: bool) -> None:
    """CheckNonce: Stale below the account nonce; Future above it in a block; Payment for a missing account."""
    if info.providers == 0 and info.sufficients == 0:
        raise InvalidTransaction(InvalidKind.Payment)
    if nonce < info.nonce:
        raise InvalidTransaction(InvalidKind.Stale)
    if for_block and nonce > info.nonce:
        raise InvalidTransaction(InvalidKind.Future)


def check_weight(rt: RuntimeInstance, info: DispatchInfo, length: int, *, record: bool) -> None:
    """CheckWeight: the extrinsic fits the class's per-extrinsic and per-block limits; optionally record it."""
    system = rt.System
    limits = system.BlockWeights
    cls_name = info.dispatch_class.name.lower()
    per_class: dict[str, Any] = limits["per_class"][cls_name]
    base = per_class["base_extrinsic"]
    ext_ref = info.weight.ref_time + base["ref_time"]
    ext_proof = info.weight.proof_size + base["proof_size"]
    max_ext = per_class["max_extrinsic"]
    if max_ext is not None and (ext_ref > max_ext["ref_time"] or ext_proof > max_ext["proof_size"]):
        raise InvalidTransaction(InvalidKind.ExhaustsResources)
    max_len = system.BlockLength["max"][cls_name]
    all_len = (system.AllExtrinsicsLen.get() or 0) + length
    if all_len > max_len:
        raise InvalidTransaction(InvalidKind.ExhaustsResources)
    consumed = system.BlockWeight.get()
    mine = consumed[cls_name]
    new_ref = mine["ref_time"] + ext_ref
    new_proof = mine["proof_size"] + ext_proof
    if info.dispatch_class != DispatchClass.Mandatory:
        max_total = per_class["max_total"]
        reserved = per_class["reserved"]
        if max_total is not None and (new_ref > max_total["ref_time"] or new_proof > max_total["proof_size"]):
            raise InvalidTransaction(InvalidKind.ExhaustsResources)
        total_ref = sum(c["ref_time"] for c in consumed.values()) + ext_ref
        if reserved is None or info.dispatch_class == DispatchClass.Normal:
            if total_ref > limits["max_block"]["ref_time"]:
                raise InvalidTransaction(InvalidKind.ExhaustsResources)
    if record:
        consumed[cls_name] = {"ref_time": new_ref, "proof_size": new_proof}
        system.BlockWeight.put(consumed)
        system.AllExtrinsicsLen.put(all_len)


def refund_weight(rt: RuntimeInstance, info: DispatchInfo, actual: Weight) -> None:
    """CheckWeight::post_dispatch: give back the weight the call did not use."""
    unspent_ref = max(info.weight.ref_time - actual.ref_time, 0)
    unspent_proof = max(info.weight.proof_size - actual.proof_size, 0)
    if not unspent_ref and not unspent_proof:
        return
    consumed = rt.System.BlockWeight.get()
    cls_name = info.dispatch_class.name.lower()
    mine = consumed[cls_name]
    consumed[cls_name] = {"ref_time": max(mine["ref_time"] - unspent_ref, 0),
                          "proof_size": max(mine["proof_size"] - unspent_proof, 0)}
    rt.System.BlockWeight.put(consumed)
