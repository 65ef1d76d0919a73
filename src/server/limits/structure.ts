import { ApolloArmor } from "@escape.tech/graphql-armor";
import type { ValidationRule } from "graphql";
import type { LimitsConfig } from "../../config/schema.js";
import { type LimitCode, LimitCode as Code, refusal } from "./refusal.js";
import { maxRootFieldsRule } from "./root-fields.rule.js";

type ArmorConfig = NonNullable<ConstructorParameters<typeof ApolloArmor>[0]>;
type Callbacks = Pick<NonNullable<ArmorConfig["maxDepth"]>, "onReject" | "propagateOnRejection">;

// graphql-armor says what it found only in its message ("… exceeded, found 33.").
const FOUND = /found (\d+)/;

/**
 * Reports armor's refusal as ours: its own code, and the figure found beside the limit
 * (`{ depth: 33, maxDepth: 12 }`), instead of armor's BAD_USER_INPUT with the figures in prose.
 */
function report(
  code: LimitCode,
  figure: string,
  limitName: string,
  limit: number,
  describe: (found: number) => string,
): Callbacks {
  return {
    propagateOnRejection: false,
    onReject: [
      (context, error) => {
        const found = Number(FOUND.exec(error.message)?.[1]);
        context?.reportError(
          refusal(code, `${describe(found)}, more than the ${limit} allowed`, {
            [figure]: found,
            [limitName]: limit,
          }),
        );
      },
    ],
  };
}

/**
 * Validation rules for the shape of a document: depth, aliases and directives (graphql-armor),
 * root fields (ours). Tokens are counted by graphql-js's own parser (tokens.ts), cost with the
 * variables known (cost.plugin.ts).
 */
export function structuralRules(limits: LimitsConfig): ValidationRule[] {
  const { maxDepth, maxAliases, maxDirectives, maxRootFields } = limits;
  const armor = new ApolloArmor({
    // Counted elsewhere (tokens.ts, cost.plugin.ts); Apollo hides suggestions (gateway.ts).
    maxTokens: { enabled: false },
    costLimit: { enabled: false },
    blockFieldSuggestion: { enabled: false },
    maxDepth: {
      n: maxDepth,
      // Fragments add no depth to the answer, so they add none here.
      flattenFragments: true,
      ...report(Code.QUERY_TOO_DEEP, "depth", "maxDepth", maxDepth, (n) => {
        return `the operation is ${n} fields deep`;
      }),
    },
    maxAliases: {
      n: maxAliases,
      ...report(Code.TOO_MANY_ALIASES, "aliases", "maxAliases", maxAliases, (n) => {
        return `the operation has ${n} aliases`;
      }),
    },
    maxDirectives: {
      n: maxDirectives,
      ...report(Code.TOO_MANY_DIRECTIVES, "directives", "maxDirectives", maxDirectives, (n) => {
        return `the operation has ${n} directives`;
      }),
    },
  });
  return [...armor.protect().validationRules, maxRootFieldsRule(maxRootFields)];
}
