"""How long each claim-wizard step takes to answer, measured at the service layer (the work a
step's event handler waits for), on the configured database.

    INDEMNISATION_DATA_DIR=$(mktemp -d) .venv/bin/python bench/bench_wizard.py
    INDEMNISATION_DATABASE_URL=postgresql+psycopg://postgres@127.0.0.1:5432/indemnisation_bench \\
        .venv/bin/python bench/bench_wizard.py   (the database is emptied first)
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

os.environ.setdefault("INDEMNISATION_DATA_DIR", tempfile.mkdtemp(prefix="bench-wizard-"))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from fpdf import FPDF
from PIL import Image
from sqlalchemy import text

from indemnisation.db import get_engine
from indemnisation.migrations import upgrade_to_head
from indemnisation.models import Role
from indemnisation.services import (
    accounts,
    claim_documents,
    claim_facts,
    claim_submission,
    claim_views,
    claims,
)
from indemnisation.services.claim_facts import DisruptionInput, SegmentInput
from indemnisation.services.claims import PassengerInput
from indemnisation.settings import get_settings

RUNS = int(os.environ.get("BENCH_RUNS", "40"))


def _reset() -> None:
    engine = get_engine()
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("DROP SCHEMA public CASCADE"))
            connection.execute(text("CREATE SCHEMA public"))
    upgrade_to_head()


def _pdf() -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=12)
    document.cell(text="Boarding pass")
    return bytes(document.output())


def _jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.effect_noise((1600, 1200), 60).convert("RGB").save(buffer, format="JPEG", quality=85)
    return buffer.getvalue()


def _one_claim(
    user: accounts.UserView,
    run: int,
    timed: Callable[[str, Callable[[], object]], object],
    pdf: bytes,
    jpeg: bytes,
) -> None:
    """One claim through every step, each step timed."""
    claim_id = int(timed("0 create draft", lambda: claims.create_draft(actor=user)))  # type: ignore[arg-type]
    timed(
        "1 flights",
        lambda: claim_facts.save_flights(
            actor=user,
            claim_id=claim_id,
            single_booking=True,
            segments=[SegmentInput("AF6", "2026-03-14", "CDG", "JFK")],
        ),
    )
    timed(
        "2 what happened + verdict",
        lambda: claim_facts.save_disruption(
            actor=user,
            claim_id=claim_id,
            disruption=DisruptionInput(
                "delay", "technical_fault", 0, "2026-03-14T12:45", "2026-03-14T16:55"
            ),
        ),
    )
    timed(
        "3 verdict page (detail)",
        lambda: claim_views.claim_detail(actor=user, claim_id=claim_id),
    )
    timed(
        "4 passengers",
        lambda: claims.save_passengers(
            actor=user,
            claim_id=claim_id,
            passengers=[
                PassengerInput("Bench Person", "bench@example.org"),
                PassengerInput("Other Person", f"other{run}@example.org"),
            ],
        ),
    )
    timed(
        "5 upload PDF",
        lambda: claim_documents.add_document(
            actor=user, claim_id=claim_id, kind="BOARDING_PASS", data=pdf, filename="p.pdf"
        ),
    )
    timed(
        "5 upload 1.9 MP JPEG",
        lambda: claim_documents.add_document(
            actor=user, claim_id=claim_id, kind="IDENTITY", data=jpeg, filename="id.jpg"
        ),
    )
    timed(
        "6 sign + submit (mandate PDF)",
        lambda: claim_submission.sign_and_submit(
            actor=user,
            claim_id=claim_id,
            signer_name="Bench Person",
            consent=True,
            ip="127.0.0.1",
            user_agent="bench",
            locale="fr",
        ),
    )
    timed("my claims list", lambda: claim_views.list_claims(actor=user))


def main() -> None:
    settings = get_settings()
    print(f"database: {settings.database_url.split('@')[-1]}  runs: {RUNS}")
    _reset()
    user = accounts.create_user(
        email="bench@example.org",
        full_name="Bench Person",
        password="Correct-Horse-42",
        role=Role.CLAIMANT,
        locale="fr",
    )
    pdf, jpeg = _pdf(), _jpeg()
    timings: dict[str, list[float]] = {}

    def timed(name: str, work: Callable[[], object]) -> object:
        started = time.perf_counter()
        result = work()
        timings.setdefault(name, []).append((time.perf_counter() - started) * 1000)
        return result

    for run in range(RUNS):
        _one_claim(user, run, timed, pdf, jpeg)

    print(f"{'step':34} {'median ms':>10} {'p99 ms':>10}")
    for name, values in sorted(timings.items()):
        ordered = sorted(values)
        p99 = ordered[min(len(ordered) - 1, round(0.99 * (len(ordered) - 1)))]
        print(f"{name:34} {statistics.median(values):10.2f} {p99:10.2f}")


if __name__ == "__main__":
    main()
