/**
 * What the schema cannot see of `auth:`: a grant's project must be configured (or `*`), and no
 * two tokens may share a digest. Run on the raw tree, as duplicate project names are, so one
 * invalid entry elsewhere does not hide these problems.
 */
export function authProblems(tree: unknown): { path: (string | number)[]; message: string }[] {
  const root = record(tree);
  const auth = record(root?.auth);
  if (!auth) return [];
  const names = new Set(
    list(root?.projects).flatMap((p) => {
      const name = record(p)?.name;
      return typeof name === "string" ? [name] : [];
    }),
  );
  const known = [...names].join(", ");
  const problems: { path: (string | number)[]; message: string }[] = [];
  const checkGrants = (grants: unknown, path: (string | number)[]) => {
    list(grants).forEach((grant, i) => {
      const project = record(grant)?.project;
      if (typeof project === "string" && project !== "*" && !names.has(project)) {
        problems.push({
          path: [...path, i, "project"],
          message: `"${project}" is not a configured project (${known}) nor "*"`,
        });
      }
    });
  };
  checkGrants(auth.anonymous, ["auth", "anonymous"]);
  const digests = new Map<string, number>();
  list(auth.tokens).forEach((token, i) => {
    checkGrants(record(token)?.grants, ["auth", "tokens", i, "grants"]);
    const digest = record(token)?.sha256;
    if (typeof digest !== "string") return;
    const first = digests.get(digest.toLowerCase());
    if (first === undefined) digests.set(digest.toLowerCase(), i);
    else {
      problems.push({
        path: ["auth", "tokens", i, "sha256"],
        message: `the same digest as auth.tokens[${first}]: one token, two subjects`,
      });
    }
  });
  for (const [value, grants] of Object.entries(record(record(auth.jwt)?.roles) ?? {})) {
    checkGrants(grants, ["auth", "jwt", "roles", value]);
  }
  return problems;
}

function record(value: unknown): Record<string, unknown> | undefined {
  return typeof value === "object" && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

function list(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}
