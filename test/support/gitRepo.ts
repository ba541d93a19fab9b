// A throwaway git repository for the tests of what runs on git (--changed-since, the CI
// integrations): the real git binary, an identity of its own, no global or system configuration.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** The environment git runs with in these tests (no user or system configuration read). */
export const GIT_ENV = {
  GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: os.devNull,
  GIT_AUTHOR_NAME: 'Test', GIT_AUTHOR_EMAIL: 'test@example.test', GIT_COMMITTER_NAME: 'Test', GIT_COMMITTER_EMAIL: 'test@example.test',
};

export interface GitRepo {
  dir: string;
  /** Runs git in the repository and returns its output. */
  git(...args: string[]): string;
  /** Writes files (path relative to the repository → text). */
  write(files: Record<string, string>): void;
  /** Stages everything and commits; returns the commit's sha. */
  commit(message: string): string;
  remove(): void;
}

/** A new repository on branch main, in a temporary folder. */
export function gitRepo(prefix = 'drydock-git-'): GitRepo {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
  const git = (...args: string[]) => execFileSync('git', args, { cwd: dir, env: { ...process.env, ...GIT_ENV }, encoding: 'utf8' });
  git('init', '-q', '-b', 'main');
  return {
    dir,
    git,
    write(files) {
      for (const [name, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
      }
    },
    commit(message) {
      git('add', '-A');
      git('commit', '-q', '--allow-empty', '-m', message);
      return git('rev-parse', 'HEAD').trim();
    },
    remove: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}
