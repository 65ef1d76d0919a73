import type { ProjectConfig } from "../../config/schema.js";
import { parseS3Uri, type S3Location } from "../s3/uri.js";
import { normalizeArtifactPath } from "./artifact-path.js";

/** Where one project's files may be: the prefixes its config names, minus the gateway's state. */
export interface FileScope {
  project: string;
  /** `artifacts.destination`, `root` and `allowedSources`. */
  prefixes: S3Location[];
  /** `state.uri`: idempotency records and upload sessions, never a project's file. */
  state: S3Location | null;
}

export function fileScopeOf(project: ProjectConfig, state: S3Location | null): FileScope {
  const { destination, root, allowedSources = [] } = project.artifacts ?? {};
  const uris = [destination, root, ...allowedSources].filter((u): u is string => u !== undefined);
  return {
    project: project.name,
    prefixes: uris.map(parseS3Uri).filter((l): l is S3Location => l !== null),
    state,
  };
}

/** Keys under a location end in `/`, so `a/b` never contains `a/bc`. */
const under = (location: S3Location): string =>
  location.prefix === "" ? "" : `${location.prefix}/`;

const contains = (outer: S3Location, inner: S3Location): boolean =>
  outer.bucket === inner.bucket && under(inner).startsWith(under(outer));

export const s3Uri = (location: S3Location): string =>
  `s3://${location.bucket}/${location.prefix}`.replace(/\/$/, "");

/**
 * Why the location is not among the project's files, or null when it is. A prefix with `..`,
 * `.` or empty segments is refused outright: some S3-compatible stores and proxies normalize
 * keys, and what they would read is not what was checked here.
 */
export function outsideReason(scope: FileScope, location: S3Location): string | null {
  const where = s3Uri(location);
  if (normalizeArtifactPath(location.prefix) !== location.prefix) {
    return `${where} is not a plain prefix`;
  }
  if (scope.state && (contains(scope.state, location) || contains(location, scope.state))) {
    return `${where} holds the gateway's own state (state.uri), never a project's files`;
  }
  if (!scope.prefixes.some((prefix) => contains(prefix, location))) {
    const allowed = scope.prefixes.map(s3Uri).join(", ") || "none configured";
    return `${where} is outside the files of project "${scope.project}" (${allowed})`;
  }
  return null;
}
