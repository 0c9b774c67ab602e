"""Runs the away emails every ``away_check_seconds``: inside each app worker (a lifespan task) or
as a process of its own (``python -m indemnisation away-mail``). Each round also sends the queued
emails that the mail server did not take at once (services.mail_queue).

With Redis, the runners of every worker and process take turns through a lock held for
most of an interval, so one round runs per interval however many there are; without Redis there is
a single worker. Either way ``send_due`` claims each email before sending it, so two runners that
overlap still send it once. A failed round (database, Redis or mail server down) is logged and
the next one tries again.
"""

from __future__ import annotations

import asyncio
import logging
import time
from functools import lru_cache

import redis

from indemnisation.services import mail_queue
from indemnisation.services.away_mail import send_due
from indemnisation.settings import get_settings

log = logging.getLogger(__name__)

LOCK_KEY = "ind:away-mail:turn"


def interval() -> float:
    """Seconds between two rounds (the ``away_check_seconds`` setting)."""
    return get_settings().away_check_seconds


@lru_cache(maxsize=4)
def _redis_for(url: str) -> redis.Redis:
    return redis.Redis.from_url(url, socket_timeout=2)


def take_turn() -> bool:
    """True when this runner should run now: no Redis, or it won the lock for this round."""
    url = get_settings().redis_url
    if not url:
        return True
    hold = max(1, int(interval() * 0.8))
    return bool(_redis_for(url).set(LOCK_KEY, "1", nx=True, ex=hold))


def run_round() -> int:
    """One round; returns the emails sent, 0 when another runner has this turn or it failed."""
    try:
        if not take_turn():
            return 0
    except Exception:
        log.exception("away emails: the round failed, the next one will try again")
        return 0
    sent = 0
    for name, send in (("away emails", send_due), ("queued emails", mail_queue.send_due)):
        try:
            done = send()
        except Exception:
            log.exception("%s: the round failed, the next one will try again", name)
            continue
        if done:
            log.info("%s sent", name, extra={"count": done})
        sent += done
    return sent


async def away_mail_loop() -> None:
    """The app's lifespan task: a round off the event loop, then a pause, until cancelled."""
    while True:
        await asyncio.to_thread(run_round)
        await asyncio.sleep(interval())


def run_forever(*, once: bool = False) -> None:
    """The stand-alone runner's loop (a systemd service); ``once`` runs a single round."""
    while True:
        started = time.monotonic()
        run_round()
        if once:
            return
        time.sleep(max(0.0, interval() - (time.monotonic() - started)))
