// Per-user mute and keep rules (pure: no store, no web). A rule looks at one field of an
// article (title, text, author, outlet or any of them) for words or a regular expression
// and, for its kind:
//   - mute: its action (read, hide, star) applies to every article that matches it;
//   - keep: its action (read or hide) applies to every article that matches none of the
//     keep rules with that action that cover the article's source ("only what matches a
//     keep rule stays visible / unread").
// A rule covers one source (sourceId) or all of its owner's subscriptions (sourceId null).
//
// Regular expressions come from users, so they are hostile input. They are compiled with
// V8's linear-time engine (the `l` flag, enabled below): matching takes time linear in the
// text whatever the pattern, so no pattern can backtrack catastrophically. Patterns that
// engine cannot run (backreferences, lookaround) are refused when the rule is made, as are
// patterns over MAX_PATTERN characters; at most MAX_TEXT characters of a field are looked at.
import { setFlagsFromString } from 'node:v8';
import { DigestError } from '../core/errors.ts';

setFlagsFromString('--enable-experimental-regexp-engine');

export const RULE_FIELDS = ['title', 'text', 'author', 'outlet', 'any'] as const;
export const RULE_ACTIONS = ['read', 'hide', 'star'] as const;
export const RULE_KINDS = ['mute', 'keep'] as const;
export type RuleField = (typeof RULE_FIELDS)[number];
export type RuleAction = (typeof RULE_ACTIONS)[number];
export type RuleKind = (typeof RULE_KINDS)[number];

/** Longest pattern accepted (characters). */
export const MAX_PATTERN = 200;
/** Characters of each field a rule looks at (the start of a long text). */
export const MAX_TEXT = 50_000;

export interface RuleSpec {
  field: RuleField;
  pattern: string;
  isRegex: boolean;
  action: RuleAction;
  kind: RuleKind;
  /** The one source the rule covers; null: every source its owner follows. */
  sourceId?: number | null;
}

export interface Rule extends RuleSpec {
  id: number;
  userId: number;
  sourceId: number | null;
  createdAt: string;
}

/** What a rule looks at. `outlet` is the source's title; `site` the page's site name (both are the outlet). */
export interface RuleArticle {
  sourceId?: number;
  title: string;
  text: string;
  byline: string | null;
  outlet: string | null;
  site?: string | null;
}

export interface RuleOutcome {
  read: boolean;
  hide: boolean;
  star: boolean;
}

const bad = (msg: string) => new DigestError('usage', msg);

/**
 * Checks and normalises a rule as a user gave it; throws a usage error saying what to fix.
 * Word patterns are a comma-separated list of words or phrases.
 */
export function validateRule(spec: RuleSpec): RuleSpec & { sourceId: number | null } {
  if (!RULE_FIELDS.includes(spec.field)) throw bad(`rule field "${spec.field}": use one of ${RULE_FIELDS.join(', ')}`);
  if (!RULE_ACTIONS.includes(spec.action)) throw bad(`rule action "${spec.action}": use one of ${RULE_ACTIONS.join(', ')}`);
  if (!RULE_KINDS.includes(spec.kind)) throw bad(`rule kind "${spec.kind}": use mute or keep`);
  if (spec.kind === 'keep' && spec.action === 'star') {
    throw bad('a keep rule cannot star (it acts on the articles that do not match); use a mute rule with the action star to star what matches');
  }
  const pattern = spec.isRegex ? spec.pattern : spec.pattern.trim();
  if (pattern.length === 0) throw bad('the rule has no pattern: give words or a regular expression');
  if (pattern.length > MAX_PATTERN) throw bad(`the pattern is ${pattern.length} characters long; the limit is ${MAX_PATTERN}`);
  if (spec.isRegex) compileRegex(pattern);
  else if (wordsOf(pattern).length === 0) throw bad('the pattern has no words: give words or phrases separated by commas');
  const sourceId = spec.sourceId ?? null;
  if (sourceId !== null && !(Number.isInteger(sourceId) && sourceId > 0)) throw bad(`rule source ${sourceId}: give a source id`);
  return { field: spec.field, pattern, isRegex: !!spec.isRegex, action: spec.action, kind: spec.kind, sourceId };
}

/**
 * A user's regular expression, compiled for linear-time matching and without case
 * (the text is lower-cased and so are the pattern's letters outside escapes).
 */
export function compileRegex(pattern: string): RegExp {
  if (pattern.length > MAX_PATTERN) throw bad(`the pattern is ${pattern.length} characters long; the limit is ${MAX_PATTERN}`);
  let source: string;
  try {
    source = lowerPattern(pattern);
    new RegExp(source); // syntax first, with the ordinary engine's message
  } catch (e) {
    throw bad(`the regular expression ${JSON.stringify(pattern)} is not valid: ${(e as Error).message.replace(/^Invalid regular expression: /, '')}`);
  }
  try {
    // eslint-disable-next-line no-invalid-regexp -- 'l' is the linear-time engine's flag, enabled above
    return new RegExp(source, 'l');
  } catch {
    throw bad(`the regular expression ${JSON.stringify(pattern)} uses what cannot be matched in linear time (backreferences such as \\1, lookahead or lookbehind): write it without them`);
  }
}

/** Lower-cases a pattern's literal letters, leaving escapes (\W, \D, \S, \B, \uXXXX, \cX…) as they are. */
function lowerPattern(p: string): string {
  let out = '';
  for (let i = 0; i < p.length; i++) {
    const c = p[i];
    if (c === '\\') {
      out += c + (p[i + 1] ?? '');
      i++;
      if (p[i] === 'c') out += p[++i] ?? '';
      continue;
    }
    out += c.toLowerCase();
  }
  return out;
}

const fold = (s: string) => s.slice(0, MAX_TEXT).normalize('NFC').toLowerCase();
const isWordChar = (c: string | undefined) => c !== undefined && /[\p{L}\p{N}]/u.test(c);

function wordsOf(pattern: string): string[] {
  return pattern.split(',').map((w) => fold(w.trim()).replace(/\s+/g, ' ')).filter((w) => w.length > 0);
}

/** True when `phrase` (folded) occurs in `text` (folded) as whole words. */
function hasPhrase(text: string, phrase: string): boolean {
  for (let i = text.indexOf(phrase); i !== -1; i = text.indexOf(phrase, i + 1)) {
    const before = text[i - 1];
    const after = text[i + phrase.length];
    if ((!isWordChar(phrase[0]) || !isWordChar(before)) && (!isWordChar(phrase[phrase.length - 1]) || !isWordChar(after))) return true;
  }
  return false;
}

/** A rule ready to test articles against. */
export interface CompiledRule {
  rule: RuleSpec & { sourceId: number | null };
  test(article: RuleArticle): boolean;
}

function fieldTexts(field: RuleField, a: RuleArticle): string[] {
  const outlet = [a.outlet ?? '', a.site ?? ''].filter((s) => s);
  switch (field) {
    case 'title':
      return [a.title];
    case 'text':
      return [a.text];
    case 'author':
      return a.byline ? [a.byline] : [];
    case 'outlet':
      return outlet;
    case 'any':
      return [a.title, a.text, a.byline ?? '', ...outlet].filter((s) => s);
  }
}

export function compileRule(rule: RuleSpec): CompiledRule {
  const r = { ...rule, sourceId: rule.sourceId ?? null };
  if (rule.isRegex) {
    const re = compileRegex(rule.pattern);
    return { rule: r, test: (a) => fieldTexts(r.field, a).some((t) => re.test(fold(t))) };
  }
  const words = wordsOf(rule.pattern);
  return {
    rule: r,
    test: (a) => {
      const texts = fieldTexts(r.field, a).map((t) => fold(t).replace(/\s+/g, ' '));
      return words.some((w) => texts.some((t) => hasPhrase(t, w)));
    },
  };
}

/** Compiles each rule once; a rule that no longer compiles (stored before a limit changed) is left out. */
export function compileRules(rules: readonly RuleSpec[]): CompiledRule[] {
  const out: CompiledRule[] = [];
  for (const r of rules) {
    try {
      out.push(compileRule(r));
    } catch {
      /* refused at creation today; an old row that fails now simply does not apply */
    }
  }
  return out;
}

/**
 * What a user's rules do to one article. Rules for another source than the article's are
 * left out (an article without sourceId is covered only by rules for all sources).
 */
export function matchRules(rules: readonly (RuleSpec | CompiledRule)[], article: RuleArticle): RuleOutcome {
  const compiled = rules.map((r) => ('test' in r ? r : compileRule(r)));
  const out: RuleOutcome = { read: false, hide: false, star: false };
  const keepSeen: Partial<Record<RuleAction, boolean>> = {};
  const keepHit: Partial<Record<RuleAction, boolean>> = {};
  for (const c of compiled) {
    const { rule } = c;
    if (rule.sourceId !== null && rule.sourceId !== article.sourceId) continue;
    if (rule.kind === 'mute') {
      if (!out[rule.action] && c.test(article)) out[rule.action] = true;
    } else {
      keepSeen[rule.action] = true;
      if (!keepHit[rule.action] && c.test(article)) keepHit[rule.action] = true;
    }
  }
  for (const a of RULE_ACTIONS) if (keepSeen[a] && !keepHit[a]) out[a] = true;
  return out;
}
