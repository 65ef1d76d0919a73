import type { ApolloServerPlugin } from "@apollo/server";
import type { ParseOptions, ValidationRule } from "graphql";
import type { Config } from "../../config/schema.js";
import { costLimitPlugin } from "./cost.plugin.js";
import { structuralRules } from "./structure.js";

/** What one request may ask for (`server.limits`), as Apollo Server options. */
export function requestLimits(config: Config): {
  validationRules: ValidationRule[];
  parseOptions: ParseOptions;
  plugins: ApolloServerPlugin[];
} {
  const { limits } = config.server;
  if (!limits.enabled) return { validationRules: [], parseOptions: {}, plugins: [] };
  return {
    validationRules: structuralRules(limits),
    parseOptions: { maxTokens: limits.maxTokens },
    plugins: [costLimitPlugin(config)],
  };
}
