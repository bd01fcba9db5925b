import type {
  DataContractModel,
  DataProductModel,
  DocumentProblem,
  TeamModel,
} from 'src/catalog/documents/catalog-model';

/** A document read into our model, with where it came from (file or request). */
export type ModelEntry =
  | { kind: 'team'; id: string; model: TeamModel; source?: string }
  | { kind: 'dataproduct'; id: string; model: DataProductModel; source?: string }
  | { kind: 'datacontract'; id: string; model: DataContractModel; source?: string };

/**
 * What an organization's catalog holds, by human ids: enough to check the rules between documents
 * (owner team exists, parent team exists without a cycle, a port's contract exists, port ids unique,
 * team members are members of the organization).
 */
export interface CatalogIndex {
  /** Team id → parent team id. */
  teams: Map<string, string | null>;
  contracts: Set<string>;
  products: Set<string>;
  /** Output port id → the id of the product that has it (port ids are unique per organization). */
  ports: Map<string, string>;
  /** E-mail addresses (lower case) of the organization's members. */
  emails: Set<string>;
}

/** Where the owner team is named in each kind of document (for problem paths). */
export const OWNER_PATH = '$.team.name';

/**
 * The catalog as it will be after the entries are applied: the database's (or, with `replaceAll`,
 * nothing but the entries, as an import with prune leaves it) with every entry put in.
 */
export function overlay(
  base: CatalogIndex,
  entries: readonly ModelEntry[],
  replaceAll = false,
): CatalogIndex {
  const next: CatalogIndex = replaceAll
    ? {
        teams: new Map(),
        contracts: new Set(),
        products: new Set(),
        ports: new Map(),
        emails: base.emails,
      }
    : {
        teams: new Map(base.teams),
        contracts: new Set(base.contracts),
        products: new Set(base.products),
        ports: new Map(base.ports),
        emails: base.emails,
      };
  for (const e of entries) {
    if (e.kind === 'team') next.teams.set(e.id, e.model.parentId);
    else if (e.kind === 'datacontract') next.contracts.add(e.id);
    else {
      next.products.add(e.id);
      for (const [port, product] of next.ports) if (product === e.id) next.ports.delete(port);
    }
  }
  // Ports after every product has let go of its old ones, so a port may move between products.
  for (const e of entries) {
    if (e.kind !== 'dataproduct') continue;
    for (const port of e.model.outputPorts)
      if (!next.ports.has(port.id)) next.ports.set(port.id, e.id);
  }
  return next;
}

/** Every rule between documents the entries break, checked against the catalog they make. */
export function checkRules(index: CatalogIndex, entries: readonly ModelEntry[]): DocumentProblem[] {
  return entries.flatMap((e) => {
    const problems =
      e.kind === 'team'
        ? checkTeam(index, e.model)
        : e.kind === 'dataproduct'
          ? checkProduct(index, e.model)
          : checkOwner(index, e.model.ownerTeamId);
    return problems.map((p) => (e.source ? { ...p, source: e.source } : p));
  });
}

function checkTeam(index: CatalogIndex, team: TeamModel): DocumentProblem[] {
  const problems: DocumentProblem[] = [];
  if (team.parentId !== null) {
    if (!index.teams.has(team.parentId)) {
      problems.push({ path: '$.parent', message: `parent team "${team.parentId}" does not exist` });
    } else {
      const chain = [team.id];
      let cur: string | null | undefined = team.parentId;
      while (cur && !chain.includes(cur)) {
        chain.push(cur);
        cur = index.teams.get(cur);
      }
      if (cur === team.id) {
        problems.push({
          path: '$.parent',
          message: `parent team "${team.parentId}" would make a cycle: ${[...chain, team.id].join(' → ')}`,
        });
      }
    }
  }
  team.members.forEach((m, i) => {
    if (!index.emails.has(m.email.toLowerCase())) {
      problems.push({
        path: `$.members[${i}].emailAddress`,
        message: `${m.email} is not a member of this organization: add them to the organization first`,
      });
    }
  });
  return problems;
}

function checkOwner(index: CatalogIndex, ownerTeamId: string): DocumentProblem[] {
  return index.teams.has(ownerTeamId)
    ? []
    : [{ path: OWNER_PATH, message: `owner team "${ownerTeamId}" does not exist` }];
}

function checkProduct(index: CatalogIndex, product: DataProductModel): DocumentProblem[] {
  const problems = checkOwner(index, product.ownerTeamId);
  const seen = new Set<string>();
  product.outputPorts.forEach((port, i) => {
    const owner = index.ports.get(port.id);
    if (seen.has(port.id)) {
      problems.push({
        path: `$.outputPorts[${i}].name`,
        message: `output port "${port.id}" appears twice`,
      });
    } else if (owner !== undefined && owner !== product.id) {
      problems.push({
        path: `$.outputPorts[${i}].name`,
        message: `output port id "${port.id}" is already used by data product "${owner}" (port ids are unique in the organization)`,
      });
    }
    seen.add(port.id);
    if (port.contractId !== null && !index.contracts.has(port.contractId)) {
      problems.push({
        path: `$.outputPorts[${i}].contractId`,
        message: `data contract "${port.contractId}" does not exist`,
      });
    }
  });
  return problems;
}
