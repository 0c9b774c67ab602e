"""The rehearsal's browser half: Playwright (sync API) drives Debian's Chromium through nginx over
HTTPS and its websocket. Called by deploy/rehearse.sh, one phase at a time:

    python deploy/rehearsal/journey.py journey  BASE_URL STATE.json
    python deploy/rehearsal/journey.py failover BASE_URL STATE.json KILL_COMMAND...

``journey``: a claimant registers and files a claim (with two documents), then claimant and admin
exchange messages on it. ``failover``: with the claimant's page open, finds the instance that holds
the browser's websocket (the rehearsal's nginx names it in a response header of the handshake,
read through the Chrome DevTools Protocol), runs ``KILL_COMMAND... PORT`` (SIGKILL to that
instance's worker), measures the time until the browser's new websocket receives its first frame
and the page answers again, sends a message during the outage, and checks that no acknowledged
message is lost. The state file carries accounts, the claim and the acknowledged messages between
phases; each phase prints one JSON line of results.
"""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
import time
from pathlib import Path

from fpdf import FPDF
from PIL import Image
from playwright.sync_api import Browser, Page, WebSocket, expect, sync_playwright
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tests.e2e.pages import open_page, register, sign_in  # noqa: E402

PASSWORD = "Rehearsal-Passager-2026"  # noqa: S105  (a throwaway account on a scratch database)
COMPOSER, SEND, THREAD = "#composer-input", "#composer-send", "#thread [data-message-id]"


def loud(text: str) -> None:
    print(f"\n!!! {text}\n", file=sys.stderr, flush=True)


def pdf_bytes() -> bytes:
    document = FPDF()
    document.add_page()
    document.set_font("helvetica", size=14)
    document.cell(text="Boarding pass AF6 CDG-JFK")
    return bytes(document.output())


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (200, 120), (30, 90, 200)).save(buffer, format="PNG")
    return buffer.getvalue()


class CspWatch:
    """Collects Content-Security-Policy refusals: the nginx CSP must let the app work."""

    def __init__(self) -> None:
        self.refusals: list[str] = []

    def attach(self, page: Page) -> Page:
        page.on(
            "console",
            lambda message: (
                print(f"    browser {message.type}: {message.text}", file=sys.stderr)
                if message.type in ("error", "warning")
                else None
            ),
        )
        page.on("pageerror", lambda error: print(f"    page error: {error}", file=sys.stderr))
        page.on(
            "console",
            lambda message: (
                self.refusals.append(message.text)
                if "Content Security Policy" in message.text
                else None
            ),
        )
        return page


def new_page(browser: Browser, base_url: str, csp: CspWatch) -> Page:
    context = browser.new_context(base_url=base_url, locale="fr-FR", ignore_https_errors=True)
    context.set_default_timeout(20_000)
    return csp.attach(context.new_page())


def file_claim(page: Page) -> int:
    """The claim wizard of tests/e2e/test_claim_journey.py, through nginx."""
    open_page(page, "/claims")
    page.click("#new-claim")
    expect(page).to_have_url(re.compile(r"/claims/\d+/edit/?$"))
    page.fill("#flight_number-0", "AF 006")
    page.fill("#date-0", "2026-03-14")
    page.locator("#departure-0").press_sequentially("paris", delay=30)
    page.locator(".airport-option", has_text="CDG").first.click()
    page.locator("#arrival-0").press_sequentially("JFK", delay=30)
    page.locator(".airport-option", has_text="JFK").first.click()
    page.click("#lookup-0")
    expect(page.locator("#form-notice")).to_contain_text("AF6")
    page.click("#flights-next")
    page.select_option("#airline_reason", "technical_fault")
    page.click("#disruption-next")
    expect(page.locator("#verdict-amount")).to_contain_text("600")
    page.click("#verdict-next")
    page.click("#passengers-next")
    page.set_input_files(
        "#claim-documents input[type=file]",
        files=[
            {"name": "carte.pdf", "mimeType": "application/pdf", "buffer": pdf_bytes()},
            {"name": "billet.png", "mimeType": "image/png", "buffer": png_bytes()},
        ],
    )
    expect(page.locator(".document-row")).to_have_count(2, timeout=30_000)
    page.click("#documents-next")
    page.fill("#signer_name", "Rita Repetition")
    page.click("#consent")
    page.click("#submit-claim")
    expect(page).to_have_url(re.compile(r"/claims/\d+/?$"), timeout=30_000)
    expect(page.locator("#claim-reference")).to_have_text(re.compile(r"IND-\d{4}-\d{6}"))
    match = re.search(r"/claims/(\d+)", page.url)
    assert match, page.url
    return int(match.group(1))


def has_thread(page: Page, timeout: float = 10_000) -> bool:
    """Whether the claim page shows the thread. Waits for it: the panel appears when the page's
    on_load chain has loaded the thread, which can come after the page looks loaded (a freshly
    started instance answers its first claim page slowly)."""
    try:
        page.locator(COMPOSER).wait_for(timeout=timeout)
    except PlaywrightTimeoutError:
        return False
    return True


def send(page: Page, text: str, timeout: float = 20_000) -> None:
    """Sends a message and waits until the thread shows it (the server has stored it)."""
    page.fill(COMPOSER, text)
    page.click(SEND)
    expect(page.locator(THREAD, has_text=text)).to_have_count(1, timeout=timeout)


def journey(browser: Browser, base_url: str, state: dict[str, object]) -> dict[str, object]:
    csp = CspWatch()
    claimant = new_page(browser, base_url, csp)
    started = time.monotonic()
    register(claimant, "Rita Repetition", str(state["claimant"]), PASSWORD)
    expect(claimant).to_have_url(re.compile(r"/claims/?$"))
    claim_id = file_claim(claimant)
    result: dict[str, object] = {
        "claim_id": claim_id,
        "claim_seconds": round(time.monotonic() - started, 1),
    }
    acknowledged: list[str] = []
    open_page(claimant, f"/claims/{claim_id}")
    if not has_thread(claimant):
        loud(
            "SKIPPED the messaging step: the claim page has no #composer-input yet "
            "(the thread UI is not in this build)"
        )
        result["messaging"] = "skipped: no #composer-input on /claims/{id}"
    else:
        admin = new_page(browser, base_url, csp)
        sign_in(admin, str(state["admin"]), PASSWORD)
        open_page(admin, f"/admin/claims/{claim_id}")
        send(claimant, "Bonjour, voici ma demande.")
        expect(admin.locator(THREAD, has_text="Bonjour, voici ma demande.")).to_have_count(1)
        send(admin, "Bien reçu, nous écrivons à la compagnie.")
        expect(claimant.locator(THREAD, has_text="nous écrivons à la compagnie")).to_have_count(1)
        acknowledged += ["Bonjour, voici ma demande.", "Bien reçu, nous écrivons à la compagnie."]
        result["messaging"] = "claimant and admin exchanged 2 messages live"
    assert not csp.refusals, f"the CSP refused: {csp.refusals[:3]}"
    result["csp_refusals"] = 0
    state.update(claim_id=claim_id, acknowledged=acknowledged)
    return result


def failover(
    browser: Browser, base_url: str, state: dict[str, object], kill: list[str]
) -> dict[str, object]:
    csp = CspWatch()
    page = new_page(browser, base_url, csp)
    upstreams: list[str] = []
    devtools = page.context.new_cdp_session(page)
    devtools.send("Network.enable")
    devtools.on(
        "Network.webSocketHandshakeResponseReceived",
        lambda event: upstreams.append(
            {k.lower(): v for k, v in event["response"]["headers"].items()}.get(
                "x-rehearsal-upstream", "?"
            )
        ),
    )
    sockets: list[tuple[float, WebSocket]] = []
    page.on("websocket", lambda socket: sockets.append((time.monotonic(), socket)))
    sign_in(page, str(state["claimant"]), PASSWORD)
    claim_id = int(str(state["claim_id"]))
    open_page(page, f"/claims/{claim_id}")
    thread = has_thread(page)
    acknowledged = [str(text) for text in state.get("acknowledged", [])]  # type: ignore[attr-defined]
    if thread:
        send(page, "Message avant la coupure.")
        acknowledged.append("Message avant la coupure.")
    live = [socket for _, socket in sockets if not socket.is_closed()]
    assert live, "the page has no open websocket"
    closed_at: list[float] = []
    for socket in live:
        socket.on("close", lambda _socket: closed_at.append(time.monotonic()))
    before = len(sockets)
    assert upstreams and ":" in upstreams[-1], f"no upstream named in the handshake: {upstreams}"
    port = upstreams[-1].rsplit(":", 1)[1]
    killed_at = time.monotonic()
    killed = subprocess.run([*kill, port], check=True, capture_output=True, text=True).stdout  # noqa: S603
    killed = killed.strip()
    # The browser notices the dead connection, then socket.io reconnects through nginx, which sends
    # it to the instance that is still up.
    deadline = killed_at + 60
    while time.monotonic() < deadline and len(sockets) == before:
        page.wait_for_timeout(50)
    assert len(sockets) > before, "the browser did not open a new websocket within 60 s"
    reconnected_socket = sockets[-1][1]
    first_frame: list[float] = []
    reconnected_socket.on("framereceived", lambda _frame: first_frame.append(time.monotonic()))
    while time.monotonic() < deadline and not first_frame:
        page.wait_for_timeout(20)
    assert first_frame, "the new websocket received nothing"
    reconnect_seconds = first_frame[0] - killed_at
    reconnected_to = upstreams[-1]
    if thread:
        send(page, "Message pendant la reconnexion.", timeout=30_000)
        acknowledged.append("Message pendant la reconnexion.")
    # The page answers again: a round trip through the new websocket switches the language.
    french = page.locator("#logout").inner_text()
    page.click("#lang-en")
    expect(page.locator("#logout")).not_to_have_text(french)
    answered_seconds = time.monotonic() - killed_at
    lost: list[str] = []
    if thread:
        open_page(page, f"/claims/{claim_id}")
        lost = [text for text in acknowledged if page.locator(THREAD, has_text=text).count() != 1]
    else:
        loud("SKIPPED the lost-message check: no thread UI (#composer-input) in this build")
    assert not lost, f"acknowledged messages lost after the kill: {lost}"
    assert not csp.refusals, f"the CSP refused: {csp.refusals[:3]}"
    return {
        "killed": killed,
        "websocket_closed_after_kill_s": round(closed_at[0] - killed_at, 2) if closed_at else None,
        "reconnect_s": round(reconnect_seconds, 2),
        "page_answers_again_s": round(answered_seconds, 2),
        "reconnected_to": reconnected_to,
        "acknowledged_messages_checked": len(acknowledged) if thread else "skipped (no thread UI)",
    }


def main() -> int:
    phase, base_url, state_path = sys.argv[1], sys.argv[2], Path(sys.argv[3])
    state = json.loads(state_path.read_text())
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            if phase == "journey":
                result = journey(browser, base_url, state)
            else:
                result = failover(browser, base_url, state, sys.argv[4:])
        finally:
            browser.close()
    state_path.write_text(json.dumps(state))
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
