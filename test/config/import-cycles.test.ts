// Layers run one way (issue 20, part 4): no module of server/, client/src or scripts/ reaches
// itself again through its imports, type-only imports included (a cycle of types is still two
// files that cannot be read apart). ESLint has no cycle rule without a plugin; this is it.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : files(path);
    return /\.(ts|svelte)$/.test(name) && !name.endsWith('.d.ts') ? [path] : [];
  });
}

/** The project files a module imports (relative specifiers only; packages are outside). */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  const out: string[] = [];
  for (const m of text.matchAll(/(?:\bfrom\s*|\bimport\s*\(?\s*)['"](\.{1,2}\/[^'"]+)['"]/g)) {
    const target = normalize(join(dirname(file), m[1]!));
    for (const candidate of [target, `${target}.ts`, join(target, 'index.ts')]) {
      if (existsSync(candidate) && statSync(candidate).isFile()) {
        out.push(candidate);
        break;
      }
    }
  }
  return out;
}

/** Strongly connected components of more than one file, or a file importing itself (Tarjan). */
function cycles(graph: Map<string, string[]>): string[][] {
  let index = 0;
  const stack: string[] = [];
  const on = new Set<string>();
  const idx = new Map<string, number>();
  const low = new Map<string, number>();
  const found: string[][] = [];
  const visit = (v: string) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!idx.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v)!, idx.get(w)!));
    }
    if (low.get(v) !== idx.get(v)) return;
    const component: string[] = [];
    let w: string;
    do {
      w = stack.pop()!;
      on.delete(w);
      component.push(w);
    } while (w !== v);
    if (component.length > 1 || (graph.get(v) ?? []).includes(v)) found.push(component.sort());
  };
  for (const v of graph.keys()) if (!idx.has(v)) visit(v);
  return found;
}

it('has no import cycle in server/, client/src or scripts/', () => {
  const graph = new Map<string, string[]>();
  for (const file of ['server', join('client', 'src'), 'scripts'].flatMap(files)) graph.set(file, importsOf(file));
  // The scan reads the tree: hundreds of files and their imports (Svelte components' too).
  expect(graph.size).toBeGreaterThan(250);
  expect([...graph.values()].flat().length).toBeGreaterThan(800);
  expect(graph.get(join('client', 'src', 'views', 'imports', 'GridImport.svelte'))).toContain(join('client', 'src', 'views', 'imports', 'GridPreviewMap.svelte'));
  expect(cycles(graph)).toEqual([]);
});

it('finds a cycle when there is one', () => {
  const graph = new Map([
    ['a.ts', ['b.ts']],
    ['b.ts', ['c.ts']],
    ['c.ts', ['a.ts']],
    ['d.ts', ['a.ts']],
  ]);
  expect(cycles(graph)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
});
