import { describe, expect, it } from "@jest/globals";
import type { Caller } from "../../../../src/registry/access/caller.js";
import { clip, MAX_VALUE_CHARS } from "../../../../src/registry/audit/clip.js";
import { isRecordId } from "../../../../src/registry/audit/keys.js";
import { makeAuditRecord, MAX_CHANGES } from "../../../../src/registry/audit/make-record.js";
import { AuditNotes } from "../../../../src/registry/audit/notes.js";
import type { RegistryContext } from "../../../../src/registry/context.js";
import { notFound } from "../../../../src/registry/errors.js";
import { stepFailed } from "../../../../src/registry/step-error.js";
import { MlflowError } from "../../../../src/sources/mlflow/errors.js";

describe("clip", () => {
  it("keeps a short value as it is", () => {
    expect(clip("x".repeat(MAX_VALUE_CHARS))).toBe("x".repeat(MAX_VALUE_CHARS));
  });

  it("cuts a long value and says how long it was", () => {
    const clipped = clip("d".repeat(65_536));
    expect(clipped).toBe(`${"d".repeat(MAX_VALUE_CHARS)}… (65536 characters)`);
  });

  it("never splits a surrogate pair", () => {
    const value = `${"x".repeat(MAX_VALUE_CHARS - 1)}😀😀`;
    expect(clip(value).isWellFormed()).toBe(true);
    expect(clip(value).startsWith("x".repeat(MAX_VALUE_CHARS - 1) + "…")).toBe(true);
  });
});

function recordOf(
  fill: (notes: AuditNotes) => void,
  outcome: { args?: Record<string, unknown>; error?: unknown } = {},
  caller: Caller = { subject: "ci-bot", via: "token", grants: [] },
) {
  const notes = new AuditNotes();
  notes.begin();
  fill(notes);
  const ctx = { audit: notes, access: { caller } } as unknown as RegistryContext;
  return makeAuditRecord(ctx, {
    operation: "setAlias",
    args: outcome.args ?? {},
    startedAt: Date.now() - 5,
    failure: "error" in outcome ? { error: outcome.error } : undefined,
    requestId: "req-1",
  });
}

describe("an audit record", () => {
  it("holds who, what, the change from and to, and the request", () => {
    const record = recordOf((n) => n.note({ field: "alias:champion", from: 3, to: 5 }), {
      args: { input: { project: "fraud", model: "fraud-detector", version: 5, alias: "champion" } },
    });
    expect(record).toMatchObject({
      subject: "ci-bot",
      via: "token",
      operation: "setAlias",
      project: "fraud",
      model: "fraud-detector",
      version: 5,
      changes: [{ field: "alias:champion", from: "3", to: "5" }],
      result: null,
      error: null,
      requestId: "req-1",
    });
    expect(isRecordId(record.id)).toBe(true);
    expect(record.durationMs).toBeGreaterThanOrEqual(5);
  });

  it("has a null subject for an anonymous caller", () => {
    const record = recordOf(() => undefined, {}, { subject: null, via: "anonymous", grants: [] });
    expect(record).toMatchObject({ subject: null, via: "anonymous", project: null });
  });

  it("takes what the registry noted over what the input names", () => {
    const record = recordOf((n) => n.target({ project: "churn", model: "m", version: 7 }), {
      args: { input: { uploadId: "u" } },
    });
    expect(record).toMatchObject({ project: "churn", model: "m", version: 7 });
  });

  it("names a promotion's target", () => {
    const record = recordOf(() => undefined, {
      args: {
        input: {
          from: { project: "fraud", model: "a", version: 2 },
          to: { project: "target", model: "b" },
        },
      },
    });
    expect(record).toMatchObject({ project: "target", model: "b", version: null });
  });

  it("cuts long values short", () => {
    const record = recordOf(
      (n) => {
        n.note({ field: "description", from: "old", to: "d".repeat(65_536) });
        n.note({ field: `tag:${"k".repeat(250)}`, to: "v".repeat(5000) });
        n.result("r".repeat(1000));
      },
      { args: { input: { project: "p", model: "m".repeat(300) } } },
    );
    const longest = Math.max(
      ...[record.model!, record.result!, ...record.changes.flatMap((c) => [c.field, c.to!])].map(
        (s) => s.length,
      ),
    );
    expect(longest).toBeLessThanOrEqual(MAX_VALUE_CHARS + 30);
    expect(record.changes[0]!.to).toMatch(/… \(65536 characters\)$/);
    expect(JSON.stringify(record).length).toBeLessThan(2000);
  });

  it("keeps at most MAX_CHANGES changes and says how many more there were", () => {
    const record = recordOf((n) => {
      for (let i = 0; i < 100; i++) n.note({ field: `tag:t${i}`, to: "v" });
    });
    expect(record.changes).toHaveLength(MAX_CHANGES);
    expect(record.changes.at(-1)).toEqual({
      field: "…",
      from: null,
      to: `${100 - MAX_CHANGES + 1} more changes`,
    });
  });

  it("records a client error's code and message", () => {
    const record = recordOf(() => undefined, { error: notFound('project "x" has no model "m"') });
    expect(record.error).toEqual({
      code: "NOT_FOUND",
      message: 'project "x" has no model "m"',
      step: null,
    });
  });

  it("records an upstream failure by its code and the step that failed", () => {
    const error = stepFailed("createVersion", "alias", new MlflowError("fraud", "TIMEOUT", "slow"));
    expect(recordOf(() => undefined, { error }).error).toMatchObject({
      code: "UPSTREAM_TIMEOUT",
      step: "alias",
    });
  });

  it("masks an unexpected error's message, as the client's answer does", () => {
    const error = new Error("connect ECONNREFUSED http://user:secret@10.0.0.1");
    expect(recordOf(() => undefined, { error }).error).toEqual({
      code: "INTERNAL_SERVER_ERROR",
      message: null,
      step: null,
    });
  });

  it("starts empty for each mutation", () => {
    const notes = new AuditNotes();
    notes.note({ field: "stage", from: "None", to: "Staging" });
    notes.begin();
    expect(notes.current.changes).toEqual([]);
  });
});
