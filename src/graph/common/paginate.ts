import type { GraphContext } from "../context.js";
import type { Page } from "./connection.js";
import { badUserInput } from "../../registry/errors.js";
import type { PageArgs } from "./page.args.js";

export type SortKey = (string | number)[];

/** Code-unit order, the same on every machine (localeCompare is not). */
export function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    return x < y ? -1 : 1;
  }
  return 0;
}

const encodeCursor = (key: SortKey): string =>
  Buffer.from(JSON.stringify(key)).toString("base64url");

/** An edge whose cursor is made only if the query reads it (most list views never do). */
class KeysetEdge<T> {
  constructor(
    readonly node: T,
    private readonly keyOf: (item: T) => SortKey,
  ) {}

  get cursor(): string {
    return encodeCursor(this.keyOf(this.node));
  }
}

function decodeCursor(cursor: string): SortKey {
  try {
    const key: unknown = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8"));
    if (Array.isArray(key) && key.every((k) => typeof k === "string" || typeof k === "number")) {
      return key;
    }
  } catch {
    // reported below
  }
  throw badUserInput(`"${cursor}" is not a cursor issued by this API`);
}

export function pageSize(args: PageArgs, limits: GraphContext["limits"]): number {
  const first = args.first ?? limits.defaultPageSize;
  if (!Number.isInteger(first) || first < 0 || first > limits.maxPageSize) {
    throw badUserInput(`first must be between 0 and ${limits.maxPageSize}, got ${first}`);
  }
  return first;
}

/**
 * A keyset page: the cursor is the sort key of the last item seen, so paging neither skips
 * nor repeats items when others are added or removed between pages (an offset would).
 * `items` must be sorted by `keyOf` (descending when asked) and keys must be unique.
 */
export function keysetPage<T>(
  items: readonly T[],
  keyOf: (item: T) => SortKey,
  args: PageArgs,
  limits: GraphContext["limits"],
  descending = false,
): Page<T> {
  const first = pageSize(args, limits);
  const after = args.after ? decodeCursor(args.after) : null;
  const order = descending ? -1 : 1;
  const start = after ? items.findIndex((item) => order * compareKeys(keyOf(item), after) > 0) : 0;
  const from = start === -1 ? items.length : start;
  const edges = items.slice(from, from + first).map((node) => new KeysetEdge(node, keyOf));
  return {
    edges,
    totalCount: items.length,
    pageInfo: {
      hasNextPage: from + first < items.length,
      hasPreviousPage: from > 0,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges.at(-1)?.cursor ?? null,
    },
  };
}

/** Sorts by key, in place, and pages: the one way lists of this API are ordered and cut. */
export function sortAndPage<T>(
  items: T[],
  keyOf: (item: T) => SortKey,
  args: PageArgs,
  limits: GraphContext["limits"],
  descending = false,
): Page<T> {
  const order = descending ? -1 : 1;
  items.sort((a, b) => order * compareKeys(keyOf(a), keyOf(b)));
  return keysetPage(items, keyOf, args, limits, descending);
}
