/**
 * A client-given path inside a version's files, normalized, or null when it would leave the
 * version's root or hide how it does: `..`, absolute paths, backslashes, NUL, or
 * percent-encoded dots, slashes, backslashes or NUL that S3 or a proxy might decode later.
 */
export function normalizeArtifactPath(input: string): string | null {
  if (input.length > 1024) return null;
  if (input.includes("\\") || input.includes("\u0000") || input.startsWith("/")) return null;
  if (/%(2e|2f|5c|00)/i.test(input)) return null;
  const segments = input.split("/").filter((s) => s !== "" && s !== ".");
  if (segments.includes("..")) return null;
  return segments.join("/");
}
