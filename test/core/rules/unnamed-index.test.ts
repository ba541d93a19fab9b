import { test } from 'node:test';
import { expectFindings, expectNoFindings } from './expect';

test('unnamed-index: CREATE INDEX without a name, plain, unique or concurrent', async () => {
  await expectFindings('unnamed-index', 'CREATE INDEX ON orders (customer_id);\nCREATE UNIQUE INDEX ON orders (code);\nCREATE INDEX CONCURRENTLY ON orders (created_at);', [1, 2, 3]);
});

test('unnamed-index: named indexes, and constraints PostgreSQL names after their table, are fine', async () => {
  await expectNoFindings('unnamed-index', 'CREATE INDEX IF NOT EXISTS idx_orders_customer_id ON orders (customer_id);\nALTER TABLE orders ADD UNIQUE (code);');
});
