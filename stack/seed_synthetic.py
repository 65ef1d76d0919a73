"""Seed one MLflow server with K synthetic models for batching tests.

Usage (venv python; stack.py mlflow --seed-models K runs it before printing READY):
    seed_synthetic.py NAME TRACKING_URL K [--runs all|champion] [--versions V]

Models model-000 ... model-<K-1>, each with:
  - tags team=<one of four teams>, synthetic=true, and a description;
  - V versions (default 6, at least 4), version i from its own FINISHED run in experiment
    `<NAME>-synthetic` (params alpha, depth; metrics rmse, r2, all in one log_batch), source
    `<run artifact_uri>/model` with run_id (no artifacts are uploaded), version tag
    `fold=<i>`;
  - alias `champion` on version 4.
With `--runs champion` (the bench, whose operations read no other version's run) only
version 4 comes from a run; the others are registry-only versions whose source (under
REGISTRY_ONLY_ROOT) holds no files and is never read. With 6 versions that is 10 requests a
model, not 26.
Values are deterministic functions of (model, version). Models are seeded in parallel on a
small thread pool (see POOL), so their creation order is not their name order; one model's
versions are created in order, so version i always comes from run i. 4 requests per version
(runs/create, runs/log-batch, runs/update, model-versions/create), ~45 ms of server time.
"""

import argparse
import os
import sys
import time
from concurrent.futures import ThreadPoolExecutor

# requests' default pool (10 connections) would drop connections above that many threads.
os.environ.setdefault("MLFLOW_HTTP_POOL_MAXSIZE", "32")
# set_terminated() otherwise GETs every run just to print its URL: one request in five.
os.environ.setdefault("MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT", "true")

from mlflow import MlflowClient  # noqa: E402
from mlflow.entities import Metric, Param  # noqa: E402

VERSIONS = 6
CHAMPION = 4
TEAMS = ["forecasting", "pricing", "search", "risk"]
# The server (one uvicorn worker) is the bottleneck: every request costs it ~5-25 ms of CPU
# under one GIL, whatever the pool. Measured for K=60 on 2 cores: pool 1 17.5s, 2 19.8s,
# 4 17.6s, 8 17.1s, 16 16.8s. A few threads just keep it busy while the client works.
# MLflow refuses a source under its own artifact root without the run that holds it.
REGISTRY_ONLY_ROOT = "s3://synthetic-registry-only"
POOL = int(os.environ.get("SEED_SYNTHETIC_POOL", "4"))


def seed_model(client: MlflowClient, experiment_id: str, experiment_name: str, i: int,
               all_runs: bool, versions: int) -> None:
    name = f"model-{i:03d}"
    client.create_registered_model(
        name, tags={"team": TEAMS[i % len(TEAMS)], "synthetic": "true"},
        description=f"Synthetic model {i} for batching tests.",
    )
    for v in range(1, versions + 1):
        if not all_runs and v != CHAMPION:
            client.create_model_version(
                name, source=f"{REGISTRY_ONLY_ROOT}/{experiment_name}/{name}/{v}",
                tags={"fold": str(v)}, description=f"{name} version {v}", await_creation_for=0,
            )
            continue
        now = int(time.time() * 1000)
        run = client.create_run(experiment_id, run_name=f"{name}-v{v}", start_time=now,
                                tags={"model": name})
        run_id = run.info.run_id
        alpha, depth = round(0.1 * v, 2), 2 + (i + v) % 8
        rmse = round(1.0 / (v + 1) + (i % 7) * 0.01, 4)
        client.log_batch(
            run_id,
            params=[Param("alpha", str(alpha)), Param("depth", str(depth))],
            metrics=[Metric("rmse", rmse, now, 0), Metric("r2", round(1 - rmse, 4), now, 0)],
        )
        client.set_terminated(run_id, "FINISHED", end_time=now + 1)
        client.create_model_version(
            name, source=f"{run.info.artifact_uri}/model", run_id=run_id,
            tags={"fold": str(v)}, description=f"{name} version {v}", await_creation_for=0,
        )
    client.set_registered_model_alias(name, "champion", str(CHAMPION))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("name")
    parser.add_argument("url")
    parser.add_argument("k", type=int)
    parser.add_argument("--runs", choices=["all", "champion"], default="all")
    parser.add_argument("--versions", type=int, default=VERSIONS)
    args = parser.parse_args()
    if args.versions < CHAMPION:
        parser.error(f"--versions must be at least {CHAMPION}, the champion alias's version")
    name, url, k = args.name, args.url, args.k
    started = time.monotonic()
    client = MlflowClient(url, url)
    experiment_name = f"{name}-synthetic"
    experiment_id = client.create_experiment(experiment_name)
    all_runs = args.runs == "all"
    with ThreadPoolExecutor(max_workers=max(1, min(POOL, k))) as pool:
        # list() re-raises the first failure
        list(pool.map(lambda i: seed_model(client, experiment_id, experiment_name, i, all_runs,
                                           args.versions),
                      range(k)))
    print(f"seed_synthetic: {name}: {k} models x {args.versions} versions, runs: {args.runs}, in "
          f"{time.monotonic() - started:.1f}s (pool {POOL})", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
