import { versionMLModel } from "../artifacts/version-files.js";
import type { RegistryContext } from "../context.js";
import type { VersionEntity } from "../entities.js";
import { getVersion } from "../versions/load-version.js";
import { diffSignatures, type SignatureDiff } from "./diff.js";

/** Why two versions' signatures cannot be compared; the first that applies. */
export type SignatureGap =
  | "CANDIDATE_HAS_NO_MLMODEL"
  | "CANDIDATE_HAS_NO_SIGNATURE"
  | "BASELINE_HAS_NO_MLMODEL"
  | "BASELINE_HAS_NO_SIGNATURE";

export interface VersionRef {
  project: string;
  model: string;
  version: number;
}

/** The diff's parts are null, and incompatibilities empty, when not comparable. */
export interface VersionSignatureDiff extends Nullable<Omit<SignatureDiff, "incompatibilities">> {
  baseline: VersionEntity;
  comparable: boolean;
  /** Set when not comparable. */
  gap: SignatureGap | null;
  /** No incompatibilities; null when not comparable. */
  acceptsBaselineInputs: boolean | null;
  incompatibilities: string[];
}

type Nullable<T> = { [K in keyof T]: T[K] | null };

/**
 * The candidate version's signature against the baseline's. The baseline is looked up first,
 * so one the caller may not read is NOT_FOUND before any file is read.
 */
export async function versionSignatureDiff(
  ctx: RegistryContext,
  candidate: VersionEntity,
  against: VersionRef,
): Promise<VersionSignatureDiff> {
  const baseline = await getVersion(ctx, against.project, against.model, against.version);
  const [mine, theirs] = await Promise.all([
    versionMLModel(ctx, candidate),
    versionMLModel(ctx, baseline),
  ]);
  const gap: SignatureGap | null = !mine
    ? "CANDIDATE_HAS_NO_MLMODEL"
    : !mine.signature
      ? "CANDIDATE_HAS_NO_SIGNATURE"
      : !theirs
        ? "BASELINE_HAS_NO_MLMODEL"
        : !theirs.signature
          ? "BASELINE_HAS_NO_SIGNATURE"
          : null;
  if (gap) {
    const none = { inputs: null, outputs: null, params: null, unchanged: null };
    return {
      baseline,
      comparable: false,
      gap,
      acceptsBaselineInputs: null,
      incompatibilities: [],
      ...none,
    };
  }
  const diff = diffSignatures(theirs!.signature!, mine!.signature!);
  return {
    ...diff,
    baseline,
    comparable: true,
    gap: null,
    acceptsBaselineInputs: diff.incompatibilities.length === 0,
  };
}
