import { GraphQLSafeInt } from "graphql-scalars";
import { Field, ID, InputType, Int } from "type-graphql";

@InputType()
export class UploadFileInput {
  @Field({ description: "Relative to the model's root, e.g. MLmodel or data/model.pkl." })
  path!: string;

  // SafeInt (exact to 2^53 bytes, 8 PiB) rather than Long: graphql-scalars' Long parses input
  // as a JS bigint, and S3 objects stop at 5 TiB anyway.
  @Field(() => GraphQLSafeInt, { description: "Bytes." })
  size!: number;

  @Field(() => String, { nullable: true, description: "Hex SHA-256, checked on completion." })
  sha256?: string | null;
}

@InputType()
export class StartUploadInput {
  @Field()
  project!: string;

  @Field()
  model!: string;

  @Field(() => [UploadFileInput])
  files!: UploadFileInput[];

  @Field(() => String, {
    nullable: true,
    description: "A retry with the same key returns the first upload.",
  })
  idempotencyKey?: string | null;
}

@InputType()
export class CompletedPartInput {
  @Field(() => Int)
  partNumber!: number;

  @Field()
  etag!: string;
}

@InputType()
export class CompletedFileInput {
  @Field()
  path!: string;

  @Field(() => [CompletedPartInput])
  parts!: CompletedPartInput[];
}

@InputType()
export class CompleteUploadInput {
  @Field(() => ID)
  uploadId!: string;

  @Field(() => [CompletedFileInput], {
    nullable: true,
    description: "The ETags of every part of each multipart file.",
  })
  parts?: CompletedFileInput[] | null;
}

@InputType()
export class AbortUploadInput {
  @Field(() => ID)
  uploadId!: string;
}
