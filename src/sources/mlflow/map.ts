import type {
  WireLoggedModel,
  WireModelVersion,
  WireRegisteredModel,
  WireRun,
  WireTag,
} from "./wire.js";
import type {
  LoggedModel,
  ModelVersion,
  RegisteredModel,
  Run,
  Tag,
  VersionStatus,
} from "./types.js";

export function toTags(tags: WireTag[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.key ?? "", value: t.value ?? "" }));
}

export function toDate(ms: number | undefined): Date {
  return new Date(ms ?? 0);
}

const optionalDate = (ms: number | undefined): Date | null => (ms ? new Date(ms) : null);

/** `models:/m-<32 hex>`: how MLflow 3 records a version of a logged model (docs/mlflow-rest.md §1.3). */
const loggedModelSource = /^models:\/(m-[0-9a-f]{32})\/?$/;

export function loggedModelIdOf(source: string): string | null {
  return loggedModelSource.exec(source)?.[1] ?? null;
}

export function toModelVersion(project: string, wire: WireModelVersion): ModelVersion {
  const source = wire.source ?? "";
  return {
    project,
    model: wire.name ?? "",
    number: Number(wire.version),
    createdAt: toDate(wire.creation_timestamp),
    updatedAt: toDate(wire.last_updated_timestamp ?? wire.creation_timestamp),
    stage: !wire.current_stage || wire.current_stage === "None" ? null : wire.current_stage,
    description: wire.description || null,
    source,
    runId: wire.run_id || null,
    loggedModelId: loggedModelIdOf(source),
    status: (wire.status ?? "READY") as VersionStatus,
    statusMessage: wire.status_message || null,
    tags: toTags(wire.tags),
  };
}

export function toRegisteredModel(project: string, wire: WireRegisteredModel): RegisteredModel {
  return {
    project,
    name: wire.name ?? "",
    description: wire.description || null,
    createdAt: toDate(wire.creation_timestamp),
    updatedAt: toDate(wire.last_updated_timestamp ?? wire.creation_timestamp),
    tags: toTags(wire.tags),
    aliases: (wire.aliases ?? []).map((a) => ({
      alias: a.alias ?? "",
      version: Number(a.version),
    })),
    latestVersions: (wire.latest_versions ?? []).map((v) => toModelVersion(project, v)),
  };
}

export function toRun(project: string, wire: WireRun): Run {
  const info = wire.info ?? {};
  return {
    project,
    id: info.run_id ?? "",
    name: info.run_name || null,
    experimentId: info.experiment_id ?? "",
    status: info.status ?? "RUNNING",
    startTime: optionalDate(info.start_time),
    endTime: optionalDate(info.end_time),
    user: info.user_id || null,
    artifactUri: info.artifact_uri || null,
    metrics: (wire.data?.metrics ?? []).map((m) => ({
      key: m.key ?? "",
      value: m.value ?? 0,
      step: m.step ?? 0,
      timestamp: toDate(m.timestamp),
    })),
    params: toTags(wire.data?.params),
    tags: toTags(wire.data?.tags),
  };
}

export function toLoggedModel(project: string, wire: WireLoggedModel): LoggedModel {
  const info = wire.info ?? {};
  return {
    project,
    id: info.model_id ?? "",
    experimentId: info.experiment_id ?? "",
    name: info.name || null,
    sourceRunId: info.source_run_id || null,
    artifactUri: info.artifact_uri || null,
  };
}
