import { Field, Int, ObjectType } from "type-graphql";

@ObjectType({ description: "A named, typed column of a column-based signature." })
export class SignatureColumn {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field({ description: "MLflow's type: double, long, string, boolean, binary, datetime, …" })
  type!: string;

  @Field()
  required!: boolean;
}

@ObjectType({ description: "A tensor of a tensor-based signature; -1 in shape is any size." })
export class SignatureTensor {
  @Field(() => String, { nullable: true })
  name!: string | null;

  @Field()
  dtype!: string;

  @Field(() => [Int])
  shape!: number[];
}

@ObjectType({
  description: "Inputs or outputs: columns or tensors (one of the two lists is empty).",
})
export class SignatureSchema {
  @Field(() => [SignatureColumn])
  columns!: SignatureColumn[];

  @Field(() => [SignatureTensor])
  tensors!: SignatureTensor[];
}

@ObjectType({ description: "An inference parameter the model accepts." })
export class SignatureParam {
  @Field()
  name!: string;

  @Field()
  type!: string;

  @Field(() => String, { nullable: true, description: "The default, as JSON." })
  default!: string | null;

  @Field(() => [Int], { nullable: true })
  shape!: number[] | null;
}

@ObjectType({ description: "What the model accepts and returns." })
export class Signature {
  @Field(() => SignatureSchema, { nullable: true })
  inputs!: SignatureSchema | null;

  @Field(() => SignatureSchema, { nullable: true })
  outputs!: SignatureSchema | null;

  @Field(() => [SignatureParam])
  params!: SignatureParam[];
}
