import type { DataContractStatus, OdcsDocument } from 'src/catalog/entities';

export interface GetDataContractInput {
  /** External id (the ODCS `id`) or UUID. */
  dataContractId: string;
  /** Default `json`. */
  format?: 'json' | 'yaml';
}

export interface ImplementedByDto {
  dataProductId: string;
  outputPortId: string;
}

export type GetDataContractResult =
  | { dataContract: OdcsDocument; implementedBy: ImplementedByDto[] }
  | { yaml: string; implementedBy: ImplementedByDto[] };

/** Exactly one of `dataContract` and `yaml`. */
export interface SaveDataContractInput {
  dataContract?: Record<string, unknown>;
  yaml?: string;
}

export interface SaveDataContractResult {
  id: string;
  version: string;
  status: DataContractStatus;
  /** False when this exact version was already stored (nothing changed). */
  created: boolean;
  warnings: string[];
}
