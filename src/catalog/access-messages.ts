import type { Consumer } from 'src/catalog/access-request';
import { dateOnly } from 'src/catalog/access-rules';
import type { AccessLifecycle } from 'src/catalog/dto/access.dto';
import type { AccessAgreement, ConsumerType, DataProduct, OutputPort } from 'src/catalog/entities';

/** One-line guidance for a language model: what the access state is and which tool to call next. */

const queryHint = (product: DataProduct, port: OutputPort): string =>
  `Call execute_query with dataProductId "${product.externalId}", outputPortId "${port.externalId}", a SELECT query and a purpose.`;

const requestHint = (product: DataProduct, port: OutputPort): string =>
  `Call request_access with dataProductId "${product.externalId}", outputPortId "${port.externalId}" and a purpose (at least 10 characters).`;

export function requestMessage(args: {
  product: DataProduct;
  port: OutputPort;
  consumer: Consumer;
  row: AccessAgreement;
  lifecycle: AccessLifecycle;
  created: boolean;
}): string {
  const { product, port, consumer, row, lifecycle, created } = args;
  const who = consumer.type === 'user' ? 'You' : `The ${consumer.label}`;
  const prefix = created
    ? `Access requested for ${consumer.label} (accessId ${row.id}).`
    : `${who} already ${consumer.type === 'user' ? 'have' : 'has'} a ${lifecycle} agreement for ${product.externalId}/${port.externalId} (accessId ${row.id}); no new request was created.`;
  switch (lifecycle) {
    case 'active':
      return `${prefix} ${row.autoApproved && created ? `It was approved automatically (${row.decisionComment?.replace(/^Auto-approved: /, '') ?? 'auto-approve'}). ` : ''}${queryHint(product, port)}`;
    case 'upcoming':
      return `${prefix} It is approved and starts on ${dateOnly(row.startDate)}.`;
    case 'requested':
      return `${prefix} It waits for a decision by the provider team's owners or approvers (see approvers); check its status later with access_list.`;
    case 'expired':
    case 'rejected':
    case 'canceled':
      return `${prefix} ${requestHint(product, port)}`;
  }
}

const VIA: Readonly<Record<ConsumerType, string>> = {
  user: 'as a user',
  team: 'through your team',
  data_product: 'through a data product of your team',
};

/** The `access.message` of an output port in `fetch`. */
export function portAccessMessage(args: {
  product: DataProduct;
  port: OutputPort;
  best: AccessAgreement | null;
  lifecycle: AccessLifecycle | 'none';
  consumerName: string;
  canRequest: boolean;
}): string {
  const { product, port, best, lifecycle, consumerName, canRequest } = args;
  const via = best ? `${VIA[best.consumerType]}${consumerName ? ` ${consumerName}` : ''}` : '';
  const again = canRequest ? ` ${requestHint(product, port)}` : '';
  switch (lifecycle) {
    case 'none':
      return canRequest
        ? `You have no access yet.${port.autoApprove ? ' Requests for this port are approved automatically.' : ''} ${requestHint(product, port)}`
        : `This port is ${port.status} and the product ${product.status}: access cannot be requested.`;
    case 'active':
      return `You have active access ${via} (accessId ${best?.id}). ${queryHint(product, port)}`;
    case 'upcoming':
      return `Your access ${via} is approved and starts on ${dateOnly(best?.startDate)}.`;
    case 'requested':
      return `Your request ${via} (accessId ${best?.id}) waits for approval by the provider team. Check it with access_list.`;
    case 'expired':
      return `Your access ${via} ended on ${dateOnly(best?.endDate)}.${again}`;
    case 'rejected':
      return `Your request ${via} was rejected${best?.decisionComment ? `: "${best.decisionComment}"` : ''}.${again}`;
    case 'canceled':
      return `Your agreement ${via} was canceled.${again}`;
  }
}
