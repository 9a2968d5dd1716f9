"""SCALE types of pallet_transaction_payment with Substrate's paths: storage values and runtime-API results.

`RuntimeDispatchInfo` is what `TransactionPaymentApi_query_info` returns (`payment_queryInfo`),
`FeeDetails` what `query_fee_details` returns; clients decode both by these paths and field names.
"""

from __future__ import annotations

from runtime.primitives.types import DispatchClass, Weight
from runtime.scale import U128, Enum, Field, Option, Struct, Variant

FixedU128 = Struct(("sp_arithmetic", "fixed_point", "FixedU128"), (Field(None, U128, "u128"),))

Releases = Enum(("pallet_transaction_payment", "Releases"), (Variant("V1Ancient", 0), Variant("V2", 1)))

InclusionFee = Struct(
    ("pallet_transaction_payment", "types", "InclusionFee"),
    (Field("base_fee", U128, "Balance"), Field("len_fee", U128, "Balance"),
     Field("adjusted_weight_fee", U128, "Balance")),
    params=(("Balance", U128),),
)

FeeDetails = Struct(
    ("pallet_transaction_payment", "types", "FeeDetails"),
    (Field("inclusion_fee", Option(InclusionFee), "Option<InclusionFee<Balance>>"), Field("tip", U128, "Balance")),
    params=(("Balance", U128),),
)

RuntimeDispatchInfo = Struct(
    ("pallet_transaction_payment", "types", "RuntimeDispatchInfo"),
    (Field("weight", Weight, "Weight"), Field("class", DispatchClass, "DispatchClass"),
     Field("partial_fee", U128, "Balance")),
    params=(("Balance", U128), ("Weight", Weight)),
)
