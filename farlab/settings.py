"""FarLab's settings: one class, read from the environment and ``.env``, built once."""

from __future__ import annotations

import ipaddress
import json
import re
from ipaddress import IPv4Network, IPv6Network
from typing import Annotated, Literal, get_args
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from annotated_types import Ge, Le
from pydantic import Field, SecretStr, ValidationError, ValidationInfo, field_validator
from pydantic_core import ErrorDetails
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from domain import money
from domain.errors import InvalidInput

PLACEHOLDER_SECRETS = frozenset(
    {"changethis", "changeme", "change-me", "secret", "your-secret-key", "secret-key", "xxx"}
)
MIN_SECRET_LENGTH = 32
KEY_COMMAND = "python -c 'import secrets; print(secrets.token_urlsafe(48))'"


class SettingsError(Exception):
    """A setting is missing or wrong; the message is one line naming the variable first:
    ``SECRET_KEY is a placeholder: ...``."""


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_file=".env", extra="ignore", case_sensitive=False)

    database_url: str = "sqlite:///farlab.db"
    secret_key: SecretStr | None = None
    access_token_expire_minutes: int = Field(default=30, ge=1, le=24 * 60)
    bcrypt_rounds: int = Field(default=12, ge=4, le=16)
    log_level: Literal["DEBUG", "INFO", "WARNING", "ERROR"] = "INFO"
    log_format: Literal["text", "json"] = "text"
    # /metrics (Prometheus): off unless FARLAB_METRICS=true; with a token, only for
    # requests sending "Authorization: Bearer <token>".
    farlab_metrics: bool = False
    farlab_metrics_token: SecretStr | None = None
    farlab_link_token_minutes: int = Field(default=10, ge=1, le=60)
    farlab_invite_token_hours: int = Field(default=72, ge=1, le=14 * 24)
    # Sign-in throttling: tries per (username, client address), then per username.
    farlab_login_max_failures: int = Field(default=5, ge=1, le=100)
    farlab_login_name_max_failures: int = Field(default=50, ge=1, le=10_000)
    farlab_login_window_minutes: int = Field(default=15, ge=1, le=24 * 60)
    farlab_lockout_minutes: int = Field(default=15, ge=1, le=24 * 60)
    # FARLAB_TRUSTED_PROXIES: comma-separated addresses or CIDR networks whose
    # X-Forwarded-For is believed; empty (the default) believes none.
    farlab_trusted_proxies: Annotated[list[IPv4Network | IPv6Network], NoDecode] = Field(
        default_factory=list
    )

    slack_bot_token: SecretStr | None = None
    slack_signing_secret: SecretStr | None = None
    slack_app_token: SecretStr | None = None
    slack_api_url: str = "https://slack.com/api/"
    farlab_public_url: str = "http://localhost:8000"

    # Alerts in Slack (the scheduler): see README, "Settings".
    farlab_alert_scan_seconds: int = Field(default=300, ge=10, le=24 * 3600)
    farlab_renotify_hours: int = Field(default=24, ge=1, le=24 * 30)
    farlab_maintenance_notice_days: int = Field(default=7, ge=0, le=365)
    farlab_alert_burst: int = Field(default=10, ge=1, le=1000)
    farlab_alert_channel: str | None = None
    farlab_digest_hour: int = Field(default=8, ge=0, le=23)
    # Ordering: where requests are posted (default: FARLAB_ALERT_CHANNEL), whether a
    # requester may approve their own request, and the currency prices are given in.
    farlab_purchasing_channel: str | None = None
    farlab_four_eyes: bool = False
    farlab_currency: str = "EUR"
    # Forecasts (see README, "Forecasts"): the lead time of a part with no preferred offer
    # giving one, the days added to the lead time before a forecast alert, and how often
    # the forecast job runs.
    farlab_default_lead_time_days: int = Field(default=14, ge=0, le=365)
    farlab_forecast_margin_days: int = Field(default=7, ge=0, le=365)
    farlab_forecast_minutes: int = Field(default=60, ge=1, le=7 * 24 * 60)
    # The weekly report (see README, "Weekly report"): its channel (default:
    # FARLAB_ALERT_CHANNEL), day and hour in the lab's time zone (an IANA name).
    farlab_report_channel: str | None = None
    farlab_report_day: Literal["mon", "tue", "wed", "thu", "fri", "sat", "sun"] = "mon"
    farlab_report_hour: int = Field(default=8, ge=0, le=23)
    farlab_timezone: str = "UTC"

    # `serve`'s defaults: its --host, --port, --workers and --no-scheduler win over them.
    farlab_host: str = "127.0.0.1"
    farlab_port: int = Field(default=8000, ge=1, le=65535)
    farlab_workers: int = Field(default=1, ge=1, le=64)
    farlab_scheduler: bool = True
    # False: the commands refuse a database whose schema is behind instead of upgrading it,
    # so that `migrate` is the one step that changes the schema (as in the container image).
    farlab_auto_migrate: bool = True

    api_prefix: str = "/api"
    # CORS_ORIGINS: a comma-separated list or a JSON list of origins.
    cors_origins: Annotated[list[str], NoDecode] = Field(
        default_factory=lambda: ["http://localhost:5173"]
    )

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper(cls, value: object) -> object:
        return value.upper() if isinstance(value, str) else value

    @field_validator("log_format", "farlab_report_day", mode="before")
    @classmethod
    def _lower(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("farlab_metrics_token", mode="before")
    @classmethod
    def _no_empty_token(cls, value: object) -> object:
        return None if isinstance(value, str) and not value.strip() else value

    @field_validator("secret_key")
    @classmethod
    def _strong_secret(cls, value: SecretStr | None) -> SecretStr | None:
        if value is None:
            return None
        secret = value.get_secret_value()
        if secret.strip().lower() in PLACEHOLDER_SECRETS:
            raise ValueError(f"is a placeholder: set it to a random value ({KEY_COMMAND})")
        if len(secret) < MIN_SECRET_LENGTH:
            raise ValueError(
                f"is too short: use a random value of at least {MIN_SECRET_LENGTH} characters "
                f"({KEY_COMMAND})"
            )
        return value

    @field_validator("slack_app_token")
    @classmethod
    def _app_level_token(cls, value: SecretStr | None) -> SecretStr | None:
        if value is not None and not value.get_secret_value().startswith("xapp-"):
            raise ValueError(
                "must be an app-level token (xapp-...): the app's Basic Information, "
                "App-Level Tokens, with the connections:write scope"
            )
        return value

    @field_validator(
        "farlab_alert_channel", "farlab_purchasing_channel", "farlab_report_channel", mode="before"
    )
    @classmethod
    def _channel_id(cls, value: object) -> object:
        if isinstance(value, str):
            value = value.strip() or None
            if value is not None and not re.fullmatch(r"[CG][A-Z0-9]{2,31}", value):
                raise ValueError("must be a channel id such as C0123ABCD (not its #name)")
        return value

    @field_validator("farlab_currency")
    @classmethod
    def _iso_currency(cls, value: str) -> str:
        try:
            return money.currency(value)
        except InvalidInput:
            raise ValueError(
                f"must be an ISO 4217 code such as EUR, USD or CHF (got {value!r})"
            ) from None

    @field_validator("farlab_timezone")
    @classmethod
    def _time_zone(cls, value: str) -> str:
        name = value.strip()
        try:
            ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # OSError: a folder, "Europe"
            raise ValueError(
                f"must be an IANA time zone name such as Europe/Berlin or UTC (got {value!r})"
            ) from None
        return name

    @field_validator("api_prefix")
    @classmethod
    def _prefix_path(cls, value: str) -> str:
        value = value.strip().rstrip("/")
        if value and not value.startswith("/"):
            raise ValueError("must be empty or a path starting with '/', e.g. /api")
        return value

    @field_validator("cors_origins", mode="before")
    @classmethod
    def _origin_list(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                try:
                    return json.loads(text)
                except json.JSONDecodeError:
                    raise ValueError(
                        "must be a JSON list of origins or origins separated by commas"
                    ) from None
            return [origin.strip() for origin in text.split(",") if origin.strip()]
        return value

    @field_validator("farlab_login_name_max_failures")
    @classmethod
    def _name_ceiling_above_pair_limit(cls, value: int, info: ValidationInfo) -> int:
        pair = info.data.get("farlab_login_max_failures")
        if pair is not None and value < pair:
            raise ValueError(f"must be at least FARLAB_LOGIN_MAX_FAILURES ({pair})")
        return value

    @field_validator("farlab_trusted_proxies", mode="before")
    @classmethod
    def _proxy_networks(cls, value: object) -> object:
        if not isinstance(value, str):
            return value
        networks: list[IPv4Network | IPv6Network] = []
        for item in (part.strip() for part in value.split(",")):
            if not item:
                continue
            try:
                networks.append(ipaddress.ip_network(item))
            except ValueError as exc:
                raise ValueError(
                    f"must list IP addresses or CIDR networks: {item!r} is not one ({exc})"
                ) from None
        return networks

    @field_validator("database_url")
    @classmethod
    def _known_database(cls, value: str) -> str:
        if not value.startswith(("sqlite:", "postgresql:", "postgresql+psycopg2:")):
            raise ValueError("must be a sqlite:/// or postgresql:// URL")
        return value

    @property
    def purchasing_channel(self) -> str | None:
        """FARLAB_PURCHASING_CHANNEL, else FARLAB_ALERT_CHANNEL."""
        return self.farlab_purchasing_channel or self.farlab_alert_channel

    @property
    def report_channel(self) -> str | None:
        """FARLAB_REPORT_CHANNEL, else FARLAB_ALERT_CHANNEL."""
        return self.farlab_report_channel or self.farlab_alert_channel

    def require_secret_key(self) -> str:
        if self.secret_key is None:
            raise SettingsError(
                "SECRET_KEY is required to serve: set it to a random value of at least "
                f"{MIN_SECRET_LENGTH} characters ({KEY_COMMAND})"
            )
        return self.secret_key.get_secret_value()


def load_settings() -> Settings:
    """Build the settings, turning a validation error into one line naming the variable."""
    try:
        return Settings()
    except ValidationError as exc:
        raise SettingsError(explain(exc.errors()[0])) from None


_SECRETS = frozenset(
    name for name, field in Settings.model_fields.items() if "SecretStr" in str(field.annotation)
)


def explain(error: ErrorDetails) -> str:
    """One of pydantic's errors in FarLab's words: the variable, then what it must be.
    A secret's value is never repeated; any other value is, to show what was read."""
    field = str(error["loc"][0]) if error["loc"] else ""
    name = field.upper() or "A setting"
    kind, context = error["type"], error.get("ctx") or {}
    if kind == "value_error":  # FarLab's own validators: their message follows the name
        return f"{name} {context.get('error', error['msg'])}"
    got = "" if field in _SECRETS else f" (got {error['input']!r})"
    if kind in ("bool_parsing", "bool_type"):
        return f"{name} must be true or false{got}"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{name} must be a whole number{got}"
    if kind in ("greater_than_equal", "less_than_equal"):
        return f"{name} must be {_range(field)}{got}"
    if kind == "literal_error":
        *others, last = get_args(Settings.model_fields[field].annotation)
        return f"{name} must be one of {', '.join(others)} or {last}{got}"
    return f"{name} cannot be read{got}"


def _range(field: str) -> str:
    """``a whole number from 4 to 16``, as the field's bounds say."""
    low = high = None
    for bound in Settings.model_fields[field].metadata:
        if isinstance(bound, Ge):
            low = bound.ge
        elif isinstance(bound, Le):
            high = bound.le
    if low is not None and high is not None:
        return f"a whole number from {low} to {high}"
    return f"at least {low}" if low is not None else f"at most {high}"
