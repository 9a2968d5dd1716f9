"""The signed extensions, in the solochain template's order, and what each one checks.

CheckNonZeroSender, CheckSpecVersion, CheckTxVersion, CheckGenesis, CheckMortality, CheckNonce,
CheckWeight, ChargeTransactionPayment. The metadata table (`SIGNED_EXTENSIONS`) fixes their
identifiers and types; clients build the signing payload from it, so the order must never change.
The checks are FRAME's: `validate` (pool) and `pre_dispatch` / `post_dispatch` (block).
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pallets.system.types import AccountInfo, ConsumedWeight
from runtime.metadata.ir import SignedExtensionIR
from runtime.primitives.era import Era as EraValue
from runtime.primitives.types import H256, Era
from runtime.scale import U32, U128, Compact, Field, ScaleDecodeError, Struct, Tuple, Unit
from runtime.scale.compact import decode_compact, encode_compact
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


class PreDispatch(NamedTuple):
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


class ClassLimits(NamedTuple):
    """One dispatch class's CheckWeight limits, flattened from the BlockWeights / BlockLength constants."""

    base_ref: int
    base_proof: int
    max_extrinsic: tuple[int, int] | None
    max_total: tuple[int, int] | None
    reserved_is_none: bool
    max_len: int


_LIMITS: dict[int, tuple[Any, Any, tuple[ClassLimits, ...], int]] = {}
_CLASS_NAMES = ("normal", "operational", "mandatory")
_U64_MAX = (1 << 64) - 1


def _opt_weight(w: dict[str, int] | None) -> tuple[int, int] | None:
    return None if w is None else (w["ref_time"], w["proof_size"])


def class_limits(rt: RuntimeInstance) -> tuple[tuple[ClassLimits, ...], int]:
    """(per-class limits indexed by DispatchClass, max block ref_time), decoded once per System pallet class
    (its constants are fixed when the class is declared)."""
    system_class = type(rt.System)
    entry = _LIMITS.get(id(system_class))
    if entry is None or entry[0] is not system_class:
        weights, length = system_class.BlockWeights, system_class.BlockLength
        per_class = []
        for name in _CLASS_NAMES:
            c = weights["per_class"][name]
            per_class.append(ClassLimits(c["base_extrinsic"]["ref_time"], c["base_extrinsic"]["proof_size"],
                                         _opt_weight(c["max_extrinsic"]), _opt_weight(c["max_total"]),
                                         c["reserved"] is None, length["max"][name]))
        entry = (system_class, length, tuple(per_class), weights["max_block"]["ref_time"])
        _LIMITS[id(system_class)] = entry  # holding the class keeps its id its own
    return entry[2], entry[3]


def read_consumed(rt: RuntimeInstance) -> list[int]:
    """System.BlockWeight as [normal ref, normal proof, operational ref, proof, mandatory ref, proof]."""
    item = rt.System.BlockWeight.item
    return list(rt.storage.get_decoded(item.prefix, _decode_consumed))


def _decode_consumed(raw: bytes | None) -> tuple[int, ...]:
    if raw is None:
        return (0, 0, 0, 0, 0, 0)
    out = []
    pos = 0
    try:
        for _ in range(6):
            value, pos = decode_compact(raw, pos)
            out.append(value)
    except ScaleDecodeError:
        pos = -1
    if pos != len(raw) or max(out) > _U64_MAX:  # not what we write: let the type object raise its error
        c = ConsumedWeight.decode(raw)
        return tuple(c[n][k] for n in _CLASS_NAMES for k in ("ref_time", "proof_size"))
    return tuple(out)


_TAILS: dict[tuple[int, ...], bytes] = {}
"""The encoded operational and mandatory weights by value: a Normal extrinsic changes only the Normal part."""


def write_consumed(rt: RuntimeInstance, consumed: list[int]) -> None:
    """Store System.BlockWeight from the six-int form of `read_consumed` (same bytes as the type object)."""
    item = rt.System.BlockWeight.item
    if min(consumed) < 0 or max(consumed) > _U64_MAX:  # out of range: the type object raises its error
        item.value_type.encode({n: {"ref_time": consumed[2 * i], "proof_size": consumed[2 * i + 1]}
                                for i, n in enumerate(_CLASS_NAMES)})
    value = tuple(consumed)
    tail_key = value[2:]
    tail = _TAILS.get(tail_key)
    if tail is None:
        if len(_TAILS) >= 64:
            _TAILS.clear()
        tail = _TAILS[tail_key] = b"".join([encode_compact(v) for v in tail_key])
    rt.storage.set_decoded(item.prefix, encode_compact(value[0]) + encode_compact(value[1]) + tail, value)


def read_all_extrinsics_len(rt: RuntimeInstance) -> int:
    """System.AllExtrinsicsLen (0 when absent)."""
    return rt.System.AllExtrinsicsLen.get() or 0


class PendingWeight(NamedTuple):
    """What CheckWeight records for one extrinsic once it is in: the new BlockWeight and AllExtrinsicsLen."""

    consumed: list[int]
    all_len: int


def check_weight(rt: RuntimeInstance, info: DispatchInfo, length: int, *, record: bool) -> PendingWeight:
    """CheckWeight: the extrinsic fits the class's per-extrinsic and per-block limits; optionally record it.

    Returns the values that recording writes, so a caller that checked first can record later with
    `record_weight` without computing them again (valid while BlockWeight and AllExtrinsicsLen are unchanged).
    """
    per_class, max_block_ref = class_limits(rt)
    cls = int(info.dispatch_class)
    lim = per_class[cls]
    ext_ref = info.weight.ref_time + lim.base_ref
    ext_proof = info.weight.proof_size + lim.base_proof
    max_ext = lim.max_extrinsic
    if max_ext is not None and (ext_ref > max_ext[0] or ext_proof > max_ext[1]):
        raise InvalidTransaction(InvalidKind.ExhaustsResources)
    system = rt.System
    storage = rt.storage
    len_item = system.AllExtrinsicsLen.item  # read_all_extrinsics_len and read_consumed, inline
    all_len = (storage.get_decoded(len_item.prefix, len_item._decode) or 0) + length
    if all_len > lim.max_len:
        raise InvalidTransaction(InvalidKind.ExhaustsResources)
    consumed = list(storage.get_decoded(system.BlockWeight.item.prefix, _decode_consumed))
    new_ref = consumed[2 * cls] + ext_ref
    new_proof = consumed[2 * cls + 1] + ext_proof
    if info.dispatch_class != DispatchClass.Mandatory:
        max_total = lim.max_total
        if max_total is not None and (new_ref > max_total[0] or new_proof > max_total[1]):
            raise InvalidTransaction(InvalidKind.ExhaustsResources)
        total_ref = consumed[0] + consumed[2] + consumed[4] + ext_ref
        if lim.reserved_is_none or info.dispatch_class == DispatchClass.Normal:
            if total_ref > max_block_ref:
                raise InvalidTransaction(InvalidKind.ExhaustsResources)
    consumed[2 * cls] = new_ref
    consumed[2 * cls + 1] = new_proof
    pending = PendingWeight(consumed, all_len)
    if record:
        record_weight(rt, pending)
    return pending


def record_weight(rt: RuntimeInstance, pending: PendingWeight) -> None:
    """CheckWeight's bookkeeping: store the block's new consumed weight and extrinsics length."""
    write_consumed(rt, pending.consumed)
    rt.storage.set_decoded(rt.System.AllExtrinsicsLen.item.prefix, pending.all_len.to_bytes(4, "little"),
                           pending.all_len)


def refund_weight(rt: RuntimeInstance, info: DispatchInfo, actual: Weight) -> None:
    """CheckWeight::post_dispatch: give back the weight the call did not use."""
    unspent_ref = max(info.weight.ref_time - actual.ref_time, 0)
    unspent_proof = max(info.weight.proof_size - actual.proof_size, 0)
    if not unspent_ref and not unspent_proof:
        return
    consumed = read_consumed(rt)
    cls = int(info.dispatch_class)
    consumed[2 * cls] = max(consumed[2 * cls] - unspent_ref, 0)
    consumed[2 * cls + 1] = max(consumed[2 * cls + 1] - unspent_proof, 0)
    write_consumed(rt, consumed)
