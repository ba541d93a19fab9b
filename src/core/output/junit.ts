// JUnit XML (what GitLab's test reports, Jenkins and GitHub's JUnit report actions read): one
// testsuite per file, one testcase per rule that reported in that file (classname the file, name
// the rule id: stable across commits, so "newly failing" compares like with like), failed when the
// rule reported an error there. Warnings and notes stay passing and are listed in the testcase's
// system-out. A file with no findings gets one passing testcase, so every file checked shows.
import type { Finding } from '../model/findings';
import { relativeToBase } from './relativePath';

/** The testcase of a file without findings. */
export const CLEAN_FILE_TESTCASE = 'drydock';

// XML 1.0 allows tab, LF, CR and the characters from U+0020 up, less the surrogates and U+FFFE/U+FFFF;
// a migration's text can hold anything else (a NUL, an ESC), which no parser would read back.
const NOT_XML = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu;

/** Text as XML character data or an attribute value: escaped, and the characters XML cannot hold removed. */
export function xmlText(text: string): string {
  return text.replace(NOT_XML, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\r/g, '&#13;');
}

function attributes(values: Record<string, string | number>): string {
  return Object.entries(values).map(([k, v]) => ` ${k}="${xmlText(String(v)).replace(/\n/g, '&#10;').replace(/\t/g, '&#9;')}"`).join('');
}

function findingText(f: Finding, path: string): string {
  return `${path}:${f.range.start.line}:${f.range.start.column} ${f.severity} ${f.message}${f.help ? `\n  ${f.help}` : ''}`;
}

function testcase(path: string, rule: string, findings: readonly Finding[]): string[] {
  const errors = findings.filter((f) => f.severity === 'error');
  const others = findings.filter((f) => f.severity !== 'error');
  const first = errors[0] ?? findings[0];
  const head = `    <testcase${attributes({ classname: path, name: rule, file: path, ...(first ? { line: first.range.start.line } : {}) })}`;
  if (findings.length === 0) return [`${head}/>`];
  const lines = [`${head}>`];
  if (errors.length > 0) {
    const message = errors.length === 1 ? errors[0]!.message : `${errors.length} errors; first: ${errors[0]!.message}`;
    lines.push(`      <failure${attributes({ type: rule, message })}>${xmlText(errors.map((f) => findingText(f, path)).join('\n'))}</failure>`);
  }
  if (others.length > 0) lines.push(`      <system-out>${xmlText(others.map((f) => findingText(f, path)).join('\n'))}</system-out>`);
  lines.push('    </testcase>');
  return lines;
}

/** The findings over the files as a JUnit XML document, in lines. */
export function findingsToJunit(files: readonly string[], findings: readonly Finding[], options: { baseDir: string }): string[] {
  const byFile = new Map<string, Map<string, Finding[]>>();
  const pathOf = (file: string) => relativeToBase(file, options.baseDir);
  for (const file of files) byFile.set(pathOf(file), new Map());
  for (const f of findings) {
    const rules = byFile.get(pathOf(f.file)) ?? byFile.set(pathOf(f.file), new Map()).get(pathOf(f.file))!;
    rules.set(f.ruleId, [...(rules.get(f.ruleId) ?? []), f]);
  }
  const suites: string[][] = [];
  let tests = 0;
  let failures = 0;
  for (const [path, rules] of byFile) {
    const cases = rules.size === 0 ? [[CLEAN_FILE_TESTCASE, []] as const] : [...rules];
    const failed = cases.filter(([, fs]) => fs.some((f) => f.severity === 'error')).length;
    tests += cases.length;
    failures += failed;
    suites.push([
      `  <testsuite${attributes({ name: path, tests: cases.length, failures: failed, errors: 0, skipped: 0 })}>`,
      ...cases.flatMap(([rule, fs]) => testcase(path, rule, fs)),
      '  </testsuite>',
    ]);
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites${attributes({ name: 'drydock', tests, failures, errors: 0 })}>`,
    ...suites.flat(),
    '</testsuites>',
  ];
}
