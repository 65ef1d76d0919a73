import { readFile } from "node:fs/promises";

/**
 * Summarizes a `node --cpu-prof` profile (the gateway's, from `npm run bench -- --cpu-prof
 * DIR`): self time by function and by package, so the next change is picked by where the
 * time goes. Usage: node dist/bench/profile.js FILE.cpuprofile [TOP]
 */
interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
interface Profile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

/** `node_modules/@scope/name` or `node_modules/name`, `src`, `node:` internals, or the VM. */
function packageOf(url: string): string {
  const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (module) return module[1]!;
  if (url.includes("/dist/src/")) return "registry-graph";
  if (url.startsWith("node:")) return "node internals";
  return url === "" ? "(vm: gc, idle, native)" : url;
}

function top(totals: Map<string, number>, all: number, n: number): string[] {
  return [...totals]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(
      ([name, us]) =>
        `${((100 * us) / all).toFixed(1).padStart(5)}%  ${(us / 1000).toFixed(0).padStart(7)} ms  ${name}`,
    );
}

async function main(path: string, n: number) {
  const profile = JSON.parse(await readFile(path, "utf8")) as Profile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node]));
  const byFunction = new Map<string, number>();
  const byPackage = new Map<string, number>();
  let all = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const { functionName, url, lineNumber } = byId.get(id)!.callFrame;
    if (functionName === "(idle)") return;
    all += us;
    const where = url.replace(/^.*\/(node_modules|dist)\//, "$1/");
    const fn = `${functionName || "(anonymous)"} ${where}:${lineNumber + 1}`;
    byFunction.set(fn, (byFunction.get(fn) ?? 0) + us);
    const pkg = packageOf(url);
    byPackage.set(pkg, (byPackage.get(pkg) ?? 0) + us);
  });
  console.log(`busy ${(all / 1000).toFixed(0)} ms (idle left out)\n\nby package:`);
  console.log(top(byPackage, all, n).join("\n"));
  console.log("\nby function (self time):");
  console.log(top(byFunction, all, n).join("\n"));
}

const [path, n] = process.argv.slice(2);
if (!path) {
  console.error("usage: node dist/bench/profile.js FILE.cpuprofile [TOP]");
  process.exitCode = 2;
} else {
  main(path, Number(n ?? 25)).catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  });
}
