import { Authorized, Arg, Ctx, Mutation, Resolver } from "type-graphql";
import type { Role } from "../../registry/access/caller.js";
import type { UploadView } from "../../registry/uploads/upload-view.js";
import { cost } from "../common/cost.js";
import type { GraphContext } from "../context.js";
import { AbortUploadInput, CompleteUploadInput, StartUploadInput } from "./upload.inputs.js";
import { AbortedUpload, Upload } from "./upload.type.js";

/** The Mutation fields of direct-to-S3 uploads; the registry plans, checks and stages. */
@Resolver(() => Upload)
export class UploadMutations {
  @Authorized<Role>("writer")
  @Mutation(() => Upload, {
    description:
      "Presigned PUT URLs (or part URLs above the multipart threshold), each for the declared " +
      "length, under a staging prefix: the bytes go straight to S3, never through the gateway.",
    complexity: cost.startUpload,
  })
  startUpload(
    @Arg("input", () => StartUploadInput) input: StartUploadInput,
    @Ctx() ctx: GraphContext,
  ): Promise<UploadView> {
    return ctx.registry.uploads.start(input);
  }

  @Authorized<Role>("writer")
  @Mutation(() => Upload, {
    description:
      "Completes the multipart files, copies them where no upload URL reaches, and checks that " +
      "copy: every declared file, its size (and SHA-256). The version is made from that copy. " +
      "If anything is missing or wrong, everything staged is removed.",
    complexity: cost.completeUpload,
  })
  completeUpload(
    @Arg("input", () => CompleteUploadInput) input: CompleteUploadInput,
    @Ctx() ctx: GraphContext,
  ): Promise<UploadView> {
    return ctx.registry.uploads.complete(input.uploadId, input.parts ?? []);
  }

  @Authorized<Role>("writer")
  @Mutation(() => AbortedUpload, {
    description: "Removes everything the upload staged.",
    complexity: cost.abortUpload,
  })
  abortUpload(
    @Arg("input", () => AbortUploadInput) input: AbortUploadInput,
    @Ctx() ctx: GraphContext,
  ): Promise<AbortedUpload> {
    return ctx.registry.uploads.abort(input.uploadId);
  }
}
