"""The thread's few browser-side duties, which only the browser can know: which messages are on
screen in a visible tab (that is what makes them read), whether the person scrolled up (then new
messages show a marker instead of moving the page, except their own), and whether the tab is
visible (presence). It runs as compiled page code: nothing here needs the browser's eval, so the
Content-Security-Policy can forbid it.

It reports to ThreadState's handlers; it never decides anything the server relies on.
"""

from __future__ import annotations

from typing import Any

import reflex as rx
from reflex_base.event import EventChain
from reflex_base.vars import VarData

from indemnisation.states.thread import ThreadState


def _report(handler: Any) -> rx.Var:
    """A JavaScript function that sends one value to ``handler``."""
    return rx.Var.create(EventChain.create(handler, args_spec=lambda value: [value]))


_WATCH = """
useEffect(() => {
  const seen = %(seen)s, below = %(below)s, visible = %(visible)s;
  let box = null, reported = 0, stick = true;
  const shown = () => document.visibilityState === "visible";
  const atBottom = () => box.scrollHeight - box.scrollTop - box.clientHeight < 48;
  const bottom = () => { box.scrollTop = box.scrollHeight; stick = true; };
  // The newest message at least partly on screen, sent once it is newer than the read pointer.
  const report = () => {
    if (!box || !shown()) return;
    const frame = box.getBoundingClientRect();
    let newest = 0;
    for (const row of box.querySelectorAll("[data-message-id]")) {
      const r = row.getBoundingClientRect();
      if (r.height > 0 && r.bottom > frame.top && r.top < frame.bottom) {
        newest = Math.max(newest, Number(row.dataset.messageId));
      }
    }
    if (newest > Number(box.dataset.lastRead || 0) && newest > reported) {
      reported = newest;
      seen(newest);
    }
  };
  // Rendering changed: a new thread box (another claim) starts at the bottom; new messages
  // follow the bottom unless the person scrolled up, then the marker shows.
  const changed = () => {
    const current = document.getElementById("thread-scroll");
    if (current !== box) {
      box = current; reported = 0; stick = true;
      if (box) box.scrollTop = box.scrollHeight;
    } else if (box) {
      const last = Number(box.dataset.lastId || 0);
      if (last !== Number(box.dataset.shownId || 0)) {
        box.dataset.shownId = String(last);
        const rows = box.querySelectorAll("[data-message-id]");
        const mine = rows.length > 0 && rows[rows.length - 1].dataset.mine === "1";
        if (stick || mine) bottom(); else below(true);
      }
    }
    report();
  };
  const scrolled = (event) => {
    if (!box || event.target !== box) return;
    const bottom = atBottom();
    if (bottom && !stick) below(false);
    stick = bottom;
    report();
  };
  const visibility = () => { if (box) visible(shown()); report(); };
  const clicked = (event) => {
    if (box && event.target.closest && event.target.closest("#new-messages")) bottom();
  };
  const observer = new MutationObserver(changed);
  observer.observe(document.body, { childList: true, subtree: true, attributes: true,
    attributeFilter: ["data-last-id", "data-last-read"] });
  document.addEventListener("scroll", scrolled, { capture: true, passive: true });
  document.addEventListener("visibilitychange", visibility);
  window.addEventListener("focus", report);
  document.addEventListener("click", clicked);
  changed();
  return () => {
    observer.disconnect();
    document.removeEventListener("scroll", scrolled, { capture: true });
    document.removeEventListener("visibilitychange", visibility);
    window.removeEventListener("focus", report);
    document.removeEventListener("click", clicked);
  };
}, []);
"""


class ThreadWatch(rx.Fragment):
    """Renders nothing; adds the watcher to the page."""

    def add_imports(self) -> dict[str, Any]:
        return {"react": [rx.ImportVar(tag="useEffect")]}

    def add_hooks(self) -> list[str | rx.Var]:
        handlers = {
            "seen": _report(ThreadState.seen),
            "below": _report(ThreadState.scrolled),
            "visible": _report(ThreadState.visibility),
        }
        code = _WATCH % {name: str(var) for name, var in handlers.items()}
        return [
            rx.Var(
                _js_expr=code,
                _var_data=VarData.merge(*(var._get_all_var_data() for var in handlers.values())),
            )
        ]


thread_watch = ThreadWatch.create
