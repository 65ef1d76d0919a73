import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import type { Config } from "../../src/config/schema.js";
import { type Gateway, startGateway } from "../../src/server/gateway.js";
import { createLogger } from "../../src/server/logger.js";
import { type ExtraProject, startExtraProject } from "../support/extra-project.js";
import { stackS3 } from "../support/s3.js";
import { stackConfig, testStack } from "../support/stack.js";
import { testTokens } from "../support/tokens.js";

// Versions whose MLmodel this test writes itself, so the diff is known, in a project of its
// own (`sigdiff`); `churn` of the shared stack is the other project a baseline comes from.

type Grants = NonNullable<Config["auth"]>["tokens"][number]["grants"];
const { token, withTokens } = testTokens("signature-diff", {
  both: [
    { project: "sigdiff", role: "reader" },
    { project: "churn", role: "reader" },
  ],
  sigdiffOnly: [{ project: "sigdiff", role: "reader" }],
} satisfies Record<string, Grants>);

interface Column {
  name: string;
  type: string;
  required?: boolean;
}

/** An MLmodel as MLflow writes it: each part of the signature a JSON string. */
function mlmodel(signature: { inputs: Column[]; outputs: Column[]; params?: object[] } | null) {
  const lines = [
    "artifact_path: model",
    "flavors:",
    "  python_function:",
    "    loader_module: mlflow.pyfunc.model",
    "    python_version: 3.12.0",
    "mlflow_version: 3.1.0",
  ];
  if (signature) {
    const part = (value: object) => `'${JSON.stringify(value)}'`;
    lines.push(
      "signature:",
      `  inputs: ${part(signature.inputs)}`,
      `  outputs: ${part(signature.outputs)}`,
      `  params: ${signature.params ? part(signature.params) : "null"}`,
    );
  }
  return `${lines.join("\n")}\n`;
}

const threshold = (dflt: number) => ({
  name: "threshold",
  type: "double",
  default: dflt,
  shape: null,
});

/** Version n of model `scorer`, in the order they are created. */
const VERSIONS = [
  // 1, the baseline.
  mlmodel({
    inputs: [
      { name: "amount", type: "double", required: true },
      { name: "age_days", type: "integer", required: true },
      { name: "channel", type: "string", required: false },
    ],
    outputs: [{ name: "score", type: "double" }],
    params: [threshold(0.5)],
  }),
  // 2: a column dropped, an optional one added, integer widened to long: still accepts 1's inputs.
  mlmodel({
    inputs: [
      { name: "amount", type: "double", required: true },
      { name: "age_days", type: "long", required: true },
      { name: "country", type: "string", required: false },
    ],
    outputs: [
      { name: "score", type: "double" },
      { name: "label", type: "string" },
    ],
    params: [threshold(0.7)],
  }),
  // 3: double narrowed to float, a required column added: refuses 1's inputs.
  mlmodel({
    inputs: [
      { name: "amount", type: "float", required: true },
      { name: "age_days", type: "integer", required: true },
      { name: "region", type: "string", required: true },
    ],
    outputs: [{ name: "score", type: "double" }],
  }),
  // 4: no signature at all.
  mlmodel(null),
];

let extra: ExtraProject;
let gateway: Gateway;
let s3: S3Client;

beforeAll(async () => {
  extra = await startExtraProject("sigdiff");
  const config = withTokens(await stackConfig());
  config.projects = [...config.projects, extra.project];
  config.server.exposeUpstreamCalls = true;
  gateway = await startGateway(config, createLogger("silent"));
  s3 = stackS3();
  const { bucket } = testStack().state.s3;
  const post = async (path: string, body: object) => {
    const response = await fetch(`${extra.server.url}/api/2.0/mlflow/${path}`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify(body),
    });
    expect(response.status).toBe(200);
  };
  await post("registered-models/create", { name: "scorer" });
  for (const [i, text] of VERSIONS.entries()) {
    const prefix = `sigdiff/scorer/v${i + 1}`;
    await s3.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/MLmodel`, Body: text }));
    await post("model-versions/create", { name: "scorer", source: `s3://${bucket}/${prefix}` });
  }
}, 180_000);

afterAll(async () => {
  await gateway?.stop();
  await extra?.server.stop();
  s3?.destroy();
});

interface Answer {
  data?: Record<string, any> | null; // eslint-disable-line @typescript-eslint/no-explicit-any
  errors?: { message: string; extensions: { code: string } }[];
  extensions?: { upstreamCalls?: { total: number; byUpstream: Record<string, number> } };
}

async function as(who: string, query: string, variables: object = {}) {
  const response = await fetch(`${gateway.url}/graphql`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${token(who)}` },
    body: JSON.stringify({ query, variables }),
  });
  return { status: response.status, ...((await response.json()) as Answer) };
}

const DIFF = `query ($n: Int!, $against: VersionRefInput!) {
  model(project: "sigdiff", name: "scorer") { version(number: $n) {
    signatureDiff(against: $against) {
      baseline { number project { name } }
      comparable gap acceptsBaselineInputs incompatibilities unchanged
      inputs {
        baselineKind candidateKind matchedByName
        columnsAdded { name type required } columnsRemoved { name type required }
        columnsChanged { name position typeChanged requiredChanged baseline { type } candidate { type } }
      }
      outputs { columnsAdded { name type } unchanged }
      params { added { name } removed { name } changed { name defaultChanged typeChanged candidate { default } } }
    }
  } }
}`;

const diffOf = (answer: Answer) => answer.data!.model.version.signatureDiff;
const scorer = (version: number) => ({ project: "sigdiff", model: "scorer", version });

describe("Version.signatureDiff", () => {
  it("finds a compatible change and reads both MLmodels once each", async () => {
    const answer = await as("both", DIFF, { n: 2, against: scorer(1) });
    expect(answer.errors).toBeUndefined();
    expect(diffOf(answer)).toEqual({
      baseline: { number: 1, project: { name: "sigdiff" } },
      comparable: true,
      gap: null,
      acceptsBaselineInputs: true,
      incompatibilities: [],
      unchanged: false,
      inputs: {
        baselineKind: "COLUMNS",
        candidateKind: "COLUMNS",
        matchedByName: true,
        columnsAdded: [{ name: "country", type: "string", required: false }],
        columnsRemoved: [{ name: "channel", type: "string", required: false }],
        columnsChanged: [
          {
            name: "age_days",
            position: 1,
            typeChanged: true,
            requiredChanged: false,
            baseline: { type: "integer" },
            candidate: { type: "long" },
          },
        ],
      },
      outputs: { columnsAdded: [{ name: "label", type: "string" }], unchanged: false },
      params: {
        added: [],
        removed: [],
        changed: [
          {
            name: "threshold",
            defaultChanged: true,
            typeChanged: false,
            candidate: { default: "0.7" },
          },
        ],
      },
    });
    // The two MLmodels are S3 reads; the versions' s3:// sources need no other file lookup.
    expect(answer.extensions!.upstreamCalls!.byUpstream.s3).toBe(2);
  });

  it("says why a version refuses the baseline's inputs", async () => {
    const diff = diffOf(await as("both", DIFF, { n: 3, against: scorer(1) }));
    expect(diff.acceptsBaselineInputs).toBe(false);
    expect(diff.incompatibilities).toEqual([
      'requires input column "region", which the baseline does not have',
      'input column "amount" is double in the baseline and float here: MLflow does not convert double to float',
    ]);
    // The other way round, 1 accepts 3's inputs: narrower floats widen, region is dropped.
    const back = diffOf(await as("both", DIFF, { n: 1, against: scorer(3) }));
    expect(back).toMatchObject({ acceptsBaselineInputs: true, incompatibilities: [] });
  });

  it("answers not comparable, with the side that lacks a signature", async () => {
    const mine = diffOf(await as("both", DIFF, { n: 4, against: scorer(1) }));
    expect(mine).toMatchObject({
      comparable: false,
      gap: "CANDIDATE_HAS_NO_SIGNATURE",
      acceptsBaselineInputs: null,
      inputs: null,
    });
    const theirs = diffOf(await as("both", DIFF, { n: 1, against: scorer(4) }));
    expect(theirs).toMatchObject({ comparable: false, gap: "BASELINE_HAS_NO_SIGNATURE" });
  });

  it("compares against a version of another project", async () => {
    const answer = await as(
      "both",
      `query ($against: VersionRefInput!) {
        model(project: "sigdiff", name: "scorer") { version(number: 1) {
          signatureDiff(against: $against) { comparable inputs { columnsRemoved { name } columnsAdded { name } } }
        } }
        churn: model(project: "churn", name: "churn-import") { version(number: 1) {
          mlmodel { signature { inputs { columns { name } } } }
        } }
      }`,
      { against: { project: "churn", model: "churn-import", version: 1 } },
    );
    expect(answer.errors).toBeUndefined();
    const diff = answer.data!.model.version.signatureDiff;
    const seeded: string[] = answer.data!.churn.version.mlmodel.signature.inputs.columns.map(
      (c: { name: string }) => c.name,
    );
    const mine = ["amount", "age_days", "channel"];
    expect(seeded.length).toBeGreaterThan(0);
    expect(diff.comparable).toBe(true);
    expect(diff.inputs.columnsRemoved.map((c: { name: string }) => c.name)).toEqual(
      seeded.filter((name) => !mine.includes(name)),
    );
    expect(diff.inputs.columnsAdded.map((c: { name: string }) => c.name)).toEqual(
      mine.filter((name) => !seeded.includes(name)),
    );
  });

  it("is NOT_FOUND against a project the caller may not read, reading no file", async () => {
    const answer = await as("sigdiffOnly", DIFF, {
      n: 2,
      against: { project: "churn", model: "churn-import", version: 1 },
    });
    expect(answer.errors!.map((e) => e.extensions.code)).toEqual(["NOT_FOUND"]);
    expect(answer.data!.model.version.signatureDiff).toBeNull();
    const upstreams = Object.keys(answer.extensions!.upstreamCalls!.byUpstream);
    expect(upstreams).toEqual(["mlflow:sigdiff"]);
  });

  it("refuses an over-long name or a version out of range before any call", async () => {
    for (const against of [
      { project: "sigdiff", model: "m".repeat(257), version: 1 },
      { project: "p".repeat(64), model: "scorer", version: 1 },
      scorer(0),
    ]) {
      const answer = await as("both", DIFF, { n: 1, against });
      expect(answer.status).toBe(400);
      expect(answer.errors!.map((e) => e.extensions.code)).toEqual(["BAD_USER_INPUT"]);
      expect(answer.extensions?.upstreamCalls?.total ?? 0).toBe(0);
    }
  });
});
