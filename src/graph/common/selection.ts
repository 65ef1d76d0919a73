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

function add(
  into: Selection,
  set: SelectionSetNode | undefined,
  fragments: Record<string, FragmentDefinitionNode>,
): void {
  for (const node of set?.selections ?? []) {
    if (node.kind === Kind.FIELD) {
      add((into[node.name.value] ??= {}), node.selectionSet, fragments);
    } else if (node.kind === Kind.INLINE_FRAGMENT) {
      add(into, node.selectionSet, fragments);
    } else {
      add(into, fragments[node.name.value]?.selectionSet, fragments);
    }
  }
}

/** What is selected of a connection's nodes (`edges { node { … } }`). */
export function nodesOf(connection: Selection): Selection {
  return connection.edges?.node ?? {};
}

/** Whether `field` is selected anywhere below. */
export function selectsDeep(selection: Selection, field: string): boolean {
  return Object.entries(selection).some(
    ([name, below]) => name === field || selectsDeep(below, field),
  );
}

/**
 * The arguments of each `field` selected directly below the resolver's field, one entry per
 * occurrence (aliased ones included), variables and defaults applied.
 */
export function argumentsBelow(info: GraphQLResolveInfo, field: string): Record<string, unknown>[] {
  const type = getNamedType(info.returnType);
  const definition = isObjectType(type) ? type.getFields()[field] : undefined;
  if (!definition) return [];
  const nodes: FieldNode[] = [];
  const collect = (set: SelectionSetNode | undefined) => {
    for (const node of set?.selections ?? []) {
      if (node.kind === Kind.FIELD) {
        if (node.name.value === field) nodes.push(node);
      } else if (node.kind === Kind.INLINE_FRAGMENT) {
        collect(node.selectionSet);
      } else {
        collect(info.fragments[node.name.value]?.selectionSet);
      }
    }
  };
  for (const node of info.fieldNodes) collect(node.selectionSet);
  return nodes.map((node) => getArgumentValues(definition, node, info.variableValues));
}
