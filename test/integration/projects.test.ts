import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { ProjectsStatusDocument } from "../generated/graphql.js";
import { startTestGateway, type TestGateway } from "../support/gateway.js";
import { mlflowGet, stackConfig, testStack } from "../support/stack.js";

let gateway: TestGateway;
beforeAll(async () => {
  gateway = await startTestGateway(await stackConfig());
});
afterAll(() => gateway.stop());

describe("projects", () => {
  it("lists every project, up, with the version its MLflow reports itself", async () => {
    const { data, errors, extensions } = await gateway.query(ProjectsStatusDocument);

    expect(errors).toBeUndefined();
    const names = testStack().state.projects.map((p) => p.name);
    expect(data!.projects.map((p) => p.name)).toEqual(names);
    for (const project of data!.projects) {
      const version = await mlflowGet<string>(project.name, "version");
      expect(project.status).toMatchObject({
        up: true,
        mlflowVersion: version.trim(),
        error: null,
      });
      expect(project.status.latencyMs).toBeGreaterThanOrEqual(0);
    }
    // One status call per project, batched by the loader however the query asks.
    expect(extensions!.upstreamCalls!.byUpstream).toEqual(
      Object.fromEntries(names.map((n) => [`mlflow:${n}`, 1])),
    );
  });

  it("finds a project by name and says NOT_FOUND, naming it, for an unknown one", async () => {
    const found = await gateway.query(`{ project(name: "churn") { name status { up } } }`);
    expect(found.data).toEqual({ project: { name: "churn", status: { up: true } } });

    const missing = await gateway.query(`{ project(name: "nope") { name } }`);
    expect(missing.data).toEqual({ project: null });
    expect(missing.errors).toEqual([
      expect.objectContaining({
        message: 'unknown project "nope"',
        path: ["project"],
        extensions: { code: "NOT_FOUND", project: "nope" },
      }),
    ]);
  });
});
