"""The executive (frame_executive): builds, executes and validates blocks and transactions.

`initialize_block` → `apply_extrinsic` (each) → `finalize_block` is what both the block author and the
importer run; `validate_transaction` is what the pool asks, on a throwaway overlay initialised for the
next block as FRAME does. The state root is not computed here: the node owns the trie over the whole
state, so `finalize_block` returns the header without it together with the change set.

AUDIT: once an extrinsic has passed its checks and paid its fee, nothing below may raise for it: a
dispatch error is recorded as ExtrinsicFailed and the extrinsic stays in the block.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from pallets.balances.errors import FeePaymentError
from pallets.mq import check_seq as mq_check_seq  # CheckMqSequence (PhalaMq)
from runtime.digest_values import digest_from_value, digest_to_value
from runtime.extensions import (
    PreDispatch,
    check_birth,
    check_nonce,
    check_weight,
    class_limits,
    nonce_tag,
    record_weight,
    refund_weight,
)
from runtime.primitives.extrinsic import DecodedExtrinsic, decode_extrinsic
from runtime.primitives.header import DigestItem, Header
from runtime.primitives.trie import ordered_trie_root
from runtime.scale import ScaleDecodeError
from runtime.signature_cache import VerifiedSignatures
from runtime.support.errors import DispatchError
from runtime.support.memo import IdentityMemo
from runtime.support.origin import NONE, Signed
from runtime.support.overlay import Overlay, StorageReader
from runtime.support.runtime import Call, Runtime, RuntimeInstance
from runtime.support.weights import DispatchClass, DispatchInfo, Pays, Weight
from runtime.validity import (
    InvalidKind,
    InvalidTransaction,
    TransactionSource,
    TransactionValidityError,
    UnknownKind,
    UnknownTransaction,
    ValidTransaction,
)
from runtime.version import RuntimeVersion

_UNKNOWN: Any = object()
_ZERO_ACCOUNT = bytes(32)


class ExtrinsicFormatError(Exception):
    """The bytes are not a well-formed extrinsic of this runtime (the node's JSON-RPC 1001)."""


class InvalidBlock(Exception):
    """A block cannot be executed: a mandatory extrinsic failed, or its roots/parent do not match."""


@dataclass(frozen=True)
class ApplyOutcome:
    """The result of applying one extrinsic that made it into the block."""

    error: DispatchError | None
    info: DispatchInfo


@dataclass
class BlockInProgress:
    """A block being built or imported: overlay, runtime view and the extrinsics applied so far."""

    number: int
    parent_hash: bytes
    overlay: Overlay
    rt: RuntimeInstance
    extrinsics: list[bytes] = field(default_factory=list)


@dataclass(frozen=True)
class FinishedBlock:
    """finalize_block's output: the header (state root still zero), body and storage change set."""

    header: Header
    extrinsics: tuple[bytes, ...]
    changes: dict[bytes, bytes | None]
    events: tuple[bytes, ...]


class ValidationContext:
    """Pool validation against one best block: the next block initialised once, each transaction checked in a
    child storage layer that is rolled back, so a validation leaves nothing behind for the next one.

    Gives the same answers as `Executive.validate_transaction` at that block. Build a new context when the
    best block changes (the base must be that block's state and must not change under the context). Not
    thread-safe: one validation at a time.
    """

    def __init__(self, executive: Executive, block: BlockInProgress) -> None:
        self.executive = executive
        self.block = block

    @property
    def block_number(self) -> int:
        """The number of the best block the context validates at (the initialised block is the next one)."""
        return self.block.number - 1

    @property
    def block_hash(self) -> bytes:
        """The hash of the best block the context validates at."""
        return self.block.parent_hash

    def validate(self, source: TransactionSource, raw: bytes) -> ValidTransaction:
        """TaggedTransactionQueue::validate_transaction for `raw`; raises as `Executive.validate_transaction`."""
        executive = self.executive
        xt = executive._decode(raw)
        call = executive._decode_call(xt)
        overlay = self.block.overlay
        overlay.begin()
        try:
            return executive._validate(self.block, source, raw, xt, call)
        finally:
            overlay.rollback()


class Executive:
    """Block and transaction execution for one assembled runtime."""

    def __init__(self, runtime: Runtime, version: RuntimeVersion) -> None:
        self.runtime = runtime
        self.version = version
        self.verified = VerifiedSignatures()
        self._hooks_init = [p for _, p in runtime.pallets if "on_initialize" in p.__dict__]
        self._hooks_final = [p for _, p in runtime.pallets if "on_finalize" in p.__dict__]
        self._info_fns: dict[type, Any] = {}  # pallet class -> its dispatch_info_of (or None)
        self._origins: dict[bytes, Signed] = {}  # Signed is immutable: one per account is shared (bounded)
        # for the calls' shared static infos: the ExtrinsicSuccess/Failed info, and ApplyOutcome(None, info)
        self._event_infos: IdentityMemo[DispatchInfo] = IdentityMemo()
        self._succeeded: IdentityMemo[ApplyOutcome] = IdentityMemo()

    # -- blocks ------------------------------------------------------------------------------------

    def initialize_block(self, base: StorageReader, number: int, parent_hash: bytes,
                         digest: tuple[DigestItem, ...] = ()) -> BlockInProgress:
        """Start block `number` on top of the parent's state `base`."""
        overlay = Overlay(base)
        rt = self.runtime.instance(overlay, number)
        rt.set_phase_initialization()
        system = rt.System
        system.initialize(number, parent_hash, digest_to_value(digest))
        weight = Weight(system.BlockWeights["base_block"]["ref_time"], system.BlockWeights["base_block"]["proof_size"])
        for pallet in self._hooks_init:
            used = rt.pallet(pallet).on_initialize(number)
            if isinstance(used, Weight):
                weight = weight + used
        consumed = system.BlockWeight.get()
        consumed["mandatory"] = {"ref_time": weight.ref_time, "proof_size": weight.proof_size}
        system.BlockWeight.put(consumed)
        rt.set_phase_apply(0)
        return BlockInProgress(number, parent_hash, overlay, rt)

    def apply_extrinsic(self, block: BlockInProgress, raw: bytes) -> ApplyOutcome:
        """Check and apply one extrinsic; TransactionValidityError means it must not enter the block."""
        xt = self._decode(raw)
        call = self._decode_call(xt)
        block.overlay.begin()  # a refused extrinsic must leave no trace in the block
        try:
            outcome = self._apply(block, xt, call, raw)
        except BaseException:
            block.overlay.rollback()
            raise
        block.overlay.commit()
        block.extrinsics.append(raw)
        return outcome

    def _apply(self, block: BlockInProgress, xt: DecodedExtrinsic, call: Call, raw: bytes) -> ApplyOutcome:
        rt = block.rt
        info = self.dispatch_info(call)
        if xt.signed:
            pre = self._pre_dispatch(rt, xt, call, info, len(raw))
            origin = self._origins.get(pre.who)
            if origin is None:
                if len(self._origins) >= 4096:
                    self._origins.clear()
                origin = self._origins[pre.who] = Signed(pre.who)
            outcome = self._dispatch(rt, origin, call, info)
            self._post_dispatch(rt, pre, info, outcome, len(raw))
        else:
            self._check_unsigned(rt, call, info, len(raw))
            outcome = self._dispatch(rt, NONE, call, info)
            if outcome.error is not None and info.dispatch_class == DispatchClass.Mandatory:
                raise InvalidTransaction(InvalidKind.BadMandatory)
        rt.System.note_applied_extrinsic(
            rt.dispatch_error_value(outcome.error) if outcome.error is not None else None,
            self._event_info(rt, info, outcome.info, call.spec.static_info))
        return outcome

    def _event_info(self, rt: RuntimeInstance, info: DispatchInfo, post: DispatchInfo,
                    static: DispatchInfo | None) -> DispatchInfo:
        """The dispatch info the ExtrinsicSuccess/Failed event reports: the actual weight plus the base extrinsic
        weight of the class, and the actual Pays. Memoised for a call's shared static info left unchanged."""
        memo = post is info and info is static  # this executive's runtime has one System: its limits are fixed
        if memo and (known := self._event_infos.get(info)) is not None:
            return known
        lim = class_limits(rt)[0][info.dispatch_class]
        weight = post.weight
        event_info = DispatchInfo(Weight(weight.ref_time + lim.base_ref, weight.proof_size + lim.base_proof),
                                  info.dispatch_class, post.pays_fee)
        return self._event_infos.put(info, event_info) if memo else event_info

    def finalize_block(self, block: BlockInProgress) -> FinishedBlock:
        """Run on_finalize hooks and System.finalize; return the header (state root zero) and changes."""
        rt = block.rt
        rt.System.note_finished_extrinsics()
        for pallet in self._hooks_final:
            rt.pallet(pallet).on_finalize(block.number)
        rt.System.finalize()
        digest = digest_from_value(rt.System.Digest.get()["logs"])
        header = Header(block.parent_hash, block.number, bytes(32),
                        ordered_trie_root(block.extrinsics), digest)
        events = tuple(record for record, _ in block.overlay.events)
        return FinishedBlock(header, tuple(block.extrinsics), block.overlay.changes(), events)

    def execute_block(self, base: StorageReader, header: Header, extrinsics: list[bytes]) -> FinishedBlock:
        """Re-execute an imported block; InvalidBlock when any extrinsic is refused or a root differs."""
        pre_digest = tuple(d for d in header.digest if d.kind != 5)
        block = self.initialize_block(base, header.number, header.parent_hash, pre_digest)
        for raw in extrinsics:
            try:
                self.apply_extrinsic(block, raw)
            except (TransactionValidityError, ExtrinsicFormatError) as exc:
                raise InvalidBlock(f"extrinsic {len(block.extrinsics)} refused: {exc}") from exc
        finished = self.finalize_block(block)
        if finished.header.extrinsics_root != header.extrinsics_root:
            raise InvalidBlock("extrinsics root mismatch")
        return finished

    # -- transactions ------------------------------------------------------------------------------

    def validate_transaction(self, base: StorageReader, source: TransactionSource, raw: bytes,
                             block_hash: bytes, block_number: int) -> ValidTransaction:
        """TaggedTransactionQueue: validity at the state after `block_hash`, as FRAME (initialised at +1).

        One-off form of `validation_context(...).validate(...)`; the pool should hold a context per best block.
        """
        xt = self._decode(raw)
        call = self._decode_call(xt)
        return self._validate(self.initialize_block(base, block_number + 1, block_hash), source, raw, xt, call)

    def validation_context(self, base: StorageReader, block_hash: bytes, block_number: int) -> ValidationContext:
        """The block `block_number + 1` initialised once on `base` (the state after `block_hash`), for validating
        many transactions against it: see `ValidationContext`."""
        return ValidationContext(self, self.initialize_block(base, block_number + 1, block_hash))

    def _validate(self, block: BlockInProgress, source: TransactionSource, raw: bytes, xt: DecodedExtrinsic,
                  call: Call) -> ValidTransaction:
        rt = block.rt
        current = block.number
        info = self.dispatch_info(call)
        if not xt.signed:
            if info.dispatch_class == DispatchClass.Mandatory:
                raise InvalidTransaction(InvalidKind.MandatoryValidation)
            return self._validate_unsigned(rt, source, call)
        who = self._check_signature(rt, xt, current)
        account = rt.System.account(who)
        check_nonce(account, xt.nonce or 0, for_block=False)
        check_weight(rt, info, len(raw), record=False)
        mq_requires, mq_provides = mq_check_seq.validate(rt, call)  # CheckMqSequence (PhalaMq)
        payment = rt.TransactionPayment
        fee = payment.compute_fee(len(raw), info, xt.tip or 0)
        if fee and not rt.Balances.can_withdraw_fee(who, fee, account):
            raise InvalidTransaction(InvalidKind.Payment)
        nonce = xt.nonce or 0
        requires = ((nonce_tag(who, nonce - 1),) if nonce > account.nonce else ()) + mq_requires
        era = xt.era
        longevity = (era.death(current) - current) if era and not era.is_immortal else (1 << 64) - 1
        return ValidTransaction(
            priority=payment.priority(len(raw), info, xt.tip or 0, fee),
            requires=requires, provides=(nonce_tag(who, nonce),) + mq_provides, longevity=longevity, propagate=True,
        )

    def dispatch_info(self, call: Call) -> DispatchInfo:
        """Pre-dispatch weight, class and fee liability of a call."""
        spec = call.spec
        pallet = call.pallet
        info_fn = self._info_fns.get(pallet, _UNKNOWN)
        if info_fn is _UNKNOWN:
            info_fn = self._info_fns[pallet] = getattr(pallet, "dispatch_info_of", None)
        if info_fn is not None:
            custom = info_fn(spec.name, call.args)
            if custom is not None:
                return custom  # type: ignore[no-any-return]
        static = spec.static_info  # the same value, shared: DispatchInfo is immutable
        if static is not None:
            return static
        return DispatchInfo(spec.weight_of(call.args), spec.dispatch_class, spec.pays)

    # -- internals ---------------------------------------------------------------------------------

    def _decode(self, raw: bytes) -> DecodedExtrinsic:
        try:
            return decode_extrinsic(raw)
        except ScaleDecodeError as exc:
            raise ExtrinsicFormatError(str(exc)) from None

    def _decode_call(self, xt: DecodedExtrinsic) -> Call:
        try:
            return self.runtime.decode_call_exact(xt.call)
        except ScaleDecodeError as exc:
            raise ExtrinsicFormatError(f"call: {exc}") from None

    def _check_signature(self, rt: RuntimeInstance, xt: DecodedExtrinsic, current: int) -> bytes:
        who = xt.signer
        if who is None or xt.era is None:
            raise InvalidTransaction(InvalidKind.BadProof)
        if who == _ZERO_ACCOUNT:
            raise InvalidTransaction(InvalidKind.BadSigner)
        genesis = rt.System.BlockHash.get(0)
        birth_hash = check_birth(rt, xt.era, current, genesis)
        key = xt.hash + genesis + birth_hash
        if key not in self.verified:
            if not xt.verify_signature(self.version.spec_version, self.version.transaction_version, genesis,
                                       birth_hash):
                raise InvalidTransaction(InvalidKind.BadProof)
            self.verified.add(key)
        if xt.era.death(current) <= current:
            raise InvalidTransaction(InvalidKind.AncientBirthBlock)
        return who

    def _pre_dispatch(self, rt: RuntimeInstance, xt: DecodedExtrinsic, call: Call, info: DispatchInfo,
                      length: int) -> PreDispatch:
        who = self._check_signature(rt, xt, rt.block_number)
        account = rt.System.account(who)
        check_nonce(account, xt.nonce or 0, for_block=True)
        pending = check_weight(rt, info, length, record=False)
        mq_check_seq.pre_dispatch(rt, call)  # CheckMqSequence (PhalaMq): Stale / Future
        tip = xt.tip or 0
        fee = rt.TransactionPayment.compute_fee(length, info, tip)
        # CheckNonce::pre_dispatch increments the nonce (FRAME runs it before ChargeTransactionPayment); the record
        # is stored together with the fee withdrawal, in one write for a plain account
        account.nonce += 1
        try:
            rt.Balances.withdraw_fee_storing(who, fee, account)
        except FeePaymentError:
            raise InvalidTransaction(InvalidKind.Payment) from None
        record_weight(rt, pending)  # what CheckWeight checked above: nothing in between touched the block weight
        return PreDispatch(who, fee, tip)

    def _dispatch(self, rt: RuntimeInstance, origin: Any, call: Call, info: DispatchInfo) -> ApplyOutcome:
        try:
            result = rt.dispatch(origin, call)
        except DispatchError as err:
            return ApplyOutcome(err, info)
        if result is None:  # nothing reported: the declared info stands (the same value)
            known = self._succeeded.get(info)
            if known is not None:
                return known
            outcome = ApplyOutcome(None, info)  # immutable: shared for the call's shared static info
            return self._succeeded.put(info, outcome) if info is call.spec.static_info else outcome
        actual = info.weight
        pays = info.pays_fee
        if isinstance(result, Weight):
            actual = Weight(min(result.ref_time, info.weight.ref_time), min(result.proof_size, info.weight.proof_size))
        elif isinstance(result, DispatchInfo):
            actual = result.weight
            pays = result.pays_fee
        return ApplyOutcome(None, DispatchInfo(actual, info.dispatch_class, pays))

    def _post_dispatch(self, rt: RuntimeInstance, pre: PreDispatch, info: DispatchInfo, outcome: ApplyOutcome,
                       length: int) -> None:
        if outcome.info is not info:  # else nothing unspent to give back
            refund_weight(rt, info, outcome.info.weight)
        payment = rt.TransactionPayment
        actual_fee = payment.compute_actual_fee(length, info, outcome.info, pre.tip)
        if pre.fee:
            rt.Balances.refund_fee(pre.who, pre.fee - actual_fee, withdrawn=pre.fee)
        payment.deposit_fee_paid(pre.who, actual_fee, pre.tip)

    def _check_unsigned(self, rt: RuntimeInstance, call: Call, info: DispatchInfo, length: int) -> None:
        if info.dispatch_class == DispatchClass.Mandatory:
            check_weight(rt, info, length, record=True)
            return
        self._validate_unsigned(rt, TransactionSource.InBlock, call)
        check_weight(rt, info, length, record=True)

    def _validate_unsigned(self, rt: RuntimeInstance, source: TransactionSource, call: Call) -> ValidTransaction:
        validator = getattr(rt.pallet(call.pallet), "validate_unsigned", None)
        if validator is None:
            raise UnknownTransaction(UnknownKind.NoUnsignedValidator)
        return validator(source, call.spec.name, call.args)  # type: ignore[no-any-return]


__all__ = ["ApplyOutcome", "BlockInProgress", "Executive", "ExtrinsicFormatError", "FinishedBlock", "InvalidBlock",
           "Pays", "ValidationContext"]
