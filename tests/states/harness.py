"""Call Reflex event handlers the way a (possibly hostile) connected client can: any handler, any
arguments, on a fresh state tree with the router data the client's connection would carry (its
handshake sent the session cookie ``token``)."""

from __future__ import annotations

import inspect
from typing import Any, TypeVar

from reflex.istate.data import RouterData
from reflex.state import State
from reflex_base.constants import RouteVar

import indemnisation.indemnisation  # noqa: F401  (registers every state)

S = TypeVar("S")


def make_state(
    cls: type[S], *, path: str = "/", ip: str = "192.0.2.7", token: str = "", locale: str = "fr"
) -> S:
    root = State(_reflex_internal_init=True)
    root.router = RouterData.from_router_data(
        {
            RouteVar.HEADERS: {
                "origin": "http://localhost:3000",
                "user-agent": "pytest",
                "cookie": f"ind_lang={locale}; ind_session={token}",
            },
            RouteVar.SESSION_ID: "pytest-connection",
            RouteVar.ORIGIN: path,
            RouteVar.PATH: path.split("?")[0],
            RouteVar.CLIENT_IP: ip,
        }
    )
    state = root.get_substate(cls.get_full_name().split(".")[1:])  # type: ignore[attr-defined]
    state.auth_token = token
    state.locale = locale
    return state  # type: ignore[no-any-return]


async def call(state: Any, handler: str, *args: Any) -> Any:
    """Run ``handler`` on ``state`` with client-supplied ``args``, as the event processor would."""
    result = type(state).event_handlers[handler].fn(state, *args)
    return await result if inspect.isawaitable(result) else result


def redirect_target(result: Any) -> str | None:
    """The path of an ``rx.redirect`` returned by a handler, or None."""
    if result is None:
        return None
    for name, value in result.args:
        if name._js_expr == "path":
            return str(value._var_value)
    return None
