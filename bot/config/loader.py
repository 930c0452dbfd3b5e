"""Load the YAML file, expand ``${VAR}``, validate, and report every problem at once.

Each problem is one line, ``FILE:LINE: dotted.key: what is wrong``, so editors
and CI logs can jump to it. The YAML is composed into nodes first to keep
every key's line number, then validated with the pydantic models.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.config.models import Config, Platform, SlackMode
from bot.errors import ConfigError

Loc = tuple[str | int, ...]

_VAR = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}")
_SECRET_KEYS = {
    ("slack", "bot_token"): "SLACK_BOT_TOKEN",
    ("slack", "app_token"): "SLACK_APP_TOKEN",
    ("slack", "signing_secret"): "SLACK_SIGNING_SECRET",
    ("discord", "token"): "DISCORD_TOKEN",
}


class _Problems:
    def __init__(self, path: Path, lines: dict[Loc, int]) -> None:
        self.path = path
        self.lines = lines
        self.items: list[tuple[int, str]] = []

    def line_of(self, loc: Loc) -> int:
        for end in range(len(loc), -1, -1):
            if loc[:end] in self.lines:
                return self.lines[loc[:end]]
        return 1

    def add(self, loc: Loc, message: str, line: int | None = None) -> None:
        key = ".".join(str(part) for part in loc) or "(top)"
        number = line if line is not None else self.line_of(loc)
        self.items.append((number, f"{self.path}:{number}: {key}: {message}"))

    def raise_if_any(self) -> None:
        if self.items:
            self.items.sort(key=lambda item: item[0])
            raise ConfigError([text for _, text in self.items])


def _index_lines(node: yaml.Node, loc: Loc, lines: dict[Loc, int], problems: list[Any]) -> None:
    lines[loc] = node.start_mark.line + 1
    if isinstance(node, yaml.MappingNode):
        seen: set[str] = set()
        for key_node, value_node in node.value:
            key = str(key_node.value)
            if key in seen:
                problems.append(((*loc, key), "duplicate key", key_node.start_mark.line + 1))
            seen.add(key)
            _index_lines(value_node, (*loc, key), lines, problems)
            lines[(*loc, key)] = key_node.start_mark.line + 1
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            _index_lines(item, (*loc, index), lines, problems)


def _expand(value: Any, loc: Loc, env: Mapping[str, str], problems: _Problems) -> Any:
    if isinstance(value, dict):
        return {k: _expand(v, (*loc, str(k)), env, problems) for k, v in value.items()}
    if isinstance(value, list):
        return [_expand(v, (*loc, i), env, problems) for i, v in enumerate(value)]
    if not isinstance(value, str) or "${" not in value:
        return value

    def substitute(match: re.Match[str]) -> str:
        name, default = match.group(1), match.group(2)
        if name in env and env[name] != "":
            return env[name]
        if default is not None:
            return default
        problems.add(loc, f"environment variable {name} is not set")
        return ""

    return _VAR.sub(substitute, value)


def _resolve_secrets(raw: dict[str, Any], env: Mapping[str, str], problems: _Problems) -> None:
    """Secret keys may only reference the environment. An unset variable there is not an
    error by itself: the platform check reports it when a route actually needs it."""
    for (section, key), var in _SECRET_KEYS.items():
        values = _section(raw, section)
        value = values.get(key)
        if value is None:
            continue
        match = _VAR.fullmatch(value.strip()) if isinstance(value, str) else None
        if match is None:
            problems.add(
                (section, key),
                f"secrets come from the environment: write ${{{var}}} instead of the value",
            )
            values[key] = None
        else:
            values[key] = env.get(match.group(1)) or match.group(2) or None


def _friendly(error: dict[str, Any]) -> str:
    kind = error.get("type", "")
    if kind == "extra_forbidden":
        return "unknown key"
    if kind == "missing":
        return "required key is missing"
    message = str(error.get("msg", "invalid value"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    if kind == "enum" and "ctx" in error:
        message = f"must be one of {error['ctx'].get('expected')}"
    return message


def _secret(value: str | None, var: str, env: Mapping[str, str]) -> str | None:
    return value or env.get(var) or None


def _items(raw: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = raw.get(key)
    if not isinstance(value, list):
        return []
    return [item if isinstance(item, dict) else {} for item in value]


def _section(raw: dict[str, Any], key: str) -> dict[str, Any]:
    value = raw.get(key)
    return value if isinstance(value, dict) else {}


def _names(items: Any) -> list[str]:
    return [str(x) for x in items] if isinstance(items, list) else []


def _is_webhook(route: dict[str, Any]) -> bool:
    """A Discord route may post through a webhook URL instead of a bot user."""
    channel = str(route.get("channel") or "")
    return channel.startswith("https://") and "/webhooks/" in channel


def _check_references(raw: dict[str, Any], problems: _Problems, env: Mapping[str, str]) -> None:
    """Cross-references and platform secrets, checked on the raw data so that they are
    reported together with every other problem."""
    feeds = _items(raw, "feeds")
    feed_names = [str(feed.get("name")) for feed in feeds]
    for index, name in enumerate(feed_names):
        if name in feed_names[:index]:
            problems.add(("feeds", index, "name"), f"duplicate feed name {name!r}")
    tags = {tag for feed in feeds for tag in _names(feed.get("tags"))}
    slack = _section(raw, "slack")
    discord = _section(raw, "discord")
    route_names: list[str] = []
    needed: dict[str, tuple[Loc, str | None]] = {}
    for index, route in enumerate(_items(raw, "routes")):
        name = str(route.get("name"))
        if name in route_names:
            problems.add(("routes", index, "name"), f"duplicate route name {name!r}")
        route_names.append(name)
        for j, feed in enumerate(_names(route.get("feeds"))):
            if feed not in feed_names:
                problems.add(("routes", index, "feeds", j), f"no feed named {feed!r}")
        for j, tag in enumerate(_names(route.get("tags"))):
            if tag not in tags:
                problems.add(("routes", index, "tags", j), f"no feed has the tag {tag!r}")
        loc: Loc = ("routes", index, "platform")
        if route.get("platform") == Platform.SLACK.value:
            needed.setdefault("SLACK_BOT_TOKEN", (loc, slack.get("bot_token")))
            if slack.get("mode") == SlackMode.HTTP.value:
                needed.setdefault("SLACK_SIGNING_SECRET", (loc, slack.get("signing_secret")))
            else:
                needed.setdefault("SLACK_APP_TOKEN", (loc, slack.get("app_token")))
        elif route.get("platform") == Platform.DISCORD.value and not _is_webhook(route):
            needed.setdefault("DISCORD_TOKEN", (loc, discord.get("token")))
    for var, (loc, value) in needed.items():
        if not _secret(value, var, env):
            problems.add(
                loc, f"this platform needs the environment variable {var}, which is not set"
            )


def _yaml_problem(exc: yaml.YAMLError, text: str, path: Path) -> str:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        line = mark.line + 1
    else:  # a reader error only knows its character position
        line = text[: getattr(exc, "position", 0)].count("\n") + 1
    reason = getattr(exc, "problem", None)
    context = getattr(exc, "context", None)
    if isinstance(exc, yaml.reader.ReaderError):
        reason = f"character {exc.character!r} is not allowed in YAML"
    message = f"{context}: {reason}" if context and reason else str(reason or exc)
    return f"{path}:{line}: (yaml): not valid YAML: {' '.join(message.split())}"


def parse_config(text: str, path: Path, env: Mapping[str, str] | None = None) -> Config:
    """Validate configuration text; raise ``ConfigError`` listing every problem."""
    env = os.environ if env is None else env
    lines: dict[Loc, int] = {}
    problems = _Problems(path, lines)
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError([_yaml_problem(exc, text, path)]) from None
    if raw is None:
        raw = {}
    if node is not None:
        duplicates: list[tuple[Loc, str, int]] = []
        _index_lines(node, (), lines, duplicates)
        for loc, message, line in duplicates:
            problems.add(loc, message, line)
    if not isinstance(raw, dict):
        problems.add((), "the file must be a mapping of keys (database, feeds, routes, ...)")
        problems.raise_if_any()
    _resolve_secrets(raw, env, problems)
    expanded = _expand(raw, (), env, problems)
    _check_references(expanded, problems, env)
    try:
        config = Config.model_validate(expanded)
    except ValidationError as exc:
        for error in exc.errors():
            problems.add(tuple(error["loc"]), _friendly(dict(error)))
    problems.raise_if_any()
    return _with_secrets(config, env)


def _with_secrets(config: Config, env: Mapping[str, str]) -> Config:
    slack = config.slack.model_copy(
        update={
            "bot_token": _secret(config.slack.bot_token, "SLACK_BOT_TOKEN", env),
            "app_token": _secret(config.slack.app_token, "SLACK_APP_TOKEN", env),
            "signing_secret": _secret(config.slack.signing_secret, "SLACK_SIGNING_SECRET", env),
        }
    )
    discord = config.discord.model_copy(
        update={"token": _secret(config.discord.token, "DISCORD_TOKEN", env)}
    )
    return config.model_copy(update={"slack": slack, "discord": discord})


def load_config(path: str | os.PathLike[str], env: Mapping[str, str] | None = None) -> Config:
    """Read and validate a configuration file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError([f"{file}:1: (file): no such file"]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError([f"{file}:1: (file): cannot read: {exc}"]) from None
    return parse_config(text, file, env)
