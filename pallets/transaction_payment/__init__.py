"""pallet_transaction_payment: fees (base + length + weight, times the fee multiplier, plus tip) and priority."""

from .fees import FeeDetails as FeeDetails
from .fees import InclusionFee as InclusionFee
from .pallet import TransactionPayment as TransactionPayment
