// Runs after the last test file, whether tests passed or failed; if jest itself dies, the
// supervisor sees its stdin close and stops the servers anyway.
export default async function globalTeardown() {
  await globalThis.registryGraphStack?.stop();
}
