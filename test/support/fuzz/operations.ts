import fc from "fast-check";
import {
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
  getNamedType,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isScalarType,
} from "graphql";

/** One generated request: a document, its variables, and how it was made. */
export interface FuzzOperation {
  query: string;
  variables: Record<string, unknown>;
  /** Deliberately broken (a wrong type, a missing argument, an unknown field, garbage). */
  broken: boolean;
}

/** Words the generator draws strings from besides random ones, so that many calls find data. */
export interface Dictionary {
  /** Projects queries may name. */
  readProjects: string[];
  /** Projects mutations may name: only ones whose data the run may change. */
  writeProjects: string[];
  /** Model names, aliases, paths, tag keys, global ids and other strings worth trying. */
  words: string[];
}

// Strings that have broken gateways: the empty one, lengths past MLflow's limits, a lone
// surrogate, NUL and other control characters, paths that leave their root, filter syntax.
const HOSTILE_STRINGS = [
  "",
  " ",
  "x".repeat(257),
  "y".repeat(5001),
  "z".repeat(70_000),
  "\ud800",
  "a\udc00b",
  "nul\u0000byte",
  "bell\u0007",
  "line\nbreak",
  "../../etc/passwd",
  "/absolute",
  "%2e%2e/x",
  "a\\b",
  "name' OR '1'='1",
  'quote"d',
  "`tick`",
  "%",
  "emoji 🚀",
];

const HOSTILE_INTS = [0, 1, 2, -1, 1_000_000, 2_147_483_647, -2_147_483_648];

interface Ctx {
  schema: GraphQLSchema;
  dict: Dictionary;
  inMutation: boolean;
  /** Arguments sent as variables: name → [type, value]. */
  variables: Map<string, [string, unknown]>;
}

/** A JS value of an input type (what a variable carries); null only where the type allows it. */
function inputValue(type: GraphQLInputType, ctx: Ctx, depth = 0): fc.Arbitrary<unknown> {
  if (isNonNullType(type)) return presentValue(type.ofType, ctx, depth);
  return fc.oneof(
    { weight: 9, arbitrary: presentValue(type, ctx, depth) },
    { weight: 1, arbitrary: fc.constant(null) },
  );
}

function presentValue(type: GraphQLInputType, ctx: Ctx, depth: number): fc.Arbitrary<unknown> {
  if (isListType(type)) return fc.array(inputValue(type.ofType, ctx, depth + 1), { maxLength: 3 });
  if (isEnumType(type)) return fc.constantFrom(...type.getValues().map((v) => v.value));
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields()).filter(
      (f) => depth < 3 || isNonNullType(f.type),
    );
    const entries = fields.map((f) =>
      isNonNullType(f.type)
        ? inputValue(f.type, ctx, depth + 1).map((v) => [[f.name, v]] as [string, unknown][])
        : fc
            .option(inputValue(f.type, ctx, depth + 1), { nil: undefined, freq: 2 })
            .map((v) => (v === undefined ? [] : ([[f.name, v]] as [string, unknown][]))),
    );
    return fc.tuple(...entries).map((parts) => Object.fromEntries(parts.flat()));
  }
  switch (isScalarType(type) ? type.name : "") {
    case "Int":
    case "SafeInt":
      return fc.oneof(
        { weight: 4, arbitrary: fc.integer({ min: 1, max: 12 }) },
        { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_INTS) },
      );
    case "Float":
      return fc.double({ noNaN: true });
    case "Boolean":
      return fc.boolean();
    default:
      return stringValue(ctx);
  }
}

function stringValue(ctx: Ctx): fc.Arbitrary<string> {
  const projects = ctx.inMutation ? ctx.dict.writeProjects : ctx.dict.readProjects;
  return fc.oneof(
    { weight: 8, arbitrary: fc.constantFrom(...projects, ...ctx.dict.words) },
    { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_STRINGS) },
    { weight: 2, arbitrary: fc.string({ maxLength: 12 }) },
    { weight: 1, arbitrary: fc.string({ unit: "binary", maxLength: 12 }) },
  );
}

/** A value as a GraphQL literal, for arguments written inline. */
function literal(type: GraphQLInputType, value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (isNonNullType(type)) return literal(type.ofType, value);
  if (isListType(type)) {
    return `[${(value as unknown[]).map((v) => literal(type.ofType, v)).join(", ")}]`;
  }
  if (isEnumType(type)) return String(value);
  if (isInputObjectType(type)) {
    const fields = type.getFields();
    const parts = Object.entries(value as Record<string, unknown>).map(
      ([k, v]) => `${k}: ${literal(fields[k]!.type, v)}`,
    );
    return `{${parts.join(", ")}}`;
  }
  // JSON's string escapes are GraphQL's; numbers and booleans print alike.
  return JSON.stringify(value);
}

const typeName = (type: GraphQLInputType): string => type.toString();

function argument(arg: GraphQLArgument, ctx: Ctx): fc.Arbitrary<string> {
  return fc
    .tuple(inputValue(arg.type, ctx), fc.integer({ min: 0, max: 9 }))
    .map(([value, dice]) => {
      if (dice < 3) {
        const name = `v${ctx.variables.size}`;
        ctx.variables.set(name, [typeName(arg.type), value]);
        return `${arg.name}: $${name}`;
      }
      return `${arg.name}: ${literal(arg.type, value)}`;
    });
}

function args(field: GraphQLField<unknown, unknown>, ctx: Ctx): fc.Arbitrary<string> {
  if (field.args.length === 0) return fc.constant("");
  const parts = field.args.map((a) =>
    isNonNullType(a.type) && a.defaultValue === undefined
      ? argument(a, ctx)
      : fc.option(argument(a, ctx), { nil: "", freq: 2 }),
  );
  return fc.tuple(...parts).map((list) => {
    const given = list.filter(Boolean);
    return given.length ? `(${given.join(", ")})` : "";
  });
}

/** A selection set on a named output type, at most `depth` levels deeper. */
function selection(
  type: GraphQLNamedType,
  depth: number,
  ctx: Ctx,
  maxFields = 4,
): fc.Arbitrary<string> {
  if (isAbstractType(type)) {
    const possible = ctx.schema.getPossibleTypes(type);
    return fc
      .constantFrom(...possible)
      .chain((concrete) => selection(concrete, depth, ctx))
      .chain((inner) =>
        fc.constantFrom(...possible).map((t) => `{ __typename ... on ${t.name} ${inner} }`),
      );
  }
  const object = type as GraphQLObjectType;
  const fields = Object.values(object.getFields()).filter(
    (f) => depth > 0 || isLeafType(getNamedType(f.type)),
  );
  if (fields.length === 0) return fc.constant("{ __typename }");
  return fc
    .subarray(fields, { minLength: 1, maxLength: Math.min(maxFields, fields.length) })
    .chain((chosen) => fc.tuple(...chosen.map((f) => fieldSelection(f, depth, ctx))))
    .map((parts) => `{ ${parts.join(" ")} }`);
}

function fieldSelection(
  field: GraphQLField<unknown, unknown>,
  depth: number,
  ctx: Ctx,
): fc.Arbitrary<string> {
  const named = getNamedType(field.type);
  const sub = isLeafType(named) ? fc.constant("") : selection(named, depth - 1, ctx);
  const alias = fc.option(fc.constantFrom("a", "b", "c"), { nil: "", freq: 5 });
  return fc
    .tuple(alias, args(field, ctx), sub, fc.nat())
    .map(([a, ar, s, n]) => `${a ? `${a}${n % 100}: ` : ""}${field.name}${ar} ${s}`);
}

/** Ways a valid operation is broken, each a thing a careless client sends. */
const BREAKERS: ((query: string) => string)[] = [
  (q) => q.replace(/\(/, "(bogus: 1, "),
  (q) => q.replace(/\{ /, "{ notAField "),
  (q) => q.replace(/: \d+/, ': "seven"'),
  (q) => q.replace(/: "[^"]*"/, ": 7"),
  (q) => q.slice(0, Math.max(1, Math.floor(q.length / 2))),
  (q) => `${q} }`,
  (q) => q.replace(/\)/, ", first: -1)"),
  (q) => `${q}\nquery Second { __typename }`,
];

/** One operation on Query or Mutation, sometimes broken on purpose. */
export function operation(schema: GraphQLSchema, dict: Dictionary): fc.Arbitrary<FuzzOperation> {
  return fc
    .record({
      // A third mutations, a quarter broken.
      mutation: fc.integer({ min: 0, max: 2 }).map((n) => n === 0 && !!schema.getMutationType()),
      depth: fc.integer({ min: 1, max: 6 }),
      breaker: fc.oneof(
        { weight: 3, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: fc.integer({ min: 0, max: BREAKERS.length - 1 }) },
      ),
    })
    .chain(({ mutation, depth, breaker }) => {
      const ctx: Ctx = { schema, dict, inMutation: mutation, variables: new Map() };
      const root = mutation ? schema.getMutationType()! : schema.getQueryType()!;
      return selection(root, depth, ctx, 2).map((body) => {
        const declared = [...ctx.variables].map(([name, [type]]) => `$${name}: ${type}`);
        const head = `${mutation ? "mutation" : "query"} Fuzz${declared.length ? `(${declared.join(", ")})` : ""}`;
        const variables = Object.fromEntries([...ctx.variables].map(([n, [, v]]) => [n, v]));
        ctx.variables.clear();
        const query = `${head} ${body}`;
        return breaker === undefined
          ? { query, variables, broken: false }
          : { query: BREAKERS[breaker]!(query), variables, broken: true };
      });
    });
}
