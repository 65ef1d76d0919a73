import { describe, expect, it } from "@jest/globals";
import { parseConfig } from "../../../src/config/load.js";
import { logScrubber, secretsOf } from "../../../src/server/log-scrub.js";
import { createLogger } from "../../../src/server/logger.js";

const CONFIG = `
s3:
  credentials: { accessKeyId: AKIAEXAMPLE, secretAccessKey: "s3-secret/with+odd=chars" }
projects:
  - name: fraud
    mlflow: { url: "http://mlflow:5000", auth: { type: basic, username: gw, password: 'pa"ss\\\\word' } }
  - name: churn
    mlflow: { url: "http://mlflow:5001", auth: { type: bearer, token: churn-token-123 } }
`;

function capture(secrets: string[]) {
  const text: string[] = [];
  const logger = createLogger("info", { write: (line: string) => void text.push(line) }, secrets);
  return { logger, text };
}

describe("log scrubbing", () => {
  const secrets = secretsOf(parseConfig(CONFIG, {}, "test.yaml"));

  it("finds every secret the config holds", () => {
    expect(secrets.sort()).toEqual(
      ['pa"ss\\\\word', "churn-token-123", "s3-secret/with+odd=chars"].sort(),
    );
  });

  it("removes configured secrets, credentials and presigned signatures from every line", () => {
    const { logger, text } = capture(secrets);
    const presigned =
      "http://s3/b/k?X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIAEXAMPLE%2F20260101&X-Amz-Signature=abcdef0123&X-Amz-Security-Token=tok";
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl";
    logger.info({ detail: `upstream said s3-secret/with+odd=chars and pa"ss\\\\word` }, "x");
    logger.warn({ header: "Bearer rg_live_abcdef123456", url: presigned }, `jwt ${jwt}`);
    logger.error({ err: new Error("failed with churn-token-123") }, "basic Basic Z3c6cGFzcw==");
    logger.info({ req: { headers: { authorization: "Bearer zzz-top-secret" } } }, "y");
    logger.info({ requestId: "rg_AbCdEfGhIjKlMnOpQrStUvWxYz0123456789-_abcd" }, "request");
    const all = text.join("");
    for (const leak of [
      "s3-secret/with+odd=chars",
      'pa\\"ss',
      "churn-token-123",
      "rg_live_abcdef123456",
      "abcdef0123",
      "AKIAEXAMPLE%2F",
      jwt,
      "Z3c6cGFzcw==",
      "zzz-top-secret",
      "AbCdEfGhIjKlMnOpQrStUvWxYz0123456789",
    ]) {
      expect(all).not.toContain(leak);
    }
    expect(all).toContain("[REDACTED]");
    // Still JSON, one object per line.
    expect(text.map((line) => JSON.parse(line) as object)).toHaveLength(5);
  });

  it("leaves a line without secrets as it is", () => {
    const scrub = logScrubber(["s3cret"]);
    const line = '{"msg":"request","operation":"Dashboard","durationMs":12.5}\n';
    expect(scrub(line)).toBe(line);
  });
});
