import { ApolloServerErrorCode } from "@apollo/server/errors";
import {
  type DocumentNode,
  type ExecutionArgs,
  getOperationAST,
  GraphQLError,
  type GraphQLSchema,
  parse,
  specifiedRules,
  validate,
} from "graphql";
import type { SubscribePayload } from "graphql-ws";
import type { Config } from "../../config/schema.js";
import { operationChecker } from "../limits/cost.plugin.js";
import { requestLimits } from "../limits/index.js";

// As Apollo's hideSchemaDetailsFromClientErrors does to validation errors.
const SUGGESTION = / ?Did you mean(.+?)\?$/;

const failure = (code: string, message: string) =>
  new GraphQLError(message, { extensions: { code } });

/** A parse failure as Apollo reports it (format-error.ts turns the token limit's into ours). */
function parseFailure(error: unknown): GraphQLError {
  if (!(error instanceof GraphQLError)) throw error;
  return new GraphQLError(error.message, {
    source: error.source,
    positions: error.positions,
    extensions: { code: ApolloServerErrorCode.GRAPHQL_PARSE_FAILED },
  });
}

/**
 * What a subscribe message must pass before anything runs, with the limits the HTTP path
 * applies (server/limits/): the token limit while parsing, the structural rules while
 * validating, then every argument and the cost. Only subscriptions: queries and mutations go
 * over HTTP, where admission, the upstream budget and the metrics hold. Returns what graphql's
 * `subscribe` runs, or the errors the client gets instead.
 */
export function subscriptionChecker(config: Config, schema: GraphQLSchema) {
  const limits = requestLimits(config);
  const rules = [...specifiedRules, ...limits.validationRules];
  const checkOperation = config.server.limits.enabled ? operationChecker(config) : undefined;
  const hideSuggestions = !config.server.introspection;
  return (payload: SubscribePayload): ExecutionArgs | GraphQLError[] => {
    let document: DocumentNode;
    try {
      document = parse(payload.query, limits.parseOptions);
    } catch (error) {
      return [parseFailure(error)];
    }
    const operationName = payload.operationName ?? undefined;
    const operation = getOperationAST(document, operationName);
    if (operation && operation.operation !== "subscription") {
      return [
        failure(
          ApolloServerErrorCode.BAD_REQUEST,
          `only subscriptions are served over WebSocket: send a ${operation.operation} to POST /graphql`,
        ),
      ];
    }
    const invalid = validate(schema, document, rules);
    if (invalid.length > 0) {
      return invalid.map(
        (error) =>
          new GraphQLError(
            hideSuggestions ? error.message.replace(SUGGESTION, "") : error.message,
            {
              nodes: error.nodes,
              originalError: error,
              extensions: { code: ApolloServerErrorCode.GRAPHQL_VALIDATION_FAILED },
            },
          ),
      );
    }
    if (!operation) {
      return [
        failure(
          ApolloServerErrorCode.OPERATION_RESOLUTION_FAILURE,
          operationName === undefined
            ? "the document has several operations: name one in operationName"
            : `the document has no operation named "${operationName}"`,
        ),
      ];
    }
    const variables = payload.variables ?? {};
    try {
      checkOperation?.(schema, document, operationName, variables);
    } catch (error) {
      if (error instanceof GraphQLError) return [error];
      throw error;
    }
    return { schema, document, operationName, variableValues: variables };
  };
}
