import { z } from 'zod';

/** The `nextCursor` of a paged result (see pagination.ts). */
export const nextCursorSchema = z
  .string()
  .optional()
  .describe('Pass as cursor to get the next page; absent on the last page.');
