"""Our V14 and V15 decoded by @polkadot/types' `Metadata` (node tests/interop/js/metadata_check.mjs) agree item
by item with scalecodec's decoding, carry docs everywhere FRAME does, and decorate like polkadot.js does on
connect (consts, storage key prefix, a Balances call, error docs, event fields)."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest
from metadata_oracle import Decoded, pallet_shape
from test_metadata_decode import CORE

JS_DIR = Path(__file__).resolve().parents[2] / "interop" / "js"
SCRIPT = JS_DIR / "metadata_check.mjs"
SECTIONS = ("calls", "events", "errors", "storage", "constants")


@pytest.fixture(scope="module")
def node_ready() -> str:
    """Path of `node`, with the interop package's node_modules installed (npm ci on first use)."""
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        pytest.skip("node/npm not installed")
    if not (JS_DIR / "node_modules" / "@polkadot" / "types").is_dir():
        subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=JS_DIR, check=True, capture_output=True,
                       timeout=600)
    return node


def _pjs(node: str, blob: bytes, tmp_path: Path) -> dict[str, Any]:
    path = tmp_path / "metadata.hex"
    path.write_text("0x" + blob.hex())
    proc = subprocess.run([node, str(SCRIPT), str(path)], cwd=JS_DIR, capture_output=True, text=True, timeout=120)
    result: dict[str, Any] = json.loads(proc.stdout)
    assert result["ok"], result.get("error")
    assert proc.returncode == 0
    return result


@pytest.mark.parametrize("version", [14, 15])
def test_polkadotjs_decodes_our_metadata(version: int, node_ready: str, tmp_path: Path,
                                         metadata_blobs: dict[str, Any], request: pytest.FixtureRequest,
                                         ref14: Decoded) -> None:
    result = _pjs(node_ready, metadata_blobs[f"v{version}"], tmp_path)
    decoded: Decoded = request.getfixturevalue(f"ours{version}")
    assert result["version"] == version
    assert result["extrinsic"]["versions"] == [4]
    assert result["extrinsic"]["signedExtensions"] == [
        e["identifier"] for e in decoded.body["extrinsic"]["signed_extensions"]]
    assert result["callAlias"] == "GenericCall"  # found the RuntimeCall through UncheckedExtrinsic's params
    assert json.loads(result["signature"]) == {
        "_enum": {"Ed25519": "Ed25519Signature", "Sr25519": "Sr25519Signature", "Ecdsa": "EcdsaSignature"}}
    assert result["lookupTypes"] == len(decoded.types)
    reference_names = {p["name"] for p in ref14.body["pallets"]}
    assert [(p["name"], p["index"]) for p in result["pallets"]] == [
        (p["name"], p["index"]) for p in decoded.body["pallets"]]
    for pallet in result["pallets"]:
        name = pallet["name"]
        shape = pallet_shape(decoded, name)
        ref_shape = pallet_shape(ref14, name) if name in reference_names else None
        if version == 15:
            assert pallet["docs"] > 0, f"{name}: no pallet docs"
        for section in SECTIONS:
            ours_docs = {item: len(v["docs"]) for item, v in shape[section].items()}
            assert {i["name"]: i["docs"] for i in pallet[section]} == ours_docs, (name, section)
            for item, count in ours_docs.items():
                frame_empty = ref_shape is not None and item in ref_shape[section] and not ref_shape[section][item]["docs"]
                later = name not in CORE  # pallets after issue 3: docs counts compared above, not required
                assert count > 0 or frame_empty or later, f"{name}.{section}.{item} has no docs"
        for kind, count in pallet["enumDocs"].items():  # the macro's default text at least
            assert count is None or count > 0, f"{name} {kind} enum has no docs"
        storage = {s["name"]: (s["modifier"], s["kind"], s["hashers"]) for s in pallet["storage"]}
        assert storage == {n: (v["modifier"], v["kind"], v["hashers"]) for n, v in shape["storage"].items()}
        assert {c["name"]: c["value"] for c in pallet["constants"]} == {
            n: "0x" + v["value"] for n, v in shape["constants"].items()}
    dec = result["decorated"]
    assert dec["existentialDeposit"] == "500"
    assert dec["ss58Prefix"] == 42
    assert dec["systemAccountPrefix"] == "0x26aa394eea5630e07c48ae0c9558cef7b99d880ec681799c0cf30e8886371da9"
    assert dec["transferKeepAlive"] == ("0x040300d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d"
                                        "070010a5d4e8")
    assert dec["errorRequireSudo"] == ["Sender must be the Sudo account."]
    assert dec["eventTransferFields"] == ["from", "to", "amount"]


def test_polkadotjs_rejects_garbage(node_ready: str, tmp_path: Path, metadata_blobs: dict[str, Any]) -> None:
    """The script really decodes: a truncated blob makes it fail."""
    path = tmp_path / "bad.hex"
    path.write_text("0x" + metadata_blobs["v14"][: len(metadata_blobs["v14"]) // 2].hex())
    proc = subprocess.run([node_ready, str(SCRIPT), str(path)], cwd=JS_DIR, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode != 0
    assert json.loads(proc.stdout)["ok"] is False
