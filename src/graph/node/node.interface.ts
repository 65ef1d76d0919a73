import { Field, ID, InterfaceType } from "type-graphql";

/** What `node(id)` returns: a copy of the object, told which type it is. */
export type NodeValue = object & { __typename: string };

@InterfaceType({
  description: "An object with a global id, fetchable again through `node(id)`.",
  resolveType: (value: NodeValue) => value.__typename,
})
export abstract class Node {
  @Field(() => ID, { description: "Opaque and stable; encodes the project and the object's key." })
  id!: string;
}
