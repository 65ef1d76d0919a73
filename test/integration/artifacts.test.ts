import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Config } from "../../src/config/schema.js";
import { startExtraProject } from "../support/extra-project.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { stackS3 } from "../support/s3.js";
import { mlflowGet, stackConfig, testStack } from "../support/stack.js";

let s3: S3Client;
let config: Config;
let gateway: TestGateway;

beforeAll(async () => {
  s3 = stackS3();
  config = await stackConfig();
  gateway = await startTestGateway(config);
});
afterAll(async () => {
  await gateway.stop();
  s3.destroy();
});

interface Listed {
  path: string;
  isDir: boolean;
  size: number | null;
  etag: string | null;
}

/** The S3 location MLflow itself says a version's files are at. */
async function truthLocation(project: string, model: string, version: number) {
  const { artifact_uri: uri } = await mlflowGet<{ artifact_uri: string }>(
    project,
    `api/2.0/mlflow/model-versions/get-download-uri?name=${encodeURIComponent(model)}&version=${version}`,
  );
  const destination = config.projects.find((p) => p.name === project)!.artifacts?.destination;
  const s3Uri = uri.replace(/^mlflow-artifacts:\//, `${destination}/`);
  const [, bucket, prefix] = /^s3:\/\/([^/]+)\/(.*)$/.exec(s3Uri)!;
  return { uri: s3Uri, bucket: bucket!, prefix: prefix! };
}

async function s3Level(bucket: string, prefix: string): Promise<string[]> {
  const page = await s3.send(
    new ListObjectsV2Command({ Bucket: bucket, Prefix: `${prefix}/`, Delimiter: "/" }),
  );
  return [
    ...(page.CommonPrefixes ?? []).map((p) => p.Prefix!.slice(prefix.length + 1, -1)),
    ...(page.Contents ?? []).map((o) => o.Key!.slice(prefix.length + 1)),
  ].sort();
}

const versionQuery = `query ($p: String!, $m: String!, $n: Int!) {
  model(project: $p, name: $m) { version(number: $n) {
    source storageUri
    artifacts { path isDir size etag }
    artifact(path: "MLmodel") { path size }
    mlmodel {
      flavors { name loaderModule version }
      signature { inputs { columns { name type required } tensors { dtype } } outputs { columns { type } } }
      inputExample { type artifactPath }
      requirements pythonVersion mlflowVersion createdAt modelId
    }
  } }
}`;

interface VersionAnswer {
  model: {
    version: {
      source: string;
      storageUri: string;
      artifacts: Listed[];
      artifact: { path: string; size: number } | null;
      mlmodel: {
        flavors: { name: string; loaderModule: string | null; version: string | null }[];
        signature: { inputs: { columns: { name: string; type: string }[] } } | null;
        inputExample: { type: string; artifactPath: string } | null;
        requirements: string[] | null;
        pythonVersion: string | null;
        mlflowVersion: string;
        modelId: string | null;
      } | null;
    };
  };
}

describe("a version's files, read from S3 by the gateway", () => {
  it.each([
    ["fraud", "fraud-detector", 2, "proxied: mlflow-artifacts:/ through the destination"],
    ["churn", "churn-classifier", 3, "direct: s3:// as MLflow recorded it"],
    ["fraud", "transaction-scorer", 2, "a pyfunc model, proxied"],
    ["churn", "shared-embeddings", 2, "a pyfunc model, direct"],
    ["churn", "churn-legacy", 1, "an MLflow 2 style run-artifact version"],
    ["churn", "churn-import", 1, "a registry-only version"],
  ])("%s/%s v%d (%s)", async (project, model, number) => {
    const { data, errors } = await gateway.query<VersionAnswer>(versionQuery, {
      p: project,
      m: model,
      n: number,
    });
    expect(errors).toBeUndefined();
    const version = data!.model.version;
    const truth = await truthLocation(project, model, number);

    expect(version.storageUri).toBe(truth.uri);
    expect(version.artifacts.map((a) => a.path).sort()).toEqual(
      await s3Level(truth.bucket, truth.prefix),
    );
    const mlmodelObject = await s3.send(
      new GetObjectCommand({ Bucket: truth.bucket, Key: `${truth.prefix}/MLmodel` }),
    );
    const mlmodelText = await mlmodelObject.Body!.transformToString();
    expect(version.artifact).toEqual({ path: "MLmodel", size: Buffer.byteLength(mlmodelText) });

    const mlmodel = version.mlmodel!;
    expect(mlmodel.mlflowVersion).toBe(/mlflow_version: (\S+)/.exec(mlmodelText)![1]);
    expect(mlmodel.flavors.map((f) => f.name)).toContain("python_function");
    expect(mlmodel.requirements).toContain(`mlflow==${mlmodel.mlflowVersion}`);
    expect(mlmodel.pythonVersion).toMatch(/^3\.\d+/);
    if (mlmodel.signature) {
      expect(mlmodel.signature.inputs.columns.map((c) => c.name)).toEqual([
        "amount",
        "age_days",
        "velocity",
        "risk",
      ]);
    }
    if (version.source.startsWith("models:/"))
      expect(mlmodel.modelId).toBe(version.source.slice("models:/".length));
  });

  it("hands out a presigned link that downloads exactly the object's bytes", async () => {
    const { data } = await gateway.query<{
      model: {
        version: {
          storageUri: string;
          artifacts: { path: string; size: number; downloadUrl: string }[];
        };
      };
    }>(`{ model(project: "churn", name: "churn-classifier") { version(number: 3) {
      storageUri artifacts { path size downloadUrl(expiresIn: 60) } } } }`);
    const { storageUri, artifacts } = data!.model.version;
    const [, bucket, prefix] = /^s3:\/\/([^/]+)\/(.*)$/.exec(storageUri)!;
    const files = artifacts.filter((a) => a.downloadUrl);
    expect(files.length).toBeGreaterThan(2);
    for (const file of files) {
      const downloaded = Buffer.from(await (await fetch(file.downloadUrl)).arrayBuffer());
      const object = await s3.send(
        new GetObjectCommand({ Bucket: bucket, Key: `${prefix}/${file.path}` }),
      );
      expect(downloaded.equals(Buffer.from(await object.Body!.transformToByteArray()))).toBe(true);
      expect(downloaded.length).toBe(file.size);
    }
    const tooLong =
      await gateway.query(`{ model(project: "churn", name: "churn-classifier") { version(number: 3) {
      artifacts { downloadUrl(expiresIn: 86400) } } } }`);
    expect(tooLong.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
  });

  it("reads small text files whole and refuses larger ones rather than cut them", async () => {
    const { data, errors } = await gateway.query<{
      model: { version: { small: { text: string }; large: { text: string } | null } };
    }>(`{ model(project: "fraud", name: "fraud-detector") { version(number: 1) {
      small: artifact(path: "requirements.txt") { text }
      large: artifact(path: "MLmodel") { text(maxBytes: 16) }
    } } }`);
    expect(data!.model.version.small.text).toMatch(/^mlflow==/);
    expect(errors).toEqual([
      expect.objectContaining({
        path: ["model", "version", "large", "text"],
        extensions: expect.objectContaining({ code: "TOO_LARGE", maxBytes: 16 }),
      }),
    ]);
  });

  it.each([
    "../other",
    "/etc/passwd",
    "a/../../b",
    "%2e%2e/x",
    "..%2fx",
    "a\\..\\b",
    "a\u0000b",
    "%2E%2E",
  ])("refuses the path %j before any S3 call", async (path) => {
    const { errors, extensions } = await gateway.query(
      `query ($path: String!) { model(project: "churn", name: "churn-classifier") { version(number: 3) {
        artifacts(path: $path) { path } } } }`,
      { path },
    );
    expect(errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    expect(extensions!.upstreamCalls!.byUpstream.s3).toBeUndefined();
  });
});

describe("many versions at once", () => {
  it("costs at most one listing and one GET per version for mlmodel and the root listing", async () => {
    const { data, errors, extensions } = await gateway.query<{
      versions: { edges: { node: { storageUri: string | null; mlmodel: object | null } }[] };
    }>(
      `{ versions(first: 50) { edges { node { storageUri artifacts { path } mlmodel { flavors { name } } } } } }`,
    );
    expect(errors).toBeUndefined();
    const located = data!.versions.edges.filter((e) => e.node.storageUri);
    expect(located.length).toBeGreaterThan(15);
    expect(located.every((e) => e.node.mlmodel)).toBe(true);
    // Versions that share files (fraud-rules v1 and v3) share the listing and the GET too.
    const prefixes = new Set(located.map((e) => e.node.storageUri));
    expect(prefixes.size).toBeLessThan(located.length);
    expect(extensions!.upstreamCalls!.byUpstream.s3).toBe(2 * prefixes.size);
  });
});

describe("a prefix of more than 1,000 objects", () => {
  // Registered on a server of this file's own, so no other test sees its models appear.
  let extra: Awaited<ReturnType<typeof startExtraProject>>;
  let bulk: TestGateway;
  const prefix = "bulk/import/v1";

  beforeAll(async () => {
    extra = await startExtraProject("bulk");
    bulk = await startTestGateway({ ...config, projects: [extra.project] });
    const { bucket } = testStack().state.s3;
    const source = await truthLocation("churn", "churn-import", 1);
    const mlmodel = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: `${source.prefix}/MLmodel` }),
    );
    const bodies: [string, string | Uint8Array][] = [
      ["MLmodel", await mlmodel.Body!.transformToByteArray()],
    ];
    for (let i = 0; i < 1001; i++)
      bodies.push([`shards/part-${String(i).padStart(4, "0")}.txt`, `shard ${i}\n`]);
    for (let i = 0; i < bodies.length; i += 50) {
      await Promise.all(
        bodies
          .slice(i, i + 50)
          .map(([key, body]) =>
            s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/${key}`, Body: body })),
          ),
      );
    }
    const post = (path: string, body: object) =>
      fetch(`${extra.server.url}/api/2.0/mlflow/${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    await post("registered-models/create", { name: "bulk-import" });
    await post("model-versions/create", {
      name: "bulk-import",
      source: `s3://${bucket}/${prefix}`,
    });
    // And a version whose files hold no MLmodel at all.
    await s3.send(
      new PutObjectCommand({ Bucket: bucket, Key: "bulk/no-mlmodel/v1/notes.txt", Body: "hi" }),
    );
    await post("registered-models/create", { name: "no-mlmodel" });
    await post("model-versions/create", {
      name: "no-mlmodel",
      source: `s3://${bucket}/bulk/no-mlmodel/v1`,
    });
  }, 180_000);

  afterAll(async () => {
    await bulk?.stop();
    await extra?.server.stop();
  });

  it("lists them all, one page after another", async () => {
    const { data, errors, extensions } = await bulk.query<{
      model: { version: { all: Listed[]; shards: Listed[]; root: Listed[] } };
    }>(`{ model(project: "bulk", name: "bulk-import") { version(number: 1) {
      all: artifacts(recursive: true) { path isDir }
      shards: artifacts(path: "shards") { path }
      root: artifacts { path isDir }
    } } }`);
    expect(errors).toBeUndefined();
    const { all, shards, root } = data!.model.version;
    expect(all).toHaveLength(1002);
    expect(shards).toHaveLength(1001);
    expect(shards[1000]!.path).toBe("shards/part-1000.txt");
    expect(root).toEqual([
      { path: "MLmodel", isDir: false },
      { path: "shards", isDir: true },
    ]);
    // Two pages each for the recursive and the shards listing, one for the root.
    expect(extensions!.upstreamCalls!.byUpstream.s3).toBe(5);
  });

  it("says null, not an error, for a version without an MLmodel", async () => {
    const { data, errors } = await bulk.query(
      `{ model(project: "bulk", name: "no-mlmodel") { version(number: 1) { mlmodel { mlflowVersion } artifacts { path } } } }`,
    );
    expect(errors).toBeUndefined();
    expect(data).toEqual({
      model: { version: { mlmodel: null, artifacts: [{ path: "notes.txt" }] } },
    });
  });
});

describe("a project with no S3 mapping for mlflow-artifacts:/", () => {
  it("browses through MLflow's artifact proxy, with no download links", async () => {
    const unmapped = await startTestGateway({
      ...config,
      projects: config.projects.map((p) =>
        p.name === "fraud" ? { ...p, artifacts: undefined } : p,
      ),
    });
    try {
      const { data, errors } = await unmapped.query<
        VersionAnswer & { model: { version: { files: { downloadUrl: string | null }[] } } }
      >(versionQuery.replace("artifacts {", "files: artifacts { downloadUrl } artifacts {"), {
        p: "fraud",
        m: "fraud-detector",
        n: 2,
      });
      expect(errors).toBeUndefined();
      const version = data!.model.version;
      const truth = await truthLocation("fraud", "fraud-detector", 2);
      expect(version.storageUri).toMatch(/^mlflow-artifacts:\//);
      expect(version.artifacts.map((a) => a.path).sort()).toEqual(
        await s3Level(truth.bucket, truth.prefix),
      );
      expect(version.files.every((f) => f.downloadUrl === null)).toBe(true);
      expect(version.mlmodel!.flavors.map((f) => f.name)).toContain("sklearn");
    } finally {
      await unmapped.stop();
    }
  });
});
