"""Keywords of one or two characters in a cache too large to keep its texts (#18: a million threads).

They are answered from the byte and character grams kept in the file (``short_grams.py``), read
in list order by runs of keys (``key_runs.py``). The answers must be exactly those of the server
(the sandbox's store) and of a plain substring test over the cache's own texts, after writes too:
a changed text, a thread moved to the top, a new thread, a deleted one, and writes made while the
grams were half built. Small chunks of keys, so a 900-thread cache spans many of them.
"""

from __future__ import annotations

import random
import sqlite3
from array import array
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from noxtui.domain.models import ThreadQuery, ThreadSummary
from noxtui.sandbox import Store, seed_workspace
from noxtui.sandbox.nox.thread_filters import ThreadFilters
from noxtui.storage.cache import CacheScope, ThreadCache, key_runs, list_order, search_index, short_grams

NOW = datetime(2026, 11, 20, 9, 0, tzinfo=timezone.utc)
SCOPE = CacheScope("nox", "short@http://127.0.0.1/v1")
THREADS = 900
CHUNK = 64


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    seeded = Store(tmp_path_factory.mktemp("short") / "sandbox.sqlite3")
    seed_workspace(seeded, threads=THREADS, seed=11, now=NOW)
    try:
        yield seeded
    finally:
        seeded.close()


def listed(store: Store, filters: ThreadFilters) -> list[dict[str, object]]:
    found, total = store.list_threads(filters, page=1, page_size=THREADS + 1)
    assert len(found) == total
    return found


def summaries(store: Store) -> list[ThreadSummary]:
    return [ThreadSummary.model_validate(item) for item in listed(store, ThreadFilters())]


@pytest.fixture
def large(monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache behaves as a large one: texts stay in the file, grams in chunks of ``CHUNK`` keys,
    a gram in more than 8 rows of a chunk stored as one byte per row (rarer ones list their rows)."""
    monkeypatch.setattr(list_order, "TEXTS_IN_MEMORY", 10)
    monkeypatch.setattr(short_grams, "CHUNK_KEYS", CHUNK)
    monkeypatch.setattr(short_grams, "SPARSE_MOST", 8)


@pytest.fixture
def cache_path(store: Store, tmp_path: Path) -> Path:
    path = tmp_path / "threads.sqlite3"
    filled = ThreadCache(path)
    everything = summaries(store)
    for start in range(0, len(everything), 100):
        filled.upsert_summaries(SCOPE, everything[start : start + 100])
    filled.close()
    return path


@pytest.fixture
def cache(cache_path: Path, large: None) -> Iterator[ThreadCache]:
    opened = ThreadCache(cache_path)
    try:
        yield opened
    finally:
        opened.close()


def short_keywords(texts: list[str]) -> list[str]:
    """Every character the texts hold, a sample of their adjacent pairs (ASCII and wider) and
    triples, a few that match nothing, and upper case (folded like the server)."""
    chars = sorted(set("".join(texts)) - {"\x1f"})
    pairs = sorted({text[i : i + 2] for text in texts for i in range(len(text) - 1)} - {""})
    wide_pairs = [pair for pair in pairs if not pair.isascii() and "\x1f" not in pair]
    sample = random.Random(5).sample([pair for pair in pairs if "\x1f" not in pair], 60)
    triples = sorted({text[i : i + 3] for text in texts for i in range(len(text) - 2)} - {""})
    triples = random.Random(6).sample([triple for triple in triples if "\x1f" not in triple], 40)
    return [*chars, *sample, *wide_pairs[:40], *triples, "MA", "Zq", "qz", "é", "’", "コラ", "a’", "col", "zzq"]


def search_texts(path: Path) -> dict[str, str]:
    """thread id -> the cache's own search text, read from the file with a connection of our own."""
    with sqlite3.connect(path) as conn:
        return dict(conn.execute("SELECT thread_id, search FROM threads").fetchall())


def assert_like_a_scan(cache: ThreadCache, path: Path, keywords: list[str]) -> None:
    texts = search_texts(path)
    order = cache.thread_ids(SCOPE)
    needs = set(cache.thread_ids(SCOPE, ThreadQuery(needs_reply=True)))
    for keyword in keywords:
        folded = keyword.strip().lower()
        expected = [tid for tid in order if folded in texts[tid]]
        assert cache.thread_ids(SCOPE, ThreadQuery(keyword=keyword)) == expected, keyword
        assert cache.count(SCOPE, ThreadQuery(keyword=keyword)) == len(expected), keyword
        both = ThreadQuery(keyword=keyword, needs_reply=True)
        assert cache.thread_ids(SCOPE, both) == [tid for tid in expected if tid in needs], keyword


def test_short_keywords_answer_like_the_server(cache: ThreadCache, store: Store) -> None:
    assert cache.build_search_index(step=3 * CHUNK)
    assert cache.search_index_ready()
    texts = list(search_texts(cache.path).values())
    for keyword in short_keywords(texts):
        filters = ThreadFilters(keyword=keyword.strip() or None)  # the server trims before the store
        expected = [str(item["thread_id"]) for item in listed(store, filters)]
        assert cache.thread_ids(SCOPE, ThreadQuery(keyword=keyword)) == expected, keyword


def test_short_keywords_follow_every_kind_of_write(cache: ThreadCache, store: Store) -> None:
    assert cache.build_search_index(step=3 * CHUNK)
    everything = summaries(store)
    cache.rows(SCOPE, ThreadQuery(keyword="q"))  # an order and its runs exist before the writes
    changed = everything[40].model_copy(update={"subject": "Ωmega quiz — ɐ new😀x", "updated_at": NOW})
    moved = everything[700].model_copy(
        update={"snippet": "zx reply", "last_message_at": NOW + timedelta(hours=1), "updated_at": NOW}
    )
    added = everything[3].model_copy(
        update={"thread_id": "th_short_new", "subject": "ƒresh コラボ", "updated_at": NOW + timedelta(minutes=1)}
    )
    cache.upsert_summaries(SCOPE, [changed, moved])
    cache.upsert_summaries(SCOPE, [added])
    cache.remove(SCOPE, [everything[10].thread_id])
    many = [item.model_copy(update={"snippet": "jj bulk", "updated_at": NOW}) for item in everything[100:160]]
    cache.upsert_summaries(SCOPE, many)  # more than a write updates in place: the order is read again
    texts = list(search_texts(cache.path).values())
    written = ["Ω", "ɐ", "zx", "jj", "ƒ", "コ", "jj "]
    emoji = ["😀", "w😀", "😀x", "ew😀"]  # four bytes: its own gram; with one more, triples to test
    assert_like_a_scan(cache, cache.path, [*short_keywords(texts), *written, *emoji])


def test_writes_made_while_the_grams_are_half_built(cache: ThreadCache, store: Store) -> None:
    """A write to a row already filed, to one of the chunk being gathered (through another
    connection: the gathered text is stale, the chunk must be gathered again), and to one not
    reached yet."""
    with sqlite3.connect(cache.path, isolation_level=None) as conn:  # our own connection, a step at a time
        while not search_index.trigrams_complete(conn):
            search_index.build_step(conn, 400)
        search_index.build_step(conn, 3 * CHUNK)  # the grams' table is made
        while not conn.execute(f"SELECT count(*) FROM {short_grams.TABLE}").fetchone()[0]:
            search_index.build_step(conn, 3 * CHUNK)  # until the first chunk is filed
        search_index.build_step(conn, 3 * CHUNK)  # the second chunk: keys 64-111 gathered
        assert not short_grams.complete(conn)
        everything = summaries(store)  # filled in list order: everything[i] has key i + 1
        early = everything[0].model_copy(update={"subject": "xq early", "updated_at": NOW})
        gathered = everything[69].model_copy(update={"subject": "xq gathered", "updated_at": NOW})
        late = everything[-1].model_copy(update={"subject": "xq late", "updated_at": NOW})
        cache.upsert_summaries(SCOPE, [early, gathered, late])
        while not search_index.build_step(conn, 3 * CHUNK):
            pass
    assert cache.search_index_ready()
    texts = list(search_texts(cache.path).values())
    assert_like_a_scan(cache, cache.path, ["xq", "x", "q", "xq g", *short_keywords(texts)[:40]])


def test_grams_of_another_chunk_size_are_built_again(
    cache: ThreadCache, store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert cache.build_search_index(step=3 * CHUNK)
    monkeypatch.setattr(short_grams, "CHUNK_KEYS", CHUNK * 2)
    assert not cache.search_index_ready()
    assert cache.build_search_index()
    texts = list(search_texts(cache.path).values())
    assert_like_a_scan(cache, cache.path, short_keywords(texts)[:30])


@pytest.mark.parametrize(
    "keys",
    [
        [],
        [7],
        list(range(1, 500)),
        [*range(300, 400), *range(0, 100), 250, 251, 999, *range(100, 200)],
        list(range(400, 0, -1)),
        random.Random(3).sample(range(2_000), 600),
    ],
    ids=["empty", "one", "one run", "runs", "descending", "shuffled"],
)
def test_key_runs_read_like_key_by_key(keys: list[int]) -> None:
    by_key = bytes(random.Random(len(keys)).choice((0, 1)) for _ in range(1_500))  # shorter than some keys
    padded = by_key + bytes(2_000)
    runs = key_runs.KeyRuns(array("q", keys))
    assert runs.gather(by_key) == bytes(padded[key] for key in keys)


LONGER = ["collab", "rate c", "rate card", "maya", "tiktok", "café", "コラボ", "’s c", 'y "hi', '"hi" n', "zzqx"]


@pytest.mark.parametrize("way", ["triples", "phrase keys", "texts of the previous matches"])
def test_longer_keywords_answer_alike_every_way(
    cache: ThreadCache, store: Store, monkeypatch: pytest.MonkeyPatch, way: str
) -> None:
    """Keywords of 4+ bytes, typed one character at a time, whichever way the cache answers them:
    the grams' triples less the rows holding them apart, the phrase query's keys, or the texts of
    the previous keystroke's matches (the way is picked by how many rows can still match)."""
    monkeypatch.setattr(search_index, "SCAN_WITHIN_MOST", 10**9 if way.startswith("texts") else 0)
    monkeypatch.setattr(search_index, "PHRASE_KEYS_MOST", 10**9 if way == "phrase keys" else 0)
    subject = 'They say "hi" now ’s cool, cafè afé'  # café's byte triples, apart
    said = summaries(store)[20].model_copy(update={"subject": subject, "updated_at": NOW})
    cache.upsert_summaries(SCOPE, [said])
    assert cache.build_search_index(step=3 * CHUNK)
    texts = list(search_texts(cache.path).values())
    apart = [
        word
        for word in ("rate", "coll", "ate c", "e co", "ion t")
        if any(all(word[i : i + 3] in text for i in range(len(word) - 2)) and word not in text for text in texts)
    ]
    assert apart, "no keyword whose triples some text holds apart: the subtraction is not exercised"
    for word in [*LONGER, *apart]:
        assert_like_a_scan(cache, cache.path, [word[:n] for n in range(1, len(word) + 1)])
