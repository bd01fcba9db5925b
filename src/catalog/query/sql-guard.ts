import { SqlLexError, Token, tokenize } from 'src/catalog/query/sql-tokenizer';

/**
 * The SQL guard of execute_query: one read-only statement over the port's tables.
 * Defence in depth only — queries also run read-only in an isolated engine holding nothing else.
 */

export const FORBIDDEN_KEYWORDS = [
  'insert',
  'update',
  'delete',
  'merge',
  'drop',
  'create',
  'alter',
  'truncate',
  'grant',
  'revoke',
  'copy',
  'call',
  'attach',
  'pragma',
] as const;

export const MAX_QUERY_LENGTH = 20_000;

export interface SqlAnalysis {
  /** The statement without a trailing semicolon. */
  sql: string;
  /** Port tables the query reads. */
  tables: string[];
  /** Every identifier in the query (bare ones lower-cased). */
  identifiers: Set<string>;
  /** True when the query selects `*` or `alias.*` (not `count(*)`). */
  selectsStar: boolean;
}

export type SqlGuardResult = ({ ok: true } & SqlAnalysis) | { ok: false; reason: string };

const FORBIDDEN = new Set<string>(FORBIDDEN_KEYWORDS);
/** Words that end a FROM list. */
const CLAUSE_END = new Set([
  'where',
  'group',
  'having',
  'window',
  'order',
  'limit',
  'offset',
  'fetch',
  'for',
  'union',
  'intersect',
  'except',
  'returning',
  'into',
]);
const SUBQUERY_START = new Set(['select', 'with', 'values', 'table']);
/** PostgreSQL functions that run a query given as text (or reach other databases or settings). */
const RUNS_SQL = /^((query|cursor|table|schema|database)_to_xml\w*|dblink\w*|set_config|lo_\w+)$/;

class Refused extends Error {}

export function guardSql(query: string, allowedTables: readonly string[]): SqlGuardResult {
  try {
    return { ok: true, ...analyse(query, allowedTables) };
  } catch (err) {
    if (err instanceof Refused || err instanceof SqlLexError)
      return { ok: false, reason: err.message };
    throw err;
  }
}

function analyse(query: string, allowedTables: readonly string[]): SqlAnalysis {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new Refused(`The query is longer than ${MAX_QUERY_LENGTH} characters`);
  }
  let tokens = tokenize(query);
  const semicolon = tokens.findIndex((t) => t.kind === 'punct' && t.value === ';');
  if (semicolon >= 0) {
    if (semicolon !== tokens.length - 1) {
      throw new Refused('Only one statement is allowed: remove the semicolon and what follows it');
    }
    tokens = tokens.slice(0, -1);
  }
  const first = tokens[0];
  if (!first || first.kind !== 'word' || (first.value !== 'select' && first.value !== 'with')) {
    throw new Refused('The query must start with SELECT or WITH');
  }
  const identifiers = new Set<string>();
  for (const t of tokens) {
    if (t.kind === 'word' && FORBIDDEN.has(t.value)) {
      throw new Refused(
        `${t.value.toUpperCase()} is not allowed: execute_query runs read-only SELECT queries`,
      );
    }
    if (t.kind === 'word' || t.kind === 'quoted') {
      const name = t.value.toLowerCase();
      if (name === 'pg_catalog' || name === 'information_schema' || name.startsWith('pg_')) {
        throw new Refused(`System objects such as ${t.value} are not available`);
      }
      if (RUNS_SQL.test(name)) {
        throw new Refused(`${t.value} runs SQL of its own and is not available`);
      }
      identifiers.add(t.value);
    }
  }
  const match = matchParens(tokens);
  const allowed = new Set([...allowedTables, ...cteNames(tokens, match)]);
  const tables = new Set<string>();
  const check = (name: string): void => {
    if (!allowed.has(name)) {
      throw new Refused(
        `"${name}" is not a table of this output port: query only ${allowedTables.join(', ') || '(no tables)'}`,
      );
    }
    if (allowedTables.includes(name)) tables.add(name);
  };
  checkTableReferences(tokens, match, check);
  return {
    sql: query.trim().replace(/;\s*$/, '').trim(),
    tables: [...tables],
    identifiers,
    selectsStar: selectsStar(tokens, match),
  };
}

const isPunct = (t: Token | undefined, v: string): boolean => t?.kind === 'punct' && t.value === v;
const isWord = (t: Token | undefined, ...v: string[]): boolean =>
  t?.kind === 'word' && v.includes(t.value);
const isName = (t: Token | undefined): boolean => t?.kind === 'word' || t?.kind === 'quoted';

/** Index of the matching parenthesis for each `(` and `)`. */
function matchParens(tokens: Token[]): Map<number, number> {
  const match = new Map<number, number>();
  const stack: number[] = [];
  tokens.forEach((t, i) => {
    if (isPunct(t, '(')) stack.push(i);
    if (isPunct(t, ')')) {
      const open = stack.pop();
      if (open === undefined) throw new Refused('Unbalanced parentheses');
      match.set(open, i);
      match.set(i, open);
    }
  });
  if (stack.length) throw new Refused('Unbalanced parentheses');
  return match;
}

/** Names defined by `WITH [RECURSIVE] name [(cols)] AS [[NOT] MATERIALIZED] (…), …`. */
function cteNames(tokens: Token[], match: Map<number, number>): string[] {
  const names: string[] = [];
  tokens.forEach((t, i) => {
    if (!isWord(t, 'with')) return;
    let j = isWord(tokens[i + 1], 'recursive') ? i + 2 : i + 1;
    for (;;) {
      const name = tokens[j];
      if (!isName(name)) return;
      let k = j + 1;
      if (isPunct(tokens[k], '(')) k = (match.get(k) ?? k) + 1;
      if (!isWord(tokens[k], 'as')) return;
      k++;
      if (isWord(tokens[k], 'not')) k++;
      if (isWord(tokens[k], 'materialized')) k++;
      if (!isPunct(tokens[k], '(')) return;
      names.push(name.value);
      const close = match.get(k) ?? k;
      if (!isPunct(tokens[close + 1], ',')) return;
      j = close + 2;
    }
  });
  return names;
}

/**
 * Checks every relation after FROM, JOIN and `,` in FROM lists (also inside parenthesised joins), and
 * after TABLE. A FROM counts when its parenthesis level holds a SELECT (so not `extract(x FROM y)`).
 */
function checkTableReferences(
  tokens: Token[],
  match: Map<number, number>,
  check: (name: string) => void,
): void {
  const levelHasSelect: boolean[] = [false];
  tokens.forEach((t, i) => {
    if (isPunct(t, '(')) levelHasSelect.push(false);
    else if (isPunct(t, ')')) levelHasSelect.pop();
    else if (isWord(t, 'select')) levelHasSelect[levelHasSelect.length - 1] = true;
    else if (isWord(t, 'table') && isName(tokens[i + 1])) check(qualifiedName(tokens, i + 1).name);
    else if (isWord(t, 'from') && levelHasSelect[levelHasSelect.length - 1]) {
      const isDistinctFrom =
        isWord(tokens[i - 1], 'distinct') && isWord(tokens[i - 2], 'is', 'not');
      if (!isDistinctFrom) fromList(tokens, match, i + 1, tokens.length, check);
    }
  });
}

/** Walks one FROM list from `start` to the end of its clause (or `end`). */
function fromList(
  tokens: Token[],
  match: Map<number, number>,
  start: number,
  end: number,
  check: (name: string) => void,
): void {
  let expectItem = true;
  let i = start;
  while (i < end) {
    const t = tokens[i];
    if (isPunct(t, ')') || (t.kind === 'word' && CLAUSE_END.has(t.value))) return;
    if (expectItem) {
      if (isWord(t, 'lateral', 'only')) {
        i++;
        continue;
      }
      if (isPunct(t, '(')) {
        const close = match.get(i) ?? end;
        const inner = tokens[i + 1];
        const isSubquery = inner?.kind === 'word' && SUBQUERY_START.has(inner.value);
        if (!isSubquery) fromList(tokens, match, i + 1, close, check);
        i = close + 1;
      } else if (isName(t)) {
        const { name, next } = qualifiedName(tokens, i);
        if (isPunct(tokens[next], '(')) {
          throw new Refused(`Functions in FROM (${name}) are not allowed: query the port's tables`);
        }
        check(name);
        i = next;
      } else {
        throw new Refused(`Unexpected ${JSON.stringify(t.value)} after FROM or JOIN`);
      }
      expectItem = false;
      continue;
    }
    if (isPunct(t, ',') || isWord(t, 'join')) expectItem = true;
    i = isPunct(t, '(') ? (match.get(i) ?? i) + 1 : i + 1;
  }
}

/**
 * A table name, which must come without a schema: on a real database the port's schema is the
 * search path and its tables are read through CTEs that a schema-qualified name would bypass.
 */
function qualifiedName(tokens: Token[], i: number): { name: string; next: number } {
  const parts = [tokens[i].value];
  let j = i + 1;
  while (isPunct(tokens[j], '.') && isName(tokens[j + 1])) {
    parts.push(tokens[j + 1].value);
    j += 2;
  }
  if (parts.length > 1) {
    throw new Refused(
      `"${parts.join('.')}" is not a table of this output port: name its tables without a schema`,
    );
  }
  return { name: parts[parts.length - 1], next: j };
}

/** `*` in a select list (`SELECT *`, `, *`, `t.*`, `DISTINCT ON (…) *`), not `count(*)` or `a * b`. */
function selectsStar(tokens: Token[], match: Map<number, number>): boolean {
  return tokens.some((t, i) => {
    if (t.kind !== 'op' || t.value !== '*') return false;
    const prev = tokens[i - 1];
    if (isWord(prev, 'select', 'distinct', 'all') || isPunct(prev, ',') || isPunct(prev, '.')) {
      return true;
    }
    if (isPunct(prev, ')')) {
      const open = match.get(i - 1) ?? 0;
      return isWord(tokens[open - 1], 'on') && isWord(tokens[open - 2], 'distinct');
    }
    return false;
  });
}
