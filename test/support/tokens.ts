import type { Config } from "../../src/config/schema.js";
import { tokenDigest } from "../../src/server/auth/token-digest.js";

/**
 * A static token per caller of a test, named after the test (`rg_<test>-<who>-…`), and the
 * config that accepts exactly those callers with their grants and no anonymous one.
 */
type Grants = Config["auth"]["tokens"][number]["grants"];

export function testTokens(test: string, grants: Record<string, Grants>) {
  const token = (who: string) => `rg_${test}-test-${who}-0123456789abcdefghij`;
  return {
    token,
    withTokens(config: Config): Config {
      config.auth = {
        ...config.auth,
        anonymous: [],
        tokens: Object.entries(grants).map(([who, g]) => ({
          subject: who,
          sha256: tokenDigest(token(who)),
          grants: g,
        })),
      };
      return config;
    },
  };
}
