import { describe, expect, it } from "@jest/globals";
import type { StalenessResult } from "../../../bench/staleness.js";
import { type TargetInputs, stalenessBoundMs, targetChecks } from "../../../bench/targets.js";

const op = (name: string, ratio: number, ci: [number, number], rps: [number, number]) => ({
  name,
  gateway: { rps_50: rps[0] },
  parallel_rest: { rps_50: rps[1] },
  p50_ratio_vs_parallel_rest: ratio,
  p50_ratio_vs_parallel_rest_ci95: ci,
});

const kind = (name: string, carrier: "webhook" | "probe", p99: number, timeouts = 0) =>
  ({
    kind: name,
    carrier,
    changes: 20,
    p50_ms: p99 / 2,
    p99_ms: p99,
    max_ms: p99,
    timeouts,
    timeout_ms: 10_000,
    reverted: 0,
    samples_ms: [],
  }) satisfies StalenessResult;

const byTarget = (inputs: TargetInputs) =>
  Object.fromEntries(targetChecks(inputs).map((c) => [c.target, c]));

describe("targetChecks", () => {
  it("judges the 0.1 targets on the p50 ratio and the 1.1 bound on the interval's top", () => {
    const checks = byTarget({
      operations: [
        op("dashboard", 0.03, [0.02, 0.04], [40, 1]),
        op("model_page", 0.09, [0.08, 0.12], [100, 10]),
        op("cross_project_champions", 0.2, [0.1, 0.3], [50, 5]),
        op("artifact_tree", 0.9, [0.8, 1.12], [100, 10]),
      ],
    });
    expect(checks["dashboard: gateway p50 ÷ parallel REST ≤ 0.1"]).toEqual({
      target: "dashboard: gateway p50 ÷ parallel REST ≤ 0.1",
      measured: "0.03 [0.02, 0.04]",
      met: true,
    });
    // Met on the point estimate, though the interval reaches past 0.1.
    expect(checks["model_page: gateway p50 ÷ parallel REST ≤ 0.1"]!.met).toBe(true);
    expect(checks["cross_project_champions: gateway p50 ÷ parallel REST ≤ 0.1"]!.met).toBe(false);
    // The artifact tree has no 0.1 target, only the bound every operation has.
    expect(checks["artifact_tree: gateway p50 ÷ parallel REST ≤ 0.1"]).toBeUndefined();
    const bound = (name: string) =>
      checks[`${name}: upper 95% bound of gateway p50 ÷ parallel REST ≤ 1.1`]!;
    expect(bound("artifact_tree")).toMatchObject({ measured: "1.12", met: false });
    expect(bound("model_page").met).toBe(true);
  });

  it("wants the dashboard's throughput at 50 clients at 20× parallel REST's", () => {
    const check = (gateway: number, rest: number) =>
      targetChecks({ operations: [op("dashboard", 0.05, [0.04, 0.06], [gateway, rest])] }).find(
        (c) => c.target.startsWith("dashboard at 50 clients"),
      )!;
    expect(check(40, 2)).toMatchObject({ measured: "20× (40 ÷ 2 rps)", met: true });
    expect(check(39, 2).met).toBe(false);
    // Parallel REST finished no run in the window: any gateway throughput is past 20×.
    expect(check(39, 0).met).toBe(true);
  });

  it("bounds staleness at 2 s for webhook kinds and pollMs + 1 s for probe kinds, and fails a miss", () => {
    expect(stalenessBoundMs("webhook", 3000)).toBe(2000);
    expect(stalenessBoundMs("probe", 3000)).toBe(4000);
    const checks = targetChecks({
      operations: [],
      staleness: {
        poll_ms: 3000,
        kinds: [
          kind("alias_moved", "webhook", 1999),
          kind("version_tag_set", "webhook", 2001),
          kind("model_tag_set", "probe", 3900),
          kind("version_description_updated", "probe", 100, 1),
        ],
      },
    });
    expect(checks.map((c) => [c.target, c.met])).toEqual([
      ["staleness of alias_moved (webhook): p99 ≤ 2000 ms", true],
      ["staleness of version_tag_set (webhook): p99 ≤ 2000 ms", false],
      ["staleness of model_tag_set (probe): p99 ≤ 4000 ms", true],
      ["staleness of version_description_updated (probe): p99 ≤ 4000 ms", false],
    ]);
    expect(checks[3]!.measured).toBe("100 ms, 1 not shown in 10000 ms");
  });
});
