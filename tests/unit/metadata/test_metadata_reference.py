"""Our System, Timestamp, Aura, Grandpa, Balances, TransactionPayment and Sudo against the reference FRAME
chain's V14: storage names, modifiers, hashers, key/value types, default bytes, constant values, call names,
argument names and type names, event names and fields, error names, indices and doc lines.

Every difference must be listed below with its reason: DELIBERATE ones stay (our crate name, our spec
name, newer-FRAME types); KNOWN_GAPS are defects in pallet files owned elsewhere, reported to their
owners. Anything not listed fails the test.
"""

from __future__ import annotations

from typing import Any

import pytest
from metadata_oracle import Decoded, enum_header, pallet_shape

PALLETS = ["System", "Timestamp", "Aura", "Grandpa", "Balances", "TransactionPayment", "Sudo"]
SECTIONS = ("storage", "constants", "calls", "events", "errors")
OUR_CRATE, REF_CRATE = "phala_node_runtime", "solochain_template_runtime"

Diff = tuple[str, str, str, str]

DELIBERATE: dict[Diff, str] = {
    ("System", "constants", "Version", "value"): "spec/impl name phala-node, not solochain-template-runtime",
    ("System", "events", "ExtrinsicSuccess", "fields"):
        "frame_system::DispatchEventInfo (polkadot-sdk stable2412+) instead of frame_support's DispatchInfo",
    ("System", "events", "ExtrinsicFailed", "fields"): "same DispatchEventInfo change",
}

KNOWN_GAPS: dict[Diff, str] = {}


def _norm(value: Any) -> Any:
    if isinstance(value, str):
        return value.replace(OUR_CRATE, REF_CRATE)
    if isinstance(value, tuple):
        return tuple(_norm(v) for v in value)
    if isinstance(value, list):
        return [_norm(v) for v in value]
    if isinstance(value, dict):
        return {k: _norm(v) for k, v in value.items()}
    return value


def differences(ours: Decoded, ref: Decoded, pallet: str) -> tuple[set[Diff], list[str]]:
    """(set of differing (pallet, section, item, attribute), readable lines) between ours and the reference."""
    a, b = _norm(pallet_shape(ours, pallet)), pallet_shape(ref, pallet)
    found: set[Diff] = set()
    lines = []
    for key in ("index", "storage_prefix"):
        if a[key] != b[key]:
            found.add((pallet, key, "", ""))
    for section in SECTIONS:
        if list(a[section]) != list(b[section]):
            found.add((pallet, section, "<names/order>", ""))
            lines.append(f"{pallet} {section}: {list(a[section])} != {list(b[section])}")
        for item in set(a[section]) & set(b[section]):
            for attr in b[section][item]:
                if a[section][item][attr] != b[section][item][attr]:
                    found.add((pallet, section, item, attr))
                    lines.append(f"{pallet} {section} {item} {attr}: {a[section][item][attr]!r} != "
                                 f"{b[section][item][attr]!r}")
    for kind in ("calls", "event", "error"):
        ha, hb = enum_header(ours, pallet, kind), enum_header(ref, pallet, kind)
        if (ha is None) != (hb is None):
            found.add((pallet, "enum", kind, "presence"))
            continue
        if ha is None or hb is None:
            continue
        for attr, x, y in zip(("path", "params", "docs"), ha, hb, strict=True):
            if x != y:
                found.add((pallet, "enum", kind, attr))
                lines.append(f"{pallet} {kind} enum {attr}: {x!r} != {y!r}")
    return found, lines


@pytest.mark.parametrize("pallet", PALLETS)
def test_pallet_matches_reference(pallet: str, ours14: Decoded, ref14: Decoded) -> None:
    found, lines = differences(ours14, ref14, pallet)
    unexplained = found - set(DELIBERATE) - set(KNOWN_GAPS)
    assert not unexplained, "\n".join(lines)


def test_listed_differences_are_real(ours14: Decoded, ref14: Decoded) -> None:
    """A DELIBERATE entry that no longer differs is stale and must be removed (KNOWN_GAPS may close silently)."""
    found: set[Diff] = set()
    for pallet in PALLETS:
        found |= differences(ours14, ref14, pallet)[0]
    assert set(DELIBERATE) <= found
    closed = set(KNOWN_GAPS) - found
    if closed:
        print("known gaps now closed (remove them from KNOWN_GAPS):", sorted(closed))


def test_comparison_is_sensitive(ours14: Decoded, ref14: Decoded) -> None:
    """The comparison catches a changed default byte, a renamed argument and a changed hasher."""
    base = pallet_shape(ref14, "Balances")
    assert base["storage"]["TotalIssuance"]["default"] == "00" * 16
    assert [f[0] for f in base["calls"]["transfer_keep_alive"]["fields"]] == ["dest", "value"]
    assert base["storage"]["Account"]["hashers"] == ["Blake2_128Concat"]
    ours = pallet_shape(ours14, "Balances")
    assert ours["storage"]["TotalIssuance"] == base["storage"]["TotalIssuance"]
    assert ours["calls"]["transfer_keep_alive"] == base["calls"]["transfer_keep_alive"]
    assert ours["constants"]["ExistentialDeposit"]["value"] == (500).to_bytes(16, "little").hex()
