import { describe, expect, it } from "@jest/globals";
import { CostBudget } from "../../../../src/server/limits/cost-budget.js";

describe("CostBudget", () => {
  it("lets requests run while their costs fit together, the others in arrival order", async () => {
    const budget = new CostBudget(100);
    const started: string[] = [];
    const start = (name: string, cost: number) =>
      budget.acquire(cost).then((taken) => {
        started.push(name);
        return taken;
      });
    const a = await start("a", 60);
    const b = start("b", 50); // does not fit beside a
    const c = start("c", 10); // would fit, but waits its turn behind b
    await Promise.resolve();
    expect(started).toEqual(["a"]);
    budget.release(a);
    await Promise.all([b, c]);
    expect(started).toEqual(["a", "b", "c"]);
    expect(budget.inUse).toBe(60);
  });

  it("runs a request costing more than the whole budget alone", async () => {
    const budget = new CostBudget(100);
    const small = await budget.acquire(10);
    let ran = false;
    const big = budget.acquire(1000).then((taken) => {
      ran = true;
      return taken;
    });
    await Promise.resolve();
    expect(ran).toBe(false);
    budget.release(small);
    expect(await big).toBe(100);
    expect(budget.inUse).toBe(100);
    budget.release(100);
    expect(budget.inUse).toBe(0);
  });
});
