"""The RFC 6455 frame codec: unmasking, fragmentation, limits and protocol violations."""

from __future__ import annotations

import os
import struct

import pytest

from node.rpc.http import accept_key
from node.rpc.websocket import (
    OP_BINARY,
    OP_CLOSE,
    OP_PING,
    OP_TEXT,
    FrameParser,
    ProtocolError,
    close_frame,
    text_frame_header,
    unmask,
)


def client_frame(opcode: int, payload: bytes, fin: bool = True, mask: bytes = b"\x37\xfa\x21\x3d") -> bytes:
    """Build a masked client frame by the RFC's definition (byte-wise XOR), independent of `unmask`."""
    n = len(payload)
    first = (0x80 if fin else 0) | opcode
    if n < 126:
        head = bytes((first, 0x80 | n))
    elif n < 65536:
        head = struct.pack("!BBH", first, 0xFE, n)
    else:
        head = struct.pack("!BBQ", first, 0xFF, n)
    return head + mask + bytes(b ^ mask[i % 4] for i, b in enumerate(payload))


def test_accept_key_rfc_example() -> None:
    # RFC 6455 §1.3: the sample nonce and its accept value.
    assert accept_key(b"dGhlIHNhbXBsZSBub25jZQ==") == b"s3pPLMBiTxaQ9kYGzzhZRbK+xOo="


@pytest.mark.parametrize("size", [0, 1, 3, 4, 5, 125, 126, 65535, 65536, 70001])
def test_unmask_round_trip_and_lengths(size: int) -> None:
    payload = os.urandom(size)
    parser = FrameParser(1 << 20)
    frame = client_frame(OP_TEXT, payload)
    # feed byte-split in three pieces: incomplete headers and payloads must wait for more data
    cut1, cut2 = min(1, len(frame)), len(frame) // 2
    items = parser.feed(frame[:cut1]) + parser.feed(frame[cut1:cut2]) + parser.feed(frame[cut2:])
    assert items == [(OP_TEXT, payload)]
    mask = b"\x01\x02\x03\x04"
    assert unmask(unmask(payload, mask), mask) == payload


def test_many_frames_in_one_chunk_and_fragments() -> None:
    parser = FrameParser(1000)
    data = (client_frame(OP_TEXT, b"one") + client_frame(OP_TEXT, b"tw", fin=False)
            + client_frame(OP_PING, b"p") + client_frame(0, b"o", fin=False) + client_frame(0, b"!", fin=True)
            + client_frame(OP_BINARY, b"\x00\x01") + client_frame(OP_CLOSE, struct.pack("!H", 1000)))
    assert parser.feed(data) == [(OP_TEXT, b"one"), (OP_PING, b"p"), (OP_TEXT, b"two!"),
                                 (OP_BINARY, b"\x00\x01"), (OP_CLOSE, b"\x03\xe8")]


def test_oversize_detected_from_header_alone() -> None:
    parser = FrameParser(100)
    header_only = client_frame(OP_TEXT, b"x" * 101)[:8]
    with pytest.raises(ProtocolError) as err:
        parser.feed(header_only)
    assert err.value.code == 1009
    fragmented = FrameParser(100)
    fragmented.feed(client_frame(OP_TEXT, b"x" * 60, fin=False))
    with pytest.raises(ProtocolError) as err:
        fragmented.feed(client_frame(0, b"x" * 60))
    assert err.value.code == 1009


@pytest.mark.parametrize(("frame", "reason"), [
    (b"\x81\x02{}", "not masked"),
    (bytes((0xC1, 0x80)) + b"\0\0\0\0", "reserved bits"),
    (client_frame(OP_PING, b"x" * 126), "bad control frame"),
    (client_frame(OP_PING, b"x", fin=False), "bad control frame"),
    (client_frame(0, b"x"), "continuation without"),
    (client_frame(OP_TEXT, b"a", fin=False) + client_frame(OP_TEXT, b"b"), "inside a fragmented"),
    (client_frame(0x3, b"x"), "unknown opcode"),
    (client_frame(0xB, b"x"), "unknown opcode"),
])
def test_protocol_violations(frame: bytes, reason: str) -> None:
    with pytest.raises(ProtocolError, match=reason) as err:
        FrameParser(1000).feed(frame)
    assert err.value.code == 1002


def test_server_frames() -> None:
    assert text_frame_header(5) == b"\x81\x05"
    assert text_frame_header(126) == b"\x81\x7e\x00\x7e"
    assert text_frame_header(65536) == b"\x81\x7f" + (65536).to_bytes(8, "big")
    assert close_frame(1009, "message too big") == b"\x88\x11\x03\xf1message too big"
