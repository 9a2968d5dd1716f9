"""Call weights of PhalaPhatContracts: documented estimates, because Phala declares these calls `weight(0)`.

Phala charges `{0}` for every call but `push_contract_message` (`Weight::from_parts(10_000, 0)`),
which would make cluster uploads of 8 MiB nearly free. We charge a base of 20 µs plus RocksDbWeight
(read 25 µs, write 100 µs) for the storage touched, and 2 ns per payload byte for calls that copy
a payload into `OutboundMessages` (the same order as `System.remark`'s per-byte cost). Proof size is
a flat 3.6 KB per item read (a Balances account is 3,593).
"""

from __future__ import annotations

from typing import Any

from runtime.support.weights import Weight

READ = 25_000_000
WRITE = 100_000_000
BASE = 20_000_000
PER_BYTE = 2_000
PROOF_PER_READ = 3_600


def db(reads: int, writes: int, payload: int = 0) -> Weight:
    """BASE + reads·READ + writes·WRITE + payload·PER_BYTE ref time; PROOF_PER_READ per read."""
    return Weight(BASE + reads * READ + writes * WRITE + payload * PER_BYTE, reads * PROOF_PER_READ)


def add_cluster(args: dict[str, Any]) -> Weight:
    """Per worker: Workers + ClusterByWorkers read, ClusterByWorkers write; plus the transfer."""
    n = len(args.get("deploy_workers", ()))
    return db(4 + 2 * n, 6 + n)


def cluster_upload_resource(args: dict[str, Any]) -> Weight:
    """Clusters read, one outbound message holding the resource."""
    return db(1, 1, len(args.get("resource_data", b"")))


TRANSFER_TO_CLUSTER = db(3, 3)


def push_contract_message(args: dict[str, Any]) -> Weight:
    """Contracts read and a transfer when a deposit is attached, one outbound message."""
    return db(4, 4, len(args.get("payload", b"")))


def instantiate_contract(args: dict[str, Any]) -> Weight:
    """Clusters + Contracts read, Contracts write, optional deposit transfer, one outbound message."""
    return db(5, 5, len(args.get("data", b"")) + len(args.get("salt", b"")))


CLUSTER_DESTROY = db(1, 2)


def set_pink_system_code(args: dict[str, Any]) -> Weight:
    """One write of the staged code."""
    return db(0, 1, len(args.get("code", b"")))


SET_PINK_RUNTIME_VERSION = db(0, 1)
ADD_WORKER_TO_CLUSTER = db(4, 3)
REMOVE_WORKER_FROM_CLUSTER = db(3, 3)


def cleanup_removed_workers(_args: dict[str, Any]) -> Weight:
    """Reads every worker of the cluster; estimated for 100 workers."""
    return db(101, 1)
