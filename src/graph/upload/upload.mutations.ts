import { randomUUID } from "node:crypto";
import { Arg, Ctx, Field, Int, Mutation, ObjectType, Resolver } from "type-graphql";
import type { S3Location } from "../../sources/s3/uri.js";
import { parseS3Uri } from "../../sources/s3/uri.js";
import { safePath } from "../artifact/browse.js";
import { cost } from "../common/cost.js";
import { badUserInput } from "../common/errors.js";
import { onceForKey } from "../common/idempotency.js";
import { step } from "../common/step-error.js";
import { checkModelName } from "../common/validate.js";
import type { GraphContext } from "../context.js";
import { requireProject } from "../project/project.lookup.js";
import {
  deleteSession,
  loadSession,
  projectRoot,
  requireState,
  saveSession,
  type UploadFile,
  type UploadSession,
} from "./session.js";
import { AbortUploadInput, CompleteUploadInput, StartUploadInput } from "./upload.inputs.js";
import { Upload, type UploadStatusEnum, type UploadTarget } from "./upload.type.js";

const S3_MAX_PARTS = 10_000;

@ObjectType()
export class AbortedUpload {
  @Field()
  uploadId!: string;

  @Field(() => Int, { description: "Staged objects removed." })
  removedObjects!: number;
}

const stagingOf = (session: UploadSession): S3Location => parseS3Uri(session.staging)!;

function checkFiles(ctx: GraphContext, input: StartUploadInput) {
  const { maxFiles, maxFileBytes } = ctx.uploadLimits;
  if (input.files.length === 0 || input.files.length > maxFiles) {
    throw badUserInput(`an upload has 1 to ${maxFiles} files, got ${input.files.length}`);
  }
  const seen = new Set<string>();
  return input.files.map((file) => {
    const path = safePath(file.path);
    if (path === "" || seen.has(path))
      throw badUserInput(`file path "${file.path}" is empty or given twice`);
    seen.add(path);
    const size = Number(file.size);
    if (!Number.isSafeInteger(size) || size < 0 || size > maxFileBytes) {
      throw badUserInput(`size of "${path}" must be 0 to ${maxFileBytes} bytes, got ${file.size}`);
    }
    if (file.sha256 != null && !/^[0-9a-f]{64}$/i.test(file.sha256)) {
      throw badUserInput(`sha256 of "${path}" must be 64 hex characters`);
    }
    return { path, size, sha256: file.sha256?.toLowerCase() ?? null };
  });
}

/** The session as the client sees it, with fresh presigned URLs while it is open. */
async function view(ctx: GraphContext, session: UploadSession): Promise<Upload> {
  const { urlExpirySeconds } = ctx.uploadLimits;
  const open = session.status === "STARTED";
  const staging = stagingOf(session);
  const files: UploadTarget[] = await Promise.all(
    session.files.map(async (file) => {
      const partSize = file.multipartId ? file.partSize : null;
      return {
        path: file.path,
        size: file.size,
        partSize,
        url:
          open && !file.multipartId
            ? await ctx.loaders.staging.presignPut(staging, file.path, urlExpirySeconds)
            : null,
        parts:
          open && file.multipartId
            ? await Promise.all(
                Array.from({ length: file.partCount }, async (_, i) => ({
                  partNumber: i + 1,
                  url: await ctx.loaders.staging.presignPart(
                    staging,
                    file.path,
                    file.multipartId!,
                    i + 1,
                    urlExpirySeconds,
                  ),
                })),
              )
            : null,
      };
    }),
  );
  return {
    uploadId: session.uploadId,
    project: session.project,
    model: session.model,
    status: session.status as UploadStatusEnum,
    staging: session.staging,
    expiresAt: new Date(session.expiresAt),
    files,
    version: session.version ?? null,
  };
}

/** Removes everything an upload staged: open multipart uploads, objects, its record. */
export async function discardUpload(ctx: GraphContext, session: UploadSession): Promise<number> {
  const staging = stagingOf(session);
  await Promise.all(
    session.files
      .filter((f) => f.multipartId)
      .map((f) => ctx.loaders.staging.abortMultipart(staging, f.path, f.multipartId!)),
  );
  const removed = await ctx.loaders.staging.deletePrefix(staging);
  await deleteSession(ctx, session.uploadId);
  return removed;
}

@Resolver(() => Upload)
export class UploadMutations {
  @Mutation(() => Upload, {
    description:
      "Presigned PUT URLs (or part URLs above the multipart threshold) under a staging prefix: " +
      "the bytes go straight to S3, never through the gateway.",
    complexity: cost.startUpload,
  })
  startUpload(
    @Arg("input", () => StartUploadInput) input: StartUploadInput,
    @Ctx() ctx: GraphContext,
  ) {
    const project = requireProject(ctx, input.project);
    const model = checkModelName(input.model);
    const files = checkFiles(ctx, input);
    const root = projectRoot(ctx, project);
    requireState(ctx);
    const { multipartThresholdBytes, partSizeBytes, urlExpirySeconds } = ctx.uploadLimits;
    return onceForKey(
      ctx,
      { mutation: "startUpload", project, key: input.idempotencyKey, input: { model, files } },
      async () => {
        const uploadId = randomUUID();
        const staging = {
          bucket: root.bucket,
          prefix: [root.prefix, "uploads", uploadId].filter(Boolean).join("/"),
        };
        const sessionFiles: UploadFile[] = [];
        for (const file of files) {
          const multipart = file.size > multipartThresholdBytes;
          const partSize = Math.max(partSizeBytes, Math.ceil(file.size / S3_MAX_PARTS));
          sessionFiles.push({
            ...file,
            multipartId: multipart
              ? await ctx.loaders.staging.createMultipart(staging, file.path)
              : null,
            partCount: multipart ? Math.ceil(file.size / partSize) : 1,
            partSize: multipart ? partSize : file.size,
          });
        }
        const now = Date.now();
        const session: UploadSession = {
          uploadId,
          project,
          model,
          staging: `s3://${staging.bucket}/${staging.prefix}`,
          files: sessionFiles,
          createdAt: new Date(now).toISOString(),
          expiresAt: new Date(now + urlExpirySeconds * 1000).toISOString(),
          status: "STARTED",
        };
        await saveSession(ctx, session);
        return uploadId;
      },
      async (uploadId) => view(ctx, await loadSession(ctx, uploadId)),
    );
  }

  @Mutation(() => Upload, {
    description:
      "Completes the multipart files and checks that every declared file is there with its size " +
      "(and SHA-256). If anything is missing or wrong, everything staged is removed.",
    complexity: cost.completeUpload,
  })
  async completeUpload(
    @Arg("input", () => CompleteUploadInput) input: CompleteUploadInput,
    @Ctx() ctx: GraphContext,
  ) {
    const session = await loadSession(ctx, input.uploadId);
    if (session.status !== "STARTED") return view(ctx, session);
    const staging = stagingOf(session);
    const given = new Map((input.parts ?? []).map((f) => [f.path, f.parts]));
    try {
      await step("completeUpload", "complete", async () => {
        for (const file of session.files.filter((f) => f.multipartId)) {
          const parts = given.get(file.path) ?? [];
          if (parts.length !== file.partCount) {
            throw badUserInput(
              `"${file.path}" has ${file.partCount} parts, got ETags for ${parts.length}`,
            );
          }
          await ctx.loaders.staging
            .completeMultipart(staging, file.path, file.multipartId!, parts)
            .catch((error: unknown) => {
              // EntityTooSmall, InvalidPart, InvalidPartOrder: the parts sent were not the ones asked for.
              throw badUserInput(
                `S3 refused the parts of "${file.path}" (${(error as Error).message})`,
              );
            });
        }
      });
      await step("completeUpload", "verify", async () => {
        for (const file of session.files) {
          const found = await ctx.loaders.staging.head(staging, file.path);
          if (!found) throw badUserInput(`"${file.path}" was never uploaded`);
          if (found.size !== file.size) {
            throw badUserInput(`"${file.path}" is ${found.size} bytes, ${file.size} were declared`);
          }
          if (
            file.sha256 &&
            (await ctx.loaders.staging.sha256(staging, file.path)) !== file.sha256
          ) {
            throw badUserInput(`"${file.path}" does not have the declared SHA-256`);
          }
        }
      });
    } catch (error) {
      await discardUpload(ctx, session).catch(() => undefined);
      throw error;
    }
    const completed: UploadSession = {
      ...session,
      status: "COMPLETED",
      files: session.files.map((f) => ({ ...f, multipartId: null })),
    };
    await saveSession(ctx, completed);
    return view(ctx, completed);
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
