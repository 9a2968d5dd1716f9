"""GRANDPA types with their Substrate paths: stored state, pending change, equivocation proofs, logs.

Paths, generic parameters and field type names are copied from the reference solochain's metadata
(pallet_grandpa, sp_consensus_grandpa, finality_grandpa), so clients decode storage and calls as
they would on a FRAME chain. `ConsensusLog` is not in the metadata; it is the digest payload the
node's GRANDPA voter reads (engine id `FRNK`).
"""

from __future__ import annotations

from runtime.primitives.types import H256, BlockNumber, GrandpaAuthorityId
from runtime.scale import U64, ByteArray, Enum, Field, Option, Struct, Tuple, Variant, Vec

GRANDPA_ENGINE_ID = b"FRNK"

AuthorityList = Vec(Tuple((GrandpaAuthorityId, U64)))
"""sp_consensus_grandpa::AuthorityList: Vec<(AuthorityId, AuthorityWeight)>."""

BoundedAuthorityList = Struct(
    ("bounded_collections", "weak_bounded_vec", "WeakBoundedVec"),
    (Field(None, AuthorityList, "Vec<T>"),),
    params=(("T", Tuple((GrandpaAuthorityId, U64))), ("S", None)),
)

StoredState = Enum(
    ("pallet_grandpa", "StoredState"),
    (
        Variant("Live", 0),
        Variant("PendingPause", 1, (Field("scheduled_at", BlockNumber, "N"), Field("delay", BlockNumber, "N"))),
        Variant("Paused", 2),
        Variant("PendingResume", 3, (Field("scheduled_at", BlockNumber, "N"), Field("delay", BlockNumber, "N"))),
    ),
    params=(("N", BlockNumber),),
)

StoredPendingChange = Struct(
    ("pallet_grandpa", "StoredPendingChange"),
    (
        Field("scheduled_at", BlockNumber, "N"),
        Field("delay", BlockNumber, "N"),
        Field("next_authorities", BoundedAuthorityList, "BoundedAuthorityList<Limit>"),
        Field("forced", Option(BlockNumber), "Option<N>"),
    ),
    params=(("N", BlockNumber), ("Limit", None)),
)

AuthoritySignature = ByteArray(64, ("sp_consensus_grandpa", "app", "Signature"), "ed25519::Signature")

_HN = (("H", H256), ("N", BlockNumber))
_TARGET = (Field("target_hash", H256, "H"), Field("target_number", BlockNumber, "N"))
Prevote = Struct(("finality_grandpa", "Prevote"), _TARGET, params=_HN)
Precommit = Struct(("finality_grandpa", "Precommit"), _TARGET, params=_HN)


def _vote_equivocation(vote: Struct) -> Struct:
    signed = Tuple((vote, AuthoritySignature))
    return Struct(
        ("finality_grandpa", "Equivocation"),
        (
            Field("round_number", U64, "u64"),
            Field("identity", GrandpaAuthorityId, "Id"),
            Field("first", signed, "(V, S)"),
            Field("second", signed, "(V, S)"),
        ),
        params=(("Id", GrandpaAuthorityId), ("V", vote), ("S", AuthoritySignature)),
    )


Equivocation = Enum(
    ("sp_consensus_grandpa", "Equivocation"),
    (
        Variant("Prevote", 0, (Field(None, _vote_equivocation(Prevote),
                                     "finality_grandpa::Equivocation<AuthorityId, finality_grandpa::Prevote<\nH, N>, AuthoritySignature,>"),)),
        Variant("Precommit", 1, (Field(None, _vote_equivocation(Precommit),
                                       "finality_grandpa::Equivocation<AuthorityId, finality_grandpa::Precommit\n<H, N>, AuthoritySignature,>"),)),
    ),
    params=_HN,
)

EquivocationProof = Struct(
    ("sp_consensus_grandpa", "EquivocationProof"),
    (Field("set_id", U64, "SetId"), Field("equivocation", Equivocation, "Equivocation<H, N>")),
    params=_HN,
)

Void = Enum(("sp_core", "Void"), ())
"""sp_core::Void, the template's KeyOwnerProof: no value exists, so no call carrying one decodes."""

ScheduledChange = Struct(
    ("sp_consensus_grandpa", "ScheduledChange"),
    (Field("next_authorities", AuthorityList, "AuthorityList"), Field("delay", BlockNumber, "N")),
    params=(("N", BlockNumber),),
)

ConsensusLog = Enum(
    ("sp_consensus_grandpa", "ConsensusLog"),
    (
        Variant("ScheduledChange", 1, (Field(None, ScheduledChange),)),
        Variant("ForcedChange", 2, (Field(None, BlockNumber), Field(None, ScheduledChange))),
        Variant("OnDisabled", 3, (Field(None, U64),)),
        Variant("Pause", 4, (Field(None, BlockNumber),)),
        Variant("Resume", 5, (Field(None, BlockNumber),)),
    ),
    params=(("N", BlockNumber),),
)
