import type { UpstreamCalls } from "../calls.js";
import { toModelVersion, toRegisteredModel } from "./map.js";
import type { MlflowTransport } from "./transport.js";
import type { ModelVersion, RegisteredModel, Tag } from "./types.js";
import type { WireGetRegisteredModel, WireModelVersion } from "./wire.js";

const API = "api/2.0/mlflow";

/**
 * The registry writes of one project's MLflow. None is retried: a write that timed out may
 * have happened, and only the caller (with its idempotency key) can tell what to do.
 */
export class MlflowWriter {
  constructor(
    private readonly transport: MlflowTransport,
    private readonly calls: UpstreamCalls,
  ) {}

  private get project(): string {
    return this.transport.project.name;
  }

  private send<T>(method: "POST" | "PATCH" | "DELETE", path: string, json: object): Promise<T> {
    return this.transport.request<T>(
      { method, path: `${API}/${path}`, json, readOnly: false },
      this.calls,
    );
  }

  async createModel(
    name: string,
    description: string | null,
    tags: Tag[],
  ): Promise<RegisteredModel> {
    const body = await this.send<WireGetRegisteredModel>("POST", "registered-models/create", {
      name,
      tags,
      ...(description ? { description } : {}),
    });
    this.transport.changed({ kind: "MODEL_CREATED", model: name, version: null });
    return toRegisteredModel(this.project, body.registered_model ?? { name });
  }

  async updateModel(name: string, description: string): Promise<void> {
    await this.send("PATCH", "registered-models/update", { name, description });
    this.transport.changed({ kind: "MODEL_UPDATED", model: name, version: null });
  }

  async deleteModel(name: string): Promise<void> {
    await this.send("DELETE", "registered-models/delete", { name });
    this.transport.changed({ kind: "MODEL_DELETED", model: name, version: null });
  }

  async setModelTag(name: string, key: string, value: string): Promise<void> {
    await this.send("POST", "registered-models/set-tag", { name, key, value });
    this.transport.changed({
      kind: "TAG_SET",
      model: name,
      version: null,
      tagKey: key,
      tagValue: value,
    });
  }

  async deleteModelTag(name: string, key: string): Promise<void> {
    await this.send("DELETE", "registered-models/delete-tag", { name, key });
    this.transport.changed({ kind: "TAG_DELETED", model: name, version: null, tagKey: key });
  }

  async createVersion(input: {
    name: string;
    source: string;
    runId?: string | null;
    description?: string | null;
    tags: Tag[];
  }): Promise<ModelVersion> {
    const body = await this.send<{ model_version?: WireModelVersion }>(
      "POST",
      "model-versions/create",
      {
        name: input.name,
        source: input.source,
        tags: input.tags,
        ...(input.runId ? { run_id: input.runId } : {}),
        ...(input.description ? { description: input.description } : {}),
      },
    );
    const created = toModelVersion(this.project, body.model_version ?? {});
    this.transport.changed({
      kind: "VERSION_CREATED",
      model: input.name,
      version: Number.isInteger(created.number) ? created.number : null,
    });
    return created;
  }

  async updateVersion(name: string, version: number, description: string): Promise<void> {
    await this.send("PATCH", "model-versions/update", {
      name,
      version: String(version),
      description,
    });
    this.transport.changed({ kind: "VERSION_UPDATED", model: name, version });
  }

  async deleteVersion(name: string, version: number): Promise<void> {
    await this.send("DELETE", "model-versions/delete", { name, version: String(version) });
    this.transport.changed({ kind: "VERSION_DELETED", model: name, version });
  }

  async setVersionTag(name: string, version: number, key: string, value: string): Promise<void> {
    await this.send("POST", "model-versions/set-tag", {
      name,
      version: String(version),
      key,
      value,
    });
    this.transport.changed({ kind: "TAG_SET", model: name, version, tagKey: key, tagValue: value });
  }

  async deleteVersionTag(name: string, version: number, key: string): Promise<void> {
    await this.send("DELETE", "model-versions/delete-tag", { name, version: String(version), key });
    this.transport.changed({ kind: "TAG_DELETED", model: name, version, tagKey: key });
  }

  async setAlias(name: string, alias: string, version: number): Promise<void> {
    await this.send("POST", "registered-models/alias", { name, alias, version: String(version) });
    this.transport.changed({ kind: "ALIAS_SET", model: name, version, alias });
  }

  async deleteAlias(name: string, alias: string): Promise<void> {
    await this.send("DELETE", "registered-models/alias", { name, alias });
    this.transport.changed({ kind: "ALIAS_DELETED", model: name, version: null, alias });
  }

  async transitionStage(
    name: string,
    version: number,
    stage: string,
    archiveExisting: boolean,
  ): Promise<void> {
    await this.send("POST", "model-versions/transition-stage", {
      name,
      version: String(version),
      stage,
      archive_existing_versions: archiveExisting,
    });
    this.transport.changed({ kind: "STAGE_CHANGED", model: name, version, stage });
  }
}
