export interface ExecuteQueryInput {
  dataProductId: string;
  outputPortId: string;
  /** One read-only SELECT (or WITH … SELECT) over the port's tables. */
  query: string;
  /** Why you run it; at least 10 characters; checked against the terms of use and logged. */
  purpose: string;
}

export interface QueryColumnDto {
  name: string;
  /** PostgreSQL type name, e.g. `text`, `bigint`, `date`. */
  type: string;
}

export interface TermsOfUseReason {
  id: 'prohibited_purpose' | 'restricted_columns' | 'max_queries_per_day';
  message: string;
}

export interface ExecuteQueryResult {
  columns: QueryColumnDto[];
  /** Each row is an array in column order. */
  rows: unknown[][];
  rowCount: number;
  /** True when the query had more than 100 rows and only the first 100 are returned. */
  truncated: boolean;
  evaluation: { decision: 'allowed'; reasons: TermsOfUseReason[] };
}
