import { describe, expect, it } from "@jest/globals";
import { diffSnapshots, snapshotOf } from "../../../src/events/snapshot.js";
import type { ModelVersion, RegisteredModel } from "../../../src/sources/mlflow/types.js";

function model(name: string, over: Partial<RegisteredModel> = {}): RegisteredModel {
  return {
    project: "p",
    name,
    description: null,
    createdAt: new Date(1),
    updatedAt: new Date(1),
    tags: [],
    aliases: [],
    latestVersions: [],
    ...over,
  };
}

function version(name: string, number: number, over: Partial<ModelVersion> = {}): ModelVersion {
  return {
    project: "p",
    model: name,
    number,
    createdAt: new Date(1),
    updatedAt: new Date(1),
    stage: null,
    description: null,
    source: "s3://b/x",
    runId: null,
    loggedModelId: null,
    status: "READY",
    statusMessage: null,
    tags: [],
    ...over,
  };
}

const base = snapshotOf(
  [
    model("a", {
      tags: [{ key: "team", value: "x" }],
      aliases: [{ alias: "champion", version: 1 }],
    }),
    model("b"),
  ],
  [version("a", 1), version("a", 2, { tags: [{ key: "k", value: "1" }] }), version("b", 1)],
);

describe("diffSnapshots", () => {
  it("finds nothing between two equal snapshots", () => {
    expect(diffSnapshots(base, base)).toEqual([]);
  });

  it("reports each kind of change the probe must see", () => {
    const after = snapshotOf(
      [
        model("a", {
          description: "new words",
          tags: [{ key: "owner", value: "y" }],
          aliases: [
            { alias: "champion", version: 2 },
            { alias: "shadow", version: 1 },
          ],
        }),
        model("c"),
      ],
      [
        version("a", 1, { stage: "Production", updatedAt: new Date(2) }),
        version("a", 2, { tags: [{ key: "k", value: "2" }] }),
        version("a", 3),
        version("c", 1),
      ],
    );
    const changes = diffSnapshots(base, after);
    expect(changes).toEqual(
      expect.arrayContaining([
        { kind: "MODEL_UPDATED", model: "a", version: null },
        { kind: "TAG_SET", model: "a", version: null, tagKey: "owner", tagValue: "y" },
        { kind: "TAG_DELETED", model: "a", version: null, tagKey: "team" },
        { kind: "ALIAS_SET", model: "a", version: 2, alias: "champion" },
        { kind: "ALIAS_SET", model: "a", version: 1, alias: "shadow" },
        { kind: "MODEL_CREATED", model: "c", version: null },
        { kind: "MODEL_DELETED", model: "b", version: null },
        { kind: "STAGE_CHANGED", model: "a", version: 1, stage: "Production" },
        { kind: "TAG_SET", model: "a", version: 2, tagKey: "k", tagValue: "2" },
        { kind: "VERSION_CREATED", model: "a", version: 3 },
        { kind: "VERSION_CREATED", model: "c", version: 1 },
      ]),
    );
    // b's version went with b: no VERSION_DELETED of its own. Nothing else was reported.
    expect(changes).toHaveLength(11);
  });

  it("reports a deleted version, an alias removed, and a description or timestamp change", () => {
    const after = snapshotOf(
      [model("a", { tags: [{ key: "team", value: "x" }] }), model("b")],
      [version("a", 1, { description: "better" }), version("b", 1, { updatedAt: new Date(5) })],
    );
    expect(diffSnapshots(base, after)).toEqual([
      { kind: "ALIAS_DELETED", model: "a", version: 1, alias: "champion" },
      { kind: "VERSION_UPDATED", model: "a", version: 1 },
      { kind: "VERSION_UPDATED", model: "b", version: 1 },
      { kind: "VERSION_DELETED", model: "a", version: 2 },
    ]);
  });
});
