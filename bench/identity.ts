import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { exportJWK, generateKeyPair, SignJWT } from "jose";

const ISSUER = "https://idp.bench.local/";
const AUDIENCE = "registry-graph-bench";

/** What the bench's gateway is told of its identity provider, and the one caller it signs for. */
export interface BenchIdentity {
  /** The gateway's `auth:` section: JWTs verified against this JWKS, its group admin of all. */
  auth: Record<string, unknown>;
  /** The `Authorization` header every gateway request of the bench sends. */
  authorization: string;
  close(): Promise<void>;
}

/**
 * An identity provider of the bench's own: an RS256 key (what most IdPs sign with), its JWKS
 * served over HTTP as an IdP serves it, and one JWT for the bench's caller, valid for a day.
 * The gateway then verifies a JWT on every request, as it would in front of real users.
 */
export async function startBenchIdentity(): Promise<BenchIdentity> {
  const { privateKey, publicKey } = await generateKeyPair("RS256");
  const jwks = JSON.stringify({
    keys: [{ ...(await exportJWK(publicKey)), kid: "bench-1", alg: "RS256", use: "sig" }],
  });
  const server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end(jwks);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const token = await new SignJWT({ groups: ["bench"] })
    .setProtectedHeader({ alg: "RS256", kid: "bench-1" })
    .setIssuer(ISSUER)
    .setAudience(AUDIENCE)
    .setSubject("bench")
    .setIssuedAt()
    .setExpirationTime("24h")
    .sign(privateKey);
  return {
    auth: {
      jwt: {
        jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks.json`,
        issuer: ISSUER,
        audience: AUDIENCE,
        algorithms: ["RS256"],
        roles: { bench: [{ project: "*", role: "admin" }] },
      },
    },
    authorization: `Bearer ${token}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
