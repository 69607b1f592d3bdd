import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

/**
 * The folders' dependencies point one way. The graph is read from the sources with TypeScript's
 * own parser (every `import`, `export … from` and `import()` with a literal specifier), so a
 * cycle between two folders of server/ fails here, naming the files that close it.
 */

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

interface Edge {
  from: string;
  to: string;
  /** Whether the import brings types only (`import type`, `export type`), erased at run time. */
  typeOnly: boolean;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.tsx?$/.test(entry.name) && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Where a relative specifier of `file` points, from the root: `.js` written for `.ts`, or no extension at all. */
function resolveSpecifier(file: string, specifier: string): string {
  const path = relative(ROOT, resolve(ROOT, dirname(file), specifier))
    .split(sep)
    .join('/');
  if (path.endsWith('.js')) return `${path.slice(0, -3)}.ts`;
  if (/\.tsx?$/.test(path)) return path;
  // A folder's import ('../i18n') is its index.
  return existsSync(join(ROOT, `${path}.ts`)) || !existsSync(join(ROOT, path, 'index.ts')) ? `${path}.ts` : `${path}/index.ts`;
}

/**
 * The project's relative imports of `file` (with `packages`, its imports of packages instead), read
 * from its syntax tree: import and export declarations, `import('…')` calls (at run time) and
 * `import('…').Type` (types only). A specifier is type-only when every import of it is (`import
 * type`, `export type`, all names `type`, a type query).
 */
function importsOf(file: string, { packages = false } = {}): Edge[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const tree = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const runtime = new Map<string, boolean>();
  const note = (specifier: string, typeOnly: boolean) => {
    if (specifier.startsWith('.') !== packages) runtime.set(specifier, (runtime.get(specifier) ?? false) || !typeOnly);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const clause = node.importClause;
      const named = clause?.namedBindings;
      const erased =
        clause !== undefined &&
        (clause.isTypeOnly ||
          (clause.name === undefined &&
            named !== undefined &&
            ts.isNamedImports(named) &&
            named.elements.length > 0 &&
            named.elements.every((e) => e.isTypeOnly)));
      note(node.moduleSpecifier.text, erased);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      const named = node.exportClause;
      const erased =
        node.isTypeOnly ||
        (named !== undefined &&
          ts.isNamedExports(named) &&
          named.elements.length > 0 &&
          named.elements.every((e) => e.isTypeOnly));
      note(node.moduleSpecifier.text, erased);
    } else if (ts.isImportTypeNode(node)) {
      const argument = node.argument;
      if (ts.isLiteralTypeNode(argument) && ts.isStringLiteral(argument.literal)) note(argument.literal.text, true);
    } else if (
      ts.isCallExpression(node) &&
      node.expression.kind === ts.SyntaxKind.ImportKeyword &&
      node.arguments[0] !== undefined &&
      ts.isStringLiteralLike(node.arguments[0])
    ) {
      note(node.arguments[0].text, false);
    }
    ts.forEachChild(node, visit);
  };
  visit(tree);
  const from = file.split(sep).join('/');
  return [...runtime].map(([specifier, atRunTime]) => ({
    from,
    to: packages ? specifier : resolveSpecifier(file, specifier),
    typeOnly: !atRunTime,
  }));
}

const FILES = ['server', 'contract', 'client'].flatMap(sourceFiles);
const EDGES = FILES.flatMap((file) => importsOf(file));

/**
 * The first chain of run-time imports from a file of `from/` to a file that imports `pkg` at run
 * time, for each such file reached (a breadth-first search over the run-time edges).
 */
function chainsToPackage(from: string, pkg: string, edges: Edge[], packageEdges: Edge[]): string[] {
  const importing = new Set(
    packageEdges.filter((e) => !e.typeOnly && (e.to === pkg || e.to.startsWith(`${pkg}/`))).map((e) => e.from),
  );
  const next = new Map<string, string[]>();
  for (const e of edges) if (!e.typeOnly) next.set(e.from, [...(next.get(e.from) ?? []), e.to]);
  const chains: string[] = [];
  const previous = new Map<string, string | undefined>();
  // Every file of the folder, whatever it imports (one that imports only packages has no edge here).
  const files = [...edges, ...packageEdges].map((e) => e.from);
  const queue = [...new Set(files.filter((f) => f.startsWith(`${from}/`)))].sort();
  for (const start of queue) previous.set(start, undefined);
  while (queue.length > 0) {
    const file = queue.shift()!;
    if (importing.has(file)) {
      const chain = [file];
      while (previous.get(chain[0]!) !== undefined) chain.unshift(previous.get(chain[0]!)!);
      chains.push([...chain, pkg].join(' → '));
    }
    for (const to of next.get(file) ?? []) {
      if (previous.has(to)) continue;
      previous.set(to, file);
      queue.push(to);
    }
  }
  return chains;
}

/** server/kpi/compile.ts → server/kpi; a file at server/'s top (app.ts, config.ts) is its own node; contract/enums.ts → contract. */
const folderOf = (path: string): string => {
  const parts = path.split('/');
  if (parts[0] !== 'server') return parts[0]!;
  return parts.length > 2 ? `server/${parts[1]}` : path;
};

/** Every elementary cycle's first witness between the folders of server/ (Tarjan's components, then a path in each). */
function folderCycles(edges: Edge[]): string[][] {
  const between = new Map<string, Map<string, Edge>>();
  for (const edge of edges) {
    const from = folderOf(edge.from);
    const to = folderOf(edge.to);
    if (from === to || !from.startsWith('server/') || !to.startsWith('server/')) continue;
    if (!between.has(from)) between.set(from, new Map());
    if (!between.get(from)!.has(to)) between.get(from)!.set(to, edge);
  }
  const cycles: string[][] = [];
  const seen = new Set<string>();
  for (const start of [...between.keys()].sort()) {
    // A breadth-first search from each folder back to itself: the shortest cycle through it.
    const previous = new Map<string, string>();
    const queue = [start];
    let found = false;
    while (queue.length > 0 && !found) {
      const node = queue.shift()!;
      for (const next of [...(between.get(node)?.keys() ?? [])].sort()) {
        if (next === start) {
          const path = [node];
          while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
          const key = [...path].sort().join(' ');
          if (!seen.has(key)) {
            seen.add(key);
            cycles.push(
              path.map((folder, i) => {
                const edge = between.get(folder)!.get(path[i + 1] ?? start)!;
                return `${edge.from} → ${edge.to}`;
              }),
            );
          }
          found = true;
          break;
        }
        if (!previous.has(next) && next !== start) {
          previous.set(next, node);
          queue.push(next);
        }
      }
    }
  }
  return cycles;
}

describe('the import graph', () => {
  it('when the sources are read, then the graph has the files it should (the reader works)', () => {
    expect(FILES).toContain('server/app.ts');
    expect(EDGES.some((e) => e.from === 'server/main.ts' && e.to === 'server/app.ts')).toBe(true);
    expect(EDGES.some((e) => e.typeOnly)).toBe(true);
  });

  it('when a cycle is closed between folders, then the check finds it and names its files', () => {
    const planted: Edge[] = [
      { from: 'server/a/x.ts', to: 'server/b/y.ts', typeOnly: false },
      { from: 'server/b/y.ts', to: 'server/c/z.ts', typeOnly: false },
      { from: 'server/c/z.ts', to: 'server/a/w.ts', typeOnly: false },
      { from: 'server/a/w.ts', to: 'server/a/x.ts', typeOnly: false },
    ];
    expect(folderCycles(planted)).toEqual([
      ['server/a/x.ts → server/b/y.ts', 'server/b/y.ts → server/c/z.ts', 'server/c/z.ts → server/a/w.ts'],
    ]);
    expect(folderCycles(planted.slice(0, 2))).toEqual([]);
  });

  it('when the folders of server/ import one another, then no import closes a cycle between them', () => {
    const cycles = folderCycles(EDGES);
    expect(cycles.map((cycle) => cycle.join('\n    '))).toEqual([]);
  });

  it('when contract/ imports, then it imports nothing from server/ or client/', () => {
    const outward = EDGES.filter((e) => e.from.startsWith('contract/') && !e.to.startsWith('contract/'));
    expect(outward.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });

  it('when client/ loads the contract at run time, then nothing it loads imports zod (the schemas stay out of its bundle)', () => {
    const packageEdges = FILES.flatMap((file) => importsOf(file, { packages: true }));
    expect(packageEdges.some((e) => e.from === 'contract/kpi.ts' && e.to === 'zod' && !e.typeOnly)).toBe(true);
    // The check finds a chain when there is one: a planted import of a schema module.
    const planted = [...EDGES, { from: 'client/planted.ts', to: 'contract/kpi.ts', typeOnly: false }];
    expect(chainsToPackage('client', 'zod', planted, packageEdges)).toEqual(['client/planted.ts → contract/kpi.ts → zod']);
    // A file that imports a form of the package and nothing of the project's is found too.
    const direct = [...packageEdges, { from: 'client/direct.ts', to: 'zod/mini', typeOnly: false }];
    expect(chainsToPackage('client', 'zod', EDGES, direct)).toEqual(['client/direct.ts → zod']);
    expect(chainsToPackage('client', 'zod', EDGES, packageEdges)).toEqual([]);
  });

  it('when client/ imports from server/, then it imports types only (erased from the bundle)', () => {
    const runtime = EDGES.filter((e) => e.from.startsWith('client/') && e.to.startsWith('server/') && !e.typeOnly);
    expect(runtime.map((e) => `${e.from} → ${e.to}`)).toEqual([]);
  });
});
