import { type ProjectConfig, s3UriPattern } from "../config/schema.js";

interface Prefix {
  bucket: string;
  prefix: string;
  project: string;
}

/**
 * Which project an S3 object belongs to, for the `project` label of S3 calls: the project
 * whose artifact prefix (destination, root, allowedSources) holds it, the longest prefix
 * winning; "none" for anything else (the gateway's state, a bucket probe).
 */
export function s3ProjectResolver(
  projects: readonly ProjectConfig[],
): (bucket: string | undefined, key: string | undefined) => string {
  const prefixes: Prefix[] = [];
  for (const project of projects) {
    const { destination, root, allowedSources = [] } = project.artifacts ?? {};
    for (const uri of [destination, root, ...allowedSources]) {
      const match = uri === undefined ? null : s3UriPattern.exec(uri);
      if (!match) continue;
      const path = (match[2] ?? "").replace(/\/+$/, "");
      prefixes.push({
        bucket: match[1]!,
        prefix: path === "" ? "" : `${path}/`,
        project: project.name,
      });
    }
  }
  prefixes.sort((a, b) => b.prefix.length - a.prefix.length);
  return (bucket, key = "") => {
    if (bucket === undefined) return "none";
    const found = prefixes.find((p) => p.bucket === bucket && `${key}/`.startsWith(p.prefix));
    return found?.project ?? "none";
  };
}
