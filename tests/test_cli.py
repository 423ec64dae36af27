"""The inspection verbs, as a user calls them (no Prefect: the warehouse is built by the library)."""
from __future__ import annotations

import pytest

from newsfacts import cli, pipeline
from newsfacts.resources import sample_corpus
from newsfacts.settings import Settings


@pytest.fixture(scope="module")
def warehouse(tmp_path_factory):
    wh = tmp_path_factory.mktemp("wh")
    pipeline.run(Settings.from_env({}, warehouse=wh, workers=1, data_docs=False), [sample_corpus()])
    return wh


def test_extract_prints_each_fact_in_its_sentence(capsys):
    code = cli.main(["extract", str(sample_corpus() / "planted-error.txt")])
    out = capsys.readouterr().out
    assert code == 0
    assert "【4个】志愿服务队" in out  # the span highlighted in its sentence
    assert "counted=志愿服务队" in out and "place=下坪村" in out


def test_extract_json_is_one_object_per_fact(capsys):
    import json

    cli.main(["extract", str(sample_corpus() / "planted-error.txt"), "--json"])
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines() if line.strip()]
    assert rows and all({"surface", "value", "unit", "kind", "source_start"} <= r.keys() for r in rows)


def test_extract_of_an_unreadable_file_names_it(tmp_path, capsys):
    bad = tmp_path / "empty.txt"
    bad.write_bytes(b"")
    assert cli.main(["extract", str(bad)]) == 2
    assert "empty.txt" in capsys.readouterr().err


def test_checks_groups_failures_by_article_with_sentences(warehouse, capsys):
    assert cli.main(["checks", "--warehouse", str(warehouse)]) == 0
    out = capsys.readouterr().out
    assert "== 平江县下坪村" in out
    assert "title_body" in out and "list_count" in out
    assert "【3倍】" in out and "【2倍】" in out


def test_snapshots_lists_the_latest(warehouse, capsys):
    assert cli.main(["snapshots", "--warehouse", str(warehouse)]) == 0
    assert capsys.readouterr().out.startswith("* ")


def test_a_missing_warehouse_is_one_clear_line(tmp_path, capsys):
    assert cli.main(["checks", "--warehouse", str(tmp_path / "nowhere")]) == 2
    err = capsys.readouterr().err
    assert "nowhere" in err and "Traceback" not in err
