import { afterAll, describe, expect, it } from "@jest/globals";
import { execute, type ExecutionResult, type GraphQLSchema, parse, subscribe } from "graphql";
import { getMetadataStorage } from "type-graphql";
import { buildGraphSchema } from "../../../src/graph/schema.js";
import type { Caller, Grant } from "../../../src/registry/access/caller.js";
import { StorageHints } from "../../../src/registry/artifacts/storage-hints.js";
import { registryForRequest } from "../../../src/registry/for-request.js";
import { UpstreamCalls } from "../../../src/sources/calls.js";
import { Upstreams } from "../../../src/sources/upstreams.js";
import { encodeId } from "../../../src/graph/common/global-id.js";
import { testConfig } from "../server/limits/check.js";

// Nothing listens on the projects' MLflow URL: a refusal must come before any call, and the
// call count proves it did.
const config = testConfig(2);
const upstreams = Upstreams.fromConfig(config);
afterAll(() => upstreams.close());

let schema: GraphQLSchema;
const built = buildGraphSchema().then((s) => (schema = s));

const caller = (...grants: Grant[]): Caller => ({ subject: "someone", via: "jwt", grants });

async function run(who: Caller, source: string) {
  await built;
  const calls = new UpstreamCalls();
  const registry = registryForRequest(config, upstreams, calls, new StorageHints(), who);
  const context = { registry, limits: config.server, partialErrors: [], calls };
  const result = await execute({ schema, document: parse(source), contextValue: context });
  return { result, calls, codes: (result.errors ?? []).map((e) => e.extensions.code) };
}

/** A subscription's first answer, over a feed no event comes through. */
async function subscribeAs(who: Caller, source: string) {
  await built;
  const calls = new UpstreamCalls({ maxCalls: 0 });
  const feed = { listen: () => () => {}, maxQueued: 1, lagging: () => null, drop: () => {} };
  const registry = registryForRequest(config, upstreams, calls, new StorageHints(), who, feed);
  const context = { registry, limits: config.server, partialErrors: [], calls };
  const result = await subscribe({ schema, document: parse(source), contextValue: context });
  if (Symbol.asyncIterator in result) {
    await result.return?.();
    return { subscribed: true, codes: [], messages: [], calls };
  }
  const errors = (result as ExecutionResult).errors ?? [];
  return {
    subscribed: false,
    codes: errors.map((e) => e.extensions.code),
    messages: errors.map((e) => e.message),
    calls,
  };
}

const UPLOAD = '"00000000-0000-4000-8000-000000000000"';

/** One call of every Mutation field, on project p0 (promotion: from p1 into p0). */
const MUTATIONS: Record<string, string> = {
  createModel: '(input: { project: "p0", name: "m" }) { name }',
  updateModel: '(input: { project: "p0", name: "m", description: "d" }) { name }',
  deleteModel: '(input: { project: "p0", name: "m" }) { id }',
  setModelTag: '(input: { project: "p0", name: "m", key: "k", value: "v" }) { name }',
  deleteModelTag: '(input: { project: "p0", name: "m", key: "k" }) { name }',
  createVersion: '(input: { project: "p0", model: "m", source: "s3://b/p" }) { number }',
  updateVersion: '(input: { project: "p0", model: "m", version: 1, description: "d" }) { number }',
  deleteVersion: '(input: { project: "p0", model: "m", version: 1 }) { id }',
  setVersionTag:
    '(input: { project: "p0", model: "m", version: 1, key: "k", value: "v" }) { number }',
  deleteVersionTag: '(input: { project: "p0", model: "m", version: 1, key: "k" }) { number }',
  setAlias: '(input: { project: "p0", model: "m", version: 1, alias: "champion" }) { number }',
  deleteAlias: '(input: { project: "p0", model: "m", alias: "champion" }) { name }',
  transitionStage:
    '(input: { project: "p0", model: "m", version: 1, stage: "Staging" }) { number }',
  promoteVersion:
    '(input: { from: { project: "p1", model: "m", version: 1 }, to: { project: "p0", model: "m" } }) { number }',
  startUpload:
    '(input: { project: "p0", model: "m", files: [{ path: "MLmodel", size: 1 }] }) { uploadId }',
  completeUpload: `(input: { uploadId: ${UPLOAD} }) { uploadId }`,
  abortUpload: `(input: { uploadId: ${UPLOAD} }) { uploadId }`,
};
const ADMIN_ONLY = new Set(["deleteModel", "deleteVersion"]);
/** Which project these touch is known only once the upload's record is read from S3. */
const BY_UPLOAD_ID = new Set(["completeUpload", "abortUpload"]);

describe("authorization", () => {
  it("guards every Query, Mutation and Subscription field with a role", async () => {
    await built;
    const { queries, mutations, subscriptions } = getMetadataStorage();
    const roles = new Map(
      [...queries, ...mutations, ...subscriptions].map((m) => [m.schemaName, m.roles ?? []]),
    );
    const roots = [
      schema.getQueryType()!,
      schema.getMutationType()!,
      schema.getSubscriptionType()!,
    ];
    const fields = roots.flatMap((type) => Object.keys(type.getFields()));
    expect(fields).toContain("registryEvents");
    expect(fields.filter((field) => !(roles.get(field)?.length ?? 0))).toEqual([]);
  });

  it("has a case below for every Mutation field", async () => {
    await built;
    expect(Object.keys(schema.getMutationType()!.getFields()).sort()).toEqual(
      Object.keys(MUTATIONS).sort(),
    );
  });

  it.each(Object.entries(MUTATIONS))(
    "refuses %s to a reader everywhere, before any upstream call",
    async (field, call) => {
      const { codes, calls } = await run(
        caller({ project: "*", role: "reader" }),
        `mutation { ${field}${call} }`,
      );
      expect(codes).toEqual(["FORBIDDEN"]);
      expect(calls.total).toBe(0);
    },
  );

  it.each(Object.entries(MUTATIONS).filter(([field]) => ADMIN_ONLY.has(field)))(
    "refuses %s to a writer: deletes are an admin's",
    async (field, call) => {
      const { codes, calls } = await run(
        caller({ project: "*", role: "writer" }),
        `mutation { ${field}${call} }`,
      );
      expect(codes).toEqual(["FORBIDDEN"]);
      expect(calls.total).toBe(0);
    },
  );

  it.each(Object.entries(MUTATIONS).filter(([field]) => !BY_UPLOAD_ID.has(field)))(
    "answers %s in a project the caller cannot see as if it did not exist",
    async (field, call) => {
      const { result, codes, calls } = await run(
        caller({ project: "p1", role: "admin" }),
        `mutation { ${field}${call} }`,
      );
      expect(codes).toEqual(["NOT_FOUND"]);
      expect(result.errors![0]!.message).toBe('unknown project "p0"');
      expect(calls.total).toBe(0);
    },
  );

  it.each(Object.entries(MUTATIONS).filter(([field]) => !BY_UPLOAD_ID.has(field)))(
    "refuses %s where the caller only reads, before any upstream call",
    async (field, call) => {
      const who = caller({ project: "p0", role: "reader" }, { project: "p1", role: "admin" });
      const { codes, calls } = await run(who, `mutation { ${field}${call} }`);
      expect(codes).toEqual(["FORBIDDEN"]);
      expect(calls.total).toBe(0);
    },
  );

  it("narrows a grant to model-name patterns", async () => {
    const who = caller({ project: "p0", role: "writer", models: ["fraud-*"] });
    const allowed = await run(
      who,
      'mutation { createModel(input: { project: "p0", name: "fraud-x" }) { name } }',
    );
    const refused = await run(
      who,
      'mutation { createModel(input: { project: "p0", name: "churn" }) { name } }',
    );
    expect(allowed.codes).not.toContain("FORBIDDEN"); // it went on to MLflow, which is not there
    expect(allowed.calls.total).toBeGreaterThan(0);
    expect(refused.codes).toEqual(["FORBIDDEN"]);
    expect(refused.calls.total).toBe(0);
  });

  it("shows only readable projects, and hides the others from every lookup", async () => {
    const who = caller({ project: "p0", role: "reader" });
    const listed = await run(who, "{ projects { name } }");
    expect(listed.result.data).toEqual({ projects: [{ name: "p0" }] });
    for (const query of [
      '{ project(name: "p1") { name } }',
      '{ model(project: "p1", name: "m") { name } }',
      '{ models(projects: ["p1"]) { totalCount } }',
      '{ versions(projects: ["p1"]) { totalCount } }',
      `{ node(id: "${encodeId("Model", "p1", "m")}") { id } }`,
      `{ node(id: "${encodeId("Project", "p1")}") { id } }`,
      '{ auditLog(project: "p1") { edges { cursor } } }',
    ]) {
      const { result, codes, calls } = await run(who, query);
      expect([query, codes, result.errors![0]!.message]).toEqual([
        query,
        ["NOT_FOUND"],
        'unknown project "p1"',
      ]);
      expect(calls.total).toBe(0);
    }
    const all = await run(who, "{ models { totalCount } }");
    expect(Object.keys(all.calls.toJSON().byUpstream).some((u) => u.includes("p1"))).toBe(false);
  });

  it("reads the audit log of the models a narrowed grant covers, and not the project's whole", async () => {
    const who = caller({ project: "p0", role: "reader", models: ["fraud-*"] });
    const log = (args: string) => run(who, `{ auditLog(${args}) { edges { cursor } } }`);
    const whole = await log('project: "p0"');
    const other = await log('project: "p0", model: "churn"');
    expect([whole.codes, other.codes]).toEqual([["FORBIDDEN"], ["NOT_FOUND"]]);
    expect(other.result.errors![0]!.message).toBe('project "p0" has no model "churn"');
    expect(whole.calls.total + other.calls.total).toBe(0);
  });

  it("refuses an anonymous caller without grants, saying to send a token", async () => {
    const { codes, calls } = await run(
      { subject: null, via: "anonymous", grants: [] },
      "{ projects { name } }",
    );
    expect(codes).toEqual(["FORBIDDEN"]);
    expect(calls.total).toBe(0);
  });

  it("guards the subscription as queries: a role somewhere, and only projects the caller reads", async () => {
    const nobody = await subscribeAs(
      { subject: null, via: "anonymous", grants: [] },
      "subscription { registryEvents { id } }",
    );
    expect(nobody.codes).toEqual(["FORBIDDEN"]);
    const reader = caller({ project: "p1", role: "reader" });
    const hidden = await subscribeAs(
      reader,
      'subscription { registryEvents(projects: ["p0"]) { id } }',
    );
    expect([hidden.codes, hidden.messages]).toEqual([["NOT_FOUND"], ['unknown project "p0"']]);
    const own = await subscribeAs(
      reader,
      'subscription { registryEvents(projects: ["p1"]) { id } }',
    );
    expect(own.subscribed).toBe(true);
    expect(nobody.calls.total + hidden.calls.total + own.calls.total).toBe(0);
  });
});
