import { describe, expect, it } from "@jest/globals";
import { type Readiness, ReadinessProbe } from "../../../src/server/readiness.js";

const READY: Readiness = { ready: true, projects: [], s3: [] };

/** A probe that answers when told to, counting how often it ran. */
function countedProbe() {
  const pending: ((r: Readiness) => void)[] = [];
  return {
    runs: () => pending.length,
    probe: () => new Promise<Readiness>((resolve) => pending.push(resolve)),
    answer: (result: Readiness = READY) => pending.at(-1)!(result),
  };
}

describe("ReadinessProbe", () => {
  it("makes one probe for 200 concurrent checks, and shares its answer", async () => {
    const probe = countedProbe();
    let now = 0;
    const readiness = new ReadinessProbe(probe.probe, 5000, () => now);

    const checks = Array.from({ length: 200 }, () => readiness.check());
    probe.answer();

    expect(await Promise.all(checks)).toEqual(checks.map(() => READY));
    expect(probe.runs()).toBe(1);
    now = 4999;
    await readiness.check();
    expect(probe.runs()).toBe(1);
  });

  it("probes again once its answer is older than the period", async () => {
    const probe = countedProbe();
    let now = 0;
    const readiness = new ReadinessProbe(probe.probe, 5000, () => now);
    const first = readiness.check();
    probe.answer();
    await first;

    now = 5000;
    const second = readiness.check();
    probe.answer({ ready: false, projects: [], s3: [] });

    expect(await second).toMatchObject({ ready: false });
    expect(probe.runs()).toBe(2);
  });

  it("keeps nothing with a period of 0, but still shares a probe under way", async () => {
    const probe = countedProbe();
    const readiness = new ReadinessProbe(probe.probe, 0, () => 0);
    const both = Promise.all([readiness.check(), readiness.check()]);
    probe.answer();
    await both;

    const third = readiness.check();
    probe.answer();
    await third;

    expect(probe.runs()).toBe(2);
  });

  it("fails at once once draining, without asking any upstream, even with a fresh answer", async () => {
    const probe = countedProbe();
    const readiness = new ReadinessProbe(probe.probe, 5000, () => 0);
    const first = readiness.check();
    probe.answer();
    expect(await first).toMatchObject({ ready: true });

    readiness.drain();

    expect(await readiness.check()).toEqual({ ready: false, draining: true, projects: [], s3: [] });
    expect(probe.runs()).toBe(1);
  });
});
