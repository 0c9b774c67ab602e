"""A claim's message thread, live: the messages the person may see, the composer, read receipts,
who is writing, and whether the other side is on the thread right now.

The same state serves the claimant's claim page and the admin's claim view; admins also see and
write internal notes. Everything shown is re-read through services.messaging with the person
taken from the server-side session, so a hint received from another worker never carries
content and a forged event reaches nothing the person may not see.
"""

from __future__ import annotations

import functools
import logging
import secrets
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import reflex as rx

from indemnisation import presence
from indemnisation.domain.channels import claim_channel, team_channel, user_channel
from indemnisation.domain.messages import MAX_LENGTH, ContentError, normalize_content, text_parts
from indemnisation.i18n import format_ago, format_moment
from indemnisation.models import Role
from indemnisation.services import messaging
from indemnisation.services.errors import InvalidInput, ServiceError
from indemnisation.services.messaging import MessageView
from indemnisation.services.views import UserView
from indemnisation.states.claim_admin import ClaimAdminState
from indemnisation.states.claim_display import claim_id_in
from indemnisation.states.claim_page import ClaimPageState
from indemnisation.states.forms import FormState, uploaded_files
from indemnisation.states.live import SKIP, publish, run_live
from indemnisation.states.session import run_service

log = logging.getLogger(__name__)

TYPING_SECONDS = 6.0
"""How long "is writing" shows after the last keystroke hint."""
TYPING_EVERY = 2.0
"""At most one typing hint per person and tab in this many seconds."""
MAX_FILES = 5
REFRESH_SECONDS = 60.0
"""A quiet thread is re-read at most this often: relative times move by the minute, and hints
bring everything else at once."""


@dataclass(frozen=True)
class _Read:
    """What a live wake-up read before taking the tab's lock."""

    seen: presence.Presence | None = None
    thread: messaging.ThreadView | None = None
    partial: bool = False


@dataclass
class _Compared:
    """When a live loop last compared the whole page with what its tab shows."""

    at: float


@dataclass
class Piece:
    text: str = ""
    href: str = ""


@dataclass
class AttachmentRow:
    name: str = ""
    href: str = ""
    thumb: str = ""


@dataclass
class MessageRow:
    id: int = 0
    mine: bool = False
    team: bool = False
    internal: bool = False
    sender: str = ""
    parts: list[Piece] = field(default_factory=list)
    when: str = ""
    when_full: str = ""
    ticks: int = 0
    read_title: str = ""
    attachments: list[AttachmentRow] = field(default_factory=list)


class ThreadState(FormState):
    claim_id: int = 0
    available: bool = False
    is_team: bool = False
    messages: list[MessageRow] = []
    has_more: bool = False
    last_read: int = 0
    last_id: int = 0
    internal: bool = False
    length: int = 0
    sending: bool = False
    typing_text: str = ""
    presence_text: str = ""
    other_online: bool = False
    new_below: bool = False
    composer_key: str = ""
    _generation: int = 0
    _typing_sent: float = 0.0
    _typing_until: float = 0.0
    _visible: bool = True
    _oldest: int = 0
    _reloaded_at: float = 0.0
    _hold_reads: bool = False

    # --- loading and showing -------------------------------------------------------------------

    @rx.event
    async def load(self) -> rx.event.EventSpec | None:
        """On the claim pages: the last page of the thread (nothing on drafts or unknown claims),
        then the live loop of this tab."""
        self._clear()
        self.claim_id = claim_id_in(self.router.url.path)
        self.messages, self.available, self.new_below = [], False, False
        self.typing_text = self.presence_text = ""
        self._typing_until, self._hold_reads = 0.0, False
        self.composer_key = self.composer_key or new_key()
        try:
            await self._reload(await self._require())
        except ServiceError:
            self.available = False
        return ThreadState.follow if self.available else None

    async def _reload(
        self,
        user: UserView,
        *,
        older: bool = False,
        thread: messaging.ThreadView | None = None,
        seen: presence.Presence | None = None,
        partial: bool = False,
    ) -> None:
        """Show the latest page of the thread (or the one before the oldest shown). A
        ``partial`` thread holds only the messages after some id: they replace the rows from
        there on, and the rows before stay as they are."""
        if thread is None:
            thread = await run_service(
                messaging.list_thread,
                actor=user,
                claim_id=self.claim_id,
                before_id=self._oldest if older and self._oldest else None,
            )
        self.is_team, self.available = user.is_admin, thread.open
        rows = await self._rows(user, thread.messages)
        if older:
            self.messages = rows + self.messages
            self.has_more = thread.has_more
        elif partial:
            first = rows[0].id if rows else self.last_id + 1
            self.messages = [m for m in self.messages if m.id < first] + rows
        else:
            first = rows[0].id if rows else 0
            kept = [m for m in self.messages if m.id < first]
            self.messages = kept + rows
            if not kept:
                self.has_more = thread.has_more
        self._oldest = self.messages[0].id if self.messages else 0
        self.last_id = self.messages[-1].id if self.messages else 0
        if not partial:
            self._reloaded_at = time.monotonic()
        self.last_read = thread.my_last_read
        self._show_presence(user, seen or await self._presence(user))

    async def _rows(self, user: UserView, messages: tuple[MessageView, ...]) -> list[MessageRow]:
        files = [a.id for m in messages for a in m.attachments]
        links = (
            await run_service(messaging.attachment_links, actor=user, attachment_ids=files)
            if files
            else {}
        )
        now, lang = datetime.now(UTC), self.lang
        rows = []
        for m in messages:
            read_title = ""
            if m.mine and m.read_at is not None:
                read_title = self._tr("thread.read_at", when=format_moment(lang, m.read_at))
            rows.append(
                MessageRow(
                    id=m.id,
                    mine=m.mine,
                    team=m.from_team,
                    internal=m.internal,
                    sender=m.sender_name,
                    parts=[Piece(text, href) for text, href in text_parts(m.content)],
                    when=format_ago(lang, m.created_at, now),
                    when_full=format_moment(lang, m.created_at),
                    ticks=(2 if m.read_by_other else 1) if m.mine and not m.internal else 0,
                    read_title=read_title or (self._tr("thread.sent") if m.mine else ""),
                    attachments=[
                        AttachmentRow(
                            a.name,
                            links.get(a.id, {}).get("file", ""),
                            links.get(a.id, {}).get("thumb", ""),
                        )
                        for a in m.attachments
                    ],
                )
            )
        return rows

    async def _presence(self, user: UserView) -> presence.Presence:
        """Whether the other side is on the thread (read off the event loop)."""
        side = presence.side_of(not user.is_admin)
        return await run_service(presence.presence_of, claim_id=self.claim_id, side=side)

    def _presence_view(self, user: UserView, seen: presence.Presence) -> tuple[bool, str]:
        """Whether the other side is shown online, and the line saying so (or when last seen)."""
        who = "claimant" if user.is_admin else "team"
        if seen.online:
            return True, self._tr(f"thread.online.{who}")
        if seen.last_seen is not None:
            when = format_ago(self.lang, seen.last_seen)
            return False, self._tr(f"thread.last_seen.{who}", when=when)
        return False, ""

    def _show_presence(self, user: UserView, seen: presence.Presence) -> None:
        self.other_online, self.presence_text = self._presence_view(user, seen)
        if self._typing_until and time.monotonic() > self._typing_until:
            self.typing_text, self._typing_until = "", 0.0

    def _shows_presence(self, user: UserView, seen: presence.Presence) -> bool:
        """Whether the tab already shows this presence (and no "is writing" line has expired)."""
        expired = bool(self._typing_until) and time.monotonic() > self._typing_until
        shown = (self.other_online, self.presence_text)
        return not expired and shown == self._presence_view(user, seen)

    async def _shows_page(self, user: UserView, thread: messaging.ThreadView) -> bool:
        """Whether the tab already shows this page of the thread as it would render now
        (relative times included)."""
        if thread.open != self.available or thread.my_last_read != self.last_read:
            return False
        rows = await self._rows(user, thread.messages)
        first = rows[0].id if rows else 0
        return [m for m in self.messages if m.id >= first] == rows

    @rx.event
    async def older(self) -> None:
        """The page of messages before the oldest one shown."""
        try:
            await self._reload(await self._require(), older=True)
        except ServiceError as error:
            self._fail(error)

    # --- the live loop --------------------------------------------------------------------------

    @rx.event(background=True)
    async def follow(self) -> AsyncIterator[rx.event.EventSpec]:
        """Keep this tab's thread up to date until it leaves the claim (one loop per tab)."""
        async with self:
            self._generation += 1
            generation = self._generation
            claim_id = self.claim_id
            token = self.router.session.client_token
            try:
                user = await self._require()
            except ServiceError:
                return
            if not self.available:
                return
        channels = [claim_channel(claim_id)] + ([team_channel(claim_id)] if user.is_admin else [])
        await run_service(
            presence.touch, claim_id=claim_id, is_admin=user.is_admin, user_id=user.id
        )
        await publish([claim_channel(claim_id)], {"t": "presence"})
        replaced = False
        compared = _Compared(time.monotonic())

        def wanted() -> bool:
            nonlocal replaced
            here = self.claim_id == claim_id and claim_id_in(self.router.url.path) == claim_id
            replaced = here and self._generation != generation  # a newer loop took over
            return here and not replaced

        try:
            async for event in run_live(
                self,
                channels,
                token=token,
                still_wanted=wanted,
                read=lambda hint: self._read(user, claim_id, hint, compared),
                on_wake=lambda hint, found: self._on_hint(user, hint, found),
                ignore_from=token,
            ):
                yield event
        finally:
            if not replaced:
                await run_service(
                    presence.leave, claim_id=claim_id, is_admin=user.is_admin, user_id=user.id
                )
                await publish([claim_channel(claim_id)], {"t": "presence"})

    async def _read(
        self,
        user: UserView,
        claim_id: int,
        hint: dict[str, Any] | None,
        compared: _Compared | None = None,
    ) -> _Read | object:
        """What a hint needs from the database and Redis, read before the tab's lock is taken
        (a periodic wake-up also renews this tab's heartbeat while it is visible). SKIP when
        the tab already shows all of it: most wake-ups of an open tab then cost no lock, no
        state write and no update to the browser, however many tabs are open."""
        kind = hint.get("t") if hint else None
        if kind in ("typing", "claim"):
            return _Read()
        if kind is None and self._visible:
            await run_service(
                presence.touch, claim_id=claim_id, is_admin=user.is_admin, user_id=user.id
            )
        seen = await self._presence(user)
        last = max(self._reloaded_at, compared.at if compared else 0.0)
        quiet = kind is None and time.monotonic() - last < REFRESH_SECONDS
        if kind == "presence" or quiet:
            return SKIP if self._shows_presence(user, seen) else _Read(seen)
        # A new message or a read receipt: the messages not shown yet, and this person's own
        # ones the other side had not read yet (the rows before them cannot change). A wake-up
        # after a while re-reads the whole page (relative times, missed hints).
        waiting = [m.id for m in self.messages if m.mine and not m.internal and m.ticks < 2]
        since = min([self.last_id, *(i - 1 for i in waiting)])
        if kind is not None and since > 0:
            thread = await run_service(
                messaging.list_thread, actor=user, claim_id=claim_id, after_id=since
            )
            if not thread.has_more:
                return _Read(seen, thread, partial=True)
        thread = await run_service(messaging.list_thread, actor=user, claim_id=claim_id)
        if kind is None and compared is not None:
            compared.at = time.monotonic()
            if self._shows_presence(user, seen) and await self._shows_page(user, thread):
                return SKIP
        return _Read(seen, thread)

    async def _on_hint(
        self, user: UserView, hint: dict[str, Any] | None, found: _Read
    ) -> list[rx.event.EventSpec] | None:
        kind = hint.get("t") if hint else None
        if kind == "typing" and hint is not None:
            if hint.get("side") != presence.side_of(user.is_admin):
                self.typing_text = self._tr(
                    "thread.typing.team" if hint.get("side") == "team" else "thread.typing.claimant"
                )
                self._typing_until = time.monotonic() + TYPING_SECONDS
            return None
        if kind == "claim":
            # The claim itself changed (status, documents, assignment): its page and, for the
            # team, the processing panel re-read it in events of their own.
            return [ClaimPageState.refresh, *([ClaimAdminState.refresh] if user.is_admin else [])]
        if kind == "message":
            self.typing_text, self._typing_until = "", 0.0
        if found.thread is not None and found.seen is not None:
            await self._reload(user, thread=found.thread, seen=found.seen, partial=found.partial)
        elif found.seen is not None:
            self._show_presence(user, found.seen)
        return None

    # --- what the browser reports ---------------------------------------------------------------

    @rx.event
    async def seen(self, message_id: Any) -> None:
        """The newest message on screen in a visible tab: everything up to it is read."""
        if not isinstance(message_id, int) or isinstance(message_id, bool) or message_id <= 0:
            return
        if message_id <= self.last_read or self._hold_reads:
            return
        try:
            user = await self._require()
            pointer = await run_service(
                messaging.mark_read, actor=user, claim_id=self.claim_id, up_to_message_id=message_id
            )
        except ServiceError as error:
            log.warning("read mark refused", extra={"code": error.code})
            return
        if pointer > self.last_read:
            self.last_read = pointer
            await publish(
                [claim_channel(self.claim_id), user_channel(user.id)],
                {"t": "read", "claim": self.claim_id, "tab": self.router.session.client_token},
            )

    @rx.event
    async def visibility(self, visible: Any) -> None:
        """The tab was hidden or shown: presence follows what the person can see."""
        self._visible = visible is True
        try:
            user = await self._require()
        except ServiceError:
            return
        if not self.available:
            return
        action = presence.touch if self._visible else presence.leave
        await run_service(action, claim_id=self.claim_id, is_admin=user.is_admin, user_id=user.id)
        await publish([claim_channel(self.claim_id)], {"t": "presence"})

    @rx.event
    def scrolled(self, below: Any) -> None:
        """Whether new messages arrived below what the person is reading."""
        self.new_below = below is True

    @rx.event
    async def typed(self, text: Any) -> None:
        """Each pause in typing: the counter, and a throttled "is writing" hint for the other
        side."""
        self.length = len(text) if isinstance(text, str) else 0
        if not self.length or not self.available:
            return
        now = time.monotonic()
        if now - self._typing_sent < TYPING_EVERY:
            return
        try:
            user = await self._require()
        except ServiceError:
            return
        self._typing_sent = now
        channel = team_channel(self.claim_id) if self.internal else claim_channel(self.claim_id)
        await publish([channel], {"t": "typing", "side": presence.side_of(user.is_admin)})

    @rx.event
    def set_internal(self, value: Any) -> None:
        self.internal = value is True and self.is_team

    # --- sending --------------------------------------------------------------------------------

    @rx.event
    async def send(self, form_data: Any) -> rx.event.EventSpec | None:
        """Post the composer's text with the composer's idempotency key. The key only changes
        once a post is confirmed, so pressing Send again after a lost answer returns the stored
        message instead of posting it twice; on failure the text stays in the composer."""
        self._clear()
        self._rebuilt()
        data = form_data if isinstance(form_data, dict) else {}
        raw, key = data.get("content"), data.get("key")
        content = raw if isinstance(raw, str) and len(raw) <= MAX_LENGTH * 4 else ""
        self.sending = True
        try:
            user = await self._require()
            post = functools.partial(
                run_service,
                messaging.send_message,
                actor=user,
                claim_id=self.claim_id,
                content=content,
                internal=self.internal and user.role is Role.ADMIN,
            )
            sent = await post(client_key=key)
            if sent.duplicate and sent.message.content != _normalized(content):
                sent = await post(client_key=new_key())  # the text was edited since: a new one
        except ServiceError as error:
            self._fail(error)
            return None
        finally:
            self.sending = False
        self.composer_key, self.length = new_key(), 0
        await self._delivered(user, sent)
        return rx.set_value("composer-input", "")

    @rx.event
    async def send_files(self, files: list[rx.UploadFile], proof: Any = "") -> None:
        """Post dropped or chosen files as a message of their own. ``proof`` is the session id
        the page holds (see SessionState._require_upload)."""
        self._clear()
        self._rebuilt()
        self.sending = True
        files = uploaded_files(files)
        try:
            user = await self._require_upload(proof)
            if len(files) > MAX_FILES:
                raise InvalidInput("error.too_many_attachments", max=MAX_FILES)
            attachments = [(str(f.name or ""), await f.read()) for f in files]
            sent = await run_service(
                messaging.send_message,
                actor=user,
                claim_id=self.claim_id,
                content="",
                client_key=new_key(),
                internal=self.internal and user.role is Role.ADMIN,
                attachments=attachments,
            )
        except ServiceError as error:
            self._fail(error)
            return
        finally:
            self.sending = False
        await self._delivered(user, sent)

    def _rebuilt(self) -> None:
        """A post can arrive on a state Reflex rebuilt empty (Redis lost it) before the page's
        on_load has run again: the page it came from names the claim."""
        if not self.claim_id:
            self.claim_id = claim_id_in(self.router.url.path)

    async def _delivered(self, user: UserView, sent: messaging.SentMessage) -> None:
        await self._reload(user)
        await publish(
            [n.channel for n in sent.notify],
            {"t": "message", "claim": self.claim_id, "tab": self.router.session.client_token},
        )

    @rx.event
    async def mark_unread(self) -> None:
        """Admins: put the thread back in their unread list."""
        self._clear()
        try:
            user = await self._require(Role.ADMIN)
            await run_service(messaging.mark_unread, actor=user, claim_id=self.claim_id)
            await self._reload(user)
        except ServiceError as error:
            self._fail(error)
            return
        self._hold_reads = True  # until the thread is opened again
        self.notice = self._tr("thread.marked_unread")
        await publish([user_channel(user.id)], {"t": "read", "claim": self.claim_id})

    @rx.event
    def insert_text(self, text: Any) -> rx.event.EventSpec | None:
        """Put a canned response into the composer (the person still edits and sends it)."""
        if not isinstance(text, str) or not self.is_team:
            return None
        self.length = len(text[:MAX_LENGTH])
        return rx.set_value("composer-input", text[:MAX_LENGTH])


def new_key() -> str:
    """A fresh idempotency key for the composer's next message."""
    return secrets.token_urlsafe(18)


def _normalized(content: str) -> str:
    try:
        return normalize_content(content)
    except ContentError:
        return ""
