"""SQLModel tables. Importing this package registers every table on ``SQLModel.metadata``."""

from indemnisation.models.auth import FailedLogin, LoginSession, PasswordResetToken
from indemnisation.models.claim import (
    Claim,
    ClaimEvent,
    Document,
    DocumentKind,
    Mandate,
    Passenger,
)
from indemnisation.models.message import Message, MessageAttachment, ThreadRead
from indemnisation.models.user import Role, User

__all__ = [
    "Claim",
    "ClaimEvent",
    "Document",
    "DocumentKind",
    "FailedLogin",
    "LoginSession",
    "Mandate",
    "Message",
    "MessageAttachment",
    "Passenger",
    "PasswordResetToken",
    "Role",
    "ThreadRead",
    "User",
]
