"""``newsbot summarise``: key facts with attribution for files, pages or JSON lines.

    newsbot summarise SOURCE... [--format text|markdown|json] [--facts N] [--no-embeddings]
    newsbot summarise --jsonl IN          (IN may be ``-``; one JSON line out per record)

A SOURCE is a plain-text file, an HTML file, an http(s) URL or ``-`` (stdin).
The ``summariser:`` section of the configuration supplies the defaults when the
configuration file loads; with no file at the default path the built-in
defaults apply.
"""

from __future__ import annotations

import argparse
import asyncio
import email.message
import json
import os
import sys
from collections.abc import Iterator, Sequence
from datetime import datetime
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlparse

from bot.cli.common import EXIT_OK, config_path, load
from bot.config import Ingest
from bot.digest.text import attribution
from bot.errors import ConfigError, ExtractionError, FetchError, NewsbotError
from summariser.types import Fact, Summary

JSONL_CHUNK = 64


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if not 1 <= number <= 50:
        raise argparse.ArgumentTypeError("must be between 1 and 50")
    return number


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> argparse.ArgumentParser:
    parser = sub.add_parser(
        "summarise",
        help="key facts with attribution for files, URLs or JSON lines",
        description="Summarise articles into key facts, each saying who said it. "
        "SOURCE is a plain-text or HTML file, an http(s) URL, or - for stdin.",
    )
    parser.add_argument("sources", nargs="*", metavar="SOURCE", help="file, URL or -")
    parser.add_argument(
        "--jsonl",
        metavar="IN",
        help='read records {"id", "text", "title"?, "url"?, "outlet"?, "published"?} '
        "from IN (- for stdin) and write one JSON summary per line",
    )
    parser.add_argument(
        "--format",
        choices=["text", "markdown", "json"],
        default="text",
        help="output format for SOURCE arguments (default: text)",
    )
    parser.add_argument("--facts", type=_positive, default=None, metavar="N", help="facts each")
    parser.add_argument(
        "--no-embeddings",
        action="store_true",
        help="rank sentences lexically instead of with sentence embeddings (faster, smaller)",
    )
    parser.set_defaults(handler=handle)
    return parser


def handle(args: argparse.Namespace) -> int:
    if bool(args.sources) == bool(args.jsonl):
        raise NewsbotError("give either SOURCE arguments or --jsonl IN (not both, not neither)")
    from summariser import Summariser

    # model-loading progress bars would interleave with the output on a terminal
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    summariser = Summariser(_options(args))
    if args.jsonl:
        _run_jsonl(summariser, args.jsonl, args.facts, sys.stdout)
        return EXIT_OK
    ingest = _ingest(args)
    articles = [_read_source(source, i, ingest) for i, source in enumerate(args.sources, 1)]
    # Text and markdown drop a fact that repeats the headline (an untitled article's lead
    # becomes it), so they ask for one more and show at most --facts.
    facts = summariser.options.facts
    extra = 0 if args.format == "json" else 1
    summaries = list(summariser.summarise_many(articles, facts=facts + extra))
    out = sys.stdout
    if args.format == "json":
        data: Any = [s.to_json() for s in summaries]
        out.write(json.dumps(data[0] if len(data) == 1 else data, ensure_ascii=False, indent=2))
        out.write("\n")
    else:
        render = render_markdown if args.format == "markdown" else render_text
        out.write("\n\n".join(render(s, facts=facts) for s in summaries))
        out.write("\n")
    return EXIT_OK


# ---------------------------------------------------------------- configuration


def _options(args: argparse.Namespace) -> Any:
    from summariser import SummariserOptions

    try:
        section = load(args).summariser
    except ConfigError:
        if args.config is None and not config_path(args).exists():
            section = None  # no configuration at all: built-in defaults
        else:
            raise
    base = (
        SummariserOptions()
        if section is None
        else SummariserOptions(
            facts=section.facts,
            embeddings=section.embeddings,
            spacy_model=section.spacy_model,
            gist_model=section.gist_model,
            max_chars=section.max_chars,
        )
    )
    return SummariserOptions(
        facts=args.facts or base.facts,
        embeddings=base.embeddings and not args.no_embeddings,
        spacy_model=base.spacy_model,
        gist_model=base.gist_model,
        max_chars=base.max_chars,
    )


def _ingest(args: argparse.Namespace) -> Ingest:
    """The ``ingest:`` section (fetch limits, ``allow_hosts``) for URL sources."""
    try:
        return load(args).ingest
    except ConfigError:
        if args.config is None and not config_path(args).exists():
            return Ingest()  # no configuration at all: built-in defaults
        raise


# ---------------------------------------------------------------- sources


def _read_source(source: str, number: int, ingest: Ingest | None = None) -> Any:
    from summariser import Article

    if source == "-":
        return Article(id=str(number), text=_require_text(sys.stdin.read(), "stdin"))
    if urlparse(source).scheme in {"http", "https"}:
        html, final_url = fetch(source, ingest)
        return _from_html(html, str(number), final_url, source)
    path = Path(source)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FetchError(f"cannot read {source}: {exc.strerror or exc}") from exc
    text = raw.decode("utf-8", errors="replace")
    if _looks_like_html(text):
        return _from_html(text, str(number), None, source)
    return Article(id=str(number), text=_require_text(text, source))


def _looks_like_html(text: str) -> bool:
    head = text[:4096].lstrip().lower()
    return head.startswith(("<!doctype html", "<html", "<?xml")) or any(
        tag in head for tag in ("<body", "<article", "<head>", "<p>")
    )


def fetch(url: str, ingest: Ingest | None = None) -> tuple[str, str]:
    """The page at ``url`` and the final URL, through ingestion's guarded fetcher.

    The same limits as polling apply (``ingest:`` settings): private and loopback
    addresses are refused unless allowed, bodies and time are bounded.
    """
    return asyncio.run(_fetch(url, ingest or Ingest()))


async def _fetch(url: str, ingest: Ingest) -> tuple[str, str]:
    from bot.ingest.http import PAGE_ACCEPT, Fetcher, HTTPStatusError, make_client

    async with make_client(ingest) as client:
        try:
            response = await Fetcher(client, ingest).get(url, accept=PAGE_ACCEPT)
        except HTTPStatusError as exc:
            raise FetchError(f"{url}: HTTP {exc.status}") from None
    charset = email.message.Message()
    charset["Content-Type"] = response.content_type or "text/html"
    encoding = charset.get_content_charset() or "utf-8"
    try:
        return response.body.decode(encoding, errors="replace"), response.url
    except LookupError:  # a charset Python does not know
        return response.body.decode("utf-8", errors="replace"), response.url


def _from_html(html: str, id_: str, url: str | None, source: str) -> Any:
    import trafilatura

    from summariser import Article

    extracted = trafilatura.extract(
        html, url=url, output_format="json", with_metadata=True, include_comments=False
    )
    if not extracted:
        raise ExtractionError(f"no article text found in {source}")
    data = json.loads(extracted)
    text = _require_text(data.get("text") or "", source)
    outlet = data.get("sitename") or (urlparse(url).hostname if url else None)
    return Article(id=id_, text=text, title=data.get("title") or None, url=url, outlet=outlet)


def _require_text(text: str, source: str) -> str:
    if not text.strip():
        raise ExtractionError(f"no text in {source}")
    return text


# ---------------------------------------------------------------- --jsonl


def _records(path: str) -> Iterator[str]:
    if path == "-":
        yield from sys.stdin
        return
    try:
        with open(path, encoding="utf-8") as handle:
            yield from handle
    except OSError as exc:
        raise FetchError(f"cannot read {path}: {exc.strerror or exc}") from exc


def _article(line: str) -> tuple[str | None, Any, str | None]:
    """(id, article, None) or (id, None, error) for one input line."""
    from summariser import Article

    try:
        record = json.loads(line)
    except json.JSONDecodeError as exc:
        return None, None, f"not JSON: {exc.msg} at column {exc.colno}"
    if not isinstance(record, dict):
        return None, None, "a record must be a JSON object"
    raw_id = record.get("id")
    id_ = None if raw_id is None else str(raw_id)
    if id_ is None:
        return None, None, "missing 'id'"
    text = record.get("text")
    if not isinstance(text, str) or not text.strip():
        return id_, None, "missing or empty 'text'"
    for key in ("title", "url", "outlet", "published"):
        if record.get(key) is not None and not isinstance(record[key], str):
            return id_, None, f"'{key}' must be a string"
    published = None
    if record.get("published"):
        try:
            published = datetime.fromisoformat(record["published"].replace("Z", "+00:00"))
        except ValueError:
            return id_, None, f"'published' is not an ISO 8601 date: {record['published']!r}"
    article = Article(
        id=id_,
        text=text,
        title=record.get("title") or None,
        url=record.get("url") or None,
        outlet=record.get("outlet") or None,
        published=published,
    )
    return id_, article, None


def _run_jsonl(summariser: Any, path: str, facts: int | None, out: IO[str]) -> None:
    chunk: list[tuple[str | None, Any, str | None]] = []

    def flush() -> None:
        good = [a for _, a, _ in chunk if a is not None]
        summaries = iter(summariser.summarise_many(good, facts=facts)) if good else iter(())
        for id_, article, error in chunk:
            if article is None:
                out.write(json.dumps({"id": id_, "error": error}, ensure_ascii=False) + "\n")
            else:
                out.write(json.dumps(next(summaries).to_json(), ensure_ascii=False) + "\n")
        out.flush()
        chunk.clear()

    for line in _records(path):
        if not line.strip():
            continue
        chunk.append(_article(line))
        if len(chunk) >= JSONL_CHUNK:
            flush()
    flush()


# ---------------------------------------------------------------- rendering


def _body(summary: Summary, facts: int | None) -> list[Fact]:
    """The facts, less one that merely repeats the headline (when the lead became it)."""
    body = [f for f in summary.facts if f.text != summary.title] or list(summary.facts)
    return body[:facts] if facts is not None else body


def render_text(summary: Summary, *, facts: int | None = None) -> str:
    lines = [summary.title or "(untitled)"]
    if summary.outlet:
        lines.append(summary.outlet)
    if summary.gist:
        lines.append(f"In short: {summary.gist}")
    lines.append("")
    if not summary.facts:
        lines.append("(no facts found)")
    for fact in _body(summary, facts):
        credit = attribution(fact, (summary.outlet,) if summary.outlet else ())
        lines.append(f"• {fact.text}" + (f" — {credit}" if credit else ""))
    return "\n".join(lines)


def render_markdown(summary: Summary, *, facts: int | None = None) -> str:
    lines = [f"## {summary.title or '(untitled)'}"]
    if summary.outlet:
        source = f"[{summary.outlet}]({summary.url})" if summary.url else summary.outlet
        lines.append(f"*{source}*")
    elif summary.url:
        lines.append(f"<{summary.url}>")
    if summary.gist:
        lines.append(f"> {summary.gist}")
    lines.append("")
    if not summary.facts:
        lines.append("*(no facts found)*")
    for fact in _body(summary, facts):
        credit = attribution(fact, (summary.outlet,) if summary.outlet else ())
        if credit and fact.speaker is not None:
            name, _, role = credit.partition(", ")
            credit = f"**{name}**" + (f", {role}" if role else "")
        lines.append(f"- {fact.text}" + (f" — {credit}" if credit else ""))
    return "\n".join(lines)


__all__: Sequence[str] = ["fetch", "handle", "register", "render_markdown", "render_text"]
