import type { AuthConfig } from "../../config/schema.js";
import type { Logger } from "../logger.js";

/** Warns at start when a caller with no credentials may change anything (the demo's choice). */
export function warnIfAnonymousMayWrite(auth: AuthConfig, logger: Logger): void {
  const writable = auth.anonymous.filter((g) => g.role !== "reader");
  if (writable.length === 0) return;
  logger.warn(
    { grants: writable.map((g) => ({ project: g.project, role: g.role, models: g.models })) },
    "anonymous callers may write: anyone who reaches the gateway can change these projects (auth.anonymous)",
  );
}
