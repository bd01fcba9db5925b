import { z } from 'zod';
import {
  authoritativeDefinitionsSchema,
  customPropertiesSchema,
  stableIdSchema,
  tagsSchema,
} from 'src/catalog/documents/bitol.schema';
import {
  integer,
  mustBeOneOf,
  oneOf,
  problemMessages,
  REQUIRED,
} from 'src/catalog/documents/document-problems';

/**
 * ODCS v3.1.0 "Schema" (objects and their properties), "Data quality" and "Relationships". ODCS
 * v3.0.x defines the same elements without `id`, `relationships` and the `timestamp`/`time`
 * logical types; one schema serves both (a v3.0.x document using them is still accepted).
 */

/** ODCS v3.1.0 logical types of a property. */
export const LOGICAL_TYPES = [
  'string',
  'date',
  'timestamp',
  'time',
  'number',
  'integer',
  'object',
  'array',
  'boolean',
] as const;
export type LogicalType = (typeof LOGICAL_TYPES)[number];

const definitions = authoritativeDefinitionsSchema('text');

export const QUALITY_DIMENSIONS = [
  'accuracy',
  'completeness',
  'conformity',
  'consistency',
  'coverage',
  'timeliness',
  'uniqueness',
] as const;
export const QUALITY_TYPES = ['text', 'library', 'sql', 'custom'] as const;
export const QUALITY_METRICS = [
  'nullValues',
  'missingValues',
  'invalidValues',
  'duplicateValues',
  'rowCount',
] as const;

const numberPair = z.tuple([z.number(), z.number()]);

/** ODCS v3.1.0 data quality check; `type` (default `library`) decides what else it needs. */
const qualitySchema = z
  .looseObject({
    id: stableIdSchema.optional(),
    name: z.string().optional(),
    description: z.string().optional(),
    type: oneOf(QUALITY_TYPES).optional(),
    dimension: oneOf(QUALITY_DIMENSIONS).optional(),
    method: z.string().optional(),
    businessImpact: z.string().optional(),
    severity: z.string().optional(),
    unit: z.string().optional(),
    schedule: z.string().optional(),
    scheduler: z.string().optional(),
    tags: tagsSchema.optional(),
    customProperties: customPropertiesSchema.optional(),
    authoritativeDefinitions: definitions.optional(),
    metric: oneOf(QUALITY_METRICS).optional(),
    rule: z.string().optional(),
    arguments: z.record(z.string(), z.unknown()).optional(),
    query: z.string().optional(),
    engine: z.string().optional(),
    implementation: z
      .union([z.string(), z.record(z.string(), z.unknown())], {
        error: 'must be text or an object',
      })
      .optional(),
    mustBe: z.unknown().optional(),
    mustNotBe: z.unknown().optional(),
    mustBeGreaterThan: z.number().optional(),
    mustBeGreaterOrEqualTo: z.number().optional(),
    mustBeLessThan: z.number().optional(),
    mustBeLessOrEqualTo: z.number().optional(),
    mustBeBetween: numberPair.optional(),
    mustNotBeBetween: numberPair.optional(),
  })
  .superRefine((check, ctx) => {
    const need = (field: keyof typeof check, why: string) => {
      if (check[field] === undefined) {
        ctx.addIssue({ code: 'custom', path: [field], message: `is required for ${why}` });
      }
    };
    if (check.type === 'sql') need('query', 'a sql check');
    if (check.type === 'custom') {
      need('engine', 'a custom check');
      need('implementation', 'a custom check');
    }
    // ODCS v3.0.x names a library check by `rule`, v3.1.0 by `metric`.
    if (check.type === 'library' && check.rule === undefined) need('metric', 'a library check');
  });
const qualityChecks = z.array(qualitySchema);

/**
 * ODCS v3.1.0 "References": shorthand `table.column` (names, dots, nested allowed) or fully
 * qualified `[<file>#][/]<section>/<id>[/properties/<id>…]` (ids).
 */
const SHORTHAND = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)+$/;
const QUALIFIED =
  /^(?:[^#\s]+#)?\/?[A-Za-z_][A-Za-z0-9_]*\/[A-Za-z0-9_-]+(?:\/[A-Za-z_][A-Za-z0-9_]*\/[A-Za-z0-9_-]+)*$/;
const REFERENCE_MESSAGE =
  'must be a reference: "table.column" or "schema/<id>/properties/<id>" (ODCS v3.1.0 references)';
const reference = z
  .string({ error: REFERENCE_MESSAGE })
  .refine((r) => SHORTHAND.test(r) || QUALIFIED.test(r), { error: REFERENCE_MESSAGE });
const references = z.union([reference, z.array(reference).min(1)], {
  error: (iss) =>
    iss.input === undefined ? REQUIRED : `${REFERENCE_MESSAGE}, or a list of them (composite key)`,
});

/**
 * ODCS v3.1.0 relationship (`foreignKey`, the default and only type): a property-level one has
 * only `to` (the property is the source); a schema-level one has `from` and `to`, both one
 * reference or both lists of the same length (a composite key).
 */
function relationshipSchema(level: 'schema' | 'property') {
  return z
    .looseObject({
      type: z.literal('foreignKey').optional(),
      from: level === 'schema' ? references : references.optional(),
      to: references,
      customProperties: customPropertiesSchema.optional(),
    })
    .superRefine((rel, ctx) => {
      if (level === 'property' && rel.from !== undefined) {
        ctx.addIssue({
          code: 'custom',
          path: ['from'],
          message: 'must not be set on a property-level relationship (the property is the source)',
        });
      }
      if (level === 'property' || rel.from === undefined) return;
      const from = Array.isArray(rel.from) ? rel.from.length : 'one';
      const to = Array.isArray(rel.to) ? rel.to.length : 'one';
      if (from !== to) {
        ctx.addIssue({
          code: 'custom',
          path: ['to'],
          message: `must be as many references as from (${String(from)}), not ${String(to)}`,
        });
      }
    });
}

const elementFields = {
  id: stableIdSchema.optional(),
  name: z.string().min(1),
  physicalType: z.string().optional(),
  physicalName: z.string().optional(),
  description: z.string().optional(),
  businessName: z.string().optional(),
  authoritativeDefinitions: definitions.optional(),
  tags: tagsSchema.optional(),
  customProperties: customPropertiesSchema.optional(),
};

/** The `logicalTypeOptions` ODCS v3.1.0 allows for each logical type. */
const TYPE_OPTIONS: Partial<Record<LogicalType, z.ZodType>> = (() => {
  const bound = z.string().optional();
  const numeric = (formats: readonly [string, ...string[]]) =>
    z.looseObject({
      multipleOf: z.number().positive().optional(),
      minimum: z.number().optional(),
      maximum: z.number().optional(),
      exclusiveMinimum: z.number().optional(),
      exclusiveMaximum: z.number().optional(),
      format: oneOf(formats).optional(),
    });
  const temporal = {
    format: z.string().optional(),
    minimum: bound,
    maximum: bound,
    exclusiveMinimum: bound,
    exclusiveMaximum: bound,
  };
  const time = z.looseObject({
    ...temporal,
    timezone: z.boolean().optional(),
    defaultTimezone: z.string().optional(),
  });
  const count = integer().min(0).optional();
  return {
    string: z.looseObject({
      minLength: count,
      maxLength: count,
      pattern: z.string().optional(),
      format: z.string().optional(),
    }),
    date: z.looseObject(temporal),
    timestamp: time,
    time,
    integer: numeric(['i8', 'i16', 'i32', 'i64', 'i128', 'u8', 'u16', 'u32', 'u64', 'u128']),
    number: numeric(['f32', 'f64']),
    object: z.looseObject({
      minProperties: count,
      maxProperties: count,
      required: z.array(z.string()).min(1).optional(),
    }),
    array: z.looseObject({
      minItems: count,
      maxItems: count,
      uniqueItems: z.boolean().optional(),
    }),
  };
})();

interface PropertyShape {
  logicalType?: LogicalType;
  logicalTypeOptions?: Record<string, unknown>;
}

function checkTypeOptions(prop: PropertyShape, ctx: z.RefinementCtx): void {
  const schema = prop.logicalType && TYPE_OPTIONS[prop.logicalType];
  if (!schema || prop.logicalTypeOptions === undefined) return;
  const result = schema.safeParse(prop.logicalTypeOptions, { error: problemMessages });
  for (const issue of result.error?.issues ?? []) {
    ctx.addIssue({
      code: 'custom',
      message: issue.message,
      path: ['logicalTypeOptions', ...issue.path],
    });
  }
}

const propertyFields = {
  primaryKey: z.boolean().optional(),
  primaryKeyPosition: integer().optional(),
  logicalType: z.enum(LOGICAL_TYPES, { error: mustBeOneOf(LOGICAL_TYPES) }).optional(),
  logicalTypeOptions: z.record(z.string(), z.unknown()).optional(),
  required: z.boolean().optional(),
  unique: z.boolean().optional(),
  partitioned: z.boolean().optional(),
  partitionKeyPosition: integer().optional(),
  classification: z.string().optional(),
  encryptedName: z.string().optional(),
  transformSourceObjects: z.array(z.string()).optional(),
  transformLogic: z.string().optional(),
  transformDescription: z.string().optional(),
  examples: z.array(z.unknown()).optional(),
  criticalDataElement: z.boolean().optional(),
  relationships: z.array(relationshipSchema('property')).optional(),
  quality: qualityChecks.optional(),
};

/** A property (column or field); `properties` for an object, `items` for an array. */
export const propertySchema: z.ZodType<Record<string, unknown>> = propertyObject(z.string().min(1));

/** An array's `items`: a property without a name. */
const itemSchema: z.ZodType<Record<string, unknown>> = propertyObject(z.string().optional());

function propertyObject(name: z.ZodType<string | undefined>) {
  return z
    .looseObject({
      ...elementFields,
      name,
      ...propertyFields,
      get properties() {
        return z.array(propertySchema).optional();
      },
      get items() {
        return itemSchema.optional();
      },
    })
    .superRefine(checkTypeOptions);
}

/** A schema object (a table, view, topic or file). */
export const schemaObjectSchema = z.looseObject({
  ...elementFields,
  logicalType: z.literal('object').optional(),
  dataGranularityDescription: z.string().optional(),
  properties: z.array(propertySchema).optional(),
  relationships: z.array(relationshipSchema('schema')).optional(),
  quality: qualityChecks.optional(),
});
