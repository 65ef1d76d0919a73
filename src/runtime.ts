/**
 * The oldest Node major this build runs on. package.json's `engines` and the Dockerfile's base
 * image name the same major (test/unit/runtime.test.ts holds the three together).
 */
export const MINIMUM_NODE_MAJOR = 24;

/** Why this Node cannot run registry-graph, or undefined when it can. */
export function unsupportedNode(version: string = process.versions.node): string | undefined {
  const major = Number(version.split(".")[0]);
  if (major >= MINIMUM_NODE_MAJOR) return undefined;
  return (
    `registry-graph needs Node ${MINIMUM_NODE_MAJOR} or later; this is Node ${version} ` +
    `(${process.execPath}). Run it with the project's own Node, which npm ci installs: ` +
    `npx registry-graph …, npm exec registry-graph …, or an npm script.`
  );
}

export function exitOnUnsupportedNode(): void {
  const problem = unsupportedNode();
  if (problem === undefined) return;
  process.stderr.write(`${problem}\n`);
  process.exit(1);
}
