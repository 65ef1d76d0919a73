import { GraphQLError, type GraphQLSchema, parse, specifiedRules, validate } from "graphql";
import { ApolloServerErrorCode } from "@apollo/server/errors";
import { parseConfig } from "../../../../src/config/load.js";
import type { Config } from "../../../../src/config/schema.js";
import { buildGraphSchema } from "../../../../src/graph/schema.js";
import { operationChecker } from "../../../../src/server/limits/cost.plugin.js";
import { refusalOf } from "../../../../src/server/limits/refusal.js";
import { structuralRules } from "../../../../src/server/limits/structure.js";
import { tokenRefusal } from "../../../../src/server/limits/tokens.js";

/** A config with `projects` projects and the defaults, with `server` changed as given. */
export function testConfig(projects = 5, server: Record<string, unknown> = {}): Config {
  const names = Array.from({ length: projects }, (_, i) => `p${i}`);
  return parseConfig(
    JSON.stringify({
      server,
      projects: names.map((name) => ({ name, mlflow: { url: "http://127.0.0.1:5000" } })),
    }),
    {},
    "test",
  );
}

let schema: Promise<GraphQLSchema> | undefined;
export const graphSchema = () => (schema ??= buildGraphSchema());

export type Checked =
  | { cost: number }
  | { refused: { code: unknown; message: string; extensions: Record<string, unknown> } };

const asRefused = (error: GraphQLError): Checked => {
  if (!(error instanceof GraphQLError)) throw error;
  const { http: _http, ...extensions } = error.extensions;
  return { refused: { code: extensions.code, message: error.message, extensions } };
};

/**
 * What the gateway's limits make of a request, in the order Apollo applies them: the token
 * limit while parsing, the structural rules while validating, then the arguments and the cost.
 */
export async function check(
  query: string,
  variables: Record<string, unknown> = {},
  config: Config = testConfig(),
  operationName?: string,
): Promise<Checked> {
  const { limits } = config.server;
  let document;
  try {
    document = parse(query, { maxTokens: limits.maxTokens });
  } catch (error) {
    const syntax = error as GraphQLError;
    const refused = tokenRefusal(
      new GraphQLError(syntax.message, {
        source: syntax.source,
        positions: syntax.positions,
        extensions: { code: ApolloServerErrorCode.GRAPHQL_PARSE_FAILED },
      }),
    );
    if (refused) return asRefused(refused);
    throw error;
  }
  const s = await graphSchema();
  const errors = validate(s, document, [...specifiedRules, ...structuralRules(limits)]);
  if (errors.length > 0) {
    const refused = refusalOf(errors[0]);
    if (refused) return asRefused(refused);
    throw errors[0];
  }
  try {
    return { cost: operationChecker(config)(s, document, operationName, variables) };
  } catch (error) {
    return asRefused(error as GraphQLError);
  }
}
