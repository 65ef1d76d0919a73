import { parseS3Uri, type S3Location } from "../s3/uri.js";

/** Where a version's files can be read: S3 directly, or only through MLflow's artifact proxy. */
export type Storage = { kind: "s3"; location: S3Location } | { kind: "mlflow-proxy"; path: string };

/**
 * Maps an artifact URI to its storage. `mlflow-artifacts:/x` is `<destination>/x` when the
 * server's --artifacts-destination is configured (docs/mlflow-rest.md §4.1), else only MLflow can read
 * it. `runs:/` and `models:/` need a lookup first and are resolved by the caller.
 */
export function storageOf(uri: string, destination: string | undefined): Storage | null {
  if (uri.startsWith("s3://")) {
    const location = parseS3Uri(uri);
    return location ? { kind: "s3", location } : null;
  }
  // mlflow-artifacts:/path, or mlflow-artifacts://host:port/path from clients that name the server.
  const proxied = /^mlflow-artifacts:(?:\/\/[^/]*)?\/(.*)$/.exec(uri);
  if (proxied) {
    const path = proxied[1]!.replace(/\/+$/, "");
    if (!destination) return { kind: "mlflow-proxy", path };
    const root = parseS3Uri(destination);
    if (!root) return null;
    return {
      kind: "s3",
      location: { bucket: root.bucket, prefix: [root.prefix, path].filter(Boolean).join("/") },
    };
  }
  return null;
}

export function storageUri(storage: Storage): string {
  return storage.kind === "s3"
    ? `s3://${storage.location.bucket}/${storage.location.prefix}`.replace(/\/$/, "")
    : `mlflow-artifacts:/${storage.path}`;
}

/** `runs:/<run_id>/<path>`: a path inside a run's artifacts. */
export function parseRunsUri(uri: string): { runId: string; path: string } | null {
  const match = /^runs:\/([^/]+)\/?(.*)$/.exec(uri);
  return match ? { runId: match[1]!, path: match[2]!.replace(/\/+$/, "") } : null;
}
