import type { ComplexityEstimator, ComplexityEstimatorArgs } from "graphql-query-complexity";

/**
 * What one request costs, before it runs (type-graphql's `complexity` option on each field,
 * summed by graphql-query-complexity with the request's variables; server/limits/).
 *
 * The unit is one field in the answer, scalar or object: what the gateway's memory follows
 * (test/integration/memory.test.ts: about 1.5 to 2 KB held per field while a request runs).
 * A list whose length the data decides (tags, aliases, metrics) counts as one item; a
 * connection as `first` of them. Reads batched per project cost nothing more than their fields; a read of
 * its own (one S3 call per version or file, a lookup by key at the root) costs CALL, and
 * bytes read cost 1 per BYTES_PER_UNIT.
 */

/** What the cost model takes from the config, given to every estimator as its context. */
export interface CostContext {
  defaultPageSize: number;
  /** Projects configured: what a field over "all projects" reads. */
  projects: number;
  textMaxBytes: number;
  multipartThresholdBytes: number;
  partSizeBytes: number;
}

/** An upstream call a field makes on its own, for each object it is asked on. */
export const CALL = 50;
/** Bytes read per unit: `text` at its 256 KiB default costs 1,024. */
const BYTES_PER_UNIT = 256;
/** Entries assumed in one folder of a version, and in its whole tree (S3 lists 1,000 a call). */
const FOLDER_ENTRIES = 10;
const TREE_ENTRIES = 50;
/** Files assumed in a model's copy (the MLmodel, environment files, the weights). */
const COPIED_FILES = 50;
/** S3 allows 10,000 parts per multipart upload (upload.mutations.ts sizes parts to fit). */
const S3_MAX_PARTS = 10_000;

type Args = ComplexityEstimatorArgs & { context: CostContext };
const estimator = (fn: (args: Args) => number): ComplexityEstimator => fn as ComplexityEstimator;

const pageOf = ({ args, context }: Args): number =>
  typeof args.first === "number" ? args.first : context.defaultPageSize;

const projectsAsked = ({ args, context }: Args): number =>
  Array.isArray(args.projects) ? new Set(args.projects).size : context.projects;

const idempotency = ({ args }: Args): number =>
  (args.input as { idempotencyKey?: unknown } | undefined)?.idempotencyKey ? 2 * CALL : 0;

/** Part URLs startUpload hands out for one file, as it sizes parts. */
function partsOf(size: number, context: CostContext): number {
  if (!Number.isSafeInteger(size) || size <= context.multipartThresholdBytes) return 1;
  const partSize = Math.max(context.partSizeBytes, Math.ceil(size / S3_MAX_PARTS));
  return Math.ceil(size / partSize);
}

export const cost = {
  /** A wrapper: only what is selected below it. */
  free: 0,

  /** Once per page, not per node, and at hand (totalCount, pageInfo): nothing. */
  perPage: estimator(() => 0),

  /** Computed here, no call (a presigned link). */
  local: 1,

  /** A page: `first` (or the default page size) times one node. */
  page: estimator((a) => pageOf(a) * a.childComplexity),

  /** A page over projects: one listing (or search) per project, and the page. */
  pageOverProjects: estimator((a) => CALL * projectsAsked(a) + pageOf(a) * a.childComplexity),

  /** One project's page: its listing, and the page. */
  projectPage: estimator((a) => CALL + pageOf(a) * a.childComplexity),

  /** Every configured project, each with what is selected of it. */
  everyProject: estimator((a) => a.context.projects * (1 + a.childComplexity)),

  /** One object read by its own call (a model by name, a node by id, a status probe). */
  lookup: estimator((a) => CALL + 1 + a.childComplexity),

  /**
   * Entities a router asks for by key (`_entities`): each representation as one node of a page,
   * at the cost of what is selected of its type (the dearest type's, for a mix), and a listing
   * per project they can name.
   */
  entities: estimator((a) => {
    const references = Array.isArray(a.args.representations) ? a.args.representations.length : 0;
    return CALL * Math.min(references, a.context.projects) + references * (1 + a.childComplexity);
  }),

  /** At most one version per legacy stage. */
  latestVersions: estimator((a) => 4 * (1 + a.childComplexity)),

  /** One S3 listing (or a walk of MLflow's proxy), and the entries it gives. */
  artifacts: estimator((a) => {
    const entries = a.args.recursive === true ? TREE_ENTRIES : FOLDER_ENTRIES;
    return CALL + entries * (1 + a.childComplexity);
  }),

  /** The MLmodel: where the version's files are (a logged model or run), then its GET. */
  mlmodel: estimator((a) => 2 * CALL + 1 + a.childComplexity),

  /** The baseline version looked up by key, then both versions' MLmodels (as `mlmodel`). */
  signatureDiff: estimator((a) => CALL + 2 * (2 * CALL + 1) + a.childComplexity),

  /** One ranged GET of at most `maxBytes`. */
  text: estimator((a) => {
    const maxBytes = typeof a.args.maxBytes === "number" ? a.args.maxBytes : a.context.textMaxBytes;
    return CALL + Math.ceil(Math.max(maxBytes, 0) / BYTES_PER_UNIT);
  }),

  /** A write, then the object read again. */
  write: estimator((a) => 2 * CALL + a.childComplexity),

  /** A write that can be retried with a key: the key's record is read and written in S3. */
  create: estimator((a) => 2 * CALL + idempotency(a) + a.childComplexity),

  /** The version, then one write per alias; an upload's files are copied first. */
  createVersion: estimator((a) => {
    const input = a.args.input as { aliases?: unknown[] | null; uploadId?: unknown };
    const aliases = input.aliases?.length ?? 0;
    const copy = input.uploadId != null ? (COPIED_FILES + 3) * CALL : CALL;
    return (2 + aliases) * CALL + copy + idempotency(a) + a.childComplexity;
  }),

  /** The files' copy, a check, the model if new, the version and its alias. */
  promoteVersion: estimator((a) => (COPIED_FILES + 6) * CALL + idempotency(a) + a.childComplexity),

  /** One URL per file or per part (presigned locally), one S3 call per multipart file. */
  startUpload: estimator((a) => {
    const input = a.args.input as { files?: { size?: unknown }[] };
    const files = (input.files ?? []).reduce((sum, file) => {
      const parts = partsOf(Number(file.size), a.context);
      return sum + parts + (parts > 1 ? CALL : 0);
    }, 0);
    return 2 * CALL + files + idempotency(a) + a.childComplexity;
  }),

  /** The session; per file a completion and a check (the parts' ETags are sent along). */
  completeUpload: estimator((a) => {
    const input = a.args.input as { parts?: { parts?: unknown[] }[] | null };
    const parts = (input.parts ?? []).reduce((sum, file) => sum + (file.parts?.length ?? 0), 0);
    return (3 + 2 * COPIED_FILES) * CALL + parts + a.childComplexity;
  }),

  /** One listing of the log's prefix, then a GET of each record on the page. */
  auditLog: estimator((a) => CALL + pageOf(a) * (CALL + a.childComplexity)),

  /**
   * One event at a time: what a subscription holds is bounded by its queue
   * (`events.subscriptions.maxQueuedEvents`), not by its cost.
   */
  event: estimator((a) => 1 + a.childComplexity),

  /** The session, open multipart uploads aborted, a listing and batched deletes. */
  abortUpload: estimator((a) => 6 * CALL + a.childComplexity),
};
