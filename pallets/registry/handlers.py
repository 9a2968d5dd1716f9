"""PhalaRegistry's handler of `^phala/registry/event` (registry.rs `on_message_received`).

`BenchReport{start_time, iterations}` from a Worker sets `initial_score = min(6000, iterations /
((now_ms - start_ms) / 1000) * 6)` (integer division, as Phala), pushes `BenchScore` and emits
`InitialScoreSet`. `MasterPubkey{master_pubkey}` from a registered gatekeeper stores the master key the first
time (pushes `MasterPubkeyOnChain`, sets `GatekeeperLaunchedAt`, emits `GatekeeperLaunched`) and must match
afterwards (`MasterKeyMismatch`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from pallets.mq import messaging as msg
from pallets.mq.types import origin_name

from .types import RegistryEvent

if TYPE_CHECKING:
    from .pallet import PhalaRegistry

MAX_SCORE = 6000


def on_message(reg: PhalaRegistry, message: dict[str, Any]) -> None:
    """Dispatch one RegistryEvent; raises the named registry error on a bad message."""
    sender = message["sender"]
    if origin_name(sender) != "Worker":
        raise reg.Error.InvalidSender("registry events must come from a worker")
    worker = sender[1]
    name, fields = RegistryEvent.decode(message["payload"])
    if name == "BenchReport":
        on_bench_report(reg, worker, fields["start_time"], fields["iterations"])
    else:
        on_master_pubkey(reg, worker, fields["master_pubkey"])


def on_bench_report(reg: PhalaRegistry, worker: bytes, start_time: int, iterations: int) -> None:
    """RegistryEvent::BenchReport (a report less than one whole second after start is InvalidBenchReport)."""
    now = reg.now_ms()
    elapsed_s = (now - start_time) // 1000
    if now <= start_time or elapsed_s == 0:
        raise reg.Error.InvalidBenchReport(f"now {now} ms is not a whole second after start {start_time}")
    score = min(MAX_SCORE, iterations // elapsed_s * 6)
    info = reg.Workers.get(worker)
    if info is not None:
        info["initial_score"] = score
        info["last_updated"] = now // 1000
        reg.Workers.insert(worker, info)
    reg.push(msg.TOPIC_SYSTEM_EVENT, msg.bench_score(worker, score))
    reg.deposit_event(reg.Event.InitialScoreSet(pubkey=worker, init_score=score))


def on_master_pubkey(reg: PhalaRegistry, worker: bytes, master_pubkey: bytes) -> None:
    """RegistryEvent::MasterPubkey: the first gatekeeper uploads the master public key."""
    if worker not in reg.Gatekeeper.get():
        raise reg.Error.InvalidGatekeeper("only a gatekeeper may upload the master pubkey")
    saved = reg.GatekeeperMasterPubkey.get()
    if saved is not None:
        if saved != master_pubkey:
            raise reg.Error.MasterKeyMismatch("a different master pubkey is already on chain")
        return
    reg.GatekeeperMasterPubkey.put(master_pubkey)
    reg.push(msg.TOPIC_GATEKEEPER_LAUNCH, msg.master_pubkey_on_chain(master_pubkey))
    reg.GatekeeperLaunchedAt.put((reg.rt.block_number, reg.now_ms() // 1000))
    reg.deposit_event(reg.Event.GatekeeperLaunched())
