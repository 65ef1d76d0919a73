import { parseDocument } from "yaml";

export interface InterpolationProblem {
  path: (string | number)[];
  message: string;
}

/** A value that was one `${VAR}` alone, and the text it was replaced by. */
export interface WholeReference {
  path: (string | number)[];
  text: string;
}

// ${VAR} or ${VAR:-default}; "$${" escapes a literal "${".
const reference = /\$\$\{|\$\{([A-Za-z_][A-Za-z0-9_]*)(?::-([^}]*))?\}/g;
const wholeReference = /^\$\{[A-Za-z_][A-Za-z0-9_]*(?::-[^}]*)?\}$/;

/**
 * Replaces `${VAR}` in every string of a parsed YAML tree. The text goes in as it is: a
 * password is never parsed, so no quote, bracket or colon in it can change it, fail it, or
 * get it quoted in an error. A value that is one reference alone is listed in `references`,
 * so that where the schema wants a number or a flag it can be read as one (`typeWholeReferences`).
 */
export function interpolate(
  tree: unknown,
  env: NodeJS.ProcessEnv,
  problems: InterpolationProblem[],
  references: WholeReference[] = [],
  path: (string | number)[] = [],
): unknown {
  if (typeof tree === "string") return interpolateString(tree, env, problems, references, path);
  if (Array.isArray(tree)) {
    return tree.map((v, i) => interpolate(v, env, problems, references, [...path, i]));
  }
  if (tree !== null && typeof tree === "object") {
    return Object.fromEntries(
      Object.entries(tree).map(([k, v]) => [
        k,
        interpolate(v, env, problems, references, [...path, k]),
      ]),
    );
  }
  return tree;
}

function interpolateString(
  value: string,
  env: NodeJS.ProcessEnv,
  problems: InterpolationProblem[],
  references: WholeReference[],
  path: (string | number)[],
): string {
  const replaced = value.replace(reference, (match, name?: string, fallback?: string) => {
    if (match === "$${") return "${";
    const found = env[name!];
    if (found !== undefined && found !== "") return found;
    if (fallback !== undefined) return fallback;
    problems.push({ path, message: `environment variable ${name} is not set` });
    return "";
  });
  if (wholeReference.test(value)) references.push({ path, text: replaced });
  return replaced;
}

/**
 * Where the schema refused a whole reference's text for not being a number or a flag
 * (`port: ${PORT}`), puts the YAML scalar it reads as in its place. Returns whether anything
 * changed, so the tree is worth validating again. Text that is no such scalar stays: the
 * schema's complaint names the path and the type, never the text.
 */
export function typeWholeReferences(
  tree: unknown,
  references: readonly WholeReference[],
  refused: readonly { path: readonly PropertyKey[]; code: string; expected?: unknown }[],
): boolean {
  let changed = false;
  for (const issue of refused) {
    if (issue.code !== "invalid_type" || issue.expected === "string") continue;
    const ref = references.find((r) => samePath(r.path, issue.path));
    const scalar = ref && readScalar(ref.text);
    if (ref && scalar !== undefined) {
      setAt(tree, ref.path, scalar);
      changed = true;
    }
  }
  return changed;
}

/** A number or boolean as YAML reads the text, or undefined; parsed silently, never logged. */
function readScalar(text: string): number | boolean | undefined {
  const document = parseDocument(text, { logLevel: "silent" });
  if (document.errors.length > 0) return undefined;
  let value: unknown;
  try {
    value = document.toJS({ maxAliasCount: 0 });
  } catch {
    return undefined; // an alias, which no number or flag is; the error would quote the text
  }
  return typeof value === "number" || typeof value === "boolean" ? value : undefined;
}

function samePath(a: readonly PropertyKey[], b: readonly PropertyKey[]): boolean {
  return a.length === b.length && a.every((key, i) => key === b[i]);
}

function setAt(tree: unknown, path: readonly (string | number)[], value: unknown): void {
  let node = tree as Record<string | number, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path.at(-1)!] = value;
}
