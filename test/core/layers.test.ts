// The fences of src/core/README.md hold because lint refuses what crosses them: this runs the
// project's own ESLint configuration on imports that cross a fence and on imports that do not.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ESLint } from 'eslint';
import { repoRoot } from '../support/database';

const eslint = new ESLint({ cwd: repoRoot });

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

const CROSSING: [string, string][] = [
  ['src/core/model/x.ts', "import { parseSql } from '../parse/pgParser';\nexport const a = parseSql;\n"],
  ['src/core/rules/x.ts', "import type { Session } from '../db/backend';\nexport type A = Session;\n"],
  ['src/core/verify/x.ts', "import type { RunState } from '../run/runState';\nexport type A = RunState;\n"],
  ['src/core/parse/x.ts', "import { RULES } from '../rules/registry';\nexport const a = RULES;\n"],
  ['src/core/run/x.ts', "import { Client } from 'pg';\nexport const a = Client;\n"],
  ['src/extension/x.ts', "import { Client } from 'pg';\nexport const a = Client;\n"],
  ['src/core/rules/x.ts', "import * as q from 'libpg-query';\nexport const a = q;\n"],
  ['src/core/rules/x.ts', "import createModule from 'libpg-query/wasm/libpg-query.js';\nexport const a = createModule;\n"],
  ['src/core/parse/x.ts', "import type { Node } from '@pgsql/types';\nexport type A = Node;\n"],
  ['src/core/x.ts', "import * as vscode from 'vscode';\nexport const a = vscode;\n"],
  ['src/core/run/x.ts', "import { main } from '../../cli/main';\nexport const a = main;\n"],
  ['src/core/config/x.ts', "import { RULES } from '../rules/registry';\nexport const a = RULES;\n"],
  ['src/core/analyse/x.ts', "import { RULES } from '../rules/registry';\nexport const a = RULES;\n"],
  ['src/core/schema/x.ts', "import { analyseFiles } from '../analyse/fileAnalysis';\nexport const a = analyseFiles;\n"],
  ['src/core/schema/x.ts', "import { expectedObjects } from '../verify/expectations';\nexport const a = expectedObjects;\n"],
  ['src/core/parse/x.ts', "import { SchemaModel } from '../schema/schemaModel';\nexport const a = SchemaModel;\n"],
];

const ALLOWED: [string, string][] = [
  ['src/core/db/pg/x.ts', "import { Client } from 'pg';\nexport const a = Client;\n"],
  ['src/core/parse/x.ts', "import * as q from 'libpg-query';\nexport const a = q;\n"],
  ['src/core/parse/x.ts', "import createModule from 'libpg-query/wasm/libpg-query.js';\nexport const a = createModule;\n"],
  ['src/core/run/probes/x.ts', "import { verifyDeclaredObjects } from '../../verify/verifyDeclaredObjects';\nexport const a = verifyDeclaredObjects;\n"],
  ['src/core/rules/x.ts', "import type { Node } from '../parse/pgTypes';\nexport type A = Node;\n"],
  ['src/core/rules/x.ts', "import { predictStatementEffects } from '../analyse/predictEffects';\nexport const a = predictStatementEffects;\n"],
  ['src/core/verify/x.ts', "import { SchemaModel } from '../schema/schemaModel';\nexport const a = SchemaModel;\n"],
  ['src/core/analyse/x.ts', "import { statementsRun } from '../schema/statementsRun';\nexport const a = statementsRun;\n"],
  ['src/core/run/x.ts', "import { SchemaModel } from '../schema/schemaModel';\nexport const a = SchemaModel;\n"],
  ['src/core/config/x.ts', "import type { LintSettings } from '../model/lintSettings';\nexport type A = LintSettings;\n"],
  ['src/core/shadow/x.ts', "import { readToolNoTransaction } from '../config/toolNoTransaction';\nexport const a = readToolNoTransaction;\n"],
  ['src/extension/x.ts', "import * as vscode from 'vscode';\nexport const a = vscode;\n"],
];

test('lint refuses every import that crosses a fence of src/core', async () => {
  for (const [file, code] of CROSSING) assert.ok((await restricted(file, code)).length > 0, `${file}: ${code.split('\n')[0]} was allowed`);
});

test('lint allows the imports the layers permit', async () => {
  for (const [file, code] of ALLOWED) assert.deepEqual(await restricted(file, code), [], `${file}: ${code.split('\n')[0]}`);
});
