import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Config } from "../../src/config/schema.js";
import { type ExtraProject, startExtraProject } from "../support/extra-project.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { stackS3 } from "../support/s3.js";
import { stackConfig, testStack } from "../support/stack.js";

// A repeated read of a version's files starts on S3 where that version's files were last time,
// while the version itself loads (src/graph/artifact/storage-hints.ts).
const files = `query ($n: Int!) {
  model(project: "hints", name: "hinted") { version(number: $n) { artifacts { path } } }
}`;

interface Files {
  model: { version: { artifacts: { path: string }[] } | null } | null;
}

describe("storage hints", () => {
  let s3: S3Client;
  let config: Config;
  let extra: ExtraProject;
  let gateway: TestGateway;
  const bucket = () => testStack().state.s3.bucket;

  const mlflow = (method: string, path: string, body: object) =>
    fetch(`${extra.server.url}/api/2.0/mlflow/${path}`, {
      method,
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });

  /** Registers `hinted` anew: its version 1 at s3://<bucket>/hints/<folder>. */
  async function register(folder: string) {
    await mlflow("POST", "registered-models/create", { name: "hinted" });
    await mlflow("POST", "model-versions/create", {
      name: "hinted",
      source: `s3://${bucket()}/hints/${folder}`,
    });
  }

  beforeAll(async () => {
    s3 = stackS3();
    config = await stackConfig();
    // A server of this file's own: the model is deleted and registered again below.
    extra = await startExtraProject("hints");
    gateway = await startTestGateway({ ...config, projects: [extra.project] });
    for (const key of ["hints/first/one.txt", "hints/second/two.txt"]) {
      await s3.send(new PutObjectCommand({ Bucket: bucket(), Key: key, Body: key }));
    }
    await register("first");
  }, 120_000);

  afterAll(async () => {
    await gateway?.stop();
    await extra?.server.stop();
    s3.destroy();
  });

  it("reads the same files again in the same two calls", async () => {
    for (let i = 0; i < 2; i++) {
      const { data, errors, extensions } = await gateway.query<Files>(files, { n: 1 });
      expect(errors).toBeUndefined();
      expect(data!.model!.version!.artifacts.map((a) => a.path)).toEqual(["one.txt"]);
      expect(extensions!.upstreamCalls!.byUpstream).toEqual({ "mlflow:hints": 1, s3: 1 });
    }
  });

  it("answers from where the version is now when it was registered again elsewhere", async () => {
    await mlflow("DELETE", "registered-models/delete", { name: "hinted" });
    await register("second");
    const { data, errors, extensions } = await gateway.query<Files>(files, { n: 1 });
    expect(errors).toBeUndefined();
    expect(data!.model!.version!.artifacts.map((a) => a.path)).toEqual(["two.txt"]);
    // The early listing of the old place was wasted, and its entries left out.
    expect(extensions!.upstreamCalls!.byUpstream).toEqual({ "mlflow:hints": 1, s3: 2 });
  });

  it("starts the listing before the version is fetched; not with prefetch off", async () => {
    const unhinted = await startTestGateway({
      ...config,
      server: { ...config.server, prefetch: false },
      projects: [extra.project],
    });
    try {
      expect((await unhinted.query<Files>(files, { n: 1 })).errors).toBeUndefined();
      // MLflow gone: the version cannot load, and only a hint can have sent S3 a call.
      await extra.server.stop();
      const hinted = await gateway.query<Files>(files, { n: 1 });
      expect(hinted.errors?.[0]?.extensions?.code).toBe("UPSTREAM_UNAVAILABLE");
      expect(hinted.extensions!.upstreamCalls!.byUpstream.s3).toBe(1);
      const plain = await unhinted.query<Files>(files, { n: 1 });
      expect(plain.errors?.[0]?.extensions?.code).toBe("UPSTREAM_UNAVAILABLE");
      expect(plain.extensions!.upstreamCalls!.byUpstream.s3).toBeUndefined();
    } finally {
      await unhinted.stop();
    }
  });
});
