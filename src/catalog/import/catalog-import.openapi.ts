import type { SchemaObject } from '@nestjs/swagger/dist/interfaces/open-api-spec.interface';
import { CATALOG_KINDS } from 'src/catalog/documents/catalog-model';

/** OpenAPI schemas and examples of `POST /api/v1/catalog/import` (its report is an interface). */

const problem: SchemaObject = {
  type: 'object',
  required: ['path', 'message'],
  properties: {
    source: {
      type: 'string',
      description: 'The file (path in the archive or upload, `documents[i]` in a bundle)',
    },
    path: { type: 'string', description: 'JSON path in the document, or the line in the file' },
    message: { type: 'string' },
  },
};

export const IMPORT_REPORT_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['dryRun', 'prune', 'ok', 'problems', 'actions', 'summary'],
  properties: {
    dryRun: { type: 'boolean' },
    prune: { type: 'boolean' },
    ok: { type: 'boolean', description: 'False when problems kept anything from being written' },
    problems: { type: 'array', items: problem },
    actions: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kind', 'id', 'action'],
        properties: {
          kind: { type: 'string', enum: [...CATALOG_KINDS] },
          id: { type: 'string' },
          action: { type: 'string', enum: ['create', 'update', 'unchanged', 'delete'] },
          source: { type: 'string' },
        },
      },
    },
    summary: {
      type: 'object',
      properties: {
        created: { type: 'integer' },
        updated: { type: 'integer' },
        unchanged: { type: 'integer' },
        deleted: { type: 'integer' },
      },
    },
  },
};

export const IMPORT_REPORT_EXAMPLE = {
  dryRun: false,
  prune: false,
  ok: true,
  problems: [],
  actions: [
    { kind: 'team', id: 'web-shop', action: 'unchanged', source: 'teams/web-shop.yaml' },
    {
      kind: 'dataproduct',
      id: 'shop-orders',
      action: 'update',
      source: 'dataproducts/shop-orders.yaml',
    },
  ],
  summary: { created: 0, updated: 1, unchanged: 1, deleted: 0 },
};

export const IMPORT_PROBLEMS_EXAMPLE = {
  dryRun: false,
  prune: false,
  ok: false,
  problems: [
    {
      source: 'dataproducts/shop-orders.yaml',
      path: '$.outputPorts[0].contractId',
      message: 'data contract "shop_orders_v2_contract" does not exist',
    },
    {
      source: 'teams/web-shop.yaml',
      path: 'line 4, column 3',
      message: 'invalid YAML: Map keys must be unique',
    },
  ],
  actions: [],
  summary: { created: 0, updated: 0, unchanged: 0, deleted: 0 },
};

export const IMPORT_BODY_SCHEMA: SchemaObject = {
  oneOf: [
    {
      type: 'object',
      required: ['documents'],
      properties: {
        documents: {
          type: 'array',
          description: 'Teams, ODPS v1.0.0 data products and ODCS v3.1.0 data contracts',
          items: { type: 'object', additionalProperties: true },
        },
      },
    },
    { type: 'string', format: 'binary', description: 'A tar.gz of the catalog folder' },
  ],
};

export const IMPORT_BUNDLE_EXAMPLE = {
  documents: [
    {
      id: 'logistics',
      name: 'Logistics',
      type: 'Team',
      members: [{ emailAddress: 'bob@acme.example', role: 'owner' }],
    },
  ],
};
