import { readDataContract } from 'src/catalog/documents/data-contract.document';
import { expectIdRule, loadDocument } from 'test/fixtures/catalog-documents/catalog-fixtures';

type Doc = Record<string, any>;

const full = (): Doc => loadDocument('full-contract.odcs.yaml');
const v302 = (): Doc => loadDocument('contract-v3.0.2.odcs.yaml');

describe('readDataContract', () => {
  it('should accept the full ODCS v3.1.0 example and map it onto our model', () => {
    expect(readDataContract(full(), 'orders_pii_v1_contract')).toEqual({
      ok: true,
      model: {
        id: 'orders_pii_v1_contract',
        version: '1.2.0',
        status: 'active',
        ownerTeamId: 'checkout',
        tables: ['orders', 'customers'],
      },
      warnings: [
        'dataProduct is deprecated in ODCS v3.1.0 (the data product names its contracts)',
        'slaDefaultElement is deprecated in ODCS v3.1.0 (set element on each SLA property)',
      ],
    });
  });

  it('should accept an ODCS v3.0.2 contract whose team is a list of members, owned by the custom property owner', () => {
    expect(readDataContract(v302())).toEqual({
      ok: true,
      model: {
        id: 'shipments_v1_contract',
        version: '1.0.0',
        status: 'draft',
        ownerTeamId: 'fulfillment',
        tables: ['shipments_v1'],
      },
      warnings: [],
    });
  });

  it.each(['v3.0.0', 'v3.0.1', 'v3.0.2', 'v3.1.0'])('should accept apiVersion %s', (apiVersion) => {
    expect(readDataContract({ ...v302(), apiVersion }).ok).toBe(true);
  });

  it('should fall back to domain for the owner team when neither team.name nor owner names one', () => {
    const doc = v302();
    doc.customProperties = [];
    const result = readDataContract(doc);
    expect(result.ok && result.model.ownerTeamId).toBe('supply-chain');
  });

  it('should leave the body as it was, unknown fields included', () => {
    const doc = full();
    const before = structuredClone(doc);
    expect(readDataContract(doc).ok).toBe(true);
    expect(doc).toEqual(before);
    expect(doc['x-acme-notes']).toEqual({ reviewed: true });
    expect(doc.schema[0].properties[8]['x-acme-masking']).toBe('none');
  });

  it('should warn about a v3.0.x team list in an ODCS v3.1.0 contract', () => {
    const doc = { ...v302(), apiVersion: 'v3.1.0' };
    const result = readDataContract(doc);
    expect(result.ok && result.warnings).toContain(
      'team as a list of members is deprecated in ODCS v3.1.0 (use team.name and team.members)',
    );
  });

  it('should refuse an id other than the expected one and take the expected id when there is none', () => {
    expectIdRule(readDataContract, v302);
  });

  it('should warn about what consumers will miss without refusing', () => {
    const doc = v302();
    doc.version = 'v1';
    delete doc.description;
    delete doc.schema[0].properties[1].logicalType;
    doc.roles[0].customProperties = [{ property: 'restrictedColumns', value: ['nope'] }];
    const result = readDataContract(doc);
    expect(result.ok && result.warnings).toEqual([
      'version "v1" is not semantic versioning (MAJOR.MINOR.PATCH)',
      'schema[0].properties[1] (shipped_on) has no logicalType',
      'roles[0] (shipments.read) lists restricted column nope, which is not in the schema',
      'description is missing (purpose, usage, limitations)',
    ]);
  });
});
