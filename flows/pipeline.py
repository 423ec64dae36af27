"""The newsfacts pipeline as one Prefect 3 flow.

Each task is one call of a package function; the run loop itself is ``newsfacts.pipeline.run``,
which calls these tasks in place of the plain stage functions. Tasks take batches of files or
articles, never one article or one fact.

    discover -> per batch: read -> split -> extract -> load -> checks -> publish
"""
from __future__ import annotations

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact

from newsfacts import pipeline as nf
from newsfacts.resources import sample_corpus
from newsfacts.settings import Settings


@task(name="discover-and-read", retries=2, retry_delay_seconds=1)  # file I/O: transient errors retry
def read_batch(paths, known, settings):
    return nf.read_files(paths, known, settings)


@task(name="split-articles")
def split_batch(documents):
    return nf.split(documents)


@task(name="extract-facts")
def extract_batch(items, workers):
    return nf.extract(items, workers)


@task(name="load-duckdb")
def load_batch(settings, run_id, files, extraction, quarantined):
    return nf.load(settings, run_id, files, extraction, quarantined)


@task(name="run-checks")
def run_checks(settings, run_id):
    return nf.check(settings, run_id)


@task(name="publish-snapshot", retries=1, retry_delay_seconds=1)
def publish_snapshot(settings, run_id, stats):
    return nf.publish(settings, run_id, stats)


def summarise(markdown: str) -> None:
    create_markdown_artifact(markdown=markdown, key="newsfacts-run-summary",
                             description="newsfacts run summary")


TASKS = nf.Stages(read=read_batch, split=split_batch, extract=extract_batch, load=load_batch,
                  check=run_checks, publish=publish_snapshot, summarise=summarise)


@flow(name="newsfacts", log_prints=False)
def newsfacts_flow(inputs: list[str] | None = None, warehouse_dir: str | None = None,
                   settings: Settings | None = None) -> dict:
    """Read the inputs, extract and load their facts, check them, publish a snapshot."""
    settings = settings or Settings.from_env(warehouse=warehouse_dir)
    return nf.run(settings, inputs or [str(sample_corpus())], TASKS)
