import { execFileSync } from "node:child_process";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { parseAllDocuments } from "yaml";
import { configMapHash, type Manifest, renderKustomization } from "./kustomize.js";

const deploy = fileURLToPath(new URL("../../../deploy/", import.meta.url));
const KUSTOMIZATIONS = ["base", "overlays/example"];

/** kubectl, which embeds kustomize, where this machine has it (every machine of this project). */
function kubectl(): string | undefined {
  try {
    execFileSync("kubectl", ["version", "--client"], { stdio: "ignore" });
    return "kubectl";
  } catch {
    return undefined;
  }
}

const byId = (manifests: Manifest[]) =>
  new Map(manifests.map((m) => [`${m.kind} ${m.metadata.namespace ?? ""}/${m.metadata.name}`, m]));

describe("the test's kustomize", () => {
  const found = kubectl();
  (found ? it.each(KUSTOMIZATIONS) : it.skip.each(KUSTOMIZATIONS))(
    "renders deploy/%s exactly as `kubectl kustomize` does",
    (dir) => {
      const printed = execFileSync(found!, ["kustomize", join(deploy, dir)], { encoding: "utf8" });
      const theirs = parseAllDocuments(printed).map((d) => d.toJS() as Manifest);
      expect(byId(renderKustomization(join(deploy, dir)))).toEqual(byId(theirs));
    },
  );

  it("names a generated ConfigMap by kustomize's hash of its data", () => {
    // Printed by kubectl kustomize (kustomize v5.5.0) for a generator of one file "a: 1\n".
    expect(configMapHash({ "c.yaml": "a: 1\n" })).toBe("df87h6m7m7");
  });

  it("refuses a kustomization key it does not render rather than skip it", () => {
    const dir = mkdtempSync(join(tmpdir(), "kustomize-"));
    writeFileSync(join(dir, "kustomization.yaml"), "resources: []\nnamePrefix: prod-\n");
    expect(() => renderKustomization(dir)).toThrow(/not rendered by this test: namePrefix/);
  });
});
