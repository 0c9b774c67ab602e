"""Cost of checking an upload and making its preview: a 2 MB phone-like JPEG and a 1-page PDF.

Run: .venv/bin/python bench/bench_files.py [--runs 30]
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

from fpdf import FPDF
from PIL import Image

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from indemnisation.services.files import inspect_upload, make_thumbnail  # noqa: E402

LIMIT = 20 * 1024 * 1024


def photo_jpeg(target_bytes: int = 2 * 1024 * 1024) -> bytes:
    """A 4032x3024 (12 MP) JPEG with noise, its quality tuned to land near the target size."""
    picture = Image.merge(
        "RGB",
        [
            Image.linear_gradient("L").resize((4032, 3024)),
            *[Image.effect_noise((4032, 3024), 18)] * 2,
        ],
    )
    candidates = []
    for quality in range(30, 96, 5):
        output = io.BytesIO()
        picture.save(output, format="JPEG", quality=quality)
        candidates.append(output.getvalue())
    return min(candidates, key=lambda data: abs(len(data) - target_bytes))


def one_page_pdf() -> bytes:
    pdf = FPDF()
    pdf.add_page()
    pdf.set_font("helvetica", "B", 20)
    pdf.cell(text="BOARDING PASS  AF 1234  CDG - YUL", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("helvetica", size=11)
    for line in range(40):
        pdf.cell(
            text=f"Line {line}: passenger, seat, gate, group, sequence number",
            new_x="LMARGIN",
            new_y="NEXT",
        )
    return bytes(pdf.output())


def measure(label: str, runs: int, call: Callable[[], object]) -> None:
    call()
    timings: list[float] = []
    for _ in range(runs):
        started = time.perf_counter()
        call()
        timings.append((time.perf_counter() - started) * 1e3)
    timings.sort()
    p99 = timings[min(len(timings) - 1, round(0.99 * len(timings)))]
    print(
        f"{label:<34} n={runs:<4} median {statistics.median(timings):8.2f} ms   p99 {p99:8.2f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=30)
    runs = parser.parse_args().runs
    for name, data, content_type in (
        ("jpeg", photo_jpeg(), "image/jpeg"),
        ("pdf", one_page_pdf(), "application/pdf"),
    ):
        print(f"{name}: {len(data) / 1024:.0f} KB")
        measure(
            f"{name} inspect_upload", runs, lambda d=data: inspect_upload(d, "x", max_bytes=LIMIT)
        )
        measure(f"{name} make_thumbnail", runs, lambda d=data, t=content_type: make_thumbnail(d, t))


if __name__ == "__main__":
    main()
