/**
 * Writes docs/api.md's tables of measures and dimensions from the registry, so the documentation
 * cannot drift from what the API answers (test/unit/docs.test.ts checks it).
 * Usage: npm run docs:api
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { withRegistryDocs } from '../server/kpi/registry-docs.js';

const path = new URL('../docs/api.md', import.meta.url);
writeFileSync(path, withRegistryDocs(readFileSync(path, 'utf8')));
