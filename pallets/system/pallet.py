"""frame_system: accounts and their reference counts, block bookkeeping, events and low-level root calls.

The executive drives the block lifecycle through `initialize`, `note_applied_extrinsic` and
`finalize`; other pallets use the account helpers (`account`, `inc_providers`, `dec_providers`,
`inc_account_nonce`). Storage names, events, errors and constants are FRAME's, so clients decode them
unchanged.
"""

from __future__ import annotations

from typing import Annotated, Any

from pallets.balances.types import NEW_LOGIC_FLAG
from runtime import support
from runtime.primitives.hashing import blake2_256
from runtime.primitives.types import (
    H256,
    AccountId,
    BlockNumber,
    Digest,
    DispatchError,
    DispatchEventInfo,
    Phase,
    RuntimeVersionType,
    event_record,
)
from runtime.scale import U16, U32, Bool, Bytes, Tuple, Vec
from runtime.scale.compact import encode_compact
from runtime.support import (
    Blake2_128Concat,
    Pallet,
    StorageMap,
    StorageValue,
    Twox64Concat,
    call,
    constant,
    ensure_root,
    ensure_signed,
    event,
)
from runtime.support.errors import ConsumerRemaining
from runtime.support.memo import IdentityMemo
from runtime.support.origin import Origin
from runtime.support.params import BytesParam, HashParam, U64Param
from runtime.support.runtime import OuterEvent
from runtime.support.weights import DispatchInfo, Weight

from . import limits
from .types import (
    AccountFields,
    AccountInfo,
    AccountInfoCodec,
    BlockLengthType,
    BlockWeightsType,
    CodeUpgradeAuthorization,
    ConsumedWeight,
    LastRuntimeUpgradeInfo,
    RuntimeDbWeight,
    account_fields,
    decode_account_fields,
    encode_account_fields,
)

_U64_MAX = (1 << 64) - 1


def _dispatch_info_bytes(info: DispatchInfo) -> bytes:
    """SCALE of DispatchEventInfo for `info` by hand (the type object's bytes; it raises when out of range)."""
    weight = info.weight
    if not (0 <= weight.ref_time <= _U64_MAX and 0 <= weight.proof_size <= _U64_MAX):
        return bytes(DispatchEventInfo.encode(info.to_scale_value()))
    return (encode_compact(weight.ref_time) + encode_compact(weight.proof_size)
            + bytes((int(info.dispatch_class), int(info.pays_fee))))


_INFO_BYTES: IdentityMemo[bytes] = IdentityMemo()
"""DispatchInfo -> its DispatchEventInfo bytes."""

KeyValue = Tuple((Bytes, Bytes))
StorageKeys = Annotated[Any, Vec(Bytes), "Vec<Key>"]
StorageItems = Annotated[Any, Vec(KeyValue), "Vec<KeyValue>"]
CODE_KEY = b":code"
HEAP_PAGES_KEY = b":heappages"
EXTRINSIC_INDEX_KEY = b":extrinsic_index"


class System(Pallet, name="System", rust_module="frame_system"):
    """Accounts, block metadata and events: the pallet every other pallet builds on."""

    BlockWeights = constant(BlockWeightsType, limits.BLOCK_WEIGHTS, "Block & extrinsics weights: base values and limits.")
    BlockLength = constant(BlockLengthType, limits.BLOCK_LENGTH, "The maximum length of a block (in bytes).")
    BlockHashCount = constant(U32, 2400, "Maximum number of block number to block hash mappings to keep (oldest pruned first).")
    DbWeight = constant(RuntimeDbWeight, limits.DB_WEIGHT, "The weight of runtime database operations the runtime can invoke.")
    Version = constant(RuntimeVersionType, limits.VERSION_PLACEHOLDER, "Get the chain's in-code version.")
    SS58Prefix = constant(U16, 42, "The designated SS58 prefix of this chain.\n\n"
                          "This replaces the \"ss58Format\" property declared in the chain spec. Reason is\n"
                          "that the runtime should know about the prefix in order to make use of it as\n"
                          "an identifier of the chain.")

    Account = StorageMap(Blake2_128Concat, AccountId, AccountInfoCodec, default=AccountInfo(flags=NEW_LOGIC_FLAG),
                         doc="The full account information for a particular account ID.")
    ExtrinsicCount = StorageValue(U32, doc="Total extrinsics count for the current block.")
    InherentsApplied = StorageValue(Bool, default=False, doc="Whether all inherents have been applied.")
    BlockWeight = StorageValue(ConsumedWeight, default=limits.ZERO_CONSUMED, doc="The current weight for the block.")
    AllExtrinsicsLen = StorageValue(U32, doc="Total length (in bytes) for all extrinsics put together, for the current block.")
    BlockHash = StorageMap(Twox64Concat, BlockNumber, H256, default=bytes(32), doc="Map of block numbers to block hashes.")
    ExtrinsicData = StorageMap(Twox64Concat, U32, Bytes, default=b"",
                               doc="Extrinsics data for the current block (maps an extrinsic's index to its data).")
    Number = StorageValue(BlockNumber, default=0, doc="The current block number being processed. Set by `execute_block`.")
    ParentHash = StorageValue(H256, default=bytes(32), doc="Hash of the previous block.")
    Digest = StorageValue(Digest, default={"logs": ()}, doc="Digest of the current block, also part of the block header.")
    Events = StorageValue(Vec(event_record(OuterEvent)), default=(),
                          doc="Events deposited for the current block.\n\n"
                              "NOTE: The item is unbound and should therefore never be read on chain.\n"
                              "It could otherwise inflate the PoV size of a block.\n\n"
                              "Events have a large in-memory size. Box the events to not go out-of-memory\n"
                              "just in case someone still reads them from within the runtime.")
    EventCount = StorageValue(U32, default=0, doc="The number of events in the `Events<T>` list.")
    EventTopics = StorageMap(Blake2_128Concat, H256, Vec(Tuple((BlockNumber, U32))), default=(),
                             doc="Mapping between a topic (represented by T::Hash) and a vector of indexes\n"
                                 "of events in the `<Events<T>>` list.\n\n"
                                 "All topic vectors have deterministic storage locations depending on the topic. This\n"
                                 "allows light-clients to leverage the changes trie storage tracking mechanism and\n"
                                 "in case of changes fetch the list of events of interest.\n\n"
                                 "The value has the type `(BlockNumberFor<T>, EventIndex)` because if we used only just\n"
                                 "the `EventIndex` then in case if the topic has the same contents on the next block\n"
                                 "no notification will be triggered thus the event might be lost.")
    LastRuntimeUpgrade = StorageValue(LastRuntimeUpgradeInfo,
                                      doc="Stores the `spec_version` and `spec_name` of when the last runtime upgrade happened.")
    UpgradedToU32RefCount = StorageValue(Bool, default=False, doc="True if we have upgraded so that `type RefCount` is `u32`. False (default) if not.")
    UpgradedToTripleRefCount = StorageValue(Bool, default=False,
                                            doc="True if we have upgraded so that AccountInfo contains three types of `RefCount`. False\n"
                                                "(default) if not.")
    ExecutionPhase = StorageValue(Phase, doc="The execution phase of the block.")
    AuthorizedUpgrade = StorageValue(CodeUpgradeAuthorization, doc="`Some` if a code upgrade has been authorized.")

    class Event(support.Events):  # `Events` is a storage item here, hence the qualified name
        """Event for the System pallet."""

        ExtrinsicSuccess = event("An extrinsic completed successfully.",
                                 dispatch_info=(DispatchEventInfo, "DispatchEventInfo"))
        ExtrinsicFailed = event("An extrinsic failed.", dispatch_error=(DispatchError, "DispatchError"),
                                dispatch_info=(DispatchEventInfo, "DispatchEventInfo"))
        CodeUpdated = event("`:code` was updated.")
        NewAccount = event("A new account was created.", account=(AccountId, "T::AccountId"))
        KilledAccount = event("An account was reaped.", account=(AccountId, "T::AccountId"))
        Remarked = event("On on-chain remark happened.", sender=(AccountId, "T::AccountId"), hash=(H256, "T::Hash"))
        UpgradeAuthorized = event("An upgrade was authorized.", code_hash=(H256, "T::Hash"),
                                  check_version=(Bool, "bool"))

    class Error(support.Errors):
        """Error for the System pallet"""

        InvalidSpecName: Any = ("The name of specification does not match between the current runtime\n"
                                "and the new runtime.")
        SpecVersionNeedsToIncrease: Any = ("The specification version is not allowed to decrease between the current runtime\n"
                                           "and the new runtime.")
        FailedToExtractRuntimeVersion: Any = ("Failed to extract the runtime version from the new runtime.\n\n"
                                              "Either calling `Core_version` or decoding `RuntimeVersion` failed.")
        NonDefaultComposite: Any = "Suicide called when the account has non-default composite data."
        NonZeroRefCount: Any = "There is a non-zero reference count preventing the account from being purged."
        CallFiltered: Any = "The origin filter prevent the call to be dispatched."
        MultiBlockMigrationsOngoing: Any = "A multi-block migration is ongoing and prevents the current code from being replaced."
        NothingAuthorized: Any = "No upgrade authorized."
        Unauthorized: Any = "The submitted code is not authorized."

    # -- calls --------------------------------------------------------------------------------------

    @call(index=0, weight=lambda a: Weight(limits.REMARK_BASE + limits.REMARK_PER_BYTE * len(a["remark"]), 0))
    def remark(self, origin: Origin, remark: BytesParam) -> None:
        """Make some on-chain remark.

        Can be executed by every `origin`.
        """

    @call(index=1, weight=Weight(limits.SET_HEAP_PAGES, 0))
    def set_heap_pages(self, origin: Origin, pages: U64Param) -> None:
        """Set the number of pages in the WebAssembly environment's heap."""
        ensure_root(origin)
        self.ext.storage.set(HEAP_PAGES_KEY, pages.to_bytes(8, "little"))

    @call(index=2, weight=Weight(limits.SET_CODE, 0))
    def set_code(self, origin: Origin, code: BytesParam) -> None:
        """Set the new runtime code."""  # this runtime is Python: the new code is stored, not executed
        ensure_root(origin)
        self._store_code(code)

    @call(index=3, weight=Weight(limits.SET_CODE, 0))
    def set_code_without_checks(self, origin: Origin, code: BytesParam) -> None:
        """Set the new runtime code without doing any checks of the given `code`.

        Note that runtime upgrades will not run if this is called with a not-increasing spec
        version!
        """
        ensure_root(origin)
        self._store_code(code)

    @call(index=4, weight=lambda a: Weight(limits.SET_STORAGE_PER_ITEM * len(a["items"]), 0))
    def set_storage(self, origin: Origin, items: StorageItems) -> None:
        """Set some items of storage."""
        ensure_root(origin)
        for key, value in items:
            self.ext.storage.set(key, value)

    @call(index=5, weight=lambda a: Weight(limits.SET_STORAGE_PER_ITEM * len(a["keys"]), 0))
    def kill_storage(self, origin: Origin, keys: StorageKeys) -> None:
        """Kill some items from storage."""
        ensure_root(origin)
        for key in keys:
            self.ext.storage.set(key, None)

    @call(index=6, weight=lambda a: Weight(limits.SET_STORAGE_PER_ITEM * (a["subkeys"] + 1), 0))
    def kill_prefix(self, origin: Origin, prefix: Annotated[bytes, Bytes, "Key"],
                    subkeys: Annotated[int, U32, "u32"]) -> None:
        """Kill all storage items with a key that starts with the given prefix.

        **NOTE:** We rely on the Root origin to provide us the number of subkeys under
        the prefix we are removing to accurately calculate the weight of this function.
        """
        ensure_root(origin)
        doomed = [k for k, _ in self.ext.storage.iter_prefix(prefix)][: max(subkeys, 0) or None]
        for key in doomed:
            self.ext.storage.set(key, None)

    @call(index=7, weight=lambda a: Weight(limits.REMARK_WITH_EVENT_BASE + limits.REMARK_PER_BYTE * len(a["remark"]), 0))
    def remark_with_event(self, origin: Origin, remark: BytesParam) -> None:
        """Make some on-chain remark and emit event."""
        who = ensure_signed(origin)
        self.deposit_event(self.Event.Remarked(sender=who, hash=blake2_256(remark)))

    @call(index=9, weight=Weight(limits.AUTHORIZE_UPGRADE, 0))
    def authorize_upgrade(self, origin: Origin, code_hash: HashParam) -> None:
        """Authorize an upgrade to a given `code_hash` for the runtime. The runtime can be supplied
        later.

        This call requires Root origin.
        """
        ensure_root(origin)
        self._authorize(code_hash, True)

    @call(index=10, weight=Weight(limits.AUTHORIZE_UPGRADE, 0))
    def authorize_upgrade_without_checks(self, origin: Origin, code_hash: HashParam) -> None:
        """Authorize an upgrade to a given `code_hash` for the runtime. The runtime can be supplied
        later.

        WARNING: This authorizes an upgrade that will take place without any safety checks, for
        example that the spec name remains the same and that the version number increases. Not
        recommended for normal use. Use `authorize_upgrade` instead.

        This call requires Root origin.
        """
        ensure_root(origin)
        self._authorize(code_hash, False)

    @call(index=11, weight=Weight(limits.SET_CODE, 0))
    def apply_authorized_upgrade(self, origin: Origin, code: BytesParam) -> None:
        """Provide the preimage (runtime binary) `code` for an upgrade that has been authorized.

        If the authorization required a version check, this call will ensure the spec name
        remains unchanged and that the spec version has increased.

        Depending on the runtime's `OnSetCode` configuration, this function may directly apply
        the new `code` in the same block or attempt to schedule the upgrade.

        All origins are allowed.
        """
        authorization = self.AuthorizedUpgrade.get()
        if authorization is None:
            raise self.Error.NothingAuthorized()
        if blake2_256(code) != authorization["code_hash"]:
            raise self.Error.Unauthorized()
        self.AuthorizedUpgrade.kill()
        self._store_code(code)

    def _authorize(self, code_hash: bytes, check_version: bool) -> None:
        self.AuthorizedUpgrade.put({"code_hash": code_hash, "check_version": check_version})
        self.deposit_event(self.Event.UpgradeAuthorized(code_hash=code_hash, check_version=check_version))

    def _store_code(self, code: bytes) -> None:
        self.ext.storage.set(CODE_KEY, code)
        self.deposit_event(self.Event.CodeUpdated())

    # -- accounts -----------------------------------------------------------------------------------

    def account(self, who: bytes) -> AccountInfo:
        """The AccountInfo of `who` (default when absent); a new object on every call, safe to mutate.

        The overlay memoises the record's fields as an immutable tuple while the same stored bytes stay,
        so a record written by `store_account` (or read before) is not decoded again.
        """
        bound = self.Account
        item = bound.item
        fields = bound.storage.get_decoded(item.key_of(who), decode_account_fields)
        if fields is None:
            return item._decode(None)  # type: ignore[no-any-return]  # a fresh default
        return AccountInfo(*fields)

    def account_record(self, who: bytes) -> AccountFields | None:
        """The stored AccountInfo of `who` as its immutable field tuple (see `AccountFields`), None when absent."""
        bound = self.Account
        fields: AccountFields | None = bound.storage.get_decoded(bound.item.key_of(who), decode_account_fields)
        return fields

    def store_account(self, who: bytes, info: AccountInfo) -> None:
        """`Account.insert(who, info)`: the same bytes, and the overlay remembers what they decode to."""
        self.store_account_record(who, account_fields(info))

    def store_account_record(self, who: bytes, fields: AccountFields) -> None:
        """`store_account` of the AccountInfo whose field tuple is `fields`."""
        bound = self.Account
        bound.storage.set_decoded(bound.item.key_of(who), encode_account_fields(fields), fields)

    def put_account(self, who: bytes, info: AccountInfo) -> None:
        """Store `info`, or remove the account when it has no references left."""
        if info.providers == 0 and info.sufficients == 0 and info.consumers == 0:
            self.Account.remove(who)
        else:
            self.store_account(who, info)

    def account_nonce(self, who: bytes) -> int:
        """The next nonce of `who`."""
        return self.account(who).nonce

    def inc_account_nonce(self, who: bytes) -> None:
        """Increment the nonce of `who`."""
        info = self.account(who)
        info.nonce += 1
        self.store_account(who, info)

    def inc_providers(self, who: bytes, info: AccountInfo) -> None:
        """Add a provider reference to `info` (in place); a brand-new account emits NewAccount."""
        if info.providers == 0 and info.sufficients == 0:
            self.deposit_event(self.Event.NewAccount(account=who))
        info.providers += 1

    def dec_providers(self, who: bytes, info: AccountInfo) -> bool:
        """Drop a provider reference from `info` (in place); True when the account is reaped."""
        if info.providers == 0:
            return False
        if info.providers == 1 and info.consumers > 0:
            raise ConsumerRemaining("account has consumers but would lose its last provider")
        if info.providers == 1 and info.sufficients == 0:
            info.providers = 0
            self.deposit_event(self.Event.KilledAccount(account=who))
            return True
        info.providers -= 1
        return False

    # -- block lifecycle (driven by the executive) -------------------------------------------------

    def initialize(self, number: int, parent_hash: bytes, digest_logs: tuple[Any, ...]) -> None:
        """Start block `number`: record the parent and digest, reset per-block bookkeeping."""
        self.ExecutionPhase.put(("Initialization", None))
        self.ext.storage.set(EXTRINSIC_INDEX_KEY, b"\x00\x00\x00\x00")
        self.Number.put(number)
        self.Digest.put({"logs": digest_logs})
        self.ParentHash.put(parent_hash)
        self.BlockHash.insert(number - 1, parent_hash)
        self.BlockWeight.kill()
        self.Events.kill()
        self.EventCount.kill()

    def note_applied_extrinsic(self, error: Any | None, info: DispatchInfo) -> None:
        """Emit ExtrinsicSuccess / ExtrinsicFailed (always the extrinsic's last event) and advance the index."""
        if error is None:
            encoded = _INFO_BYTES.get(info)  # the executive reuses one immutable info per kind of call
            if encoded is None:
                encoded = _INFO_BYTES.put(info, _dispatch_info_bytes(info))
            self.rt.deposit_encoded(self.Event.ExtrinsicSuccess, encoded)  # fields decoded on demand
        else:
            self.deposit_event(self.Event.ExtrinsicFailed(dispatch_error=error, dispatch_info=info.to_scale_value()))
        storage = self.ext.storage
        index = int.from_bytes(storage.get(EXTRINSIC_INDEX_KEY) or b"\x00" * 4, "little") + 1
        storage.set(EXTRINSIC_INDEX_KEY, index.to_bytes(4, "little"))
        storage.set(self.ExecutionPhase.item.prefix, b"\x00" + index.to_bytes(4, "little"))  # Phase::ApplyExtrinsic
        self.rt.set_phase_apply(index)

    def note_finished_extrinsics(self) -> None:
        """All extrinsics applied: record the count and enter the Finalization phase."""
        storage = self.ext.storage
        count = int.from_bytes(storage.get(EXTRINSIC_INDEX_KEY) or b"\x00" * 4, "little")
        storage.set(EXTRINSIC_INDEX_KEY, None)
        self.ExtrinsicCount.put(count)
        self.ExecutionPhase.put(("Finalization", None))
        self.rt.set_phase_finalization()

    def finalize(self) -> None:
        """Close the block: write the events, prune old block hashes, clear per-block items."""
        self.ExecutionPhase.kill()
        self.AllExtrinsicsLen.kill()
        self.ExtrinsicCount.kill()
        self.InherentsApplied.kill()
        number = self.Number.get()
        to_remove = number - self.BlockHashCount - 1
        if to_remove >= 0:
            self.BlockHash.remove(to_remove)
        records = self.ext.storage.events
        if records:
            raw = encode_compact(len(records)) + b"".join(r for r, _ in records)
            self.ext.storage.set(self.Events.item.prefix, raw)
            self.EventCount.put(len(records))

