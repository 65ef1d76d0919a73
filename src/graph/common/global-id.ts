import { badUserInput } from "../../registry/errors.js";

export type IdPart = string | number;

/** Opaque, stable ids: base64url of `[type, ...parts]`, e.g. `["Model", "fraud", "scorer"]`. */
export function encodeId(type: string, ...parts: IdPart[]): string {
  return Buffer.from(JSON.stringify([type, ...parts])).toString("base64url");
}

export function decodeId(id: string): { type: string; parts: IdPart[] } {
  let decoded: unknown;
  try {
    decoded = JSON.parse(Buffer.from(id, "base64url").toString("utf8"));
  } catch {
    throw badUserInput(`"${id}" is not an id issued by this API`);
  }
  const valid =
    Array.isArray(decoded) &&
    decoded.length > 1 &&
    decoded.every((p) => typeof p === "string" || typeof p === "number") &&
    typeof decoded[0] === "string";
  if (!valid) throw badUserInput(`"${id}" is not an id issued by this API`);
  const [type, ...parts] = decoded as [string, ...IdPart[]];
  return { type, parts };
}
