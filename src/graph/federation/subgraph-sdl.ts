import {
  type ConstDirectiveNode,
  type DocumentNode,
  Kind,
  parse,
  type ObjectTypeDefinitionNode,
  visit,
} from "graphql";
import { ENTITY_KEYS, FEDERATION_SPEC, isEntityType, SHAREABLE_TYPES } from "./keys.js";

const directive = (name: string, args: Record<string, string> = {}): ConstDirectiveNode => ({
  kind: Kind.DIRECTIVE,
  name: { kind: Kind.NAME, value: name },
  arguments: Object.entries(args).map(([arg, value]) => ({
    kind: Kind.ARGUMENT,
    name: { kind: Kind.NAME, value: arg },
    value: { kind: Kind.STRING, value },
  })),
});

const LINK = parse(
  `extend schema @link(url: "${FEDERATION_SPEC}", import: ["@key", "@shareable"])`,
).definitions;

/**
 * The standalone SDL as a Federation 2 subgraph's type definitions: the same types and fields,
 * with the link to the federation spec, a @key on each entity (keys.ts) and @shareable on
 * common value types. Nothing else changes, so a query that works standalone works through a
 * router.
 */
export function subgraphTypeDefs(standaloneSdl: string): DocumentNode {
  const document = visit(parse(standaloneSdl), {
    ObjectTypeDefinition(node): ObjectTypeDefinitionNode | undefined {
      const name = node.name.value;
      const added = [
        ...(isEntityType(name) ? [directive("key", { fields: ENTITY_KEYS[name] })] : []),
        ...(SHAREABLE_TYPES.includes(name) ? [directive("shareable")] : []),
      ];
      return added.length
        ? { ...node, directives: [...(node.directives ?? []), ...added] }
        : undefined;
    },
  });
  return { ...document, definitions: [...LINK, ...document.definitions] };
}
