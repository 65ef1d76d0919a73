import { Args, Authorized, Ctx, Query, Resolver } from "type-graphql";
import type { Role } from "../../registry/access/caller.js";
import type { AuditRecord as Stored } from "../../registry/audit/record.js";
import { badUserInput } from "../../registry/errors.js";
import { cost } from "../common/cost.js";
import { pageSize } from "../common/paginate.js";
import type { GraphContext } from "../context.js";
import { AuditLogArgs } from "./audit-log.args.js";
import { AuditRecordConnection } from "./audit-record-connection.type.js";
import { AuditRecord } from "./audit-record.type.js";

const cursorOf = (id: string) => Buffer.from(id).toString("base64url");

function idOf(cursor: string): string {
  const id = Buffer.from(cursor, "base64url").toString("utf8");
  if (cursorOf(id) !== cursor) throw badUserInput(`"${cursor}" is not a cursor issued by this API`);
  return id;
}

const nodeOf = (record: Stored): AuditRecord => ({
  ...record,
  time: new Date(record.time),
  ok: record.error === null,
});

@Resolver(() => AuditRecord)
export class AuditRecordResolver {
  @Authorized<Role>("reader")
  @Query(() => AuditRecordConnection, {
    description:
      "Who changed what in a project (or one of its models), newest first: one record per " +
      "mutation, succeeded or failed, kept by the gateway in S3 (config `state.uri`).",
    complexity: cost.auditLog,
  })
  async auditLog(
    @Args(() => AuditLogArgs) args: AuditLogArgs,
    @Ctx() ctx: GraphContext,
  ): Promise<AuditRecordConnection> {
    const { records, hasNextPage } = await ctx.registry.audit.log({
      project: args.project,
      model: args.model,
      first: pageSize(args, ctx.limits),
      after: args.after == null ? null : idOf(args.after),
    });
    const edges = records.map((record) => ({ node: nodeOf(record), cursor: cursorOf(record.id) }));
    return {
      edges,
      pageInfo: {
        hasNextPage,
        hasPreviousPage: args.after != null,
        startCursor: edges[0]?.cursor ?? null,
        endCursor: edges.at(-1)?.cursor ?? null,
      },
    };
  }
}
