"""CLI flag resolution into NodeConfig (Substrate's implications), and the key / purge-chain subcommands."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

import chain_spec as cs
from node.cli import build_parser, config_from_args, main, peer_id
from node.config import DEFAULT_RPC_CORS, ConfigError, NodeConfig

ROOT = Path(__file__).resolve().parents[3]
ALICE_HEX = "0xd43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
ALICE_SS58 = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"


def stub_spec(name: str) -> cs.ChainSpec:
    return cs.ChainSpec(name=f"spec:{name}", id=name or "local_testnet", genesis=cs.RawGenesis({}))


def resolve(argv: list[str], tmp: Path | None = None) -> NodeConfig:
    args = build_parser().parse_args(argv)
    return config_from_args(args, load_spec=stub_spec, make_tmp=lambda: tmp or Path("/tmp/fake-tmp"))


def test_dev_implications(tmp_path: Path) -> None:
    config = resolve(["--dev"], tmp_path)
    assert config.chain_spec.id == "dev"
    assert config.dev
    assert config.tmp
    assert config.base_path == tmp_path
    assert config.validator
    assert config.force_authoring
    assert config.authority_key == "//Alice"
    assert config.rpc_cors == "all"
    assert config.sealing == "instant"
    assert config.finalize_instantly
    assert (config.rpc_host, config.rpc_port, config.rpc_methods) == ("127.0.0.1", 9944, "unsafe")
    assert config.prometheus_port == 9615
    assert config.prometheus_host == "127.0.0.1"
    assert config.rpc_max_connections == 100
    assert config.port == 30333
    assert config.keystore_path is None
    assert re.fullmatch(r"[a-z]+-[a-z]+-\d{4}", config.name)


def test_dev_with_base_path_is_not_tmp(tmp_path: Path) -> None:
    config = resolve(["--dev", "-d", str(tmp_path)])
    assert not config.tmp
    assert config.base_path == tmp_path
    assert config.database_path == tmp_path / "chains" / "dev" / "db" / "full"
    assert config.keystore_path == tmp_path / "chains" / "dev" / "keystore"


def test_dev_chain_can_be_overridden() -> None:
    assert resolve(["--dev", "--chain", "local"]).chain_spec.id == "local"
    assert resolve([]).chain_spec.id == "local_testnet"  # no --chain: "" = local, as the template


def test_non_dev_defaults() -> None:
    config = resolve(["--chain", "local"])
    assert not config.dev
    assert not config.tmp
    assert not config.validator
    assert config.authority_key is None
    assert config.sealing == "aura"
    assert not config.finalize_instantly
    assert config.rpc_cors == DEFAULT_RPC_CORS
    assert config.base_path.name == "phala-node"


def test_dev_account_flags() -> None:
    config = resolve(["--chain", "local", "--bob"])
    assert (config.name, config.validator, config.authority_key) == ("Bob", True, "//Bob")
    assert resolve(["--ferdie", "--name", "custom"]).name == "custom"
    assert resolve(["--dev", "--charlie"]).authority_key == "//Charlie"
    with pytest.raises(SystemExit):
        build_parser().parse_args(["--alice", "--bob"])


def test_rpc_external_resolves_safe() -> None:
    config = resolve(["--dev", "--rpc-external"])
    assert (config.rpc_host, config.rpc_methods) == ("0.0.0.0", "safe")
    assert resolve(["--rpc-external", "--rpc-methods", "unsafe"]).rpc_methods == "unsafe"
    assert resolve(["--unsafe-rpc-external"]).rpc_host == "0.0.0.0"
    assert resolve(["--rpc-methods", "Safe"]).rpc_methods == "safe"
    with pytest.raises(ConfigError, match="--rpc-external option shouldn't be used"):
        resolve(["--validator", "--rpc-external"])
    assert resolve(["--validator", "--rpc-external", "--rpc-methods=unsafe"]).rpc_host == "0.0.0.0"


def test_prometheus_cors_sealing_and_ports() -> None:
    assert resolve(["--no-prometheus"]).prometheus_port is None
    config = resolve(["--prometheus-external", "--prometheus-port", "9000"])
    assert (config.prometheus_host, config.prometheus_port) == ("0.0.0.0", 9000)
    assert resolve(["--rpc-cors", "http://a.b, null"]).rpc_cors == ("http://a.b", "null")
    assert resolve(["--rpc-cors", "ALL"]).rpc_cors == "all"
    assert resolve(["--sealing", "1500"]).sealing == 1500
    assert resolve(["--dev", "--sealing", "manual"]).sealing == "manual"
    for bad in (["--sealing", "sometimes"], ["--sealing", "0"], ["--rpc-port", "70000"], ["--name", "a.b"],
                ["--name", "http:x"], ["--tmp", "-d", "/tmp/x"], ["--rpc-max-connections", "0"]):
        with pytest.raises(ConfigError):
            resolve(bad)
    config = resolve(["-l", "debug", "-l", "rpc=trace", "--bootnodes", "/ip4/1.2.3.4/tcp/1/p2p/x", "--port", "1"])
    assert config.log_filters == ("debug", "rpc=trace")
    assert config.bootnodes == ("/ip4/1.2.3.4/tcp/1/p2p/x",)


def run_main(argv: list[str], stdin: str | None = None) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, stdout=out, stdin=io.StringIO(stdin) if stdin is not None else None)
    return code, out.getvalue()


def test_key_inspect_alice() -> None:
    code, text = run_main(["key", "inspect", "//Alice"])
    assert code == 0
    assert text.splitlines()[0] == "Secret Key URI `//Alice` is account:"
    assert f"  Public key (hex):  {ALICE_HEX}" in text.splitlines()
    assert f"  SS58 Address:      {ALICE_SS58}" in text.splitlines()
    assert "  Network ID:        substrate" in text.splitlines()


def test_key_inspect_known_seeds() -> None:
    phrase = "bottom drive obey lake curtain smoke basket hold race lonely fit walk"
    _, text = run_main(["key", "inspect", phrase])
    assert text.startswith(f"Secret phrase:       {phrase}\n")
    assert "0xfac7959dbfe72f052e5a0c3c8d6530f202b02fd8f9f5ca3580ec8deb7797479e" in text  # subkey's dev seed
    _, text = run_main(["key", "inspect", "//Alice", "--scheme", "ed25519", "--output-type", "json"])
    obj = json.loads(text)
    assert obj["secretKeyUri"] == "//Alice"
    assert obj["secretSeed"] == "0xabf8e5bdbe30c65656c0a3cbd181ff8a56294a69dfedd27982aace4a76909115"
    assert obj["publicKey"] == "0x88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"


def test_key_inspect_public_and_invalid() -> None:
    code, text = run_main(["key", "inspect", "--public", ALICE_HEX])
    assert code == 0
    assert text.startswith("Network ID/Version: substrate\n")
    assert ALICE_SS58 in text
    code, text = run_main(["key", "inspect", ALICE_SS58])
    assert text.startswith(f"Public Key URI `{ALICE_SS58}` is account:")
    assert ALICE_HEX in text
    assert run_main(["key", "inspect", "not//a valid/uri words"])[0] == 1


def test_key_generate_round_trips() -> None:
    code, text = run_main(["key", "generate", "--words", "24", "--output-type", "json"])
    obj = json.loads(text)
    assert code == 0
    assert len(obj["secretPhrase"].split()) == 24
    _, again = run_main(["key", "inspect", obj["secretPhrase"], "--output-type", "json"])
    assert json.loads(again) == obj
    _, text = run_main(["key", "generate", "--scheme", "ed25519"])
    assert text.startswith("Secret phrase:       ")
    assert "Public key (SS58): 5" in text


def test_key_insert_writes_keystore(tmp_path: Path) -> None:
    code, _ = run_main(["key", "insert", "--suri", "//Alice", "--key-type", "gran", "--chain", "dev",
                        "-d", str(tmp_path)])
    assert code == 0
    files = [p.name for p in (tmp_path / "chains" / "dev" / "keystore").iterdir()]
    assert files == ["6772616e88dc3417d5058ec4b4503e0c12ea1a0a89be200fe98922423d4334014fa6b0ee"]
    assert run_main(["key", "insert", "--suri", "//Alice", "--key-type", "toolong", "-d", str(tmp_path)])[0] == 1


def make_db(base: Path) -> Path:
    db = base / "chains" / "dev" / "db"
    (db / "full").mkdir(parents=True)
    (db / "full" / "data.mdb").write_bytes(b"x")
    return db


def test_purge_chain_confirmation(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    assert run_main(["purge-chain", "--chain", "dev", "-d", str(tmp_path)], stdin="") == (1, f'Are you sure to remove "{db}"? [y/N]: \n')
    assert db.exists()
    code, text = run_main(["purge-chain", "--dev", "-d", str(tmp_path)], stdin="n\n")
    assert code == 0
    assert text.endswith("Aborted\n")
    assert db.exists()
    code, text = run_main(["purge-chain", "--dev", "-d", str(tmp_path)], stdin="y\n")
    assert code == 0
    assert not db.exists()
    assert text.endswith(f'"{db}" removed.\n')
    make_db(tmp_path)
    assert run_main(["purge-chain", "--dev", "-d", str(tmp_path), "-y"])[0] == 0
    assert not db.exists()
    assert run_main(["purge-chain", "--dev", "-d", str(tmp_path), "-y"])[0] == 0  # already gone


def test_purge_chain_refuses_without_stdin_in_a_real_process(tmp_path: Path) -> None:
    db = make_db(tmp_path)
    proc = subprocess.run([sys.executable, "-m", "node", "purge-chain", "--chain", "dev", "-d", str(tmp_path)],
                          stdin=subprocess.DEVNULL, capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert proc.returncode == 1
    assert "pass -y to confirm" in proc.stderr
    assert db.exists()


def test_help_reads_well() -> None:
    proc = subprocess.run([sys.executable, "-m", "node", "--help"], capture_output=True, text=True, cwd=ROOT,
                          timeout=60)
    assert proc.returncode == 0
    for part in ("phala-node", "RPC server", "Prometheus metrics", "--dev", "--alice", "build-spec",
                 "purge-chain", "examples:"):
        assert part in proc.stdout


def test_peer_id_of_ed25519_key() -> None:
    from runtime.primitives.crypto import Keypair

    # Substrate docs: `--node-key 0000…0001` gives the boot node id 12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp
    key = Keypair.from_seed(bytes(31) + b"\x01", "ed25519")
    assert peer_id(key.public) == "12D3KooWEyoppNCUx8Yx66oV9fJnriXwCcXwDDUA2kj6vnc6iDEp"
