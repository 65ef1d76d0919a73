import pLimit from "p-limit";
import type { RegistryContext } from "../context.js";
import { badUserInput, forbidden } from "../errors.js";
import { requireModelVisible, requireProject } from "../projects.js";
import { checkModelName } from "../validate.js";
import { isRecordId, modelPrefix, projectPrefix } from "./keys.js";
import type { AuditRecord } from "./record.js";

/** Records read at once: a page is bounded by `first`, its GETs by this. */
const READ_CONCURRENCY = 16;

export interface AuditLogQuery {
  project: string;
  model?: string | null;
  first: number;
  /** The id of the last record already seen. */
  after?: string | null;
}

export interface AuditPage {
  records: AuditRecord[];
  hasNextPage: boolean;
}

/**
 * A page of a project's (or one model's) audit log, newest first: one listing of its prefix,
 * which S3 returns in key order and keys put newest first, then a GET of each record listed.
 */
export async function readAuditLog(ctx: RegistryContext, query: AuditLogQuery): Promise<AuditPage> {
  // authz: reader of project (requireProject: the projects the caller reads); a grant narrowed
  // to model patterns reads only those models' logs, since a project's log holds every model's.
  const project = requireProject(ctx, query.project);
  const model = query.model == null ? null : checkModelName(query.model);
  if (model !== null) requireModelVisible(ctx, project, model);
  else if (!ctx.access.seesWholeProject(project)) {
    throw forbidden(
      `the audit log of project "${project}" holds every model's records; ask for one model's`,
      { project },
    );
  }
  if (query.after != null && !isRecordId(query.after)) {
    throw badUserInput("after does not name a record of the audit log");
  }
  const store = ctx.auditState;
  if (!store) throw badUserInput("the audit log needs the gateway's `state.uri` to be configured");
  const prefix = model === null ? projectPrefix(project) : modelPrefix(project, model);
  const listed = await store.list(prefix, {
    max: query.first,
    startAfter: query.after == null ? undefined : `${query.after}.json`,
  });
  const ids = listed.names
    .filter((name) => name.endsWith(".json"))
    .map((name) => name.slice(0, -".json".length))
    .filter(isRecordId);
  const limit = pLimit(READ_CONCURRENCY);
  const records = await Promise.all(
    ids.map((id) => limit(() => store.get<AuditRecord>(`${prefix}${id}.json`))),
  );
  // A record listed but gone by its GET (a lifecycle rule expired it) is left out.
  return { records: records.filter((r) => r !== null), hasNextPage: listed.more };
}
