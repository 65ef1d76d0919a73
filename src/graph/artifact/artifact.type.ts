import { DateTimeResolver, GraphQLLong } from "graphql-scalars";
import { Field, ObjectType } from "type-graphql";

@ObjectType({ description: "A file or folder of a version, as its storage lists it." })
export class Artifact {
  @Field({ description: "Relative to the version's root." })
  path!: string;

  @Field()
  isDir!: boolean;

  @Field(() => GraphQLLong, { nullable: true, description: "Bytes; null for folders." })
  size!: number | null;

  @Field(() => DateTimeResolver, { nullable: true })
  lastModified!: Date | null;

  @Field(() => String, { nullable: true })
  etag!: string | null;
}
