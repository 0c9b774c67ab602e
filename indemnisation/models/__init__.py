"""SQLModel tables. Importing this package registers every table on ``SQLModel.metadata``."""

from indemnisation.models.auth import FailedLogin, LoginSession, PasswordResetToken
from indemnisation.models.user import Role, User

__all__ = ["FailedLogin", "LoginSession", "PasswordResetToken", "Role", "User"]
