import type { AuthConfig } from "../../config/schema.js";
import type { Grant } from "../../registry/access/caller.js";
import { matchDigest } from "./token-digest.js";

export interface TokenHolder {
  subject: string;
  grants: readonly Grant[];
}

/** The configured service tokens, known only by their SHA-256 digests. */
export class StaticTokens {
  private readonly digests: Buffer[];
  private readonly holders: TokenHolder[];

  constructor(tokens: AuthConfig["tokens"]) {
    this.digests = tokens.map((t) => Buffer.from(t.sha256, "hex"));
    this.holders = tokens.map((t) => ({ subject: t.subject, grants: t.grants }));
  }

  /** The holder of `token`, or undefined when no configured digest is its SHA-256. */
  holderOf(token: string): TokenHolder | undefined {
    const i = matchDigest(token, this.digests);
    return i < 0 ? undefined : this.holders[i];
  }
}
