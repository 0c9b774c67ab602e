"""Our fee: a percentage of the compensation obtained, plus VAT on that fee."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

CENT = Decimal("0.01")


@dataclass(frozen=True)
class FeeSplit:
    compensation: Decimal
    fee: Decimal
    vat: Decimal
    net: Decimal  # what the claimant receives


def split_compensation(
    compensation: Decimal, fee_percent: Decimal, vat_percent: Decimal
) -> FeeSplit:
    """Fee and VAT rounded to the cent; the claimant gets the rest, never less than zero."""
    fee = (compensation * fee_percent / 100).quantize(CENT, ROUND_HALF_UP)
    vat = (fee * vat_percent / 100).quantize(CENT, ROUND_HALF_UP)
    net = max(compensation - fee - vat, Decimal(0)).quantize(CENT)
    return FeeSplit(compensation.quantize(CENT), fee, vat, net)
