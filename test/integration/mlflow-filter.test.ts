import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { UpstreamCalls } from "../../src/sources/calls.js";
import { MlflowClient } from "../../src/sources/mlflow/client.js";
import { type VersionConditions, versionFilter } from "../../src/sources/mlflow/filter.js";
import { MlflowTransport } from "../../src/sources/mlflow/transport.js";
import { type ExtraProject, startExtraProject } from "../support/extra-project.js";
import { testStack } from "../support/stack.js";

// What versionFilter's strings mean to a real MLflow (3.17.2, SQLite): each search must find
// exactly the versions the conditions describe, so `=` is exact and a quoted value is itself.
// Seen here and in mlflow/utils/search_utils.py: sqlparse reads '…' and "…" (and `…` keys)
// as one token whatever they hold, `_strip_quotes` only drops the outer quotes, and `=` is
// SQL equality, so % and _ are plain characters.

let extra: ExtraProject;
let transport: MlflowTransport;
let runId: string;

async function post<T>(path: string, body: object): Promise<T> {
  const response = await fetch(`${extra.server.url}/api/2.0/mlflow/${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`POST ${path}: HTTP ${response.status} ${text}`);
  return JSON.parse(text) as T;
}

/** Registers one version of `name` (creating the model if needed), with these tags. */
async function register(name: string, tags: Record<string, string> = {}, run?: string) {
  await post("registered-models/create", { name }).catch((e: Error) => {
    if (!e.message.includes("RESOURCE_ALREADY_EXISTS")) throw e;
  });
  const source = run
    ? `runs:/${run}/model`
    : `s3://${testStack().state.s3.bucket}/filters/${encodeURIComponent(name)}`;
  await post("model-versions/create", {
    name,
    source,
    ...(run ? { run_id: run } : {}),
    tags: Object.entries(tags).map(([key, value]) => ({ key, value })),
  });
}

/** `name/version` of every version MLflow finds for the filter, sorted. */
async function found(filter: string): Promise<string[]> {
  const versions = await new MlflowClient(transport, new UpstreamCalls()).searchModelVersions(
    filter,
  );
  return versions.map((v) => `${v.model}/${v.number}`).sort();
}

const NAMES = [
  "100%",
  "100x", // what `100%` would also match if = treated % as a wildcard
  "a_b",
  "axb", // and `a_b` with _ as one
  "modèle",
  "Modèle",
  "模型",
  "rocket 🚀",
  "o'brien",
  'say "hi"',
  "tick`name",
  "a;b--c$$d", // SQL's statement, comment and dollar-quote marks (no "/": MLflow refuses it)
];

// All versions of model "tagged", numbered in this order.
const TAGS: Record<string, string>[] = [
  { "team.owner": "100%" },
  { "team.owner": "100x" },
  { team_owner: "100%" }, // a key that `team.owner` would match if its dot were a wildcard
  { "team.owner": "a_b" },
  { "team.owner": "axb" },
  { équipe: "模型" },
  { équipe: "modèle 🚀" },
  { k: "it's" },
  { k: 'say "hi"' },
  { k: "" },
  { "a b/c:d": "v" },
  { k: "x;y--z/*w*/$$" },
];

beforeAll(async () => {
  extra = await startExtraProject("filters");
  transport = new MlflowTransport(extra.project);
  for (const name of NAMES) await register(name);
  for (const tags of TAGS) await register("tagged", tags);
  ({
    run: {
      info: { run_id: runId },
    },
  } = await post<{ run: { info: { run_id: string } } }>("runs/create", { experiment_id: "0" }));
  await register("tagged", { k: "from-run" }, runId); // version 13
  await register("100%", { k: "from-run" }, runId); // version 2
}, 180_000);

afterAll(async () => {
  transport?.close();
  await extra?.server.stop();
});

describe("versionFilter on a real MLflow", () => {
  it.each(NAMES)("name %j finds that model's versions and no other", async (name) => {
    const expected = name === "100%" ? ["100%/1", "100%/2"] : [`${name}/1`];
    expect(await found(versionFilter({ name })!)).toEqual(expected);
  });

  it.each<[VersionConditions["tag"], string[]]>([
    [{ key: "team.owner", value: "100%" }, ["tagged/1"]],
    [{ key: "team.owner", value: "a_b" }, ["tagged/4"]],
    [{ key: "équipe", value: "模型" }, ["tagged/6"]],
    [{ key: "équipe", value: "modèle 🚀" }, ["tagged/7"]],
    [{ key: "k", value: "it's" }, ["tagged/8"]],
    [{ key: "k", value: 'say "hi"' }, ["tagged/9"]],
    [{ key: "k", value: "" }, ["tagged/10"]],
    [{ key: "a b/c:d", value: "v" }, ["tagged/11"]],
    [{ key: "k", value: "x;y--z/*w*/$$" }, ["tagged/12"]],
    [{ key: "k", value: "from-run" }, ["100%/2", "tagged/13"]],
  ])("tag %j finds exactly its versions", async (tag, expected) => {
    expect(await found(versionFilter({ tag })!)).toEqual(expected);
  });

  it("a run id, alone and with a name and a tag", async () => {
    expect(await found(versionFilter({ runId })!)).toEqual(["100%/2", "tagged/13"]);
    expect(await found(versionFilter({ runId, name: "100%" })!)).toEqual(["100%/2"]);
    const all = versionFilter({ name: "tagged", runId, tag: { key: "k", value: "from-run" } })!;
    expect(all).toContain(" AND ");
    expect(await found(all)).toEqual(["tagged/13"]);
  });

  it("does not unescape a doubled quote: why such names are left out, not escaped", async () => {
    expect(await found(`name = 'o''brien'`)).toEqual([]);
    expect(versionFilter({ name: `o'brien "the" scorer` })).toBeNull();
  });
});
