import { existsSync } from "node:fs";

const SETPRIV = "/usr/bin/setpriv";

/**
 * The command line that runs `command` so that it gets SIGTERM when the test process dies
 * (util-linux `setpriv --pdeathsig`, which execs in place: the pid stays the command's own,
 * so signals a test sends reach it). Without it, a crashed jest worker would leave HAProxy and
 * gateway processes serving until the machine stops. Where setpriv is missing, as is.
 */
export function tiedToParent(command: string, args: string[]): [string, string[]] {
  return existsSync(SETPRIV)
    ? [SETPRIV, ["--pdeathsig", "SIGTERM", "--", command, ...args]]
    : [command, args];
}
