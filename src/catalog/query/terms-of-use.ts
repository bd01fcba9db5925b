import {
  ColumnRef,
  isCovered,
  maxQueriesPerDay,
  prohibitedPurposes,
  restrictedColumns,
} from 'src/catalog/contract-terms';
import type { TermsOfUseReason } from 'src/catalog/dto/query.dto';
import type { OdcsDocument } from 'src/catalog/entities';
import type { SqlAnalysis } from 'src/catalog/query/sql-guard';

export interface TermsOfUseInput {
  /** The port's contract; no contract means no terms beyond the agreement. */
  contract: OdcsDocument | null;
  purpose: string;
  /** Roles granted by the caller's active agreements for the port. */
  grantedRoles: readonly string[];
  query: Pick<SqlAnalysis, 'tables' | 'identifiers' | 'selectsStar'>;
  /** Allowed queries of this user on this port today (UTC), before this one. */
  queriesToday: number;
}

export interface TermsOfUseEvaluation {
  reasons: TermsOfUseReason[];
  /** Restricted columns the granted roles do not cover: never loaded into the query engine. */
  hiddenColumns: ColumnRef[];
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Whole-word, case-insensitive match of a phrase (inner spaces match any whitespace). */
export function mentions(text: string, phrase: string): boolean {
  const words = phrase.trim().split(/\s+/).filter(Boolean).map(escapeRegExp);
  if (words.length === 0) return false;
  return new RegExp(`(?<![\\p{L}\\p{N}_])${words.join('\\s+')}(?![\\p{L}\\p{N}_])`, 'iu').test(
    text,
  );
}

/** The deterministic terms-of-use check of execute_query (README, Tools). */
export function evaluateTermsOfUse(input: TermsOfUseInput): TermsOfUseEvaluation {
  const { contract } = input;
  if (!contract) return { reasons: [], hiddenColumns: [] };
  const reasons: TermsOfUseReason[] = [];
  const prohibited = prohibitedPurposes(contract).filter((p) => mentions(input.purpose, p));
  if (prohibited.length) {
    reasons.push({
      id: 'prohibited_purpose',
      message: `The data contract prohibits use for ${prohibited.map((p) => `"${p}"`).join(', ')}; this data cannot be used for that purpose.`,
    });
  }
  const hiddenColumns = restrictedColumns(contract).filter(
    (col) => !isCovered(contract, input.grantedRoles, col),
  );
  const touched = hiddenColumns.filter(
    (col) =>
      input.query.tables.includes(col.table) &&
      (input.query.selectsStar || referencesColumn(input.query.identifiers, col.column)),
  );
  if (touched.length) {
    const names = touched.map((c) => `${c.table}.${c.column}`).join(', ');
    reasons.push({
      id: 'restricted_columns',
      message: `The query reads restricted column(s) ${names}${input.query.selectsStar ? ' (through *)' : ''}, which your agreement's roles do not cover. Select the columns you need by name without them, or request access with a role that covers them.`,
    });
  }
  const max = maxQueriesPerDay(contract);
  if (max !== null && input.queriesToday >= max) {
    reasons.push({
      id: 'max_queries_per_day',
      message: `The data contract allows ${max} queries per user and day on this port, and you have used them; try again tomorrow (UTC).`,
    });
  }
  return { reasons, hiddenColumns };
}

function referencesColumn(identifiers: ReadonlySet<string>, column: string): boolean {
  return identifiers.has(column) || identifiers.has(column.toLowerCase());
}
