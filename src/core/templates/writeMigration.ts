// The one sequence behind `drydock new` and the editor's New Migration wizard: look at the
// workspace, detect its migration tool, render the template in that tool's layout, write the files.
import path from 'node:path';
import type { ToolDetection } from './detect';
import { detectMigrationTool } from './detect';
import type { TemplateKind, TemplateParams } from './kinds';
import { renderTemplate, type RenderResult } from './render';
import type { MigrationTool } from './tools';
import { scanWorkspace, writeRenderedFiles } from './workspaceFiles';

/** What to write, and where. */
export interface WriteMigrationRequest {
  /** The project root (absolute). */
  root: string;
  kind: TemplateKind;
  params: TemplateParams;
  /** A tool, or "auto"/undefined to detect it from the workspace. */
  tool?: MigrationTool | 'auto' | undefined;
  /**
   * The folder given the detection: relative to root, or absolute (anywhere: the user named it);
   * by default where the project keeps its migrations.
   */
  chooseDir?: (detection: ToolDetection) => string;
  name?: string;
  /** The project's name (a new sqitch plan records it). */
  project: string;
}

/** What was written. */
export interface WrittenMigration {
  detected: ToolDetection;
  rendered: RenderResult;
  /** Absolute paths, in the order of `rendered.files`. */
  written: string[];
}

/** Detects the tool, renders the template and writes its files (nothing is written when rendering fails). */
export function writeMigrationFromTemplate(request: WriteMigrationRequest): WrittenMigration {
  const workspace = scanWorkspace(request.root);
  const detected = detectMigrationTool(workspace, request.tool);
  const absoluteDir = path.resolve(request.root, request.chooseDir ? request.chooseDir(detected) : detected.dir);
  const dir = path.relative(request.root, absoluteDir).split(path.sep).join('/') || '.';
  const outside = dir === '..' || dir.startsWith('../') || path.isAbsolute(dir);
  // A folder outside the project is numbered after the migrations already in it.
  const existing = outside ? scanWorkspace(absoluteDir).map((e) => `${dir}/${e.path}`) : workspace.map((e) => e.path);
  const rendered = renderTemplate(request.kind, request.params, detected.tool, {
    dir, existingPaths: existing, project: request.project, ...(request.name ? { name: request.name } : {}),
  });
  return { detected, rendered, written: writeRenderedFiles(request.root, rendered.files, outside ? [absoluteDir] : []) };
}
