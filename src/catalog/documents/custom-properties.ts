import type { z } from 'zod';
import type { DocumentProblem } from 'src/catalog/documents/catalog-model';
import { jsonPath, parseDocument } from 'src/catalog/documents/document-problems';

/**
 * Custom properties (`customProperties[{property, value}]`, shared by ODPS v1.0.0 and ODCS v3.1.0)
 * that carry our own fields. These helpers read the raw body, so their problems are listed
 * together with the schema's even when other parts of the document are invalid.
 */

type Path = readonly PropertyKey[];

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Entries `{property, value}` of a raw customProperties list, with their index. */
function entries(list: unknown): Array<{ index: number; property: string; value: unknown }> {
  if (!Array.isArray(list)) return [];
  const out: Array<{ index: number; property: string; value: unknown }> = [];
  list.forEach((entry, index) => {
    if (isRecord(entry) && typeof entry.property === 'string') {
      out.push({ index, property: entry.property, value: entry.value });
    }
  });
  return out;
}

/** The value of a custom property (the first one of that name), or undefined. */
export function customValue(list: unknown, property: string): unknown {
  return entries(list).find((e) => e.property === property)?.value;
}

/** Where a custom property's value is, for problem reports (`$.customProperties[2].value`). */
export function customValuePath(list: unknown, property: string, base: Path): string | null {
  const entry = entries(list).find((e) => e.property === property);
  return entry ? jsonPath([...base, entry.index, 'value']) : null;
}

/** Problems of our custom properties: a value of the wrong type, or the same property twice. */
export function customPropertyProblems(
  list: unknown,
  rules: Record<string, z.ZodType>,
  base: Path,
): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  const seen = new Map<string, number>();
  for (const { index, property, value } of entries(list)) {
    const rule = Object.hasOwn(rules, property) ? rules[property] : undefined;
    if (!rule) continue;
    const first = seen.get(property);
    if (first !== undefined) {
      problems.push({
        path: jsonPath([...base, index, 'property']),
        message: `"${property}" is already set in ${jsonPath([...base, first])}`,
      });
      continue;
    }
    seen.set(property, index);
    problems.push(...problemsAt(rule, value, [...base, index, 'value']));
  }
  return problems;
}

/** Problems of a value against a schema, with paths below `base`. */
export function problemsAt(schema: z.ZodType, value: unknown, base: Path): DocumentProblem[] {
  const prefix = jsonPath(base);
  return parseDocument(schema, value).problems.map((p) => ({
    ...p,
    path: prefix + p.path.slice(1),
  }));
}
