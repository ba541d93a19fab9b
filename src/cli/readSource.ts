// A migration file's text as the commands read it, for the fingerprints of SARIF and GitLab when a
// report names files the renderer does not hold (a run's, an audit's). Read once per file.
import fs from 'node:fs';
import { decodeMigrationText } from '../core/parse/parseMigration';

const texts = new Map<string, string | undefined>();

/** The file's decoded text, or undefined when it cannot be read (the fingerprint then hashes the message). */
export function readSource(file: string): string | undefined {
  if (!texts.has(file)) {
    let text: string | undefined;
    try {
      text = fs.statSync(file).isFile() ? decodeMigrationText(fs.readFileSync(file)) ?? undefined : undefined;
    } catch {
      text = undefined;
    }
    texts.set(file, text);
  }
  return texts.get(file);
}
