/**
 * The catalog's documents (teams, ODPS v1.0.0 data products, ODCS v3.x data contracts) as the
 * REST API, the git import and the export exchange them, and the plain model they map onto.
 *
 * Readers (`src/catalog/documents/*`) validate a document against our own schema and return every
 * problem with its JSON path; they never touch the database. The store (`src/catalog/store/*`)
 * checks the cross-document rules (owner team exists, a port's contract exists, ids consistent)
 * and writes rows.
 */

/** The three kinds of catalog document. */
export const CATALOG_KINDS = ['team', 'dataproduct', 'datacontract'] as const;
export type CatalogKind = (typeof CATALOG_KINDS)[number];

/** One problem in a document: a JSON path (`$.outputPorts[0].name`) and what is wrong there. */
export interface DocumentProblem {
  path: string;
  message: string;
  /** The file (import) the document came from, when there is one. */
  source?: string;
}

/** A document as submitted: its kind, its human id and the parsed body (JSON object). */
export interface CatalogDocument {
  kind: CatalogKind;
  id: string;
  body: Record<string, unknown>;
  /** File path (import) or request (REST) the document came from, for problem reports. */
  source?: string;
}

/** What a team document says, in our terms. */
export interface TeamModel {
  id: string;
  name: string;
  /** One of TEAM_TYPES. */
  type: string;
  /** The parent team's id, when it has one. */
  parentId: string | null;
  /** Team members by email; role is one of TEAM_ROLES (lower case). */
  members: Array<{ email: string; role: string }>;
}

/** What an ODPS output port says, in our terms (extras come from the port's customProperties). */
export interface OutputPortModel {
  /** Our port id (`orders_npii_v1`). */
  id: string;
  name: string;
  type: string;
  /** proposed | active | deprecated | retired (default active). */
  status: string;
  autoApprove: boolean;
  containsPii: boolean;
  /** Where the data lives (ODCS/ODPS server block: server, type, host, port, database, schema, …). */
  server: Record<string, unknown>;
  /** The data contract's id, when the port has one. */
  contractId: string | null;
}

/** What an ODPS input port says: the contract it consumes. */
export interface InputPortModel {
  name: string;
  contractId: string | null;
}

/** What an ODPS v1.0.0 data product says, in our terms. */
export interface DataProductModel {
  id: string;
  name: string;
  /** One of DATA_PRODUCT_STATUSES. */
  status: string;
  archetype: string | null;
  /** The certification's name (Gold, Silver, Bronze, …), when it has one. */
  certification: string | null;
  description: { purpose?: string; usage?: string; limitations?: string };
  /** The owner team's id. */
  ownerTeamId: string;
  tags: string[];
  outputPorts: OutputPortModel[];
  inputPorts: InputPortModel[];
}

/** What an ODCS v3.x data contract says, in our terms. */
export interface DataContractModel {
  id: string;
  version: string;
  /** One of DATA_CONTRACT_STATUSES. */
  status: string;
  /** The owner team's id. */
  ownerTeamId: string;
  /** Table names of the contract's schema (its objects' `physicalName` or `name`). */
  tables: string[];
}

/** A reader's answer: the model, or every problem found (an empty list means valid). */
export type ReadResult<T> =
  { ok: true; model: T; warnings: string[] } | { ok: false; problems: DocumentProblem[] };
