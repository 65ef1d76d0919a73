import { describe, expect, it } from "@jest/globals";
import { mkdtemp, readFile, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type Results, writeResults } from "../../../bench/report.js";

// The committed results: a real run's shape, with the backend under test put in.
const committed = async (): Promise<Results> =>
  JSON.parse(
    await readFile(new URL("../../../bench/results/latest.json", import.meta.url), "utf8"),
  ) as Results;

async function written(results: Results) {
  const dir = await mkdtemp(join(tmpdir(), "bench-report-"));
  const json = join(dir, "latest.json");
  const readme = join(dir, "README.md");
  await writeFile(readme, "# Bench\n\n<!-- results:start -->\nold\n<!-- results:end -->\n");
  await writeResults(results, json, readme);
  return {
    json: JSON.parse(await readFile(json, "utf8")) as Results,
    header: (await readFile(readme, "utf8")).split("\n").find((l) => l.startsWith("Measured "))!,
  };
}

describe("bench results", () => {
  it("record the MLflow backend measured in the JSON and in the README's header line", async () => {
    const results = {
      ...(await committed()),
      mlflow_backend: { kind: "postgres", version: "15.20" },
    };
    const { json, header } = await written(results as Results);
    expect(json.mlflow_backend).toEqual({ kind: "postgres", version: "15.20" });
    expect(header).toContain("; MLflow on PostgreSQL 15.20; the gateway with");
  });

  it("name SQLite as such", async () => {
    const results = {
      ...(await committed()),
      mlflow_backend: { kind: "sqlite", version: "3.40.1" },
    };
    const { header } = await written(results as Results);
    expect(header).toContain("MLflow on SQLite 3.40.1;");
  });
});
