import { describe, expect, it } from "@jest/globals";
import fc from "fast-check";
import {
  isRecordId,
  modelPrefix,
  modelSegment,
  projectPrefix,
  recordId,
  recordPaths,
  timeOfId,
} from "../../../../src/registry/audit/keys.js";

const random = fc.stringMatching(/^[0-9a-f]{16}$/);
const ms = fc.integer({ min: 0, max: 9_999_999_999_999 });

describe("audit record ids", () => {
  it("sort newest first as plain strings, as an S3 listing returns keys", () => {
    fc.assert(
      fc.property(ms, ms, random, random, (a, b, ra, rb) => {
        fc.pre(a !== b);
        const [earlier, later] = a < b ? [a, b] : [b, a];
        expect(recordId(later, ra) < recordId(earlier, rb)).toBe(true);
      }),
    );
  });

  it("keep their order where the time gains a digit", () => {
    const times = [999, 1000, 9_999_999_999, 10_000_000_000, Date.parse("2026-01-01")];
    const ids = times.map((t) => recordId(t, "0".repeat(16)));
    expect([...ids].sort()).toEqual([...ids].reverse());
    expect(ids.every((id) => id.length === 30)).toBe(true);
  });

  it("give back the time they were made at", () => {
    fc.assert(fc.property(ms, (t) => expect(timeOfId(recordId(t))).toBe(t)));
  });

  it("are unique within one millisecond", () => {
    const ids = new Set(Array.from({ length: 1000 }, () => recordId(1_750_000_000_000)));
    expect(ids.size).toBe(1000);
  });

  it("are told apart from anything else under the prefix", () => {
    expect(isRecordId(recordId(Date.now()))).toBe(true);
    for (const other of ["", "0001", `${recordId(1)}x`, "../../secret", "8249999999999-ZZZZ"]) {
      expect(isRecordId(other)).toBe(false);
    }
  });
});

describe("audit record paths", () => {
  const record = { id: recordId(1_750_000_000_000, "ab".repeat(8)), model: "fraud-detector" };

  it("are one per project and one per model, so either is read by one prefix listing", () => {
    expect(recordPaths(record, "fraud")).toEqual([
      `audit/projects/fraud/${record.id}.json`,
      `audit/models/fraud/fraud-detector/${record.id}.json`,
    ]);
    expect(recordPaths({ ...record, model: null }, "fraud")).toEqual([
      `audit/projects/fraud/${record.id}.json`,
    ]);
  });

  it("keep a record naming no configured project out of every project's log", () => {
    expect(recordPaths(record, null)).toEqual([`audit/unattributed/${record.id}.json`]);
  });

  it("never let one model's prefix hold another's records", () => {
    const names = ["a", "ab", "a b", "a%2Fb", "a%b", "é", "a".repeat(256), "é".repeat(256)];
    fc.assert(
      fc.property(fc.constantFrom(...names), fc.constantFrom(...names), (x, y) => {
        fc.pre(x !== y);
        expect(modelPrefix("p", y).startsWith(modelPrefix("p", x))).toBe(false);
      }),
    );
    expect(modelPrefix("p", "a").startsWith(projectPrefix("p"))).toBe(false);
  });

  it("hash a name too long for a key, in a form no short name takes", () => {
    const long = "模".repeat(256); // 2,304 characters URI-encoded
    expect(modelSegment(long)).toMatch(/^%%[0-9a-f]{64}$/);
    expect(modelSegment("模型")).toBe(encodeURIComponent("模型"));
    expect(modelSegment("%%x")).toBe("%25%25x");
    fc.assert(
      fc.property(fc.string({ maxLength: 256 }), (name) => {
        expect(modelSegment(name).length).toBeLessThanOrEqual(384);
        expect(modelSegment(name)).not.toContain("/");
      }),
    );
  });
});
