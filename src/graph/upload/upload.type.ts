import { DateTimeResolver, GraphQLLong } from "graphql-scalars";
import { Field, ID, Int, ObjectType, registerEnumType } from "type-graphql";

export enum UploadStatusEnum {
  STARTED = "STARTED",
  COMPLETED = "COMPLETED",
  REGISTERED = "REGISTERED",
}

registerEnumType(UploadStatusEnum, { name: "UploadStatus" });

@ObjectType({ description: "A presigned URL for one part of a multipart file." })
export class UploadPart {
  @Field(() => Int)
  partNumber!: number;

  @Field({ description: "PUT the part's bytes here; keep the response's ETag for completeUpload." })
  url!: string;
}

@ObjectType({ description: "Where to send one file: one PUT URL, or one URL per part." })
export class UploadTarget {
  @Field()
  path!: string;

  @Field(() => GraphQLLong)
  size!: number;

  @Field(() => String, { nullable: true, description: "PUT the whole file here (small files)." })
  url!: string | null;

  @Field(() => GraphQLLong, {
    nullable: true,
    description: "Bytes per part; the last part may be shorter.",
  })
  partSize!: number | null;

  @Field(() => [UploadPart], { nullable: true })
  parts!: UploadPart[] | null;
}

@ObjectType({
  description: "Files sent straight to S3, staged until they are registered as a version.",
})
export class Upload {
  @Field(() => ID)
  uploadId!: string;

  @Field()
  project!: string;

  @Field()
  model!: string;

  @Field(() => UploadStatusEnum)
  status!: UploadStatusEnum;

  @Field({
    description:
      "The upload's folder in S3: files are PUT under staged/, and the copy completeUpload " +
      "verified, which the version is made from, is under verified/.",
  })
  staging!: string;

  @Field(() => DateTimeResolver, {
    description: "After this the URLs stop working and the staged files expire.",
  })
  expiresAt!: Date;

  @Field(() => [UploadTarget], { description: "URLs only in startUpload's answer." })
  files!: UploadTarget[];

  @Field(() => Int, { nullable: true, description: "The version it was registered as." })
  version!: number | null;
}

@ObjectType()
export class AbortedUpload {
  @Field()
  uploadId!: string;

  @Field(() => Int, { description: "Staged objects removed." })
  removedObjects!: number;
}
