// The template language of templates/*.sql: {{name}} inserts a value, {{#flag}}…{{/flag}} keeps
// its text when the flag is set, {{^flag}}…{{/flag}} when it is not. Nothing else, so a template
// stays readable as SQL. A name the template uses but the renderer does not supply is an error.
import fs from 'node:fs';
import path from 'node:path';

/** Values a template can use: text to insert, or a flag for a section. */
export type TemplateVars = Readonly<Record<string, string | boolean>>;

const SECTION = /\{\{([#^])([a-zA-Z]+)\}\}([\s\S]*?)\{\{\/\2\}\}/g;
const VALUE = /\{\{([a-zA-Z]+)\}\}/g;

/** The template text with its sections resolved and its values inserted. */
export function fillTemplate(template: string, vars: TemplateVars): string {
  let text = template;
  // Sections may nest: resolve innermost-first until none are left.
  for (let previous = ''; previous !== text; ) {
    previous = text;
    text = text.replace(SECTION, (_all, kind: string, name: string, body: string) => {
      if (!(name in vars)) throw new Error(`template uses unknown flag "${name}"`);
      const on = Boolean(vars[name]);
      return (kind === '#' ? on : !on) ? body : '';
    });
  }
  return text.replace(VALUE, (_all, name: string) => {
    const value = vars[name];
    if (typeof value !== 'string') throw new Error(`template uses unknown value "${name}"`);
    return value;
  });
}

/** Which file of a kind: the forward migration, its reversal, or a check that it is deployed. */
export type TemplatePart = 'up' | 'down' | 'verify';

let templateDir: string | undefined;

/** The project's templates/ folder, found by walking up from this module (works from out/ and dist/). */
export function findTemplateDir(from: string = __dirname): string {
  if (templateDir) return templateDir;
  for (let dir = from; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'templates');
    if (fs.existsSync(path.join(candidate, 'index.up.sql'))) return (templateDir = candidate);
    if (path.dirname(dir) === dir) throw new Error(`templates/ not found above ${from}`);
  }
}

const cache = new Map<string, string>();

/** The text of templates/<kind>.<part>.sql. */
export function templateText(kind: string, part: TemplatePart): string {
  const file = path.join(findTemplateDir(), `${kind}.${part}.sql`);
  let text = cache.get(file);
  if (text === undefined) {
    text = fs.readFileSync(file, 'utf8');
    cache.set(file, text);
  }
  return text;
}
