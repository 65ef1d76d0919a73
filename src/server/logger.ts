import { type DestinationStream, pino, type Logger } from "pino";
import { currentRequestId } from "./request-id.js";

export type { Logger };

/** JSON logs on stdout (or `destination`); LOG_LEVEL picks the level (`silent` in tests). */
export function createLogger(
  level = process.env.LOG_LEVEL ?? "info",
  destination?: DestinationStream,
): Logger {
  const options = {
    level,
    base: { service: "registry-graph" },
    redact: ["*.authorization", "*.password", "*.token", "*.secretAccessKey"],
    // A line written while a request is handled names it, as its response's x-request-id does.
    mixin: () => {
      const requestId = currentRequestId();
      return requestId === undefined ? {} : { requestId };
    },
  };
  return destination ? pino(options, destination) : pino(options);
}
