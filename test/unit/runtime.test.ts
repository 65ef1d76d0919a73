import { readFileSync } from "node:fs";
import { describe, expect, it } from "@jest/globals";
import { MINIMUM_NODE_MAJOR, unsupportedNode } from "../../src/runtime.js";

const read = (file: string) => readFileSync(new URL(`../../${file}`, import.meta.url), "utf8");

describe("runtime", () => {
  it("names the same Node major in the code, package.json engines and the Docker image", () => {
    expect(JSON.parse(read("package.json")).engines.node).toBe(`>=${MINIMUM_NODE_MAJOR}`);
    const bases = [...read("Dockerfile").matchAll(/^FROM node:(\d+)-/gm)].map((m) => Number(m[1]));
    expect(bases).toEqual([MINIMUM_NODE_MAJOR, MINIMUM_NODE_MAJOR]);
  });

  it("runs the tests on the Node the project installs", () => {
    expect(unsupportedNode()).toBeUndefined();
  });

  it("refuses an older Node with the version and how to run the project's own", () => {
    const problem = unsupportedNode("20.20.2");
    expect(problem).toContain("needs Node 24 or later; this is Node 20.20.2");
    expect(problem).toContain("npx registry-graph");
    expect(unsupportedNode("24.0.0")).toBeUndefined();
    expect(unsupportedNode("26.1.0")).toBeUndefined();
  });
});
