"""The chain-side tokenomic arithmetic of PhalaComputation, in U64F64 bits (see `fixed.py`).

Mirrors computation.rs: `Tokenomic::{minimal_stake, ve, rig_cost, confidence_score}`, the genesis
default `TokenomicParameters`, `Benchmark::update` and `pow_target` (which uses U32F32 internally).
Everything is integer arithmetic with the Rust types' truncation, so results match Phala bit for bit.
"""

from __future__ import annotations

from typing import Any

from runtime.support.errors import ArithmeticError

from . import fixed as fp

U256_MAX = (1 << 256) - 1
DEFAULT_EXPECTED_HEARTBEAT_COUNT = 20
DEFAULT_COOL_DOWN_PERIOD_SEC = 604_800
_CONF_SCORES = (fp.ONE, fp.ONE, fp.ONE, fp.from_str("0.8"), fp.from_str("0.7"))


def default_tokenomic_parameters() -> dict[str, int]:
    """GenesisConfig::default().tokenomic_parameters, built with the same fixed-point steps as Phala."""
    block_sec, hour_sec = 12, 3600
    day_sec = 24 * hour_sec
    year_sec = 365 * day_sec
    pha_rate = fp.from_int(1)
    return {
        "pha_rate": pha_rate,
        "rho": fp.from_str("1.000000666600231"),
        "budget_per_block": fp.div_int(fp.mul_int(fp.from_int(720000), block_sec), day_sec),
        "v_max": fp.from_int(30000),
        "cost_k": fp.div(fp.div_int(fp.mul_int(fp.from_str("0.0415625"), block_sec), year_sec), pha_rate),
        "cost_b": fp.div(fp.div_int(fp.mul_int(fp.from_str("88.59375"), block_sec), year_sec), pha_rate),
        "slash_rate": fp.div_int(fp.mul_int(fp.from_str("0.001"), block_sec), hour_sec),
        "treasury_ratio": fp.from_str("0.2"),
        "heartbeat_window": 10,
        "rig_k": fp.div(fp.from_str("0.3"), pha_rate),
        "rig_b": fp.div(fp.from_int(0), pha_rate),
        "re": fp.from_str("1.3"),
        "k": fp.from_int(100),
        "kappa": fp.from_int(1),
    }


def confidence_score(level: int) -> int:
    """Levels 1–3 → 1.0, 4 → 0.8, 5 → 0.7, anything else (incl. 128) → 1.0."""
    return _CONF_SCORES[level - 1] if 1 <= level <= 5 else _CONF_SCORES[0]


def minimal_stake(params: dict[str, Any], p: int) -> int:
    """k · √p as a balance (`Tokenomic::minimal_stake`)."""
    return fp.from_fixed(fp.mul(params["k"], fp.sqrt(fp.from_int(p))))


def rig_cost(params: dict[str, Any], p: int) -> int:
    """rig_k · p + rig_b (U64F64 bits)."""
    return fp.add(fp.mul(params["rig_k"], fp.from_int(p)), params["rig_b"])


def op_cost(params: dict[str, Any], p: int) -> int:
    """cost_k · p + cost_b per block (U64F64 bits)."""
    return fp.add(fp.mul(params["cost_k"], fp.from_int(p)), params["cost_b"])


def ve(params: dict[str, Any], stake: int, p: int, confidence_level: int) -> int:
    """((re − 1) · conf_score + 1) · (stake + rig_cost(p)) in U64F64 bits."""
    tweaked_re = fp.add(fp.mul(fp.sub(params["re"], fp.ONE), confidence_score(confidence_level)), fp.ONE)
    return fp.mul(tweaked_re, fp.add(fp.to_fixed(stake), rig_cost(params, p)))


def benchmark_update(bench: dict[str, Any], now: int, iterations: int, challenge_time: int) -> bool:
    """`Benchmark::update` in place (`now`, `challenge_time` in seconds); False where Phala returns Err."""
    if now <= bench["challenge_time_last"]:
        return False
    if iterations < bench["iterations"]:
        bench["iterations"] = iterations
    delta_ts = now - bench["challenge_time_last"]
    delta_iter = iterations - bench["iterations"]
    bench["challenge_time_last"] = challenge_time
    bench["iterations"] = iterations
    p_instant = ((delta_iter * 6) // delta_ts) & 0xFFFF_FFFF  # `as u32` truncates
    bench["p_instant"] = min(p_instant, (bench["p_init"] * 12 // 10) & 0xFFFF_FFFF)
    return True


def pow_target(num_tx: int, num_workers: int, secs_per_block: int) -> int:
    """The heartbeat PoW target: about `num_tx` answers per block, at most 2 per worker per hour."""
    if num_workers == 0:
        return 0
    one = 1 << 32  # U32F32
    workers = num_workers * one
    tx = num_tx * one
    max_tx = ((workers * (2 * one)) >> 32) * one // ((3600 // secs_per_block) * one)
    target_tx = min(tx, max_tx)
    ratio = (target_tx << 32) // workers
    frac = ((ratio << 24) & 0xFFFF_FFFF_FFFF_FFFF) >> 32
    target = (U256_MAX >> 24) * frac
    if target > U256_MAX:
        raise ArithmeticError("Overflow")
    return target


def heartbeat_due(worker_pubkey_hash: bytes, seed: int, online_target: int) -> bool:
    """Worker-side check: `U256(blake2_256(pubkey)) XOR seed ≤ online_target` (big-endian hash)."""
    return (int.from_bytes(worker_pubkey_hash, "big") ^ seed) <= online_target
