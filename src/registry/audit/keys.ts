import { createHash, randomBytes } from "node:crypto";

// Where records live under `state.uri`: one copy per project and one per model, both
// create-only, so reading either is a single prefix listing. A record whose project is not
// one its caller can see (unknown, outside their grants, or an unknown upload) has only the
// third.
//
//   audit/projects/<project>/<id>.json
//   audit/models/<project>/<model, URI-encoded>/<id>.json
//   audit/unattributed/<id>.json
//
// An id is the inverted, zero-padded time in milliseconds, then 16 random hex digits: S3 lists
// keys in ascending order, so a plain listing comes out newest first, and two replicas writing
// in the same millisecond never take the same key.

/** Past any millisecond time stamp until the year 2286: 13 digits. */
const LAST_MS = 9_999_999_999_999;
const ID = /^\d{13}-[0-9a-f]{16}$/;
/** A model segment longer than this is hashed: S3 keys end at 1,024 bytes. */
const MAX_SEGMENT = 384;

/** A new record id for a record made at `ms`. */
export function recordId(ms: number, random = randomBytes(8).toString("hex")): string {
  return `${String(LAST_MS - ms).padStart(13, "0")}-${random}`;
}

export const isRecordId = (id: string): boolean => ID.test(id);

/** The time an id was made at, in milliseconds. */
export const timeOfId = (id: string): number => LAST_MS - Number(id.slice(0, 13));

/**
 * A model name as one key segment: URI-encoded (so "/" and "%" cannot reach past it), or, when
 * that is too long for a key, `%%` and its SHA-256; encodeURIComponent never writes "%%", so the
 * two cannot meet.
 */
export function modelSegment(model: string): string {
  const encoded = encodeURIComponent(model);
  if (encoded.length <= MAX_SEGMENT) return encoded;
  return `%%${createHash("sha256").update(model).digest("hex")}`;
}

export const projectPrefix = (project: string): string => `audit/projects/${project}/`;

export const modelPrefix = (project: string, model: string): string =>
  `audit/models/${project}/${modelSegment(model)}/`;

export const UNATTRIBUTED_PREFIX = "audit/unattributed/";

/** Every path a record is written at: its project's and its model's, or the unattributed one. */
export function recordPaths(
  record: { id: string; model: string | null },
  project: string | null,
): string[] {
  if (project === null) return [`${UNATTRIBUTED_PREFIX}${record.id}.json`];
  const paths = [`${projectPrefix(project)}${record.id}.json`];
  if (record.model) paths.push(`${modelPrefix(project, record.model)}${record.id}.json`);
  return paths;
}
