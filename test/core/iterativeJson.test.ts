// Walks and JSON for trees of any depth and reports of any size: the same visits a recursive walk
// makes, and the same text JSON.stringify writes.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { jsonChunks } from '../../src/core/output/jsonChunks';
import { loadParser, parseMigrationSync } from '../../src/core/parse/parseMigration';
import { isPositionKey, treeWithoutPositions } from '../../src/core/parse/pgParser';
import { treeJson, walkTree } from '../../src/core/parse/treeWalk';
import { exampleMigrations } from '../support/database';

before(() => loadParser());

const SAMPLES: unknown[] = [
  null, 0, -1.5, 'a "quoted" \\ line\nbreak', true, [], {}, [undefined, () => 1, null], { a: undefined, b: [1, { c: 'd' }], e: {} },
  { nested: [[[]], [{}], { x: [1, 2, 3] }], toJSON: undefined },
];

test('treeJson and jsonChunks write what JSON.stringify writes (plain data, every example migration\'s parse trees)', () => {
  const trees = exampleMigrations().flatMap((f) => parseMigrationSync(f.path, f.text).statements.map((s) => s.node));
  for (const value of [...SAMPLES, ...trees]) {
    assert.equal(treeJson(value), JSON.stringify(value));
    assert.equal([...jsonChunks(value)].join(''), JSON.stringify(value, null, 2));
  }
  // A report's values (dates say what their toJSON says).
  const report = { startedAt: new Date(0), statements: [{ sql: 'SELECT 1', rows: null, notices: [] }] };
  assert.equal([...jsonChunks(report)].join(''), JSON.stringify(report, null, 2));
  for (const tree of trees) {
    assert.equal(treeWithoutPositions(tree), JSON.stringify(tree, (key, value: unknown) => (isPositionKey(key) ? undefined : value)));
  }
});

test('a tree 100,000 levels deep is written, where JSON.stringify runs out of stack', () => {
  let deep: unknown = { leaf: 1 };
  for (let i = 0; i < 100_000; i++) deep = { A_Expr: { lexpr: deep, location: i } };
  assert.throws(() => JSON.stringify(deep), RangeError);
  const written = treeJson(deep, { skipKey: isPositionKey });
  assert.equal(written.length, 100_000 * '{"A_Expr":{"lexpr":}}'.length + '{"leaf":1}'.length);
  // Indented, a tree that deep would be gigabytes of spaces: 3,000 levels show the pieces need no stack either.
  let indented: unknown = { leaf: 1 };
  for (let i = 0; i < 3_000; i++) indented = { lexpr: indented };
  assert.equal(treeJson(JSON.parse([...jsonChunks(indented)].join(''))), treeJson(indented));
});

/** The objects of a tree in document order, parents first, by plain recursion (the reference). */
function visitedRecursively(tree: unknown, out: unknown[] = []): unknown[] {
  if (Array.isArray(tree)) for (const item of tree) visitedRecursively(item, out);
  else if (tree !== null && typeof tree === 'object') {
    out.push(tree);
    for (const value of Object.values(tree)) visitedRecursively(value, out);
  }
  return out;
}

test('walkTree visits what a recursive walk visits, in the same order, shallow and thousands of levels deep', () => {
  let deep: unknown = [{ leaf: 0 }];
  for (let i = 1; i < 1_500; i++) deep = { A_Expr: { lexpr: deep, name: [{ String: { sval: String(i) } }], rexpr: [{ leaf: i }, null, 3] } };
  const trees = [...exampleMigrations().flatMap((f) => parseMigrationSync(f.path, f.text).statements.map((s) => s.node)), deep];
  for (const tree of trees) {
    const visited: unknown[] = [];
    walkTree(tree, (node) => { visited.push(node); });
    const reference = visitedRecursively(tree);
    assert.equal(visited.length, reference.length);
    assert.ok(visited.every((node, i) => node === reference[i]));
  }
});
