import { stringify } from "yaml";
import { newToken, tokenDigest } from "../server/auth/token-digest.js";

/**
 * `registry-graph token create --subject S`: a new static token, shown once, and the entry
 * for `auth.tokens` that lets it in: its subject and SHA-256, never the token itself.
 */
export function createTokenText(subject: string, token: string = newToken()): string {
  const entry = stringify([{ subject, sha256: tokenDigest(token), grants: [] }]).trimEnd();
  return `Token for ${JSON.stringify(subject)} (shown once: store it as a secret, send it as \`Authorization: Bearer <token>\`):

${token}

Under auth.tokens in the config (give it grants, e.g. { project: fraud, role: writer }):

${entry}
`;
}
