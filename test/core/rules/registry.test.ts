// The rule registry is the only registration, and every rule in it is documented and tested: a
// docs page with the sections a user looks for, bad SQL that the rule reports and good SQL that
// it does not (both run here), and a test file of its own.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { RULES, ruleById } from '../../../src/core/rules/registry';
import { ruleDocsPath } from '../../../src/core/rules/rule';
import { findingsOf } from './expect';

const root = path.resolve(__dirname, '..', '..', '..', '..');
const SECTIONS = ['## Why it matters', '## The safe alternative', '## Bad', '## Good'];

/** The fenced blocks under a `## Heading` of a docs page, with their language. */
function blocksUnder(page: string, heading: string): { language: string; code: string }[] {
  const start = page.indexOf(`\n${heading}\n`);
  if (start < 0) return [];
  const next = page.indexOf('\n## ', start + heading.length + 2);
  const section = page.slice(start, next < 0 ? undefined : next);
  return [...section.matchAll(/```(\w*)\n([\s\S]*?)```/g)].map((m) => ({ language: m[1]!, code: m[2]! }));
}

test('rule ids are unique kebab-case names, and ruleById finds each', () => {
  const ids = RULES.map((r) => r.id);
  assert.equal(new Set(ids).size, ids.length);
  for (const rule of RULES) {
    assert.match(rule.id, /^[a-z]+(-[a-z]+)*$/);
    assert.equal(ruleById(rule.id), rule);
    assert.ok(rule.summary.length > 10 && rule.help.length > 10, `${rule.id} needs a summary and help`);
  }
});

for (const rule of RULES) {
  test(`${rule.id}: has its docs page, its own test file, and its docs' bad SQL is reported and good SQL is not`, async () => {
    const docs = path.join(root, ruleDocsPath(rule.id));
    assert.ok(fs.existsSync(docs), `${ruleDocsPath(rule.id)} is missing`);
    const page = fs.readFileSync(docs, 'utf8');
    assert.ok(page.startsWith(`# ${rule.id}\n`), `${ruleDocsPath(rule.id)} must start with "# ${rule.id}"`);
    assert.match(page, new RegExp(`Default severity: \\*\\*${rule.defaultSeverity}\\*\\*`));
    // A rule whose findings a run confirms or contradicts says so on its page; no other does.
    assert.equal(page.includes('\n## Measured in a run\n'), rule.claims !== undefined, `${ruleDocsPath(rule.id)}: "## Measured in a run" only and always for rules with claims`);
    for (const section of SECTIONS) assert.ok(page.includes(`\n${section}\n`), `${ruleDocsPath(rule.id)} has no "${section}" section`);
    assert.ok(fs.existsSync(path.join(root, 'test', 'core', 'rules', `${rule.id}.test.ts`)), `test/core/rules/${rule.id}.test.ts is missing`);
    const mode = rule.when === 'applying' ? { mode: 'apply' as const } : {};
    const bad = blocksUnder(page, '## Bad');
    const good = blocksUnder(page, '## Good');
    assert.ok(bad.length > 0 && good.length > 0, 'bad and good examples are code blocks');
    for (const block of bad.filter((b) => b.language === 'sql')) {
      assert.ok((await findingsOf(block.code, mode)).some((f) => f.ruleId === rule.id), `bad example not reported:\n${block.code}`);
    }
    for (const block of good.filter((b) => b.language === 'sql')) {
      assert.deepEqual((await findingsOf(block.code, mode)).filter((f) => f.ruleId === rule.id), [], `good example reported:\n${block.code}`);
    }
  });
}

test('every docs page under docs/rules belongs to a rule in the registry', () => {
  const pages = fs.readdirSync(path.join(root, 'docs', 'rules')).filter((f) => f.endsWith('.md')).map((f) => f.replace(/\.md$/, ''));
  assert.deepEqual(pages.filter((id) => !ruleById(id)), []);
});
