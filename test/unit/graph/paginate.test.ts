import { describe, expect, it } from "@jest/globals";
import type { Page } from "../../../src/graph/common/connection.js";
import { keysetPage } from "../../../src/graph/common/paginate.js";

const limits = { maxPageSize: 500, defaultPageSize: 50 };
const items = ["a", "b", "c", "d", "e", "f", "g"].map((name, i) => ({
  name,
  project: `p${i % 2}`,
}));
const keyOf = (item: { name: string; project: string }) => [item.name, item.project];

describe("keysetPage", () => {
  it("pages by 3 to exactly the single-page answer", () => {
    const whole = keysetPage(items, keyOf, { first: 100 }, limits).edges.map((e) => e.node);
    const paged: typeof items = [];
    let after: string | null = null;
    for (;;) {
      const page: Page<(typeof items)[number]> = keysetPage(
        items,
        keyOf,
        { first: 3, after },
        limits,
      );
      paged.push(...page.edges.map((e) => e.node));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(paged).toEqual(whole);
    expect(whole).toEqual(items);
  });

  it("neither skips nor repeats when an item before the cursor disappears", () => {
    const first = keysetPage(items, keyOf, { first: 3 }, limits);
    const shrunk = items.filter((i) => i.name !== "b");
    const next = keysetPage(shrunk, keyOf, { first: 3, after: first.pageInfo.endCursor }, limits);
    expect(next.edges.map((e) => e.node.name)).toEqual(["d", "e", "f"]);
  });

  it("refuses a page size above the maximum and a cursor it did not issue", () => {
    const bad = (args: { first?: number; after?: string }) => {
      try {
        keysetPage(items, keyOf, args, limits);
      } catch (error) {
        return (error as { extensions: { code: string } }).extensions.code;
      }
      return "no error";
    };
    expect(bad({ first: 501 })).toBe("BAD_USER_INPUT");
    expect(bad({ first: -1 })).toBe("BAD_USER_INPUT");
    expect(bad({ after: "not-a-cursor" })).toBe("BAD_USER_INPUT");
    expect(bad({ after: Buffer.from('{"x":1}').toString("base64url") })).toBe("BAD_USER_INPUT");
  });
});
