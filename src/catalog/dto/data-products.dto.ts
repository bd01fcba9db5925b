import type { DataProductDescription, DataProductStatus, OdcsDocument } from 'src/catalog/entities';
import type { AccessLifecycle } from 'src/catalog/dto/access.dto';
import type { ConsumerType } from 'src/catalog/entities';

export interface SearchDataProductsInput {
  /** Words matched (all of them, case-insensitively) against id, name, description, tags and port ids; `"*"` = all. */
  query: string;
  /** Owner team (external id or UUID); includes its sub-teams. */
  teamId?: string;
  /** Default `active`; `"*"` = every status. */
  status?: string;
  tag?: string;
  /** Default 20, at most 100. */
  limit?: number;
  cursor?: string;
}

export interface TeamRefDto {
  id: string;
  name: string;
}

export interface CertificationDto {
  name: string;
  /** 1 = best. */
  rank: number;
}

export interface OutputPortSummaryDto {
  id: string;
  name: string;
  type: string;
  status: string;
}

export interface DataProductSummaryDto {
  id: string;
  name: string;
  description: DataProductDescription;
  status: DataProductStatus;
  archetype: string | null;
  ownerTeam: TeamRefDto;
  tags: string[];
  certification: CertificationDto | null;
  outputPorts: OutputPortSummaryDto[];
}

export interface SearchDataProductsResult {
  results: DataProductSummaryDto[];
  nextCursor?: string;
}

export interface FetchDataProductInput {
  dataProductId: string;
}

export interface PortAccessDto {
  lifecycle: AccessLifecycle | 'none';
  /** The agreement the lifecycle comes from. */
  accessId?: string;
  /** How the caller holds that agreement: as a user, through a team, or through a team's data product. */
  via?: ConsumerType;
  /** True when a `request_access` call would make sense (no active, upcoming or pending agreement). */
  canRequest: boolean;
  /** What to do next, for a language model. */
  message: string;
}

export interface OutputPortDto extends OutputPortSummaryDto {
  server: Record<string, unknown>;
  containsPii: boolean;
  autoApprove: boolean;
  access: PortAccessDto;
  /** The port's ODCS data contract, inlined; null when the port has none. */
  dataContract: OdcsDocument | null;
}

export interface InputPortDto {
  /** The upstream data product (external id). */
  sourceDataProductId: string;
  /** The upstream output port (external id). */
  sourceOutputPortId: string;
  name: string;
}

export interface DataProductDto extends Omit<DataProductSummaryDto, 'outputPorts'> {
  inputPorts: InputPortDto[];
  outputPorts: OutputPortDto[];
}
