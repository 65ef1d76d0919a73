import type { Config } from "../config/schema.js";

const REDACTED = "[REDACTED]";

// What a credential or a signed link looks like in any text: an Authorization value, a JWT,
// the gateway's own static tokens (`rg_…`, token-digest.ts), wherever a caller put one (an
// x-request-id, a model name), and the query parameters that make a presigned S3 URL usable.
const PATTERNS: [RegExp, string][] = [
  [/\brg_[A-Za-z0-9_-]{16,}/g, `rg_${REDACTED}`],
  [/\b(Bearer|Basic)\s+(?!(?:Bearer|Basic)\b)[A-Za-z0-9._~+/=-]+/gi, `$1 ${REDACTED}`],
  [/\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g, REDACTED],
  [
    /\b(X-Amz-(?:Signature|Credential|Security-Token)|Signature|AWSAccessKeyId)=[^&"\s\\]*/gi,
    `$1=${REDACTED}`,
  ],
];

/** The secrets the config holds, whose values must never reach a log line. */
export function secretsOf(config: Config): string[] {
  const secrets = [
    config.s3.credentials?.secretAccessKey,
    config.s3.credentials?.sessionToken,
    ...config.projects.map(({ mlflow: { auth } }) =>
      auth.type === "basic" ? auth.password : auth.type === "bearer" ? auth.token : undefined,
    ),
  ];
  // A secret of a few characters would redact every word that holds it: say so at review instead.
  return secrets.filter((s): s is string => s !== undefined && s.length >= 4);
}

/**
 * Scrubs one serialized log line: every configured secret (as is and as JSON escapes it),
 * Authorization values, JWTs and presigned URLs' signatures become `[REDACTED]`. The last
 * guard under pino's `redact` paths: it holds whatever field or message a secret slipped into.
 */
export function logScrubber(secrets: readonly string[]): (line: string) => string {
  const literal = [...new Set(secrets.flatMap((s) => [s, JSON.stringify(s).slice(1, -1)]))]
    .sort((a, b) => b.length - a.length)
    .map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  const secretPattern = literal.length > 0 ? new RegExp(literal.join("|"), "g") : undefined;
  return (line) => {
    let out = secretPattern ? line.replace(secretPattern, REDACTED) : line;
    for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
    return out;
  };
}
