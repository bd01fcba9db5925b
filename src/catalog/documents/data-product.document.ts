import { z } from 'zod';
import type {
  DataProductModel,
  DocumentProblem,
  InputPortModel,
  OutputPortModel,
  ReadResult,
} from 'src/catalog/documents/catalog-model';
import { customPropertyProblems, customValue } from 'src/catalog/documents/custom-properties';
import { addNew, ownerTeam } from 'src/catalog/documents/owner-team';
import { checkId, notAnObject, parseDocument } from 'src/catalog/documents/document-problems';
import { portServerSchema } from 'src/catalog/documents/odcs-servers';
import { odpsSchema, type OdpsDocument } from 'src/catalog/documents/odps.schema';
import { OUTPUT_PORT_STATUSES } from 'src/catalog/entities';

/*
 * How an ODPS v1.0.0 data product maps onto our model (the reader and the writer below follow the
 * same rules, so `readDataProduct(productDocumentFromModel(m))` gives back `m`):
 * - owner team: ODPS `team.name` (written so); the custom property `owner` is accepted too
 *   (Entropy Data's convention) and must then name the same team.
 * - `archetype` and `certification` (the certification's name): product custom properties.
 * - output port id: the port's `name` (ODPS v1.0.0 defines no port id; name and version are its
 *   key, so a name is used once); our port name: its `description`, else its `name`.
 * - port extras are the port's custom properties: `status` (default active), `autoApprove` and
 *   `containsPii` (default false), `server` (the ODCS server block of the data's location) and
 *   `environment` (read into `server.environment` when the server names none).
 * - a port's contract: its `contractId`; input port: `name` and `contractId`.
 * - our model has no port versions: the writer derives `version` from a `_vN` id suffix (else
 *   1.0.0); the reader warns when a port has none (required by the ODPS JSON schema only).
 * The document itself is stored unchanged: fields we do not map are kept.
 */

const OWNER_MESSAGE = 'must be the id of the owner team (or set the custom property "owner")';

const PRODUCT_PROPERTIES = {
  owner: z.string().min(1),
  archetype: z.string().min(1),
  certification: z.string().min(1),
};

const PORT_PROPERTIES = {
  status: z.enum(OUTPUT_PORT_STATUSES),
  autoApprove: z.boolean(),
  containsPii: z.boolean(),
  server: portServerSchema,
  environment: z.string(),
};

type OdpsOutputPort = NonNullable<OdpsDocument['outputPorts']>[number];
type OdpsInputPort = NonNullable<OdpsDocument['inputPorts']>[number];

export function readDataProduct(body: unknown, expectedId?: string): ReadResult<DataProductModel> {
  const notObject = notAnObject(body, 'an ODPS v1.0.0 data product');
  if (notObject) return { ok: false, problems: notObject };
  const { body: doc, problems } = checkId(body as Record<string, unknown>, expectedId);
  const parsed = parseDocument(odpsSchema, doc);
  problems.push(...parsed.problems, ...productRules(doc));
  const owner = ownerTeam(doc, { domain: false, message: OWNER_MESSAGE });
  addNew(problems, owner.problems);
  if (problems.length || !parsed.data || !owner.id) return { ok: false, problems };
  const product = parsed.data;
  const custom = product.customProperties;
  return {
    ok: true,
    model: {
      id: product.id,
      name: product.name ?? product.id,
      status: product.status,
      archetype: (customValue(custom, 'archetype') as string | undefined) ?? null,
      certification: (customValue(custom, 'certification') as string | undefined) ?? null,
      description: pickDescription(product.description),
      ownerTeamId: owner.id,
      tags: product.tags ?? [],
      outputPorts: (product.outputPorts ?? []).map(outputPortModel),
      inputPorts: (product.inputPorts ?? []).map(inputPortModel),
    },
    warnings: productWarnings(product),
  };
}

function pickDescription(d: OdpsDocument['description']): DataProductModel['description'] {
  const out: DataProductModel['description'] = {};
  if (d?.purpose !== undefined) out.purpose = d.purpose;
  if (d?.usage !== undefined) out.usage = d.usage;
  if (d?.limitations !== undefined) out.limitations = d.limitations;
  return out;
}

function outputPortModel(port: OdpsOutputPort): OutputPortModel {
  const custom = port.customProperties;
  const server = { ...((customValue(custom, 'server') as Record<string, unknown>) ?? {}) };
  const environment = customValue(custom, 'environment');
  if (environment !== undefined && server.environment === undefined) {
    server.environment = environment;
  }
  return {
    id: port.name,
    name: port.description ?? port.name,
    type: port.type ?? (typeof server.type === 'string' ? server.type : 'custom'),
    status: (customValue(custom, 'status') as string | undefined) ?? 'active',
    autoApprove: (customValue(custom, 'autoApprove') as boolean | undefined) ?? false,
    containsPii: (customValue(custom, 'containsPii') as boolean | undefined) ?? false,
    server,
    contractId: port.contractId ?? null,
  };
}

function inputPortModel(port: OdpsInputPort): InputPortModel {
  return { name: port.name, contractId: port.contractId ?? null };
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Our custom properties are typed, and an output port name (our port id) is used once. */
function productRules(doc: Record<string, unknown>): DocumentProblem[] {
  const problems = customPropertyProblems(doc.customProperties, PRODUCT_PROPERTIES, [
    'customProperties',
  ]);
  const seen = new Map<unknown, number>();
  (Array.isArray(doc.outputPorts) ? (doc.outputPorts as unknown[]) : []).forEach((port, i) => {
    if (!isRecord(port)) return;
    const path = ['outputPorts', i, 'customProperties'];
    problems.push(...customPropertyProblems(port.customProperties, PORT_PROPERTIES, path));
    if (typeof port.name !== 'string') return;
    const first = seen.get(port.name);
    if (first === undefined) seen.set(port.name, i);
    else {
      problems.push({
        path: `$.outputPorts[${i}].name`,
        message: `is already the name of $.outputPorts[${first}] (a port's name is its id)`,
      });
    }
  });
  return problems;
}

function productWarnings(product: OdpsDocument): string[] {
  const warnings: string[] = [];
  if (!product.outputPorts?.length) {
    warnings.push('outputPorts is empty: ODPS v1.0.0 expects at least one output port');
  }
  product.outputPorts?.forEach((port, i) => {
    if (port.version === undefined) warnings.push(`outputPorts[${i}].version is missing`);
  });
  product.inputPorts?.forEach((port, i) => {
    if (port.version === undefined) warnings.push(`inputPorts[${i}].version is missing`);
    if (port.contractId === undefined) warnings.push(`inputPorts[${i}].contractId is missing`);
  });
  return warnings;
}

/** An ODPS v1.0.0 document for a product stored without one (the demo seed). */
export function productDocumentFromModel(p: DataProductModel): Record<string, unknown> {
  const doc: Record<string, unknown> = {
    apiVersion: 'v1.0.0',
    kind: 'DataProduct',
    id: p.id,
    name: p.name,
    status: p.status,
  };
  if (Object.keys(p.description).length) doc.description = { ...p.description };
  if (p.tags.length) doc.tags = [...p.tags];
  const custom = [];
  if (p.archetype !== null) custom.push({ property: 'archetype', value: p.archetype });
  if (p.certification !== null) custom.push({ property: 'certification', value: p.certification });
  if (custom.length) doc.customProperties = custom;
  doc.team = { name: p.ownerTeamId };
  if (p.inputPorts.length) doc.inputPorts = p.inputPorts.map(inputPortDocument);
  doc.outputPorts = p.outputPorts.map(outputPortDocument);
  return doc;
}

function inputPortDocument(port: InputPortModel): Record<string, unknown> {
  const doc: Record<string, unknown> = { name: port.name, version: versionOf(port.contractId) };
  if (port.contractId !== null) doc.contractId = port.contractId;
  return doc;
}

function outputPortDocument(port: OutputPortModel): Record<string, unknown> {
  const doc: Record<string, unknown> = { name: port.id };
  if (port.name !== port.id) doc.description = port.name;
  doc.type = port.type;
  doc.version = versionOf(port.id);
  if (port.contractId !== null) doc.contractId = port.contractId;
  const custom: Array<{ property: string; value: unknown }> = [
    { property: 'status', value: port.status },
    { property: 'autoApprove', value: port.autoApprove },
    { property: 'containsPii', value: port.containsPii },
  ];
  if (Object.keys(port.server).length) custom.push({ property: 'server', value: port.server });
  doc.customProperties = custom;
  return doc;
}

/** `orders_npii_v2` → `2.0.0`; ids without a `_vN` suffix → `1.0.0`. */
function versionOf(id: string | null): string {
  const major = id ? /[_-]v(\d+)$/i.exec(id)?.[1] : undefined;
  return `${major ? Number(major) : 1}.0.0`;
}
