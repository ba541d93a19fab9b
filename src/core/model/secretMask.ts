// Passwords out of everything Drydock shows. The shells hand over the passwords they resolved
// (--db, DATABASE_URL, PGPASSWORD, ~/.pgpass, the shadow and reference servers, secret storage);
// a report is masked as data, every string of it, before any renderer escapes or cuts it, so no
// format's escaping (JSON's \" and \\, GitHub's %25) can hide a password from the mask and no cut
// can show its first characters.
//
// What is masked, as `****`:
// - every form a password can take in shown text: as given, percent-encoded as a URL carries it,
//   quoted for SQL (`''`, `""`), escaped for JSON and for GitHub workflow commands;
// - a password of four or more characters wherever it occurs; a shorter one only where it stands
//   alone (not inside a longer run of letters and digits), since masking every "ab" inside every
//   word would leave nothing readable;
// - the first characters of a password where the server may have cut it (a failing row's 64-byte
//   columns, an identifier truncated to 63 bytes and then quoted anywhere, a query text cut at
//   track_activity_query_size): its first six or more wherever they appear, its first four or five
//   where a text ends with them or `...`, `…` or `"` follows them;
// - the password of any `scheme://user:password@` URL and any `password=` keyword, known or not.
import { mapStringsDeep } from './deepStrings';

/** What a masked secret is replaced with. */
export const MASK = '****';

/** Secrets shorter than this are masked only where they stand alone; prefixes this long are masked at a cut. */
const SHORT = 4;
/** Prefixes this long are masked wherever they appear. */
const LONG_PREFIX = 6;

const URL_PASSWORD = /((?:postgres|postgresql):\/\/[^:/@\s]*:)([^@\s]*)@/gi;
// A quoted value is read up to 1,000 characters: a repetition of a group without a bound ran out of
// the regex engine's stack on a `password='` followed by megabytes of text (SQL in a report can hold that).
const KEYWORD_PASSWORD = /\b(password\s*=\s*)('(?:[^'\\]|\\.){0,1000}'|\S+)/gi;

/** The forms a secret may take in text Drydock shows (deduplicated, the secret itself first). */
export function secretForms(secret: string): string[] {
  const forms = [
    secret,
    encodeURIComponent(secret),
    encodeURIComponent(secret).replace(/%[0-9A-F]{2}/g, (hex) => hex.toLowerCase()),
    urlUserinfo(secret),
    secret.replace(/'/g, "''"),
    secret.replace(/"/g, '""'),
    secret.replace(/\\/g, '\\\\').replace(/'/g, "\\'"),
    JSON.stringify(secret).slice(1, -1),
    secret.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'),
  ];
  return [...new Set(forms)].filter((f) => f !== '');
}

/** The secret percent-encoded as a WHATWG URL encodes a password (it leaves some characters encodeURIComponent encodes). */
function urlUserinfo(secret: string): string {
  const url = new URL('postgres://u@h');
  url.password = secret;
  return url.password;
}

const REGEX_SYNTAX = /[\\^$.*+?()[\]{}|/]/g;
const escapeRegex = (text: string) => text.replace(REGEX_SYNTAX, '\\$&');
const WORD = /[\p{L}\p{N}]/u;

/** One alternative of the mask's pattern: a short form only where no letter or digit continues it. */
function formPattern(form: string): string {
  const escaped = escapeRegex(form);
  if ([...form].length >= SHORT) return escaped;
  const before = WORD.test(form[0]!) ? '(?<![\\p{L}\\p{N}])' : '';
  const after = WORD.test(form.at(-1)!) ? '(?![\\p{L}\\p{N}])' : '';
  return `${before}${escaped}${after}`;
}

/** The first characters of a form, `from` to `to` of them (longest first), never ending inside a surrogate pair. */
function prefixesOf(form: string, from: number, to: number): string[] {
  const prefixes: string[] = [];
  for (let end = Math.min(to, form.length - 1); end >= from; end--) {
    const code = form.charCodeAt(end - 1);
    if (code >= 0xd800 && code <= 0xdbff) continue;
    prefixes.push(form.slice(0, end));
  }
  return prefixes;
}

/** Masks a fixed set of secrets in strings and in whole reports. */
export class SecretMask {
  private readonly pattern: RegExp | null;
  /** The first characters of every form: a text holding none of them needs no regex (reports are large). */
  private readonly needles: string[];

  constructor(secrets: readonly (string | undefined)[]) {
    const forms = [...new Set(secrets.filter((s): s is string => typeof s === 'string' && s !== '').flatMap(secretForms))];
    const heads = [...new Set(forms.flatMap((f) => prefixesOf(f, LONG_PREFIX, Infinity)))].sort((a, b) => b.length - a.length);
    const cuts = [...new Set(forms.flatMap((f) => prefixesOf(f, SHORT, LONG_PREFIX - 1)))].sort((a, b) => b.length - a.length);
    // Longest first: at any position the alternation takes the first that matches.
    const whole = [...forms.map((f) => ({ length: f.length, pattern: formPattern(f) })), ...heads.map((h) => ({ length: h.length, pattern: escapeRegex(h) }))];
    const alternatives = [
      ...whole.sort((a, b) => b.length - a.length).map((w) => w.pattern),
      ...(cuts.length > 0 ? [`(?:${cuts.map(escapeRegex).join('|')})(?=$|\\.\\.\\.|…|")`] : []),
    ];
    this.pattern = alternatives.length > 0 ? new RegExp(alternatives.join('|'), 'gu') : null;
    this.needles = [...new Set(forms.map((f) => f.slice(0, SHORT)))];
  }

  /** The text with every secret (and every URL or keyword password) replaced by ****. */
  text(text: string): string {
    let masked = text;
    if (masked.includes('://')) masked = masked.replace(URL_PASSWORD, `$1${MASK}@`);
    if (/password/i.test(masked)) masked = masked.replace(KEYWORD_PASSWORD, `$1${MASK}`);
    if (!this.pattern || !this.needles.some((needle) => masked.includes(needle))) return masked;
    return masked.replace(this.pattern, MASK);
  }

  /** A copy of the data (a run or check report) with every string in it, keys included, masked. */
  deep<T>(value: T): T {
    return mapStringsDeep(value, (text) => this.text(text));
  }
}

/** A mask that learns secrets as a session meets them (each connection it is handed): the set only grows. */
export class GrowingSecretMask {
  private readonly secrets = new Set<string>();
  private masker = new SecretMask([]);

  /** Remembers secrets to mask from now on. */
  addSecrets(secrets: readonly string[]): void {
    const before = this.secrets.size;
    for (const secret of secrets) if (secret) this.secrets.add(secret);
    if (this.secrets.size !== before) this.masker = new SecretMask([...this.secrets]);
  }

  /** The text with every known secret masked (for logs, messages and errors shown to the user). */
  mask(text: string): string {
    return this.masker.text(text);
  }

  /**
   * A copy of a report (or query rows) with every known secret masked in every string, before
   * anything shows or shortens any of it.
   */
  maskDeep<T>(value: T): T {
    return this.masker.deep(value);
  }
}

/** The text with passwords removed: in connection URLs, in key=value strings, and every given secret. */
export function maskSecrets(text: string, secrets: readonly (string | undefined)[] = []): string {
  return new SecretMask(secrets).text(text);
}
