"""Seed ONE MLflow server with runs, logged models and registry content.

Usage (venv python; S3 settings come from the environment stack.py passes down):
    seed.py SERVER TRACKING_URL

SERVER is fraud, churn, recsys (one project each) or lab, the --enable-workspaces server:
its workspaces team-a and team-b (which stack.py creates first) are seeded one after the
other, selected with mlflow.set_workspace() (the client then sends X-MLFLOW-WORKSPACE).

Everything goes through MLflow's own Python client, so the server stores exactly what a
real user would produce. Each version-source shape the gateway must handle appears:
  - MLflow 3 `log_model(name=...)` + register  -> source `models:/m-<hex>`
  - MLflow 2 style run artifacts                -> `<run artifact_uri>/model` (+ run_id)
  - registry-only upload with boto3             -> plain `s3://mlflow/<project>/registry-only/...`
  - a run-less logged model registered by URI   -> `models:/m-<hex>` with no run_id (recsys)
Other shapes: a soft-deleted version (a gap in fraud-rules' numbers), a model name with a
single quote and a tag value with both quote kinds (churn).
Names are deterministic (run/model ids are not). Data is tiny and synthetic, and
pip_requirements are given explicitly so MLflow never infers them (that is slow).
"""

import os
import sys
import tempfile
import time
import warnings
from pathlib import Path

import boto3
import mlflow
import numpy as np
import pandas as pd
import sklearn
import skops
from mlflow import MlflowClient
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, f1_score

warnings.filterwarnings("ignore")  # stage APIs are deprecated; we use them on purpose
# end_run() otherwise GETs the run only to print its URL.
os.environ.setdefault("MLFLOW_SUPPRESS_PRINTING_URL_TO_STDOUT", "true")

FEATURES = ["amount", "age_days", "velocity", "risk"]
SKLEARN_REQS = [f"scikit-learn=={sklearn.__version__}", f"skops=={skops.__version__}"]
PYFUNC_REQS = [f"pandas=={pd.__version__}", f"numpy=={np.__version__}"]
BUCKET = "mlflow"


def dataset(seed: int, classes: int = 2) -> tuple[pd.DataFrame, np.ndarray]:
    """Iris-like blobs: one Gaussian cluster per class."""
    rng = np.random.default_rng(seed)
    centers = rng.normal(0, 2.5, size=(classes, len(FEATURES)))
    y = rng.integers(0, classes, 120)
    X = centers[y] + rng.normal(0, 1.0, size=(120, len(FEATURES)))
    return pd.DataFrame(X, columns=FEATURES), y


class LinearScorer(mlflow.pyfunc.PythonModel):
    """A hand-written pyfunc model: a fixed linear score over the features."""

    def __init__(self, weights: list[float], bias: float = 0.0):
        self.weights = weights
        self.bias = bias

    def predict(self, context, model_input, params=None):
        return model_input[FEATURES].to_numpy() @ np.asarray(self.weights) + self.bias


class Seeder:
    def __init__(self, project: str, url: str, workspace: str | None = None):
        self.project = project
        mlflow.set_tracking_uri(url)
        mlflow.set_registry_uri(url)
        if workspace:  # before anything else: experiments and models live in a workspace
            mlflow.set_workspace(workspace)
        self.client = MlflowClient(url, url)
        mlflow.set_experiment(f"{project}-training")

    def train(self, run_name: str, seed: int, C: float, max_iter: int = 100, classes: int = 2):
        """Start a run, fit a LogisticRegression, log params + metrics. Caller ends the run."""
        X, y = dataset(seed, classes)
        run = mlflow.start_run(run_name=run_name)
        model = LogisticRegression(C=C, max_iter=max_iter).fit(X, y)
        pred = model.predict(X)
        acc = accuracy_score(y, pred)
        mlflow.log_params({"C": C, "max_iter": max_iter, "penalty": "l2", "seed": seed})
        for step, frac in enumerate((0.8, 0.93, 1.0)):  # a short "training curve"
            mlflow.log_metric("accuracy", round(acc * frac, 4), step=step)
        mlflow.log_metric("f1", f1_score(y, pred, average="macro"))
        mlflow.set_tag("project", self.project)
        return run, model, X

    def create_model(self, name: str, description: str, **tags: str) -> None:
        self.client.create_registered_model(
            name, tags={"project": self.project, **tags}, description=description
        )

    def version_sklearn(self, name: str, seed: int, C: float, description: str, **tags: str):
        """MLflow 3 logged model (sklearn) registered by its models:/m-... URI."""
        run, model, X = self.train(f"{name}-C{C}", seed, C)
        info = mlflow.sklearn.log_model(
            model, name="model", input_example=X.head(3), pip_requirements=SKLEARN_REQS
        )
        mlflow.end_run()
        return self._register(name, info, run, description, tags)

    def version_pyfunc(self, name: str, weights: list[float], description: str, **tags: str):
        """MLflow 3 logged model (custom PythonModel) registered by its models:/m-... URI."""
        X, _ = dataset(len(weights))
        run = mlflow.start_run(run_name=f"{name}-pyfunc")
        mlflow.log_params({f"w_{f}": w for f, w in zip(FEATURES, weights)})
        info = mlflow.pyfunc.log_model(
            name="model", python_model=LinearScorer(weights), input_example=X.head(3),
            pip_requirements=PYFUNC_REQS,
        )
        mlflow.end_run()
        return self._register(name, info, run, description, tags)

    def _register(self, name, info, run, description, tags):
        return self.client.create_model_version(
            name, source=info.model_uri, run_id=run.info.run_id, model_id=info.model_id,
            tags=tags, description=description,
        )

    def version_legacy(self, name: str, seed: int, C: float, description: str, **tags: str):
        """MLflow 2.x style: model files are run artifacts under `model/`, source = that URI."""
        run, model, X = self.train(f"{name}-legacy", seed, C)
        with tempfile.TemporaryDirectory() as tmp:
            mlflow.sklearn.save_model(
                model, f"{tmp}/model", input_example=X.head(3), pip_requirements=SKLEARN_REQS
            )
            mlflow.log_artifacts(f"{tmp}/model", "model")
        mlflow.end_run()
        return self.client.create_model_version(
            name, source=f"{run.info.artifact_uri}/model", run_id=run.info.run_id,
            tags=tags, description=description,
        )

    def version_registry_only(self, name: str, seed: int, description: str, **tags: str):
        """No run at all: model files uploaded straight to S3, version created from that URI."""
        X, y = dataset(seed)
        model = LogisticRegression().fit(X, y)
        prefix = f"{self.project}/registry-only/{name}/v1"
        s3 = boto3.client("s3", endpoint_url=mlflow.environment_variables.MLFLOW_S3_ENDPOINT_URL.get())
        with tempfile.TemporaryDirectory() as tmp:
            mlflow.sklearn.save_model(model, tmp + "/m", input_example=X.head(3),
                                      pip_requirements=SKLEARN_REQS)
            for f in sorted(Path(tmp, "m").rglob("*")):
                if f.is_file():
                    s3.upload_file(str(f), BUCKET, f"{prefix}/{f.relative_to(Path(tmp, 'm'))}")
        return self.client.create_model_version(
            name, source=f"s3://{BUCKET}/{prefix}", run_id=None, tags=tags,
            description=description,
        )

    def version_runless(self, name: str, weights: list[float], description: str, **tags: str):
        """A logged model made outside any run, registered by `models:/m-...` WITHOUT run_id.

        The server copies the logged model's source_run_id into run_id when run_id is empty,
        so the model itself must have no run for the version to end up run-less.
        """
        X, _ = dataset(len(weights))
        assert mlflow.active_run() is None
        info = mlflow.pyfunc.log_model(
            name="model", python_model=LinearScorer(weights), input_example=X.head(3),
            pip_requirements=PYFUNC_REQS,
        )
        return self.client.create_model_version(
            name, source=info.model_uri, run_id=None, model_id=info.model_id,
            tags=tags, description=description,
        )

    def version_withdrawn(self, name: str, source: str, description: str):
        """A version created and then soft-deleted: its number is never reused."""
        mv = self.client.create_model_version(name, source=source, run_id=None,
                                              description=description)
        self.client.delete_model_version(name, mv.version)
        return mv

    def stage(self, name: str, version, stage: str) -> None:
        self.client.transition_model_version_stage(name, str(version), stage)

    def alias(self, name: str, alias: str, version) -> None:
        self.client.set_registered_model_alias(name, alias, str(version))


def seed_fraud(s: Seeder) -> None:
    s.create_model("fraud-detector", "Flags card transactions as fraudulent.", task="classification", owner="risk-team")
    for i, C in enumerate((0.1, 1.0, 10.0)):
        s.version_sklearn("fraud-detector", 10 + i, C, f"LogisticRegression C={C}",
                          validation_status="approved" if i < 2 else "pending", dataset="tx-2024q4")
    s.stage("fraud-detector", 1, "Archived")
    s.stage("fraud-detector", 2, "Production")
    s.stage("fraud-detector", 3, "Staging")
    s.alias("fraud-detector", "champion", 2)
    s.alias("fraud-detector", "challenger", 3)

    s.create_model("transaction-scorer", "Hand-tuned linear risk score (pyfunc).", task="scoring")
    s.version_pyfunc("transaction-scorer", [0.5, -0.1, 0.3, 1.0], "initial weights", reviewed="no")
    s.version_pyfunc("transaction-scorer", [0.6, -0.2, 0.3, 1.2], "retuned weights", reviewed="yes")
    s.alias("transaction-scorer", "champion", 2)

    # Same name as in churn, different content: tests cross-project name collisions.
    s.create_model("shared-embeddings", "Fraud-side feature embeddings.", task="embedding")
    s.version_pyfunc("shared-embeddings", [0.25, 0.25, 0.25, 0.25], "uniform embedding")
    s.version_legacy("shared-embeddings", 31, 0.5, "2.x-style run-artifact model", style="legacy")

    s.create_model("fraud-rules", "Imported rule model, registry only (no run).", task="rules")
    v1 = s.version_registry_only("fraud-rules", 41, "uploaded by the rules pipeline", origin="import")
    # v2 is soft-deleted: versions 1 and 3 remain, search and get no longer show 2.
    s.version_withdrawn("fraud-rules", v1.source, "withdrawn import")
    s.client.create_model_version("fraud-rules", source=v1.source, run_id=None,
                                  tags={"origin": "import"}, description="re-imported after v2 was withdrawn")


def seed_churn(s: Seeder) -> None:
    s.create_model("churn-classifier", "Predicts customer churn in the next 30 days.", task="classification", owner="growth")
    for i, C in enumerate((0.05, 0.5, 5.0)):
        s.version_sklearn("churn-classifier", 20 + i, C, f"LogisticRegression C={C}",
                          validation_status="approved", dataset="customers-2025-01")
    s.stage("churn-classifier", 1, "Archived")
    s.stage("churn-classifier", 3, "Production")
    s.alias("churn-classifier", "champion", 3)

    s.create_model("shared-embeddings", "Churn-side customer embeddings.", task="embedding", owner="growth")
    s.version_sklearn("shared-embeddings", 50, 2.0, "customer embedding classifier")
    # A pyfunc in the direct-S3 project too, so both flavors are read through both artifact modes.
    s.version_pyfunc("shared-embeddings", [0.1, 0.2, 0.3, 0.4], "pyfunc embedding")

    s.create_model("churn-legacy", "Model registered the MLflow 2.x way.", task="classification")
    s.version_legacy("churn-legacy", 51, 1.0, "2.x-style run-artifact model", style="legacy")
    s.stage("churn-legacy", 1, "Production")

    s.create_model("churn-import", "Imported from another registry, no run.", task="classification")
    s.version_registry_only("churn-import", 52, "imported model", origin="import")

    # Quotes: a single quote in a model name, both quote kinds in a tag value.
    s.create_model("o'brien-scorer", "Named after O'Brien; the quote is on purpose.", task="scoring")
    s.version_legacy("o'brien-scorer", 53, 1.0, 'Says "hi" and it\'s quoted',
                     quote_test='She said "it\'s fine" and left', style="legacy")


def seed_recsys(s: Seeder) -> None:
    # recsys deliberately has no aliases at all.
    s.create_model("ranker", "Ranks candidate items for the home feed.", task="ranking")
    s.version_pyfunc("ranker", [1.0, 0.0, 0.5, -0.5], "heuristic ranker")
    s.version_sklearn("ranker", 60, 1.0, "learned ranker", validation_status="approved")
    s.stage("ranker", 2, "Production")

    s.create_model("candidate-gen", "Generates recommendation candidates.", task="retrieval")
    s.version_sklearn("candidate-gen", 61, 0.3, "first candidate generator")
    s.version_legacy("candidate-gen", 62, 0.3, "2.x-style run-artifact model", style="legacy")
    s.stage("candidate-gen", 1, "Staging")
    # v3: a logged model created outside any run, registered by URI without a run_id.
    s.version_runless("ranker", [0.9, 0.1, 0.4, -0.4], "run-less logged model", origin="notebook")


def seed_lab_team_a(s: Seeder) -> None:
    s.create_model("forecaster", "Team A's demand forecaster.", task="forecasting", owner="team-a")
    for i, C in enumerate((0.2, 2.0)):
        s.version_legacy("forecaster", 70 + i, C, f"team-a forecaster C={C}", team="a")
    s.alias("forecaster", "champion", 2)

    s.create_model("team-a-only", "Exists only in workspace team-a.", task="classification")
    s.version_legacy("team-a-only", 72, 1.0, "the only version", team="a")


def seed_lab_team_b(s: Seeder) -> None:
    # Same name as in team-a, different content and version count: same server, other workspace.
    s.create_model("forecaster", "Team B's weekly forecaster.", task="forecasting", owner="team-b")
    for i, C in enumerate((0.3, 3.0, 30.0)):
        s.version_legacy("forecaster", 80 + i, C, f"team-b forecaster C={C}", team="b")
    s.alias("forecaster", "champion", 1)


# project -> seeder of that project's own server
SEEDERS = {"fraud": seed_fraud, "churn": seed_churn, "recsys": seed_recsys}
# workspaces server -> [(project, workspace, seeder)]; stack.py creates the workspaces
WORKSPACE_SEEDERS = {
    "lab": [("lab-a", "team-a", seed_lab_team_a), ("lab-b", "team-b", seed_lab_team_b)],
}


def main() -> int:
    server, url = sys.argv[1], sys.argv[2]
    started = time.monotonic()
    if server in SEEDERS:
        SEEDERS[server](Seeder(server, url))
    elif server in WORKSPACE_SEEDERS:
        for project, workspace, seeder in WORKSPACE_SEEDERS[server]:
            seeder(Seeder(project, url, workspace=workspace))
    else:
        known = ", ".join([*SEEDERS, *WORKSPACE_SEEDERS])
        print(f"seed: unknown server {server!r} (known: {known})", file=sys.stderr)
        return 2
    print(f"seed: {server} done in {time.monotonic() - started:.1f}s", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
