import {
  type FieldNode,
  type FragmentDefinitionNode,
  getArgumentValues,
  getNamedType,
  type GraphQLResolveInfo,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from "graphql";
import type { Edge, Page } from "./connection.js";

/** The fields selected below a field, by field name: aliases merged, fragments expanded. */
export interface Selection {
  [field: string]: Selection;
}

/**
 * What the query asks below the resolver's field. Directives (@skip, @include) are not
 * evaluated: a field under one counts as selected, which errs towards loading more.
 */
export function selectionOf(info: GraphQLResolveInfo): Selection {
  const selection: Selection = {};
  for (const node of info.fieldNodes) add(selection, node.selectionSet, info.fragments);
  return selection;
}

/** Each field directly in a selection set, inline fragments and named ones expanded. */
function eachField(
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
  visit: (node: FieldNode) => void,
): void {
  for (const node of set?.selections ?? []) {
    if (node.kind === Kind.FIELD) visit(node);
    else if (node.kind === Kind.INLINE_FRAGMENT) eachField(node.selectionSet, fragments, visit);
    else eachField(fragments[node.name.value]?.selectionSet, fragments, visit);
  }
}

function add(
  into: Selection,
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
): void {
  eachField(set, fragments, (node) =>
    add((into[node.name.value] ??= {}), node.selectionSet, fragments),
  );
}

/**
 * A field name checked against the classes that declare and resolve it: read-ahead names the
 * fields it serves through this, so renaming one fails the build instead of silently ending
 * its read-ahead.
 */
export const fieldOf =
  <T>() =>
  <K extends keyof T & string>(name: K): K =>
    name;

const edge = fieldOf<Page<unknown>>();
const node = fieldOf<Edge<unknown>>();

/** The path from a connection to its nodes. */
export const NODES_PATH = [edge("edges"), node("node")];

/** What is selected of a connection's nodes (`edges { node { … } }`). */
export function nodesOf(connection: Selection): Selection {
  return connection[edge("edges")]?.[node("node")] ?? {};
}

/** Whether `field` is selected anywhere below. */
export function selectsDeep(selection: Selection, field: string): boolean {
  return Object.entries(selection).some(
    ([name, below]) => name === field || selectsDeep(below, field),
  );
}

/**
 * The arguments of each `field` selected directly below the resolver's field, one entry per
 * occurrence (aliased ones included), variables and defaults applied. A path of fields
 * reaches further down: `["version", "artifacts"]` gives every `artifacts` of every `version`.
 */
export function argumentsBelow(
  info: GraphQLResolveInfo,
  field: string | string[],
): Record<string, unknown>[] {
  let type = getNamedType(info.returnType);
  let nodes: readonly FieldNode[] = info.fieldNodes;
  let definition;
  for (const name of Array.isArray(field) ? field : [field]) {
    definition = isObjectType(type) ? type.getFields()[name] : undefined;
    // A read-ahead path the schema does not have is a bug (a renamed field): fail loudly.
    if (!definition) throw new Error(`argumentsBelow: ${String(type)} has no field "${name}"`);
    const below: FieldNode[] = [];
    for (const parent of nodes) {
      eachField(parent.selectionSet, info.fragments, (node) => {
        if (node.name.value === name) below.push(node);
      });
    }
    nodes = below;
    type = getNamedType(definition.type);
  }
  return nodes.map((node) => getArgumentValues(definition!, node, info.variableValues));
}
