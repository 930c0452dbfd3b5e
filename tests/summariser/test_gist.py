"""The gist model is built from a tiny config inside the test: nothing is downloaded."""

from __future__ import annotations

from pathlib import Path

import pytest

from summariser.gist import Gister, is_faithful

ARTICLE = "The council approved 4,000 new homes in Redfield on Tuesday, leader Amira Khan said."


def test_guard_accepts_numbers_and_names_from_the_article() -> None:
    assert is_faithful("Redfield gets 4000 new homes, Khan said.", ARTICLE)
    assert is_faithful("The council approved new homes.", ARTICLE)


def test_guard_drops_invented_numbers_and_names() -> None:
    assert not is_faithful("The council approved 5,000 new homes.", ARTICLE)
    assert not is_faithful("Mayor Johnson approved the homes.", ARTICLE)


@pytest.fixture(scope="module")
def tiny_model(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from tokenizers import Tokenizer, models, pre_tokenizers
    from transformers import BartConfig, BartForConditionalGeneration, PreTrainedTokenizerFast

    words = sorted({w.strip(".,").lower() for w in ARTICLE.split()} | {"homes", "approved"})
    vocab = {"<pad>": 0, "<s>": 1, "</s>": 2, "<unk>": 3}
    for w in words:
        vocab.setdefault(w, len(vocab))
    backend = Tokenizer(models.WordLevel(vocab=vocab, unk_token="<unk>"))
    backend.pre_tokenizer = pre_tokenizers.Whitespace()
    tokenizer = PreTrainedTokenizerFast(
        tokenizer_object=backend,
        bos_token="<s>",
        eos_token="</s>",
        pad_token="<pad>",
        unk_token="<unk>",
    )
    config = BartConfig(
        vocab_size=len(vocab),
        d_model=16,
        encoder_layers=1,
        decoder_layers=1,
        encoder_attention_heads=2,
        decoder_attention_heads=2,
        encoder_ffn_dim=32,
        decoder_ffn_dim=32,
        max_position_embeddings=128,
        pad_token_id=0,
        bos_token_id=1,
        eos_token_id=2,
        decoder_start_token_id=2,
        forced_eos_token_id=2,
    )
    path = tmp_path_factory.mktemp("tiny-bart")
    BartForConditionalGeneration(config).save_pretrained(path)
    tokenizer.save_pretrained(path)
    return path


def test_tiny_model_generates_a_guarded_gist(tiny_model: Path) -> None:
    gister = Gister(str(tiny_model), max_new_tokens=8)
    raw = gister.generate(ARTICLE)
    assert isinstance(raw, str)
    gist = gister.gist(ARTICLE)
    assert gist is None or is_faithful(gist, ARTICLE)


def test_summariser_carries_the_gist(tiny_model: Path) -> None:
    from summariser import Article, Summariser, SummariserOptions

    summariser = Summariser(SummariserOptions(embeddings=False, gist_model=str(tiny_model)))
    summary = summariser.summarise(Article(id="g", text=ARTICLE))
    assert summary.gist is None or is_faithful(summary.gist, ARTICLE)
    assert ("gist" in summary.to_json()) == (summary.gist is not None)
