import { DateTimeResolver, GraphQLLong } from "graphql-scalars";
import { Field, ObjectType } from "type-graphql";
import type { Storage } from "../../sources/storage/artifact-uri.js";

/** An entry of a version's files, and where it lives, to read or presign it later. */
export interface ArtifactRoot {
  project: string;
  storage: Storage;
  path: string;
  isDir: boolean;
  size: number | null;
  lastModified: Date | null;
  etag: string | null;
}

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
