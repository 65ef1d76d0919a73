// Jest's first global setup: the tests run on the project's Node, which npm scripts put first on
// the PATH (node_modules/.bin/node). Started by an older Node (`node node_modules/.bin/jest`),
// the run stops here with the reason instead of failing test by test.
import { readFileSync } from "node:fs";

export default function requireNode() {
  const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8"));
  const minimum = Number(/^>=\s*(\d+)/.exec(pkg.engines.node)?.[1]);
  const major = Number(process.versions.node.split(".")[0]);
  if (!(major >= minimum)) {
    throw new Error(
      `registry-graph's tests need Node ${pkg.engines.node} (package.json engines); ` +
        `this is Node ${process.versions.node} (${process.execPath}). ` +
        "Run them through npm (npm test), which uses the Node that npm ci installed.",
    );
  }
}
