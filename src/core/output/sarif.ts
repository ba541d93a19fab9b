// SARIF 2.1.0 (the format GitHub code scanning and other CI tools read): one run of the "drydock"
// tool whose driver lists every rule, and one result per finding with its physical location.
// Lines and columns are 1-based and count UTF-16 code units, SARIF's default column kind.
import type { Finding, Severity } from '../model/findings';
import type { Range } from '../model/positions';
import { findingFingerprints, SARIF_FINGERPRINT_KEY, type SourceOf } from './fingerprints';

/** What SARIF needs to know of a rule. */
export interface SarifRule {
  id: string;
  defaultSeverity: Severity;
  summary: string;
  help: string;
  /** Where its documentation is, relative to the project root. */
  docsPath?: string;
}

/** How artefact paths are written: relative to `baseDir` (as given on the command line), else as file URIs. */
export interface SarifOptions {
  rules: readonly SarifRule[];
  toolVersion: string;
  /** Absolute directory the relative paths are relative to (the shell's current directory). */
  baseDir: string;
  /** The absolute URI docs paths resolve against (the project's repository at a branch); omitted: no helpUri. */
  docsBaseUri?: string;
  /** The files' text, for fingerprints of the findings' SQL (else of their messages). */
  sourceOf?: SourceOf;
}

type Json = Record<string, unknown>;

const LEVELS: Record<Severity, 'error' | 'warning' | 'note'> = { error: 'error', warning: 'warning', info: 'note' };

function artifactLocation(file: string, baseDir: string): Json {
  const absolute = file.startsWith('/') ? file : `${baseDir.replace(/\/$/, '')}/${file}`;
  const base = `${baseDir.replace(/\/$/, '')}/`;
  if (absolute.startsWith(base)) return { uri: encodeURI(absolute.slice(base.length)), uriBaseId: '%SRCROOT%' };
  return { uri: `file://${encodeURI(absolute)}` };
}

function region(range: Range): Json {
  return { startLine: range.start.line, startColumn: range.start.column, endLine: range.end.line, endColumn: range.end.column };
}

function ruleDescriptor(rule: SarifRule, options: SarifOptions): Json {
  const descriptor: Json = {
    id: rule.id,
    name: rule.id.replace(/(^|-)([a-z])/g, (_m, _dash: string, c: string) => c.toUpperCase()),
    shortDescription: { text: rule.summary },
    help: { text: rule.help },
    defaultConfiguration: { level: LEVELS[rule.defaultSeverity] },
  };
  if (options.docsBaseUri && rule.docsPath) descriptor.helpUri = new URL(rule.docsPath, `${options.docsBaseUri.replace(/\/+$/, '')}/`).href;
  return descriptor;
}

function result(finding: Finding, ruleIndex: number, fingerprint: string, options: SarifOptions): Json {
  const out: Json = {
    ruleId: finding.ruleId,
    level: LEVELS[finding.severity],
    message: { text: finding.help ? `${finding.message}\n${finding.help}` : finding.message },
    locations: [{ physicalLocation: { artifactLocation: artifactLocation(finding.file, options.baseDir), region: region(finding.range) } }],
    // Code scanning matches a result across commits by these (its own line hash moves with the line).
    partialFingerprints: { [SARIF_FINGERPRINT_KEY]: fingerprint },
  };
  if (ruleIndex >= 0) out.ruleIndex = ruleIndex;
  // SARIF's property bag carries what a run measured about the finding (same names as in JSON).
  if (finding.evidence) out.properties = { evidence: finding.evidence, ...(finding.downgradedFrom ? { downgradedFrom: finding.downgradedFrom } : {}) };
  if (finding.fix) {
    out.fixes = [{
      description: { text: finding.fix.title },
      artifactChanges: groupByFile(finding.fix.edits).map(([file, edits]) => ({
        artifactLocation: artifactLocation(file, options.baseDir),
        replacements: edits.map((e) => ({ deletedRegion: region(e.range), insertedContent: { text: e.newText } })),
      })),
    }];
  }
  return out;
}

function groupByFile<T extends { file: string }>(items: readonly T[]): [string, T[]][] {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(item.file, [...(groups.get(item.file) ?? []), item]);
  return [...groups];
}

/** A SARIF 2.1.0 log of the findings. */
export function findingsToSarif(findings: readonly Finding[], options: SarifOptions): Json {
  const index = new Map(options.rules.map((r, i) => [r.id, i]));
  const fingerprints = findingFingerprints(findings, options.baseDir, options.sourceOf);
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [{
      tool: { driver: { name: 'drydock', version: options.toolVersion, informationUri: 'https://github.com/drydock/drydock', rules: options.rules.map((r) => ruleDescriptor(r, options)) } },
      originalUriBaseIds: { '%SRCROOT%': { uri: `file://${encodeURI(options.baseDir.replace(/\/$/, ''))}/` } },
      columnKind: 'utf16CodeUnits',
      results: findings.map((f, i) => result(f, index.get(f.ruleId) ?? -1, fingerprints[i]!, options)),
    }],
  };
}
