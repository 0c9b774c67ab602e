"""The admin claim page links to the demand letter in each language, only when one can be made."""

from __future__ import annotations

from indemnisation.components.claim_admin import _letters, processing_panel


def test_letter_links_point_to_the_route_in_each_language() -> None:
    rendered = str(_letters().render())
    for lang in ("fr", "en"):
        assert f'id:"letter-{lang}"' in rendered
        assert f'"/letter.pdf?lang={lang}"' in rendered
        assert f'"admin.claim.letter_{lang}"' in rendered
    assert "reloadDocument:true" in rendered and "download:true" in rendered


def test_links_show_only_for_submitted_eligible_claims() -> None:
    condition = _letters().render()["children"][0]["cond_state"]
    assert '"SUBMITTED"' in condition and '"SENT_TO_AIRLINE"' in condition
    assert '"DRAFT"' not in condition and '"WITHDRAWN"' not in condition
    assert 'eligibility_rx_state_?.valueOf?.() === "yes"' in condition


def test_the_processing_panel_holds_the_links() -> None:
    assert 'id:"demand-letter"' in str(processing_panel().render())
