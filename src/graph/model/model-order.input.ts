import { Field, InputType, registerEnumType } from "type-graphql";
import { OrderDirection } from "../common/order-direction.enum.js";

export enum ModelOrderField {
  NAME = "NAME",
  UPDATED_AT = "UPDATED_AT",
}

registerEnumType(ModelOrderField, { name: "ModelOrderField" });

@InputType({ description: "Ties are broken by name, then project, so the order is total." })
export class ModelOrder {
  @Field(() => ModelOrderField)
  field!: ModelOrderField;

  @Field(() => OrderDirection, { defaultValue: OrderDirection.ASC })
  direction!: OrderDirection;
}
