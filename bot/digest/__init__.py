"""Digests: per route, the stories since its last post, ranked, ready to render."""

from bot.digest.model import Digest, DigestStory

__all__ = ["Digest", "DigestStory"]
