import { parseS3Uri } from "../sources/s3/uri.js";
import { normalizeArtifactPath } from "../sources/storage/artifact-path.js";
import { type FileScope, outsideReason } from "../sources/storage/project-files.js";
import { badUserInput } from "./errors.js";

// MLflow's own limits (docs/mlflow-rest.md §1.3, mlflow/utils/validation.py), checked here first so
// that bad input is refused with a clear reason before anything is written.

export function checkModelName(name: string): string {
  if (name.length === 0 || name.length > 256) {
    throw badUserInput(`model name must be 1 to 256 characters, got ${name.length}`);
  }
  if (/[/:]/.test(name)) throw badUserInput(`model name "${name}" may not contain "/" or ":"`);
  return name;
}

export function checkAlias(alias: string): string {
  if (!/^[\w-]+$/.test(alias) || alias.length > 255) {
    throw badUserInput(`alias "${alias}" must be 1 to 255 letters, digits, "_" or "-"`);
  }
  if (alias.toLowerCase() === "latest" || /^v\d+$/i.test(alias)) {
    throw badUserInput(`alias "${alias}" is reserved by MLflow (latest, v<number>)`);
  }
  return alias;
}

export function checkTag(key: string, value: string): { key: string; value: string } {
  if (key.length === 0 || key.length > 250) {
    throw badUserInput(`tag key must be 1 to 250 characters, got ${key.length}`);
  }
  if (value.length > 5000) {
    throw badUserInput(`tag "${key}" value must be at most 5000 characters, got ${value.length}`);
  }
  return { key, value };
}

export function checkDescription(description: string | null | undefined): string | null {
  if (description != null && description.length > 65_536) {
    throw badUserInput(`description must be at most 65536 characters, got ${description.length}`);
  }
  return description ?? null;
}

const STAGES = ["None", "Staging", "Production", "Archived"];

export function checkStage(stage: string): string {
  const canonical = STAGES.find((s) => s.toLowerCase() === stage.toLowerCase());
  if (!canonical) throw badUserInput(`stage must be one of ${STAGES.join(", ")}, got "${stage}"`);
  return canonical;
}

/**
 * An `s3://` source among the project's files (its destination, root or allowedSources, never
 * the gateway's state), normalized; anything else (another bucket, a sibling prefix, `..`,
 * encoded escapes) is refused with the reason.
 */
export function checkS3Source(scope: FileScope, source: string): string {
  const location = parseS3Uri(source);
  const key = location ? normalizeArtifactPath(location.prefix) : null;
  if (!location || key === null || key === "") {
    throw badUserInput(`source "${source}" is not a plain s3://bucket/prefix URI`);
  }
  const reason = outsideReason(scope, { bucket: location.bucket, prefix: key });
  if (reason) throw badUserInput(`source "${source}" cannot be registered: ${reason}`);
  return `s3://${location.bucket}/${key}`;
}
