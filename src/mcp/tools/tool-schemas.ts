import { z } from 'zod';

/** Shared input fields with descriptions a language model can act on. */
export const limitField = z
  .number()
  .int()
  .min(1)
  .max(100)
  .optional()
  .describe('Page size, default 20, at most 100.');

export const cursorField = z
  .string()
  .max(500)
  .optional()
  .describe('Opaque cursor from the previous page’s nextCursor; omit for the first page.');

export const dataProductIdField = z
  .string()
  .min(1)
  .max(200)
  .describe('Data product id as returned by search, e.g. "orders".');

export const outputPortIdField = z
  .string()
  .min(1)
  .max(200)
  .describe('Output port id as listed by fetch, e.g. "orders_npii_v1".');

export const accessIdField = z
  .string()
  .uuid()
  .describe('Access agreement id (UUID) as returned by access_list or request_access.');

export const dateField = (what: string) =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, 'Use YYYY-MM-DD')
    .optional()
    .describe(`${what} (YYYY-MM-DD).`);

/** Removes undefined values so services see only what the caller sent. */
export function defined<T extends Record<string, unknown>>(input: T): T {
  return Object.fromEntries(Object.entries(input).filter(([, v]) => v !== undefined)) as T;
}
