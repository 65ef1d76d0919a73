import type { ApolloServerPlugin } from "@apollo/server";
import { ApolloServerErrorCode } from "@apollo/server/errors";
import { type DocumentNode, GraphQLError, type GraphQLSchema } from "graphql";
import type { Config } from "../../config/schema.js";
import { CostBudget } from "./cost-budget.js";
import { measureOperation } from "./measure.js";
import { LimitCode, refusal } from "./refusal.js";

// As Apollo's hideSchemaDetailsFromClientErrors does to validation errors.
const SUGGESTION = / ?Did you mean(.+?)\?$/;

/** A problem with the request's arguments or variables: the whole request refused, HTTP 400. */
function refusedInput(error: GraphQLError, hideSuggestions: boolean): GraphQLError {
  const message = hideSuggestions ? error.message.replace(SUGGESTION, "") : error.message;
  return new GraphQLError(message, {
    nodes: error.nodes,
    extensions: {
      ...error.extensions,
      code: error.extensions.code ?? ApolloServerErrorCode.BAD_USER_INPUT,
      http: { status: 400 },
    },
  });
}

/**
 * Checks the operation that will run, with its variables: every argument against its limit
 * (argument-limits.ts), then its cost (cost.ts) against `server.limits.maxCost`. Returns the
 * cost; throws the refusal.
 */
export function operationChecker(config: Config) {
  const { server, artifacts, uploads } = config;
  const { maxCost } = server.limits;
  const argumentLimits = {
    maxPageSize: server.maxPageSize,
    textMaxBytes: artifacts.textMaxBytes,
    downloadUrlMaxExpirySeconds: artifacts.downloadUrlMaxExpirySeconds,
    maxFileBytes: uploads.maxFileBytes,
  };
  const costContext = {
    defaultPageSize: server.defaultPageSize,
    projects: config.projects.length,
    textMaxBytes: artifacts.textMaxBytes,
    multipartThresholdBytes: uploads.multipartThresholdBytes,
    partSizeBytes: uploads.partSizeBytes,
  };
  return (
    schema: GraphQLSchema,
    document: DocumentNode,
    operationName: string | undefined,
    variables: Record<string, unknown>,
  ): number => {
    let cost: number;
    try {
      cost = measureOperation(
        schema,
        document,
        operationName,
        variables,
        argumentLimits,
        costContext,
      );
    } catch (error) {
      if (!(error instanceof GraphQLError)) throw error;
      throw error.extensions.code === LimitCode.QUERY_TOO_COMPLEX
        ? error
        : refusedInput(error, !server.introspection);
    }
    if (cost > maxCost) {
      throw refusal(
        LimitCode.QUERY_TOO_COMPLEX,
        `the operation costs ${cost}, more than the ${maxCost} allowed`,
        { cost, maxCost },
      );
    }
    return cost;
  };
}

/**
 * Once the operation and its variables are known, and before anything runs, the operation
 * checked (operationChecker): a refused request has made no upstream call. An accepted one
 * then waits for its cost to fit in `server.limits.maxCostInFlight` (cost-budget.ts), and
 * gives it back once it has answered.
 */
export function costLimitPlugin(config: Config): ApolloServerPlugin {
  const checkOperation = operationChecker(config);
  const budget = new CostBudget(config.server.limits.maxCostInFlight);
  // What each running request holds, by its context: released once, whichever hook comes.
  const held = new WeakMap<object, number>();
  const release = (contextValue: object) => {
    const taken = held.get(contextValue);
    if (taken === undefined) return;
    held.delete(contextValue);
    budget.release(taken);
  };
  return {
    async unexpectedErrorProcessingRequest({ requestContext }) {
      release(requestContext.contextValue);
    },
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request, contextValue }) {
          // No operation to run (several, none named): Apollo refuses it, running nothing.
          if (!operation) return;
          const cost = checkOperation(
            schema,
            document,
            operation.name?.value,
            request.variables ?? {},
          );
          held.set(contextValue, await budget.acquire(cost));
        },
        async willSendResponse({ contextValue }) {
          release(contextValue);
        },
      };
    },
  };
}
