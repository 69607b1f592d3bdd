import { fileURLToPath } from 'node:url';
import { build } from 'vite';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Builds the client with the project's vite.config.ts (what `npm start` serves) into `outDir`.
 * The tests and the bench build into a directory of their own rather than `dist/`: the build
 * empties its output first, which would pull files from under a server that another person is
 * running from the same checkout. The build takes about a second, so it is never skipped.
 */
export async function buildClient(outDir: string): Promise<void> {
  await build({
    configFile: `${ROOT}vite.config.ts`,
    root: `${ROOT}client`,
    logLevel: 'warn',
    build: { outDir, emptyOutDir: true },
  });
}
