import type { RegistryContext } from "../context.js";
import { recordPaths } from "./keys.js";
import type { AuditRecord } from "./record.js";

/**
 * Writes the record at its project's and its model's paths, each create-only (`If-None-Match:
 * *`): nothing in the log is ever overwritten. Without `state.uri` there is no log to write.
 */
export async function writeAuditRecord(ctx: RegistryContext, record: AuditRecord): Promise<void> {
  const store = ctx.auditState;
  if (!store) return;
  // projectNames: the projects the caller can see; a record of another goes to no one's log.
  const known = record.project !== null && ctx.projectNames.includes(record.project);
  const paths = recordPaths(record, known ? record.project : null);
  await Promise.all(
    paths.map(async (path) => {
      if (!(await store.put(path, record, { onlyIfAbsent: true }))) {
        throw new Error(`audit record ${path} already exists`);
      }
    }),
  );
}
