import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { ROOT } from './process.js';

/** The entry points a test runs as a process of its own, by the script name `runTs` is given. */
export const BUNDLED_SCRIPTS = { 'server/main.ts': 'main', 'server/cli/main.ts': 'cli' } as const;

export type ServerBundle = Partial<Record<keyof typeof BUNDLED_SCRIPTS, string>>;

/**
 * The server and the command line compiled once per test run, for the tests that start them as
 * processes (test/helpers/process.ts `runTs`): loading the sources through the TypeScript loader
 * costs a second or more of compiling and resolving per process, and the suite starts dozens.
 * The packages stay outside the bundle (node_modules is found from its place under the project),
 * and each file's `import.meta.url` stays its own source's URL, so that the paths the server
 * derives from it (sql/, dist/) are the ones it has under `npm start`.
 */
export async function buildServerBundle(): Promise<{ scripts: ServerBundle; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(ROOT, 'node_modules', '.cache-server-bundle-'));
  await build({
    entryPoints: Object.fromEntries(Object.entries(BUNDLED_SCRIPTS).map(([script, name]) => [name, join(ROOT, script)])),
    bundle: true,
    splitting: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'inline',
    outdir: dir,
    outExtension: { '.js': '.mjs' },
    logLevel: 'error',
    plugins: [
      {
        name: 'own-import-meta-url',
        setup(context) {
          context.onLoad({ filter: /\.ts$/ }, async ({ path }) => ({
            contents: (await readFile(path, 'utf8')).replaceAll('import.meta.url', JSON.stringify(pathToFileURL(path).href)),
            loader: 'ts',
          }));
        },
      },
    ],
  });
  const scripts: ServerBundle = {};
  for (const [script, name] of Object.entries(BUNDLED_SCRIPTS) as [keyof typeof BUNDLED_SCRIPTS, string][])
    scripts[script] = join(dir, `${name}.mjs`);
  return { scripts, remove: () => rm(dir, { recursive: true, force: true }) };
}
