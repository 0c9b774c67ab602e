"""All-time figures per airline and per route, kept in step with the claims.

One row per (dimension, key, currency): ``dimension`` is "airline" (the designator of the first
flight, ``AF``) or "route" (``CDG-JFK``). Every submitted claim (not a draft) counts once in its
airline's row and once in its route's row; services/claim_tallies.py adds and takes away each
claim's share in the transaction that changes it, so a row is always the sum over its claims.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import BigInteger, Column, Integer
from sqlmodel import Field, SQLModel


def _counter() -> Any:
    return Field(default=0, sa_column=Column(Integer, nullable=False, server_default="0"))


def _total() -> Any:
    return Field(default=0, sa_column=Column(BigInteger, nullable=False, server_default="0"))


class ClaimTally(SQLModel, table=True):
    __tablename__ = "claim_tallies"

    dimension: str = Field(primary_key=True, max_length=8)
    key: str = Field(primary_key=True, max_length=40)
    currency: str = Field(primary_key=True, max_length=3)
    claims: int = _counter()
    won: int = _counter()
    """Accepted by the airline."""
    refused: int = _counter()
    """Refused by the airline and never accepted."""
    paid: int = _counter()
    paid_seconds: int = _total()
    """Sum over the paid claims of the whole seconds from submission to payment."""
    claimed: int = _total()
    """Compensation (every passenger) of the claims not withdrawn."""
    obtained: int = _total()
    """Compensation of the claims the airline accepted."""
    paid_amount: int = _total()
    """Compensation of the claims whose compensation was paid."""
