"""A worker's whole life on the real node, driven by hand-signed `PhalaMq.sync_offchain_message` extrinsics.

One manual-seal node for the module; the steps run in order and share `World`. Proves, through
py-substrate-interface (compose_call / create_signed_extrinsic / query / events):

1. gatekeeper launch: a sudo-registered gatekeeper uploads the master key as `Worker(gk)` (seq 0), so
   `GatekeeperMasterPubkey` is set and Gatekeeper-origin messages are checked under that key;
   `pha_getMqNextSequence` counts the message while it waits in the pool;
2. `register_worker_v2` with attestation None (level 128, provider None) after the launch, then the
   worker's `BenchReport` gives `initial_score = min(6000, iterations / secs * 6)` at the block's time;
3. pool create, `add_worker` binds the pool sub-account (SessionBound), a contribution, a stake below
   k·√p refused (`PhalaComputation.InsufficientStake`), `start_computing` moves the stake to the lock account;
4. `force_heartbeat`'s challenge (read from OutboundMessages) answered by two HeartbeatV2 reports: the
   session's `p_instant` follows `Benchmark::update` exactly;
5. a Gatekeeper settle signed by the master key: fee-free for the relayer, payout from the subsidy
   account raises the pool's value (share price) without minting shares, the treasury share moves, and
   a later contribution mints `amount / price` shares;
6. stop, reclaim refused while cooling down (`CoolDownNotReady`), blocks advance time (+6 s each),
   reclaim returns the whole stake, and the staker withdraws contribution plus reward.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from live_node import LiveNode
from phala_live import Live, hx, origin_arg, signed_message_arg, unhex
from substrateinterface import Keypair
from substrateinterface.utils.ss58 import ss58_encode

from pallets.computation import SUBSIDY_ACCOUNT
from pallets.computation import fixed as fp
from pallets.computation.api import TREASURY_ACCOUNT
from pallets.computation.messages import (
    TOPIC_WORKING_REPORT,
    TOPIC_WORKING_UPDATE,
    SystemEvent,
    WorkingInfoUpdateEvent,
    WorkingReportEvent,
)
from pallets.computation.tokenomic import U256_MAX, heartbeat_due, minimal_stake, pow_target, ve
from pallets.mq import messaging as msg
from pallets.mq.signing import build_signed_message
from pallets.mq.types import GATEKEEPER, worker_origin
from pallets.registry.types import RegistryEvent
from pallets.stake_pool.accounts import pool_sub_account
from runtime.primitives.crypto import Keypair as SrKeypair
from runtime.primitives.hashing import blake2_256

PHA = 10**12
GK = SrKeypair.from_uri("//PhalaGatekeeper")
MASTER = SrKeypair.from_uri("//PhalaMasterKey")
WORKER = SrKeypair.from_uri("//PhalaWorker")
BENCH_ITERATIONS = 1000
CONTRIBUTION = 10_000 * PHA
STAKE = 5_000 * PHA
PAYOUT, TREASURY = 100, 25
COOL_DOWN_S = 15


@dataclass
class World:
    """State the ordered steps hand on to each other."""

    live: Live
    relayer: Keypair = field(default_factory=lambda: Keypair.create_from_uri("//Charlie"))
    owner: Keypair = field(default_factory=lambda: Keypair.create_from_uri("//Bob"))
    staker: Keypair = field(default_factory=lambda: Keypair.create_from_uri("//Dave"))
    facts: dict[str, Any] = field(default_factory=dict)

    def send(self, signer: SrKeypair, sender: Any, topic: bytes, payload: bytes) -> Any:
        """Sign `payload` to `topic` as `sender` at its next sequence and relay it in a block of its own."""
        seq = self.live.next_sequence(sender)
        signed = build_signed_message(signer, sender, topic, payload, seq)
        call = self.live.call("PhalaMq", "sync_offchain_message", signed_message=signed_message_arg(signed))
        return self.live.must(call, self.relayer)

    def need(self, key: str) -> Any:
        """A fact an earlier step recorded (skip when that step did not get there)."""
        if key not in self.facts:
            pytest.skip(f"an earlier step did not record {key!r}")
        return self.facts[key]


@pytest.fixture(scope="module")
def world(phala_manual_node: LiveNode) -> Iterator[World]:
    """The shared driver for this module's ordered steps."""
    live = Live(phala_manual_node.url)
    try:
        yield World(live)
    finally:
        live.close()


def _system_events(live: Live, block: str) -> list[Any]:
    return [SystemEvent.decode(m["payload"]) for m in live.outbound(block) if m["destination"] == msg.TOPIC_SYSTEM_EVENT]


def test_gatekeeper_launch_sets_the_master_key(world: World) -> None:
    live = world.live
    live.sudo("PhalaRegistry", "force_register_worker", pubkey=hx(GK.public), ecdh_pubkey=hx(GK.public),
              operator=None)
    added = live.sudo("PhalaRegistry", "register_gatekeeper", gatekeeper=hx(GK.public))
    assert added.one("PhalaRegistry", "GatekeeperAdded") == {"pubkey": hx(GK.public)}
    live.sudo("PhalaComputation", "set_heartbeat_paused", paused=False)
    live.sudo("PhalaComputation", "set_cool_down_expiration", period=COOL_DOWN_S)

    sender = worker_origin(GK.public)
    assert live.next_sequence(sender) == 0
    payload = RegistryEvent.encode(("MasterPubkey", {"master_pubkey": MASTER.public}))
    signed = build_signed_message(GK, sender, msg.TOPIC_REGISTRY_EVENT, payload, 0)
    xt = live.submit(live.call("PhalaMq", "sync_offchain_message", signed_message=signed_message_arg(signed)),
                     world.relayer)
    assert live.next_sequence(sender) == 1  # counted while it is a ready pool transaction
    receipt = live.receipt(xt, live.seal())
    assert receipt.ok, receipt.error
    assert len(receipt.find("PhalaRegistry", "GatekeeperLaunched")) == 1
    assert live.query("PhalaRegistry", "GatekeeperMasterPubkey") == hx(MASTER.public)
    assert live.query("PhalaMq", "OffchainIngress", [origin_arg(sender)]) == 1
    assert live.next_sequence(sender) == 1
    launched_at = live.query("PhalaRegistry", "GatekeeperLaunchedAt")
    assert launched_at[0] == live.number(receipt.block)
    launch = [m for m in live.outbound(receipt.block) if m["destination"] == msg.TOPIC_GATEKEEPER_LAUNCH]
    assert [m["payload"] for m in launch] == [msg.master_pubkey_on_chain(MASTER.public)]
    world.facts["launched_block"] = launched_at[0]


def test_register_worker_v2_and_benchmark(world: World) -> None:
    live = world.live
    launched_block = world.need("launched_block")
    info = {"version": 1, "machine_id": "0x01020304", "pubkey": hx(WORKER.public),
            "ecdh_pubkey": hx(WORKER.public), "genesis_block_hash": live.si.get_block_hash(0),
            "features": [1, 4], "operator": world.owner.ss58_address, "para_id": 0, "max_consensus_version": 0}
    reg = live.must(live.call("PhalaRegistry", "register_worker_v2", pruntime_info=info, attestation=None),
                    world.relayer)
    assert reg.one("PhalaRegistry", "WorkerAdded") == {
        "pubkey": hx(WORKER.public), "attestation_provider": None, "confidence_level": 128}
    assert live.query("PhalaRegistry", "WorkerAddedAt", [hx(WORKER.public)]) > launched_block
    events = _system_events(live, reg.block)
    assert ("WorkerEvent", {"pubkey": WORKER.public, "event": ("Registered", {"confidence_level": 128})}) in events
    t_reg = live.now_ms(reg.block)

    bench = RegistryEvent.encode(("BenchReport", {"start_time": t_reg, "iterations": BENCH_ITERATIONS}))
    receipt = world.send(WORKER, worker_origin(WORKER.public), msg.TOPIC_REGISTRY_EVENT, bench)
    elapsed_s = (live.now_ms(receipt.block) - t_reg) // 1000
    assert elapsed_s >= 6  # each manually sealed block moves the clock by at least one 6 s slot
    score = min(6000, BENCH_ITERATIONS // elapsed_s * 6)
    assert receipt.one("PhalaRegistry", "InitialScoreSet") == {"pubkey": hx(WORKER.public), "init_score": score}
    assert live.query("PhalaRegistry", "Workers", [hx(WORKER.public)])["initial_score"] == score
    assert ("WorkerEvent", {"pubkey": WORKER.public, "event": ("BenchScore", score)}) in _system_events(
        live, receipt.block)
    world.facts.update(score=score, bench_elapsed_s=elapsed_s)


def test_pool_binds_the_worker_and_starts_computing(world: World) -> None:
    live = world.live
    score = world.need("score")
    created = live.must(live.call("PhalaStakePoolv2", "create"), world.owner)
    ev = created.one("PhalaStakePoolv2", "PoolCreated")
    pid, pool_account = ev["pid"], ev["pool_account_id"]
    session = ss58_encode(pool_sub_account(pid, WORKER.public), 42)
    added = live.must(live.call("PhalaStakePoolv2", "add_worker", pid=pid, pubkey=hx(WORKER.public)), world.owner)
    assert added.one("PhalaComputation", "SessionBound") == {"session": session, "worker": hx(WORKER.public)}
    assert added.one("PhalaStakePoolv2", "PoolWorkerAdded") == {"pid": pid, "worker": hx(WORKER.public),
                                                                 "session": session}
    assert live.query("PhalaComputation", "WorkerBindings", [hx(WORKER.public)]) == session
    contributed = live.must(live.call("PhalaStakePoolv2", "contribute", pid=pid, amount=CONTRIBUTION,
                                      as_vault=None), world.staker)
    assert contributed.one("PhalaStakePoolv2", "Contribution")["shares"] == CONTRIBUTION

    params = live.query("PhalaComputation", "TokenomicParameters")
    too_little = minimal_stake({"k": int(params["k"])}, score) - 1
    refused = live.run(live.call("PhalaStakePoolv2", "start_computing", pid=pid, worker=hx(WORKER.public),
                                 stake=too_little), world.owner)
    assert refused.error == "PhalaComputation.InsufficientStake"

    lock = live.query("PhalaStakePoolv2", "Pools", [pid])["StakePool"]["lock_account"]
    before = {"pool": live.free(pool_account), "lock": live.free(lock)}
    started = live.must(live.call("PhalaStakePoolv2", "start_computing", pid=pid, worker=hx(WORKER.public),
                                  stake=STAKE), world.owner)
    tokenomic = {k: int(v) for k, v in params.items()}
    init_v = ve(tokenomic, STAKE, score, 128)
    assert started.one("PhalaComputation", "WorkerStarted") == {"session": session, "init_v": init_v,
                                                                "init_p": score}
    assert abs(init_v / fp.ONE - 1.3 * (STAKE / PHA + 0.3 * score)) < 1e-6 * init_v / fp.ONE
    assert started.one("PhalaStakePoolv2", "WorkingStarted") == {"pid": pid, "worker": hx(WORKER.public),
                                                                 "amount": STAKE}
    assert live.free(pool_account, started.block) == before["pool"] - STAKE
    assert live.free(lock, started.block) == before["lock"] + STAKE
    assert live.query("PhalaComputation", "Stakes", [session]) == STAKE
    assert live.query("PhalaComputation", "Sessions", [session])["state"] == "WorkerIdle"
    assert live.query("PhalaComputation", "OnlineWorkers") == 1
    started_msgs = [e for e in _system_events(live, started.block)
                    if e[0] == "WorkerEvent" and e[1]["event"][0] == "Started"]
    assert len(started_msgs) == 1
    world.facts.update(pid=pid, pool_account=pool_account, session=session, lock=lock,
                       session_id=started_msgs[0][1]["event"][1]["session_id"])


def _challenge(world: World) -> tuple[int, int]:
    """`force_heartbeat`, then the (block number, block time ms) of the challenge the worker must answer.

    The block also carries the regular challenge of `on_finalize` (heartbeats are unpaused): seed
    `blake2_256("PhalaPoW" ++ parent hash)`, target `pow_target(20, 1 online worker, 6 s)`.
    """
    live = world.live
    forced = live.sudo("PhalaComputation", "force_heartbeat")
    challenges = [e[1] for e in _system_events(live, forced.block) if e[0] == "HeartbeatChallenge"]
    parent = unhex(live.rpc("chain_getHeader", [forced.block])["parentHash"])
    regular = {"seed": int.from_bytes(blake2_256(b"PhalaPoW" + parent), "big"), "online_target": pow_target(20, 1, 6)}
    assert challenges == [{"seed": 0, "online_target": U256_MAX}, regular]
    assert heartbeat_due(blake2_256(WORKER.public), 0, U256_MAX)
    return live.number(forced.block), live.now_ms(forced.block)


def _heartbeat(world: World, block: int, time_ms: int, iterations: int) -> Any:
    report = WorkingReportEvent.encode(("HeartbeatV2", {
        "session_id": world.need("session_id"), "challenge_block": block, "challenge_time": time_ms,
        "iterations": iterations, "n_clusters": 0, "n_contracts": 0}))
    receipt = world.send(WORKER, worker_origin(WORKER.public), TOPIC_WORKING_REPORT, report)
    assert [m["payload"] for m in world.live.outbound(receipt.block)
            if m["destination"] == TOPIC_WORKING_REPORT] == [report]  # off-chain topic: also published
    return receipt


def test_heartbeats_answer_the_challenge_and_update_the_benchmark(world: World) -> None:
    live = world.live
    session, score = world.need("session"), world.need("score")
    block1, time1 = _challenge(world)
    first = _heartbeat(world, block1, time1, 6000)
    now1 = live.now_ms(first.block) // 1000
    p1 = min(6000 * 6 // now1, score * 12 // 10)  # the first delta runs from challenge_time_last = 0
    assert first.one("PhalaComputation", "BenchmarkUpdated") == {"session": session, "p_instant": p1}
    block2, time2 = _challenge(world)
    second = _heartbeat(world, block2, time2, 7000)
    delta_ts = live.now_ms(second.block) // 1000 - time1 // 1000
    p2 = min(1000 * 6 // delta_ts, score * 12 // 10)
    assert p2 > 0
    assert second.one("PhalaComputation", "BenchmarkUpdated") == {"session": session, "p_instant": p2}
    bench = live.query("PhalaComputation", "Sessions", [session])["benchmark"]
    assert (bench["p_instant"], bench["iterations"], bench["challenge_time_last"]) == (p2, 7000, time2 // 1000)
    world.facts["p_instant"] = p2


def _pool(live: Live, pid: int, block: str | None = None) -> dict[str, Any]:
    base: dict[str, Any] = live.query("PhalaStakePoolv2", "Pools", [pid], block)["StakePool"]["basepool"]
    return base


def test_gatekeeper_settle_raises_the_share_price(world: World) -> None:
    live = world.live
    pid, session, pool_account = world.need("pid"), world.need("session"), world.need("pool_account")
    treasury_ss58 = ss58_encode(TREASURY_ACCOUNT, 42)
    head = live.si.get_chain_head()
    v_bits = fp.from_int(7000)
    update = WorkingInfoUpdateEvent.encode({
        "block_number": live.number(head), "timestamp_ms": live.now_ms(head), "offline": [],
        "recovered_to_online": [], "settle": [{"pubkey": WORKER.public, "v": v_bits,
                                               "payout": fp.from_int(PAYOUT), "treasury": fp.from_int(TREASURY)}]})
    assert live.next_sequence(GATEKEEPER) == 0
    before = {"relayer": live.free(world.relayer.ss58_address), "pool": live.free(pool_account),
              "subsidy": live.free(SUBSIDY_ACCOUNT), "treasury": live.free(treasury_ss58)}
    base_before = _pool(live, pid)
    receipt = world.send(MASTER, GATEKEEPER, TOPIC_WORKING_UPDATE, update)  # Gatekeeper: master key signs
    assert receipt.one("PhalaComputation", "SessionSettled") == {"session": session, "v_bits": v_bits,
                                                                 "payout_bits": fp.from_int(PAYOUT)}
    assert receipt.one("PhalaStakePoolv2", "RewardReceived") == {"pid": pid, "to_owner": 0,
                                                                 "to_stakers": PAYOUT * PHA}
    after = {"relayer": live.free(world.relayer.ss58_address, receipt.block),
             "pool": live.free(pool_account, receipt.block), "subsidy": live.free(SUBSIDY_ACCOUNT, receipt.block),
             "treasury": live.free(treasury_ss58, receipt.block)}
    assert after["relayer"] == before["relayer"]  # Gatekeeper messages are Pays::No
    assert after["pool"] - before["pool"] == PAYOUT * PHA
    assert before["subsidy"] - after["subsidy"] == (PAYOUT + TREASURY) * PHA
    assert after["treasury"] - before["treasury"] == TREASURY * PHA
    assert live.query("PhalaMq", "OffchainIngress", [origin_arg(GATEKEEPER)]) == 1
    info = live.query("PhalaComputation", "Sessions", [session])
    assert (int(info["v"]), int(info["stats"]["total_reward"])) == (v_bits, PAYOUT * PHA)
    base = _pool(live, pid, receipt.block)
    assert base["total_shares"] == base_before["total_shares"] == CONTRIBUTION  # rewards mint no shares
    assert base["total_value"] == CONTRIBUTION + PAYOUT * PHA
    price = fp.div(fp.to_fixed(base["total_value"]), fp.to_fixed(base["total_shares"]))
    assert price > fp.ONE

    amount = 1_000 * PHA
    more = live.must(live.call("PhalaStakePoolv2", "contribute", pid=pid, amount=amount, as_vault=None),
                     world.staker)
    shares = more.one("PhalaStakePoolv2", "Contribution")["shares"]
    assert shares == fp.bdiv(amount, price)
    assert abs(shares - amount * CONTRIBUTION // (CONTRIBUTION + PAYOUT * PHA)) <= 10**6  # ≈ amount / price
    world.facts.update(price=price, staker_shares=CONTRIBUTION + shares,
                       pool_value=CONTRIBUTION + PAYOUT * PHA + amount)


def test_stop_cool_down_and_reclaim_returns_the_whole_stake(world: World) -> None:
    live = world.live
    pid, session, pool_account, lock = (world.need(k) for k in ("pid", "session", "pool_account", "lock"))
    stopped = live.must(live.call("PhalaStakePoolv2", "stop_computing", pid=pid, worker=hx(WORKER.public)),
                        world.owner)
    assert stopped.one("PhalaComputation", "WorkerStopped") == {"session": session}
    info = live.query("PhalaComputation", "Sessions", [session])
    assert info["state"] == "WorkerCoolingDown"
    assert info["cool_down_start"] == live.now_ms(stopped.block) // 1000
    assert live.query("PhalaComputation", "OnlineWorkers") == 0
    reclaim = live.call("PhalaStakePoolv2", "reclaim_pool_worker", pid=pid, worker=hx(WORKER.public))
    early = live.run(reclaim, world.relayer)
    assert early.error == "PhalaComputation.CoolDownNotReady"

    empty_blocks = 0
    while live.now_ms(live.si.get_chain_head()) + 6000 < (info["cool_down_start"] + COOL_DOWN_S) * 1000:
        live.seal()
        empty_blocks += 1
    assert empty_blocks <= COOL_DOWN_S // 6 + 1  # each block adds at least one 6 s slot
    before = {"pool": live.free(pool_account), "lock": live.free(lock)}
    assert before["lock"] == STAKE
    done = live.must(reclaim, world.relayer)  # anyone may reclaim
    assert done.one("PhalaComputation", "WorkerReclaimed") == {"session": session, "original_stake": STAKE,
                                                               "slashed": 0}
    assert done.one("PhalaStakePoolv2", "WorkerReclaimed") == {"pid": pid, "worker": hx(WORKER.public)}
    assert live.free(pool_account, done.block) == before["pool"] + STAKE
    assert live.free(lock, done.block) == 0
    assert live.query("PhalaComputation", "Stakes", [session]) is None
    assert live.query("PhalaComputation", "Sessions", [session])["state"] == "Ready"
    assert live.free(pool_account, done.block) == world.need("pool_value")
    world.facts["reclaimed"] = True


def test_staker_withdraws_contribution_plus_reward(world: World) -> None:
    live = world.live
    world.need("reclaimed")
    pid, pool_account = world.need("pid"), world.need("pool_account")
    shares = world.need("staker_shares")
    assert live.query("PhalaStakePoolv2", "PoolStakers", [pid, world.staker.ss58_address]) == shares
    out = live.must(live.call("PhalaStakePoolv2", "withdraw", pid=pid, shares=shares, as_vault=None), world.staker)
    assert out.one("PhalaStakePoolv2", "WithdrawalQueued")["shares"] == shares
    paid = out.one("PhalaStakePoolv2", "Withdrawal")
    value = world.need("pool_value")
    assert paid["shares"] == shares
    assert value - 10**6 <= paid["amount"] <= value  # everything, up to fixed-point rounding
    left = value - paid["amount"]
    if left >= int(live.si.get_constant("Balances", "ExistentialDeposit").value):
        assert live.free(pool_account, out.block) == left
    else:  # the rounding remainder is below ED: the emptied pool account is reaped (as W-PHA accounts are)
        assert live.free(pool_account, out.block) == 0
        assert out.one("Balances", "DustLost") == {"account": pool_account, "amount": left}
    assert _pool(live, pid, out.block)["withdraw_queue"] == []
