"""SQLModel tables. Importing this package registers every table on ``SQLModel.metadata``."""

from indemnisation.models.app_settings import AppSettings
from indemnisation.models.audit import AuditEntry
from indemnisation.models.auth import FailedLogin, LoginSession, PasswordResetToken
from indemnisation.models.claim import (
    Claim,
    ClaimEvent,
    Document,
    DocumentKind,
    DocumentReview,
    Mandate,
    Passenger,
)
from indemnisation.models.mail import OutgoingMail
from indemnisation.models.message import (
    CannedResponse,
    Message,
    MessageAttachment,
    ReadMark,
    ThreadRead,
    ThreadSummary,
    UnreadTally,
)
from indemnisation.models.tally import ClaimTally
from indemnisation.models.user import Role, User

__all__ = [
    "AppSettings",
    "AuditEntry",
    "CannedResponse",
    "Claim",
    "ClaimEvent",
    "ClaimTally",
    "Document",
    "DocumentKind",
    "DocumentReview",
    "FailedLogin",
    "LoginSession",
    "Mandate",
    "Message",
    "MessageAttachment",
    "OutgoingMail",
    "Passenger",
    "PasswordResetToken",
    "ReadMark",
    "Role",
    "ThreadRead",
    "ThreadSummary",
    "UnreadTally",
    "User",
]
