import { GraphQLError, type GraphQLResolveInfo, responsePathAsArray } from "graphql";
import { MlflowError, type MlflowErrorKind } from "../sources/mlflow/errors.js";
import { RequestLimitError } from "../sources/request-limits.js";
import { S3Error } from "../sources/s3/errors.js";

export const ErrorCode = {
  NOT_FOUND: "NOT_FOUND",
  BAD_USER_INPUT: "BAD_USER_INPUT",
  TOO_LARGE: "TOO_LARGE",
  ALREADY_EXISTS: "ALREADY_EXISTS",
  CONFLICT: "CONFLICT",
  FORBIDDEN: "FORBIDDEN",
  UNAUTHENTICATED: "UNAUTHENTICATED",
  UPSTREAM_UNAVAILABLE: "UPSTREAM_UNAVAILABLE",
  UPSTREAM_TIMEOUT: "UPSTREAM_TIMEOUT",
  UPSTREAM_FORBIDDEN: "UPSTREAM_FORBIDDEN",
  UPSTREAM_ERROR: "UPSTREAM_ERROR",
  UPSTREAM_BUDGET_EXCEEDED: "UPSTREAM_BUDGET_EXCEEDED",
  REQUEST_TIMEOUT: "REQUEST_TIMEOUT",
  REQUEST_CANCELLED: "REQUEST_CANCELLED",
  /** Change events are off on this gateway (config `events.enabled`): no subscription. */
  EVENTS_DISABLED: "EVENTS_DISABLED",
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** An error meant for the client: its message and `extensions` reach the response as they are. */
export function userError(
  code: ErrorCode,
  message: string,
  extensions: Record<string, unknown> = {},
): GraphQLError {
  return new GraphQLError(message, { extensions: { code, ...extensions } });
}

export const notFound = (message: string, extensions?: Record<string, unknown>) =>
  userError(ErrorCode.NOT_FOUND, message, extensions);

export const badUserInput = (message: string, extensions?: Record<string, unknown>) =>
  userError(ErrorCode.BAD_USER_INPUT, message, extensions);

export const forbidden = (message: string, extensions?: Record<string, unknown>) =>
  userError(ErrorCode.FORBIDDEN, message, extensions);

const codeByKind: Record<MlflowErrorKind, ErrorCode> = {
  UNAVAILABLE: ErrorCode.UPSTREAM_UNAVAILABLE,
  TIMEOUT: ErrorCode.UPSTREAM_TIMEOUT,
  NOT_FOUND: ErrorCode.NOT_FOUND,
  ALREADY_EXISTS: ErrorCode.ALREADY_EXISTS,
  INVALID: ErrorCode.BAD_USER_INPUT,
  FORBIDDEN: ErrorCode.UPSTREAM_FORBIDDEN,
  UPSTREAM: ErrorCode.UPSTREAM_ERROR,
};

/** An upstream failure as the client sees it: typed, naming the project. */
export function fromMlflowError(error: MlflowError): GraphQLError {
  // originalError keeps the MlflowError (and the detail the log gets) under the typed error.
  return new GraphQLError(error.message, {
    originalError: error,
    extensions: { code: codeByKind[error.kind], project: error.project },
  });
}

const codeByS3Kind: Record<S3Error["kind"], ErrorCode> = {
  UNAVAILABLE: ErrorCode.UPSTREAM_UNAVAILABLE,
  TIMEOUT: ErrorCode.UPSTREAM_TIMEOUT,
  FORBIDDEN: ErrorCode.UPSTREAM_FORBIDDEN,
};

const codeByLimit: Record<RequestLimitError["kind"], ErrorCode> = {
  BUDGET: ErrorCode.UPSTREAM_BUDGET_EXCEEDED,
  TIMEOUT: ErrorCode.REQUEST_TIMEOUT,
  CANCELLED: ErrorCode.REQUEST_CANCELLED,
};

/**
 * Upstream failures (MLflow, S3) and the request's own limits become typed errors; anything
 * else passes through as it is.
 */
export function toGraphQLError(error: unknown): unknown {
  if (error instanceof RequestLimitError) {
    return userError(codeByLimit[error.kind], error.message, { ...error.limit });
  }
  if (error instanceof MlflowError) return fromMlflowError(error);
  if (error instanceof S3Error) {
    return userError(codeByS3Kind[error.kind], error.message, { upstream: "s3" });
  }
  return error;
}

/** The same error, placed at the field that answered partially. */
export function atPath(error: unknown, info: GraphQLResolveInfo): GraphQLError {
  const typed = toGraphQLError(error);
  const original = typed instanceof GraphQLError ? typed : new GraphQLError(String(error));
  return new GraphQLError(original.message, {
    path: responsePathAsArray(info.path),
    extensions: original.extensions,
    originalError: typed instanceof Error ? typed : undefined,
  });
}
