import { z } from 'zod';

export interface ExecuteQueryInput {
  dataProductId: string;
  outputPortId: string;
  /** One read-only SELECT (or WITH … SELECT) over the port's tables. */
  query: string;
  /** Why you run it; at least 10 characters; checked against the terms of use and logged. */
  purpose: string;
}

/*
 * Results are zod schemas: the MCP tools advertise them as `outputSchema` and parse their results
 * through them, and the TypeScript types below are inferred from them, so the three cannot drift.
 */

export const queryColumnSchema = z.object({
  name: z.string().describe('Column name.'),
  type: z.string().describe('Column type, e.g. text, integer, numeric, date.'),
});
export type QueryColumnDto = z.infer<typeof queryColumnSchema>;

export const TERMS_OF_USE_REASON_IDS = [
  'prohibited_purpose',
  'restricted_columns',
  'max_queries_per_day',
] as const;

/** Why the terms of use of a data contract refuse a query (also the `reasons` of that error). */
export const termsOfUseReasonSchema = z.object({
  id: z
    .enum(TERMS_OF_USE_REASON_IDS)
    .describe('prohibited_purpose, restricted_columns or max_queries_per_day.'),
  message: z.string().describe('What the terms say and what to change.'),
});
export type TermsOfUseReason = z.infer<typeof termsOfUseReasonSchema>;

export const querySourceSchema = z
  .object({
    engine: z
      .string()
      .describe(
        'Which engine answered: "postgres" (the port\'s real PostgreSQL database) or "sandbox" (example rows in an embedded engine, when no connection to the real database is configured).',
      ),
    server: z
      .string()
      .optional()
      .describe("The name of the port's server (its server block's `server`) that answered."),
  })
  .describe('Where the rows come from.');
export type QuerySourceDto = z.infer<typeof querySourceSchema>;

export const executeQueryResultSchema = z.object({
  columns: z.array(queryColumnSchema).describe('The result columns, in order.'),
  rows: z
    .array(z.array(z.unknown()))
    .describe('At most 100 rows; each row is an array of values in column order.'),
  rowCount: z.number().int().describe('Number of rows returned.'),
  truncated: z
    .boolean()
    .describe('True when the query had more than 100 rows and only the first 100 are returned.'),
  evaluation: z
    .object({
      decision: z.literal('allowed').describe('Always "allowed" (a refusal is an error).'),
      reasons: z
        .array(termsOfUseReasonSchema)
        .describe('Terms-of-use findings that did not refuse the query; usually empty.'),
    })
    .describe('The terms-of-use check of the purpose and query.'),
  source: querySourceSchema,
});
export type ExecuteQueryResult = z.infer<typeof executeQueryResultSchema>;
