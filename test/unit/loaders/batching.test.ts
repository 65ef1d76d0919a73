import { afterEach, describe, expect, it } from "@jest/globals";
import { createLoaders, ListedProjects } from "../../../src/loaders/index.js";
import { CALLS_BEFORE_LISTING } from "../../../src/loaders/keys.js";
import { UpstreamCalls } from "../../../src/sources/calls.js";
import { MlflowError } from "../../../src/sources/mlflow/errors.js";
import {
  FakeMlflow,
  hexId,
  modelName,
  type Outage,
  seedRegistry,
} from "../../support/fake-mlflow.js";

// How many MLflow calls the loaders make, against in-memory MLflow servers (fake-mlflow.ts).
// The same promises as test/integration/batching.test.ts, at sizes a real server is slow to
// seed, and with failures a real one cannot be made to produce on cue.

type Loaders = ReturnType<typeof createLoaders>;

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

/** The loaders of one GraphQL request over the fake's projects. */
function request(fake: FakeMlflow) {
  const upstreams = fake.upstreams();
  closers.push(() => upstreams.close());
  const calls = new UpstreamCalls();
  const listed = new ListedProjects();
  return { loaders: createLoaders(upstreams, calls, listed), calls, listed };
}

/**
 * What test/operations/dashboard.graphql has the loaders do, as GraphQL resolves it without
 * read-ahead: the project's models; then, fields of one level and so one batch, each model's
 * aliased versions and its version list; then the runs of those and of the five newest.
 */
async function dashboard(loaders: Loaders, project: string) {
  const models = await loaders.modelsOfProject.load(project);
  const [aliased, lists] = await Promise.all([
    Promise.all(
      models.flatMap((m) =>
        m.aliases.map((a) => loaders.version.load({ project, model: m.name, number: a.version })),
      ),
    ),
    Promise.all(models.map((m) => loaders.versionsOfModel.load({ project, name: m.name }))),
  ]);
  const shown = [...aliased, ...lists.flatMap((list) => list.slice(0, 5))];
  const runs = await Promise.all(shown.map((v) => loaders.run.load({ project, runId: v!.runId! })));
  return { models, aliased, lists, runs };
}

const runIdsIn = (filter: unknown) => String(filter).match(/[0-9a-f]{32}/g) ?? [];

describe("a dashboard-shaped load", () => {
  it.each([5, 60])("of %i models makes four calls: one listing of each kind", async (count) => {
    const fake = new FakeMlflow().serve("p", seedRegistry("p", { models: count }));
    const { loaders, calls } = request(fake);

    const { models, aliased, lists, runs } = await dashboard(loaders, "p");

    expect(models.map((m) => m.name)).toEqual(
      Array.from({ length: count }, (_, i) => modelName(i + 1)),
    );
    expect(aliased.map((v) => v!.number)).toEqual(Array(count).fill(4));
    for (const list of lists) expect(list.map((v) => v.number)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(runs.every((r) => r !== null && r.params.length === 2)).toBe(true);

    expect(fake.callsTo("p")).toEqual([
      "GET registered-models/search",
      "GET model-versions/search",
      "POST experiments/search",
      "POST runs/search",
    ]);
    const [listing, versions, , runSearch] = fake.calls;
    expect(listing!.params).toEqual({ max_results: "1000", order_by: "name ASC" });
    // The whole project's versions, not one search per model.
    expect(versions!.params).toEqual({ max_results: "5000" });
    // Every run shown (the champion is among the five newest) in one IN list.
    expect(new Set(runIdsIn(runSearch!.params.filter)).size).toBe(5 * count);
    expect(calls.toJSON()).toEqual({
      total: 4,
      byUpstream: { "mlflow:p": 4 },
      shared: 0,
      cached: 0,
    });
  });

  it("makes the same calls for 60 models as for 5", async () => {
    const fake = new FakeMlflow()
      .serve("small", seedRegistry("small", { models: 5 }))
      .serve("big", seedRegistry("big", { models: 60 }));
    await dashboard(request(fake).loaders, "small");
    await dashboard(request(fake).loaders, "big");

    expect(fake.callsTo("big")).toEqual(fake.callsTo("small"));
  });

  it(`searches versions by name for up to ${CALLS_BEFORE_LISTING} models, the aliased ones among them`, async () => {
    const fake = new FakeMlflow().serve("p", seedRegistry("p", { models: CALLS_BEFORE_LISTING }));
    const { loaders, calls } = request(fake);

    const { aliased } = await dashboard(loaders, "p");

    expect(aliased.map((v) => v!.number)).toEqual(Array(CALLS_BEFORE_LISTING).fill(4));
    expect(fake.callsTo("p")).toEqual([
      "GET registered-models/search",
      ...Array(CALLS_BEFORE_LISTING).fill("GET model-versions/search"),
      "POST experiments/search",
      "POST runs/search",
    ]);
    const filters = fake.calls
      .filter((c) => c.endpoint === "model-versions/search")
      .map((c) => c.params.filter);
    expect(filters.sort()).toEqual(
      Array.from({ length: CALLS_BEFORE_LISTING }, (_, i) => `name = '${modelName(i + 1)}'`),
    );
    expect(calls.total).toBe(3 + CALLS_BEFORE_LISTING);
  });
});

describe("runs and logged models", () => {
  it("share one experiment listing, then one search each for all their ids", async () => {
    const registry = seedRegistry("p", { models: 3 });
    const loggedIds = [1, 2, 3].map((i) => `m-${hexId("logged", i)}`);
    registry.loggedModels = loggedIds.map((id, i) => ({
      info: { model_id: id, experiment_id: "1", source_run_id: registry.runs[i]!.info!.run_id },
    }));
    const fake = new FakeMlflow().serve("p", registry);
    const { loaders } = request(fake);

    const runIds = registry.runs.slice(0, 4).map((r) => r.info!.run_id!);
    const [runs, logged] = await Promise.all([
      Promise.all(runIds.map((runId) => loaders.run.load({ project: "p", runId }))),
      Promise.all(loggedIds.map((modelId) => loaders.loggedModel.load({ project: "p", modelId }))),
    ]);

    expect(runs.map((r) => r!.id)).toEqual(runIds);
    expect(logged.map((m) => m!.sourceRunId)).toEqual(runIds.slice(0, 3));
    expect(fake.callsTo("p").sort()).toEqual([
      "POST experiments/search",
      "POST logged-models/search",
      "POST runs/search",
    ]);
  });
});

describe("a project past one page", () => {
  it("is read to the end, each listing following its page tokens", async () => {
    // 2,500 models (pages of 1,000), 7,500 versions (pages of 5,000), 1,500 experiments.
    const registry = seedRegistry("huge", {
      models: 2500,
      versionsPerModel: 3,
      champion: 2,
      experiments: 1500,
    });
    const fake = new FakeMlflow().serve("huge", registry);
    const { loaders, calls } = request(fake);
    const project = "huge";

    const models = await loaders.modelsOfProject.load(project);
    const lists = await Promise.all(
      models.map((m) => loaders.versionsOfModel.load({ project, name: m.name })),
    );
    const champions = lists.map((list) => list.find((v) => v.number === 2)!);
    const runs = await Promise.all(
      champions.map((v) => loaders.run.load({ project, runId: v.runId! })),
    );

    expect(new Set(models.map((m) => m.name)).size).toBe(2500);
    expect(lists.every((list) => list.length === 3)).toBe(true);
    expect(runs.map((r) => r!.id)).toEqual(champions.map((v) => v.runId));

    const token = (offset: number) => Buffer.from(JSON.stringify({ offset })).toString("base64");
    const paramsOf = (endpoint: string) =>
      fake.calls.filter((c) => c.endpoint === endpoint).map((c) => c.params);
    expect(paramsOf("registered-models/search")).toEqual([
      { max_results: "1000", order_by: "name ASC" },
      { max_results: "1000", order_by: "name ASC", page_token: token(1000) },
      { max_results: "1000", order_by: "name ASC", page_token: token(2000) },
    ]);
    expect(paramsOf("model-versions/search")).toEqual([
      { max_results: "5000" },
      { max_results: "5000", page_token: token(5000) },
    ]);
    expect(paramsOf("experiments/search")).toEqual([
      { max_results: 1000, view_type: "ALL" },
      { max_results: 1000, view_type: "ALL", page_token: token(1000) },
    ]);
    // Runs by id in IN lists of one page each (1,000), so none needs a second page.
    const runSearches = paramsOf("runs/search");
    expect(runSearches.map((p) => runIdsIn(p.filter).length).sort()).toEqual([1000, 1000, 500]);
    for (const search of runSearches) {
      expect(search.experiment_ids).toHaveLength(1500);
      expect(search.page_token).toBeUndefined();
    }
    expect(calls.total).toBe(3 + 2 + 2 + 3);
  });
});

describe("a failed project among healthy ones", () => {
  const projects = ["alpha", "down", "gamma"];

  function threeProjects(outage: Outage) {
    const fake = new FakeMlflow();
    for (const p of projects) fake.serve(p, seedRegistry(p, { models: 5 }));
    return fake.fail("down", outage);
  }

  /** Models by name, their versions and their champions' runs, all projects in one batch each. */
  async function load(loaders: Loaders, models: number) {
    const keys = projects.flatMap((project) =>
      Array.from({ length: models }, (_, i) => ({ project, name: modelName(i + 1) })),
    );
    const byProject = async <T>(load: (key: (typeof keys)[number]) => Promise<T>) => {
      const settled = await Promise.allSettled(keys.map(load));
      return Map.groupBy(settled, (_, i) => keys[i]!.project);
    };
    return {
      models: await byProject((k) => loaders.model.load(k)),
      versions: await byProject((k) => loaders.versionsOfModel.load(k)),
      runs: await byProject((k) =>
        loaders.run.load({ project: k.project, runId: hexId(k.project, k.name, 4) }),
      ),
    };
  }

  const healthyCalls = [
    "GET registered-models/search",
    "GET model-versions/search",
    "POST experiments/search",
    "POST runs/search",
  ];

  it.each<[Outage, string, number]>([
    ["http-500", 'MLflow of project "down" answered HTTP 500', 1],
    ["refused", 'MLflow of project "down" is unreachable (ECONNREFUSED)', 1],
    // The one retry the read policy allows, on a reset keep-alive socket.
    ["reset", 'MLflow of project "down" is unreachable (ECONNRESET)', 2],
  ])(
    "fails only its keys (%s), each call tried as the policy says and no more",
    async (outage, message, attempts) => {
      const fake = threeProjects(outage);
      const { loaders, calls } = request(fake);

      const { models, versions, runs } = await load(loaders, 5);

      for (const results of [models, versions, runs]) {
        for (const project of ["alpha", "gamma"]) {
          expect(results.get(project)!.map((r) => r.status)).toEqual(Array(5).fill("fulfilled"));
        }
        for (const result of results.get("down")!) {
          expect(result.status).toBe("rejected");
          const reason = (result as PromiseRejectedResult).reason as MlflowError;
          expect(reason).toBeInstanceOf(MlflowError);
          expect(reason).toMatchObject({ project: "down", kind: "UNAVAILABLE", message });
        }
      }
      const alphaRuns = runs.get("alpha")! as PromiseFulfilledResult<{ id: string } | null>[];
      expect(alphaRuns.map((r) => r.value!.id)).toEqual(
        Array.from({ length: 5 }, (_, i) => hexId("alpha", modelName(i + 1), 4)),
      );

      expect(fake.callsTo("alpha")).toEqual(healthyCalls);
      expect(fake.callsTo("gamma")).toEqual(healthyCalls);
      // No run search: it needs the experiment ids, which failed.
      expect(fake.callsTo("down")).toEqual(
        [
          "GET registered-models/search",
          "GET model-versions/search",
          "POST experiments/search",
        ].flatMap((call) => Array(attempts).fill(call)),
      );
      expect(calls.toJSON().byUpstream).toEqual({
        "mlflow:alpha": 4,
        "mlflow:down": 3,
        "mlflow:gamma": 4,
      });

      // A failure is kept for the request: asking again sends nothing.
      const sent = fake.calls.length;
      await load(loaders, 5);
      expect(fake.calls).toHaveLength(sent);
    },
  );

  it("sends one call per key when it has only a few, none of them retried", async () => {
    const fake = threeProjects("http-500");
    const { loaders } = request(fake);

    const { models, versions } = await load(loaders, 2);

    expect(models.get("down")!.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(versions.get("down")!.map((r) => r.status)).toEqual(["rejected", "rejected"]);
    expect(models.get("alpha")!.map((r) => r.status)).toEqual(["fulfilled", "fulfilled"]);
    expect(fake.callsTo("down").sort()).toEqual([
      "GET model-versions/search",
      "GET model-versions/search",
      "GET registered-models/get",
      "GET registered-models/get",
      "POST experiments/search",
    ]);
  });
});

describe("a project whose listing has started", () => {
  const fake = () => new FakeMlflow().serve("p", seedRegistry("p", { models: 3 }));

  it("answers one model by name from its model listing, with no call of its own", async () => {
    const server = fake();
    const { loaders } = request(server);

    void loaders.modelsOfProject.load("p");
    const [found, missing] = await Promise.all([
      loaders.model.load({ project: "p", name: modelName(2) }),
      loaders.model.load({ project: "p", name: "no-such-model" }),
    ]);

    expect(found!.name).toBe(modelName(2));
    expect(missing).toBeNull();
    expect(server.callsTo("p")).toEqual(["GET registered-models/search"]);
  });

  it("gets one model by name when no listing has started", async () => {
    const server = fake();
    const { loaders } = request(server);

    const [found, missing] = await Promise.all([
      loaders.model.load({ project: "p", name: modelName(2) }),
      loaders.model.load({ project: "p", name: "no-such-model" }),
    ]);

    expect(found!.name).toBe(modelName(2));
    expect(missing).toBeNull();
    expect(server.callsTo("p")).toEqual(["GET registered-models/get", "GET registered-models/get"]);
  });

  it("answers one model's versions, and one version, from its version listing", async () => {
    const server = fake();
    const { loaders, listed } = request(server);

    // What the registry's read-ahead does: mark the project listed, then start its listing.
    listed.versions.add("p");
    void loaders.versionsOfProject.load("p");
    const [versions, version, missing] = await Promise.all([
      loaders.versionsOfModel.load({ project: "p", name: modelName(2) }),
      loaders.version.load({ project: "p", model: modelName(3), number: 5 }),
      loaders.version.load({ project: "p", model: modelName(3), number: 99 }),
    ]);

    expect(versions.map((v) => v.number)).toEqual([6, 5, 4, 3, 2, 1]);
    expect(version).toMatchObject({ model: modelName(3), number: 5 });
    expect(missing).toBeNull();
    expect(server.callsTo("p")).toEqual(["GET model-versions/search"]);
    expect(server.calls[0]!.params).toEqual({ max_results: "5000" });
  });

  it("searches one model's versions by name, and gets one version, when none has started", async () => {
    const server = fake();
    const { loaders } = request(server);

    const versions = await loaders.versionsOfModel.load({ project: "p", name: modelName(2) });
    const version = await loaders.version.load({ project: "p", model: modelName(3), number: 5 });

    expect(versions).toHaveLength(6);
    expect(version).toMatchObject({ model: modelName(3), number: 5 });
    expect(server.calls.map((c) => [c.endpoint, c.params])).toEqual([
      ["model-versions/search", { max_results: "5000", filter: `name = '${modelName(2)}'` }],
      ["model-versions/get", { name: modelName(3), version: "5" }],
    ]);
  });
});
