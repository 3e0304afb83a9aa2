// Every word a screen shows comes from its language's dictionary (issue 20, part 8): no
// Chinese written into a component, a map layer or a helper, so an English screen is
// English. Comments may say anything; the few Chinese strings English needs on purpose
// (the switch back to 中文, headings that are Chinese in the data, the map providers'
// own names) are listed here.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = 'client/src';
const CJK = /[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]/;
/** Files and the Chinese they may hold outside comments. */
const ALLOWED: Record<string, RegExp> = {
  'map/style.ts': /© (天地图|高德地图)/,
  'i18n/en/common.ts': /language: '中文'/,
  'i18n/en/imports.ts': /(Headings|Attribute names) in Chinese or English/,
};

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : /\.(ts|svelte)$/.test(name) ? [path] : [];
  });
}

/** The file without its comments (HTML, block and line), lines kept in place. */
const code = (text: string) =>
  text
    .replace(/<!--[\s\S]*?-->/g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' '))
    .replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

describe('words come from the dictionaries', () => {
  it('leaves Chinese out of every client file but the zh dictionary', () => {
    const found: string[] = [];
    for (const path of files(ROOT)) {
      const name = relative(ROOT, path);
      if (name.startsWith('i18n/zh/')) continue;
      code(readFileSync(path, 'utf8'))
        .split('\n')
        .forEach((line, i) => {
          if (CJK.test(line) && !ALLOWED[name]?.test(line)) found.push(`${name}:${i + 1}: ${line.trim()}`);
        });
    }
    expect(found).toEqual([]);
  });
});
