import { type DestinationStream, pino, type Logger } from "pino";
import { currentCaller } from "./auth/caller-scope.js";
import { logScrubber } from "./log-scrub.js";
import { currentRequestId } from "./request-id.js";

export type { Logger };

/**
 * JSON logs on stdout (or `destination`); LOG_LEVEL picks the level (`silent` in tests).
 * Every line is scrubbed of `secrets` (the config's, log-scrub.ts), credentials and signed URLs.
 */
export function createLogger(
  level = process.env.LOG_LEVEL ?? "info",
  destination?: DestinationStream,
  secrets: readonly string[] = [],
): Logger {
  const scrub = logScrubber(secrets);
  const options = {
    level,
    base: { service: "registry-graph" },
    redact: [
      "*.authorization",
      "*.password",
      "*.token",
      "*.secretAccessKey",
      "*.sessionToken",
      "*.headers.authorization",
      "*.headers.cookie",
    ],
    hooks: { streamWrite: scrub },
    // A line written while a request is handled names it, as its response's x-request-id does,
    // and, once authenticated, its caller's subject (null: anonymous), never the credential.
    mixin: () => {
      const requestId = currentRequestId();
      if (requestId === undefined) return {};
      const caller = currentCaller();
      return caller === undefined ? { requestId } : { requestId, caller: caller.subject };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
