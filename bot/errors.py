"""The errors newsbot raises.

Library code raises these; only the CLI turns them into an exit code and a
one-line message. The tree::

    NewsbotError
    ├── ConfigError          the YAML file is missing, malformed or invalid
    ├── StoreError           the database cannot be opened or upgraded
    ├── FetchError           a feed or page could not be fetched
    │   └── BlockedURLError  a URL points somewhere newsbot may not go
    ├── FeedError            a feed was fetched but could not be parsed
    ├── ExtractionError      no article text could be extracted from a page
    ├── DeliveryError        a platform refused or failed a post
    └── CommandError         a /news command could not be understood
"""

from __future__ import annotations


class NewsbotError(Exception):
    """Root of every error newsbot raises on purpose."""


class ConfigError(NewsbotError):
    """The configuration is invalid; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(self.problems))


class StoreError(NewsbotError):
    """The database cannot be opened, read or upgraded."""


class FetchError(NewsbotError):
    """A feed or page could not be fetched."""


class BlockedURLError(FetchError):
    """A URL resolves to an address newsbot is not allowed to fetch."""


class FeedError(NewsbotError):
    """A feed document could not be parsed."""


class ExtractionError(NewsbotError):
    """No article text could be extracted from a page."""


class DeliveryError(NewsbotError):
    """A platform refused or failed to accept a post."""


class CommandError(NewsbotError):
    """A /news command could not be understood or carried out."""
