import type { WireRegisteredModel, WireTag } from "./wire.js";
import type { RegisteredModel, Tag } from "./types.js";

export function toTags(tags: WireTag[] | undefined): Tag[] {
  return (tags ?? []).map((t) => ({ key: t.key ?? "", value: t.value ?? "" }));
}

export function toDate(ms: number | undefined): Date {
  return new Date(ms ?? 0);
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
  };
}
