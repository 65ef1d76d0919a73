import { type ClassType, Field, Int, ObjectType } from "type-graphql";
import { cost } from "./cost.js";

@ObjectType({ description: "Relay page information." })
export class PageInfo {
  @Field()
  hasNextPage!: boolean;

  @Field()
  hasPreviousPage!: boolean;

  @Field(() => String, { nullable: true })
  startCursor!: string | null;

  @Field(() => String, { nullable: true })
  endCursor!: string | null;
}

export interface Edge<T> {
  node: T;
  cursor: string;
}

export interface Page<T> {
  edges: Edge<T>[];
  pageInfo: PageInfo;
  totalCount: number;
}

/** One Relay connection type per node type (`ModelConnection`, `ModelEdge`), from one factory. */
export function Connection<T extends object>(nodeType: ClassType<T>, name: string) {
  @ObjectType(`${name}Edge`)
  class EdgeType {
    @Field(() => nodeType)
    node!: T;

    @Field({ description: "Opaque; pass as `after` to get the items that follow this one." })
    cursor!: string;
  }

  @ObjectType(`${name}Connection`)
  class ConnectionType {
    @Field(() => [EdgeType], { complexity: cost.free })
    edges!: EdgeType[];

    @Field(() => PageInfo, { complexity: cost.perPage })
    pageInfo!: PageInfo;

    @Field(() => Int, {
      description: "Items in the whole list, over every page.",
      complexity: cost.perPage,
    })
    totalCount!: number;
  }

  return ConnectionType;
}
