import { DateTimeResolver } from "graphql-scalars";
import { Node } from "../node/node.interface.js";
import { Field, ObjectType } from "type-graphql";
import { Tag } from "../common/tag.type.js";

@ObjectType({ implements: Node, description: "A registered model of one project." })
export class Model {
  @Field({ description: "Unique within its project; the same name may exist in others." })
  name!: string;

  @Field(() => String, { nullable: true })
  description!: string | null;

  @Field(() => DateTimeResolver)
  createdAt!: Date;

  @Field(() => DateTimeResolver)
  updatedAt!: Date;

  @Field(() => [Tag])
  tags!: Tag[];
}
