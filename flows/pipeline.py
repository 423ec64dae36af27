"""The newsfacts pipeline as one Prefect 3 flow.

Each task is one call of a package function; the run loop itself is ``newsfacts.pipeline.run``,
which calls these tasks in place of the plain stage functions. Tasks take batches of files or
articles, never one article or one fact.

    discover -> per batch: read -> extract -> load -> checks -> publish

The task runner comes from the settings (``NEWSFACTS_TASK_RUNNER``): ``local`` runs the tasks in
this process, extraction using every core through a process pool; ``dask`` runs the flow on
prefect-dask's ``DaskTaskRunner`` (the scheduler at ``NEWSFACTS_DASK_ADDRESS``, or a
``LocalCluster``) and submits the extraction of each batch as concurrent tasks, one per chunk of
about a megabyte, so that the cluster's workers do that work. ``run_flow`` picks the runner.

The stages hand the tasks their batches quoted (``prefect.utilities.annotations.quote``) and the
tasks keep no cache: Prefect would otherwise walk and hash every document and fact of a batch,
which takes longer than extracting them.
"""
from __future__ import annotations

import os
from dataclasses import replace

from prefect import flow, task
from prefect.artifacts import create_markdown_artifact
from prefect.cache_policies import NO_CACHE
from prefect.utilities.annotations import quote

from newsfacts import pipeline as nf
from newsfacts.errors import ConfigError
from newsfacts.resources import sample_corpus
from newsfacts.settings import Settings

CHUNK_CHARS = 400_000  # text per extraction task on a Dask cluster: about 1.2 MB of Chinese


@task(name="discover-and-read", retries=2, retry_delay_seconds=1, cache_policy=NO_CACHE)  # file I/O: transient errors retry
def read_batch(paths, known, settings):
    return nf.read_files(paths, known, settings)


@task(name="extract-facts", cache_policy=NO_CACHE)
def extract_batch(documents, workers):
    return nf.extract(documents, workers)


class Chunk:
    """Part of a batch, handed to a task on a Dask cluster as one object that Prefect does not
    walk into (Dask rebuilds ``quote``, a named tuple, as a different tuple)."""

    __slots__ = ("documents",)

    def __init__(self, documents):
        self.documents = documents


@task(name="extract-chunk", cache_policy=NO_CACHE)
def extract_chunk(chunk: Chunk):
    return nf.extract_chunk(chunk.documents)


@task(name="load-duckdb", cache_policy=NO_CACHE)
def load_batch(settings, run_id, files, extraction, quarantined):
    return nf.load(settings, run_id, files, extraction, quarantined)


@task(name="run-checks", cache_policy=NO_CACHE)
def run_checks(settings, run_id):
    return nf.check(settings, run_id)


@task(name="carry-checks", cache_policy=NO_CACHE)
def carry_checks(settings, run_id):
    return nf.carry_checks(settings, run_id)


@task(name="publish-snapshot", retries=1, retry_delay_seconds=1, cache_policy=NO_CACHE)
def publish_snapshot(settings, run_id, stats):
    return nf.publish(settings, run_id, stats)


def summarise(markdown: str) -> None:
    create_markdown_artifact(markdown=markdown, key="newsfacts-run-summary",
                             description="newsfacts run summary")


def quoted(t):
    """A stage that calls task ``t`` with its arguments quoted: passed through, not walked."""
    def stage(*args):
        return t(*map(quote, args))

    stage.__name__ = stage.__qualname__ = t.name
    return stage


def extract_on_cluster(documents, workers):
    """The extract stage on a Dask cluster: the batch in chunks, each an ``extract-chunk`` task
    submitted at once, so that the cluster's workers run them side by side (one process each,
    no pool inside). Each worker hands back Arrow tables."""
    futures = [extract_chunk.submit(Chunk(chunk)) for chunk in nf.chunks(documents, CHUNK_CHARS)]
    return nf.Extracted.concat([future.result() for future in futures])


TASKS = nf.Stages(read=quoted(read_batch), extract=quoted(extract_batch),
                  load=quoted(load_batch), check=quoted(run_checks), carry_checks=quoted(carry_checks),
                  publish=quoted(publish_snapshot),
                  summarise=summarise)
DASK_TASKS = replace(TASKS, extract=extract_on_cluster)


@flow(name="newsfacts", log_prints=False)
def newsfacts_flow(inputs: list[str] | None = None, warehouse_dir: str | None = None,
                   settings: Settings | None = None) -> dict:
    """Read the inputs, extract and load their facts, check them, publish a snapshot."""
    settings = settings or Settings.from_env(warehouse=warehouse_dir)
    stages = DASK_TASKS if settings.task_runner == "dask" else TASKS
    return nf.run(settings, inputs or [str(sample_corpus())], stages)


def task_runner(settings: Settings):
    """The task runner the settings ask for: None (Prefect's default) or a ``DaskTaskRunner``."""
    if settings.task_runner != "dask":
        return None
    try:
        from prefect_dask import DaskTaskRunner
    except ImportError:
        raise ConfigError("NEWSFACTS_TASK_RUNNER=dask needs prefect-dask: "
                          "pip install 'newsfacts[dask]'") from None
    if settings.dask_address:
        return DaskTaskRunner(address=settings.dask_address)
    workers = settings.workers or os.cpu_count() or 1
    return DaskTaskRunner(cluster_class="distributed.LocalCluster",
                          cluster_kwargs={"n_workers": workers, "threads_per_worker": 1,
                                          "processes": True, "dashboard_address": ":0"})


if os.environ.get("NEWSFACTS_TASK_RUNNER") == "dask":
    # a served run (newsfacts serve) loads the flow from this module in a fresh process: the
    # runner the environment asks for is set on the flow here
    newsfacts_flow = newsfacts_flow.with_options(task_runner=task_runner(Settings.from_env()))


def run_flow(inputs: list[str] | None = None, warehouse_dir: str | None = None,
             settings: Settings | None = None) -> dict:
    """Run ``newsfacts_flow`` on the task runner of the settings (``NEWSFACTS_TASK_RUNNER``)."""
    settings = settings or Settings.from_env(warehouse=warehouse_dir)
    runner = task_runner(settings)
    flow_ = newsfacts_flow if runner is None else newsfacts_flow.with_options(task_runner=runner)
    return flow_(inputs=inputs, settings=settings)
