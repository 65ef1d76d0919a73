import {
  GetObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  type S3Client,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { print } from "graphql";
import type { Config } from "../../src/config/schema.js";
import { tokenDigest } from "../../src/server/auth/token-digest.js";
import { startGateway } from "../../src/server/gateway.js";
import { createLogger } from "../../src/server/logger.js";
import { startExtraProject } from "../support/extra-project.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { stackS3 } from "../support/s3.js";
import { stackConfig } from "../support/stack.js";
import { mlmodel, sha256, uploadClient } from "../support/uploads.js";

// Every kind of mutation against a server of this file's own (project "audited"), each then
// read back from the audit log; the log lives under a state prefix no other test writes.
const root = "s3://mlflow/audited/registry-graph";
const statePrefix = "audit-test-state";
const mlflowToken = "mlflow-token-never-in-the-log";
// The caller of every mutation below, but where a test says otherwise.
const TOKEN = "rg_audit-test-token-0123456789abcdefghijklmnopqrstu";
let extra: Awaited<ReturnType<typeof startExtraProject>>;
let config: Config;
/** The gateway as the token's holder, "audit-bot", calls it. */
let gateway: TestGateway;
/** The same gateway, called with no credentials (the stack's anonymous callers are admins). */
let anonymous: TestGateway;
let s3: S3Client;

/** POSTs a GraphQL request with the given headers, as a client would. */
async function post(url: string, body: object, headers: Record<string, string> = {}) {
  const response = await fetch(`${url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: JSON.stringify(body),
  });
  return { status: response.status, ...((await response.json()) as object) };
}

interface Change {
  field: string;
  from: string | null;
  to: string | null;
}
interface Logged {
  id: string;
  time: string;
  durationMs: number;
  subject: string | null;
  via: string;
  operation: string;
  project: string | null;
  model: string | null;
  version: number | null;
  changes: Change[];
  result: string | null;
  ok: boolean;
  error: { code: string; message: string | null; step: string | null } | null;
  requestId: string | null;
}
interface LogPage {
  edges: { cursor: string; node: Logged }[];
  pageInfo: {
    hasNextPage: boolean;
    hasPreviousPage: boolean;
    startCursor: string | null;
    endCursor: string | null;
  };
}

beforeAll(async () => {
  extra = await startExtraProject("audited");
  extra.project.artifacts = { destination: "s3://mlflow/audited", root };
  // MLflow here takes no credentials; a token configured for it must still never be recorded.
  extra.project.mlflow.auth = { type: "bearer", token: mlflowToken };
  const stack = await stackConfig();
  config = {
    ...stack,
    state: { uri: `s3://mlflow/${statePrefix}` },
    projects: [...stack.projects, extra.project],
    auth: {
      ...stack.auth,
      tokens: [
        {
          subject: "audit-bot",
          sha256: tokenDigest(TOKEN),
          grants: [{ project: "*", role: "admin" }],
        },
      ],
    },
  };
  anonymous = await startTestGateway(config);
  gateway = {
    ...anonymous,
    query: (document, variables) =>
      post(
        anonymous.url,
        { query: typeof document === "string" ? document : print(document), variables },
        { authorization: `Bearer ${TOKEN}` },
      ),
  } as TestGateway;
  s3 = stackS3();
  const put = (key: string, body: string | Uint8Array) =>
    s3.send(new PutObjectCommand({ Bucket: "mlflow", Key: key, Body: body }));
  await put("audited/registry-graph/imports/scorer/MLmodel", mlmodel);
}, 120_000);

afterAll(async () => {
  await anonymous?.stop();
  await extra?.server.stop();
  s3?.destroy();
});

const LOG = `query ($project: String!, $model: String, $first: Int, $after: String) {
  auditLog(project: $project, model: $model, first: $first, after: $after) {
    edges { cursor node { id time durationMs subject via operation project model version
      changes { field from to } result ok error { code message step } requestId } }
    pageInfo { hasNextPage hasPreviousPage startCursor endCursor } } }`;

async function readLog(
  vars: { model?: string; first?: number; after?: string } = {},
): Promise<LogPage> {
  const { data, errors } = await gateway.query<{ auditLog: LogPage }>(LOG, {
    project: "audited",
    ...vars,
  });
  expect(errors).toBeUndefined();
  return data!.auditLog;
}

const setTag = (key: string, value: string) =>
  `mutation { setModelTag(input: { project: "audited", name: "scorer", key: "${key}", value: "${value}" }) { name } }`;

/** The operations run so far, in order: the log must list them newest first. */
const performed: { operation: string; model: string | null }[] = [];

/** Runs one mutation and answers the newest record of the log, which must be its own. */
async function audited(
  operation: string,
  model: string | null,
  mutation: string,
  variables?: object,
): Promise<{ record: Logged; response: Awaited<ReturnType<TestGateway["query"]>> }> {
  const response = await gateway.query(mutation, variables as never);
  expect(response.status).toBe(200); // it ran (a request refused before running is not audited)
  performed.push({ operation, model });
  const [newest] = (await readLog({ first: 1 })).edges;
  expect(newest!.node.operation).toBe(operation);
  return { record: newest!.node, response };
}

const ok = (record: Logged) => {
  expect(record.ok).toBe(true);
  expect(record.error).toBeNull();
};

describe("the audit log records every kind of mutation", () => {
  it("createModel: who, what, and what was set", async () => {
    const { record } = await audited(
      "createModel",
      "scorer",
      `mutation { createModel(input: { project: "audited", name: "scorer", description: "first",
         tags: [{ key: "team", value: "risk" }] }) { name } }`,
    );
    ok(record);
    expect(record).toMatchObject({
      subject: "audit-bot",
      via: "token",
      project: "audited",
      model: "scorer",
      version: null,
      result: "model scorer",
      changes: [
        { field: "model", from: null, to: "scorer" },
        { field: "description", from: null, to: "first" },
        { field: "tag:team", from: null, to: "risk" },
      ],
    });
    expect(Date.now() - Date.parse(record.time)).toBeLessThan(60_000);
  });

  it("a failed createModel, with its error code", async () => {
    const { record, response } = await audited(
      "createModel",
      "scorer",
      `mutation { createModel(input: { project: "audited", name: "scorer" }) { name } }`,
    );
    expect(response.errors![0]!.extensions!.code).toBe("ALREADY_EXISTS");
    expect(record).toMatchObject({ ok: false, project: "audited", model: "scorer" });
    expect(record.error).toMatchObject({ code: "ALREADY_EXISTS", step: null });
    expect(record.error!.message).toBe(response.errors![0]!.message);
  });

  it("updateModel: the description from and to", async () => {
    const { record } = await audited(
      "updateModel",
      "scorer",
      `mutation { updateModel(input: { project: "audited", name: "scorer", description: "second" }) { name } }`,
    );
    ok(record);
    expect(record.changes).toEqual([{ field: "description", from: "first", to: "second" }]);
  });

  it("setModelTag: the key, its old and its new value", async () => {
    const { record } = await audited(
      "setModelTag",
      "scorer",
      `mutation { setModelTag(input: { project: "audited", name: "scorer", key: "team", value: "fraud" }) { name } }`,
    );
    ok(record);
    expect(record.changes).toEqual([{ field: "tag:team", from: "risk", to: "fraud" }]);
  });

  it("deleteModelTag: the key and the value it had", async () => {
    const { record } = await audited(
      "deleteModelTag",
      "scorer",
      `mutation { deleteModelTag(input: { project: "audited", name: "scorer", key: "team" }) { name } }`,
    );
    ok(record);
    expect(record.changes).toEqual([{ field: "tag:team", from: "fraud", to: null }]);
  });

  const createVersion = (fields = "") =>
    `mutation { createVersion(input: { project: "audited", model: "scorer",
       source: "${root}/imports/scorer" ${fields} }) { number } }`;

  it("createVersion: the version made, its source and the alias it took", async () => {
    const { record } = await audited(
      "createVersion",
      "scorer",
      createVersion(`, aliases: ["champion"], tags: [{ key: "origin", value: "import" }]`),
    );
    ok(record);
    expect(record).toMatchObject({ version: 1, result: "version 1" });
    expect(record.changes).toEqual([
      { field: "source", from: null, to: `${root}/imports/scorer` },
      { field: "tag:origin", from: null, to: "import" },
      { field: "version", from: null, to: "1" },
      { field: "alias:champion", from: null, to: "1" },
    ]);
  });

  it("setAlias: which version the alias moved from, and to", async () => {
    await audited("createVersion", "scorer", createVersion());
    const { record, response } = await audited(
      "setAlias",
      "scorer",
      `mutation { setAlias(input: { project: "audited", model: "scorer", version: 2, alias: "champion" }) { number } }`,
    );
    ok(record);
    expect(record).toMatchObject({ version: 2 });
    expect(record.changes).toEqual([{ field: "alias:champion", from: "1", to: "2" }]);
    // The "from" costs one model read before the write; the record, two create-only PUTs.
    expect(response.extensions!.upstreamCalls!.byUpstream).toMatchObject({ "s3:audit": 2 });
  });

  it("transitionStage: the stage from and to", async () => {
    const { record } = await audited(
      "transitionStage",
      "scorer",
      `mutation { transitionStage(input: { project: "audited", model: "scorer", version: 2, stage: "Staging" }) { stage } }`,
    );
    ok(record);
    expect(record.changes).toEqual([{ field: "stage", from: "None", to: "Staging" }]);
  });

  it("updateVersion, setVersionTag and deleteVersionTag: from and to", async () => {
    const version = `project: "audited", model: "scorer", version: 2`;
    const update = await audited(
      "updateVersion",
      "scorer",
      `mutation { updateVersion(input: { ${version}, description: "${"d".repeat(1000)}" }) { number } }`,
    );
    ok(update.record);
    // A long value is cut short in the record, with its full length.
    expect(update.record.changes).toEqual([
      { field: "description", from: null, to: `${"d".repeat(256)}… (1000 characters)` },
    ]);

    const set = await audited(
      "setVersionTag",
      "scorer",
      `mutation { setVersionTag(input: { ${version}, key: "k", value: "v1" }) { number } }`,
    );
    expect(set.record.changes).toEqual([{ field: "tag:k", from: null, to: "v1" }]);
    const reset = await audited(
      "setVersionTag",
      "scorer",
      `mutation { setVersionTag(input: { ${version}, key: "k", value: "v2" }) { number } }`,
    );
    expect(reset.record.changes).toEqual([{ field: "tag:k", from: "v1", to: "v2" }]);
    const removed = await audited(
      "deleteVersionTag",
      "scorer",
      `mutation { deleteVersionTag(input: { ${version}, key: "k" }) { number } }`,
    );
    ok(removed.record);
    expect(removed.record.changes).toEqual([{ field: "tag:k", from: "v2", to: null }]);
  });

  it("deleteAlias and deleteVersion: what was removed", async () => {
    const alias = await audited(
      "deleteAlias",
      "scorer",
      `mutation { deleteAlias(input: { project: "audited", model: "scorer", alias: "champion" }) { name } }`,
    );
    ok(alias.record);
    expect(alias.record.changes).toEqual([{ field: "alias:champion", from: "2", to: null }]);

    const version = await audited(
      "deleteVersion",
      "scorer",
      `mutation { deleteVersion(input: { project: "audited", model: "scorer", version: 1 }) { id } }`,
    );
    ok(version.record);
    expect(version.record).toMatchObject({ version: 1, result: "version 1 deleted" });
    expect(version.record.changes).toEqual([{ field: "version", from: "1", to: null }]);
  });

  it("promoteVersion: the target, the version made there, and where it came from", async () => {
    const { record } = await audited(
      "promoteVersion",
      "promoted",
      `mutation { promoteVersion(input: {
         from: { project: "fraud", model: "fraud-detector", version: 2 },
         to: { project: "audited", model: "promoted" }, alias: "champion" }) { number } }`,
    );
    ok(record);
    expect(record).toMatchObject({ project: "audited", model: "promoted", version: 1 });
    expect(record.changes).toEqual(
      expect.arrayContaining([
        { field: "promotedFrom", from: null, to: "fraud/fraud-detector/2" },
        { field: "version", from: null, to: "1" },
        { field: "alias:champion", from: null, to: "1" },
      ]),
    );
  });

  it("startUpload, completeUpload and abortUpload: the upload's id and file count, no URL", async () => {
    const uploads = uploadClient(gateway, "audited");
    const file = { path: "MLmodel", size: mlmodel.length, sha256: sha256(mlmodel) };
    const started = await uploads.start([file], "scorer");
    performed.push({ operation: "startUpload", model: "scorer" });
    const { uploadId } = started.data!.startUpload;
    const [startRecord] = (await readLog({ first: 1 })).edges.map((e) => e.node);
    ok(startRecord!);
    expect(startRecord).toMatchObject({
      operation: "startUpload",
      model: "scorer",
      result: `upload ${uploadId}, 1 files`,
      changes: [{ field: "upload", from: null, to: uploadId }],
    });

    const parts = await uploads.send(started.data!.startUpload, { MLmodel: mlmodel });
    const completed = await audited(
      "completeUpload",
      "scorer",
      `mutation ($input: CompleteUploadInput!) { completeUpload(input: $input) { status } }`,
      { input: { uploadId, parts } },
    );
    ok(completed.record);
    expect(completed.record).toMatchObject({
      project: "audited",
      model: "scorer",
      result: `upload ${uploadId}, 1 files verified`,
      changes: [{ field: "uploadStatus", from: "STARTED", to: "COMPLETED" }],
    });

    const aborted = await audited(
      "abortUpload",
      "scorer",
      `mutation ($id: ID!) { abortUpload(input: { uploadId: $id }) { removedObjects } }`,
      { id: uploadId },
    );
    ok(aborted.record);
    expect(aborted.record).toMatchObject({ project: "audited", model: "scorer" });
    expect(aborted.record.changes).toEqual([{ field: "upload", from: uploadId, to: null }]);
  });

  it("deleteModel: the model removed", async () => {
    const { record } = await audited(
      "deleteModel",
      "promoted",
      `mutation { deleteModel(input: { project: "audited", name: "promoted" }) { id } }`,
    );
    ok(record);
    expect(record.changes).toEqual([{ field: "model", from: "promoted", to: null }]);
  });
});

describe("reading the audit log", () => {
  it("lists every record newest first", async () => {
    const page = await readLog({ first: 100 });
    expect(page.edges.map((e) => e.node.operation)).toEqual(
      [...performed].reverse().map((p) => p.operation),
    );
    const ids = page.edges.map((e) => e.node.id);
    expect([...ids].sort()).toEqual(ids);
    const times = page.edges.map((e) => Date.parse(e.node.time));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
    expect(page.pageInfo).toMatchObject({ hasNextPage: false, hasPreviousPage: false });
  });

  it("pages with first and after, neither skipping nor repeating a record", async () => {
    const all = (await readLog({ first: 100 })).edges.map((e) => e.node.id);
    const seen: string[] = [];
    let after: string | undefined;
    for (;;) {
      const page = await readLog({ first: 4, after });
      seen.push(...page.edges.map((e) => e.node.id));
      expect(page.pageInfo.hasPreviousPage).toBe(after !== undefined);
      if (!page.pageInfo.hasNextPage) break;
      expect(page.edges).toHaveLength(4);
      after = page.pageInfo.endCursor!;
    }
    expect(seen).toEqual(all);
  });

  it("reads one model's records alone, by their own prefix", async () => {
    for (const model of ["scorer", "promoted"]) {
      const page = await readLog({ model, first: 100 });
      expect(page.edges.map((e) => e.node.operation)).toEqual(
        performed
          .filter((p) => p.model === model)
          .reverse()
          .map((p) => p.operation),
      );
      expect(page.edges.every((e) => e.node.model === model)).toBe(true);
    }
    expect((await readLog({ model: "never-written" })).edges).toEqual([]);
  });

  it("keeps no token, credential or URL in any record", async () => {
    const listed = await s3.send(
      new ListObjectsV2Command({ Bucket: "mlflow", Prefix: `${statePrefix}/audit/` }),
    );
    expect(listed.KeyCount).toBeGreaterThan(2 * performed.length - 1);
    const bodies = await Promise.all(
      (listed.Contents ?? []).map(async (o) => {
        const got = await s3.send(new GetObjectCommand({ Bucket: "mlflow", Key: o.Key! }));
        return got.Body!.transformToString();
      }),
    );
    const text = bodies.join("\n");
    expect(text).not.toContain(TOKEN);
    expect(text).not.toContain(mlflowToken);
    expect(text).not.toContain(config.s3.credentials!.secretAccessKey);
    expect(text).not.toMatch(/https?:\/\//);
    expect(text).not.toMatch(/X-Amz-/i);
  });

  it("records the request's id", async () => {
    const response = await post(
      anonymous.url,
      { query: setTag("a", "b") },
      { authorization: `Bearer ${TOKEN}`, "x-request-id": "audit-trace-1" },
    );
    expect(response.status).toBe(200);
    performed.push({ operation: "setModelTag", model: "scorer" });
    const [newest] = (await readLog({ first: 1 })).edges;
    expect(newest!.node).toMatchObject({ operation: "setModelTag", requestId: "audit-trace-1" });
  });

  it("records an anonymous caller as a null subject", async () => {
    expect((await anonymous.query(setTag("by", "anyone"))).errors).toBeUndefined();
    performed.push({ operation: "setModelTag", model: "scorer" });
    const [newest] = (await readLog({ first: 1 })).edges;
    expect(newest!.node).toMatchObject({
      operation: "setModelTag",
      subject: null,
      via: "anonymous",
      changes: [{ field: "tag:by", from: null, to: "anyone" }],
    });
  });

  it("refuses a cursor it did not issue, and an unknown project", async () => {
    const bad = await gateway.query(LOG, { project: "audited", after: "bm90LWEtY3Vyc29y" });
    expect(bad.errors![0]!.extensions!.code).toBe("BAD_USER_INPUT");
    const unknown = await gateway.query(LOG, { project: "nope" });
    expect(unknown.errors![0]!.extensions!.code).toBe("NOT_FOUND");
  });
});

describe("what is and is not recorded", () => {
  const keysUnder = async (prefix: string) =>
    (
      await s3.send(
        new ListObjectsV2Command({ Bucket: "mlflow", Prefix: `${statePrefix}/${prefix}` }),
      )
    ).KeyCount ?? 0;

  it("keeps a mutation naming no configured project out of every project's log", async () => {
    const before = await keysUnder("audit/unattributed/");
    const response = await gateway.query(
      `mutation { createModel(input: { project: "nope", name: "m" }) { name } }`,
    );
    expect(response.errors![0]!.extensions!.code).toBe("NOT_FOUND");
    expect(await keysUnder("audit/unattributed/")).toBe(before + 1);
    expect(await keysUnder("audit/projects/nope/")).toBe(0);
  });

  it("writes nothing for a request refused before authentication (HTTP 401)", async () => {
    const before = await keysUnder("audit/");
    const response = await post(
      anonymous.url,
      { query: setTag("x", "y") },
      { authorization: "Bearer rg_a-token-nobody-configured" },
    );
    expect(response.status).toBe(401);
    expect(await keysUnder("audit/")).toBe(before);
  });

  it("writes nothing for a request refused before it runs (a limit: HTTP 400)", async () => {
    const before = await keysUnder("audit/");
    const response = await gateway.query(
      `mutation { createModel(input: { project: "audited", name: "${"x".repeat(300)}" }) { name } }`,
    );
    expect(response.status).toBe(400);
    expect(await keysUnder("audit/")).toBe(before);
  });

  it("answers a mutation whose record cannot be written, and logs the failure as an error", async () => {
    const lines: string[] = [];
    const logger = createLogger("error", { write: (line: string) => lines.push(line) });
    const broken = await startGateway(
      { ...config, state: { uri: "s3://no-such-bucket-for-audit/state" } },
      logger,
    );
    try {
      const response = await fetch(`${broken.url}/graphql`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({
          query: `mutation { setModelTag(input: { project: "audited", name: "scorer", key: "c", value: "d" }) { tags { key value } } }`,
        }),
      });
      const body = (await response.json()) as { data?: unknown; errors?: unknown };
      expect(body.errors).toBeUndefined();
      expect(body.data).toMatchObject({
        setModelTag: { tags: expect.arrayContaining([{ key: "c", value: "d" }]) },
      });
      const logged = lines.map(
        (line) => JSON.parse(line) as Logged & { level: number; msg: string; audit: Logged },
      );
      const failure = logged.find((l) => l.msg === "audit record not written");
      expect(failure?.level).toBe(50); // pino's error
      expect(failure?.audit).toMatchObject({
        operation: "setModelTag",
        changes: [{ field: "tag:c", from: null, to: "d" }],
      });
    } finally {
      await broken.stop();
    }
  });
});
