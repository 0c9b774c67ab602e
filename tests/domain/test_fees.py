"""The fee shown up front: percentage plus VAT, and the net amount the claimant receives."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from indemnisation.domain.fees import split_compensation


@pytest.mark.parametrize(
    ("amount", "fee", "vat", "expected_net"),
    [
        ("600", "25", "20", "420.00"),
        ("250", "25", "20", "175.00"),
        ("400", "0", "20", "400.00"),
        ("520", "30", "20", "332.80"),
        ("0", "25", "20", "0.00"),
    ],
)
def test_split(amount: str, fee: str, vat: str, expected_net: str) -> None:
    split = split_compensation(Decimal(amount), Decimal(fee), Decimal(vat))
    assert split.net == Decimal(expected_net)
    assert split.fee + split.vat + split.net == split.compensation


@given(
    st.decimals(min_value=0, max_value=100_000, places=2),
    st.decimals(min_value=0, max_value=50, places=2),
    st.decimals(min_value=0, max_value=30, places=2),
)
def test_the_parts_always_add_up_and_net_is_never_negative(
    amount: Decimal, fee: Decimal, vat: Decimal
) -> None:
    split = split_compensation(amount, fee, vat)
    assert split.net >= 0
    assert split.fee + split.vat + split.net == split.compensation
