"""The built-in dev/local specs against the real runtime: build-spec output, committed JSON, genesis hash."""

from __future__ import annotations

import io
import json
import os
from pathlib import Path

import pytest

import chain_spec as cs
from node.cli import main
from runtime.assembly import Assembly, build_assembly
from runtime.genesis import runtime_code
from runtime.primitives.hashing import blake2_128_concat, twox_128
from runtime.primitives.keyring import dev_keypair

SPEC_DIR = Path(cs.__file__).resolve().parent
# A raw spec someone else built (the reference chain's; see ../shared/reference-chain/SOURCE.md, sha256 bcace875…)
FOREIGN = SPEC_DIR.parent / "tests" / "fixtures" / "solochain-local-testnet-raw.json"
REGENERATE = ("chain_spec/{1}.json is stale (the runtime code tag follows the metadata hash); regenerate with "
              "UPDATE_GOLDEN=1 .venv/bin/pytest tests/unit/chain_spec  (or: python -m node build-spec --chain {0} "
              "--disable-default-bootnode > chain_spec/{1}.json)")


@pytest.fixture(scope="module")
def assembly() -> Assembly:
    return build_assembly()


def build_spec(argv: list[str]) -> str:
    out = io.StringIO()
    assert main(["build-spec", *argv], stdout=out) == 0
    return out.getvalue()


@pytest.mark.parametrize(("chain", "file"), [("dev", "dev"), ("local", "local")])
def test_committed_specs_match_builder(assembly: Assembly, chain: str, file: str) -> None:
    built = cs.load(chain, assembly).to_json(raw=False) + "\n"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        (SPEC_DIR / f"{file}.json").write_text(built)
    committed = (SPEC_DIR / f"{file}.json").read_text()
    assert committed == built, REGENERATE.format(chain, file)
    assert build_spec(["--chain", chain, "--disable-default-bootnode"]) == committed


def test_builtin_identity(assembly: Assembly) -> None:
    dev = cs.dev(assembly)
    local = cs.local(assembly)
    assert (dev.name, dev.id, dev.chain_type) == ("Development", "dev", "Development")
    assert (local.name, local.id, local.chain_type) == ("Local Testnet", "local_testnet", "Local")
    assert dev.properties == {"ss58Format": 42, "tokenDecimals": 12, "tokenSymbol": "PHA"}
    assert isinstance(dev.genesis, cs.RuntimeGenesis)
    assert dev.genesis.code == runtime_code(assembly)
    assert set(dev.genesis.patch) == {"aura", "balances", "grandpa", "sudo", "phalaRegistry"}


def test_build_spec_default_adds_a_local_bootnode() -> None:
    obj = json.loads(build_spec(["--chain", "dev"]))
    (node,) = obj["bootNodes"]
    assert node.startswith("/ip4/127.0.0.1/tcp/30333/p2p/12D3KooW")


def test_raw_build_spec_shape(assembly: Assembly) -> None:
    obj = json.loads(build_spec(["--chain", "dev", "--raw", "--disable-default-bootnode"]))
    assert list(obj["genesis"]) == ["raw"]
    raw = obj["genesis"]["raw"]
    assert list(raw) == ["top", "childrenDefault"]
    assert raw["childrenDefault"] == {}
    keys = list(raw["top"])
    assert keys == sorted(keys)
    assert all(k.startswith("0x") and v.startswith("0x") for k, v in raw["top"].items())
    assert raw["top"]["0x3a636f6465"] == "0x" + runtime_code(assembly).hex()
    alice_account = twox_128(b"System") + twox_128(b"Account") + blake2_128_concat(dev_keypair("Alice").public)
    assert "0x" + alice_account.hex() in raw["top"]
    assert raw["top"]["0x" + (twox_128(b"Sudo") + twox_128(b"Key")).hex()] == "0x" + dev_keypair("Alice").public.hex()


def test_same_spec_twice_same_genesis_hash(assembly: Assembly, tmp_path: Path) -> None:
    first = cs.genesis_header(cs.runnable_genesis_storage(cs.dev(assembly), assembly))[1]
    second_assembly = build_assembly()
    second = cs.genesis_header(cs.runnable_genesis_storage(cs.load("dev", second_assembly), second_assembly))[1]
    assert first == second
    # through JSON, non-raw and raw, the genesis is the same block
    non_raw = tmp_path / "dev.json"
    non_raw.write_text(cs.dev(assembly).to_json(raw=False))
    raw = tmp_path / "dev-raw.json"
    raw.write_text(cs.dev(assembly).to_json(raw=True, assembly=assembly))
    for path in (non_raw, raw):
        spec = cs.load(str(path))
        assert cs.genesis_header(cs.runnable_genesis_storage(spec, assembly))[1] == first
    local = cs.genesis_header(cs.runnable_genesis_storage(cs.local(assembly), assembly))[1]
    assert local != first


def test_foreign_spec_cannot_run_on_our_runtime(assembly: Assembly) -> None:
    foreign = cs.load(str(FOREIGN))
    assert len(cs.genesis_storage(foreign, assembly)) == 35
    with pytest.raises(cs.ForeignRuntimeError, match="Wasm runtime blob"):
        cs.runnable_genesis_storage(foreign, assembly)
    with pytest.raises(cs.ForeignRuntimeError):
        foreign.to_raw(assembly) if not foreign.is_raw else cs.runnable_genesis_storage(foreign, assembly)


def test_patch_with_foreign_code_is_rejected(assembly: Assembly) -> None:
    from dataclasses import replace

    dev = cs.dev(assembly)
    assert isinstance(dev.genesis, cs.RuntimeGenesis)
    alien = replace(dev, genesis=cs.RuntimeGenesis(b"\x00asm\x01\x00\x00\x00", dev.genesis.patch))
    with pytest.raises(cs.ForeignRuntimeError, match="a Wasm runtime blob"):
        alien.to_json(raw=True, assembly=assembly)


def test_bad_patch_is_a_chain_spec_error(assembly: Assembly) -> None:
    from dataclasses import replace

    dev = cs.dev(assembly)
    bad = replace(dev, genesis=cs.RuntimeGenesis(runtime_code(assembly), {"noSuchPallet": {}}))
    with pytest.raises(cs.ChainSpecError, match="genesis patch rejected"):
        cs.runnable_genesis_storage(bad, assembly)
