/** Example documents for the OpenAPI description (synthetic, `example` domains). */

export const TEAM_EXAMPLE = {
  id: 'web-shop',
  name: 'Web Shop',
  type: 'Team',
  parent: 'ecommerce',
  description: 'Builds the web shop and owns its order data.',
  members: [
    { emailAddress: 'alice@acme.example', role: 'Owner' },
    { emailAddress: 'bob@acme.example', role: 'Editor' },
  ],
  tags: ['ecommerce'],
  links: { wiki: 'https://wiki.acme.example/web-shop' },
  custom: { costCenter: 'CC-4711' },
};

/** ODPS v1.0.0; our port extras and the owner live in custom properties. */
export const DATA_PRODUCT_EXAMPLE = {
  apiVersion: 'v1.0.0',
  kind: 'DataProduct',
  id: 'shop-orders',
  name: 'Shop Orders',
  version: '1.0.0',
  status: 'active',
  description: {
    purpose: 'Every order placed in the web shop, one row per order line.',
    usage: 'Sales reporting and demand forecasting.',
    limitations: 'Orders of the last 24 hours may still change.',
  },
  tags: ['sales', 'orders'],
  team: { name: 'web-shop' },
  customProperties: [
    { property: 'archetype', value: 'source-aligned' },
    { property: 'certification', value: 'Gold' },
  ],
  outputPorts: [
    {
      name: 'shop_orders_v1',
      description: 'Shop orders v1',
      type: 'postgres',
      version: '1.0.0',
      contractId: 'shop_orders_v1_contract',
      customProperties: [
        { property: 'status', value: 'active' },
        { property: 'autoApprove', value: false },
        { property: 'containsPii', value: true },
        {
          property: 'server',
          value: {
            server: 'warehouse',
            type: 'postgres',
            host: 'warehouse.acme.example',
            port: 5432,
            database: 'analytics',
            schema: 'shop',
          },
        },
      ],
    },
  ],
};

/** ODCS v3.1.0. */
export const DATA_CONTRACT_EXAMPLE = {
  apiVersion: 'v3.1.0',
  kind: 'DataContract',
  id: 'shop_orders_v1_contract',
  name: 'Shop Orders',
  version: '1.0.0',
  status: 'active',
  team: { name: 'web-shop' },
  description: {
    purpose: 'Order lines of the web shop.',
    usage: 'Join order lines to customers on customer_id.',
    limitations: 'No payment details.',
  },
  schema: [
    {
      name: 'order_lines',
      physicalName: 'order_lines',
      properties: [
        { name: 'order_id', logicalType: 'string', required: true, primaryKey: true },
        { name: 'ordered_at', logicalType: 'timestamp', required: true },
        { name: 'customer_email', logicalType: 'string', classification: 'restricted' },
        { name: 'amount', logicalType: 'number' },
      ],
    },
  ],
  servers: [
    {
      server: 'warehouse',
      type: 'postgres',
      host: 'warehouse.acme.example',
      port: 5432,
      database: 'analytics',
      schema: 'shop',
    },
  ],
  roles: [{ role: 'orders.analyst', access: 'read', description: 'Order lines without e-mail' }],
  slaProperties: [{ property: 'maxQueriesPerDay', value: 1000 }],
};

export const PROBLEMS_EXAMPLE = {
  statusCode: 400,
  error: 'invalid_argument',
  message:
    'The document is invalid: $.status must be one of proposed, draft, active, deprecated, retired; $.outputPorts[0].contractId data contract "unknown" does not exist',
  details: {
    problems: [
      { path: '$.status', message: 'must be one of proposed, draft, active, deprecated, retired' },
      { path: '$.outputPorts[0].contractId', message: 'data contract "unknown" does not exist' },
    ],
  },
};

export const CONFLICT_EXAMPLE = {
  statusCode: 409,
  error: 'conflict',
  message:
    'Data product "shop-orders" is still used: active access agreement 3f0c… of team marketing on output port shop_orders_v1',
  details: {
    usedBy: ['active access agreement 3f0c… of team marketing on output port shop_orders_v1'],
  },
};

export const PRECONDITION_EXAMPLE = {
  statusCode: 412,
  error: 'precondition_failed',
  message:
    'The document changed meanwhile (current ETag "…"): GET it again and apply your change to it',
};
