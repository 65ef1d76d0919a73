import { randomUUID } from "node:crypto";
import type { RegistryChange } from "../sources/mlflow/changes.js";

/** Where the gateway learned of a change. */
export const EVENT_ORIGINS = ["WEBHOOK", "POLL", "GATEWAY"] as const;
export type EventOrigin = (typeof EVENT_ORIGINS)[number];

/** A change to a project's registry, as every replica and subscriber sees it. */
export interface RegistryEvent extends RegistryChange {
  /** Unique per event (a UUID). */
  id: string;
  /** When the gateway learned of it, in ms since the epoch. */
  at: number;
  origin: EventOrigin;
}

export function toEvent(
  change: RegistryChange,
  origin: EventOrigin,
  at = Date.now(),
): RegistryEvent {
  return { ...change, id: randomUUID(), at, origin };
}

/**
 * Two events with the same identity say the same thing: one change heard twice (the
 * gateway's write, then MLflow's webhook for it, then the probe). An alias deletion's version
 * is left out: MLflow's webhook does not carry it, the probe does.
 */
export function eventIdentity(event: RegistryChange): string {
  const version = event.kind === "ALIAS_DELETED" ? null : event.version;
  return JSON.stringify([
    event.project,
    event.kind,
    event.model,
    version,
    event.alias ?? null,
    event.tagKey ?? null,
    event.tagValue ?? null,
    event.stage ?? null,
  ]);
}
