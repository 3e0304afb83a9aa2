// A newcomer's clone has nothing beside it: no test, script or server file may read
// the project's ../shared folder (the sources the sample is made from are in data/sources).
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return name === 'node_modules' ? [] : files(path);
    return /\.(ts|js|svelte|json)$/.test(name) ? [path] : [];
  });
}

it('reads nothing outside the repository', () => {
  const offenders = ['server', 'client', 'scripts', 'test']
    .flatMap(files)
    .filter((f) => f !== join('test', 'config', 'self-contained.test.ts'))
    .filter((f) => /\.\.\/shared\b|\.\.\/\.\.\/shared\b/.test(readFileSync(f, 'utf8')));
  expect(offenders).toEqual([]);
});
