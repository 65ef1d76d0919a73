import { describe, expect, it } from "@jest/globals";
import { perProject } from "../../../src/loaders/settle.js";

describe("perProject", () => {
  it("answers each project as soon as its own call does, not with the slowest", async () => {
    let finishSlow!: (value: string) => void;
    const calls: string[] = [];
    const loader = perProject((project) => {
      calls.push(project);
      return project === "slow"
        ? new Promise<string>((resolve) => (finishSlow = resolve))
        : Promise.resolve(`${project} listing`);
    });
    const slow = loader.load("slow");
    await expect(loader.load("fast")).resolves.toBe("fast listing");
    finishSlow("slow listing");
    await expect(slow).resolves.toBe("slow listing");
    // Cached for the request: a second load makes no call.
    await expect(loader.load("fast")).resolves.toBe("fast listing");
    expect(calls).toEqual(["slow", "fast"]);
  });

  it("fails only the project whose call failed", async () => {
    const loader = perProject((project) =>
      project === "down" ? Promise.reject(new Error("down")) : Promise.resolve(project),
    );
    const [down, up] = await Promise.allSettled([loader.load("down"), loader.load("up")]);
    expect(down).toMatchObject({ status: "rejected", reason: { message: "down" } });
    expect(up).toEqual({ status: "fulfilled", value: "up" });
  });
});
