"""PhalaRegistry genesis (registry.rs GenesisConfig::build) plus our allowlist and none-attestation flag.

Patch keys (camelCase, chain spec `"phalaRegistry": {...}`):
- `workers`: `[[pubkey, ecdh_pubkey, operator | null], ...]`: inserted with provider Root, confidence
  128, features [1, 4]; their `Registered` and `BenchStart` messages are queued for block 1.
- `gatekeepers`: `[pubkey, ...]`: only registered workers count; the first gets `FirstGatekeeper`,
  the others `GatekeeperChange::Registered` (queued).
- `benchmarkDuration`: u32, default 8 (written always; Phala writes it only when `workers` is non-empty).
- `pruntimeAllowList`: `[hash, ...]` (our extension), `noneAttestationEnabled`: bool (our extension).
Keys are 0x-hex strings or bytes; operators may also be SS58.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pallets.mq import messaging as msg
from runtime.primitives.account import account_id

if TYPE_CHECKING:
    from .pallet import PhalaRegistry

DEFAULT_BENCHMARK_DURATION = 8


def to_bytes(value: Any, length: int | None = None) -> bytes:
    """A key given as bytes, a list of ints, or a 0x-hex string; ValueError on a bad value or length."""
    if isinstance(value, str):
        text = value[2:] if value.startswith("0x") else value
        raw = bytes.fromhex(text)
    elif isinstance(value, (bytes, bytearray, list, tuple)):
        raw = bytes(value)
    else:
        raise ValueError(f"expected hex or bytes, got {type(value).__name__}")
    if length is not None and len(raw) != length:
        raise ValueError(f"expected {length} bytes, got {len(raw)}")
    return raw


def build_genesis(pallet: PhalaRegistry, config: dict[str, Any]) -> None:
    """Write the registry's genesis state and queue its worker messages."""
    mq = pallet.rt.PhalaMq
    sender = ("Pallet", b"PhalaRegistry")
    duration = int(config.get("benchmarkDuration", DEFAULT_BENCHMARK_DURATION))
    pallet.BenchmarkDuration.put(duration)
    for entry in config.get("workers", []):
        pubkey, ecdh, operator = entry
        pk = to_bytes(pubkey, 32)
        op = None if operator is None else account_id(operator)
        pallet._insert_root_worker(pk, to_bytes(ecdh, 32), op, last_updated=0)
        mq.queue_bound_message(sender, msg.TOPIC_SYSTEM_EVENT, msg.registered(pk, 128))
        mq.queue_bound_message(sender, msg.TOPIC_SYSTEM_EVENT, msg.bench_start(pk, duration))
    gatekeepers: list[bytes] = []
    for value in config.get("gatekeepers", []):
        pk = to_bytes(value, 32)
        info = pallet.Workers.get(pk)
        if info is None or pk in gatekeepers:
            continue
        gatekeepers.append(pk)
        pallet.Gatekeeper.put(tuple(gatekeepers))
        if len(gatekeepers) == 1:
            mq.queue_bound_message(sender, msg.TOPIC_GATEKEEPER_LAUNCH, msg.first_gatekeeper(pk, info["ecdh_pubkey"]))
        else:
            mq.queue_bound_message(sender, msg.TOPIC_GATEKEEPER_CHANGE,
                                   msg.gatekeeper_registered(pk, info["ecdh_pubkey"]))
    allowlist = tuple(to_bytes(h) for h in config.get("pruntimeAllowList", []))
    if allowlist:
        pallet.PRuntimeAllowList.put(allowlist)
        for h in allowlist:
            pallet.PRuntimeAddedAt.insert(h, 0)
    pallet.NoneAttestationEnabled.put(bool(config.get("noneAttestationEnabled", False)))
