import { buildSubgraphSchema } from "@apollo/subgraph";
import {
  graphqlSync,
  type GraphQLFieldResolver,
  type GraphQLSchema,
  isInterfaceType,
  isObjectType,
} from "graphql";
import { createResolversMap, type ResolverData } from "type-graphql";
import { ErrorCode, userError } from "../../registry/errors.js";
import { authChecker } from "../auth-checker.js";
import { cost } from "../common/cost.js";
import type { GraphContext } from "../context.js";
import { resolveReferences } from "./references.js";
import { subgraphTypeDefs } from "./subgraph-sdl.js";

export interface SubgraphOptions {
  /** `_service { sdl }` answers only where introspection would (server.introspection). */
  serveSdl: boolean;
}

/** The same guard as every root field's `@Authorized("reader")`. */
const asReader = (context: GraphContext): void => {
  void authChecker({ context } as ResolverData<GraphContext>, ["reader"]);
};

/**
 * type-graphql keeps each field's cost in its extensions (`complexity`), which a schema built
 * again from SDL does not have: carried over, so a field costs the same through a router.
 */
function carryExtensions(from: GraphQLSchema, to: GraphQLSchema): void {
  for (const type of Object.values(to.getTypeMap())) {
    const source = from.getType(type.name);
    if (!(isObjectType(type) || isInterfaceType(type))) continue;
    if (!(isObjectType(source) || isInterfaceType(source))) continue;
    const sourceFields = source.getFields();
    for (const field of Object.values(type.getFields())) {
      const extensions = sourceFields[field.name]?.extensions;
      if (extensions) Object.assign(field, { extensions });
    }
  }
}

/**
 * The standalone schema as a Federation 2 subgraph (@apollo/subgraph): its SDL with the keys
 * (subgraph-sdl.ts), its resolvers as type-graphql built them (guards and costs included), and
 * `_entities` resolving each representation through the registry (references.ts). With it,
 * the SDL a router composes: what `_service { sdl }` answers.
 */
export function toSubgraph(
  standalone: GraphQLSchema,
  standaloneSdl: string,
  options: SubgraphOptions,
): { schema: GraphQLSchema; sdl: string } {
  const schema = buildSubgraphSchema({
    typeDefs: subgraphTypeDefs(standaloneSdl),
    resolvers: createResolversMap(standalone) as never,
  });
  // What `_service { sdl }` answers a router, asked before the guard below needs a caller.
  const { data } = graphqlSync({ schema, source: "{ _service { sdl } }" });
  const sdl = (data as { _service: { sdl: string } })._service.sdl;
  carryExtensions(standalone, schema);
  const { _entities: entities, _service: service } = schema.getQueryType()!.getFields();

  const resolveEntities: GraphQLFieldResolver<
    unknown,
    GraphContext,
    { representations: unknown[] }
  > = (_source, { representations }, context) => {
    asReader(context);
    return resolveReferences(context, representations);
  };
  Object.assign(entities!, {
    resolve: resolveEntities,
    extensions: { ...entities!.extensions, complexity: cost.entities },
  });

  const resolveService = service!.resolve!;
  Object.assign(service!, {
    resolve: ((source, args, context: GraphContext, info) => {
      asReader(context);
      if (!options.serveSdl) {
        throw userError(
          ErrorCode.FORBIDDEN,
          "this subgraph does not serve its SDL while introspection is off: compose from schema/subgraph.graphql",
        );
      }
      return resolveService(source, args, context, info);
    }) satisfies GraphQLFieldResolver<unknown, GraphContext>,
    extensions: { ...service!.extensions, complexity: cost.local },
  });
  return { schema, sdl };
}
