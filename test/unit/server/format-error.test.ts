import { describe, expect, it } from "@jest/globals";
import { GraphQLError } from "graphql";
import { notFound } from "../../../src/graph/common/errors.js";
import { createFormatError } from "../../../src/server/format-error.js";
import { MlflowError } from "../../../src/sources/mlflow/errors.js";
import { createLogger } from "../../../src/server/logger.js";

const formatError = createFormatError(createLogger("silent"));

describe("formatError", () => {
  it("keeps an intended error as it is, without a stack trace", () => {
    const error = notFound('unknown project "x"', { project: "x" });
    const formatted = formatError(
      {
        message: error.message,
        path: ["project"],
        extensions: { ...error.extensions, stacktrace: ["at x"] },
      },
      error,
    );
    expect(formatted).toEqual({
      message: 'unknown project "x"',
      path: ["project"],
      extensions: { code: "NOT_FOUND", project: "x" },
    });
  });

  it("masks anything unexpected, so no URL, secret or stack reaches the client", () => {
    const error = new GraphQLError("connect to http://admin:hunter2@mlflow:5000 failed", {
      originalError: new Error("boom"),
    });
    const formatted = formatError(
      {
        message: error.message,
        path: ["models"],
        extensions: { code: "INTERNAL_SERVER_ERROR", stacktrace: ["at y"] },
      },
      error,
    );
    expect(formatted).toEqual({
      message: "Internal server error",
      path: ["models"],
      locations: undefined,
      extensions: { code: "INTERNAL_SERVER_ERROR" },
    });
  });
});

describe("formatError with upstream failures", () => {
  it("types an MLflow failure that reached a field and names its project", () => {
    const original = new MlflowError("fraud", "TIMEOUT", 'MLflow of project "fraud" timed out');
    // As graphql-js reports a resolver's throw: located at the field, wrapping the original.
    const error = new GraphQLError(original.message, {
      originalError: original,
      path: ["model", "run"],
    });
    expect(formatError({ message: original.message, path: ["model", "run"] }, error)).toEqual({
      message: 'MLflow of project "fraud" timed out',
      path: ["model", "run"],
      extensions: { code: "UPSTREAM_TIMEOUT", project: "fraud" },
    });
  });
});
