"""Configuration: one YAML file, validated into frozen pydantic models."""

from bot.config.loader import load_config, parse_config
from bot.config.models import (
    Config,
    Discord,
    Feed,
    Filters,
    FullText,
    Ingest,
    Platform,
    Route,
    Slack,
    SlackMode,
    Stories,
    Summariser,
)

__all__ = [
    "Config",
    "Discord",
    "Feed",
    "Filters",
    "FullText",
    "Ingest",
    "Platform",
    "Route",
    "Slack",
    "SlackMode",
    "Stories",
    "Summariser",
    "load_config",
    "parse_config",
]
