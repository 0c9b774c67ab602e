"""Settings the team changes from the back office (the environment holds the rest).

One row at most (id 1). Until an admin saves, the fee and VAT come from the environment
(``INDEMNISATION_FEE_PERCENT`` / ``INDEMNISATION_VAT_PERCENT``).
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal

from sqlalchemy import CheckConstraint, Column, ForeignKey, Integer, Numeric
from sqlmodel import Field, SQLModel

from indemnisation.models.types import AwareDateTime, utcnow


class AppSettings(SQLModel, table=True):
    __tablename__ = "app_settings"
    __table_args__ = (CheckConstraint("id = 1", name="ck_app_settings_single_row"),)

    id: int = Field(default=1, primary_key=True)
    fee_percent: Decimal = Field(sa_column=Column(Numeric(5, 2), nullable=False))
    vat_percent: Decimal = Field(sa_column=Column(Numeric(5, 2), nullable=False))
    updated_at: datetime = Field(default_factory=utcnow, sa_type=AwareDateTime, nullable=False)
    updated_by_id: int | None = Field(
        default=None,
        sa_column=Column(
            Integer,
            ForeignKey("users.id", ondelete="SET NULL", name="fk_app_settings_updated_by_id_users"),
            nullable=True,
        ),
    )
