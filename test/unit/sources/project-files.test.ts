import { describe, expect, it } from "@jest/globals";
import type { ProjectConfig } from "../../../src/config/schema.js";
import { storageOf } from "../../../src/sources/storage/artifact-uri.js";
import { fileScopeOf, outsideReason } from "../../../src/sources/storage/project-files.js";

const project = (artifacts: ProjectConfig["artifacts"]): ProjectConfig => ({
  name: "fraud",
  mlflow: {
    url: "http://x",
    auth: { type: "none" },
    timeoutMs: 1000,
    concurrency: 1,
    maxResponseBytes: 16_777_216,
    maxPages: 100,
  },
  artifacts,
});

const state = { bucket: "mlflow", prefix: "_registry-graph" };
const fraud = fileScopeOf(
  project({
    destination: "s3://mlflow/fraud",
    root: "s3://mlflow/fraud/registry-graph",
    allowedSources: ["s3://imports/fraud"],
  }),
  state,
);
const reasonFor = (uri: string, scope = fraud, destination = "s3://mlflow/fraud") => {
  const storage = storageOf(uri, destination);
  if (storage?.kind !== "s3") throw new Error(`${uri} is not in S3`);
  return outsideReason(scope, storage.location);
};

describe("a project's files", () => {
  it("are under its destination, root and allowedSources, for every kind of source", () => {
    expect(reasonFor("s3://mlflow/fraud/1/models/m-1/artifacts")).toBeNull();
    expect(reasonFor("mlflow-artifacts:/1/abc/artifacts/model")).toBeNull();
    expect(reasonFor("s3://mlflow/fraud/registry-graph/versions/m/u")).toBeNull();
    expect(reasonFor("s3://imports/fraud/scorer")).toBeNull();
    expect(reasonFor("s3://mlflow/fraud")).toBeNull();
  });

  it("are not another project's, a sibling prefix, another bucket, or the bucket's root", () => {
    expect(reasonFor("s3://mlflow/churn/1/abc/artifacts")).toMatch(
      /s3:\/\/mlflow\/churn\/1\/abc\/artifacts is outside the files of project "fraud" \(s3:\/\/mlflow\/fraud, /,
    );
    expect(reasonFor("s3://mlflow/fraud-evil/x")).toMatch(/outside/);
    expect(reasonFor("s3://other/fraud/x")).toMatch(/outside/);
    expect(reasonFor("s3://imports/")).toMatch(/outside/);
    expect(reasonFor("s3://imports/fraudulent")).toMatch(/outside/);
  });

  it("never reach the gateway's state, from below or above", () => {
    const wide = fileScopeOf(project({ destination: "s3://mlflow" }), state);
    const inState = (uri: string) =>
      expect(reasonFor(uri, wide, "s3://mlflow")).toMatch(/gateway's own state \(state.uri\)/);
    inState("s3://mlflow/_registry-graph/idempotency");
    inState("mlflow-artifacts:/_registry-graph/uploads");
    inState("s3://mlflow/_registry-graph");
    // The bucket's root holds the state: listing it recursively would list the state too.
    inState("mlflow-artifacts:/");
    expect(reasonFor("s3://mlflow/")).toMatch(/gateway's own state/);
    expect(reasonFor("s3://mlflow/_registry-graph-other/x", wide, "s3://mlflow")).toBeNull();
  });

  it("are refused where a store or proxy that normalizes keys would read elsewhere", () => {
    expect(reasonFor("mlflow-artifacts:/../churn/x")).toMatch(/not a plain prefix/);
    expect(reasonFor("s3://mlflow/fraud/x/../../churn")).toMatch(/not a plain prefix/);
    expect(reasonFor("s3://mlflow/fraud//x")).toMatch(/not a plain prefix/);
    expect(reasonFor("s3://mlflow/fraud/./x")).toMatch(/not a plain prefix/);
    expect(reasonFor("s3://mlflow/fraud/%2e%2e/churn")).toMatch(/not a plain prefix/);
  });

  it("are nowhere for a project with no prefixes configured", () => {
    const bare = fileScopeOf(project(undefined), null);
    expect(reasonFor("s3://mlflow/fraud/x", bare)).toMatch(/\(none configured\)/);
  });
});
