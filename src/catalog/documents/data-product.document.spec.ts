import type { DataProductModel } from 'src/catalog/documents/catalog-model';
import {
  productDocumentFromModel,
  readDataProduct,
} from 'src/catalog/documents/data-product.document';
import { expectIdRule, loadDocument } from 'test/fixtures/catalog-documents/catalog-fixtures';

type Doc = Record<string, any>;

const full = (): Doc => loadDocument('full-product.odps.yaml');

const expectedModel: DataProductModel = {
  id: 'orders',
  name: 'Orders',
  status: 'active',
  archetype: 'source-aligned',
  certification: 'Gold',
  description: {
    purpose: 'Every order placed in the web shop, one row per order line.',
    usage: 'Join with customers on customer_id.',
    limitations: 'Orders before 2020 are not included.',
  },
  ownerTeamId: 'checkout',
  tags: ['sales', 'orders'],
  outputPorts: [
    {
      id: 'orders_pii_v1',
      name: 'Orders with customer contact (PII)',
      type: 'postgres',
      status: 'active',
      autoApprove: false,
      containsPii: true,
      server: {
        server: 'warehouse',
        type: 'postgres',
        host: 'db.acme.example',
        port: 5432,
        database: 'warehouse',
        schema: 'orders',
        environment: 'prod',
      },
      contractId: 'orders_pii_v1_contract',
    },
    {
      id: 'orders_npii_v1',
      name: 'Orders without PII',
      type: 'postgres',
      status: 'active',
      autoApprove: true,
      containsPii: false,
      server: {},
      contractId: 'orders_npii_v1_contract',
    },
  ],
  inputPorts: [{ name: 'webshop_events', contractId: 'webshop_events_v1_contract' }],
};

describe('readDataProduct', () => {
  it('should accept the full example and map it onto our model', () => {
    expect(readDataProduct(full(), 'orders')).toEqual({
      ok: true,
      model: expectedModel,
      warnings: [],
    });
  });

  it('should leave the body as it was, unknown fields included', () => {
    const doc = full();
    const before = structuredClone(doc);
    expect(readDataProduct(doc).ok).toBe(true);
    expect(doc).toEqual(before);
    expect(doc['x-acme-notes']).toEqual({ reviewed: true });
    expect(doc.outputPorts[1]['x-acme-sla']).toBe('gold');
  });

  it('should refuse a body whose id is not the expected one, and take the expected id when the body has none', () => {
    expectIdRule(readDataProduct, full);
  });

  it('should accept the custom property owner instead of team.name (Entropy Data)', () => {
    const doc = full();
    delete doc.team;
    doc.customProperties.push({ property: 'owner', value: 'fulfillment' });
    const result = readDataProduct(doc);
    expect(result.ok && result.model.ownerTeamId).toBe('fulfillment');
  });

  it('should default what a minimal product leaves out, and warn where ODPS expects more', () => {
    const minimal = {
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      id: 'stock',
      status: 'draft',
      team: { name: 'fulfillment' },
      inputPorts: [{ name: 'erp' }],
      outputPorts: [
        {
          name: 'stock_v1',
          customProperties: [{ property: 'server', value: { type: 'postgres' } }],
        },
      ],
    };
    expect(readDataProduct(minimal)).toEqual({
      ok: true,
      model: {
        id: 'stock',
        name: 'stock',
        status: 'draft',
        archetype: null,
        certification: null,
        description: {},
        ownerTeamId: 'fulfillment',
        tags: [],
        outputPorts: [
          {
            id: 'stock_v1',
            name: 'stock_v1',
            type: 'postgres',
            status: 'active',
            autoApprove: false,
            containsPii: false,
            server: { type: 'postgres' },
            contractId: null,
          },
        ],
        inputPorts: [{ name: 'erp', contractId: null }],
      },
      warnings: [
        'outputPorts[0].version is missing',
        'inputPorts[0].version is missing',
        'inputPorts[0].contractId is missing',
      ],
    });
  });
});

describe('productDocumentFromModel', () => {
  it('should write an ODPS v1.0.0 document that reads back as the same model, without warnings', () => {
    const doc = productDocumentFromModel(expectedModel);
    expect(readDataProduct(doc, 'orders')).toEqual({
      ok: true,
      model: expectedModel,
      warnings: [],
    });
  });

  it('should round-trip a bare model (no description, tags, archetype, ports)', () => {
    const bare: DataProductModel = {
      ...expectedModel,
      name: 'orders',
      archetype: null,
      certification: null,
      description: {},
      tags: [],
      inputPorts: [{ name: 'erp', contractId: null }],
      outputPorts: [{ ...expectedModel.outputPorts[1], name: 'orders_npii_v1', type: 'custom' }],
    };
    const result = readDataProduct(productDocumentFromModel(bare));
    expect(result.ok && result.model).toEqual(bare);
  });

  it('should write the owner as team.name, port extras as custom properties and a version per port', () => {
    const doc = productDocumentFromModel(expectedModel) as Doc;
    expect(doc).toMatchObject({
      apiVersion: 'v1.0.0',
      kind: 'DataProduct',
      team: { name: 'checkout' },
    });
    expect(doc.outputPorts[0]).toMatchObject({
      name: 'orders_pii_v1',
      description: 'Orders with customer contact (PII)',
      version: '1.0.0',
      contractId: 'orders_pii_v1_contract',
    });
    expect(doc.outputPorts[0].customProperties).toContainEqual({
      property: 'containsPii',
      value: true,
    });
  });
});
