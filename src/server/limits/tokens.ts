import { ApolloServerErrorCode } from "@apollo/server/errors";
import { GraphQLError, Lexer, type Source, TokenKind } from "graphql";
import { LimitCode, refusal } from "./refusal.js";

// graphql-js's parser stops at `maxTokens` (Apollo's parseOptions) with this message: the
// limit is counted in the one parse every new document gets anyway. (graphql-armor's Apollo
// token plugin parses each document a second time and answers a refusal with HTTP 500.)
const TOKEN_LIMIT = /Document contains more (?:than|that) (\d+) tokens/;

/** Every token of the refused document, counted only once it is refused. */
function countTokens(source: Source): number {
  const lexer = new Lexer(source);
  let count = 0;
  try {
    while (lexer.advance().kind !== TokenKind.EOF) count += 1;
  } catch {
    // A character the lexer refuses: what was counted up to it stands.
  }
  return count;
}

/** A parse failure at the token limit, as a TOO_MANY_TOKENS refusal; null for any other error. */
export function tokenRefusal(error: unknown): GraphQLError | null {
  if (!(error instanceof GraphQLError)) return null;
  if (error.extensions.code !== ApolloServerErrorCode.GRAPHQL_PARSE_FAILED) return null;
  const limit = TOKEN_LIMIT.exec(error.message);
  if (!limit || !error.source) return null;
  const maxTokens = Number(limit[1]);
  const tokens = countTokens(error.source);
  return refusal(
    LimitCode.TOO_MANY_TOKENS,
    `the document has ${tokens} tokens, more than the ${maxTokens} allowed`,
    { tokens, maxTokens },
  );
}
