"""The embedded store keeps its data where it says, and survives a restart."""

import os
import stat

import pytest
from pymongo import MongoClient

from adapters.embedded_store import EmbeddedStore, EmbeddedStoreError

pytestmark = pytest.mark.skipif(bool(os.environ.get("CS_TEST_MONGODB_URI")), reason="runs SecantusDB itself")


def test_a_relative_data_dir_holds_the_data_and_keeps_it_across_restarts(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with EmbeddedStore("var") as store:
        client: MongoClient = MongoClient(store.uri)
        client.cs.things.insert_one({"_id": 1, "name": "kept"})
        client.close()

    assert any((tmp_path / "var" / "db").iterdir())
    assert stat.S_IMODE((tmp_path / "var" / "db").stat().st_mode) == 0o700
    assert not (tmp_path / "var" / "var").exists()
    assert not (tmp_path / "var" / "embedded.json").exists()
    with EmbeddedStore("var") as store:
        client = MongoClient(store.uri)
        assert client.cs.things.find_one({"_id": 1})["name"] == "kept"
        client.close()


def test_a_server_does_not_share_a_store_another_process_runs_and_says_so(tmp_path):
    with EmbeddedStore(tmp_path / "var") as first:
        shared = EmbeddedStore(tmp_path / "var").start()  # a CLI command shares it
        with pytest.raises(EmbeddedStoreError, match="still in use by another process"):
            EmbeddedStore(tmp_path / "var", share=False, wait_seconds=0.5).start()

    assert shared == first.uri
