import { randomUUID } from "node:crypto";
import { Arg, Ctx, Field, Int, Mutation, ObjectType, Resolver } from "type-graphql";
import { cost } from "../common/cost.js";
import { badUserInput } from "../common/errors.js";
import { onceForKey } from "../common/idempotency.js";
import { checkModelName } from "../common/validate.js";
import type { GraphContext } from "../context.js";
import { requireProject } from "../project/project.lookup.js";
import { completeUpload } from "./complete-upload.js";
import { discardUpload } from "./discard-upload.js";
import { planUpload } from "./plan-upload.js";
import {
  loadSession,
  projectRoot,
  requireState,
  saveSession,
  stagedOf,
  type UploadFile,
  type UploadSession,
} from "./session.js";
import { AbortUploadInput, CompleteUploadInput, StartUploadInput } from "./upload.inputs.js";
import { Upload } from "./upload.type.js";
import { viewUpload } from "./upload-view.js";

@ObjectType()
export class AbortedUpload {
  @Field()
  uploadId!: string;

  @Field(() => Int, { description: "Staged objects removed." })
  removedObjects!: number;
}

@Resolver(() => Upload)
export class UploadMutations {
  @Mutation(() => Upload, {
    description:
      "Presigned PUT URLs (or part URLs above the multipart threshold), each for the declared " +
      "length, under a staging prefix: the bytes go straight to S3, never through the gateway.",
    complexity: cost.startUpload,
  })
  startUpload(
    @Arg("input", () => StartUploadInput) input: StartUploadInput,
    @Ctx() ctx: GraphContext,
  ) {
    const project = requireProject(ctx, input.project);
    const model = checkModelName(input.model);
    const files = planUpload(ctx.uploadLimits, input.files);
    const root = projectRoot(ctx, project);
    requireState(ctx);
    const inputFiles = files.map(({ path, size, sha256 }) => ({ path, size, sha256 }));
    return onceForKey(
      ctx,
      {
        mutation: "startUpload",
        project,
        key: input.idempotencyKey,
        input: { model, files: inputFiles },
      },
      async () => {
        const uploadId = randomUUID();
        const now = Date.now();
        const session: UploadSession = {
          uploadId,
          project,
          model,
          staging: `s3://${root.bucket}/${[root.prefix, "uploads", uploadId].filter(Boolean).join("/")}`,
          files: [],
          createdAt: new Date(now).toISOString(),
          expiresAt: new Date(now + ctx.uploadLimits.urlExpirySeconds * 1000).toISOString(),
          status: "STARTED",
        };
        const staged = stagedOf(session);
        const sessionFiles: UploadFile[] = [];
        for (const { multipart, ...file } of files) {
          const multipartId = multipart
            ? await ctx.loaders.staging.createMultipart(staged, file.path)
            : null;
          sessionFiles.push({ ...file, multipartId });
        }
        await saveSession(ctx, { ...session, files: sessionFiles });
        return uploadId;
      },
      async (uploadId) => viewUpload(ctx, await loadSession(ctx, uploadId)),
    );
  }

  @Mutation(() => Upload, {
    description:
      "Completes the multipart files, copies them where no upload URL reaches, and checks that " +
      "copy: every declared file, its size (and SHA-256). The version is made from that copy. " +
      "If anything is missing or wrong, everything staged is removed.",
    complexity: cost.completeUpload,
  })
  async completeUpload(
    @Arg("input", () => CompleteUploadInput) input: CompleteUploadInput,
    @Ctx() ctx: GraphContext,
  ) {
    const session = await loadSession(ctx, input.uploadId);
    if (session.status !== "STARTED") return viewUpload(ctx, session);
    return viewUpload(ctx, await completeUpload(ctx, session, input.parts ?? []));
  }

  @Mutation(() => AbortedUpload, {
    description: "Removes everything the upload staged.",
    complexity: cost.abortUpload,
  })
  async abortUpload(
    @Arg("input", () => AbortUploadInput) input: AbortUploadInput,
    @Ctx() ctx: GraphContext,
  ) {
    const session = await loadSession(ctx, input.uploadId);
    if (session.status === "REGISTERED") {
      throw badUserInput(`upload "${input.uploadId}" is already version ${session.version}`);
    }
    return { uploadId: session.uploadId, removedObjects: await discardUpload(ctx, session) };
  }
}
