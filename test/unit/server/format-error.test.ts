import { describe, expect, it } from "@jest/globals";
import {
  GraphQLError,
  type GraphQLFormattedError,
  type GraphQLResolveInfo,
  type ResponsePath as Path,
} from "graphql";
import { atPath, notFound } from "../../../src/registry/errors.js";
import { createFormatError } from "../../../src/server/format-error.js";
import { MlflowError } from "../../../src/sources/mlflow/errors.js";
import { createLogger } from "../../../src/server/logger.js";
import { partialErrorsPlugin } from "../../../src/server/plugins/partial-errors.js";
import { withRequestId } from "../../../src/server/request-id.js";

type FormatError = ReturnType<typeof createFormatError>;

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

/** A logger whose lines are kept, parsed, for the test to read. */
function capturedLogger() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("info", {
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { lines, formatError: createFormatError(logger) };
}

const serverFailure = () =>
  new MlflowError(
    "fraud",
    "UNAVAILABLE",
    'MLflow of project "fraud" answered HTTP 500',
    500,
    "INTERNAL_ERROR",
    "(psycopg2.OperationalError) connection to postgresql://mlflow:hunter2@db:5432 failed",
  );

describe("formatError with what an MLflow server said of its own failure", () => {
  it("gives the client the code, project and request id, and the log the detail", () => {
    const { lines, formatError } = capturedLogger();
    const cause = serverFailure();
    const error = new GraphQLError(cause.message, { originalError: cause, path: ["models"] });

    const formatted = withRequestId("req-42", () =>
      formatError({ message: cause.message, path: ["models"] }, error),
    );

    expect(formatted).toEqual({
      message: 'MLflow of project "fraud" answered HTTP 500',
      path: ["models"],
      extensions: { code: "UPSTREAM_UNAVAILABLE", project: "fraud", requestId: "req-42" },
    });
    expect(JSON.stringify(formatted)).not.toMatch(/hunter2|psycopg2/);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: "upstream error",
        requestId: "req-42",
        project: "fraud",
        status: 500,
        mlflowCode: "INTERNAL_ERROR",
        detail: expect.stringContaining("psycopg2") as unknown,
        path: ["models"],
      }),
    ]);
  });

  it("gives a masked error the request id its log line has", () => {
    const { lines, formatError } = capturedLogger();
    const error = new GraphQLError("boom", { originalError: new TypeError("x is undefined") });

    const formatted = withRequestId("req-7", () =>
      formatError({ message: "boom", extensions: { code: "INTERNAL_SERVER_ERROR" } }, error),
    );

    expect(formatted.extensions).toEqual({ code: "INTERNAL_SERVER_ERROR", requestId: "req-7" });
    expect(lines[0]).toMatchObject({ level: 50, msg: "unexpected error", requestId: "req-7" });
  });
});

describe("partialErrorsPlugin", () => {
  /** The errors a response ends with once the plugin has added the request's partial errors. */
  async function responseErrors(partialErrors: GraphQLError[], formatError: FormatError) {
    const singleResult: { data: unknown; errors?: readonly GraphQLFormattedError[] } = {
      data: { models: { edges: [] } },
    };
    const plugin = partialErrorsPlugin(formatError);
    const listener = await plugin.requestDidStart!({} as never);
    await withRequestId("req-9", () =>
      listener!.willSendResponse!({
        response: { body: { kind: "single", singleResult } },
        contextValue: { partialErrors },
      } as never),
    );
    return singleResult.errors;
  }

  it("masks and logs a partial error as formatError does any other", async () => {
    const { lines, formatError } = capturedLogger();
    const unexpected = new GraphQLError("connect to http://admin:pw@mlflow:5000 failed", {
      path: ["models"],
      originalError: new Error("boom"),
    });
    const upstream = atPathOf(serverFailure(), ["models"]);

    const errors = await responseErrors([unexpected, upstream], formatError);

    expect(errors).toEqual([
      {
        message: "Internal server error",
        path: ["models"],
        extensions: { code: "INTERNAL_SERVER_ERROR", requestId: "req-9" },
      },
      {
        message: 'MLflow of project "fraud" answered HTTP 500',
        path: ["models"],
        extensions: { code: "UPSTREAM_UNAVAILABLE", project: "fraud", requestId: "req-9" },
      },
    ]);
    expect(JSON.stringify(errors)).not.toMatch(/admin:pw|hunter2/);
    expect(lines.map((l) => [l.msg, l.requestId])).toEqual([
      ["unexpected error", "req-9"],
      ["upstream error", "req-9"],
    ]);
  });
});

/** A partial error as fromEachProject reports it: typed, at the field that still answered. */
function atPathOf(error: unknown, path: string[]): GraphQLError {
  const info = {
    path: path.reduce<Path | undefined>(
      (prev, key) => ({ prev, key, typename: undefined }),
      undefined,
    ),
  };
  return atPath(error, info as GraphQLResolveInfo);
}
