"""The configuration file's shape, as pydantic models (``extra="forbid"`` everywhere).

Values arrive here after ``${VAR}`` expansion; the loader maps every
validation error back to the YAML line it came from.
"""

from __future__ import annotations

import re
from datetime import timedelta
from enum import StrEnum
from typing import Annotated, Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    model_validator,
)

from bot.config.units import parse_duration, parse_size

DEFAULT_DATABASE = "sqlite+aiosqlite:///data/newsbot.db"
DEFAULT_USER_AGENT = "newsbot/0.1 (+https://github.com/newsbot/newsbot)"


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _http_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {value!r}")
    if any(ch.isspace() for ch in value):
        raise ValueError(f"URL contains whitespace: {value!r}")
    return value


def _ws_url(value: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("ws", "wss") or not parts.hostname:
        raise ValueError(f"not a ws(s) URL: {value!r}")
    return value


def _timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValueError(f"unknown timezone: {value!r}") from None
    return value


def _cron(value: str) -> str:
    from apscheduler.triggers.cron import CronTrigger

    fields = value.split()
    if len(fields) != 5:
        raise ValueError(
            f"cron needs 5 fields (minute hour day month weekday), got {len(fields)}: {value!r}"
        )
    try:
        CronTrigger.from_crontab(value, timezone="UTC")
    except ValueError as exc:
        raise ValueError(f"bad cron {value!r}: {exc}") from None
    return value


def _regex(value: str) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"bad regex {value!r}: {exc}") from None
    return value


def _name(value: str) -> str:
    if not value.strip():
        raise ValueError("must not be empty")
    return value.strip()


HttpUrl = Annotated[str, AfterValidator(_http_url)]
WsUrl = Annotated[str, AfterValidator(_ws_url)]
TimeZoneName = Annotated[str, AfterValidator(_timezone)]
Cron = Annotated[str, AfterValidator(_cron)]
Regex = Annotated[str, AfterValidator(_regex)]
Name = Annotated[str, AfterValidator(_name)]
Duration = Annotated[
    timedelta,
    BeforeValidator(parse_duration),
    PlainSerializer(lambda d: f"{int(d.total_seconds())}s", return_type=str),
]
Size = Annotated[int, BeforeValidator(parse_size)]
ChannelId = Annotated[str, BeforeValidator(lambda v: str(v) if isinstance(v, int) else v)]


class Filters(Strict):
    """Keyword and regex filters on an article's title and text (case-insensitive)."""

    include: list[str] = Field(default_factory=list)
    exclude: list[str] = Field(default_factory=list)
    include_regex: list[Regex] = Field(default_factory=list)
    exclude_regex: list[Regex] = Field(default_factory=list)


class FullText(StrEnum):
    AUTO = "auto"  # fetch the page when the feed only carries a teaser
    ALWAYS = "always"
    NEVER = "never"


def _full_text(value: Any) -> Any:
    if value is True:
        return FullText.ALWAYS
    if value is False:
        return FullText.NEVER
    return value


class Feed(Filters):
    name: Name
    url: HttpUrl
    interval: Duration = timedelta(minutes=15)
    full_text: Annotated[FullText, BeforeValidator(_full_text)] = FullText.AUTO
    tags: list[Name] = Field(default_factory=list)
    enabled: bool = True

    @model_validator(mode="after")
    def _check_interval(self) -> Feed:
        if self.interval < timedelta(minutes=1):
            raise ValueError("interval must be at least 1m")
        return self


class Platform(StrEnum):
    SLACK = "slack"
    DISCORD = "discord"
    CONSOLE = "console"


class Route(Filters):
    name: Name
    platform: Platform
    channel: ChannelId = "stdout"
    feeds: list[Name] = Field(default_factory=list)
    tags: list[Name] = Field(default_factory=list)
    schedule: Cron = "0 8 * * *"
    timezone: TimeZoneName = "UTC"
    max_stories: int = Field(default=10, ge=1, le=50)
    facts_per_story: int = Field(default=5, ge=1, le=10)
    mention: str | None = None
    nothing_new_message: str | None = None
    thread: bool = False


class Summariser(Strict):
    facts: int = Field(default=5, ge=1, le=20)
    embeddings: bool = True
    spacy_model: str | None = None
    gist_model: str | None = None
    max_chars: int = Field(default=40_000, ge=1_000)


class Stories(Strict):
    quiet_period: Duration = timedelta(hours=36)
    window: Duration = timedelta(days=3)


class Ingest(Strict):
    user_agent: str = DEFAULT_USER_AGENT
    connect_timeout: Duration = timedelta(seconds=10)
    read_timeout: Duration = timedelta(seconds=20)
    total_timeout: Duration = timedelta(seconds=60)
    max_body: Size = 5 * 1000 * 1000
    max_redirects: int = Field(default=5, ge=0, le=20)
    concurrency: int = Field(default=20, ge=1, le=500)
    per_host: int = Field(default=4, ge=1, le=100)
    first_poll_max_age: Duration = timedelta(days=2)
    allow_hosts: list[str] = Field(
        default_factory=list,
        description="hosts or networks that may be fetched despite being private or loopback",
    )


class SlackMode(StrEnum):
    SOCKET = "socket"
    HTTP = "http"


class Slack(Strict):
    mode: SlackMode = SlackMode.SOCKET
    api_url: HttpUrl = "https://slack.com/api/"
    host: str = "0.0.0.0"
    port: int = Field(default=3000, ge=0, le=65535)
    command: str = "/news"
    bot_token: str | None = None
    app_token: str | None = None
    signing_secret: str | None = None


class Discord(Strict):
    api_url: HttpUrl = "https://discord.com/api/v10"
    gateway_url: WsUrl = "wss://gateway.discord.gg"
    guilds: list[ChannelId] = Field(default_factory=list)
    token: str | None = None


class Config(Strict):
    database: str = DEFAULT_DATABASE
    timezone: TimeZoneName = "UTC"
    feeds: list[Feed] = Field(default_factory=list)
    routes: list[Route] = Field(default_factory=list)
    summariser: Summariser = Field(default_factory=Summariser)
    stories: Stories = Field(default_factory=Stories)
    ingest: Ingest = Field(default_factory=Ingest)
    slack: Slack = Field(default_factory=Slack)
    discord: Discord = Field(default_factory=Discord)

    @model_validator(mode="before")
    @classmethod
    def _route_timezones(cls, data: Any) -> Any:
        """A route without its own timezone takes the file's ``timezone``."""
        if not isinstance(data, dict) or not isinstance(data.get("routes"), list):
            return data
        zone = data.get("timezone")
        if not isinstance(zone, str):
            return data
        try:
            _timezone(zone)
        except ValueError:
            return data  # reported once, at the top-level key
        routes = [
            {**r, "timezone": zone} if isinstance(r, dict) and "timezone" not in r else r
            for r in data["routes"]
        ]
        return {**data, "routes": routes}

    def feed(self, name: str) -> Feed:
        for feed in self.feeds:
            if feed.name == name:
                return feed
        raise KeyError(name)

    def route(self, name: str) -> Route:
        for route in self.routes:
            if route.name == name:
                return route
        raise KeyError(name)

    def feeds_for(self, route: Route) -> list[Feed]:
        """The enabled feeds a route draws from: named ones, tagged ones, or all when neither."""
        if not route.feeds and not route.tags:
            return [f for f in self.feeds if f.enabled]
        tags = set(route.tags)
        return [
            f
            for f in self.feeds
            if f.enabled and (f.name in route.feeds or tags.intersection(f.tags))
        ]

    def platforms(self) -> set[Platform]:
        return {route.platform for route in self.routes}
