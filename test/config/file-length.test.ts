// The 300-line rule's reader (scripts/check-file-length.ts, run by npm run check): a long file
// passes only with the marker and a reason in its first comment, wherever that comment is written.
import { describe, expect, it } from 'vitest';
import { firstComment, lineCount, statedReason } from '../../scripts/check-file-length.ts';

describe('the 300-line rule', () => {
  it('reads the reason after the marker in the first comment, in each comment style', () => {
    expect(statedReason('// Does a thing.\n// 300-line rule: one table read as a whole.\nconst x = 1;\n')).toBe('one table read as a whole.');
    expect(statedReason('/**\n * 300-line rule: one state machine.\n */\nexport {};\n')).toBe('one state machine.');
    expect(statedReason('<!-- 300-line rule: the form and its checks. -->\n<script></script>\n')).toBe('the form and its checks.');
    expect(statedReason('#!/usr/bin/env node\n// 300-line rule: a CLI.\n')).toBe('a CLI.');
  });

  it('finds no reason without the marker, with the marker alone, or in a later comment', () => {
    expect(statedReason('// A long file.\nconst x = 1;\n')).toBeNull();
    expect(statedReason('// 300-line rule:\nconst x = 1;\n')).toBeNull();
    expect(statedReason('// A long file.\nconst x = 1;\n// 300-line rule: too late.\n')).toBeNull();
    expect(firstComment('const x = 1; // 300-line rule: not a first comment\n')).toBe('');
  });

  it('counts lines as wc -l does', () => {
    expect([lineCount(''), lineCount('a\n'), lineCount('a\nb'), lineCount('a\nb\n')]).toEqual([0, 1, 2, 2]);
  });
});
