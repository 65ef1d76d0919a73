import { defaultFieldResolver, type GraphQLSchema } from "graphql";
import type { RequestContext } from "./context.js";

/**
 * Makes every Mutation field run whole (UpstreamCalls.whole): the request's call budget,
 * deadline and client are checked before a mutation starts, never between its steps, so a
 * mutation cut short by them has not begun rather than stopped halfway. Only the Mutation
 * root is wrapped: queries' fields keep their resolvers as they are.
 */
export function runMutationsWhole(schema: GraphQLSchema): GraphQLSchema {
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const resolve = field.resolve ?? defaultFieldResolver;
    field.resolve = (source, args, context: RequestContext, info) =>
      context.calls.whole(() => resolve(source, args, context, info));
  }
  return schema;
}
