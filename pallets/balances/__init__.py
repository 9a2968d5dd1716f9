"""pallet_balances: the native currency."""

from .errors import FeePaymentError as FeePaymentError
from .fungible import Fortitude as Fortitude
from .fungible import Precision as Precision
from .fungible import Preservation as Preservation
from .pallet import Balances as Balances
from .pallet import lookup as lookup
