// The shadow's snapshot cache on a disk that fills up: a write that fails midway leaves no
// half-written file, and the half-written files of a writer that died are pruned by the next write,
// while one another live writer is still writing stays; two writers of one process (two shadow
// workers) never share a half-written file, and an ended thread's are removed at once.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'node:test';
import { threadId } from 'node:worker_threads';
import { SnapshotCache, type WriteFile } from '../../../src/core/shadow/snapshotCache';

const KEY = 'a'.repeat(64);
const OTHER = 'b'.repeat(64);

/** Writes the first half of the data, then fails as a full disk does. */
const fullDisk: WriteFile = async (file, data) => {
  await fs.promises.writeFile(file, data.subarray(0, data.length / 2));
  throw Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
};

test('a snapshot write that fails midway (a full disk) leaves neither the snapshot nor a .partial file', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-cache-'));
  const cache = new SnapshotCache(dir, fullDisk);
  await assert.rejects(cache.write(KEY, new Uint8Array(1024)), /ENOSPC/);
  assert.deepEqual(fs.readdirSync(dir), []);
  assert.equal(cache.longestCached([KEY]), -1);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the next write prunes the .partial files of writers that are gone, and keeps the one a live writer is writing', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-cache-'));
  const gone = spawnSync(process.execPath, ['-e', '']).pid;
  const abandoned = `${OTHER}.tar.${gone}.partial`;
  const inProgress = `${OTHER}.tar.${process.pid}.partial`;
  fs.writeFileSync(path.join(dir, abandoned), 'half of a snapshot');
  fs.writeFileSync(path.join(dir, inProgress), 'half of a snapshot');
  await new SnapshotCache(dir).write(KEY, new Uint8Array(16));
  assert.deepEqual(fs.readdirSync(dir).sort(), [inProgress, `${KEY}.tar`].sort());
  fs.rmSync(dir, { recursive: true, force: true });
});

test('two writes of one key at once (two shadow workers of one process) write to different .partial files, and both land', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-cache-'));
  const partials: string[] = [];
  const recording: WriteFile = async (file, data) => {
    partials.push(path.basename(file));
    await fs.promises.writeFile(file, data);
  };
  await Promise.all([new SnapshotCache(dir, recording).write(KEY, new Uint8Array(16)), new SnapshotCache(dir, recording).write(KEY, new Uint8Array(16))]);
  assert.equal(new Set(partials).size, 2, partials.join(' '));
  assert.ok(partials.every((f) => f.startsWith(`${KEY}.tar.${process.pid}-${threadId}-`)), partials.join(' '));
  assert.deepEqual(fs.readdirSync(dir), [`${KEY}.tar`]);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('the .partial files of an ended thread of this process are removed at once; another thread\'s stay', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'drydock-cache-'));
  const ended = `${OTHER}.tar.${process.pid}-7-0a1b2c3d.partial`;
  const live = `${OTHER}.tar.${process.pid}-8-0a1b2c3d.partial`;
  fs.writeFileSync(path.join(dir, ended), 'half of a snapshot');
  fs.writeFileSync(path.join(dir, live), 'half of a snapshot');
  new SnapshotCache(dir).removePartialsOf(7);
  assert.deepEqual(fs.readdirSync(dir), [live]);
  fs.rmSync(dir, { recursive: true, force: true });
});
