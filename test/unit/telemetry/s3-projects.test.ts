import { describe, expect, it } from "@jest/globals";
import type { ProjectConfig } from "../../../src/config/schema.js";
import { s3ProjectResolver } from "../../../src/telemetry/s3-projects.js";

const project = (name: string, artifacts: ProjectConfig["artifacts"]) =>
  ({ name, artifacts }) as ProjectConfig;

describe("the project of an S3 object", () => {
  const projectOf = s3ProjectResolver([
    project("fraud", { destination: "s3://mlflow/fraud", root: "s3://mlflow/fraud/gw" }),
    project("fraud-eu", { destination: "s3://mlflow/fraud-eu" }),
    project("churn", { allowedSources: ["s3://churn-bucket"] }),
  ]);

  it("is the project whose prefix holds it, at a / boundary", () => {
    expect(projectOf("mlflow", "fraud/1/abc/model.pkl")).toBe("fraud");
    expect(projectOf("mlflow", "fraud-eu/1/abc")).toBe("fraud-eu");
    expect(projectOf("mlflow", "fraud/gw/uploads/x")).toBe("fraud");
    expect(projectOf("churn-bucket", "anything/at/all")).toBe("churn");
  });

  it("is none outside every project's prefixes", () => {
    expect(projectOf("mlflow", "_registry-graph/audit/1.json")).toBe("none");
    expect(projectOf("other-bucket", "fraud/1")).toBe("none");
    expect(projectOf(undefined, undefined)).toBe("none");
  });
});
