/**
 * Why the gateway closes a subscription socket: graphql-ws's codes where it has one (4400-4499
 * mirror HTTP statuses), RFC 6455's otherwise. graphql-ws clients retry on all but 4401.
 */
export const CloseCode = {
  /** The gateway is stopping (RFC 6455 Going Away). */
  GOING_AWAY: 1001,
  /** A message over the size limit (RFC 6455 Message Too Big; ws sends it itself). */
  MESSAGE_TOO_BIG: 1009,
  /** Too many connections, or the identity provider's keys are unreachable: retry later. */
  TRY_AGAIN_LATER: 1013,
  /** The client does not read its events fast enough: its queue or its socket filled. */
  SLOW_SUBSCRIBER: 4008,
  /** The credentials were refused, or none were sent where some are needed. */
  UNAUTHORIZED: 4401,
  /** The caller is known but may read no project. */
  FORBIDDEN: 4403,
  /** A failure of the gateway's own; the detail is logged. */
  INTERNAL_ERROR: 4500,
} as const;

/** RFC 6455 allows 123 bytes of reason in a close frame (ws throws past it). */
const MAX_REASON_BYTES = 123;

/** `reason`, cut to fit a close frame. */
export function closeReason(reason: string): string {
  if (Buffer.byteLength(reason) <= MAX_REASON_BYTES) return reason;
  let cut = reason.slice(0, MAX_REASON_BYTES - 1);
  while (Buffer.byteLength(`${cut}…`) > MAX_REASON_BYTES) cut = cut.slice(0, -1);
  return `${cut}…`;
}
