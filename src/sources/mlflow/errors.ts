import { HTTPError, RequestError, TimeoutError } from "got";
import type { WireError } from "./wire.js";

export type MlflowErrorKind =
  "UNAVAILABLE" | "TIMEOUT" | "NOT_FOUND" | "ALREADY_EXISTS" | "INVALID" | "FORBIDDEN" | "UPSTREAM";

/**
 * Any failure of a call to one project's MLflow. Its message is safe to show a client: it
 * never carries the server's URL or credentials, only MLflow's own text for a client error
 * (a 4xx names what was wrong with the input) or a summary. What a server said about its own
 * failure (a 5xx: SQL, paths, stack traces) is kept in `detail`, for the log only.
 */
export class MlflowError extends Error {
  constructor(
    readonly project: string,
    readonly kind: MlflowErrorKind,
    message: string,
    readonly status?: number,
    readonly mlflowCode?: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = "MlflowError";
  }
}

// MLflow answers RESOURCE_ALREADY_EXISTS with 400, not 409 (docs/mlflow-rest.md §1.1), so map by code.
const kindByCode: Record<string, MlflowErrorKind> = {
  RESOURCE_DOES_NOT_EXIST: "NOT_FOUND",
  NOT_FOUND: "NOT_FOUND",
  RESOURCE_ALREADY_EXISTS: "ALREADY_EXISTS",
  ALREADY_EXISTS: "ALREADY_EXISTS",
  INVALID_PARAMETER_VALUE: "INVALID",
  BAD_REQUEST: "INVALID",
  PERMISSION_DENIED: "FORBIDDEN",
  UNAUTHENTICATED: "FORBIDDEN",
};

function kindByStatus(status: number): MlflowErrorKind {
  if (status === 401 || status === 403) return "FORBIDDEN";
  if (status === 404) return "NOT_FOUND";
  if (status === 400) return "INVALID";
  if (status >= 500) return "UNAVAILABLE";
  return "UPSTREAM";
}

function parseWireError(body: unknown): WireError | null {
  if (typeof body !== "string") return null;
  try {
    const parsed: unknown = JSON.parse(body);
    return parsed !== null && typeof parsed === "object" ? (parsed as WireError) : null;
  } catch {
    return null;
  }
}

/** The start of a body that is not MLflow's JSON error, for the log. */
function bodyText(body: unknown): string | undefined {
  return typeof body === "string" && body !== "" ? body.slice(0, 2000) : undefined;
}

export function toMlflowError(project: string, error: unknown): MlflowError {
  if (error instanceof MlflowError) return error;
  if (error instanceof TimeoutError) {
    return new MlflowError(project, "TIMEOUT", `MLflow of project "${project}" timed out`);
  }
  if (error instanceof HTTPError) {
    const status = error.response.statusCode;
    const wire = parseWireError(error.response.body);
    const kind = (wire?.error_code && kindByCode[wire.error_code]) || kindByStatus(status);
    const summary = `MLflow of project "${project}" answered HTTP ${status}`;
    if (status >= 500) {
      const detail = wire?.message ?? bodyText(error.response.body);
      return new MlflowError(project, kind, summary, status, wire?.error_code, detail);
    }
    return new MlflowError(project, kind, wire?.message ?? summary, status, wire?.error_code);
  }
  if (error instanceof RequestError) {
    return new MlflowError(
      project,
      "UNAVAILABLE",
      `MLflow of project "${project}" is unreachable (${error.code})`,
    );
  }
  return new MlflowError(project, "UPSTREAM", `MLflow of project "${project}" failed`);
}
