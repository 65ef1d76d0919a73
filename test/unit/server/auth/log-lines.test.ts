import { describe, expect, it } from "@jest/globals";
import { authSchema } from "../../../../src/config/auth.js";
import { warnIfAnonymousMayWrite } from "../../../../src/server/auth/anonymous-warning.js";
import { withCaller } from "../../../../src/server/auth/caller-scope.js";
import { createLogger } from "../../../../src/server/logger.js";
import { withRequestId } from "../../../../src/server/request-id.js";

function capture() {
  const lines: Record<string, unknown>[] = [];
  const logger = createLogger("info", {
    write: (line: string) => void lines.push(JSON.parse(line) as Record<string, unknown>),
  });
  return { logger, lines };
}

describe("a request's log lines", () => {
  it("name its caller's subject once authenticated, null for an anonymous one", () => {
    const { logger, lines } = capture();
    withRequestId("r1", () => {
      logger.info("before authentication");
      withCaller({ subject: "ci-bot", via: "token", grants: [] }, () => logger.info("as ci-bot"));
      withCaller({ subject: null, via: "anonymous", grants: [] }, () => logger.info("anonymous"));
    });
    logger.info("outside any request");
    expect(lines.map(({ requestId, caller, msg }) => ({ requestId, caller, msg }))).toEqual([
      { requestId: "r1", caller: undefined, msg: "before authentication" },
      { requestId: "r1", caller: "ci-bot", msg: "as ci-bot" },
      { requestId: "r1", caller: null, msg: "anonymous" },
      { requestId: undefined, caller: undefined, msg: "outside any request" },
    ]);
  });
});

describe("the start warning", () => {
  it("is logged when anonymous callers may write or delete anywhere", () => {
    const { logger, lines } = capture();
    const auth = authSchema.parse({
      anonymous: [
        { project: "fraud", role: "reader" },
        { project: "demo", role: "admin", models: ["demo-*"] },
      ],
    });
    warnIfAnonymousMayWrite(auth, logger);
    expect(lines).toEqual([
      expect.objectContaining({
        level: 40,
        msg: expect.stringMatching(/^anonymous callers may write/),
        grants: [{ project: "demo", role: "admin", models: ["demo-*"] }],
      }),
    ]);
  });

  it("is not logged when anonymous callers may only read, or nothing", () => {
    const { logger, lines } = capture();
    warnIfAnonymousMayWrite(authSchema.parse({}), logger);
    warnIfAnonymousMayWrite(
      authSchema.parse({ anonymous: [{ project: "*", role: "reader" }] }),
      logger,
    );
    expect(lines).toEqual([]);
  });
});
