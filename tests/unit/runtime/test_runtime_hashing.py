"""Hash vectors: our hashers against substrate-interface's (substrateinterface.utils.hasher) on random input,
fixed vectors from Substrate, and the client-compat.md §9.2 header-hash vector, which substrate-interface's
header codec (our metadata's DigestItem) must also produce."""

from __future__ import annotations

import xxhash
from hypothesis import given, settings
from hypothesis import strategies as st
from substrateinterface.utils import hasher as oracle

from runtime.primitives import hashing as h
from runtime.primitives.header import DigestItem, Header, aura_pre_digest, aura_seal

DATA = st.binary(max_size=300)


@settings(max_examples=300, deadline=None)
@given(DATA)
def test_hashers_match_substrate_interface(data: bytes) -> None:
    assert h.blake2_256(data) == oracle.blake2_256(data)
    assert h.blake2_128(data) == oracle.blake2_128(data)
    assert h.blake2_128_concat(data) == oracle.blake2_128_concat(data)
    assert h.twox_128(data) == oracle.xxh128(data)
    assert h.twox_64(data) == oracle.xxh64(data)
    assert h.twox_64_concat(data) == oracle.two_x64_concat(data)
    assert h.identity(data) == oracle.identity(data)


@settings(max_examples=100, deadline=None)
@given(DATA)
def test_twox_256_and_blake2_64_by_definition(data: bytes) -> None:
    """twox_256 = xxh64 with seeds 0..3, each little-endian; blake2_64 = blake2b with an 8-byte digest."""
    import hashlib

    assert h.twox_256(data) == b"".join(xxhash.xxh64_intdigest(data, seed=s).to_bytes(8, "little") for s in range(4))
    assert h.blake2_64(data) == hashlib.blake2b(data, digest_size=8).digest()


def test_fixed_vectors() -> None:
    # sp-core / frame-support well-known values
    assert h.twox_128(b"System").hex() == "26aa394eea5630e07c48ae0c9558cef7"
    assert h.twox_128(b"Account").hex() == "b99d880ec681799c0cf30e8886371da9"
    assert h.twox_64(b"").hex() == "99e9d85137db46ef"  # xxh64("", 0) = 0xef46db3751d8e999
    assert h.blake2_256(b"").hex() == "0e5751c026e543b2e8ab2eb06099daa1d1e5df47778f7787faab45cdf12fe3a8"
    assert h.blake2_128(b"").hex() == "cae66941d9efbd404e4d88758ea67670"
    assert h.EMPTY_TRIE_ROOT.hex() == "03170a2e7597b7b7e3d84c05391d139a62b157e78786d8c082f29dcf4c111314"
    assert h.EMPTY_TRIE_ROOT == h.blake2_256(b"\x00")
    # §9.2 / Twox64Concat of block 0
    assert h.twox_64_concat((0).to_bytes(4, "little")).hex() == "b4def25cfda6ef3a00000000"


def _vector_header() -> Header:
    return Header(bytes(32), 1, b"\x11" * 32, b"\x22" * 32, (aura_pre_digest(123456), aura_seal(bytes(64))))


def test_header_hash_vector() -> None:
    """client-compat.md §9.2: parent 0, number 1, state 11…, extrinsics 22…, Aura pre-runtime slot 123456 + zero seal."""
    header = _vector_header()
    assert header.digest[0].encode().hex() == "0661757261" + "20" + "40e2010000000000"
    assert header.digest[1].encode().hex() == "0561757261" + "0101" + "00" * 64
    assert header.hash().hex() == "3f4ed7ea09be0cd948270bf992070db8c7fe4746c708fce5f9a0590b27fd0a2f"
    assert Header.decode(header.encode()) == header
    assert DigestItem.decode(header.digest[0].encode())[0] == header.digest[0]


def test_header_encodes_like_substrate_interface() -> None:
    """scalecodec, with our metadata's DigestItem (how substrate-interface reads header logs), gives the same
    bytes for each log and for the whole header, hence the same hash."""
    from chain_fixture import assembly
    from scalecodec.base import RuntimeConfigurationObject, ScaleBytes
    from scalecodec.type_registry import load_type_registry_preset

    config = RuntimeConfigurationObject()
    config.update_type_registry(load_type_registry_preset("core") or {})
    metadata = config.create_scale_object("MetadataVersioned", data=ScaleBytes(assembly().metadata_v14()))
    metadata.decode()
    config.add_portable_registry(metadata)
    header = _vector_header()
    logs = []
    for item in header.digest:
        obj = config.create_scale_object("sp_runtime::generic::digest::DigestItem",
                                         data=ScaleBytes(item.encode()))
        value = obj.decode(check_remaining=True)
        again = config.create_scale_object("sp_runtime::generic::digest::DigestItem")
        logs.append(bytes(again.encode(value).data))
        assert logs[-1] == item.encode()
    assert next(iter(value)) == "Seal"
    number = bytes(config.create_scale_object("Compact<u32>").encode(1).data)
    theirs = (header.parent_hash + number + header.state_root + header.extrinsics_root
              + bytes(config.create_scale_object("Compact<u32>").encode(len(logs)).data) + b"".join(logs))
    assert theirs == header.encode()
    assert oracle.blake2_256(theirs) == header.hash()
