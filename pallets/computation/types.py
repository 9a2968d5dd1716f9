"""SCALE types of PhalaComputation: storage values (SessionInfo, TokenomicParameters) with Phala's paths.

Paths follow scale-info's output for `phala_pallets::compute::computation::pallet` and
`phala_types::messaging`, so polkadot.js shows the same type names for `api.query.phalaComputation.*`.
The message payloads exchanged with workers live in `messages.py`.
"""

from __future__ import annotations

from typing import Any

from runtime.scale import U32, U64, U128, ByteArray, Enum, Field, Struct, Variant

MODULE = ("phala_pallets", "compute", "computation", "pallet")
RUST_MODULE = "phala_pallets::compute::computation"
"""The crate path; the framework appends `::pallet` for Call/Event/Error."""

WorkerPublicKey = ByteArray(32, ("sp_core", "sr25519", "Public"), "[u8; 32]")
"""`phala_types::WorkerPublicKey` = sp_core::sr25519::Public."""

WORKER_STATES = ("Ready", "WorkerIdle", "_Unused", "WorkerUnresponsive", "WorkerCoolingDown")
WorkerState = Enum(MODULE + ("WorkerState",), tuple(Variant(n, i) for i, n in enumerate(WORKER_STATES)))
"""`WorkerState`: computing ⇔ WorkerIdle | WorkerUnresponsive; can_unbind ⇔ Ready | WorkerCoolingDown."""

Benchmark = Struct(MODULE + ("Benchmark",), (
    Field("p_init", U32, "u32"),
    Field("p_instant", U32, "u32"),
    Field("iterations", U64, "u64"),
    Field("working_start_time", U64, "u64"),
    Field("challenge_time_last", U64, "u64"),
), docs=("The benchmark information of a worker",))

SessionStats = Struct(MODULE + ("SessionStats",), (Field("total_reward", U128, "u128"),),
                      docs=("The stats of a computing session",))

SessionInfo = Struct(MODULE + ("SessionInfo",), (
    Field("state", WorkerState, "WorkerState"),
    Field("ve", U128, "u128"),
    Field("v", U128, "u128"),
    Field("v_updated_at", U64, "u64"),
    Field("benchmark", Benchmark, "Benchmark"),
    Field("cool_down_start", U64, "u64"),
    Field("stats", SessionStats, "SessionStats"),
), docs=("The state of a worker",))

TOKENOMIC_FIELDS = ("pha_rate", "rho", "budget_per_block", "v_max", "cost_k", "cost_b", "slash_rate",
                    "treasury_ratio", "heartbeat_window", "rig_k", "rig_b", "re", "k", "kappa")
TokenomicParameters = Struct(("phala_types", "messaging", "TokenomicParameters"), tuple(
    Field(name, U32, "u32") if name == "heartbeat_window" else Field(name, U128, "U64F64Bits")
    for name in TOKENOMIC_FIELDS))
"""All fields are U64F64 bits except `heartbeat_window` (blocks)."""


def state_name(info: dict[str, Any]) -> str:
    """The WorkerState variant name of a decoded SessionInfo."""
    state = info["state"]
    return state if isinstance(state, str) else str(state[0])


def is_computing(state: str) -> bool:
    """WorkerState::is_computing."""
    return state in ("WorkerIdle", "WorkerUnresponsive")


def can_unbind(state: str) -> bool:
    """WorkerState::can_unbind."""
    return state in ("Ready", "WorkerCoolingDown")


