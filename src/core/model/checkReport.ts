// What `drydock check` (the rules without a database) reports: the findings and the statements.
import type { Finding } from './findings';
import type { Range } from './positions';

/** One statement as `check` lists it. */
export interface CheckedStatement {
  file: string;
  index: number;
  kind: string;
  range: Range;
  role: 'statement' | 'wrapper';
}

/** The result of checking files without running them. */
export interface CheckReport {
  files: string[];
  diagnostics: Finding[];
  statements: CheckedStatement[];
}
