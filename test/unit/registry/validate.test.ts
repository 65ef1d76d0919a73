import { describe, expect, it } from "@jest/globals";
import type { ProjectConfig } from "../../../src/config/schema.js";
import {
  checkAlias,
  checkModelName,
  checkS3Source,
  checkStage,
  checkTag,
} from "../../../src/registry/validate.js";
import { fileScopeOf } from "../../../src/sources/storage/project-files.js";

const project: ProjectConfig = {
  name: "p",
  mlflow: {
    url: "http://x",
    auth: { type: "none" },
    timeoutMs: 1000,
    concurrency: 1,
    maxResponseBytes: 16_777_216,
    maxPages: 100,
  },
  artifacts: { root: "s3://bkt/p/root" },
};
const scope = fileScopeOf(project, { bucket: "bkt", prefix: "p/root/_state" });

const refuses = (check: () => unknown) =>
  expect(check).toThrow(expect.objectContaining({ extensions: { code: "BAD_USER_INPUT" } }));

describe("input checks", () => {
  it("keeps what MLflow accepts", () => {
    expect(checkModelName("fraud-detector v2")).toBe("fraud-detector v2");
    expect(checkAlias("champion_2-b")).toBe("champion_2-b");
    expect(checkStage("production")).toBe("Production");
    expect(checkTag("k", "v".repeat(5000))).toEqual({ key: "k", value: "v".repeat(5000) });
    expect(checkS3Source(scope, "s3://bkt/p/root/imports//m1/")).toBe("s3://bkt/p/root/imports/m1");
  });

  it("refuses what MLflow would, and sources outside the project's prefixes", () => {
    for (const name of ["", "a/b", "a:b", "x".repeat(257)]) refuses(() => checkModelName(name));
    for (const alias of ["latest", "LATEST", "v1", "V12", "a b", "", "x".repeat(256)])
      refuses(() => checkAlias(alias));
    refuses(() => checkStage("Live"));
    refuses(() => checkTag("", "v"));
    refuses(() => checkTag("k".repeat(251), "v"));
    for (const source of [
      "s3://bkt/p/root-evil/m",
      "s3://other/p/root/m",
      "s3://bkt/p/root/../other",
      "s3://bkt/p/root/%2e%2e/x",
      "s3://bkt/p",
      "s3://bkt",
      "s3://bkt/p/root/_state/idempotency",
      "s3://bkt/p/root/./_state",
      "s3://bkt/p/root",
    ]) {
      refuses(() => checkS3Source(scope, source));
    }
  });
});
