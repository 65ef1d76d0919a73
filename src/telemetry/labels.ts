/**
 * Label values a client or an upstream path decides, made safe for Prometheus: each label
 * takes a bounded set of values whatever the clients send, since every new value is a new
 * series kept in memory until the process ends.
 */

// A GraphQL name (https://spec.graphql.org/October2021/#Name), at most 64 characters here.
const OPERATION_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,63}$/;

/** The operation label of a request that named none, or never reached its operation. */
export const ANONYMOUS_OPERATION = "anonymous";
export const UNKNOWN_OPERATION = "unknown";
/** Names past the cap, and names that are not GraphQL names (too long, unicode, ...). */
export const OTHER_OPERATION = "other";

/**
 * Operation names as labels: the first `max` distinct names keep their own label; any later
 * name, and any name that is not a plain GraphQL name of at most 64 characters, is "other".
 * The set never grows past `max` + 3 values, however many names clients invent.
 */
export class OperationLabels {
  private readonly seen = new Set<string>();

  constructor(private readonly max: number) {}

  label(name: string | null | undefined, resolved = true): string {
    if (!resolved) return UNKNOWN_OPERATION;
    if (name === null || name === undefined || name === "") return ANONYMOUS_OPERATION;
    if (!OPERATION_NAME.test(name)) return OTHER_OPERATION;
    if (this.seen.has(name)) return name;
    if (this.seen.size >= this.max) return OTHER_OPERATION;
    this.seen.add(name);
    return name;
  }
}

const MLFLOW_API = /^(?:ajax-)?api\/2\.0\/mlflow\//;
const MLFLOW_ARTIFACTS = /^api\/2\.0\/mlflow-artifacts\/artifacts(?:\/|$)/;
const ENDPOINT = /^[a-z0-9-]{1,40}(?:\/[a-z0-9-]{1,40}){0,2}$/;

/**
 * The endpoint label of an MLflow call: its REST method (`registered-models/search`), never
 * the part of the path that names a file, a model or anything else a caller chose.
 */
export function mlflowEndpoint(path: string): string {
  if (MLFLOW_ARTIFACTS.test(path)) return "mlflow-artifacts/artifacts";
  const method = path.replace(MLFLOW_API, "");
  return ENDPOINT.test(method) ? method : "other";
}

/** The endpoint label of an S3 call: its operation (`GetObject` for a GetObjectCommand). */
export function s3Endpoint(command: object): string {
  const name = command.constructor?.name ?? "";
  const operation = name.replace(/Command$/, "");
  return /^[A-Za-z0-9]{1,40}$/.test(operation) ? operation : "other";
}

/** An error's code label: the typed errors' `kind` (NOT_FOUND, TIMEOUT, ...), else ERROR. */
export function errorCode(error: unknown): string {
  const kind = (error as { kind?: unknown } | null)?.kind;
  return typeof kind === "string" && /^[A-Z_]{1,32}$/.test(kind) ? kind : "ERROR";
}
