import { Field, Int, ObjectType } from "type-graphql";
import { Node } from "../node/node.interface.js";

/** The key is all a Version needs; its other fields are resolved (version-data.resolver.ts). */
@ObjectType({ implements: Node, description: "One version of a registered model." })
export class Version {
  @Field(() => Int)
  number!: number;
}
