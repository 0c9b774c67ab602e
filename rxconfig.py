"""Reflex configuration, built from indemnisation.settings so there is one source of truth."""

import reflex as rx

from indemnisation.settings import get_settings

_settings = get_settings()

config = rx.Config(
    app_name="indemnisation",
    db_url=_settings.database_url,
    redis_url=_settings.redis_url or None,
    frontend_port=_settings.port,
    backend_port=_settings.port,
    deploy_url=_settings.public_base_url,
    api_url=_settings.public_base_url,
    cors_allowed_origins=[_settings.public_base_url],
    trusted_proxy_hops=_settings.trusted_proxy_hops,
    # A tab's state lock: long enough for a slow moment under load (Reflex's default is 10 s).
    redis_lock_expiration=20_000,
    telemetry_enabled=False,
    show_built_with_reflex=False,
    plugins=[rx.plugins.RadixThemesPlugin(theme=rx.theme(accent_color="indigo", radius="medium"))],
    disable_plugins=[rx.plugins.SitemapPlugin],
)
