"""The ``newsbot`` command line: one module per subcommand, each with ``register``.

Expected failures (every ``NewsbotError``) become a one-line message on
stderr and a non-zero exit; nothing else is caught, so real bugs still show
their traceback.
"""

from __future__ import annotations

import argparse
import logging
import sys
from collections.abc import Sequence

from bot.cli import (
    check_config,
    cluster,
    digest,
    feeds,
    import_opml,
    poll,
    run,
    search,
    summarise,
)
from bot.cli.common import EXIT_CONFIG, EXIT_ERROR, add_common_options, setup_logging
from bot.errors import ConfigError, NewsbotError

COMMANDS = (run, summarise, poll, feeds, digest, search, cluster, check_config, import_opml)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="newsbot",
        description="Turn news feeds into key facts with attribution, for Slack and Discord.",
    )
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in COMMANDS:
        command = module.register(sub)
        add_common_options(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    setup_logging(args.log_level, args.log_format)
    try:
        code: int = args.handler(args)
    except ConfigError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
        return EXIT_CONFIG
    except NewsbotError as exc:
        print(f"newsbot: {exc}", file=sys.stderr)
        return EXIT_ERROR
    except KeyboardInterrupt:
        return 130
    finally:
        # flush only: closing every handler (logging.shutdown) would also close
        # streams other libraries' handlers hold, and the interpreter does that at exit
        for handler in logging.getLogger().handlers:
            handler.flush()
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
