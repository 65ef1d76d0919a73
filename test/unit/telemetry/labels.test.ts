import { describe, expect, it } from "@jest/globals";
import { GetObjectCommand, ListObjectsV2Command } from "@aws-sdk/client-s3";
import {
  errorCode,
  mlflowEndpoint,
  OperationLabels,
  s3Endpoint,
} from "../../../src/telemetry/labels.js";

describe("operation labels", () => {
  it("keeps the first names and counts every later one as other", () => {
    const labels = new OperationLabels(100);
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i++) seen.add(labels.label(`Op${i}`));
    expect(seen.size).toBe(101);
    expect(seen.has("Op0")).toBe(true);
    expect(seen.has("Op99")).toBe(true);
    expect(seen.has("Op100")).toBe(false);
    expect(seen.has("other")).toBe(true);
  });

  it("keeps a name it already holds after the cap is reached", () => {
    const labels = new OperationLabels(2);
    labels.label("Dashboard");
    labels.label("Models");
    expect(labels.label("Search")).toBe("other");
    expect(labels.label("Dashboard")).toBe("Dashboard");
  });

  it.each([
    ["a long name", "Q".repeat(65)],
    ["a unicode name", "Dashbörd"],
    ["an emoji", "📈"],
    ["a Prometheus escape attempt", 'Op"} 1\nregistry_graph_requests_total{operation="x'],
    ["a leading digit", "1Query"],
  ])("labels %s as other, without spending the cap", (_what, name) => {
    const labels = new OperationLabels(1);
    expect(labels.label(name)).toBe("other");
    expect(labels.label("Dashboard")).toBe("Dashboard");
  });

  it("says anonymous for an unnamed operation and unknown for one never resolved", () => {
    const labels = new OperationLabels(10);
    expect(labels.label(null)).toBe("anonymous");
    expect(labels.label(undefined)).toBe("anonymous");
    expect(labels.label("Dashboard", false)).toBe("unknown");
  });
});

describe("endpoint labels", () => {
  it("name MLflow's REST method, never a file or model path", () => {
    expect(mlflowEndpoint("api/2.0/mlflow/registered-models/search")).toBe(
      "registered-models/search",
    );
    expect(mlflowEndpoint("api/2.0/mlflow/model-versions/get")).toBe("model-versions/get");
    expect(mlflowEndpoint("api/2.0/mlflow-artifacts/artifacts/1/abc/model/MLmodel")).toBe(
      "mlflow-artifacts/artifacts",
    );
    expect(mlflowEndpoint("api/2.0/mlflow/some/very/deep/path/secret-model")).toBe("other");
    expect(mlflowEndpoint("version")).toBe("version");
  });

  it("name S3's operation", () => {
    expect(s3Endpoint(new GetObjectCommand({ Bucket: "b", Key: "k" }))).toBe("GetObject");
    expect(s3Endpoint(new ListObjectsV2Command({ Bucket: "b" }))).toBe("ListObjectsV2");
  });

  it("take an error's typed kind as its code, ERROR otherwise", () => {
    expect(errorCode(Object.assign(new Error("x"), { kind: "NOT_FOUND" }))).toBe("NOT_FOUND");
    expect(errorCode(Object.assign(new Error("x"), { kind: "long kind with spaces" }))).toBe(
      "ERROR",
    );
    expect(errorCode(new Error("x"))).toBe("ERROR");
    expect(errorCode(null)).toBe("ERROR");
  });
});
