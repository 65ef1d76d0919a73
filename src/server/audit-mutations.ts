import { defaultFieldResolver, type GraphQLSchema } from "graphql";
import type { MutationOutcome } from "../registry/audit/make-record.js";
import { ErrorCode } from "../registry/errors.js";
import type { RequestContext } from "./context.js";
import type { Logger } from "./logger.js";
import { currentRequestId } from "./request-id.js";

/** Makes and writes the record; never throws, so the mutation's own answer stands. */
async function record(
  context: RequestContext,
  logger: Logger,
  outcome: Omit<MutationOutcome, "requestId">,
): Promise<void> {
  const { audit } = context.registry;
  let made;
  try {
    made = audit.record({ ...outcome, requestId: currentRequestId() ?? null });
    // An anonymous caller told to sign in was refused as one without credentials (401) is:
    // not authenticated, so not recorded, and no S3 write for an unauthenticated flood.
    if (made.error?.code === ErrorCode.UNAUTHENTICATED) return;
    await context.calls.unrefused(() => audit.write(made!));
  } catch (err) {
    logger.error({ err, audit: made, operation: outcome.operation }, "audit record not written");
  }
}

/**
 * Appends one audit record for every Mutation field that runs, succeeded or failed: the one
 * place every mutation passes. The registry's operations note what they change; this writes the
 * record once the field ends, before its answer goes out. A record that cannot be written is
 * logged (with the record) at error level and never turns the mutation's answer into an error.
 * Wraps outside runMutationsWhole, so a mutation refused as it starts is recorded too; the
 * write is never refused by the request's limits, nor cut off by its client leaving.
 */
export function auditMutations(schema: GraphQLSchema, logger: Logger): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    const operation = field.name;
    field.resolve = async (source, args, context: RequestContext, info) => {
      const startedAt = Date.now();
      context.registry.audit.begin();
      let failure: { error: unknown } | undefined;
      try {
        return await resolve(source, args, context, info);
      } catch (error) {
        failure = { error };
        throw error;
      } finally {
        await record(context, logger, { operation, args, startedAt, failure });
      }
    };
  }
  return schema;
}
