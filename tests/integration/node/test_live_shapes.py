"""Response shapes of the legacy RPC surface on a live manual-seal node, checked against client-compat.md §4.

Proves: chain_getBlockHash accepts [], [null], [0], ["0x0"] and [[0,1]]; header numbers are minimal hex
strings; block extrinsics carry their compact length prefix; state_getKeysPaged is exclusive of its
start key; state_queryStorageAt echoes the keys; the first state_storage notification lists every key;
rpc_methods lists the aliases; state_call takes hex without 0x and ""; the keystore methods work.
"""

from __future__ import annotations

from live_node import LiveNode, Rpc
from live_tx import ACCOUNT_PREFIX, UNIT, account_key, facts, hx, transfer

from runtime.scale.compact import decode_compact

SYSTEM_NUMBER = "0x26aa394eea5630e07c48ae0c9558cef702a5c1b19ab7a04f536c519aca4983ac"
ABSENT = "0x" + "ab" * 32


def _seal(rpc: Rpc) -> str:
    block: str = rpc.call("engine_createBlock", [True, True])["hash"]
    return block


def test_get_block_hash_forms(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    first = _seal(rpc)
    best = rpc.call("chain_getHeader")
    best_hash = rpc.call("chain_getBlockHash", [])
    assert rpc.call("chain_getBlockHash", [None]) == best_hash
    assert rpc.call("chain_getHead") == best_hash
    genesis = rpc.call("chain_getBlockHash", [0])
    assert rpc.call("chain_getBlockHash", ["0x0"]) == genesis
    assert rpc.call("chain_getBlockHash", [[0, 1]]) == [genesis, rpc.call("chain_getBlockHash", [1])]
    assert rpc.call("chain_getBlockHash", [[0, "0x1"]])[1] is not None
    assert rpc.call("chain_getBlockHash", [10**6]) is None
    assert rpc.call("chain_getHeader", [best_hash]) == best
    assert rpc.call("chain_getHeader", [first])["parentHash"] is not None
    assert rpc.call("chain_getHeader", ["0x" + "00" * 32]) is None
    assert rpc.call("chain_getBlock", ["0x" + "00" * 32]) is None


def test_header_number_is_minimal_hex(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    genesis = rpc.call("chain_getHeader", [rpc.call("chain_getBlockHash", [0])])
    assert genesis["number"] == "0x0"
    _seal(rpc)
    header = rpc.call("chain_getHeader")
    number = header["number"]
    assert isinstance(number, str)
    assert number == hex(int(number, 16))
    assert set(header) == {"parentHash", "number", "stateRoot", "extrinsicsRoot", "digest"}
    assert all(log.startswith("0x") for log in header["digest"]["logs"])
    assert rpc.call("chain_getFinalizedHead") == rpc.call("chain_getFinalisedHead")


def test_block_extrinsics_carry_length_prefix(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    chain = facts(rpc)
    nonce = rpc.call("account_nextIndex", [hx(bytes.fromhex(account_key("Bob")[-64:]))])
    xt = transfer(chain, "Bob", "Alice", UNIT, nonce)
    rpc.call("author_submitExtrinsic", [hx(xt)])
    block = rpc.call("chain_getBlock", [_seal(rpc)])
    assert block["justifications"] is None
    extrinsics = block["block"]["extrinsics"]
    assert hx(xt) in extrinsics
    for item in extrinsics:
        raw = bytes.fromhex(item[2:])
        length, offset = decode_compact(raw, 0)
        assert length == len(raw) - offset


def test_keys_paged_is_exclusive_and_bounded(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    prefix = hx(ACCOUNT_PREFIX)
    keys = rpc.call("state_getKeysPaged", [prefix, 4])
    assert len(keys) == 4
    assert keys == sorted(keys)
    assert rpc.call("state_getKeysPaged", [prefix, 4, prefix]) == keys  # startKey == prefix: from the start
    assert rpc.call("state_getKeysPaged", [prefix, 3, keys[0]]) == keys[1:4]
    assert rpc.call("state_getKeysPagedAt", [prefix, 2, keys[1]]) == keys[2:4]
    assert len(rpc.call("state_getKeysPaged", ["0x", 1000])) <= 1000
    assert rpc.error("state_getKeysPaged", ["0x", 1001])["code"] == -32602


def test_query_storage_at_echoes_keys(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    best = rpc.call("chain_getBlockHash")
    keys = [SYSTEM_NUMBER, ABSENT, account_key("Alice")]
    result = rpc.call("state_queryStorageAt", [keys])
    assert len(result) == 1
    assert result[0]["block"] == best
    changes = result[0]["changes"]
    assert [c[0] for c in changes] == keys
    assert changes[1][1] is None
    assert changes[0][1] == rpc.call("state_getStorage", [SYSTEM_NUMBER])
    upper = ["0x" + SYSTEM_NUMBER[2:].upper()]
    assert rpc.call("state_queryStorageAt", [upper, best])[0]["changes"][0][0] == SYSTEM_NUMBER


def test_subscribe_storage_first_notification_has_all_keys(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    keys = [SYSTEM_NUMBER, ABSENT]
    sub = rpc.call("state_subscribeStorage", [keys])
    first = rpc.next_notification("state_storage", sub)
    assert [c[0] for c in first["changes"]] == keys
    assert first["changes"][1][1] is None
    block = _seal(rpc)
    second = rpc.next_notification("state_storage", sub)
    assert second["block"] == block
    assert [c[0] for c in second["changes"]] == [SYSTEM_NUMBER]  # only what changed
    assert rpc.call("state_unsubscribeStorage", [sub]) is True


def test_rpc_methods_lists_aliases(manual_node: LiveNode) -> None:
    methods = set(manual_node.call("rpc_methods")["methods"])
    for name in ("account_nextIndex", "system_accountNextIndex", "chain_getHead", "chain_getFinalisedHead",
                 "chain_getFinalizedHead", "state_getStorageAt", "state_getKeysPagedAt", "state_callAt",
                 "chain_getRuntimeVersion", "chain_subscribeNewHead", "subscribe_newHead",
                 "chain_unsubscribeNewHead", "unsubscribe_newHead", "chain_subscribeFinalisedHeads",
                 "chain_unsubscribeFinalisedHeads", "chain_subscribeRuntimeVersion", "state_subscribeStorage",
                 "author_submitAndWatchExtrinsic", "author_unwatchExtrinsic", "rpc_methods",
                 "state_getStorageHashAt", "state_getStorageSizeAt", "system_dryRunAt"):
        assert name in methods, name


def test_state_call_hex_forms(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    version = rpc.call("state_call", ["Core_version", "0x"])
    assert rpc.call("state_call", ["Core_version", ""]) == version
    assert rpc.call("state_call", ["Core_version"]) == version
    with_prefix = rpc.call("state_call", ["Metadata_metadata_at_version", "0x0e000000"])
    assert rpc.call("state_call", ["Metadata_metadata_at_version", "0e000000"]) == with_prefix
    err = rpc.error("state_call", ["No_such_api", "0x"])
    assert err["code"] == 4003


def test_keystore_methods(manual_node: LiveNode) -> None:
    rpc = manual_node.rpc()
    from runtime.primitives.keyring import dev_keypair

    alice = hx(dev_keypair("Alice").public)
    assert rpc.call("author_hasKey", [alice, "aura"]) is False
    assert rpc.call("author_insertKey", ["aura", "//Alice", alice]) is None
    assert rpc.call("author_hasKey", [alice, "aura"]) is True
    assert rpc.error("author_insertKey", ["aura", "//Bob", alice])["code"] == -32602
    keys = rpc.call("author_rotateKeys")
    assert len(keys) == 2 + 128
    assert rpc.call("author_hasSessionKeys", [keys]) is True
    assert rpc.call("author_hasSessionKeys", ["0x" + "00" * 64]) is False
