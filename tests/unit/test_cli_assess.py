"""The ``assess`` and ``airports`` commands: JSON out, or a clear error and exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from indemnisation.cli import main
from indemnisation.domain.eligibility import assess, parse_case

CASE = {
    "segments": [{"departure": "CDG", "arrival": "JFK", "carrier": "AF", "date": "2026-03-14"}],
    "disruption": {"type": "delay", "arrival_delay_minutes": 250},
    "passengers": 2,
    "jurisdiction": "FR",
}


def _write(tmp_path: Path, content: str) -> str:
    path = tmp_path / "case.json"
    path.write_text(content, encoding="utf-8")
    return str(path)


def test_prints_the_verdict(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", _write(tmp_path, json.dumps(CASE))]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out["eligible"] == "yes"
    assert out["total"] == {"amount": "1200.00", "currency": "EUR"}
    assert out["claim_deadline"] == "2031-03-14"


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (
            json.dumps({**CASE, "segments": [{**CASE["segments"][0], "departure": "QQQ"}]}),
            "segments[0].departure",
        ),
        (
            json.dumps({**CASE, "segments": [{**CASE["segments"][0], "carrier": "9Z"}]}),
            "segments[0].carrier",
        ),
        (
            json.dumps({**CASE, "disruption": {"type": "delay", "arrival_delay_minutes": -1}}),
            "disruption.arrival_delay_minutes",
        ),
        (json.dumps({**CASE, "disruption": {"type": "delay"}}), "disruption.arrival_delay_minutes"),
        (
            json.dumps(
                {
                    **CASE,
                    "segments": [
                        {
                            **CASE["segments"][0],
                            "scheduled_departure": "2026-03-14T10:00",
                            "scheduled_arrival": "2026-03-14T03:00",
                        }
                    ],
                }
            ),
            "segments[0].scheduled_arrival",
        ),
        (json.dumps({**CASE, "disruption": {"type": "cancellation"}}), "disruption.notice_days"),
        ("{not json", "$"),
    ],
)
def test_bad_input_names_the_field_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: str, field: str
) -> None:
    assert main(["assess", _write(tmp_path, content)]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith(f"error: {field}: ")
    assert "Traceback" not in captured.err


def test_missing_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert main(["assess", str(tmp_path / "absent.json")]) == 2
    assert "cannot read" in capsys.readouterr().err


def test_stdin_through_a_real_process() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "indemnisation", "assess", "-"],
        input=json.dumps({**CASE, "jurisdiction": "Narnia"}),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 2
    assert done.stderr.startswith("error: jurisdiction: ")
    assert "Traceback" not in done.stderr


def test_airports_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["airports", "paris", "--limit", "2"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("CDG  Charles de Gaulle International Airport") and lines[
        0
    ].endswith("Paris, FR")


def test_airports_command_without_match(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["airports", "qqqqzzzz"]) == 1
    assert "No airport matches" in capsys.readouterr().out


def test_documented_example_is_the_real_output() -> None:
    """docs/eligibility.md shows an input and its output: keep them true."""
    text = (Path(__file__).resolve().parents[2] / "docs" / "eligibility.md").read_text("utf-8")
    blocks = [block.split("```")[0] for block in text.split("```json\n")[1:]]
    example_in, example_out = json.loads(blocks[0]), json.loads(blocks[1])
    verdict = assess(parse_case(example_in))
    assert verdict.to_dict() == example_out
