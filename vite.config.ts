import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { brotliCompress, constants, gzip } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const brotli = promisify(brotliCompress);
const gz = promisify(gzip);

/** Files worth sending compressed: text, above a size where the headers would outweigh the saving. */
const COMPRESSIBLE = /\.(?:js|css|html|svg|json|txt|map)$/;
const MIN_BYTES = 1024;

/**
 * Writes beside each built text asset its brotli (`.br`, best quality) and gzip (`.gz`) forms, once
 * at build time; the server sends the smallest form the browser accepts (server/app.ts).
 */
function precompress(): Plugin {
  return {
    name: 'alliance-precompress',
    apply: 'build',
    async writeBundle(options, bundle) {
      const outDir = options.dir ?? '';
      const files = Object.values(bundle)
        .filter((file) => COMPRESSIBLE.test(file.fileName))
        .map((file) => ({ name: file.fileName, data: Buffer.from(file.type === 'chunk' ? file.code : file.source) }))
        .filter((file) => file.data.length >= MIN_BYTES);
      await Promise.all(
        files.map(async ({ name, data }) => {
          const path = join(outDir, name);
          const params = { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: data.length };
          await writeFile(`${path}.br`, await brotli(data, { params }));
          await writeFile(`${path}.gz`, await gz(data, { level: 9 }));
        }),
      );
    },
  };
}

export default defineConfig({
  root: 'client',
  plugins: [precompress()],
  build: {
    outDir: '../dist',
    emptyOutDir: true,
    target: 'es2022',
    // The shell must stay small; charts load with the views that draw them.
    chunkSizeWarningLimit: 250,
  },
  server: {
    port: 5173,
    proxy: { '/api': 'http://127.0.0.1:3000' },
  },
});
