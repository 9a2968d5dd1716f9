"""Chain spec JSON layout, parsing errors, the foreign (Wasm) spec and the genesis header, without a runtime."""

from __future__ import annotations

import json
from pathlib import Path
from types import SimpleNamespace
from typing import Any

import pytest

import chain_spec as cs
from runtime.primitives.hashing import EMPTY_TRIE_ROOT, blake2_256
from runtime.version import VERSION

# A raw spec someone else built (the reference chain's; see ../shared/reference-chain/SOURCE.md, sha256 bcace875…)
FOREIGN = Path(__file__).resolve().parents[2] / "fixtures" / "solochain-local-testnet-raw.json"


def fake_assembly() -> Any:
    """Just what runtime_code() reads: a version and V14 metadata bytes."""
    return SimpleNamespace(version=VERSION, metadata_v14=lambda: b"meta\x0e-not-real")


@pytest.fixture(scope="module")
def foreign() -> cs.ChainSpec:
    return cs.load(str(FOREIGN))


def test_foreign_spec_reads_client_fields(foreign: cs.ChainSpec) -> None:
    assert (foreign.name, foreign.id, foreign.chain_type) == ("Local Testnet", "local_testnet", "Local")
    assert foreign.properties is None
    assert foreign.system_properties() == {}
    assert foreign.boot_nodes[0].startswith("/ip4/127.0.0.1/tcp/30333/p2p/12D3KooW")
    assert foreign.is_raw
    assert foreign.protocol_id is None
    assert foreign.fork_id is None


def test_foreign_spec_round_trips_byte_exact(foreign: cs.ChainSpec) -> None:
    assert foreign.to_json(raw=True) == FOREIGN.read_text().rstrip("\n")
    assert foreign.to_json(raw=False) == foreign.to_json(raw=True)  # raw stays raw


def test_foreign_spec_genesis_storage_then_foreign_runtime_error(foreign: cs.ChainSpec) -> None:
    storage = cs.genesis_storage(foreign, fake_assembly())
    assert len(storage) == 35
    assert storage[b":code"].startswith(bytes.fromhex("52bc537646db8e05"))
    _, genesis_hash = cs.genesis_header(storage)
    assert len(genesis_hash) == 32
    with pytest.raises(cs.ForeignRuntimeError, match="zstd-compressed Wasm runtime blob") as info:
        cs.runnable_genesis_storage(foreign, fake_assembly())
    assert "local_testnet" in str(info.value)
    assert "phala-node" in str(info.value)


def test_missing_code_is_named() -> None:
    spec = cs.ChainSpec(name="X", id="x", genesis=cs.RawGenesis({b"k": b"v"}))
    with pytest.raises(cs.ForeignRuntimeError, match="no :code entry"):
        cs.runnable_genesis_storage(spec, fake_assembly())


def test_our_code_is_accepted_in_raw_spec() -> None:
    from runtime.genesis import runtime_code

    asm = fake_assembly()
    spec = cs.ChainSpec(name="X", id="x", genesis=cs.RawGenesis({b":code": runtime_code(asm), b"a": b"1"}))
    assert cs.runnable_genesis_storage(spec, asm) == {b":code": runtime_code(asm), b"a": b"1"}


def sample_spec(**changes: Any) -> cs.ChainSpec:
    base = cs.ChainSpec(
        name="Sample", id="sample", chain_type="Local", boot_nodes=("/ip4/1.2.3.4/tcp/30333/p2p/12D3KooWx",),
        telemetry_endpoints=(("wss://telemetry.example/submit/", 0),), protocol_id="smp",
        properties={"tokenSymbol": "PHA", "ss58Format": 42, "tokenDecimals": 12},
        code_substitutes={"9": b"\x01", "10": b"\x02"},
        genesis=cs.RuntimeGenesis(b"\x00asm", {"sudo": {"key": "5Grw"}, "balances": {"balances": []}}),
    )
    from dataclasses import replace

    return replace(base, **changes)


def test_non_raw_layout_matches_substrate() -> None:
    text = sample_spec().to_json()
    obj = json.loads(text)
    assert list(obj) == ["name", "id", "chainType", "bootNodes", "telemetryEndpoints", "protocolId",
                         "properties", "codeSubstitutes", "genesis"]
    assert obj["telemetryEndpoints"] == [["wss://telemetry.example/submit/", 0]]
    assert list(obj["properties"]) == ["ss58Format", "tokenDecimals", "tokenSymbol"]  # BTreeMap order
    assert list(obj["codeSubstitutes"]) == ["10", "9"]  # string order
    assert obj["genesis"] == {"runtimeGenesis": {"code": "0x0061736d",
                                                 "patch": {"balances": {"balances": []}, "sudo": {"key": "5Grw"}}}}
    assert list(obj["genesis"]["runtimeGenesis"]) == ["code", "patch"]
    assert text.startswith('{\n  "name": "Sample",\n  "id": "sample",\n  "chainType": "Local",\n  "bootNodes": [\n')


def test_fork_id_only_when_set_and_round_trip() -> None:
    spec = sample_spec(fork_id="fork-1", extensions={"relay_chain": "rococo", "para_id": 2000})
    obj = json.loads(spec.to_json())
    keys = list(obj)
    assert keys.index("forkId") == keys.index("protocolId") + 1
    assert keys[keys.index("properties") + 1:keys.index("codeSubstitutes")] == ["relay_chain", "para_id"]
    assert cs.from_json(spec.to_json()) == spec
    assert "forkId" not in json.loads(sample_spec().to_json())


def test_raw_keys_sorted_and_children_default() -> None:
    top = {b"\xff": b"\x01", b"\x00\x01": b"", b"\x00": b"\x02", b":code": b"c"}
    spec = cs.ChainSpec(name="R", id="r", genesis=cs.RawGenesis(top, {b":child_storage:default:x": {b"k": b"v"}}))
    raw = json.loads(spec.to_json(raw=True))["genesis"]["raw"]
    assert list(raw["top"]) == ["0x00", "0x0001", "0x3a636f6465", "0xff"]
    assert raw["top"]["0x0001"] == "0x"
    assert raw["childrenDefault"] == {"0x" + b":child_storage:default:x".hex(): {"0x6b": "0x76"}}
    assert cs.from_json(spec.to_json(raw=True)) == spec


@pytest.mark.parametrize(("mutate", "message"), [
    (lambda o: o.pop("name"), "missing string field 'name'"),
    (lambda o: o.update(chainType="Weird"), "unknown chainType"),
    (lambda o: o.update(genesis={"stateRootHash": "0x00"}), "stateRootHash"),
    (lambda o: o.update(genesis={"runtime": {}}), "unsupported genesis format 'runtime'"),
    (lambda o: o.update(genesis={"raw": {"top": {"0xzz": "0x00"}}}), "not valid hex"),
    (lambda o: o.update(genesis={"raw": {"top": {"00": "0x00"}}}), "0x-prefixed"),
    (lambda o: o.update(genesis={"runtimeGenesis": {"code": "0x"}}), "patch or config"),
    (lambda o: o.update(properties=[1]), "properties must be an object"),
    (lambda o: o.update(bootNodes="x"), "bootNodes"),
])
def test_parse_errors_are_typed_and_named(mutate: Any, message: str) -> None:
    obj = json.loads(sample_spec().to_json())
    mutate(obj)
    with pytest.raises(cs.ChainSpecError, match=message):
        cs.from_json(json.dumps(obj))


def test_not_json_and_missing_file() -> None:
    with pytest.raises(cs.ChainSpecError, match="not valid JSON"):
        cs.from_json("{nope")
    with pytest.raises(cs.ChainSpecError, match="neither a built-in chain"):
        cs.load("/nonexistent/spec.json")
    with pytest.raises(cs.ChainSpecError, match="neither a built-in chain"):
        cs.chain_id_of("nonexistent-chain")


def test_chain_id_of_builtins_and_files(tmp_path: Path) -> None:
    assert cs.chain_id_of("dev") == "dev"
    assert cs.chain_id_of("local") == "local_testnet"
    assert cs.chain_id_of("") == "local_testnet"
    assert cs.chain_id_of(str(FOREIGN)) == "local_testnet"
    path = tmp_path / "s.json"
    path.write_text(sample_spec().to_json())
    assert cs.chain_id_of(str(path)) == "sample"


def test_custom_chain_type() -> None:
    obj = json.loads(sample_spec().to_json())
    obj["chainType"] = {"Custom": "Staging"}
    spec = cs.from_json(json.dumps(obj))
    assert spec.chain_type_name() == "Custom"
    assert json.loads(spec.to_json())["chainType"] == {"Custom": "Staging"}


def test_genesis_header_shape_and_determinism() -> None:
    header, h = cs.genesis_header({})
    assert header.parent_hash == bytes(32)
    assert header.number == 0
    assert header.digest == ()
    assert header.state_root == EMPTY_TRIE_ROOT
    assert header.extrinsics_root == blake2_256(b"\x00")
    storage = {b":code": b"x" * 40, b"key": b"value"}
    assert cs.genesis_header(storage)[1] == cs.genesis_header(dict(reversed(list(storage.items()))))[1]
    assert cs.genesis_header(storage)[1] != h
    assert cs.genesis_header(storage)[1] == cs.genesis_header(storage)[0].hash()
