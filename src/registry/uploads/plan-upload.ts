import type { UploadsConfig } from "../../config/schema.js";
import { safePath } from "../artifacts/browse.js";
import { badUserInput } from "../errors.js";

const S3_MAX_PARTS = 10_000;

/** A file a client declares it will upload (the graph's DeclaredFile). */
export interface DeclaredFile {
  path: string;
  size: number;
  sha256?: string | null;
}

export interface PlannedFile {
  path: string;
  size: number;
  sha256: string | null;
  multipart: boolean;
  partCount: number;
  /** Bytes per part (the last may be shorter); the whole size for a single PUT. */
  partSize: number;
}

/** Part `number` (1-based) of a file: all parts are partSize bytes but the last. */
export const partLength = (file: { size: number; partSize: number }, number: number): number =>
  Math.min(file.partSize, file.size - (number - 1) * file.partSize);

/**
 * The files of an upload, checked and laid out in parts, or BAD_USER_INPUT naming the figure
 * over its limit. Pure: a refused upload costs S3 nothing, however many parts it asked for.
 */
export function planUpload(limits: UploadsConfig, files: DeclaredFile[]): PlannedFile[] {
  const { maxFiles, maxFileBytes, maxUploadBytes, maxParts } = limits;
  if (files.length === 0 || files.length > maxFiles) {
    throw badUserInput(`an upload has 1 to ${maxFiles} files, got ${files.length}`);
  }
  const seen = new Set<string>();
  const planned = files.map((file) => {
    const path = safePath(file.path);
    if (path === "" || seen.has(path)) {
      throw badUserInput(`file path "${file.path}" is empty or given twice`);
    }
    seen.add(path);
    const size = Number(file.size);
    if (!Number.isSafeInteger(size) || size < 0 || size > maxFileBytes) {
      throw badUserInput(`size of "${path}" must be 0 to ${maxFileBytes} bytes, got ${file.size}`);
    }
    if (file.sha256 != null && !/^[0-9a-f]{64}$/i.test(file.sha256)) {
      throw badUserInput(`sha256 of "${path}" must be 64 hex characters`);
    }
    const multipart = size > limits.multipartThresholdBytes;
    const partSize = Math.max(limits.partSizeBytes, Math.ceil(size / S3_MAX_PARTS));
    return {
      path,
      size,
      sha256: file.sha256?.toLowerCase() ?? null,
      multipart,
      partCount: multipart ? Math.ceil(size / partSize) : 1,
      partSize: multipart ? partSize : size,
    };
  });
  const total = planned.reduce((sum, file) => sum + file.size, 0);
  if (total > maxUploadBytes) {
    throw badUserInput(`an upload holds at most ${maxUploadBytes} bytes, got ${total}`, {
      limit: maxUploadBytes,
      requested: total,
    });
  }
  const urls = planned.reduce((sum, file) => sum + file.partCount, 0);
  if (urls > maxParts) {
    throw badUserInput(`an upload gets at most ${maxParts} part URLs, these files need ${urls}`, {
      limit: maxParts,
      requested: urls,
    });
  }
  return planned;
}
