import { In } from 'typeorm';
import {
  DemoAgreement,
  DemoOutputPort,
  DemoProduct,
  exampleColumns,
  resolveDate,
  toOdcsDocument,
} from 'src/catalog/demo/demo-model';
import type { DemoSeedContext } from 'src/catalog/demo/demo-seed.context';
import {
  AccessAgreement,
  DataContract,
  DataContractVersion,
  DataProduct,
  ExampleTable,
  InputPort,
  OutputPort,
} from 'src/catalog/entities';

/** Seed steps for contracts, data products, ports, example tables and access agreements. */

const CONTRACT_VERSION = '1.0.0';

function allPorts(ctx: DemoSeedContext): Array<{ product: DemoProduct; port: DemoOutputPort }> {
  return ctx.data.products.flatMap((product) =>
    product.outputPorts.map((port) => ({ product, port })),
  );
}

/** One active contract per output port, owned by the product's owner team, with its version row. */
export async function seedContracts(ctx: DemoSeedContext): Promise<void> {
  for (const c of await ctx.tx.find(DataContract, {
    where: { organizationId: In(ctx.orgIds()) },
  })) {
    ctx.remember(`contract:${c.organizationId}/${c.externalId}`, c.id);
  }
  const contracts = allPorts(ctx).map(({ product, port }) => ({
    key: ctx.scoped('contract', product.organization, port.contract.externalId),
    values: {
      organizationId: ctx.org(product.organization),
      externalId: port.contract.externalId,
      version: CONTRACT_VERSION,
      status: 'active' as const,
      ownerTeamId: ctx.id(ctx.scoped('team', product.organization, product.ownerTeam)),
      document: toOdcsDocument(port.contract, product.ownerTeam),
    },
  }));
  await ctx.insertMissing(DataContract, contracts);
  const contractIds = contracts.map((c) => ctx.id(c.key));
  for (const v of await ctx.tx.find(DataContractVersion, {
    where: { dataContractId: In(contractIds) },
  })) {
    ctx.remember(`contract-version:${v.dataContractId}/${v.version}`, v.id);
  }
  await ctx.insertMissing(
    DataContractVersion,
    contracts.map(({ values }, i) => ({
      key: `contract-version:${contractIds[i]}/${values.version}`,
      values: {
        organizationId: values.organizationId,
        dataContractId: contractIds[i],
        version: values.version,
        document: values.document,
        createdBy: null,
      },
    })),
  );
}

export async function seedProducts(ctx: DemoSeedContext): Promise<void> {
  for (const p of await ctx.tx.find(DataProduct, {
    where: { organizationId: In(ctx.orgIds()) },
  })) {
    ctx.remember(`product:${p.organizationId}/${p.externalId}`, p.id);
    ctx.productTeam.set(p.id, p.ownerTeamId);
  }
  const rows = ctx.data.products.map((p) => ({
    key: ctx.scoped('product', p.organization, p.externalId),
    values: {
      organizationId: ctx.org(p.organization),
      externalId: p.externalId,
      name: p.name,
      status: p.status,
      archetype: p.archetype,
      description: { ...p.description },
      ownerTeamId: ctx.id(ctx.scoped('team', p.organization, p.ownerTeam)),
      certificationId: p.certification
        ? ctx.id(ctx.scoped('certification', p.organization, p.certification))
        : null,
      tags: [...p.tags],
    },
  }));
  await ctx.insertMissing(DataProduct, rows);
  for (const r of rows) {
    const id = ctx.id(r.key);
    if (!ctx.productTeam.has(id)) ctx.productTeam.set(id, r.values.ownerTeamId);
  }
}

export async function seedOutputPorts(ctx: DemoSeedContext): Promise<void> {
  for (const p of await ctx.tx.find(OutputPort, {
    where: { organizationId: In(ctx.orgIds()) },
  })) {
    ctx.remember(`port:${p.organizationId}/${p.externalId}`, p.id);
    ctx.portProduct.set(p.id, p.dataProductId);
  }
  const rows = allPorts(ctx).map(({ product, port }) => ({
    key: ctx.scoped('port', product.organization, port.externalId),
    values: {
      organizationId: ctx.org(product.organization),
      dataProductId: ctx.id(ctx.scoped('product', product.organization, product.externalId)),
      externalId: port.externalId,
      name: port.name,
      type: port.type,
      server: { ...port.server },
      status: 'active' as const,
      autoApprove: port.autoApprove,
      containsPii: port.containsPii,
      dataContractId: ctx.id(
        ctx.scoped('contract', product.organization, port.contract.externalId),
      ),
    },
  }));
  await ctx.insertMissing(OutputPort, rows);
  for (const r of rows) {
    const id = ctx.id(r.key);
    if (!ctx.portProduct.has(id)) ctx.portProduct.set(id, r.values.dataProductId);
  }
}

/** Lineage: one input port per source output port a product reads from. */
export async function seedInputPorts(ctx: DemoSeedContext): Promise<void> {
  const where = { organizationId: In(ctx.orgIds()) };
  for (const p of await ctx.tx.find(InputPort, { where })) {
    ctx.remember(`input:${p.dataProductId}/${p.sourceOutputPortId}`, p.id);
  }
  await ctx.insertMissing(
    InputPort,
    ctx.data.products.flatMap((p) =>
      p.inputPorts.map((source) => {
        const dataProductId = ctx.id(ctx.scoped('product', p.organization, p.externalId));
        const sourceOutputPortId = ctx.id(ctx.scoped('port', p.organization, source));
        return {
          key: `input:${dataProductId}/${sourceOutputPortId}`,
          values: { organizationId: ctx.org(p.organization), dataProductId, sourceOutputPortId },
        };
      }),
    ),
  );
}

/** The rows behind each port: one example table per contract schema object. */
export async function seedExampleTables(ctx: DemoSeedContext): Promise<void> {
  const where = { organizationId: In(ctx.orgIds()) };
  for (const t of await ctx.tx.find(ExampleTable, { where })) {
    ctx.remember(`example:${t.outputPortId}/${t.tableName}`, t.id);
  }
  await ctx.insertMissing(
    ExampleTable,
    allPorts(ctx).flatMap(({ product, port }) => {
      const outputPortId = ctx.id(ctx.scoped('port', product.organization, port.externalId));
      return port.contract.tables.map((t) => ({
        key: `example:${outputPortId}/${t.name}`,
        values: {
          organizationId: ctx.org(product.organization),
          outputPortId,
          tableName: t.name,
          columns: exampleColumns(t),
          rows: t.rows,
        },
      }));
    }),
  );
}

export async function seedAgreements(ctx: DemoSeedContext): Promise<void> {
  const externalIds = ctx.data.agreements.map((a) => a.externalId);
  for (const a of await ctx.tx.find(AccessAgreement, {
    where: { organizationId: In(ctx.orgIds()), externalId: In(externalIds) },
  })) {
    ctx.remember(`agreement:${a.organizationId}/${a.externalId}`, a.id);
  }
  await ctx.insertMissing(
    AccessAgreement,
    ctx.data.agreements.map((a) => ({
      key: ctx.scoped('agreement', a.organization, a.externalId),
      values: agreementValues(ctx, a),
    })),
  );
}

function agreementValues(ctx: DemoSeedContext, a: DemoAgreement): Partial<AccessAgreement> {
  const scoped = (kind: string, externalId: string): string =>
    ctx.id(ctx.scoped(kind, a.organization, externalId));
  const portId = scoped('port', a.port);
  const productId = ctx.portProduct.get(portId) ?? ctx.id(`product of port ${a.port}`);
  const c = a.consumer;
  return {
    organizationId: ctx.org(a.organization),
    externalId: a.externalId,
    providerDataProductId: productId,
    providerOutputPortId: portId,
    providerTeamId: ctx.productTeam.get(productId) ?? ctx.id(`owner team of ${a.port}`),
    consumerType: c.type,
    consumerUserId: c.type === 'user' ? ctx.user(c.email) : null,
    consumerTeamId: c.type === 'team' ? scoped('team', c.team) : null,
    consumerDataProductId: c.type === 'data_product' ? scoped('product', c.product) : null,
    purpose: a.purpose,
    roles: [...a.roles],
    status: a.status,
    startDate: a.startDate ? resolveDate(a.startDate, ctx.day) : null,
    endDate: a.endDate ? resolveDate(a.endDate, ctx.day) : null,
    autoApproved: a.autoApproved,
    requestedBy: ctx.user(a.requestedBy),
    decidedBy: a.decidedBy ? ctx.user(a.decidedBy) : null,
    decisionComment: a.decisionComment,
  };
}
