"""SS58 addresses, account-id parsing and MultiAddress codec; scalecodec's ss58 is the oracle."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from scalecodec.utils import ss58 as oracle

from runtime.primitives.account import (
    AddressError,
    CannotLookup,
    MultiAddress,
    MultiAddressDecodeError,
    account_id,
    ss58_decode,
    ss58_decode_with_prefix,
    ss58_encode,
)

ALICE = bytes.fromhex("d43593c715fdd31c61141abd04a99fd6822c8558854ccde39a5684e7a56da27d")
ALICE_SS58 = "5GrwvaEF5zXb26Fz9rcQpDWS57CtERHpNehXCPcNoHGKutQY"


def test_alice_generic_address() -> None:
    assert ss58_encode(ALICE) == ALICE_SS58
    assert ss58_decode(ALICE_SS58) == ALICE
    assert ss58_decode_with_prefix(ALICE_SS58) == (42, ALICE)


@given(data=st.binary(min_size=32, max_size=32), prefix=st.integers(0, 16383).filter(lambda p: p not in (46, 47)))
def test_ss58_matches_scalecodec(data: bytes, prefix: int) -> None:
    address = ss58_encode(data, prefix)
    assert address == oracle.ss58_encode(data, prefix)
    assert ss58_decode_with_prefix(address) == (prefix, data)


@pytest.mark.parametrize("size", [1, 2, 4, 8, 33])
def test_ss58_other_payload_sizes(size: int) -> None:
    data = bytes(range(1, size + 1))
    address = ss58_encode(data, 2)
    assert address == oracle.ss58_encode(data, 2)
    assert ss58_decode(address, 2) == data


@pytest.mark.parametrize("prefix", [46, 47])
def test_ss58_reserved_prefixes_refused(prefix: int) -> None:
    with pytest.raises(AddressError, match="reserved"):
        ss58_encode(ALICE, prefix)
    with pytest.raises(ValueError, match="reserved|[Ii]nvalid|prefix"):
        oracle.ss58_encode(ALICE, prefix)


def test_ss58_rejections() -> None:
    broken = ALICE_SS58[:-1] + ("Z" if ALICE_SS58[-1] != "Z" else "Y")
    with pytest.raises(AddressError, match="checksum"):
        ss58_decode(broken)
    with pytest.raises(AddressError, match="base58 character"):
        ss58_decode(ALICE_SS58[:-1] + "0")
    with pytest.raises(AddressError, match="length"):
        ss58_decode(ALICE_SS58[:-3])
    with pytest.raises(AddressError, match="does not match"):
        ss58_decode(ALICE_SS58, 0)
    with pytest.raises(AddressError, match="out of range"):
        ss58_encode(ALICE, 16384)
    with pytest.raises(AddressError, match="cannot encode"):
        ss58_encode(bytes(31))


def test_account_id_accepts_three_forms() -> None:
    assert account_id(ALICE) == ALICE
    assert account_id("0x" + ALICE.hex()) == ALICE
    assert account_id(ALICE_SS58) == ALICE
    assert account_id(ss58_encode(ALICE, 0)) == ALICE
    with pytest.raises(AddressError, match="expected 32 bytes"):
        account_id("0x" + ALICE.hex()[:-2])
    with pytest.raises(AddressError, match="invalid hex"):
        account_id("0xzz")


@pytest.mark.parametrize(
    ("address", "encoded"),
    [
        (MultiAddress.id(ALICE), "00" + ALICE.hex()),
        (MultiAddress(1, 5), "0114"),
        (MultiAddress(1, 0xFFFF_FFFF), "0103ffffffff"),
        (MultiAddress(2, b"\x01\x02\x03"), "020c010203"),
        (MultiAddress(3, ALICE), "03" + ALICE.hex()),
        (MultiAddress(4, bytes(range(20))), "04" + bytes(range(20)).hex()),
    ],
)
def test_multiaddress_roundtrip(address: MultiAddress, encoded: str) -> None:
    assert address.encode().hex() == encoded
    assert MultiAddress.decode(bytes.fromhex(encoded)) == (address, len(encoded) // 2)


def test_multiaddress_lookup_only_id() -> None:
    assert MultiAddress.id(ALICE).account_id() == ALICE
    with pytest.raises(CannotLookup, match="variant 3"):
        MultiAddress(3, ALICE).account_id()


@pytest.mark.parametrize(
    ("raw", "check"),
    [
        ("", "no variant"),
        ("05" + "00" * 32, "unknown variant 5"),
        ("00" + "00" * 31, "truncated"),
        ("04" + "00" * 19, "truncated"),
        ("0210aabb", "truncated"),
        ("01" + "07" + "0000000001", "exceeds u32"),
    ],
)
def test_multiaddress_decode_rejects(raw: str, check: str) -> None:
    with pytest.raises(MultiAddressDecodeError, match=check):
        MultiAddress.decode(bytes.fromhex(raw))
