// `npm run check` (last step): the 300-line rule of issue 20. A source file in server/ or
// client/src (.ts, .js, .svelte, .css) over 300 lines is split into parts named for their
// job, or says why it is not in its first comment with the marker `300-line rule:` and a
// reason after it, e.g. `// 300-line rule: one table the tests read as a whole.`
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

export const LIMIT = 300;
export const MARKER = '300-line rule:';
const ROOTS = ['server', 'client/src'];
const SOURCES = new Set(['.ts', '.mts', '.js', '.mjs', '.svelte', '.css']);

/** The file's first comment: its leading `//` lines, or its opening block comment or HTML comment. */
export function firstComment(text: string): string {
  const body = text.replace(/^#![^\n]*\n/, '').trimStart();
  const block = /^(?:\/\*([\s\S]*?)\*\/|<!--([\s\S]*?)-->)/.exec(body);
  if (block) return block[1] ?? block[2] ?? '';
  const lines: string[] = [];
  for (const line of body.split('\n')) {
    if (!line.trimStart().startsWith('//')) break;
    lines.push(line.trimStart().slice(2));
  }
  return lines.join('\n');
}

/** Lines as `wc -l` counts them (a last line without a newline counts too). */
export const lineCount = (text: string): number => (text === '' ? 0 : text.split('\n').length - (text.endsWith('\n') ? 1 : 0));

/** Why a file this long may stay so, from its first comment; null without the marker or a reason after it. */
export function statedReason(text: string): string | null {
  const comment = firstComment(text);
  const at = comment.indexOf(MARKER);
  if (at < 0) return null;
  const reason = comment.slice(at + MARKER.length).trim();
  return reason ? reason.split('\n')[0]! : null;
}

function* sourceFiles(dir: string): Generator<string> {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) {
      if (entry.name !== 'node_modules') yield* sourceFiles(path);
    } else if (SOURCES.has(extname(entry.name)) && !entry.name.endsWith('.d.ts')) yield path;
  }
}

export interface Offender {
  path: string;
  lines: number;
}

/** The files over the limit without a stated reason, longest first. */
export function offenders(repo: string): Offender[] {
  const out: Offender[] = [];
  for (const root of ROOTS) {
    for (const file of sourceFiles(join(repo, root))) {
      const text = readFileSync(file, 'utf8');
      const lines = lineCount(text);
      if (lines <= LIMIT || statedReason(text) !== null) continue;
      out.push({ path: relative(repo, file), lines });
    }
  }
  return out.sort((a, b) => b.lines - a.lines);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const found = offenders(fileURLToPath(new URL('..', import.meta.url)));
  for (const o of found) console.error(`${o.path}: ${o.lines} lines, over ${LIMIT} with no "${MARKER}" reason in its first comment`);
  if (found.length) {
    console.error(`${found.length} file(s) in ${ROOTS.join(', ')} over ${LIMIT} lines: split them into parts named for their job, or state the reason.`);
    process.exit(1);
  }
  console.log(`file length: no file in ${ROOTS.join(', ')} over ${LIMIT} lines without a reason`);
}
