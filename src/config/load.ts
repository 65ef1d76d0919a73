import { readFile } from "node:fs/promises";
import { parse as parseYaml, YAMLParseError } from "yaml";
import { authProblems } from "./auth-checks.js";
import { configSchema, type Config } from "./schema.js";
import {
  interpolate,
  type InterpolationProblem,
  typeWholeReferences,
  type WholeReference,
} from "./interpolate.js";

/** Every problem found in a config file, each as `path: message`. */
export class ConfigError extends Error {
  constructor(
    readonly source: string,
    readonly problems: string[],
  ) {
    super(`invalid config ${source}:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .map((key, i) => (typeof key === "number" ? `[${key}]` : `${i === 0 ? "" : "."}${String(key)}`))
    .join("");
}

function describe(path: readonly PropertyKey[], message: string): string {
  return path.length === 0 ? message : `${formatPath(path)}: ${message}`;
}

// Checked apart from the schema, which skips refinements of a list with an invalid item.
function duplicateProjectNames(tree: unknown): string[] {
  const projects = (tree as { projects?: unknown }).projects;
  if (!Array.isArray(projects)) return [];
  const seen = new Set<unknown>();
  return projects.flatMap((project: unknown, i) => {
    const name = (project as { name?: unknown } | null)?.name;
    if (typeof name !== "string") return [];
    if (seen.has(name))
      return [describe(["projects", i, "name"], `duplicate project name "${name}"`)];
    seen.add(name);
    return [];
  });
}

/** Parses, interpolates and validates config text; throws ConfigError listing every problem. */
export function parseConfig(text: string, env: NodeJS.ProcessEnv, source = "config"): Config {
  let tree: unknown;
  try {
    tree = parseYaml(text);
  } catch (error) {
    if (error instanceof YAMLParseError) throw new ConfigError(source, [error.message]);
    throw error;
  }
  const interpolationProblems: InterpolationProblem[] = [];
  const references: WholeReference[] = [];
  const interpolated = interpolate(tree ?? {}, env, interpolationProblems, references);
  let result = configSchema.safeParse(interpolated);
  if (!result.success && typeWholeReferences(interpolated, references, result.error.issues)) {
    result = configSchema.safeParse(interpolated);
  }
  const problems = interpolationProblems.map((p) => describe(p.path, p.message));
  // An unset variable already explains why its value is invalid: say it once.
  const explained = new Set(interpolationProblems.map((p) => formatPath(p.path)));
  if (!result.success) {
    for (const issue of result.error.issues) {
      if (!explained.has(formatPath(issue.path)))
        problems.push(describe(issue.path, issue.message));
    }
  }
  problems.push(...duplicateProjectNames(interpolated));
  problems.push(...authProblems(interpolated).map((p) => describe(p.path, p.message)));
  if (problems.length > 0) throw new ConfigError(source, problems);
  return result.data!;
}

export const CONFIG_ENV = "REGISTRY_GRAPH_CONFIG";

export async function loadConfig(
  path: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): Promise<Config> {
  const file = path ?? env[CONFIG_ENV];
  if (!file) {
    throw new ConfigError("(none)", [
      `no config file: pass --config FILE or set ${CONFIG_ENV} (see README.md; \`npm run demo\` writes one for a local stack)`,
    ]);
  }
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    throw new ConfigError(file, [`cannot read file: ${(error as Error).message}`]);
  }
  return parseConfig(text, env, file);
}
