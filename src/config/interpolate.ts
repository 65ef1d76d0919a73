import { parse as parseYaml } from "yaml";

export interface InterpolationProblem {
  path: (string | number)[];
  message: string;
}

// ${VAR} or ${VAR:-default}; "$${" escapes a literal "${".
const reference = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const wholeReference = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

/**
 * Replaces `${VAR}` in every string of a parsed YAML tree. A value that is one reference
 * alone is re-read as a YAML scalar, so `port: ${PORT}` yields a number, as the file intends.
 */
export function interpolate(
  tree: unknown,
  env: NodeJS.ProcessEnv,
  problems: InterpolationProblem[],
  path: (string | number)[] = [],
): unknown {
  if (typeof tree === "string") return interpolateString(tree, env, problems, path);
  if (Array.isArray(tree)) return tree.map((v, i) => interpolate(v, env, problems, [...path, i]));
  if (tree !== null && typeof tree === "object") {
    return Object.fromEntries(
      Object.entries(tree).map(([k, v]) => [k, interpolate(v, env, problems, [...path, k])]),
    );
  }
  return tree;
}

function interpolateString(
  value: string,
  env: NodeJS.ProcessEnv,
  problems: InterpolationProblem[],
  path: (string | number)[],
): unknown {
  const replaced = value.replace(reference, (match, name?: string, fallback?: string) => {
    if (match === "$${") return "${";
    const found = env[name!];
    if (found !== undefined && found !== "") return found;
    if (fallback !== undefined) return fallback;
    problems.push({ path, message: `environment variable ${name} is not set` });
    return "";
  });
  return wholeReference.test(value) ? parseYaml(replaced) : replaced;
}
