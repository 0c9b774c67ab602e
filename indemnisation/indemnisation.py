"""The Reflex app: pages, their guards, and start-up checks."""

import reflex as rx

from indemnisation.away_runner import away_mail_loop
from indemnisation.logging_setup import configure_logging
from indemnisation.pages.account import account_page
from indemnisation.pages.admin.analytics import analytics_page
from indemnisation.pages.admin.audit import audit_page
from indemnisation.pages.admin.canned import canned_page
from indemnisation.pages.admin.claim import admin_claim_page
from indemnisation.pages.admin.claims import claims_queue_page
from indemnisation.pages.admin.home import admin_home_page
from indemnisation.pages.admin.inbox import inbox_page
from indemnisation.pages.admin.settings import settings_page
from indemnisation.pages.admin.user import user_page
from indemnisation.pages.admin.users import users_page
from indemnisation.pages.auth.login import login_page
from indemnisation.pages.auth.password import forgot_password_page, reset_password_page
from indemnisation.pages.auth.register import register_page
from indemnisation.pages.claimant.claim import claim_page
from indemnisation.pages.claimant.claims import claims_page
from indemnisation.pages.claimant.wizard import wizard_page
from indemnisation.pages.errors import forbidden_page, not_found_page
from indemnisation.pages.landing import landing_page
from indemnisation.routes import api
from indemnisation.settings import get_settings
from indemnisation.states.admin_home import AdminHomeState
from indemnisation.states.analytics import AnalyticsState
from indemnisation.states.app_settings import SettingsState
from indemnisation.states.audit_log import AuditState
from indemnisation.states.auth import ResetPasswordState
from indemnisation.states.backend_errors import backend_error_toast
from indemnisation.states.badge import BadgeState
from indemnisation.states.canned import CannedState
from indemnisation.states.claim_admin import ClaimAdminState
from indemnisation.states.claim_facts_admin import ClaimFactsState
from indemnisation.states.claim_page import ClaimPageState
from indemnisation.states.claims_list import ClaimsListState
from indemnisation.states.claims_queue import QueueState
from indemnisation.states.inbox import InboxState
from indemnisation.states.landing import LandingState
from indemnisation.states.session import SessionState
from indemnisation.states.thread import ThreadState
from indemnisation.states.users_admin import UserDetailState, UsersState
from indemnisation.states.wizard import WizardState

settings = get_settings()
settings.check_production()
configure_logging(json_lines=settings.json_logs)

app = rx.App(html_lang="fr", api_transformer=api, backend_exception_handler=backend_error_toast)
# Emails people about the messages they leave unread (one round per interval across workers).
app.register_lifespan_task(away_mail_loop)

# Every page keeps the navigation bar's unread badge live (it stops at once when signed out).
badge = BadgeState.start
public = [SessionState.load_session, badge]
app.add_page(landing_page, route="/", title="Indemnisation", on_load=[*public, LandingState.load])
app.add_page(login_page, route="/login", title="Indemnisation", on_load=public)
app.add_page(register_page, route="/register", title="Indemnisation", on_load=public)
app.add_page(forgot_password_page, route="/forgot-password", title="Indemnisation", on_load=public)
app.add_page(
    reset_password_page,
    route="/reset-password",
    title="Indemnisation",
    on_load=[*public, ResetPasswordState.start],
)
app.add_page(
    account_page,
    route="/account",
    title="Indemnisation",
    on_load=[SessionState.guard_signed_in, badge],
)
app.add_page(
    claims_page,
    route="/claims",
    title="Indemnisation",
    on_load=[SessionState.guard_claimant, ClaimsListState.load, badge],
)
app.add_page(
    wizard_page,
    route="/claims/[claim_id]/edit",
    title="Indemnisation",
    on_load=[SessionState.guard_claimant, WizardState.load, badge],
)
app.add_page(
    claim_page,
    route="/claims/[claim_id]",
    title="Indemnisation",
    on_load=[SessionState.guard_signed_in, ClaimPageState.load, ThreadState.load, badge],
)
app.add_page(
    admin_home_page,
    route="/admin",
    title="Indemnisation",
    on_load=[SessionState.guard_admin, AdminHomeState.load, badge],
)
app.add_page(
    claims_queue_page,
    route="/admin/claims",
    title="Indemnisation",
    on_load=[SessionState.guard_admin, QueueState.load, badge],
)
app.add_page(
    admin_claim_page,
    route="/admin/claims/[claim_id]",
    title="Indemnisation",
    on_load=[
        SessionState.guard_admin,
        ClaimPageState.load,
        ClaimAdminState.load,
        ClaimFactsState.load,
        ThreadState.load,
        badge,
    ],
)
app.add_page(
    canned_page,
    route="/admin/canned",
    title="Indemnisation",
    on_load=[SessionState.guard_admin, CannedState.load, badge],
)
app.add_page(
    inbox_page,
    route="/admin/inbox",
    title="Indemnisation",
    on_load=[SessionState.guard_admin, InboxState.load, badge],
)
app.add_page(
    analytics_page,
    route="/admin/analytics",
    title="Indemnisation",
    on_load=[SessionState.guard_admin, AnalyticsState.load, badge],
)
app.add_page(
    users_page,
    route="/admin/users",
    title="Indemnisation",
    on_load=[SessionState.guard_admin, UsersState.load, badge],
)
app.add_page(
    user_page,
    route="/admin/users/[user_id]",
    title="Indemnisation",
    on_load=[SessionState.guard_admin, UserDetailState.load, badge],
)
app.add_page(
    settings_page,
    route="/admin/settings",
    title="Indemnisation",
    on_load=[SessionState.guard_admin, SettingsState.load, badge],
)
app.add_page(
    audit_page,
    route="/admin/audit",
    title="Indemnisation",
    on_load=[SessionState.guard_admin, AuditState.load, badge],
)
app.add_page(forbidden_page, route="/forbidden", title="Indemnisation", on_load=public)
app.add_page(not_found_page, route="404", title="Indemnisation", on_load=public)
