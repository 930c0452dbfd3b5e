"""Ingestion: fetch feeds politely, parse them, extract full text, store new articles once.

``make_client`` builds the one shared HTTP client, ``poll`` runs one pass
over the (due) feeds, ``passes`` applies feed or route filters.
"""

from bot.ingest.filters import passes
from bot.ingest.http import make_client
from bot.ingest.poll import FeedResult, PollReport, Status, poll

__all__ = ["FeedResult", "PollReport", "Status", "make_client", "passes", "poll"]
