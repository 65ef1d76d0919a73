import { describe, expect, it } from "@jest/globals";
import { configSchema } from "../../../src/config/schema.js";
import { partLength, planUpload } from "../../../src/registry/uploads/plan-upload.js";

const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const limits = configSchema.parse({
  projects: [{ name: "p", mlflow: { url: "http://x" } }],
}).uploads;

const refusal = (files: { path: string; size: number }[], over = limits) => {
  try {
    planUpload(over, files);
  } catch (error) {
    return error as { message: string; extensions: Record<string, unknown> };
  }
  throw new Error("planUpload accepted it");
};

describe("planUpload", () => {
  it("lays a large file out in parts of the configured size, the last one shorter", () => {
    const [small, big] = planUpload(limits, [
      { path: "MLmodel", size: 120 },
      { path: "weights.bin", size: 150 * MiB },
    ]);
    expect(small).toMatchObject({ multipart: false, partCount: 1, partSize: 120 });
    expect(big).toMatchObject({ multipart: true, partCount: 3, partSize: 64 * MiB });
    expect([1, 2, 3].map((n) => partLength(big!, n))).toEqual([64 * MiB, 64 * MiB, 22 * MiB]);
  });

  it("refuses 800,000 part URLs, naming the figure and the limit", () => {
    // maxFiles files at maxFileBytes: 800 parts of 64 MiB each.
    const files = Array.from({ length: 1000 }, (_, i) => ({ path: `shard-${i}`, size: 50 * GiB }));
    const byBytes = refusal(files);
    expect(byBytes.extensions).toMatchObject({
      code: "BAD_USER_INPUT",
      limit: 100 * GiB,
      requested: 1000 * 50 * GiB,
    });
    const roomy = { ...limits, maxUploadBytes: Number.MAX_SAFE_INTEGER };
    const byParts = refusal(files, roomy);
    expect(byParts.message).toBe("an upload gets at most 2000 part URLs, these files need 800000");
    expect(byParts.extensions).toMatchObject({ limit: 2000, requested: 800_000 });
  });

  it("counts one URL for each single-PUT file against the part cap", () => {
    const files = Array.from({ length: 5 }, (_, i) => ({ path: `f${i}`, size: 1 }));
    expect(refusal(files, { ...limits, maxParts: 4 }).extensions).toMatchObject({
      limit: 4,
      requested: 5,
    });
    expect(planUpload({ ...limits, maxParts: 5 }, files)).toHaveLength(5);
  });

  it("raises the part size where 10,000 parts would not cover a file", () => {
    const wide = { ...limits, maxFileBytes: 5 * 1024 * GiB, maxUploadBytes: 5 * 1024 * GiB };
    const [file] = planUpload({ ...wide, maxParts: 10_000 }, [{ path: "x", size: 1024 * GiB }]);
    expect(file!.partCount).toBeLessThanOrEqual(10_000);
    expect(file!.partSize * file!.partCount).toBeGreaterThanOrEqual(1024 * GiB);
  });
});
