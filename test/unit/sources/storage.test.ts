import { describe, expect, it } from "@jest/globals";
import { normalizeArtifactPath } from "../../../src/sources/storage/artifact-path.js";
import { parseRunsUri, storageOf, storageUri } from "../../../src/sources/storage/artifact-uri.js";

describe("storageOf", () => {
  it("maps every S3-backed URI kind to a bucket and prefix", () => {
    expect(storageOf("s3://mlflow/churn/1/abc/artifacts/model/", undefined)).toEqual({
      kind: "s3",
      location: { bucket: "mlflow", prefix: "churn/1/abc/artifacts/model" },
    });
    const proxied = storageOf("mlflow-artifacts:/1/models/m-1/artifacts", "s3://mlflow/fraud");
    expect(proxied).toEqual({
      kind: "s3",
      location: { bucket: "mlflow", prefix: "fraud/1/models/m-1/artifacts" },
    });
    expect(storageUri(proxied!)).toBe("s3://mlflow/fraud/1/models/m-1/artifacts");
    expect(storageOf("mlflow-artifacts://mlflow:5000/1/x", "s3://bkt")).toEqual({
      kind: "s3",
      location: { bucket: "bkt", prefix: "1/x" },
    });
  });

  it("leaves proxied URIs to MLflow without a destination, and refuses what it cannot place", () => {
    expect(storageOf("mlflow-artifacts:/1/x", undefined)).toEqual({
      kind: "mlflow-proxy",
      path: "1/x",
    });
    expect(storageOf("file:///tmp/model", "s3://bkt")).toBeNull();
    expect(storageOf("gs://bucket/x", "s3://bkt")).toBeNull();
  });

  it("splits runs:/ URIs into run id and path", () => {
    expect(parseRunsUri("runs:/0123abcd/model/")).toEqual({ runId: "0123abcd", path: "model" });
    expect(parseRunsUri("runs:/0123abcd")).toEqual({ runId: "0123abcd", path: "" });
  });
});

describe("normalizeArtifactPath", () => {
  it("normalizes plain relative paths", () => {
    expect(normalizeArtifactPath("")).toBe("");
    expect(normalizeArtifactPath("./a//b/./c/")).toBe("a/b/c");
    expect(normalizeArtifactPath("model.skops")).toBe("model.skops");
    expect(normalizeArtifactPath("a..b/c")).toBe("a..b/c");
  });

  it.each([
    "..",
    "a/../../b",
    "/abs",
    "a\\b",
    "a\u0000b",
    "%2e%2e/x",
    "x/%2F",
    "%5c",
    "%00",
    "a".repeat(1025),
  ])("refuses %j", (path) => expect(normalizeArtifactPath(path)).toBeNull());
});
