// Which migration tool a workspace uses, judged from its file paths and (where given) contents.
// Each rule is a piece of evidence with a weight; the tool with the most weight wins, plain
// numbered files when nothing speaks for any tool.
import { MIGRATION_TOOLS, TOOL_LAYOUTS, type MigrationTool } from './tools';

/** A workspace file: its relative path ("/" separators) and, when read, its text. */
export interface WorkspaceEntry {
  path: string;
  text?: string;
}

/** The verdict, with the folder new migrations go into and why. */
export interface ToolDetection {
  tool: MigrationTool;
  dir: string;
  /** Human-readable reasons, strongest first. */
  evidence: string[];
}

interface Rule {
  tool: MigrationTool;
  weight: number;
  why: string;
  /** Matches a path; returns the migrations folder it implies, or '' when it implies none. */
  path?: RegExp;
  dirOf?: (match: RegExpExecArray) => string;
  /** Matches file contents (only .sql and config files are worth reading). */
  text?: RegExp;
}

const parent = (m: RegExpExecArray) => m[1] ?? '';

const RULES: readonly Rule[] = [
  { tool: 'sqitch', weight: 10, why: 'sqitch.plan', path: /^(?:(.*)\/)?sqitch\.(?:plan|conf)$/, dirOf: (m) => m[1] ?? '.' },
  { tool: 'sqitch', weight: 3, why: 'deploy/ and revert/ folders', path: /^(?:(.*)\/)?deploy\/[^/]+\.sql$/, dirOf: (m) => m[1] ?? '.' },
  { tool: 'dbmate', weight: 6, why: '-- migrate:up section', text: /^--\s*migrate:up\b/m },
  { tool: 'dbmate', weight: 2, why: 'db/migrations/<timestamp>_*.sql', path: /^(.*db\/migrations)\/\d{14}_[^/]+\.sql$/, dirOf: parent },
  { tool: 'goose', weight: 6, why: '-- +goose Up annotation', text: /^--\s*\+goose\s+up\b/im },
  { tool: 'flyway', weight: 8, why: 'flyway.conf / flyway.toml', path: /^(?:.*\/)?flyway\.(?:conf|toml)$/ },
  { tool: 'flyway', weight: 5, why: 'V<n>__name.sql files', path: /^(?:(.*)\/)?V\d+(?:[._]\d+)*__[^/]+\.sql$/, dirOf: parent },
  { tool: 'graphile', weight: 10, why: '.gmrc', path: /^(?:.*\/)?\.gmrc(?:\.js|\.cjs)?$/ },
  { tool: 'graphile', weight: 4, why: 'migrations/current.sql', path: /^(.*migrations)\/current\.sql$/, dirOf: parent },
  { tool: 'graphile', weight: 4, why: 'migrations/committed/', path: /^(.*migrations)\/committed\/[^/]+\.sql$/, dirOf: parent },
  { tool: 'diesel', weight: 10, why: 'diesel.toml', path: /^(?:.*\/)?diesel\.toml$/ },
  { tool: 'diesel', weight: 5, why: '<date>_name/up.sql folders', path: /^(?:(.*)\/)?\d{4}-\d{2}-\d{2}-\d{6}_[^/]+\/up\.sql$/, dirOf: parent },
  { tool: 'plain', weight: 1, why: 'NNN_name.sql files', path: /^(?:(.*)\/)?\d+_[^/]+\.sql$/, dirOf: parent },
];

/** Which tool the workspace uses; `override` (a setting or flag) wins when it names a tool. */
export function detectMigrationTool(entries: readonly WorkspaceEntry[], override?: MigrationTool | 'auto'): ToolDetection {
  const score = new Map<MigrationTool, number>();
  const dirs = new Map<MigrationTool, Map<string, number>>();
  const evidence = new Map<MigrationTool, Set<string>>();
  const note = (rule: Rule, dir: string | null) => {
    score.set(rule.tool, (score.get(rule.tool) ?? 0) + rule.weight);
    evidence.set(rule.tool, (evidence.get(rule.tool) ?? new Set<string>()).add(rule.why));
    if (dir !== null) {
      const counts = dirs.get(rule.tool) ?? new Map<string, number>();
      dirs.set(rule.tool, counts.set(dir, (counts.get(dir) ?? 0) + 1));
    }
  };
  for (const entry of entries) {
    const path = entry.path.replace(/\\/g, '/').replace(/^\.\//, '');
    for (const rule of RULES) {
      const match = rule.path?.exec(path);
      if (match) note(rule, rule.dirOf ? rule.dirOf(match) : null);
      if (rule.text && entry.text !== undefined && rule.text.test(entry.text)) {
        note(rule, path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.');
      }
    }
  }
  const ranked = [...score.entries()].sort((a, b) => b[1] - a[1] || MIGRATION_TOOLS.indexOf(a[0]) - MIGRATION_TOOLS.indexOf(b[0]));
  const detected = ranked[0]?.[0] ?? 'plain';
  const tool = override && override !== 'auto' ? override : detected;
  const why = override && override !== 'auto' ? [`set to ${override}`] : [...(evidence.get(tool) ?? [])];
  const counts = [...(dirs.get(tool) ?? new Map<string, number>()).entries()].sort((a, b) => b[1] - a[1]);
  const dir = counts[0]?.[0] || TOOL_LAYOUTS[tool].defaultDir;
  return { tool, dir, evidence: why.length > 0 ? why : ['no migration tool found: plain numbered files'] };
}
