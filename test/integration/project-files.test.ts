import { ListObjectsV2Command, PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { startExtraProject } from "../support/extra-project.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { stackS3 } from "../support/s3.js";
import { mlflowVersions, stackConfig } from "../support/stack.js";

// Versions registered straight through MLflow's REST API, as anyone with access to the server
// can, pointing at files that are not this project's. The gateway's state lies inside the
// project's destination here, so that "never the state" is tested apart from "not elsewhere".
const destination = "s3://mlflow/files";
const state = `${destination}/_state`;
let extra: Awaited<ReturnType<typeof startExtraProject>>;
let gateway: TestGateway;
let s3: S3Client;

const mlmodel =
  "flavors:\n  python_function:\n    loader_module: mlflow.pyfunc.model\nmlflow_version: 3.17.2\n";

async function post<T>(path: string, body: object): Promise<T> {
  const response = await fetch(`${extra.server.url}/api/2.0/mlflow/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}

const put = (key: string, body: string) =>
  s3.send(new PutObjectCommand({ Bucket: "mlflow", Key: key, Body: body }));

/** A run in a new experiment, optionally with its artifacts somewhere of the caller's choosing. */
async function runIn(name: string, artifactLocation?: string) {
  const { experiment_id } = await post<{ experiment_id: string }>("experiments/create", {
    name,
    ...(artifactLocation ? { artifact_location: artifactLocation } : {}),
  });
  const { run } = await post<{ run: { info: { run_id: string; artifact_uri: string } } }>(
    "runs/create",
    { experiment_id },
  );
  return run.info;
}

/** Registers straight through MLflow, bypassing every check of the gateway. */
async function registerDirectly(model: string, source: string, runId?: string): Promise<number> {
  const { model_version } = await post<{ model_version: { version: string } }>(
    "model-versions/create",
    { name: model, source, ...(runId ? { run_id: runId } : {}) },
  );
  return Number(model_version.version);
}

const versions: Record<string, number> = {};
let fraudRunId: string;

beforeAll(async () => {
  extra = await startExtraProject("files");
  extra.project.artifacts = { destination, root: `${destination}/registry-graph` };
  const config = await stackConfig();
  gateway = await startTestGateway({
    ...config,
    state: { uri: state },
    projects: [...config.projects, extra.project],
  });
  s3 = stackS3();

  await put("files/imports/own/MLmodel", mlmodel);
  await put("files/_state/idempotency/secret.json", '{"result": "not for clients"}');
  await post("registered-models/create", { name: "elsewhere" });
  const own = await runIn("own");
  const ownPrefix = own.artifact_uri.replace("mlflow-artifacts:/", "files/");
  await put(`${ownPrefix}/model/MLmodel`, mlmodel);
  const stolen = await runIn("stolen", "s3://mlflow/fraud");
  // MLflow takes an mlflow-artifacts:/ source only inside a run's artifacts, and any artifact
  // location for an experiment: this run's artifacts are in the gateway's state.
  const inState = await runIn("in-state", "mlflow-artifacts:/_state");
  // MLflow wants a runs:/ source's run as run_id too; it never checks the run's artifacts.
  const sources: Record<string, [string, string?]> = {
    "own prefix": [`${destination}/imports/own`],
    "own run": [`runs:/${own.run_id}/model`, own.run_id],
    "another project's prefix": ["s3://mlflow/fraud/registry-only/fraud-rules/v1"],
    "a run whose artifacts are another project's": [`runs:/${stolen.run_id}/model`, stolen.run_id],
    "the state prefix": [state],
    "the state, through mlflow-artifacts:/": [inState.artifact_uri, inState.run_id],
    "a prefix that holds the state": [destination],
  };
  for (const [name, [source, runId]] of Object.entries(sources)) {
    versions[name] = await registerDirectly("elsewhere", source, runId);
  }
  const [fraudVersion] = await mlflowVersions<{ run_id: string }>("fraud", "fraud-detector");
  fraudRunId = fraudVersion!.run_id;
}, 120_000);

afterAll(async () => {
  await gateway?.stop();
  await extra?.server.stop();
  s3?.destroy();
});

const versionQuery = (fields: string) => `query ($n: Int!) {
  model(project: "files", name: "elsewhere") { version(number: $n) { ${fields} } } }`;

describe("files of a version registered through MLflow's API", () => {
  it.each([
    [
      "another project's prefix",
      /s3:\/\/mlflow\/fraud\/registry-only\/fraud-rules\/v1 is outside the files of project "files"/,
    ],
    [
      "a run whose artifacts are another project's",
      /s3:\/\/mlflow\/fraud\/.+ is outside the files of project "files"/,
    ],
    ["the state prefix", /holds the gateway's own state/],
    ["the state, through mlflow-artifacts:/", /holds the gateway's own state/],
    ["a prefix that holds the state", /holds the gateway's own state/],
  ])(
    "pointing at %s are FORBIDDEN, with the reason and no S3 call; source and storageUri stay",
    async (name, reason) => {
      const n = versions[name]!;
      const shown = await gateway.query<{
        model: { version: { source: string; storageUri: string; artifact: null; mlmodel: null } };
      }>(
        versionQuery(
          `source storageUri artifact(path: "MLmodel") { path } mlmodel { mlflowVersion }`,
        ),
        { n },
      );
      expect(shown.data!.model.version).toMatchObject({ artifact: null, mlmodel: null });
      expect(shown.data!.model.version.source).toMatch(/^(s3|runs|mlflow-artifacts):/);
      expect(shown.data!.model.version.storageUri).toMatch(/^s3:\/\/mlflow\//);
      expect(shown.errors!.map((e) => [e.path!.at(-1), e.extensions!.code]).sort()).toEqual([
        ["artifact", "FORBIDDEN"],
        ["mlmodel", "FORBIDDEN"],
      ]);
      expect(shown.errors![0]!.message).toMatch(reason);
      expect(shown.extensions!.upstreamCalls!.byUpstream.s3).toBeUndefined();

      const listed = await gateway.query(versionQuery(`artifacts(recursive: true) { path }`), {
        n,
      });
      expect(listed.errors![0]!.extensions!.code).toBe("FORBIDDEN");
      expect(listed.extensions!.upstreamCalls!.byUpstream.s3).toBeUndefined();

      const promoted = await gateway.query(
        `mutation ($n: Int!) { promoteVersion(input: {
          from: { project: "files", model: "elsewhere", version: $n },
          to: { project: "files", model: "laundered" } }) { number } }`,
        { n },
      );
      expect(promoted.errors![0]!.extensions!.code).toBe("FORBIDDEN");
      expect(promoted.extensions!.upstreamCalls!.byUpstream.s3).toBeUndefined();
      expect(await extra.versionCount("laundered")).toBe(0);
    },
  );

  it.each(["own prefix", "own run"])("pointing at its %s still serve their files", async (name) => {
    const { data, errors } = await gateway.query<{
      model: { version: { artifacts: { path: string }[]; mlmodel: { mlflowVersion: string } } };
    }>(versionQuery(`artifacts { path } mlmodel { mlflowVersion }`), { n: versions[name]! });
    expect(errors).toBeUndefined();
    expect(data!.model.version.artifacts.map((a) => a.path)).toEqual(["MLmodel"]);
    expect(data!.model.version.mlmodel.mlflowVersion).toBe("3.17.2");
  });

  it("never lists the state, even through a version of the project's own", async () => {
    const listing = await s3.send(
      new ListObjectsV2Command({ Bucket: "mlflow", Prefix: "files/_state/" }),
    );
    expect(listing.KeyCount).toBeGreaterThan(0); // the state is there, and not shown
    const { errors } = await gateway.query(versionQuery(`artifacts(path: "_state") { path }`), {
      n: versions["a prefix that holds the state"]!,
    });
    expect(errors![0]!.extensions!.code).toBe("FORBIDDEN");
  });
});

describe("createVersion from a run", () => {
  const create = (source: string) =>
    gateway.query<{ createVersion: { number: number; source: string } }>(
      `mutation ($source: String!) { createVersion(input: {
        project: "files", model: "elsewhere", source: $source }) { number source } }`,
      { source },
    );

  it("refuses a run of another project, which this project's MLflow does not know", async () => {
    const before = await extra.versionCount("elsewhere");
    const response = await create(`runs:/${fraudRunId}/model`);
    expect(response.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(response.errors![0]!.message).toMatch(/is not a run of project "files"/);
    expect(await extra.versionCount("elsewhere")).toBe(before);
  });

  it("refuses a run of this project whose artifacts lie elsewhere, before reading them", async () => {
    const stolen = await runIn("stolen-again", "s3://mlflow/churn");
    const response = await create(`runs:/${stolen.run_id}/model`);
    expect(response.errors![0]!.extensions!.code).toBe("FORBIDDEN");
    expect(response.extensions!.upstreamCalls!.byUpstream.s3).toBeUndefined();
  });

  it("registers a run of this project whose artifacts are in its destination", async () => {
    const own = await runIn("own-again");
    await put(`${own.artifact_uri.replace("mlflow-artifacts:/", "files/")}/model/MLmodel`, mlmodel);
    const { data, errors } = await create(`runs:/${own.run_id}/model`);
    expect(errors).toBeUndefined();
    expect(data!.createVersion.source).toBe(`runs:/${own.run_id}/model`);
  });
});
