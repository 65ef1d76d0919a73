import { GraphQLError } from "graphql";
import { toGraphQLError } from "./errors.js";

/** The error of a multi-step mutation, saying which step failed (`extensions.step`). */
export function stepFailed(mutation: string, step: string, error: unknown): GraphQLError {
  const typed = toGraphQLError(error);
  const base =
    typed instanceof GraphQLError
      ? typed
      : new GraphQLError("an unexpected error", { originalError: typed as Error });
  return new GraphQLError(`${mutation} failed at ${step}: ${base.message}`, {
    originalError: base.originalError ?? undefined,
    extensions: { ...base.extensions, step },
  });
}

/** Runs one step; its failure is reported as that step's. */
export async function step<T>(mutation: string, name: string, run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw stepFailed(mutation, name, error);
  }
}
