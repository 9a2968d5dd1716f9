"""pallet_grandpa: the GRANDPA authority set, set id, pause/resume state and scheduled set changes.

Without a session pallet nothing schedules changes on this chain, but the machinery is FRAME's:
`schedule_change` / `schedule_pause` / `schedule_resume` record a pending transition, `on_finalize`
signals it in the block digest (a `Consensus(b"FRNK", ConsensusLog)` item) at the scheduling block
and enacts it `delay` blocks later, emitting NewAuthorities / Paused / Resumed. Equivocation reports
cannot be verified here (the template's KeyOwnerProof is `sp_core::Void`), so both report calls fail
with InvalidEquivocationProof, the first check FRAME's equivocation report system makes.
"""

from __future__ import annotations

from typing import Annotated, Any

from pallets.timestamp.pallet import write_storage_version
from runtime.primitives.account import account_id
from runtime.primitives.types import BlockNumber
from runtime.scale import U32, U64, Tuple
from runtime.support import Errors as _Errors
from runtime.support import Events as _Events
from runtime.support import (
    Pallet,
    StorageMap,
    StorageValue,
    Twox64Concat,
    call,
    constant,
    ensure_none,
    ensure_root,
    ensure_signed,
    event,
)
from runtime.support.origin import Origin

from . import weights
from .types import (
    GRANDPA_ENGINE_ID,
    AuthorityList,
    BoundedAuthorityList,
    ConsensusLog,
    EquivocationProof,
    StoredPendingChange,
    StoredState,
    Void,
)

MAX_AUTHORITIES = 32
EquivocationProofParam = Annotated[Any, EquivocationProof, "Box<EquivocationProof<T::Hash, BlockNumberFor<T>>>"]
KeyOwnerProofParam = Annotated[Any, Void, "T::KeyOwnerProof"]
BlockNumberParam = Annotated[int, BlockNumber, "BlockNumberFor<T>"]


class Grandpa(Pallet, name="Grandpa", rust_module="pallet_grandpa", event_generic=False):
    """GRANDPA finality bookkeeping: who votes, under which set id, and pending transitions."""

    MaxAuthorities = constant(U32, MAX_AUTHORITIES, "Max Authorities in use")
    MaxNominators = constant(U32, 0, "The maximum number of nominators for each validator.")
    MaxSetIdSessionEntries = constant(
        U64, 0,
        "The maximum number of entries to keep in the set id to session index mapping.\n\n"
        "Since the `SetIdSession` map is only used for validating equivocations this\n"
        "value should relate to the bonding duration of whatever staking system is\n"
        "being used (if any). If equivocation handling is not enabled then this value\n"
        "can be zero.")

    State = StorageValue(StoredState, default=("Live", None), doc="State of the current authority set.")
    PendingChange = StorageValue(StoredPendingChange, doc="Pending change: (signaled at, scheduled change).")
    NextForced = StorageValue(BlockNumber, doc="next block number where we can force a change.")
    Stalled = StorageValue(Tuple((BlockNumber, BlockNumber)), doc="`true` if we are currently stalled.")
    CurrentSetId = StorageValue(
        U64, default=0,
        doc="The number of changes (both in terms of keys and underlying economic responsibilities)\n"
            "in the \"set\" of Grandpa validators from genesis.")
    SetIdSession = StorageMap(
        Twox64Concat, U64, U32,
        doc="A mapping from grandpa set ID to the index of the *most recent* session for which its\n"
            "members were responsible.\n\n"
            "This is only used for validating equivocation proofs. An equivocation proof must\n"
            "contains a key-ownership proof for a given session, therefore we need a way to tie\n"
            "together sessions and GRANDPA set ids, i.e. we need to validate that a validator\n"
            "was the owner of a given key on a given session, and what the active set ID was\n"
            "during that session.\n\n"
            "TWOX-NOTE: `SetId` is not under user control.")
    Authorities = StorageValue(BoundedAuthorityList, default={"0": ()}, doc="The current list of authorities.")

    class Event(_Events):
        NewAuthorities = event("New authority set has been applied.", authority_set=(AuthorityList, "AuthorityList"))
        Paused = event("Current authority set has been paused.")
        Resumed = event("Current authority set has been resumed.")

    class Error(_Errors):
        PauseFailed: Any = ("Attempt to signal GRANDPA pause when the authority set isn't live\n"
                       "(either paused or already pending pause).")
        ResumeFailed: Any = ("Attempt to signal GRANDPA resume when the authority set isn't paused\n"
                        "(either live or already pending resume).")
        ChangePending: Any = "Attempt to signal GRANDPA change with one already pending."
        TooSoon: Any = "Cannot signal forced change so soon after last."
        InvalidKeyOwnershipProof: Any = "A key ownership proof provided as part of an equivocation report is invalid."
        InvalidEquivocationProof: Any = "An equivocation proof provided as part of an equivocation report is invalid."
        DuplicateOffenceReport: Any = "A given equivocation report is valid but already previously reported."

    # -- calls ----------------------------------------------------------------------------------------

    @call(index=0, weight=weights.REPORT_EQUIVOCATION)
    def report_equivocation(self, origin: Origin, equivocation_proof: EquivocationProofParam,
                            key_owner_proof: KeyOwnerProofParam) -> None:
        """Report voter equivocation/misbehavior. This method will verify the
        equivocation proof and validate the given key ownership proof
        against the extracted offender. If both are valid, the offence
        will be reported.
        """
        ensure_signed(origin)
        self._process_evidence(equivocation_proof, key_owner_proof)

    @call(index=1, weight=weights.REPORT_EQUIVOCATION)
    def report_equivocation_unsigned(self, origin: Origin, equivocation_proof: EquivocationProofParam,
                                     key_owner_proof: KeyOwnerProofParam) -> None:
        """Report voter equivocation/misbehavior. This method will verify the
        equivocation proof and validate the given key ownership proof
        against the extracted offender. If both are valid, the offence
        will be reported.

        This extrinsic must be called unsigned and it is expected that only
        block authors will call it (validated in `ValidateUnsigned`), as such
        if the block author is defined it will be defined as the equivocation
        reporter.
        """
        ensure_none(origin)
        self._process_evidence(equivocation_proof, key_owner_proof)

    @call(index=2, weight=weights.NOTE_STALLED)
    def note_stalled(self, origin: Origin, delay: BlockNumberParam, best_finalized_block_number: BlockNumberParam) -> None:
        """Note that the current authority set of the GRANDPA finality gadget has stalled.

        This will trigger a forced authority set change at the beginning of the next session, to
        be enacted `delay` blocks after that. The `delay` should be high enough to safely assume
        that the block signalling the forced change will not be re-orged e.g. 1000 blocks.
        The block production rate (which may be slowed down because of finality lagging) should
        be taken into account when choosing the `delay`. The GRANDPA voters based on the new
        authority will start voting on top of `best_finalized_block_number` for new finalized
        blocks. `best_finalized_block_number` should be the highest of the latest finalized
        block of all validators of the new authority set.

        Only callable by root.
        """
        ensure_root(origin)
        self.on_stalled(delay, best_finalized_block_number)

    def _process_evidence(self, equivocation_proof: Any, key_owner_proof: Any) -> None:
        # FRAME checks the equivocation proof (votes differ, signatures valid) before the key
        # ownership proof; with no way to check either here, every report fails at the first check.
        raise self.Error.InvalidEquivocationProof()

    # -- hooks ----------------------------------------------------------------------------------------

    def on_finalize(self, n: int) -> None:
        """Signal and enact pending authority-set changes and pause/resume transitions due at block `n`."""
        pending = self.PendingChange.get()
        if pending is not None:
            if n == pending["scheduled_at"]:
                change = {"next_authorities": pending["next_authorities"]["0"], "delay": pending["delay"]}
                if pending["forced"] is not None:
                    self._deposit_log(("ForcedChange", (pending["forced"], change)))
                else:
                    self._deposit_log(("ScheduledChange", change))
            if n == pending["scheduled_at"] + pending["delay"]:
                self.Authorities.put(pending["next_authorities"])
                self.deposit_event(self.Event.NewAuthorities(authority_set=pending["next_authorities"]["0"]))
                self.PendingChange.kill()
        state, fields = self.State.get()
        if state == "PendingPause":
            if n == fields["scheduled_at"]:
                self._deposit_log(("Pause", fields["delay"]))
            if n == fields["scheduled_at"] + fields["delay"]:
                self.State.put(("Paused", None))
                self.deposit_event(self.Event.Paused())
        elif state == "PendingResume":
            if n == fields["scheduled_at"]:
                self._deposit_log(("Resume", fields["delay"]))
            if n == fields["scheduled_at"] + fields["delay"]:
                self.State.put(("Live", None))
                self.deposit_event(self.Event.Resumed())

    # -- API (GrandpaApi, session handler, genesis) ---------------------------------------------------

    def authorities(self) -> list[tuple[bytes, int]]:
        """The current (authority id, weight) list (GrandpaApi_grandpa_authorities)."""
        return list(self.Authorities.get()["0"])

    def current_set_id(self) -> int:
        """The current authority set id (GrandpaApi_current_set_id)."""
        return int(self.CurrentSetId.get())

    def on_stalled(self, further_wait: int, median: int) -> None:
        """Record that finality stalled; a session change would force a new set (FRAME's `on_stalled`)."""
        self.Stalled.put((further_wait, median))

    def schedule_pause(self, in_blocks: int) -> None:
        """Schedule a pause `in_blocks` after the current block; PauseFailed unless Live."""
        if self.State.get()[0] != "Live":
            raise self.Error.PauseFailed()
        self.State.put(("PendingPause", {"scheduled_at": self._block_number(), "delay": in_blocks}))

    def schedule_resume(self, in_blocks: int) -> None:
        """Schedule a resume `in_blocks` after the current block; ResumeFailed unless Paused."""
        if self.State.get()[0] != "Paused":
            raise self.Error.ResumeFailed()
        self.State.put(("PendingResume", {"scheduled_at": self._block_number(), "delay": in_blocks}))

    def schedule_change(self, next_authorities: list[tuple[bytes, int]], in_blocks: int,
                        forced: int | None = None) -> None:
        """Schedule an authority set change; ChangePending if one is pending, TooSoon for an early forced one."""
        if self.PendingChange.exists():
            raise self.Error.ChangePending()
        scheduled_at = self._block_number()
        if forced is not None:
            next_forced = self.NextForced.get()
            if next_forced is not None and next_forced > scheduled_at:
                raise self.Error.TooSoon()
            # only allow the next forced change when twice the window has passed since this one
            self.NextForced.put(scheduled_at + in_blocks * 2)
        self.PendingChange.put({"scheduled_at": scheduled_at, "delay": in_blocks,
                                "next_authorities": {"0": tuple(next_authorities)}, "forced": forced})

    def genesis_build(self, config: dict[str, Any] | None = None) -> None:
        """Genesis: `{"authorities": [[ed25519 key (ss58/hex), weight], ...]}` or bare keys (weight 1)."""
        write_storage_version(self, 5)
        self.CurrentSetId.put(0)
        authorities = [_authority(a) for a in (config or {}).get("authorities", ())]
        if authorities:
            if self.authorities():
                raise ValueError("Grandpa genesis: authorities are already initialized")
            if len(authorities) > MAX_AUTHORITIES:
                raise ValueError(f"Grandpa genesis: more than {MAX_AUTHORITIES} authorities")
            self.Authorities.put({"0": tuple(authorities)})
        # the first session of the first set; later ones are recorded on each new session
        self.SetIdSession.insert(0, 0)

    def _block_number(self) -> int:
        return int(self.rt.System.Number.get())

    def _deposit_log(self, log: Any) -> None:
        item = ("Consensus", (GRANDPA_ENGINE_ID, ConsensusLog.encode(log)))
        self.rt.System.Digest.mutate(lambda d: {"logs": tuple(d["logs"]) + (item,)})


def _authority(entry: Any) -> tuple[bytes, int]:
    if isinstance(entry, (list, tuple)):
        key, weight = entry
        return account_id(key), int(weight)
    return account_id(entry), 1


