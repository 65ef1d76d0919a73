import { describe, expect, it } from "@jest/globals";
import { perMinute, upstreamCallsIn } from "../../../bench/upstream-metrics.js";

const EXPOSITION = `# HELP registry_graph_upstream_requests_total Calls sent to an upstream, by project, kind (mlflow, s3) and endpoint.
# TYPE registry_graph_upstream_requests_total counter
registry_graph_upstream_requests_total{project="bench-0",kind="mlflow",endpoint="registered-models/search"} 12
registry_graph_upstream_requests_total{project="bench-1",kind="mlflow",endpoint="model-versions/search"} 30
registry_graph_upstream_requests_total{project="bench-0",kind="s3",endpoint="ListObjectsV2"} 7
registry_graph_upstream_requests_total_created{project="bench-0",kind="mlflow",endpoint="x"} 1700000000
registry_graph_upstream_errors_total{project="bench-0",kind="mlflow",endpoint="runs/search",code="UNAVAILABLE"} 2
registry_graph_upstream_reads_saved_total{project="bench-0",kind="mlflow",source="cached"} 500
`;

describe("upstreamCallsIn", () => {
  it("sums the call counter over every series of one kind, and nothing else", () => {
    expect(upstreamCallsIn(EXPOSITION, "mlflow")).toBe(42);
    expect(upstreamCallsIn(EXPOSITION, "s3")).toBe(7);
  });

  it("is 0 before any call was counted", () => {
    expect(upstreamCallsIn("# HELP nothing yet\n", "mlflow")).toBe(0);
  });
});

describe("perMinute", () => {
  it("scales calls over seconds to a minute", () => {
    expect(perMinute(50, 5)).toBe(600);
    expect(perMinute(1, 7)).toBe(9);
    expect(perMinute(3, 0)).toBeNaN();
  });
});
