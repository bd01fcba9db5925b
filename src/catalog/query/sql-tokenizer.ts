/**
 * A small PostgreSQL lexer for the SQL guard: it knows string literals (standard, E'', U&'', B'', X'',
 * N'', dollar-quoted), quoted identifiers, comments, numbers, parameters and punctuation — enough to
 * tell code from data. It does not parse SQL.
 */

export type TokenKind = 'word' | 'quoted' | 'string' | 'number' | 'param' | 'punct' | 'op';

export interface Token {
  kind: TokenKind;
  /** Words are lower-cased; quoted identifiers keep their case without the quotes. */
  value: string;
  /** Offset in the source. */
  at: number;
}

export class SqlLexError extends Error {}

const WORD_START = /[A-Za-z_\u0080-\uffff]/;
const WORD_PART = /[A-Za-z0-9_$\u0080-\uffff]/;
const PUNCT = new Set(['(', ')', ',', ';', '.', '[', ']', ':']);
const OP = new Set([
  '+',
  '-',
  '*',
  '/',
  '<',
  '>',
  '=',
  '~',
  '!',
  '@',
  '#',
  '%',
  '^',
  '&',
  '|',
  '`',
  '?',
]);
/** Prefixes of special string literals, e.g. E'…' (backslash escapes) or B'0101'. */
const STRING_PREFIXES = new Set(['e', 'b', 'x', 'n', 'u&']);

export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const c = sql[i];
    const next = sql[i + 1];
    if (/\s/.test(c)) {
      i++;
    } else if ((c === '-' && next === '-') || (c === '/' && next === '*')) {
      throw new SqlLexError('Comments are not allowed: remove -- and /* */ from the query');
    } else if (c === "'") {
      i = readString(sql, i, false, tokens, i);
    } else if (c === '"') {
      i = readQuotedIdentifier(sql, i, tokens, i);
    } else if (c === '$') {
      i = readDollar(sql, i, tokens);
    } else if (/[0-9]/.test(c) || (c === '.' && /[0-9]/.test(next ?? ''))) {
      const m = /^(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/.exec(sql.slice(i));
      const text = m ? m[0] : c;
      tokens.push({ kind: 'number', value: text, at: i });
      i += text.length;
    } else if (WORD_START.test(c)) {
      i = readWord(sql, i, tokens);
    } else if (PUNCT.has(c)) {
      tokens.push({ kind: 'punct', value: c, at: i });
      i++;
    } else if (OP.has(c)) {
      tokens.push({ kind: 'op', value: c, at: i });
      i++;
    } else {
      throw new SqlLexError(`Unexpected character ${JSON.stringify(c)} at position ${i}`);
    }
  }
  return tokens;
}

function readWord(sql: string, start: number, tokens: Token[]): number {
  let i = start + 1;
  while (i < sql.length && WORD_PART.test(sql[i])) i++;
  const word = sql.slice(start, i).toLowerCase();
  if (sql[i] === "'" && STRING_PREFIXES.has(word)) {
    return readString(sql, i, word === 'e', tokens, start);
  }
  if (word === 'u' && sql[i] === '&' && (sql[i + 1] === "'" || sql[i + 1] === '"')) {
    return sql[i + 1] === "'"
      ? readString(sql, i + 1, false, tokens, start)
      : readQuotedIdentifier(sql, i + 1, tokens, start);
  }
  tokens.push({ kind: 'word', value: word, at: start });
  return i;
}

/** '…' with '' as an escaped quote; with backslash escapes too for E'…'. */
function readString(
  sql: string,
  quote: number,
  backslash: boolean,
  tokens: Token[],
  at: number,
): number {
  let i = quote + 1;
  let value = '';
  for (;;) {
    if (i >= sql.length) throw new SqlLexError('Unterminated string literal');
    const c = sql[i];
    if (backslash && c === '\\') {
      value += sql[i + 1] ?? '';
      i += 2;
    } else if (c === "'" && sql[i + 1] === "'") {
      value += "'";
      i += 2;
    } else if (c === "'") {
      tokens.push({ kind: 'string', value, at });
      return i + 1;
    } else {
      value += c;
      i++;
    }
  }
}

function readQuotedIdentifier(sql: string, quote: number, tokens: Token[], at: number): number {
  let i = quote + 1;
  let value = '';
  for (;;) {
    if (i >= sql.length) throw new SqlLexError('Unterminated quoted identifier');
    if (sql[i] === '"' && sql[i + 1] === '"') {
      value += '"';
      i += 2;
    } else if (sql[i] === '"') {
      if (value === '') throw new SqlLexError('Empty quoted identifier');
      tokens.push({ kind: 'quoted', value, at });
      return i + 1;
    } else {
      value += sql[i++];
    }
  }
}

/** $1 parameters and $tag$…$tag$ strings. */
function readDollar(sql: string, start: number, tokens: Token[]): number {
  const param = /^\$\d+/.exec(sql.slice(start));
  if (param) {
    tokens.push({ kind: 'param', value: param[0], at: start });
    return start + param[0].length;
  }
  const tag = /^\$([A-Za-z_][A-Za-z0-9_]*)?\$/.exec(sql.slice(start));
  if (!tag) throw new SqlLexError(`Unexpected "$" at position ${start}`);
  const end = sql.indexOf(tag[0], start + tag[0].length);
  if (end < 0) throw new SqlLexError('Unterminated dollar-quoted string');
  tokens.push({ kind: 'string', value: sql.slice(start + tag[0].length, end), at: start });
  return end + tag[0].length;
}
