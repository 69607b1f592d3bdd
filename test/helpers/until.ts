/**
 * Waits until `condition` holds, checking it every `everyMs`; fails naming `what` (a text, or a
 * function that says what was found instead) once `timeoutMs` has passed (10 s unless told: as long
 * as `expect.poll` waits, vitest.config.ts).
 */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string | (() => string),
  { timeoutMs = 10_000, everyMs = 20 }: { timeoutMs?: number; everyMs?: number } = {},
): Promise<void> {
  const started = performance.now();
  while (!(await condition())) {
    if (performance.now() - started > timeoutMs)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${typeof what === 'string' ? what : what()}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}
