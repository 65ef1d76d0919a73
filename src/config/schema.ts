import { z } from "zod";
import { authSchema } from "./auth.js";
import { httpUrl } from "./url.js";

const MiB = 1_048_576;

/** `s3://bucket[/prefix]`, the form `mlflow server --artifacts-destination` takes. */
export const s3UriPattern = /^s3:\/\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])(?:\/(.*))?$/;

const s3Uri = z.string().regex(s3UriPattern, "must be an s3://bucket/prefix URI");

const auth = z
  .discriminatedUnion("type", [
    z.strictObject({ type: z.literal("none") }),
    z.strictObject({
      type: z.literal("basic"),
      username: z.string().min(1),
      password: z.string(),
    }),
    z.strictObject({ type: z.literal("bearer"), token: z.string().min(1) }),
  ])
  .default({ type: "none" });

const project = z.strictObject({
  name: z
    .string()
    .regex(/^[a-z0-9][a-z0-9_-]{0,62}$/, "must be 1-63 lowercase letters, digits, '-' or '_'"),
  mlflow: z.strictObject({
    url: httpUrl,
    // MLflow 3.10+ workspaces: sent as X-MLFLOW-WORKSPACE on every call.
    workspace: z
      .string()
      .regex(/^(?!.*--)[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "must be a valid MLflow workspace name")
      .optional(),
    auth,
    timeoutMs: z.int().min(1).max(600_000).default(10_000),
    concurrency: z.int().min(1).max(256).default(8),
    // The largest answer read from this server, cut off as it streams: a listing page of 5,000
    // versions with their tags is a few MB; a broken or hostile server cannot fill the heap.
    maxResponseBytes: z
      .int()
      .min(1024)
      .max(1024 * MiB)
      .default(16 * MiB),
    // Pages one listing may follow (1,000 models or 5,000 versions a page): a server whose
    // page tokens never end is an error, not a loop.
    maxPages: z.int().min(1).max(100_000).default(100),
  }),
  // MLflow 3.3+ webhooks for this project (docs/live.md): what its deliveries are signed with.
  webhook: z
    .strictObject({
      // The HMAC secret MLflow signs deliveries with; a delivery it does not verify gets 401.
      secret: z.string().min(16, "must be at least 16 characters").max(1024),
      // Create (or repair) the gateway's webhook on this server at start; needs events.publicUrl.
      register: z.boolean().default(false),
    })
    .optional(),
  artifacts: z
    .strictObject({
      // What `mlflow-artifacts:/` URIs of this project resolve to (the server's --artifacts-destination).
      destination: s3Uri.optional(),
      // Where the gateway writes this project's uploads and promoted versions.
      root: s3Uri.optional(),
      // Further prefixes the project's files lie under (beside destination and root), e.g. a
      // --default-artifact-root; the gateway reads, copies and registers nowhere else.
      allowedSources: z.array(s3Uri).optional(),
    })
    .optional(),
});

// What one request may ask for, checked before it runs (src/server/limits/); docs/limits.md
// says why each default is what it is.
const limits = z.strictObject({
  // Off only to measure what the checks cost (the bench's no_limits ablation).
  enabled: z.boolean().default(true),
  maxDepth: z.int().min(1).max(1000).default(12),
  maxAliases: z.int().min(0).max(100_000).default(15),
  maxRootFields: z.int().min(1).max(100_000).default(10),
  maxTokens: z.int().min(1).max(1_000_000).default(1000),
  maxDirectives: z.int().min(0).max(100_000).default(50),
  maxCost: z.int().min(1).default(25_000),
  // The cost of the requests running at once: what bounds their memory together.
  maxCostInFlight: z.int().min(1).default(50_000),
  // Upstream calls (MLflow and S3, shared and cached reads free) one request may send; the
  // bench's dashboard sends 4 a project, so 500 serves ~100 projects with pages to spare.
  maxUpstreamCalls: z.int().min(1).max(1_000_000).default(500),
  // How long one request may execute; then its calls are aborted and it answers what it has.
  requestTimeoutMs: z.int().min(1).max(3_600_000).default(30_000),
});

const server = z.strictObject({
  host: z.string().min(1).default("0.0.0.0"),
  port: z.int().min(0).max(65_535).default(4000),
  // Adds the per-request upstream call count to every response's extensions.
  exposeUpstreamCalls: z.boolean().default(false),
  maxPageSize: z.int().min(1).max(10_000).default(500),
  defaultPageSize: z.int().min(1).max(10_000).default(50),
  maxRequestBytes: z.int().min(1024).default(1_048_576),
  // GraphQL requests executing at once (the bound on the gateway's memory), and how many more
  // may wait for a turn before new ones get 503 (src/server/admission.ts).
  maxConcurrentRequests: z.int().min(1).max(10_000).default(8),
  maxQueuedRequests: z.int().min(0).max(100_000).default(1000),
  // Start the loads a query's selection will need alongside the call they depend on
  // (src/registry/read-ahead/). Off only to measure what it saves.
  prefetch: z.boolean().default(true),
  // The schema answers introspection (GraphiQL and codegen need it); when off, validation
  // errors no longer suggest field names ("Did you mean …") either.
  introspection: z.boolean().default(true),
  // Serve a Federation 2 subgraph (keys on Project, Model, Version, Run; `_entities`) for a
  // router to compose into a supergraph; off, the standalone schema (docs/federation.md).
  federation: z.boolean().default(false),
  limits: limits.prefault({}),
  readiness: z
    .strictObject({
      // /readyz answers from a probe at most this old: one check per upstream per period.
      cacheMs: z.int().min(0).max(600_000).default(5_000),
      // Per-project and bucket detail in /readyz (names, versions, errors); off: status only.
      details: z.boolean().default(false),
    })
    .prefault({}),
  // How long an idle keep-alive connection stays open. Above the load balancer's own idle
  // timeout (AWS ALB 60 s; HAProxy reuses idle connections for seconds), so that the balancer
  // closes idle connections, never the gateway at the instant the balancer sends on one: that
  // race fails the request with a 502 or a closed connection. Node's default is 5 s.
  keepAliveTimeoutMs: z.int().min(1000).max(600_000).default(65_000),
  // What SIGTERM does (src/cli/serve.ts): /readyz fails at once while requests are still
  // served for drainDelayMs, long enough for a load balancer that follows /readyz to stop
  // sending (HAProxy: inter × fall and one check's time); then the listener closes and requests
  // in flight get gracePeriodMs to finish before their connections are closed.
  shutdown: z
    .strictObject({
      drainDelayMs: z.int().min(0).max(600_000).default(5_000),
      gracePeriodMs: z.int().min(0).max(600_000).default(10_000),
    })
    .prefault({}),
});

const s3 = z.strictObject({
  endpoint: httpUrl.optional(),
  region: z.string().min(1).default("us-east-1"),
  forcePathStyle: z.boolean().default(false),
  timeoutMs: z.int().min(1).max(600_000).default(10_000),
  credentials: z
    .strictObject({
      accessKeyId: z.string().min(1),
      secretAccessKey: z.string().min(1),
      sessionToken: z.string().min(1).optional(),
    })
    .optional(),
});

const artifacts = z.strictObject({
  // The longest a presigned download link may live, and its default (15 minutes).
  downloadUrlMaxExpirySeconds: z.int().min(1).max(604_800).default(900),
  // The largest file `Artifact.text` returns; a larger one is an error, never a cut answer.
  textMaxBytes: z.int().min(1).max(16_777_216).default(262_144),
});

const uploads = z.strictObject({
  // Files above this size get presigned part URLs (multipart) instead of one PUT URL.
  multipartThresholdBytes: z
    .int()
    .min(5 * MiB)
    .default(64 * MiB),
  // S3 wants parts of 5 MiB to 5 GiB, at most 10,000 of them.
  partSizeBytes: z
    .int()
    .min(5 * MiB)
    .max(5 * 1024 * MiB)
    .default(64 * MiB),
  maxFileBytes: z
    .int()
    .min(1)
    .max(5 * 1024 * 1024 * MiB)
    .default(50 * 1024 * MiB),
  maxFiles: z.int().min(1).max(10_000).default(1000),
  // All files of one upload together: what one session may make S3 store before it is
  // verified (two files at maxFileBytes).
  maxUploadBytes: z
    .int()
    .min(1)
    .default(100 * 1024 * MiB),
  // Presigned URLs one upload gets (one per single-PUT file, one per part): bounds the answer
  // (~560 bytes a URL) and the signing (~0.5 ms of CPU a URL with the SDK's presigner).
  // maxUploadBytes in partSizeBytes parts is 1,600 of them.
  maxParts: z.int().min(1).max(100_000).default(2000),
  // How long the presigned upload URLs live; an upload not completed by then is abandoned.
  urlExpirySeconds: z.int().min(60).max(604_800).default(3600),
});

const mlflowReads = z.strictObject({
  // Concurrent requests that need the same MLflow read share one call.
  shareInFlight: z.boolean().default(true),
  // A cache of MLflow reads shared by all requests; 0 turns it off. Registry reads of a project
  // whose change events are live stay until an event says they changed (or liveCacheTtlMs);
  // other reads (runs, experiments), and every read of a project whose events are not live,
  // stay this long: the staleness bound when events fail (docs/live.md).
  cacheTtlMs: z.int().min(0).max(600_000).default(5_000),
  liveCacheTtlMs: z.int().min(0).max(3_600_000).default(300_000),
  cacheMaxBytes: z
    .int()
    .min(1)
    .default(64 * MiB),
});

// Prometheus metrics (docs/operating.md).
const metrics = z.strictObject({
  // Off only to measure what they cost (the bench's no_metrics ablation): no /metrics at all.
  enabled: z.boolean().default(true),
  // A port of its own for /metrics, kept off the public one (e.g. 9464); unset: the main port.
  port: z.int().min(0).max(65_535).optional(),
  host: z.string().min(1).default("0.0.0.0"),
  // Distinct operation names kept as labels; later names count as "other" (bounded series).
  maxOperationNames: z.int().min(1).max(10_000).default(200),
});

// OpenTelemetry traces (docs/operating.md); where they go is set by the standard OTEL_* variables.
const tracing = z.strictObject({
  enabled: z.boolean().default(false),
  serviceName: z.string().min(1).default("registry-graph"),
});

// Change events and the live cache (docs/live.md).
const events = z.strictObject({
  // Off: no probe, no webhooks, no registryEvents; the cache keeps to cacheTtlMs.
  enabled: z.boolean().default(true),
  // How often each project's MLflow is asked what changed (two listings a project): the bound
  // on how late a change webhooks do not carry shows.
  pollMs: z.int().min(250).max(600_000).default(3_000),
  // How events reach every replica: memory (one process) or redis (pub/sub).
  bus: z.enum(["memory", "redis"]).default("memory"),
  redis: z
    .strictObject({
      url: z
        .string()
        .regex(/^rediss?:\/\//, "must be a redis:// or rediss:// URL")
        .default("redis://127.0.0.1:6379"),
      // The pub/sub channel, and the prefix of the probe leader's lock key.
      channel: z.string().min(1).max(200).default("registry-graph:events"),
    })
    .prefault({}),
  // The gateway's address as MLflow reaches it; webhooks are registered at
  // <publicUrl>/webhooks/mlflow/<project>.
  publicUrl: httpUrl.optional(),
  webhooks: z
    .strictObject({
      // A delivery whose X-MLflow-Timestamp is further than this from now is a replay: 401.
      toleranceSeconds: z.int().min(1).max(3600).default(300),
      // The largest body read; MLflow's payloads are a few KB.
      maxBodyBytes: z
        .int()
        .min(1024)
        .max(16 * MiB)
        .default(256 * 1024),
    })
    .prefault({}),
  subscriptions: z
    .strictObject({
      // Open graphql-ws connections, and subscriptions on one connection.
      maxConnections: z.int().min(0).max(100_000).default(1000),
      maxPerConnection: z.int().min(1).max(1000).default(20),
      // Events waiting for a subscriber that does not read; past this it is dropped (close 4008).
      // Above the hub's 500 events a message, so a probe's burst never drops a reader. A queue
      // holds references to events every subscriber shares, 8 bytes each.
      maxQueuedEvents: z.int().min(1).max(100_000).default(1000),
    })
    .prefault({}),
});

export const configSchema = z.strictObject({
  // Where the gateway keeps what any replica must see: idempotency records, upload sessions.
  state: z.strictObject({ uri: s3Uri }).optional(),
  server: server.prefault({}),
  s3: s3.prefault({}),
  artifacts: artifacts.prefault({}),
  uploads: uploads.prefault({}),
  mlflowReads: mlflowReads.prefault({}),
  // Who may call the gateway and what each caller may do (docs/auth.md).
  auth: authSchema.prefault({}),
  metrics: metrics.prefault({}),
  tracing: tracing.prefault({}),
  events: events.prefault({}),
  // Duplicate names are refused in load.ts, which sees them even when an entry is invalid.
  projects: z.array(project).min(1, "must list at least one project"),
});
export type Config = z.infer<typeof configSchema>;
export type ProjectConfig = Config["projects"][number];
export type S3Config = Config["s3"];
export type ServerConfig = Config["server"];
export type LimitsConfig = ServerConfig["limits"];
export type ArtifactsConfig = Config["artifacts"];
export type UploadsConfig = Config["uploads"];
export type MetricsConfig = Config["metrics"];
export type EventsConfig = Config["events"];
export type AuthConfig = Config["auth"];
export type JwtConfig = NonNullable<AuthConfig["jwt"]>;
