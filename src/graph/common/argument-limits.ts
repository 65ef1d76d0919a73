import type { GraphQLError } from "graphql";
import { badUserInput } from "../../registry/errors.js";

/** The config values some argument ranges come from. */
export interface ArgumentLimits {
  maxPageSize: number;
  textMaxBytes: number;
  downloadUrlMaxExpirySeconds: number;
  maxFileBytes: number;
}

interface TextRule {
  maxLength: number;
  /** A name or a path: no control characters (NUL and lone surrogates are refused anywhere). */
  name?: true;
}

/**
 * Every string argument and input field, by its name wherever it appears (at the root of a
 * field's arguments, inside input objects, in lists). Lengths are MLflow's own limits
 * (docs/mlflow-rest.md §1.3, validate.ts) or below, so that nothing MLflow would refuse leaves the
 * gateway; a name the table lacks gets DEFAULT_TEXT (a test keeps the table complete).
 */
export const TEXT_RULES: Readonly<Record<string, TextRule>> = {
  project: { maxLength: 63, name: true }, // a configured project's name: 1-63 characters
  projects: { maxLength: 63, name: true },
  name: { maxLength: 256, name: true }, // MLflow's name column (a model, or a project here)
  model: { maxLength: 256, name: true },
  models: { maxLength: 256, name: true },
  nameContains: { maxLength: 256, name: true },
  alias: { maxLength: 255, name: true }, // mlflow/utils/validation.py
  aliases: { maxLength: 255, name: true },
  hasAlias: { maxLength: 255, name: true },
  key: { maxLength: 250, name: true }, // a tag key
  value: { maxLength: 5000 }, // a tag value
  description: { maxLength: 65_536 }, // validate.ts checkDescription
  source: { maxLength: 500, name: true }, // MLflow's source column
  runId: { maxLength: 32, name: true }, // MLflow's run_id column
  stage: { maxLength: 32, name: true }, // None, Staging, Production, Archived
  stages: { maxLength: 32, name: true },
  path: { maxLength: 1024, name: true }, // an S3 key's limit, as artifact-path.ts
  id: { maxLength: 2048, name: true }, // a global id: base64url of a model's key
  after: { maxLength: 2048, name: true }, // a cursor: base64url of a sort key
  uploadId: { maxLength: 64, name: true }, // a UUID
  idempotencyKey: { maxLength: 256, name: true },
  sha256: { maxLength: 64, name: true },
  etag: { maxLength: 256, name: true },
};

const DEFAULT_TEXT: TextRule = { maxLength: 65_536 };

/** Every integer argument and input field with a range, by name. */
export const INT_RULES: Readonly<Record<string, (limits: ArgumentLimits) => [number, number]>> = {
  first: (l) => [0, l.maxPageSize],
  maxBytes: (l) => [1, l.textMaxBytes],
  expiresIn: (l) => [1, l.downloadUrlMaxExpirySeconds],
  number: () => [1, 2 ** 31 - 1], // MLflow numbers versions from 1
  version: () => [1, 2 ** 31 - 1],
  partNumber: () => [1, 10_000], // S3's part numbers
  size: (l) => [0, l.maxFileBytes],
};

// C0 and C1 control characters, DEL among them: refusing them is the point.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

function textProblem(rule: TextRule, value: string): string | null {
  if (value.length > rule.maxLength) {
    return `must be at most ${rule.maxLength} characters, got ${value.length}`;
  }
  if (!value.isWellFormed()) return "contains a lone UTF-16 surrogate";
  if (value.includes("\u0000")) return "contains a NUL character";
  if (rule.name && CONTROL.test(value)) return "contains a control character";
  return null;
}

function check(
  field: string,
  name: string,
  path: string,
  value: unknown,
  limits: ArgumentLimits,
): GraphQLError | null {
  if (typeof value === "string") {
    const rule = TEXT_RULES[name] ?? DEFAULT_TEXT;
    const problem = textProblem(rule, value);
    return problem
      ? badUserInput(`${field}(${path}) ${problem}`, {
          field,
          argument: path,
          maxLength: rule.maxLength,
        })
      : null;
  }
  if (typeof value === "number") {
    const range = INT_RULES[name]?.(limits);
    if (!range || (Number.isInteger(value) && value >= range[0] && value <= range[1])) return null;
    return badUserInput(
      `${field}(${path}) must be between ${range[0]} and ${range[1]}, got ${value}`,
      {
        field,
        argument: path,
        min: range[0],
        max: range[1],
      },
    );
  }
  if (Array.isArray(value)) {
    for (const [i, item] of value.entries()) {
      const error = check(field, name, `${path}[${i}]`, item, limits);
      if (error) return error;
    }
  } else if (value !== null && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const error = check(field, key, `${path}.${key}`, item, limits);
      if (error) return error;
    }
  }
  return null;
}

/**
 * The first argument of `field` (coerced, variables applied) that breaks its rule, as a
 * BAD_USER_INPUT naming the argument and the limit; null when all are within bounds.
 */
export function argumentProblem(
  field: string,
  args: Record<string, unknown>,
  limits: ArgumentLimits,
): GraphQLError | null {
  for (const [name, value] of Object.entries(args)) {
    const error = check(field, name, name, value, limits);
    if (error) return error;
  }
  return null;
}
