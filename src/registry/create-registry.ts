import type { RegistryContext } from "./context.js";
import {
  artifactText,
  downloadUrl,
  mlmodelPythonVersion,
  mlmodelRequirements,
  versionArtifact,
  versionArtifacts,
  versionMLModel,
  versionStorageUri,
} from "./artifacts/version-files.js";
import { makeAuditRecord } from "./audit/make-record.js";
import { readAuditLog } from "./audit/read-log.js";
import { writeAuditRecord } from "./audit/write-record.js";
import { subscribeEvents } from "./events/subscribe.js";
import { getModel, aliasTarget, modelData } from "./models/model-data.js";
import {
  createModel,
  deleteModel,
  deleteModelTag,
  setModelTag,
  updateModel,
} from "./models/model-writes.js";
import { listModels, readAheadForModelPage } from "./models/list-models.js";
import { resolveModel } from "./models/resolve-model.js";
import { promoteVersion } from "./promotion/promote-version.js";
import { requireProject } from "./projects.js";
import { versionSignatureDiff } from "./signatures/version-signature-diff.js";
import { readAheadForReferences } from "./read-ahead/references.js";
import { loadRun, runOfVersionEntity } from "./runs/load-run.js";
import { completeUploadById } from "./uploads/complete-upload.js";
import { abortUpload } from "./uploads/discard-upload.js";
import { startUpload } from "./uploads/start-upload.js";
import { createVersion } from "./versions/create-version.js";
import { findVersions, versionsOfModel } from "./versions/find-versions.js";
import { getVersion } from "./versions/load-version.js";
import { aliasesOfVersion, modelOfVersion, versionData } from "./versions/version-data.js";
import { validateVersionFilter } from "./versions/version-filter.js";
import {
  deleteAlias,
  deleteVersion,
  deleteVersionTag,
  setAlias,
  setVersionTag,
  transitionStage,
  updateVersion,
} from "./versions/version-writes.js";

type Service<A extends unknown[], R> = (ctx: RegistryContext, ...args: A) => R;

/**
 * The registry as the graph reaches it (`ctx.registry`): one request's reads and writes,
 * grouped by entity. Each operation is a function of the request's RegistryContext, bound here.
 */
export function createRegistry(ctx: RegistryContext) {
  const bind =
    <A extends unknown[], R>(service: Service<A, R>) =>
    (...args: A): R =>
      service(ctx, ...args);
  return {
    /** What this request's caller may see and change. */
    access: ctx.access,
    projects: {
      names: ctx.projectNames,
      require: bind(requireProject),
      status: (project: string) => ctx.loaders.status.load(project),
    },
    models: {
      get: bind(getModel),
      resolve: bind(resolveModel),
      list: bind(listModels),
      readAheadForPage: bind(readAheadForModelPage),
      data: bind(modelData),
      aliasTarget: bind(aliasTarget),
      create: bind(createModel),
      update: bind(updateModel),
      delete: bind(deleteModel),
      setTag: bind(setModelTag),
      deleteTag: bind(deleteModelTag),
    },
    versions: {
      get: bind(getVersion),
      find: bind(findVersions),
      ofModel: bind(versionsOfModel),
      validateFilter: validateVersionFilter,
      data: bind(versionData),
      model: bind(modelOfVersion),
      aliases: bind(aliasesOfVersion),
      create: bind(createVersion),
      update: bind(updateVersion),
      delete: bind(deleteVersion),
      setTag: bind(setVersionTag),
      deleteTag: bind(deleteVersionTag),
      setAlias: bind(setAlias),
      deleteAlias: bind(deleteAlias),
      transitionStage: bind(transitionStage),
      promote: bind(promoteVersion),
    },
    references: {
      /** Before a batch of entity references resolves: how its models are best read. */
      readAhead: bind(readAheadForReferences),
    },
    runs: {
      get: bind(loadRun),
      ofVersion: bind(runOfVersionEntity),
    },
    artifacts: {
      storageUri: bind(versionStorageUri),
      list: bind(versionArtifacts),
      find: bind(versionArtifact),
      mlmodel: bind(versionMLModel),
      signatureDiff: bind(versionSignatureDiff),
      requirements: bind(mlmodelRequirements),
      pythonVersion: bind(mlmodelPythonVersion),
      downloadUrl: bind(downloadUrl),
      text: bind(artifactText),
    },
    uploads: {
      start: bind(startUpload),
      complete: bind(completeUploadById),
      abort: bind(abortUpload),
    },
    events: {
      /** The events a subscriber asked for and may read, as they happen. */
      subscribe: bind(subscribeEvents),
    },
    audit: {
      /** Starts a Mutation field's notes (the server, before each one runs). */
      begin: () => ctx.audit.begin(),
      /** The record of the Mutation field that just ended, from its outcome and the notes. */
      record: bind(makeAuditRecord),
      write: bind(writeAuditRecord),
      log: bind(readAuditLog),
    },
  };
}

export type Registry = ReturnType<typeof createRegistry>;
