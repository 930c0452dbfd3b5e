"""The config loader reports every problem at once, one FILE:LINE: key: message line each."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from bot.cli import main
from bot.config import FullText, Platform, load_config, parse_config
from bot.errors import ConfigError

ROOT = Path(__file__).resolve().parents[2]

GOOD = """\
database: sqlite+aiosqlite:///data/test.db
feeds:
  - name: Harbour Gazette
    url: https://gazette.example.org/rss
    interval: 1h30m
    full_text: true
    tags: [local]
routes:
  - name: morning
    platform: console
    channel: 42
    tags: [local]
    schedule: "0 7 * * 1-5"
    timezone: Europe/Lisbon
"""


def problems(text: str, env: dict[str, str] | None = None) -> list[str]:
    with pytest.raises(ConfigError) as caught:
        parse_config(text, Path("cfg.yaml"), env or {})
    return caught.value.problems


def test_good_config_parses_units_and_ids() -> None:
    config = parse_config(GOOD, Path("cfg.yaml"), {})
    feed = config.feeds[0]
    assert feed.interval == timedelta(hours=1, minutes=30)
    assert feed.full_text is FullText.ALWAYS
    route = config.routes[0]
    assert route.platform is Platform.CONSOLE
    assert route.channel == "42"
    assert config.feeds_for(route) == [feed]


def test_every_problem_is_reported_with_its_line() -> None:
    text = """\
feeds:
  - name: a
    url: ftp://nope
    interval: soon
    colour: red
routes:
  - name: r
    platform: console
    schedule: "61 * * * *"
    timezone: Mars/Olympus
    feeds: [a, missing]
  - name: r
    platform: pager
"""
    assert problems(text) == [
        "cfg.yaml:3: feeds.0.url: not an http(s) URL: 'ftp://nope'",
        "cfg.yaml:4: feeds.0.interval: not a duration: 'soon' (use e.g. 30s, 10m, 1h30m, 2d)",
        "cfg.yaml:5: feeds.0.colour: unknown key",
        "cfg.yaml:9: routes.0.schedule: bad cron '61 * * * *': Error validating expression "
        "'61': the last value (61) is higher than the maximum value (59)",
        "cfg.yaml:10: routes.0.timezone: unknown timezone: 'Mars/Olympus'",
        "cfg.yaml:11: routes.0.feeds.1: no feed named 'missing'",
        "cfg.yaml:12: routes.1.name: duplicate route name 'r'",
        "cfg.yaml:13: routes.1.platform: must be one of 'slack', 'discord' or 'console'",
    ]


def test_cron_needs_five_fields() -> None:
    text = 'routes:\n  - name: r\n    platform: console\n    schedule: "0 8 * *"\n'
    assert problems(text) == [
        "cfg.yaml:4: routes.0.schedule: cron needs 5 fields (minute hour day month weekday), "
        "got 4: '0 8 * *'"
    ]


def test_environment_variables_expand_and_missing_ones_are_named() -> None:
    text = "database: ${DB_URL}\nroutes:\n  - name: r\n    platform: console\n    channel: ${CH}\n"
    assert problems(text, {"DB_URL": "sqlite:///x.db"}) == [
        "cfg.yaml:5: routes.0.channel: environment variable CH is not set"
    ]
    config = parse_config(text, Path("cfg.yaml"), {"DB_URL": "sqlite:///x.db", "CH": "ops"})
    assert (config.database, config.routes[0].channel) == ("sqlite:///x.db", "ops")
    with_default = "database: ${DB_URL:-sqlite:///fallback.db}\n"
    assert parse_config(with_default, Path("c.yaml"), {}).database == "sqlite:///fallback.db"


def test_platform_secrets_come_from_the_environment() -> None:
    text = "routes:\n  - name: r\n    platform: slack\n    channel: C1\n"
    assert problems(text) == [
        "cfg.yaml:3: routes.0.platform: this platform needs the environment variable "
        "SLACK_BOT_TOKEN, which is not set",
        "cfg.yaml:3: routes.0.platform: this platform needs the environment variable "
        "SLACK_APP_TOKEN, which is not set",
    ]
    http = text + "slack:\n  mode: http\n"
    assert problems(http, {"SLACK_BOT_TOKEN": "xoxb-1"})[0].endswith(
        "needs the environment variable SLACK_SIGNING_SECRET, which is not set"
    )
    config = parse_config(
        text, Path("c.yaml"), {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1"}
    )
    assert (config.slack.bot_token, config.slack.app_token) == ("xoxb-1", "xapp-1")
    literal = "discord:\n  token: abc.def.ghi\n"
    assert problems(literal) == [
        "cfg.yaml:2: discord.token: secrets come from the environment: "
        "write ${DISCORD_TOKEN} instead of the value"
    ]


def test_yaml_syntax_error_names_its_line() -> None:
    text = "feeds:\n  - name: a\n   url: https://x.example/rss\n"
    (only,) = problems(text)
    assert only.startswith("cfg.yaml:3: (yaml): not valid YAML:")


def test_duplicate_keys_and_non_mapping_files() -> None:
    assert problems("timezone: UTC\ntimezone: UTC\n") == ["cfg.yaml:2: timezone: duplicate key"]
    assert problems("- just\n- a list\n") == [
        "cfg.yaml:1: (top): the file must be a mapping of keys (database, feeds, routes, ...)"
    ]


def test_shipped_configs_are_valid(monkeypatch: pytest.MonkeyPatch) -> None:
    assert load_config(ROOT / "config/newsbot.yaml", env={}).routes[0].platform is Platform.CONSOLE
    env = {"SLACK_BOT_TOKEN": "xoxb-1", "SLACK_APP_TOKEN": "xapp-1", "DISCORD_TOKEN": "d"}
    example = load_config(ROOT / "config/example.yaml", env=env)
    assert {r.platform for r in example.routes} == set(Platform)


def test_check_config_command_exit_codes(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    good = tmp_path / "good.yaml"
    good.write_text(GOOD)
    assert main(["check-config", str(good)]) == 0
    assert "ok (1 feeds, 1 routes" in capsys.readouterr().out

    bad = tmp_path / "bad.yaml"
    bad.write_text("feeds:\n  - name: a\n    url: not a url\n    extra: 1\n")
    assert main(["check-config", str(bad)]) == 2
    err = capsys.readouterr().err.splitlines()
    assert err == [
        f"{bad}:3: feeds.0.url: not an http(s) URL: 'not a url'",
        f"{bad}:4: feeds.0.extra: unknown key",
    ]
    assert main(["check-config", str(tmp_path / "absent.yaml")]) == 2
    assert "no such file" in capsys.readouterr().err


def test_discord_webhook_routes_need_no_bot_token() -> None:
    hook = "https://discord.com/api/webhooks/123/abc-DEF"
    text = "routes:\n  - name: r\n    platform: discord\n    channel: ${HOOK}\n"
    config = parse_config(text, Path("c.yaml"), {"HOOK": hook})
    assert config.routes[0].channel == hook
    assert config.discord.token is None
    bot_route = "routes:\n  - name: r\n    platform: discord\n    channel: '42'\n"
    assert problems(bot_route)[0].endswith("DISCORD_TOKEN, which is not set")


def test_routes_take_the_files_timezone_unless_they_name_one() -> None:
    text = (
        "timezone: Europe/London\nroutes:\n"
        "  - name: a\n    platform: console\n"
        "  - name: b\n    platform: console\n    timezone: Asia/Tokyo\n"
    )
    config = parse_config(text, Path("c.yaml"), {})
    assert [r.timezone for r in config.routes] == ["Europe/London", "Asia/Tokyo"]
    bad = "timezone: Moon/Base\nroutes:\n  - name: a\n    platform: console\n"
    assert problems(bad) == ["cfg.yaml:1: timezone: unknown timezone: 'Moon/Base'"]
