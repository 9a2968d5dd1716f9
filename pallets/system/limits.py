"""System parameters of the runtime: block weight and length limits, DB weights, and call weights.

The limits are those of the solochain template (2 s of ref_time per block, 75 % for normal
transactions, 5 MiB blocks); the test suite checks they encode byte-for-byte like the reference chain's
`System.BlockWeights`, `BlockLength` and `DbWeight` constants.
"""

from __future__ import annotations

from typing import Any

U64_MAX = (1 << 64) - 1


def _w(ref_time: int, proof_size: int) -> dict[str, int]:
    return {"ref_time": ref_time, "proof_size": proof_size}


BASE_EXTRINSIC_REF_TIME = 107_074_000
BASE_BLOCK_REF_TIME = 453_383_000
MAX_BLOCK_REF_TIME = 2_000_000_000_000

BLOCK_WEIGHTS: dict[str, Any] = {
    "base_block": _w(BASE_BLOCK_REF_TIME, 0),
    "max_block": _w(MAX_BLOCK_REF_TIME, U64_MAX),
    "per_class": {
        "normal": {
            "base_extrinsic": _w(BASE_EXTRINSIC_REF_TIME, 0),
            "max_extrinsic": _w(1_299_892_926_000, 11_990_383_647_911_208_550),
            "max_total": _w(1_500_000_000_000, 13_835_058_055_282_163_711),
            "reserved": _w(0, 0),
        },
        "operational": {
            "base_extrinsic": _w(BASE_EXTRINSIC_REF_TIME, 0),
            "max_extrinsic": _w(1_799_892_926_000, 16_602_069_666_338_596_454),
            "max_total": _w(MAX_BLOCK_REF_TIME, U64_MAX),
            "reserved": _w(500_000_000_000, 4_611_686_018_427_387_904),
        },
        "mandatory": {"base_extrinsic": _w(BASE_EXTRINSIC_REF_TIME, 0), "max_extrinsic": None,
                      "max_total": None, "reserved": None},
    },
}

BLOCK_LENGTH = {"max": {"normal": 3_932_160, "operational": 5_242_880, "mandatory": 5_242_880}}
DB_WEIGHT = {"read": 25_000_000, "write": 100_000_000}
ZERO_CONSUMED = {"normal": _w(0, 0), "operational": _w(0, 0), "mandatory": _w(0, 0)}

VERSION_PLACEHOLDER = {
    "spec_name": "", "impl_name": "", "authoring_version": 0, "spec_version": 0, "impl_version": 0,
    "apis": {"0": ()}, "transaction_version": 0, "system_version": 1,
}
"""Replaced by the assembled runtime's version (runtime/version.py) when the runtime is built."""

# Call weights (frame_system::weights::SubstrateWeight, ref_time; proof sizes are 0 for these).
REMARK_BASE = 2_004_000
REMARK_WITH_EVENT_BASE = 6_833_000
REMARK_PER_BYTE = 386
SET_HEAP_PAGES = 3_864_000
SET_CODE = 90_000_000_000
SET_STORAGE_PER_ITEM = 1_165_000
AUTHORIZE_UPGRADE = 33_027_000
