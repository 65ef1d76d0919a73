import { type DocumentNode, GraphQLError, type GraphQLSchema } from "graphql";
// Its CommonJS build: the ES one imports graphql's .mjs files, a second graphql beside the one
// the schema is built with, which graphql refuses ("from another module or realm").
import {
  type ComplexityEstimator,
  fieldExtensionsEstimator,
  getComplexity,
  simpleEstimator,
} from "graphql-query-complexity/cjs";
import { type ArgumentLimits, argumentProblem } from "../../graph/common/argument-limits.js";
import type { CostContext } from "../../graph/common/cost.js";
import { LimitCode, refusal } from "./refusal.js";

/** Fields graphql-query-complexity evaluates at most, fragments spread (its own default). */
export const MAX_NODES = 10_000;
const NODES_EXCEEDED = "Query exceeds the maximum allowed number of nodes.";

/** Checks a field's arguments on the way; a cost comes from the estimators after it. */
const argumentsChecked =
  (limits: ArgumentLimits): ComplexityEstimator =>
  ({ type, field, args }) => {
    const problem = argumentProblem(`${type.name}.${field.name}`, args, limits);
    if (problem) throw problem;
  };

/**
 * One walk over the operation that will run, with its variables: every argument checked
 * against the table (argument-limits.ts), and the cost summed (cost.ts). Returns the cost, or
 * throws the first argument that breaks its rule (or that cannot be coerced at all, which
 * execution would refuse too).
 */
export function measureOperation(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | undefined,
  variables: Record<string, unknown>,
  argumentLimits: ArgumentLimits,
  costContext: CostContext,
): number {
  try {
    return getComplexity({
      schema,
      query: document,
      operationName,
      variables,
      context: costContext as unknown as Record<string, unknown>,
      maxQueryNodes: MAX_NODES,
      // A field without a cost of its own costs 1, and what is selected below it.
      estimators: [
        argumentsChecked(argumentLimits),
        fieldExtensionsEstimator(),
        simpleEstimator({ defaultComplexity: 1 }),
      ],
    });
  } catch (error) {
    if (error instanceof GraphQLError && error.message === NODES_EXCEEDED) {
      throw refusal(
        LimitCode.QUERY_TOO_COMPLEX,
        `the operation has more than ${MAX_NODES} fields once its fragments are spread`,
        { maxNodes: MAX_NODES },
      );
    }
    throw error;
  }
}
